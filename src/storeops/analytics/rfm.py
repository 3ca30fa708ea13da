"""7.2.3 RFM: recency, frequency and monetary scores of a store's paying buyers, and segments.

Scores are 1 (worst) to 5 (best) and deterministic:

* **R** from the buyer's rank by days since their last paid order (fewest first), in five equal
  rank bins: ``R = 5 - min(4, 5 * rank // (n - 1))``, ``rank`` the 0-based *minimum* rank, so
  tied buyers share one bin (the better one) instead of NTILE's arbitrary split.
* **F** from the number of paid orders on fixed steps (1, 2, 3, 4–5, 6+): most buyers order once,
  and rank bins over such ties say nothing.
* **M** from the rank by paid amount (smallest first): ``M = 1 + min(4, 5 * rank // (n - 1))``.

Segments from R and F, first match wins: champions (R ≥ 4, F ≥ 4), loyal (F ≥ 3), promising
(R ≥ 4, F = 2), new (R ≥ 4, F = 1), at risk (R ≤ 2, F ≥ 2), lost (R ≤ 2, F = 1), needs attention.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend
from sqlalchemy.orm import Session

from storeops.analytics.metrics import check_period
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.stores.models import Store
from storeops.types import Money

SEGMENTS = ("champions", "loyal", "promising", "new", "at_risk", "lost", "needs_attention")


@dataclass(frozen=True, slots=True)
class BuyerRfm:
    """One buyer's figures and scores."""

    buyer_id: int
    recency_days: int
    frequency: int
    monetary: int  # minor units of the store's currency
    r: int
    f: int
    m: int
    segment: str


def rfm_table(t: ir.Table, *, end: dt.date, currency: str) -> ir.Table:
    """The RFM Ibis expression over paid order facts ``t`` (already filtered to store and period)."""
    paid = t.filter(t.is_paid)
    per_buyer = paid.group_by("buyer_id").aggregate(
        last_day=paid.day.max(),
        frequency=paid.count(),
        monetary=paid.total_amount.sum(where=paid.currency == currency).fill_null(0),
    )
    per_buyer = per_buyer.mutate(
        recency_days=ibis.literal(end).delta(per_buyer.last_day, unit="day"),
    )
    n = per_buyer.count().as_scalar()
    span = ibis.greatest(n - 1, 1)
    r_rank = ibis.rank().over(order_by=per_buyer.recency_days)
    m_rank = ibis.rank().over(order_by=per_buyer.monetary)
    scored = per_buyer.mutate(
        r=5 - ibis.least(4, (5 * r_rank) // span),
        m=1 + ibis.least(4, (5 * m_rank) // span),
        f=ibis.cases(
            (per_buyer.frequency >= 6, 5),
            (per_buyer.frequency >= 4, 4),
            (per_buyer.frequency == 3, 3),
            (per_buyer.frequency == 2, 2),
            else_=1,
        ),
    )
    segment = ibis.cases(
        ((scored.r >= 4) & (scored.f >= 4), "champions"),
        (scored.f >= 3, "loyal"),
        ((scored.r >= 4) & (scored.f == 2), "promising"),
        ((scored.r >= 4) & (scored.f == 1), "new"),
        ((scored.r <= 2) & (scored.f >= 2), "at_risk"),
        ((scored.r <= 2) & (scored.f == 1), "lost"),
        else_="needs_attention",
    )
    return scored.mutate(segment=segment)


def buyer_rfm(
    session: Session,
    *,
    actor: Actor,
    reader: BaseBackend,
    store_id: int,
    start: dt.date,
    end: dt.date,
    limit: int | None = None,
) -> list[BuyerRfm]:
    """7.2.3 RFM scores of the store's paying buyers over the period, best customers first."""
    actor.require(Permission.ANALYTICS_READ)
    store = get_scoped(session, Store, store_id, actor, what="store")
    check_period(start, end)
    t = reader.table("fact_orders")
    t = t.filter(t.store_id == store.id, t.day >= start, t.day <= end)
    table = rfm_table(t, end=end, currency=store.currency).order_by(
        [ibis.desc("m"), ibis.desc("r"), ibis.desc("f"), "buyer_id"]
    )
    if limit is not None:
        table = table.limit(limit)
    return [
        BuyerRfm(
            int(row["buyer_id"]),
            int(row["recency_days"]),
            int(row["frequency"]),
            int(row["monetary"]),
            int(row["r"]),
            int(row["f"]),
            int(row["m"]),
            str(row["segment"]),
        )
        for row in table.to_pyarrow().to_pylist()
    ]


def rfm_segments(
    session: Session,
    *,
    actor: Actor,
    reader: BaseBackend,
    store_id: int,
    start: dt.date,
    end: dt.date,
) -> dict[str, int]:
    """7.2.3 Paying buyers per RFM segment (every segment listed, zeros included)."""
    actor.require(Permission.ANALYTICS_READ)
    store = get_scoped(session, Store, store_id, actor, what="store")
    check_period(start, end)
    t = reader.table("fact_orders")
    t = t.filter(t.store_id == store.id, t.day >= start, t.day <= end)
    scored = rfm_table(t, end=end, currency=store.currency)
    counts = scored.group_by("segment").aggregate(buyers=scored.count()).to_pyarrow().to_pylist()
    found = {row["segment"]: int(row["buyers"]) for row in counts}
    return {segment: found.get(segment, 0) for segment in SEGMENTS}


def store_transactions(
    session: Session,
    *,
    actor: Actor,
    reader: BaseBackend,
    store_id: int,
    start: dt.date,
    end: dt.date,
) -> list[tuple[str, dt.date, Decimal]]:
    """9.2.5 The store's paid orders as (buyer id, store-local day, amount in major units).

    The input of ``storeops.analytics.clv`` for a store's own buyers; orders in a currency other
    than the store's are left out.
    """
    actor.require(Permission.ANALYTICS_READ)
    store = get_scoped(session, Store, store_id, actor, what="store")
    check_period(start, end)
    t = reader.table("fact_orders")
    t = t.filter(
        t.store_id == store.id,
        t.day >= start,
        t.day <= end,
        t.is_paid,
        t.currency == store.currency,
    )
    rows = t.select("buyer_id", "day", "total_amount", "order_id").order_by(["day", "order_id"])
    return [
        (str(r["buyer_id"]), r["day"], Money(int(r["total_amount"]), store.currency).decimal)
        for r in rows.to_pyarrow().to_pylist()
    ]
