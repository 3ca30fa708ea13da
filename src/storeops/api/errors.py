"""The one table that maps domain errors onto HTTP, and the handlers that apply it."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from storeops.auth.scoping import Actor
from storeops.auth.service import record_audit
from storeops.db import session_scope
from storeops.errors import DomainError

logger = logging.getLogger("storeops.api")

STATUS_BY_KIND: dict[str, int] = {
    "invalid": 422,
    "not_found": 404,
    "conflict": 409,
    "forbidden": 403,
    "unauthorized": 401,
    "locked": 423,
    "rate_limited": 429,
}


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. not_found")
    message: str = Field(description="What went wrong, for people")
    field: str | None = Field(default=None, description="The input the error is about")
    details: dict[str, Any] | list[Any] | None = None


class ErrorResponse(BaseModel):
    """The body of every error answer of the API."""

    error: ErrorDetail


_ERROR_MEANINGS = {
    400: "The request could not be read (malformed JSON or form)",
    401: "No valid token, or the account is disabled (send Authorization: Bearer sto_…)",
    403: "Your role does not allow this",
    404: "No such record, or not one of yours (answered alike on purpose)",
    409: "The change conflicts with the record's state or another record",
    422: "A value is invalid; `field` names it",
    423: "The account is locked",
    429: "Too many requests; wait `Retry-After` seconds",
    500: "Internal error (no details are ever given)",
    503: "The database is unavailable; retry shortly",
}

#: Documented on every API route (``api.app.api_router``), so clients and fuzzers know them.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": meaning}
    for code, meaning in _ERROR_MEANINGS.items()
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
        # in a worker thread: a blocking database call here would stall the event loop, and with
        # it every other request (found by benchmarks/load.py)
        await run_in_threadpool(_audit_refusal, request, exc)
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


async def out_of_range_handler(request: Request, exc: Exception) -> Response:
    """A number too large for the database (an id of 2**70): no such record, not a crash."""
    if not _is_api(request):
        raise exc
    body = {"code": "not_found", "message": "a number in the request is out of range"}
    return JSONResponse({"error": body}, status_code=404)


async def data_error_handler(request: Request, exc: Exception) -> Response:
    """A value the database cannot hold: an id beyond its integer range is simply not there."""
    assert isinstance(exc, DataError)
    if type(exc.orig).__name__ == "NumericValueOutOfRange":
        return await out_of_range_handler(request, exc)
    body = {"code": "invalid_input", "message": "a value in the request does not fit the database"}
    return JSONResponse({"error": body}, status_code=422)


async def database_unavailable_handler(request: Request, exc: Exception) -> Response:
    """The database cannot be reached (down, restarting, not created yet): 503, retry shortly.

    The engine's pool checks connections before use, so the first request after the database is
    back succeeds: no restart of storeops is needed.
    """
    logger.warning(
        "database unavailable on %s %s: %s", request.method, request.url.path, type(exc).__name__
    )
    if not _is_api(request):
        from storeops.web.auth_routes import database_unavailable_page, request_locale

        return database_unavailable_page(request_locale(request))
    body = {
        "code": "database_unavailable",
        "message": "the database is unavailable right now; nothing was changed. Retry shortly.",
    }
    return JSONResponse({"error": body}, status_code=503, headers={"Retry-After": "5"})


async def internal_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Anything unexpected: 500 with a reference to the log entry, never a stack trace."""
    reference = secrets.token_hex(6)
    logger.error(
        "internal error %s on %s %s: %s",
        reference,
        request.method,
        request.url.path,
        type(exc).__name__,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    body = {
        "code": "internal_error",
        "message": f"internal error; the operator can find it in the log as {reference}",
    }
    return JSONResponse({"error": body}, status_code=500)


def _is_api(request: Request) -> bool:
    from storeops.api.app import API_PREFIX

    return request.url.path.startswith(API_PREFIX)


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Invalid input: 422 in the API's error shape, naming the first bad field."""
    assert isinstance(exc, RequestValidationError)
    problems = [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors()
    ]
    first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
    where = ".".join(p for p in first["loc"] if p not in ("body", "query", "path"))
    body = {
        "code": "invalid_input",
        "message": f"{where or 'request'}: {first['msg']}",
        "details": problems,
    }
    if where:
        body["field"] = where
    return JSONResponse({"error": body}, status_code=422)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Starlette's HTTP errors (unreadable body, unknown path, wrong method) in the API's shape."""
    assert isinstance(exc, StarletteHTTPException)
    if not _is_api(request):
        return await http_exception_handler(request, exc)
    body = {"code": f"http_{exc.status_code}", "message": str(exc.detail)}
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return JSONResponse({"error": body}, status_code=exc.status_code, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some API route answers on this path (Starlette names only one route's)."""
    from starlette.routing import compile_path

    from storeops.api.app import api_routes

    methods: set[str] = set()
    for path, route in api_routes():
        if compile_path(path)[0].match(request.url.path):
            methods |= route.methods or set()
    return sorted(methods)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(DomainError, domain_error_handler)
    app.add_exception_handler(IntegrityError, integrity_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(OverflowError, out_of_range_handler)
    app.add_exception_handler(DataError, data_error_handler)
    app.add_exception_handler(OperationalError, database_unavailable_handler)
    app.add_exception_handler(PoolTimeout, database_unavailable_handler)  # every connection busy
    app.add_exception_handler(Exception, internal_error_handler)
