"""The money records of a payout period, attributed to orders: what profit, FX gain/loss and the
payout reconciliation are built from (9.3.2 / 9.3.3)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.finance.models import Payment, Payout, PlatformFee
from storeops.orders.enums import RefundStatus
from storeops.orders.models import Order, RefundRequest

ADVERTISING = "advertising"


@dataclass(frozen=True, slots=True)
class Component:
    """One money movement of an order in the store's currency: +payment, -fee, -refund."""

    store_id: int
    order_id: int | None
    kind: str  # payment | fee:<kind> | refund | cancellation | advertising
    amount: int  # signed, store currency minor units
    currency: str
    day: dt.date  # UTC day, as payout periods count


def store_components(session: Session, *, store_ids: list[int]) -> list[Component]:
    """Every payment, platform fee and refund of the stores, signed, with its UTC day.

    Refunds: an order cancelled after payment gives back what was paid before the cancellation;
    a refunded order gives back its approved refund requests.
    """
    out: list[Component] = []
    paid_by_order: dict[int, list[tuple[dt.datetime, int]]] = defaultdict(list)
    for p in session.scalars(select(Payment).where(Payment.store_id.in_(store_ids))):
        out.append(Component(p.store_id, p.order_id, "payment", p.amount, p.currency,
                             p.received_at.date()))  # fmt: skip
        paid_by_order[p.order_id].append((p.received_at, p.amount))
    for f in session.scalars(select(PlatformFee).where(PlatformFee.store_id.in_(store_ids))):
        kind = ADVERTISING if f.kind == ADVERTISING else f"fee:{f.kind}"
        out.append(Component(f.store_id, f.order_id, kind, -f.amount, f.currency,
                             f.charged_at.date()))  # fmt: skip
    approved: dict[int, int] = defaultdict(int)
    for r in session.scalars(
        select(RefundRequest).where(
            RefundRequest.store_id.in_(store_ids), RefundRequest.status == RefundStatus.APPROVED
        )
    ):
        approved[r.order_id] += r.amount
    for o in session.scalars(
        select(Order).where(
            Order.store_id.in_(store_ids),
            (Order.cancelled_at.is_not(None)) | (Order.refunded_at.is_not(None)),
        )
    ):
        if o.cancelled_at is not None:
            back = sum(a for at, a in paid_by_order.get(o.id, []) if at <= o.cancelled_at)
            if back:
                out.append(Component(o.store_id, o.id, "cancellation", -back, o.currency,
                                     o.cancelled_at.date()))  # fmt: skip
        if o.refunded_at is not None and approved.get(o.id):
            out.append(Component(o.store_id, o.id, "refund", -approved[o.id], o.currency,
                                 o.refunded_at.date()))  # fmt: skip
    return out


def in_payout(component: Component, payout: Payout) -> bool:
    """Whether the payout's period covers the component (advertising charges included: the
    platform deducts them from the payout of the period they are charged in)."""
    return (
        component.store_id == payout.store_id
        and payout.period_start <= component.day <= payout.period_end
    )
