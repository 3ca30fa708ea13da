"""How many records each store holds in storeops: the first thing an owner checks after an import.

These are counts of rows, not the standard's metrics (those come with the metric registry).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Listing
from storeops.crm.enums import InquiryStatus
from storeops.crm.models import Buyer, Inquiry
from storeops.orders.models import Order


@dataclass(frozen=True, slots=True)
class StoreRecords:
    """Row counts of one store, and the span of its orders."""

    store_id: int
    listings: int
    active_listings: int
    orders: int
    buyers: int
    open_inquiries: int
    first_order_at: dt.datetime | None
    last_order_at: dt.datetime | None


def store_records(session: Session, *, actor: Actor) -> dict[int, StoreRecords]:
    """6.2.1 / 6.1.3 Records per store of the actor (listings, orders, buyers, open inquiries)."""
    actor.require(Permission.STORE_READ)
    stores = sorted(actor.store_ids)
    if not stores:
        return {}
    listings = dict(
        session.execute(
            select(Listing.store_id, func.count())
            .where(Listing.store_id.in_(stores))
            .group_by(Listing.store_id)
        )
        .tuples()
        .all()
    )
    active = dict(
        session.execute(
            select(Listing.store_id, func.count())
            .where(Listing.store_id.in_(stores), Listing.status == ListingStatus.ACTIVE)
            .group_by(Listing.store_id)
        )
        .tuples()
        .all()
    )
    orders = {
        row[0]: row[1:]
        for row in session.execute(
            select(
                Order.store_id, func.count(), func.min(Order.placed_at), func.max(Order.placed_at)
            )
            .where(Order.store_id.in_(stores))
            .group_by(Order.store_id)
        )
        .tuples()
        .all()
    }
    buyers = dict(
        session.execute(
            select(Buyer.store_id, func.count())
            .where(Buyer.store_id.in_(stores))
            .group_by(Buyer.store_id)
        )
        .tuples()
        .all()
    )
    open_inquiries = dict(
        session.execute(
            select(Inquiry.store_id, func.count())
            .where(Inquiry.store_id.in_(stores), Inquiry.status == InquiryStatus.OPEN)
            .group_by(Inquiry.store_id)
        )
        .tuples()
        .all()
    )
    result: dict[int, StoreRecords] = {}
    for store_id in stores:
        count, first, last = orders.get(store_id, (0, None, None))
        result[store_id] = StoreRecords(
            store_id=store_id,
            listings=listings.get(store_id, 0),
            active_listings=active.get(store_id, 0),
            orders=count,
            buyers=buyers.get(store_id, 0),
            open_inquiries=open_inquiries.get(store_id, 0),
            first_order_at=_utc(first),
            last_order_at=_utc(last),
        )
    return result


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """``MIN``/``MAX`` bypass the column type on SQLite: give the value back its UTC zone."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
