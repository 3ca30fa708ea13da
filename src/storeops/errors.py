"""The one error type of the domain layer.

Every business-rule failure is a ``DomainError`` subclass with a stable ``code``. The API maps codes
to HTTP status in one table (``storeops.api.errors``), the console shows the message, the CLI
prints it on one line and exits with the code's exit status.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A business rule refused the request. ``code`` is stable; ``message`` is for people."""

    code: ClassVar[str] = "domain_error"
    kind: ClassVar[str] = (
        "invalid"  # one of: invalid, not_found, conflict, forbidden, unauthorized, locked
    )

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        """The error as the API and the CLI's JSON output show it."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class InvalidInput(DomainError):
    """A value a user gave is malformed; ``field`` names it."""

    code = "invalid_input"


class NotFound(DomainError):
    """No such record, or not one the actor may see (answered the same way on purpose)."""

    code = "not_found"
    kind = "not_found"


class Conflict(DomainError):
    """The request collides with an existing record."""

    code = "conflict"
    kind = "conflict"


class PermissionDenied(DomainError):
    """The actor's role does not allow this action."""

    code = "permission_denied"
    kind = "forbidden"


class NotAuthenticated(DomainError):
    """No valid credentials were presented."""

    code = "not_authenticated"
    kind = "unauthorized"


class IllegalTransition(DomainError):
    """A status flow refused a move its transition table does not allow."""

    code = "illegal_transition"
    kind = "conflict"
