"""The warehouse: Arrow copies of the ops tables, incremental syncs equal to a rebuild, both backends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from storeops.analytics.warehouse import (
    TABLES,
    WarehouseError,
    rebuild_warehouse,
    sync_warehouse,
    table_rows,
)
from storeops.db import make_engine
from storeops.marketing.models import ListingTrafficDaily
from storeops.migrations import upgrade
from storeops.orders.enums import OrderStatus, RefundStatus
from storeops.orders.models import Order, OrderLine, RefundRequest
from storeops.simulate.generate import simulate
from storeops.simulate.scales import parse_scale
from storeops.stores.models import Store
from tests.conftest import new_database_url

COMPARED = [t.target for t in TABLES] + ["fact_orders", "fact_order_lines", "daily_orders"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def tiny_company(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine]]:
    url = new_database_url(request.param, tmp_path_factory.mktemp("ops"))
    upgrade(url)
    engine = make_engine(url)
    simulate(engine, seed=5, scale=parse_scale("tiny"), company_name="Warehouse Co")
    yield url, engine
    engine.dispose()


def _change_the_ops_database(engine: Engine) -> dict[str, int]:
    """New orders, lines, a refund; orders moving on; a restated traffic day. Committed."""
    with Session(engine) as session, session.begin():
        last_paid = session.scalars(
            select(Order).where(Order.status == OrderStatus.PAID).order_by(Order.id.desc())
        ).first()
        assert last_paid is not None
        shipped_at = dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC)
        last_paid.status = OrderStatus.SHIPPED
        last_paid.shipped_at = shipped_at
        template = session.scalars(select(OrderLine).order_by(OrderLine.id)).first()
        assert template is not None
        source = session.get(Order, template.order_id)
        assert source is not None
        new_lines = 0
        max_id = session.scalar(select(func.max(Order.id))) or 0
        max_line = session.scalar(select(func.max(OrderLine.id))) or 0
        for n in range(3):
            placed = dt.datetime(2026, 10, 1, 20 + n, 15, tzinfo=dt.UTC)
            order = Order(
                id=max_id + 1 + n,
                store_id=source.store_id,
                external_id=f"NEW-{n}",
                buyer_id=source.buyer_id,
                kind=source.kind,
                status=OrderStatus.PAID,
                country=source.country,
                currency=source.currency,
                subtotal_amount=1000 * (n + 1),
                shipping_amount=0,
                discount_amount=0,
                total_amount=1000 * (n + 1),
                traffic_source="paid",
                placed_at=placed,
                paid_at=placed + dt.timedelta(minutes=5),
            )
            session.add(order)
            session.flush()
            for k in range(n + 1):
                new_lines += 1
                session.add(
                    OrderLine(
                        id=max_line + new_lines,
                        order_id=order.id,
                        store_id=order.store_id,
                        listing_id=template.listing_id,
                        sku_id=template.sku_id,
                        quantity=k + 1,
                        unit_price_amount=1000,
                        line_amount=1000 * (k + 1),
                        currency=order.currency,
                    )
                )
        session.add(
            RefundRequest(
                store_id=source.store_id,
                order_id=max_id + 1,
                reason="damaged",
                amount=1000,
                currency=source.currency,
                requested_at=dt.datetime(2026, 10, 3, tzinfo=dt.UTC),
                status=RefundStatus.REQUESTED,
            )
        )
        latest_day = session.scalar(select(func.max(ListingTrafficDaily.day)))
        restated = session.scalars(
            select(ListingTrafficDaily).where(ListingTrafficDaily.day == latest_day)
        ).first()
        assert restated is not None
        restated.clicks += 7
        session.execute(
            update(ListingTrafficDaily)
            .where(ListingTrafficDaily.id == restated.id)
            .values(clicks=restated.clicks)
        )
        return {"lines": new_lines, "changed_order": last_paid.id}


def test_incremental_sync_reads_only_new_rows_and_equals_a_rebuild(
    tiny_company: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = tiny_company
    incremental = tmp_path / "incremental.duckdb"
    first = sync_warehouse(url, incremental)
    with Session(engine) as session:
        ops_orders = session.scalar(select(func.count()).select_from(Order))
        ops_lines = session.scalar(select(func.count()).select_from(OrderLine))
    assert first.orders_refreshed == ops_orders
    again = sync_warehouse(url, incremental)
    by_table = {t.table: t.rows_read for t in again.tables}
    assert by_table["order_lines"] == 0  # lines never change: nothing new, nothing read
    assert by_table["buyers"] == 0

    changes = _change_the_ops_database(engine)
    after = sync_warehouse(url, incremental)
    by_table = {t.table: t.rows_read for t in after.tables}
    assert by_table["order_lines"] == changes["lines"] == 6
    assert by_table["refund_requests"] >= 1
    assert by_table["orders"] < (ops_orders or 0) // 4  # new and changed orders, not all of them

    rebuilt = tmp_path / "rebuilt.duckdb"
    rebuild_warehouse(url, rebuilt)
    assert table_rows(incremental, COMPARED) == table_rows(rebuilt, COMPARED)

    con = duckdb.connect(str(rebuilt), read_only=True)
    try:
        lines = con.execute("SELECT count(*) FROM fact_order_lines").fetchall()[0][0]
        assert lines == (ops_lines or 0) + 6
        changed = con.execute(
            "SELECT status, shipped FROM fact_orders WHERE order_id = ?", [changes["changed_order"]]
        ).fetchall()
        assert changed == [("shipped", False)]  # status moved; no shipment row was written
        new = con.execute(
            "SELECT f.line_count, f.units, f.total_amount, f.refund_requested "
            "FROM fact_orders f JOIN ops_orders o ON o.id = f.order_id "
            "WHERE o.external_id LIKE 'NEW-%' ORDER BY f.order_id"
        )
        # order n has n+1 lines of quantities 1..n+1
        assert new.fetchall() == [(1, 1, 1000, True), (2, 3, 2000, False), (3, 6, 3000, False)]
    finally:
        con.close()


def test_timestamps_arrive_as_utc_timestamps_and_local_days_follow_the_store_timezone(
    tiny_company: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = tiny_company
    path = tmp_path / "w.duckdb"
    rebuild_warehouse(url, path)
    with Session(engine) as session:
        order = session.scalars(select(Order).order_by(Order.id)).first()
        assert order is not None
        store = session.get(Store, order.store_id)
        assert store is not None
        expected_day = order.placed_at.astimezone(ZoneInfo(store.timezone))
    con = duckdb.connect(str(path), read_only=True)
    try:
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'ops_orders'"
            ).fetchall()
        )
        assert types["placed_at"] == types["paid_at"] == "TIMESTAMP"
        placed_at, day = con.execute(
            "SELECT placed_at, day FROM fact_orders WHERE order_id = ?", [order.id]
        ).fetchall()[0]
    finally:
        con.close()
    assert placed_at == order.placed_at.replace(tzinfo=None)
    assert day == expected_day.date()


def test_a_warehouse_of_another_database_is_refused(
    tiny_company: tuple[str, Engine], tmp_path: Path
) -> None:
    url, _ = tiny_company
    path = tmp_path / "w.duckdb"
    rebuild_warehouse(url, path)
    other = new_database_url("sqlite", tmp_path)
    upgrade(other)
    with pytest.raises(WarehouseError, match="another database"):
        sync_warehouse(other, path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE _sync_meta SET value = '0' WHERE key = 'schema'")
    con.close()
    with pytest.raises(WarehouseError, match="another version of storeops"):
        sync_warehouse(url, path)
    rebuild_warehouse(url, path)  # the way out
    # only rows stamped at the watermarks are read again (the comparison is >=, for ties)
    assert sync_warehouse(url, path).orders_refreshed < 10
