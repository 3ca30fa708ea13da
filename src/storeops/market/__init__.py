"""Market research (1.1), competitors, platform selection (1.2), onboarding (2.1-2.2) and platform rules (2.3)."""
