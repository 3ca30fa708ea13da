"""Channels, shipments, customs declarations, tracking and undeliverables (stage 9.1)."""
