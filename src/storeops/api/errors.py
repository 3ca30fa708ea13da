"""The one table that maps domain errors onto HTTP, and the handlers that apply it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from storeops.auth.scoping import Actor
from storeops.auth.service import record_audit
from storeops.db import session_scope
from storeops.errors import DomainError

STATUS_BY_KIND: dict[str, int] = {
    "invalid": 422,
    "not_found": 404,
    "conflict": 409,
    "forbidden": 403,
    "unauthorized": 401,
    "locked": 423,
    "rate_limited": 429,
}


def status_for(error: DomainError) -> int:
    """The HTTP status of a domain error."""
    return STATUS_BY_KIND.get(error.kind, 400)


def _audit_refusal(request: Request, error: DomainError) -> None:
    """Permission refusals are audited in their own transaction: the request's was rolled back."""
    actor: Actor | None = getattr(request.state, "actor", None)
    if actor is None:
        return
    with session_scope(request.app.state.engine) as session:
        record_audit(
            session,
            action="permission.denied",
            outcome="denied",
            actor=actor,
            code=error.code,
            method=request.method,
            path=request.url.path,
        )


async def domain_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    status = status_for(exc)
    if status == 403:
        _audit_refusal(request, exc)
    headers: dict[str, Any] = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    retry_after = getattr(exc, "retry_after", None)
    if status == 429 and retry_after is not None:
        headers["Retry-After"] = str(int(retry_after))
    return JSONResponse({"error": exc.as_dict()}, status_code=status, headers=headers)


async def integrity_error_handler(_request: Request, _exc: Exception) -> JSONResponse:
    body = {
        "code": "conflict",
        "message": "the change collides with an existing record; reload and retry",
    }
    return JSONResponse({"error": body}, status_code=409)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(DomainError, domain_error_handler)
    app.add_exception_handler(IntegrityError, integrity_error_handler)
