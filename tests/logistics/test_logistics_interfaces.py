"""The logistics API and CLI: rate card, template and channel choice end to end, refusals."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.cli.main import app as cli
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from tests.factories import make_company, make_member, make_store
from tests.logistics.factories import make_order, make_sku

CARD = {
    "service_level": "standard", "currency": "CNY", "dim_divisor_cm3_per_kg": 8000,
    "weight_step_g": 100, "max_weight_g": 20000, "zones": {"1": ["US"]},
    "bands": [{"zone": "1", "max_weight_g": 20000, "per_kg": "80.00", "fixed": "18.00"}],
}  # fmt: skip
CHANNEL = {"carrier": "Yanwen", "service_name": "Special Line", "kind": "line",
           "transit_min_days": 8, "transit_max_days": 18, "tracking_prefix": "UC"}  # fmt: skip


def test_api_rate_card_template_and_choice(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session, name="Alpha")
        store = make_store(session, company=company, name="A1")
        sku, listing = make_sku(session, store=store, weight_g=300, dims_mm=(200, 150, 100))
        order = make_order(session, store=store, lines=[(sku, listing, 2, 1999)])
        tokens = {}
        for role in (Role.OPERATOR, Role.VIEWER):
            _u, actor = make_member(session, company=company, role=role, stores=[store])
            tokens[role] = auth_service.issue_token(session, actor=actor, name="t")[1]
        _u, beta = make_member(session, company=make_company(session, name="Beta"), role=Role.OWNER)
        tokens["beta"] = auth_service.issue_token(session, actor=beta, name="t")[1]
        store_id, order_id = store.id, order.id
    h = {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()}
    with TestClient(create_app(get_settings(), engine=engine, console=False)) as client:
        assert client.post(f"{API_PREFIX}/logistics/channels", json=CHANNEL,
                           headers=h[Role.VIEWER]).status_code == 403  # fmt: skip
        made = client.post(
            f"{API_PREFIX}/logistics/channels", json=CHANNEL, headers=h[Role.OPERATOR]
        )
        assert made.status_code == 201, made.text
        cid = made.json()["id"]
        bad = client.put(f"{API_PREFIX}/logistics/channels/{cid}/rate-card",
                         json={**CARD, "zones": {"1": ["XX"]}}, headers=h[Role.OPERATOR])  # fmt: skip
        assert bad.status_code == 422 and "unknown country" in bad.json()["error"]["message"]
        ok = client.put(f"{API_PREFIX}/logistics/channels/{cid}/rate-card", json=CARD,
                        headers=h[Role.OPERATOR])  # fmt: skip
        assert ok.status_code == 200 and ok.json()["zones"] == {"1": ["US"]}
        template = {
            "name": "US",
            "rules": [
                {
                    "service_level": "standard",
                    "channel_id": cid,
                    "promised_days": 20,
                    "buyer_price": "0",
                }
            ],
        }
        assert client.post(f"{API_PREFIX}/stores/{store_id}/shipping-templates", json=template,
                           headers=h[Role.OPERATOR]).status_code == 201  # fmt: skip
        choice = client.get(f"{API_PREFIX}/orders/{order_id}/channel-choice?service=standard",
                            headers=h[Role.VIEWER]).json()  # fmt: skip
        assert choice["chosen_channel_id"] == cid
        assert choice["options"][0]["total"] == "82.00 CNY"
        assert choice["promised_days"] == 20
        assert "within the store's promise of 20 days" in choice["explanation"]
        other = client.get(f"{API_PREFIX}/orders/{order_id}/channel-choice", headers=h["beta"])
        missing = client.get(f"{API_PREFIX}/orders/999999/channel-choice", headers=h["beta"])
        assert other.status_code == missing.status_code == 404
        assert other.json()["error"]["message"].replace(str(order_id), "N") == missing.json()[
            "error"]["message"].replace("999999", "N")  # fmt: skip
    engine.dispose()


def test_cli_rate_card_and_choose(fresh_db_url: str, tmp_path: Path) -> None:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session, name="Solo")
        store = make_store(session, company=company, name="S1")
        sku, listing = make_sku(session, store=store, weight_g=300, dims_mm=(200, 150, 100))
        order_id = make_order(session, store=store, lines=[(sku, listing, 2, 1999)]).id
    engine.dispose()
    runner = CliRunner()
    from storeops.db import get_engine
    from storeops.logistics.models import LogisticsChannel

    with session_scope(get_engine()) as session:
        channel = LogisticsChannel(company_id=company.id, carrier="Yanwen", service_name="Line",
                                   kind="line", transit_min_days=8, transit_max_days=18,
                                   tracking_prefix="UC")  # fmt: skip
        session.add(channel)
        session.flush()
        cid = channel.id
    card = tmp_path / "card.json"
    card.write_text(json.dumps(CARD))
    done = runner.invoke(cli, ["logistics", "rate-card", str(cid), "--file", str(card)])
    assert done.exit_code == 0, done.output
    result = runner.invoke(cli, ["logistics", "choose", str(order_id), "-f", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["chosen_channel_id"] == cid and body["options"][0]["total"] == "82.00 CNY"
    card.write_text(json.dumps({**CARD, "currency": "USD"}))
    refused = runner.invoke(cli, ["logistics", "rate-card", str(cid), "--file", str(card)])
    assert refused.exit_code == 2 and "base currency CNY" in refused.output


RECIPIENT = {"name": "Jane Roe", "phone": "(201) 555-0123", "line1": "1 Main St", "city": "Newark",
             "postcode": "07102", "country": "US"}  # fmt: skip
SENDER = {"name": "Ningbo Trading", "phone": "010 1234 5678", "line1": "8 Haishu Rd",
          "city": "Ningbo", "postcode": "315000", "country": "CN"}  # fmt: skip


def test_api_shipment_flow_masks_the_recipient_without_pii_read(fresh_db_url: str) -> None:
    import io

    from pypdf import PdfReader

    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session, name="Alpha")
        store = make_store(session, company=company, name="A1")
        sku, listing = make_sku(session, store=store)
        order = make_order(session, store=store, lines=[(sku, listing, 2, 1999)])
        tokens = {}
        for role in (Role.OPERATOR, Role.VIEWER, Role.CUSTOMER_SERVICE):
            _u, actor = make_member(session, company=company, role=role, stores=[store])
            tokens[role] = auth_service.issue_token(session, actor=actor, name="t")[1]
        order_id = order.id
    h = {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()}
    with TestClient(create_app(get_settings(), engine=engine, console=False)) as client:
        cid = client.post(f"{API_PREFIX}/logistics/channels", json=CHANNEL,
                          headers=h[Role.OPERATOR]).json()["id"]  # fmt: skip
        body = {"order_id": order_id, "channel_id": cid, "warehouse": "Yiwu",
                "recipient": RECIPIENT, "sender": SENDER}  # fmt: skip
        bad = client.post(f"{API_PREFIX}/shipments", headers=h[Role.OPERATOR],
                          json={**body, "recipient": {**RECIPIENT, "phone": "123"}})  # fmt: skip
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "recipient.phone"
        made = client.post(f"{API_PREFIX}/shipments", json=body, headers=h[Role.OPERATOR])
        assert made.status_code == 201, made.text
        sid = made.json()["id"]
        assert made.json()["recipient"]["phone"] == "***23"  # operators lack pii.read
        viewer = client.get(f"{API_PREFIX}/shipments/{sid}", headers=h[Role.VIEWER]).json()
        assert viewer["recipient"]["name"] == "J***" and viewer["recipient"]["phone"] == "***23"
        cs = client.get(f"{API_PREFIX}/shipments/{sid}", headers=h[Role.CUSTOMER_SERVICE]).json()
        assert cs["recipient"]["name"] == "Jane Roe"
        assert cs["recipient"]["phone"] == "+12015550123"
        declaration = {
            "currency": "USD",
            "lines": [
                {"description": "Speaker", "hs_code": "851822", "quantity": 2, "value": "60.00"}
            ],
        }
        filed = client.post(f"{API_PREFIX}/shipments/{sid}/customs-declaration",
                            json=declaration, headers=h[Role.OPERATOR]).json()  # fmt: skip
        assert filed["ratio"] == "1.5008" and filed["warnings"][0].startswith("over-declared")
        pdf = client.post(f"{API_PREFIX}/shipments/labels", json={"shipment_ids": [sid]},
                          headers=h[Role.OPERATOR])  # fmt: skip
        assert pdf.headers["content-type"] == "application/pdf"
        text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
        assert made.json()["tracking_number"] in text
        assert client.post(f"{API_PREFIX}/shipments/{sid}/handover",
                           headers=h[Role.VIEWER]).status_code == 403  # fmt: skip
        assert client.post(f"{API_PREFIX}/shipments/{sid}/handover",
                           headers=h[Role.OPERATOR]).json()["status"] == "in_transit"  # fmt: skip
        locked = client.patch(f"{API_PREFIX}/shipments/{sid}/parties", json={"recipient": RECIPIENT},
                              headers=h[Role.OPERATOR])  # fmt: skip
        assert locked.status_code == 409 and locked.json()["error"]["code"] == "shipment_locked"
        events = client.get(f"{API_PREFIX}/shipments/{sid}/timeline", headers=h[Role.VIEWER]).json()
        assert [e["code"] for e in events] == ["accepted"]
        # paid 2025-03-03 with an 18-day promise: long overdue by the time the test runs
        late = client.get(f"{API_PREFIX}/logistics/late-deliveries", headers=h[Role.VIEWER]).json()
        assert [x["shipment_id"] for x in late] == [sid] and late[0]["days_late"] > 600
    engine.dispose()
