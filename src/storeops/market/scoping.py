"""Company scoping of market records: market data, profiles and rule sets belong to the company.

Another company's id answers exactly like a missing one (``NotFound`` with the same message).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from storeops.auth.scoping import Actor
from storeops.errors import NotFound

T = TypeVar("T")


def company_scoped(stmt: Select[Any], model: Any, actor: Actor) -> Select[Any]:
    """``stmt`` restricted to rows of the actor's company."""
    return stmt.where(model.company_id == actor.company_id)


def get_company_scoped(
    session: Session, model: type[T], ident: int, actor: Actor, *, what: str
) -> T:
    """The ``model`` row ``ident`` of the actor's company; otherwise ``NotFound``."""
    stmt = company_scoped(select(model), model, actor).where(model.id == ident)  # type: ignore[attr-defined]
    found: T | None = session.scalars(stmt).one_or_none()
    if found is None:
        raise NotFound(f"{what} {ident} not found")
    return found
