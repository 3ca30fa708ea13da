"""Errors of the auth domain, each with a stable code."""

from __future__ import annotations

from storeops.errors import Conflict, DomainError, NotAuthenticated


class LoginFailed(NotAuthenticated):
    """Wrong e-mail or password (the message never says which)."""

    code = "login_failed"


class AccountLocked(DomainError):
    code = "account_locked"
    kind = "locked"


class WeakPassword(DomainError):
    code = "weak_password"


class DuplicateUser(Conflict):
    code = "duplicate_user"


class RoleEscalation(DomainError):
    """A grant would give someone more than the granter holds."""

    code = "role_escalation"
    kind = "forbidden"


class AuditLogIsAppendOnly(DomainError):
    code = "audit_log_append_only"
