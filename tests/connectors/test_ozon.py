"""OZON FBS postings from the Seller API fixtures."""

from __future__ import annotations

import datetime as dt

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


def run(session: Session, store_id: int, actor, name: str) -> ImportJob:
    data = (FIXTURES / "ozon" / name).read_bytes()
    job = service.start_import(
        session,
        store_id=store_id,
        platform="ozon",
        report="postings",
        file_name=name,
        data=data,
        actor=actor,
    )
    return service.execute_import(session, job=job, data=data, actor=actor)


def test_both_posting_lists_are_imported_with_their_values(session: Session) -> None:
    store, actor = amazon_store(session, platform=Platform.OZON, site="RU", currency="RUB")
    first = run(session, store.id, actor, "fbs_get_fbs_shipments_list_response.json")
    second = run(session, store.id, actor, "fbs_list_unprocessed_shipments_response.json")
    assert (first.status, second.status) == (ImportStatus.SUCCEEDED, ImportStatus.SUCCEEDED)
    rows = session.execute(
        select(
            Order.external_id, Order.status, Order.placed_at, Order.total_amount, Order.country,
            Sku.code, Listing.external_id, OrderLine.quantity, OrderLine.unit_price_amount,
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(Sku, Sku.id == OrderLine.sku_id)
        .join(Listing, Listing.id == OrderLine.listing_id)
        .where(Order.store_id == store.id)
        .order_by(Order.external_id)
    ).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [
        ("05708065-0029-1", OrderStatus.PAID, dt.datetime(2022, 5, 13, 7, 7, 32, tzinfo=dt.UTC),
         139000, "RU", "205953", "358924380", 1, 139000),
        ("23713478-0018-3", OrderStatus.PAID, dt.datetime(2021, 8, 25, 10, 48, 38, tzinfo=dt.UTC),
         125900, "RU", "УТ-0001365", "140048123", 1, 125900),
    ]  # fmt: skip


def test_a_response_of_another_endpoint_is_refused(session: Session) -> None:
    import pytest

    from storeops.connectors.errors import FileRefused

    store, actor = amazon_store(session, platform=Platform.OZON, site="RU", currency="RUB")
    with pytest.raises(FileRefused, match="expected result.postings"):
        run(session, store.id, actor, "finance_list_transactions_response.json")
