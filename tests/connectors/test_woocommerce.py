"""WooCommerce REST API v3 order payloads, taken from the JSON examples of the fixture docs."""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.connectors import service
from storeops.connectors.enums import ImportStatus
from storeops.connectors.models import ImportJob
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Order, OrderLine
from storeops.stores.enums import Platform
from tests.connectors.factories import FIXTURES, amazon_store

DOC = (FIXTURES / "woocommerce" / "_orders.md").read_text()
EXAMPLES = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", DOC, re.S)]


def run(session: Session, store_id: int, actor, payload: object) -> ImportJob:
    data = json.dumps(payload).encode()
    job = service.start_import(
        session,
        store_id=store_id,
        platform="woocommerce",
        report="orders",
        file_name="orders.json",
        data=data,
        actor=actor,
    )
    return service.execute_import(session, job=job, data=data, actor=actor, force=True)


def test_the_documented_orders_are_imported_with_their_values(session: Session) -> None:
    store, actor = amazon_store(session, platform=Platform.WOOCOMMERCE)
    listed = next(e for e in EXAMPLES if isinstance(e, list))  # "List all orders": 727 and 723
    job = run(session, store.id, actor, listed)
    assert job.status == ImportStatus.SUCCEEDED, (job.message, job.errors)
    orders = {
        o.external_id: o for o in session.scalars(select(Order).where(Order.store_id == store.id))
    }
    assert sorted(orders) == ["723", "727"]
    order = orders["727"]
    # 2 x 3.00 + 1 x 12.00 = 18.00, shipping 10.00, tax 1.35 (not in storeops' total) → 29.35
    assert (order.subtotal_amount, order.shipping_amount, order.discount_amount) == (1800, 1000, 0)
    assert order.total_amount == 2800
    assert order.status == OrderStatus.PAID  # "processing"
    assert order.placed_at == dt.datetime(2017, 3, 22, 19, 28, 2, tzinfo=dt.UTC)
    lines = session.execute(
        select(OrderLine.quantity, OrderLine.unit_price_amount, OrderLine.line_amount)
        .where(OrderLine.order_id == order.id)
        .order_by(OrderLine.line_amount)
    ).all()
    assert [tuple(x) for x in lines] == [(2, 300, 600), (1, 1200, 1200)]
    # "Update an order" answers the same order completed: the status moves on, nothing doubles
    updated = next(e for e in EXAMPLES if isinstance(e, dict) and e.get("status") == "completed")
    again = run(session, store.id, actor, updated)
    assert again.counts["orders"] == {"inserted": 0, "updated": 1, "unchanged": 0}
    session.refresh(order)
    assert order.status == OrderStatus.SHIPPED


def test_an_order_whose_total_does_not_reconcile_is_refused(session: Session) -> None:
    store, actor = amazon_store(session, platform=Platform.WOOCOMMERCE)
    broken = dict(next(e for e in EXAMPLES if isinstance(e, dict) and "line_items" in e))
    broken["total"] = "30.35"
    job = run(session, store.id, actor, broken)
    assert job.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"]) for e in job.errors] == [(1, "total")]
