"""What the market pages share: running a market service as the signed-in user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from nicegui import run, ui

from storeops.auth.service import resolve_session, session_actor, session_user
from storeops.db import session_scope
from storeops.errors import DomainError, NotFound
from storeops.web.auth_routes import SESSION_COOKIE
from storeops.web.labels import Translate
from storeops.web.state import runtime

R = TypeVar("R")


def _as_actor(raw: str | None, action: Callable[..., R], kwargs: dict[str, Any]) -> R:
    with session_scope(runtime().engine) as session:
        console = resolve_session(session, raw)
        session_user(session, console)
        actor = session_actor(session, console)
        if actor is None:
            raise NotFound("you are not a member of any company")
        return action(session, actor=actor, **kwargs)


async def as_actor(request: Request, action: Callable[..., R], /, **kwargs: Any) -> R:
    """Run ``action(session, actor=…, **kwargs)`` in one unit of work as the page's user."""
    result = await run.io_bound(_as_actor, request.cookies.get(SESSION_COOKIE), action, kwargs)
    if result is None:  # the server is shutting down
        raise NotFound("the server is shutting down; try again")
    return result


async def attempt(
    request: Request, _: Translate, action: Callable[..., R], /, **kwargs: Any
) -> R | None:
    """Like ``as_actor``, but a refused action shows its message and returns ``None``."""
    try:
        return await as_actor(request, action, **kwargs)
    except DomainError as exc:
        ui.notify(
            _("Not done: {message}").format(message=exc.message), type="negative", multi_line=True
        )
        return None
