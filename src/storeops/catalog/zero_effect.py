"""3.2.6 Zero-effect listings: no impressions, clicks, inquiries or orders in a chosen window, and
the bulk actions (hide, delete, optimise) taken on them, each recorded with who and when.

The daily traffic, inquiries and orders are read through ``catalog.facts``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, scoped
from storeops.auth.service import record_audit
from storeops.catalog.enums import (
    ACTION_TARGET_STATUS,
    ListingActionKind,
    ListingStatus,
    transition,
)
from storeops.catalog.facts import inquiries as _inquiries
from storeops.catalog.facts import local_day_bounds
from storeops.catalog.facts import order_lines as _lines
from storeops.catalog.facts import orders as _orders
from storeops.catalog.facts import traffic as _traffic
from storeops.catalog.models import Listing, ListingAction
from storeops.catalog.queries import get_listings, visible_listings
from storeops.errors import IllegalTransition, InvalidInput
from storeops.stores.models import Store
from storeops.types import utcnow

MAX_WINDOW_DAYS = 366


class ZeroEffectListing(BaseModel):
    """A listing that had no impressions, clicks, inquiries or orders in the window."""

    listing_id: int
    store_id: int
    external_id: str
    title: str
    group_id: int | None
    listed_on: dt.date
    window_from: dt.date
    window_to: dt.date


class ListingActionRead(BaseModel):
    """A recorded action on a listing."""

    id: int
    listing_id: int
    store_id: int
    action: str
    reason: str
    status_before: str
    status_after: str
    window_from: dt.date | None
    window_to: dt.date | None
    user_id: int | None
    actor_label: str
    at: dt.datetime

    model_config = {"from_attributes": True}


def check_window(date_from: dt.date, date_to: dt.date) -> None:
    """``InvalidInput`` unless ``date_from ≤ date_to`` and the window is at most a year."""
    if date_from > date_to:
        raise InvalidInput(
            f"the window starts ({date_from}) after it ends ({date_to})", field="date_from"
        )
    if (date_to - date_from).days + 1 > MAX_WINDOW_DAYS:
        raise InvalidInput(f"the window is longer than {MAX_WINDOW_DAYS} days", field="date_to")


def _active_listing_ids(
    session: Session, store: Store, date_from: dt.date, date_to: dt.date
) -> set[int]:
    """Listings of ``store`` with any impression, click, inquiry or order in the window."""
    start, end = local_day_bounds(date_from, date_to, store.timezone)
    traffic = (
        select(_traffic.c.listing_id)
        .where(
            _traffic.c.store_id == store.id,
            _traffic.c.day >= date_from,
            _traffic.c.day <= date_to,
        )
        .group_by(_traffic.c.listing_id)
        .having(func.sum(_traffic.c.impressions + _traffic.c.clicks) > 0)
    )
    inquiries = select(_inquiries.c.listing_id).where(
        _inquiries.c.store_id == store.id,
        _inquiries.c.listing_id.is_not(None),
        _inquiries.c.received_at >= start,
        _inquiries.c.received_at < end,
    )
    orders = (
        select(_lines.c.listing_id)
        .join(_orders, _orders.c.id == _lines.c.order_id)
        .where(
            _lines.c.store_id == store.id, _orders.c.placed_at >= start, _orders.c.placed_at < end
        )
    )
    found: set[int] = set()
    for stmt in (traffic, inquiries, orders):
        found.update(int(r) for r in session.scalars(stmt.distinct()))
    return found


def find_zero_effect_listings(
    session: Session,
    *,
    actor: Actor,
    date_from: dt.date,
    date_to: dt.date,
    store_id: int | None = None,
) -> list[ZeroEffectListing]:
    """3.2.6 Active listings, live for the whole window, with no impression, click, inquiry or order.

    Days are the store's own calendar days (its timezone). A listing listed after ``date_from``
    has not had the whole window and is not counted.
    """
    actor.require(Permission.CATALOG_READ)
    check_window(date_from, date_to)
    stores_stmt = scoped(select(Store), Store, actor).order_by(Store.id)
    if store_id is not None:
        stores_stmt = stores_stmt.where(Store.id == store_id)
    result: list[ZeroEffectListing] = []
    for store in session.scalars(stores_stmt):
        candidates = session.scalars(
            visible_listings(select(Listing), actor)
            .where(
                Listing.store_id == store.id,
                Listing.status == ListingStatus.ACTIVE,
                Listing.listed_on <= date_from,
            )
            .order_by(Listing.id)
        ).all()
        if not candidates:
            continue
        busy = _active_listing_ids(session, store, date_from, date_to)
        result.extend(
            ZeroEffectListing(
                listing_id=lst.id,
                store_id=lst.store_id,
                external_id=lst.external_id,
                title=lst.title,
                group_id=lst.group_id,
                listed_on=lst.listed_on,
                window_from=date_from,
                window_to=date_to,
            )
            for lst in candidates
            if lst.id not in busy
        )
    return result


def act_on_listings(
    session: Session,
    *,
    actor: Actor,
    listing_ids: list[int],
    action: ListingActionKind | str,
    reason: str,
    window_from: dt.date | None = None,
    window_to: dt.date | None = None,
) -> list[ListingAction]:
    """3.2.6 Hide, delete or mark for optimisation several listings at once, recording each.

    All or nothing: an unknown listing or a move the status flow refuses changes no listing.
    """
    actor.require(Permission.CATALOG_MANAGE)
    try:
        kind = ListingActionKind(action)
    except ValueError:
        options = ", ".join(k.value for k in ListingActionKind)
        raise InvalidInput(
            f"unknown action {action!r}; choose one of: {options}", field="action"
        ) from None
    clean = reason.strip()
    if not clean:
        raise InvalidInput("give a reason for the action", field="reason")
    if len(clean) > 200:
        raise InvalidInput("the reason is longer than 200 characters", field="reason")
    if not listing_ids:
        raise InvalidInput("choose at least one listing", field="listing_ids")
    if (window_from is None) != (window_to is None):
        raise InvalidInput("give both ends of the review window or neither", field="window_to")
    if window_from is not None and window_to is not None:
        check_window(window_from, window_to)
    listings = get_listings(session, listing_ids, actor)
    target = ACTION_TARGET_STATUS[kind]
    moves: list[tuple[Listing, ListingStatus, ListingStatus]] = []
    for listing in listings:  # check every move before changing anything
        before: ListingStatus = listing.status
        after: ListingStatus
        if target is None:
            if before == ListingStatus.DELETED:
                raise IllegalTransition(
                    f"listing {listing.id} is deleted and cannot be optimised", field="listing_ids"
                )
            after = before
        else:
            try:
                after = transition(before, target)
            except IllegalTransition as exc:
                raise IllegalTransition(
                    f"listing {listing.id}: {exc.message}", field="listing_ids"
                ) from None
        moves.append((listing, before, after))
    today = utcnow().date()
    records = []
    for listing, before, after in moves:
        listing.status = after
        if after != before:
            listing.updated_on = today
        record = ListingAction(
            store_id=listing.store_id,
            listing_id=listing.id,
            action=kind,
            reason=clean,
            status_before=before,
            status_after=after,
            window_from=window_from,
            window_to=window_to,
            user_id=actor.user_id,
            actor_label=actor.label[:40],
        )
        session.add(record)
        records.append(record)
    session.flush()
    record_audit(
        session,
        action=f"listing.{kind.value}",
        actor=actor,
        target_type="listing",
        target_id=",".join(str(lst.id) for lst, _, _ in moves)[:40],
        count=len(moves),
    )
    return records


def list_listing_actions(
    session: Session, *, actor: Actor, store_id: int | None = None, limit: int = 200
) -> list[ListingAction]:
    """3.2.6 The recorded actions on the actor's listings, newest first."""
    actor.require(Permission.CATALOG_READ)
    visible = visible_listings(select(Listing.id), actor)
    stmt = (
        scoped(select(ListingAction), ListingAction, actor)
        .where(ListingAction.listing_id.in_(visible))
        .order_by(ListingAction.at.desc(), ListingAction.id.desc())
        .limit(max(1, min(limit, 1000)))
    )
    if store_id is not None:
        stmt = stmt.where(ListingAction.store_id == store_id)
    return list(session.scalars(stmt))
