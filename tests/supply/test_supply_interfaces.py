"""Supply through the API, the CLI and the console."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.auth.models import User
from storeops.catalog.models import Product, Supplier
from storeops.cli.main import app as cli
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from storeops.types import utcnow
from tests.factories import make_company, make_member, make_store
from tests.logistics.browser import signed_in_page
from tests.logistics.factories import make_order, make_sku

TODAY = utcnow().date()


def _world(session: Session) -> tuple[object, object, int, int]:
    company = make_company(session, name="Alpha")
    store = make_store(session, company=company, name="A1")
    supplier = Supplier(company_id=company.id, name="Yiwu Audio Factory", province="Zhejiang",
                        city="Yiwu", kind="factory", rating=4, lead_time_days=9, moq=20)  # fmt: skip
    session.add(supplier)
    session.flush()
    sku, listing = make_sku(session, store=store)
    session.get_one(Product, sku.product_id).supplier_id = supplier.id
    placed = dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time(9), dt.UTC)
    make_order(session, store=store, lines=[(sku, listing, 28, 1999)], placed_at=placed)
    return company, store, supplier.id, sku.id


def test_api_purchase_receipt_stock_and_plan(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company, store, supplier_id, sku_id = _world(session)
        tokens = {}
        for role in (Role.OPERATOR, Role.VIEWER):
            _u, actor = make_member(session, company=company, role=role, stores=[store])
            tokens[role] = auth_service.issue_token(session, actor=actor, name="t")[1]
    h = {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()}
    with TestClient(create_app(get_settings(), engine=engine, console=False)) as client:
        op = h[Role.OPERATOR]
        assert client.get(f"{API_PREFIX}/supply/stock", headers=h[Role.VIEWER]).status_code == 403
        wid = client.post(f"{API_PREFIX}/supply/warehouses", headers=op,
                          json={"code": "ywu", "kind": "own", "country": "CN"}).json()["id"]  # fmt: skip
        po = client.post(f"{API_PREFIX}/supply/purchase-orders", headers=op, json={
            "supplier_id": supplier_id, "number": "PO-1",
            "lines": [{"sku_id": sku_id, "quantity": 10, "unit_cost": "20.00"}]}).json()  # fmt: skip
        assert client.post(f"{API_PREFIX}/supply/purchase-orders/{po['id']}/place",
                           headers=op).json()["status"] == "ordered"  # fmt: skip
        with session_scope(engine) as session:
            from sqlalchemy import select

            from storeops.supply.models import PurchaseOrderLine

            line_id = session.scalar(select(PurchaseOrderLine.id))
        got = client.post(f"{API_PREFIX}/supply/purchase-orders/{po['id']}/receipts", headers=op,
                          json={"warehouse_id": wid, "quantities": {str(line_id): 10}})  # fmt: skip
        assert got.json() == {"status": "received", "units": 10}
        assert client.get(f"{API_PREFIX}/supply/stock", headers=op).json()[0]["on_hand"] == 10
        [plan] = client.get(f"{API_PREFIX}/supply/replenishment", headers=op).json()
        # 28 units in the 28-day window → 1.0 a day; 10 on hand → 10 days of cover
        assert (plan["daily_demand"], plan["on_hand"], plan["days_of_cover"]) == (1.0, 10, 10.0)
    engine.dispose()


def test_cli_stock_and_replenish(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        _world(session)
    engine.dispose()
    result = CliRunner().invoke(cli, ["supply", "replenish", "-f", "json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    # nothing on hand or on order: order ⌈ROP + 7 days⌉ (at least the MOQ of 20)
    assert row["on_hand"] == 0 and row["suggested_order"] >= 20
    # d = 1.0 a day: ⌈ROP + 1.0 x 7⌉ − 0 on hand − 0 on order, at least the MOQ
    assert row["suggested_order"] == max(20, row["reorder_point"] + 7)


@pytest.mark.browser
def test_supply_page(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    def prepare(session: Session) -> str:
        _world(session)
        user = session.query(User).order_by(User.id).first()
        assert user is not None
        user.locale = "en"
        return user.email

    with signed_in_page(tmp_path, prepare) as (page, base):
        page.goto(f"{base}/supply")
        expect(page.get_by_text("Replenishment", exact=True)).to_be_visible()
        expect(page.get_by_role("cell", name="SKU-", exact=False).first).to_be_visible()
