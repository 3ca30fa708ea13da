"""Who is acting, and the one helper through which every query of store-owned rows goes.

Another company's record, or a store the actor is not assigned to, answers exactly like a missing
one: ``NotFound`` with the same message, so ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Select, column, select, table
from sqlalchemy.orm import Session

from storeops.auth.enums import ROLE_PERMISSIONS, ROLES_SEEING_ALL_STORES, Permission, Role
from storeops.errors import NotFound, PermissionDenied

T = TypeVar("T")

# Read through a lightweight table so that auth need not import the stores domain above it.
_stores = table("stores", column("id"), column("company_id"))


@dataclass(frozen=True, slots=True)
class Actor:
    """The user (or system job) a service acts for, with the stores it may see."""

    company_id: int
    role: Role
    store_ids: frozenset[int]
    user_id: int | None = None
    label: str = "system"
    permissions: frozenset[Permission] = field(default=frozenset())

    def can(self, permission: Permission | str) -> bool:
        """Whether the actor's role carries ``permission``."""
        return Permission(permission) in self.permissions

    def require(self, permission: Permission | str) -> None:
        """``PermissionDenied`` unless the actor's role carries ``permission``."""
        if not self.can(permission):
            raise PermissionDenied(
                f"your role ({self.role.value}) does not allow {Permission(permission).value}",
                permission=Permission(permission).value,
            )

    def sees_store(self, store_id: int) -> bool:
        """Whether ``store_id`` is one of the actor's stores."""
        return store_id in self.store_ids


def company_store_ids(session: Session, company_id: int) -> frozenset[int]:
    """Ids of every store of ``company_id``."""
    rows = session.execute(select(_stores.c.id).where(_stores.c.company_id == company_id))
    return frozenset(int(r[0]) for r in rows)


def build_actor(
    session: Session,
    *,
    company_id: int,
    role: Role,
    granted_store_ids: frozenset[int],
    user_id: int | None,
    label: str,
) -> Actor:
    """An actor for ``role`` in ``company_id``; owners see every store of the company."""
    company_stores = company_store_ids(session, company_id)
    if role in ROLES_SEEING_ALL_STORES:
        visible = company_stores
    else:
        visible = granted_store_ids & company_stores
    return Actor(
        company_id=company_id,
        role=role,
        store_ids=visible,
        user_id=user_id,
        label=label,
        permissions=ROLE_PERMISSIONS[role],
    )


def system_actor(session: Session, company_id: int, label: str = "cli") -> Actor:
    """The machine operator (CLI, jobs): an owner of ``company_id``."""
    return build_actor(
        session,
        company_id=company_id,
        role=Role.OWNER,
        granted_store_ids=frozenset(),
        user_id=None,
        label=label,
    )


def _scope_column(model: Any) -> Any:
    name = getattr(model, "__scope_column__", "store_id")
    return getattr(model, name)


def scoped(stmt: Select[Any], model: Any, actor: Actor) -> Select[Any]:
    """``stmt`` restricted to rows of the actor's stores (``model.store_id`` or its scope column)."""
    return stmt.where(_scope_column(model).in_(sorted(actor.store_ids)))


def get_scoped(session: Session, model: type[T], ident: int, actor: Actor, *, what: str) -> T:
    """The ``model`` row ``ident`` if the actor may see it; otherwise ``NotFound``."""
    stmt = scoped(select(model), model, actor).where(model.id == ident)  # type: ignore[attr-defined]
    found: T | None = session.scalars(stmt).one_or_none()
    if found is None:
        raise NotFound(f"{what} {ident} not found")
    return found
