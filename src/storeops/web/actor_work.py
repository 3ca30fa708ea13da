"""Run one piece of domain work for the console session's actor, in its own unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storeops.auth.scoping import Actor
from storeops.auth.service import resolve_session, session_actor, session_user
from storeops.db import session_scope

T = TypeVar("T")


def with_actor(
    engine: Engine, raw_session: str | None, work: Callable[[Session, Actor], T]
) -> T | None:
    """``work(session, actor)`` for the cookie's session (``None`` without a company).

    The session is resolved first, so a signed-out or timed-out console neither reads nor writes;
    the unit of work commits when ``work`` returns and rolls back when it raises.
    """
    with session_scope(engine) as session:
        console = resolve_session(session, raw_session)
        session_user(session, console)
        actor = session_actor(session, console)
        if actor is None:
            return None
        return work(session, actor)
