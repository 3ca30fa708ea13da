"""The finance API and CLI on the hand-built books; finance fields hidden from other roles."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.cli.main import app as cli
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from storeops.logistics.models import Shipment
from tests.factories import make_member
from tests.finance.test_money import build_books


def test_api_profit_fx_and_finance_fields_by_role(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company, store, _a, order_a, *_x = build_books(session)
        tokens = {}
        for role in (Role.FINANCE, Role.OPERATOR, Role.VIEWER):
            _u, actor = make_member(session, company=company, role=role, stores=[store])
            tokens[role] = auth_service.issue_token(session, actor=actor, name="t")[1]
        shipment_id = session.query(Shipment.id).filter(Shipment.order_id == order_a.id).scalar()
        store_id = store.id
    h = {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()}
    with TestClient(create_app(get_settings(), engine=engine, console=False)) as client:
        for path in ("/finance/profit", "/finance/balances", "/finance/fx-results",
                     "/finance/payout-reconciliation"):  # fmt: skip
            for role in (Role.OPERATOR, Role.VIEWER):
                assert client.get(API_PREFIX + path, headers=h[role]).status_code == 403, path
        stores = client.get(f"{API_PREFIX}/finance/profit?by=store", headers=h[Role.FINANCE]).json()
        assert stores["base_currency"] == "CNY"
        assert stores["rows"] == [{"store_id": store_id, "sale": 105000, "platform_fees": 10500,
                                   "advertising": 7000, "shipping": 4000, "landed_cost": 40000,
                                   "refunds": 14000, "fx": 2100, "profit": 31600}]  # fmt: skip
        gains = client.get(f"{API_PREFIX}/finance/fx-results", headers=h[Role.FINANCE]).json()
        assert [(g["booked"], g["gain"]) for g in gains] == [("735.00 CNY", "21.00 CNY")]
        rec = client.get(f"{API_PREFIX}/finance/payout-reconciliation", headers=h[Role.FINANCE])
        assert [p["difference"] for p in rec.json()["payouts"]] == [0]
        # the carrier's fee on a shipment is a finance field
        seen = client.get(f"{API_PREFIX}/shipments/{shipment_id}", headers=h[Role.FINANCE]).json()
        hidden = client.get(f"{API_PREFIX}/shipments/{shipment_id}", headers=h[Role.VIEWER]).json()
        assert seen["shipping_fee"] == "40.00 CNY" and hidden["shipping_fee"] is None
        refused = client.post(f"{API_PREFIX}/finance/fx-settlements", headers=h[Role.FINANCE],
                              json={"amount": "1.00", "currency": "USD", "rate": "7.1",
                                    "channel": "BOC", "account": "corporate", "holder": "Co"})  # fmt: skip
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "insufficient_balance"
        # 9.3.5 through the API
        assert client.put(f"{API_PREFIX}/finance/rebate-rates", json={"hs_prefix": "8518",
                          "rate": "0.13"}, headers=h[Role.OPERATOR]).status_code == 403  # fmt: skip
        assert client.put(f"{API_PREFIX}/finance/rebate-rates", json={"hs_prefix": "8518",
                          "rate": "0.13"}, headers=h[Role.FINANCE]).status_code == 204  # fmt: skip
        case = client.post(f"{API_PREFIX}/finance/rebate-cases", headers=h[Role.FINANCE], json={
            "store_id": store_id, "declaration_no": "310120250001234567",
            "exported_on": "2025-03-03", "hs_code": "851822", "fob": "200.00",
            "fob_currency": "USD", "vat_invoices": [
                {"number": "04400123", "net": "1000.00", "vat": "130.00"}]})  # fmt: skip
        assert case.status_code == 201, case.text
        assert (case.json()["rebate_cny"], case.json()["deadline"]) == ("130.00 CNY", "2026-04-30")
        # 9.3.6 export
        xml = client.get(f"{API_PREFIX}/finance/payment-declaration?start=2025-03-01&end=2025-03-31"
                         "&format=xml", headers=h[Role.FINANCE])  # fmt: skip
        assert xml.headers["content-type"].startswith("application/xml")
        assert xml.text.count("<Payment>") == 2
        csv_text = client.get(f"{API_PREFIX}/finance/payment-declaration?start=2025-03-01"
                              "&end=2025-03-31", headers=h[Role.FINANCE]).text  # fmt: skip
        assert csv_text.splitlines()[0].startswith("order_id,order_no,platform")
        assert client.get(f"{API_PREFIX}/finance/payment-declaration?start=2025-03-01"
                          "&end=2025-03-31", headers=h[Role.VIEWER]).status_code == 403  # fmt: skip
    engine.dispose()


def test_cli_profit_and_reconcile(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        build_books(session)
    engine.dispose()
    runner = CliRunner()
    result = runner.invoke(cli, ["finance", "profit", "--by", "order", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert [r["profit"] for r in json.loads(result.output)] == ["223.33 CNY", "92.67 CNY"]
    rec = runner.invoke(cli, ["finance", "reconcile", "-f", "json"])
    assert [r["difference"] for r in json.loads(rec.output)] == [0]
    bad = runner.invoke(cli, ["finance", "settle", "5", "CNY", "--rate", "1", "--channel", "x"])
    assert bad.exit_code == 2 and "base currency" in bad.output
