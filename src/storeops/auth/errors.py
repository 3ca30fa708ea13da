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


class CommonPassword(WeakPassword):
    """The password is on the list of common passwords."""

    code = "common_password"


class TooManyAttempts(DomainError):
    """Too many failed sign-ins from one network address: wait before trying again."""

    code = "too_many_attempts"
    kind = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, retry_after_seconds=retry_after)
        self.retry_after = retry_after


class SecondFactorRequired(NotAuthenticated):
    """The account has a second factor: a current code from the authenticator app is needed."""

    code = "second_factor_required"


class SecondFactorInvalid(NotAuthenticated):
    code = "second_factor_invalid"


class SecondFactorState(Conflict):
    """The second factor is not in a state that allows this (already on, not enrolled …)."""

    code = "second_factor_state"
