"""Amazon all-orders flat file: values, idempotency, status flow, refusals, partial imports."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.connectors import service
from storeops.connectors.enums import ImportStatus
from storeops.connectors.errors import FileRefused
from storeops.connectors.models import ImportJob
from storeops.crm.models import Buyer
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Order, OrderLine
from tests.connectors.factories import ALL_ORDERS_HEADER, amazon_store, order_row, tsv


def run(session: Session, store_id: int, actor, data: bytes, **options) -> ImportJob:
    force = options.pop("force", False)
    job = service.start_import(
        session,
        store_id=store_id,
        platform="amazon",
        report="all-orders",
        file_name="orders.txt",
        data=data,
        actor=actor,
        **options,
    )
    return service.execute_import(session, job=job, data=data, actor=actor, force=force)


def orders_of(session: Session, store_id: int) -> dict[str, Order]:
    return {
        o.external_id: o for o in session.scalars(select(Order).where(Order.store_id == store_id))
    }


def test_two_item_order_and_a_cancelled_one_are_imported_with_their_values(
    session: Session,
) -> None:
    store, actor = amazon_store(session)
    data = tsv(
        ALL_ORDERS_HEADER,
        [
            # 2 x 12.50 = 25.00 plus 3.99 shipping, 2.00 promotion (printed negative)
            order_row(
                "111-0000001-0000001",
                sku="A-1",
                asin="B00000000A",
                quantity="2",
                price="25.00",
                shipping="3.99",
                item_discount="-2.00",
            ),
            order_row("111-0000001-0000001", sku="B-2", asin="B00000000B", price="10.00"),
            order_row(
                "111-0000002-0000002",
                sku="A-1",
                asin="B00000000A",
                status="Cancelled",
                item_status="Cancelled",
                quantity="0",
                price="",
                country="",
            ),
        ],
    )
    job = run(session, store.id, actor, data)
    assert job.status == ImportStatus.SUCCEEDED, job.message
    assert (job.rows_total, job.rows_imported, job.rows_failed) == (3, 3, 0)
    orders = orders_of(session, store.id)
    first = orders["111-0000001-0000001"]
    assert first.status == OrderStatus.SHIPPED
    assert (first.subtotal_amount, first.shipping_amount, first.discount_amount) == (3500, 399, 200)
    assert first.total_amount == 3500 + 399 - 200
    assert first.placed_at == dt.datetime(2024, 3, 1, 10, tzinfo=dt.UTC)
    assert first.country == "US"
    lines = session.execute(
        select(OrderLine.quantity, OrderLine.unit_price_amount, OrderLine.line_amount)
        .where(OrderLine.order_id == first.id)
        .order_by(OrderLine.line_amount)
    ).all()
    assert [tuple(r) for r in lines] == [(1, 1000, 1000), (2, 1250, 2500)]
    cancelled = orders["111-0000002-0000002"]
    assert cancelled.status == OrderStatus.CANCELLED
    assert cancelled.total_amount == 0
    assert cancelled.country == "US"  # blank ship-country: the store's site
    assert job.counts["orders"] == {"inserted": 2, "updated": 0, "unchanged": 0}
    assert job.counts["order_lines"]["inserted"] == 3
    buyers = session.scalars(select(Buyer.handle).where(Buyer.store_id == store.id)).all()
    assert buyers == ["amazon-anon-US"]


def test_same_file_twice_and_an_overlapping_file_create_nothing_twice(session: Session) -> None:
    store, actor = amazon_store(session)
    first = tsv(
        ALL_ORDERS_HEADER, [order_row("111-1"), order_row("111-2", sku="S2", asin="B000000002")]
    )
    assert run(session, store.id, actor, first).status == ImportStatus.SUCCEEDED
    again = run(session, store.id, actor, first)
    assert again.status == ImportStatus.SKIPPED
    forced = run(session, store.id, actor, first, force=True)
    assert forced.status == ImportStatus.SUCCEEDED
    assert forced.counts["orders"] == {"inserted": 0, "updated": 0, "unchanged": 2}
    assert forced.counts["order_lines"] == {"inserted": 0, "updated": 0, "unchanged": 2}
    # overlapping: 111-2 again (now delivered), 111-3 new
    overlap = tsv(
        ALL_ORDERS_HEADER,
        [
            order_row("111-2", sku="S2", asin="B000000002", status="Shipped - Delivered to Buyer"),
            order_row("111-3"),
        ],
    )
    job = run(session, store.id, actor, overlap)
    assert job.counts["orders"] == {"inserted": 1, "updated": 1, "unchanged": 0}
    orders = orders_of(session, store.id)
    assert sorted(orders) == ["111-1", "111-2", "111-3"]
    assert orders["111-2"].status == OrderStatus.DELIVERED
    assert (
        session.scalar(
            select(func.count()).select_from(OrderLine).where(OrderLine.store_id == store.id)
        )
        == 3
    )


def test_an_older_file_cannot_move_an_order_back_along_its_status_flow(session: Session) -> None:
    store, actor = amazon_store(session)
    run(
        session,
        store.id,
        actor,
        tsv(ALL_ORDERS_HEADER, [order_row("111-9", status="Shipped - Delivered to Buyer")]),
    )
    job = run(
        session, store.id, actor, tsv(ALL_ORDERS_HEADER, [order_row("111-9", status="Unshipped")])
    )
    assert job.counts["orders"]["kept_newer_status"] == 1
    assert orders_of(session, store.id)["111-9"].status == OrderStatus.DELIVERED


def test_bad_rows_reject_the_whole_file_by_default(session: Session) -> None:
    store, actor = amazon_store(session)
    data = tsv(
        ALL_ORDERS_HEADER,
        [
            order_row("111-1"),
            order_row("111-2", price="abc"),
            order_row("111-3", purchased="31/02/2024 10:00:00 PST"),
            order_row("111-4", status="Lost"),
        ],
    )
    job = run(session, store.id, actor, data)
    assert job.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"], e["reason"]) for e in job.errors] == [
        (3, "item-price", "is not an amount"),
        (4, "purchase-date", "is not a valid date"),
        (5, "order-status", "is not an Amazon order status"),
    ]
    assert orders_of(session, store.id) == {}


def test_partial_imports_good_orders_and_leaves_out_orders_with_a_bad_row(session: Session) -> None:
    store, actor = amazon_store(session)
    data = tsv(
        ALL_ORDERS_HEADER,
        [
            order_row("111-1"),
            order_row("111-2", sku="X"),
            order_row("111-2", sku="Y", quantity="-1"),
        ],
    )
    job = run(session, store.id, actor, data, partial=True)
    assert job.status == ImportStatus.PARTIAL
    assert (job.rows_total, job.rows_imported, job.rows_failed) == (3, 1, 2)
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (4, "quantity"),
        (3, "amazon-order-id"),
    ]
    assert sorted(orders_of(session, store.id)) == ["111-1"]


def test_dry_run_counts_what_it_would_do_and_writes_nothing(session: Session) -> None:
    store, actor = amazon_store(session)
    job = run(session, store.id, actor, tsv(ALL_ORDERS_HEADER, [order_row("111-1")]), dry_run=True)
    assert job.status == ImportStatus.SUCCEEDED
    assert job.counts["orders"]["inserted"] == 1
    assert orders_of(session, store.id) == {}


def test_wrong_marketplace_wrong_currency_and_wrong_platform_are_refused(session: Session) -> None:
    store, actor = amazon_store(session, site="DE", currency="EUR")
    with pytest.raises(FileRefused, match=r"Amazon\.com.*Amazon DE"):
        run(session, store.id, actor, tsv(ALL_ORDERS_HEADER, [order_row("1", currency="EUR")]))
    job = run(
        session, store.id, actor, tsv(ALL_ORDERS_HEADER, [order_row("1", channel="Amazon.de")])
    )
    assert job.errors[0]["column"] == "currency"
    from storeops.stores.enums import Platform

    ebay, ebay_actor = amazon_store(session, platform=Platform.EBAY)
    with pytest.raises(FileRefused, match="ebay store"):
        run(session, ebay.id, ebay_actor, tsv(ALL_ORDERS_HEADER, [order_row("1")]))
    assert orders_of(session, store.id) == {}


def test_archived_orders_fixture_is_recognised_and_its_placeholder_rows_are_row_errors(
    session: Session,
) -> None:
    from tests.connectors.factories import FIXTURES

    store, actor = amazon_store(session)
    data = (
        FIXTURES / "amazon-reports" / "GET_FLAT_FILE_ARCHIVED_ORDERS_DATA_BY_ORDER_DATE.csv"
    ).read_bytes()
    job = run(session, store.id, actor, data)
    # Airbyte's mock repeats the header names as values: every row is refused, by column
    assert job.status == ImportStatus.REJECTED
    assert job.rows_total == 2
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (2, "order-status"),
        (3, "order-status"),
    }


def test_an_xlsx_export_imports_like_the_flat_file(session: Session) -> None:
    import io

    from openpyxl import Workbook

    store, actor = amazon_store(session)
    book = Workbook()
    sheet = book.active
    sheet.append(ALL_ORDERS_HEADER)
    sheet.append(order_row("111-7", price="12.5", quantity="2"))
    out = io.BytesIO()
    book.save(out)
    job = run(session, store.id, actor, out.getvalue())
    assert (job.status, job.file_format) == (ImportStatus.SUCCEEDED, "xlsx")
    assert orders_of(session, store.id)["111-7"].subtotal_amount == 1250


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("\t".join(ALL_ORDERS_HEADER).encode() + b"\r\n", "header but no data rows"),
        (("\t".join([*ALL_ORDERS_HEADER, "sku"]) + "\n").encode(), "names column 'sku' twice"),
        (b"", "is empty"),
    ],
)
def test_header_only_duplicated_headers_and_empty_files_are_refused(
    session: Session, data: bytes, reason: str
) -> None:
    store, actor = amazon_store(session)
    with pytest.raises(FileRefused, match=reason):
        run(session, store.id, actor, data)
    assert orders_of(session, store.id) == {}
