"""9.2.4 repeat-purchase follow-up and 9.2.5 a predicted-sales plan per buyer, from the buyers'
order history (a simple interval model until the analytics issue's model is available).

For a buyer with at least two paid orders: interval = mean days between consecutive orders;
next order expected = last order + interval; expected value = mean total of the last three
orders. A buyer is *due* from the expected day and *overdue* once half an interval more has
passed — the follow-up list for 9.2.4.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.crm.models import Buyer
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Order
from storeops.types import Money, utcnow

COUNTED = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


@dataclass(frozen=True, slots=True)
class BuyerPlan:
    buyer_id: int
    buyer: str
    store_id: int
    orders: int
    last_order_on: dt.date
    interval_days: float | None
    next_order_on: dt.date | None
    expected_value: Money
    state: str  # one_order | not_due | due | overdue


def buyer_plans(
    session: Session, *, actor: Actor, today: dt.date | None = None, business_only: bool = True
) -> list[BuyerPlan]:
    """9.2.5 The predicted next order (day and value) of each buyer; 9.2.4 due/overdue first."""
    actor.require(Permission.ORDERS_READ)
    today = today or utcnow().date()
    stmt = (
        select(Order, Buyer)
        .join(Buyer, Buyer.id == Order.buyer_id)
        .where(Order.store_id.in_(sorted(actor.store_ids)), Order.status.in_(COUNTED))
        .order_by(Order.placed_at, Order.id)
    )
    if business_only:
        stmt = stmt.where(Buyer.company_name.is_not(None))
    history: dict[int, list[Order]] = defaultdict(list)
    buyers: dict[int, Buyer] = {}
    for order, buyer in session.execute(stmt):
        history[buyer.id].append(order)
        buyers[buyer.id] = buyer
    out = []
    for buyer_id, orders in history.items():
        days = [o.placed_at.date() for o in orders]
        recent = orders[-3:]
        value = Money(round(sum(o.total_amount for o in recent) / len(recent)), recent[-1].currency)
        if len(orders) < 2:
            interval, nxt, state = None, None, "one_order"
        else:
            interval = (days[-1] - days[0]).days / (len(days) - 1)
            nxt = days[-1] + dt.timedelta(days=round(interval))
            if today < nxt:
                state = "not_due"
            elif today <= nxt + dt.timedelta(days=round(interval / 2)):
                state = "due"
            else:
                state = "overdue"
        b = buyers[buyer_id]
        out.append(BuyerPlan(
            buyer_id=buyer_id, buyer=b.company_name or b.handle, store_id=orders[-1].store_id,
            orders=len(orders), last_order_on=days[-1],
            interval_days=round(interval, 1) if interval is not None else None,
            next_order_on=nxt, expected_value=value, state=state,
        ))  # fmt: skip
    rank = {"overdue": 0, "due": 1, "not_due": 2, "one_order": 3}
    out.sort(key=lambda p: (rank[p.state], p.next_order_on or dt.date.max, p.buyer_id))
    return out
