"""3.2.5 Showcase (橱窗) slots: which listing sits in which slot since when, the effect of the
placement (impressions, clicks, inquiries per day before and after) and suggestions to swap."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.catalog.enums import ListingStatus
from storeops.catalog.facts import ListingActivity, listing_activity
from storeops.catalog.models import Listing, ShowcaseSlot
from storeops.catalog.queries import get_listing, visible_listings
from storeops.catalog.ratios import per_day
from storeops.errors import InvalidInput
from storeops.stores.models import Store

MIN_DAYS = 7  # a placement younger than this is too early to judge
MAX_SLOTS = 200


class Rates(BaseModel):
    days: int
    impressions_per_day: float
    clicks_per_day: float
    inquiries_per_day: float


class ShowcaseEffect(BaseModel):
    """3.2.5 One placement of a listing in a showcase slot and what it changed."""

    slot_id: int
    slot_no: int
    listing_id: int
    external_id: str
    title: str
    since: dt.date
    until: dt.date | None
    current: bool
    before: Rates
    after: Rates
    clicks_change_pct: float | None
    verdict: Literal["lifted", "no_lift", "too_early"]
    swap_for_listing_id: int | None
    suggestion: str | None


def _rates(activity: ListingActivity | None, days: int) -> Rates:
    a = activity or ListingActivity()
    return Rates(
        days=days,
        impressions_per_day=per_day(a.impressions, days),
        clicks_per_day=per_day(a.clicks, days),
        inquiries_per_day=per_day(a.inquiries, days),
    )


def showcase_effect(
    session: Session, *, actor: Actor, store_id: int, on: dt.date, days: int = 30
) -> list[ShowcaseEffect]:
    """3.2.5 Each placement up to ``on``: per-day traffic in its first ``days`` days against the
    same number of days before it, and for current placements without a lift, the best listing
    outside the showcase (most clicks in the last ``days`` days) to swap in."""
    actor.require(Permission.CATALOG_READ)
    if not 7 <= days <= 180:
        raise InvalidInput("days must be between 7 and 180", field="days")
    store = get_scoped(session, Store, store_id, actor, what="store")
    visible = visible_listings(select(Listing.id), actor)
    rows = list(
        session.execute(
            select(ShowcaseSlot, Listing)
            .join(Listing, Listing.id == ShowcaseSlot.listing_id)
            .where(ShowcaseSlot.store_id == store.id, ShowcaseSlot.since <= on)
            .where(ShowcaseSlot.listing_id.in_(visible))
            .order_by(ShowcaseSlot.since.desc(), ShowcaseSlot.slot_no)
        ).tuples()
    )
    current_ids = {slot.listing_id for slot, _ in rows if slot.until is None or slot.until >= on}
    recent = listing_activity(
        session,
        store_id=store.id,
        timezone=store.timezone,
        date_from=on - dt.timedelta(days=days - 1),
        date_to=on,
    )
    candidates = session.scalars(
        visible_listings(select(Listing.id), actor).where(
            Listing.store_id == store.id, Listing.status == ListingStatus.ACTIVE
        )
    ).all()
    bench = sorted(
        (i for i in candidates if i not in current_ids),
        key=lambda i: (-(recent.get(i) or ListingActivity()).clicks, i),
    )
    effects = []
    for slot, listing in rows:
        end = min(slot.until or on, on, slot.since + dt.timedelta(days=days - 1))
        length = (end - slot.since).days + 1
        before_from = slot.since - dt.timedelta(days=length)
        before_to = slot.since - dt.timedelta(days=1)
        after = listing_activity(
            session,
            store_id=store.id,
            timezone=store.timezone,
            date_from=slot.since,
            date_to=end,
            listing_ids=[listing.id],
        ).get(listing.id)
        before = listing_activity(
            session,
            store_id=store.id,
            timezone=store.timezone,
            date_from=before_from,
            date_to=before_to,
            listing_ids=[listing.id],
        ).get(listing.id)
        b, a = _rates(before, length), _rates(after, length)
        change = (
            round(100 * (a.clicks_per_day - b.clicks_per_day) / b.clicks_per_day, 1)
            if b.clicks_per_day > 0
            else None
        )
        verdict: Literal["lifted", "no_lift", "too_early"]
        if length < MIN_DAYS:
            verdict = "too_early"
        elif a.clicks_per_day > b.clicks_per_day:
            verdict = "lifted"
        else:
            verdict = "no_lift"
        current = slot.until is None or slot.until >= on
        swap = bench[0] if current and verdict == "no_lift" and bench else None
        effects.append(
            ShowcaseEffect(
                slot_id=slot.id,
                slot_no=slot.slot_no,
                listing_id=listing.id,
                external_id=listing.external_id,
                title=listing.title,
                since=slot.since,
                until=slot.until,
                current=current,
                before=b,
                after=a,
                clicks_change_pct=change,
                verdict=verdict,
                swap_for_listing_id=swap,
                suggestion=(
                    f"no lift in clicks after {length} days; swap in listing {swap}, which drew "
                    f"the most clicks outside the showcase in the last {days} days"
                    if swap is not None
                    else None
                ),
            )
        )
    return effects


def place_in_showcase(
    session: Session, *, actor: Actor, store_id: int, slot_no: int, listing_id: int, since: dt.date
) -> ShowcaseSlot:
    """3.2.5 Put a listing into a showcase slot from ``since``; the slot's previous placement ends
    the day before."""
    actor.require(Permission.CATALOG_MANAGE)
    store = get_scoped(session, Store, store_id, actor, what="store")
    if not 1 <= slot_no <= MAX_SLOTS:
        raise InvalidInput(f"slot number must be between 1 and {MAX_SLOTS}", field="slot_no")
    listing = get_listing(session, listing_id, actor)
    if listing.store_id != store.id:
        raise InvalidInput(
            f"listing {listing_id} is not a listing of this store", field="listing_id"
        )
    if listing.status != ListingStatus.ACTIVE:
        raise InvalidInput(f"listing {listing_id} is not active", field="listing_id")
    previous = session.scalars(
        select(ShowcaseSlot)
        .where(ShowcaseSlot.store_id == store.id, ShowcaseSlot.slot_no == slot_no)
        .order_by(ShowcaseSlot.since.desc())
        .limit(1)
    ).one_or_none()
    if previous is not None:
        if previous.since >= since:
            raise InvalidInput(
                f"slot {slot_no} already has a placement from {previous.since}; start after it",
                field="since",
            )
        if previous.until is None or previous.until >= since:
            previous.until = since - dt.timedelta(days=1)
    placement = ShowcaseSlot(store_id=store.id, slot_no=slot_no, listing_id=listing.id, since=since)
    session.add(placement)
    session.flush()
    return placement
