"""Dependencies of every route: the unit of work, the actor, the permission a route requires."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.auth.service import actor_from_token
from storeops.crypto import token_digest
from storeops.db import session_scope
from storeops.errors import NotAuthenticated
from storeops.i18n import set_locale
from storeops.ratelimit import check_rate

_bearer = HTTPBearer(auto_error=False, description="A personal access token (sto_…)")


def _unit_of_work(request: Request) -> Iterator[Session]:
    """One transaction per request: committed before the response, rolled back on any error."""
    set_locale(request.headers.get("accept-language"))
    with session_scope(request.app.state.engine) as session:
        yield session


DbSession = Annotated[Session, Depends(_unit_of_work, scope="function")]


def current_actor(
    request: Request,
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The actor behind the request's bearer token (401 without a valid one)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated("send a personal access token: Authorization: Bearer sto_…")
    actor = actor_from_token(session, credentials.credentials)
    request.state.actor = actor
    return actor


class _Require:
    """A dependency that admits actors whose role carries ``permission`` (declared per route)."""

    def __init__(self, permission: Permission | None) -> None:
        self.permission = permission

    def __call__(self, actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if self.permission is not None:
            actor.require(self.permission)
        return actor


def require(permission: Permission | str | None) -> _Require:
    """The dependency a route declares: ``Depends(require("store.read"))``; ``None`` for any member."""
    return _Require(Permission(permission) if permission is not None else None)


CurrentActor = Annotated[Actor, Depends(require(None))]


def caller_key(request: Request) -> str:
    """Who is calling, for rate limits: the bearer token's digest prefix, else the address."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer ") and len(auth) > 7:
        return "token:" + token_digest(auth[7:].strip())[:16]
    return "addr:" + (request.client.host if request.client else "unknown")


class RateLimit:
    """A dependency limiting a route to its bucket's requests per minute per caller (429)."""

    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def __call__(self, request: Request) -> None:
        check_rate(id(request.app), self.bucket, caller_key(request))


def rate_limit(bucket: str) -> RateLimit:
    """Declare on a route: ``dependencies=[Depends(rate_limit("export"))]`` (import, export …)."""
    return RateLimit(bucket)
