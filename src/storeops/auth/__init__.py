"""Users, roles, permissions, store scoping, API tokens, console sessions and the audit log."""
