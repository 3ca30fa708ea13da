"""Shopify REST Admin API order payloads from the fixtures."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.catalog.models import Listing, Sku
from storeops.connectors import service
from storeops.connectors.enums import ImportStatus
from storeops.connectors.models import ImportJob
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Order, OrderLine
from storeops.stores.enums import Platform
from tests.connectors.factories import FIXTURES, amazon_store

ORDER = FIXTURES / "shopify" / "order.json"
ORDERS = FIXTURES / "shopify" / "orders.json"


def run(session: Session, store_id: int, actor, data: bytes) -> ImportJob:
    job = service.start_import(
        session,
        store_id=store_id,
        platform="shopify",
        report="orders",
        file_name="orders.json",
        data=data,
        actor=actor,
    )
    return service.execute_import(session, job=job, data=data, actor=actor, force=True)


def test_the_fixtures_are_refused_item_by_item_with_the_reason(session: Session) -> None:
    store, actor = amazon_store(session, platform=Platform.SHOPIFY)
    # order.json: three line items of 199.00 (597.00) but total_line_items_price says 398.00
    job = run(session, store.id, actor, ORDER.read_bytes())
    assert job.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"], e["reason"]) for e in job.errors] == [
        (1, "total_line_items_price", "is not the sum of the line items (597.00)")
    ]
    # orders.json: the list endpoint's order carries no line_items
    job = run(session, store.id, actor, ORDERS.read_bytes())
    assert [(e["row"], e["column"]) for e in job.errors] == [(1, "line_items")]


def test_a_consistent_order_is_imported_with_its_values(session: Session) -> None:
    store, actor = amazon_store(session, platform=Platform.SHOPIFY)
    payload = json.loads(ORDER.read_text())
    payload["order"]["line_items"] = payload["order"]["line_items"][:2]  # 2 x 199.00 = 398.00
    job = run(session, store.id, actor, json.dumps(payload).encode())
    assert job.status == ImportStatus.SUCCEEDED, job.message
    order = session.scalars(select(Order).where(Order.store_id == store.id)).one()
    assert order.external_id == "450789469"
    assert order.status == OrderStatus.PAID  # financial_status "authorized", not fulfilled
    # 398.00 of line items, free shipping, no discount; tax (11.94) is not in storeops' total
    assert (order.subtotal_amount, order.shipping_amount, order.discount_amount) == (39800, 0, 0)
    assert order.total_amount == 39800
    assert order.placed_at == dt.datetime(2008, 1, 10, 16, tzinfo=dt.UTC)  # 11:00 at -05:00
    assert order.country == "US"
    lines = session.execute(
        select(Sku.code, Listing.external_id, OrderLine.quantity, OrderLine.line_amount)
        .join(Sku, Sku.id == OrderLine.sku_id)
        .join(Listing, Listing.id == OrderLine.listing_id)
        .where(OrderLine.order_id == order.id)
        .order_by(Sku.code)
    ).all()
    assert [tuple(x) for x in lines] == [
        ("IPOD2008GREEN", "632910392", 1, 19900),
        ("IPOD2008RED", "632910392", 1, 19900),
    ]
