"""Read helpers of the catalog, every one scoped by the actor's stores and product groups.

An operator sees the listings of the stores assigned to them, and within those only the listings
of the product groups they own plus the listings that are in no group yet (3.2.4 / 3.3.3: each
group has one responsible salesperson). Managers, owners and the other roles see every listing of
their stores.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.auth.scoping import Actor, scoped
from storeops.catalog.models import Listing, ProductGroup
from storeops.errors import NotFound


def limited_to_own_groups(actor: Actor) -> bool:
    """Whether the actor sees only the product groups they own (operators)."""
    return actor.role == Role.OPERATOR


def visible_groups(stmt: Select[Any], actor: Actor) -> Select[Any]:
    """``stmt`` over ``ProductGroup`` restricted to the groups the actor may see."""
    stmt = scoped(stmt, ProductGroup, actor)
    if limited_to_own_groups(actor):
        stmt = stmt.where(ProductGroup.owner_user_id == actor.user_id)
    return stmt


def visible_listings(stmt: Select[Any], actor: Actor) -> Select[Any]:
    """``stmt`` over ``Listing`` restricted to the listings the actor may see."""
    stmt = scoped(stmt, Listing, actor)
    if limited_to_own_groups(actor):
        own = select(ProductGroup.id).where(ProductGroup.owner_user_id == actor.user_id)
        stmt = stmt.where(or_(Listing.group_id.is_(None), Listing.group_id.in_(own)))
    return stmt


def get_listing(session: Session, listing_id: int, actor: Actor) -> Listing:
    """The listing ``listing_id`` if the actor may see it; ``NotFound`` otherwise."""
    found: Listing | None = session.scalars(
        visible_listings(select(Listing), actor).where(Listing.id == listing_id)
    ).one_or_none()
    if found is None:
        raise NotFound(f"listing {listing_id} not found")
    return found


def get_listings(session: Session, listing_ids: list[int], actor: Actor) -> list[Listing]:
    """The listings ``listing_ids`` in that order; ``NotFound`` naming the first the actor cannot see."""
    wanted = list(dict.fromkeys(listing_ids))
    rows = session.scalars(visible_listings(select(Listing), actor).where(Listing.id.in_(wanted)))
    found = {row.id: row for row in rows}
    for listing_id in wanted:
        if listing_id not in found:
            raise NotFound(f"listing {listing_id} not found", field="listing_ids")
    return [found[i] for i in wanted]


def get_group(session: Session, group_id: int, actor: Actor) -> ProductGroup:
    """The product group ``group_id`` if the actor may see it; ``NotFound`` otherwise."""
    found: ProductGroup | None = session.scalars(
        visible_groups(select(ProductGroup), actor).where(ProductGroup.id == group_id)
    ).one_or_none()
    if found is None:
        raise NotFound(f"product group {group_id} not found")
    return found
