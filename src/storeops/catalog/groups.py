"""3.2.4 / 3.3.3 Product groups, each owned by one salesperson, and what is in them."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.models import User
from storeops.auth.scoping import Actor, get_scoped
from storeops.auth.service import actor_for
from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Listing, ProductGroup
from storeops.catalog.quality import check_listing_quality
from storeops.catalog.queries import get_group, get_listings, visible_groups, visible_listings
from storeops.errors import InvalidInput, NotAuthenticated
from storeops.stores.models import Store


class GroupRead(BaseModel):
    """A product group with its owner and what its listings look like."""

    id: int
    store_id: int
    name: str
    owner_user_id: int | None
    owner_name: str | None
    listings: int
    active: int
    average_quality: int | None  # 3.3.2 score of its scored listings


def _check_owner(session: Session, actor: Actor, store_id: int, owner_user_id: int) -> None:
    if owner_user_id != actor.user_id:
        actor.require(
            Permission.STAFF_MANAGE
        )  # handing a group to someone else is a manager's call
    try:
        owner = actor_for(session, user_id=owner_user_id, company_id=actor.company_id)
    except NotAuthenticated:
        raise InvalidInput(
            f"user {owner_user_id} is not an active member of the company", field="owner_user_id"
        ) from None
    if not owner.sees_store(store_id) or not owner.can(Permission.CATALOG_MANAGE):
        raise InvalidInput(
            f"user {owner_user_id} does not manage listings of store {store_id}",
            field="owner_user_id",
        )


def create_group(
    session: Session, *, actor: Actor, store_id: int, name: str, owner_user_id: int | None = None
) -> ProductGroup:
    """3.2.4 / 3.3.3 Set up a product group in a store, optionally with its owner."""
    actor.require(Permission.CATALOG_MANAGE)
    store = get_scoped(session, Store, store_id, actor, what="store")
    clean = name.strip()
    if not clean:
        raise InvalidInput("the group name is empty", field="name")
    if len(clean) > 120:
        raise InvalidInput("the group name is longer than 120 characters", field="name")
    clash = session.scalar(
        select(ProductGroup.id).where(ProductGroup.store_id == store.id, ProductGroup.name == clean)
    )
    if clash is not None:
        raise InvalidInput(f"the store already has a group named {clean!r}", field="name")
    if owner_user_id is not None:
        _check_owner(session, actor, store.id, owner_user_id)
    group = ProductGroup(store_id=store.id, name=clean, owner_user_id=owner_user_id)
    session.add(group)
    session.flush()
    return group


def assign_group_owner(
    session: Session, *, actor: Actor, group_id: int, owner_user_id: int
) -> ProductGroup:
    """3.2.4 Give a product group to a salesperson who works on its store."""
    actor.require(Permission.CATALOG_MANAGE)
    group = get_group(session, group_id, actor)
    _check_owner(session, actor, group.store_id, owner_user_id)
    group.owner_user_id = owner_user_id
    session.flush()
    return group


def move_listings_to_group(
    session: Session, *, actor: Actor, group_id: int, listing_ids: list[int]
) -> int:
    """3.2.4 / 3.3.3 Put listings of the group's store into the group; returns how many moved."""
    actor.require(Permission.CATALOG_MANAGE)
    group = get_group(session, group_id, actor)
    if not listing_ids:
        raise InvalidInput("choose at least one listing", field="listing_ids")
    listings = get_listings(session, listing_ids, actor)
    for listing in listings:
        if listing.store_id != group.store_id:
            raise InvalidInput(
                f"listing {listing.id} belongs to another store than group {group.id}",
                field="listing_ids",
            )
    for listing in listings:
        listing.group_id = group.id
    session.flush()
    return len(listings)


def group_overview(
    session: Session, *, actor: Actor, store_id: int | None = None
) -> list[GroupRead]:
    """3.2.4 / 3.3.3 The groups the actor sees, with owner, listing counts and average quality."""
    actor.require(Permission.CATALOG_READ)
    stmt = visible_groups(
        select(ProductGroup, User.display_name).outerjoin(
            User, User.id == ProductGroup.owner_user_id
        ),
        actor,
    ).order_by(ProductGroup.store_id, ProductGroup.id)
    if store_id is not None:
        stmt = stmt.where(ProductGroup.store_id == store_id)
    groups = list(session.execute(stmt).tuples())
    counts: dict[int, tuple[int, int]] = {}
    for gid, status, n in session.execute(
        visible_listings(select(Listing.group_id, Listing.status, func.count()), actor)
        .where(Listing.group_id.in_([g.id for g, _ in groups]))
        .group_by(Listing.group_id, Listing.status)
    ):
        total, active = counts.get(gid, (0, 0))
        counts[gid] = (total + int(n), active + (int(n) if status == ListingStatus.ACTIVE else 0))
    scores: dict[int, list[int]] = {}
    group_of = {
        listing_id: gid
        for listing_id, gid in session.execute(
            visible_listings(select(Listing.id, Listing.group_id), actor).where(
                Listing.group_id.in_([g.id for g, _ in groups])
            )
        )
    }
    for result in check_listing_quality(session, actor=actor, store_id=store_id):
        gid = group_of.get(result.listing_id)
        if gid is not None:
            scores.setdefault(gid, []).append(result.score)
    return [
        GroupRead(
            id=g.id,
            store_id=g.store_id,
            name=g.name,
            owner_user_id=g.owner_user_id,
            owner_name=owner,
            listings=counts.get(g.id, (0, 0))[0],
            active=counts.get(g.id, (0, 0))[1],
            average_quality=round(sum(scores[g.id]) / len(scores[g.id]))
            if g.id in scores
            else None,
        )
        for g, owner in groups
    ]
