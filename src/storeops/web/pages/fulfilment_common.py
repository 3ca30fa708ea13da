"""What the fulfilment, finance and supply pages share: running a service as the page's actor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from nicegui import run, ui
from sqlalchemy.orm import Session

from storeops.auth.scoping import Actor
from storeops.auth.service import resolve_session, session_actor, session_user
from storeops.db import session_scope
from storeops.errors import DomainError, NotAuthenticated, PermissionDenied
from storeops.web.auth_routes import SESSION_COOKIE
from storeops.web.labels import Translate
from storeops.web.state import runtime

T = TypeVar("T")


def _as_actor(raw: str | None, work: Callable[[Session, Actor], T]) -> T:
    with session_scope(runtime().engine) as session:
        console = resolve_session(session, raw)
        session_user(session, console)
        actor = session_actor(session, console)
        if actor is None:
            raise NotAuthenticated("no company")
        return work(session, actor)


async def as_actor(request: Request, _: Translate, work: Callable[[Session, Actor], T]) -> T | None:
    """Run ``work`` in one unit of work as the page's actor; a refusal is shown, not raised."""
    try:
        return await run.io_bound(_as_actor, request.cookies.get(SESSION_COOKIE), work)
    except PermissionDenied:
        ui.notify(_("Your role does not allow this."), type="negative")
    except DomainError as exc:
        ui.notify(exc.message, type="negative", multi_line=True)
    return None


def table(columns: list[tuple[str, str]], rows: list[dict[str, Any]], *, key: str) -> ui.table:
    """A dense console table with left-aligned columns (name, label)."""
    cols = [{"name": n, "label": lbl, "field": n, "align": "left"} for n, lbl in columns]
    tbl = ui.table(columns=cols, rows=rows, row_key=key, pagination={"rowsPerPage": 20})
    tbl.classes("so-table w-full").props("dense flat")
    return tbl
