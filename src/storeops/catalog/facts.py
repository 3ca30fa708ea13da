"""Daily facts of the domains above the catalog, read through lightweight table clauses.

Traffic (marketing), inquiries and reviews (crm) and orders belong to domains that import the
catalog, so the catalog reads their tables by name, like ``auth.scoping`` reads ``stores``: it
depends on their shape, never on their code. Each figure below is defined here once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Date, Integer, String, column, func, select, table
from sqlalchemy.orm import Session

from storeops.db import UTCDateTime

traffic = table(
    "listing_traffic_daily",
    column("listing_id", BigInteger()),
    column("store_id", BigInteger()),
    column("day", Date()),
    column("impressions", Integer()),
    column("clicks", Integer()),
    column("visitors", Integer()),
)
inquiries = table(
    "inquiries",
    column("listing_id", BigInteger()),
    column("store_id", BigInteger()),
    column("received_at", UTCDateTime()),
)
orders = table(
    "orders",
    column("id", BigInteger()),
    column("store_id", BigInteger()),
    column("placed_at", UTCDateTime()),
    column("promotion_id", BigInteger()),
    column("live_stream_id", BigInteger()),
    column("currency", String()),
    column("total_amount", BigInteger()),
    column("status", String()),
)
order_lines = table(
    "order_lines",
    column("order_id", BigInteger()),
    column("listing_id", BigInteger()),
    column("store_id", BigInteger()),
    column("line_amount", BigInteger()),
)
reviews = table(
    "reviews",
    column("listing_id", BigInteger()),
    column("store_id", BigInteger()),
    column("rating", Integer()),
    column("created_at", UTCDateTime()),
)


def local_day_bounds(
    date_from: dt.date, date_to: dt.date, timezone: str
) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants of the start of ``date_from`` and of the day after ``date_to`` in ``timezone``."""
    zone = ZoneInfo(timezone)
    start = dt.datetime.combine(date_from, dt.time(), zone).astimezone(dt.UTC)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.UTC)
    return start, end


@dataclass(frozen=True)
class ListingActivity:
    """What one listing drew in a window: traffic, inquiries, orders, reviews."""

    impressions: int = 0
    clicks: int = 0
    visitors: int = 0
    inquiries: int = 0
    orders: int = 0
    review_count: int = 0
    rating_sum: int = 0


def listing_activity(
    session: Session,
    *,
    store_id: int,
    timezone: str,
    date_from: dt.date,
    date_to: dt.date,
    listing_ids: list[int] | None = None,
) -> dict[int, ListingActivity]:
    """Per listing of a store: traffic (store-local days), inquiries, orders (distinct) and
    reviews in the window. Listings without any activity are absent."""
    start, end = local_day_bounds(date_from, date_to, timezone)
    data: dict[int, dict[str, int]] = {}

    def add(rows: object, *names: str) -> None:
        for row in rows:  # type: ignore[attr-defined]
            entry = data.setdefault(int(row[0]), {})
            for name, value in zip(names, row[1:], strict=True):
                entry[name] = int(value or 0)

    t = traffic.c
    q = (
        select(t.listing_id, func.sum(t.impressions), func.sum(t.clicks), func.sum(t.visitors))
        .where(t.store_id == store_id, t.day >= date_from, t.day <= date_to)
        .group_by(t.listing_id)
    )
    if listing_ids is not None:
        q = q.where(t.listing_id.in_(listing_ids))
    add(session.execute(q), "impressions", "clicks", "visitors")
    i = inquiries.c
    q = (
        select(i.listing_id, func.count())
        .where(i.store_id == store_id, i.listing_id.is_not(None))
        .where(i.received_at >= start, i.received_at < end)
        .group_by(i.listing_id)
    )
    if listing_ids is not None:
        q = q.where(i.listing_id.in_(listing_ids))
    add(session.execute(q), "inquiries")
    ol, o = order_lines.c, orders.c
    q = (
        select(ol.listing_id, func.count(func.distinct(ol.order_id)))
        .join(orders, o.id == ol.order_id)
        .where(ol.store_id == store_id, o.placed_at >= start, o.placed_at < end)
        .group_by(ol.listing_id)
    )
    if listing_ids is not None:
        q = q.where(ol.listing_id.in_(listing_ids))
    add(session.execute(q), "orders")
    r = reviews.c
    q = (
        select(r.listing_id, func.count(), func.sum(r.rating))
        .where(r.store_id == store_id, r.created_at >= start, r.created_at < end)
        .group_by(r.listing_id)
    )
    if listing_ids is not None:
        q = q.where(r.listing_id.in_(listing_ids))
    add(session.execute(q), "review_count", "rating_sum")
    return {k: ListingActivity(**v) for k, v in data.items()}
