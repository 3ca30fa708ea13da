"""8.3 through the REST API: timeline, refund cap as 409, dispute moves, refusals change nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from storeops.orders.models import RefundRequest
from tests.crm.factories import make_buyer
from tests.factories import make_company, make_member, make_store
from tests.orders.factories import make_order


@pytest.fixture
def api(fresh_db_url: str) -> Iterator[tuple[TestClient, dict[str, str], int, int]]:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session, name="Alpha")
        store = make_store(session, company=company, name="A1")
        order = make_order(
            session, store=store, buyer=make_buyer(session, store=store), total=2_000
        )
        tokens = {}
        for role in (Role.CUSTOMER_SERVICE, Role.VIEWER):
            _, actor = make_member(session, company=company, role=role, stores=[store])
            tokens[role.value] = auth_service.issue_token(session, actor=actor, name="t")[1]
        ids = (store.id, order.id)
    app = create_app(get_settings(), engine=engine, console=False)
    with TestClient(app) as client:
        yield client, tokens, *ids
    engine.dispose()


def test_refund_dispute_and_timeline(api: tuple[TestClient, dict[str, str], int, int]) -> None:
    client, tokens, store_id, order_id = api
    cs = {"Authorization": f"Bearer {tokens['customer_service']}"}
    viewer = {"Authorization": f"Bearer {tokens['viewer']}"}
    url = f"{API_PREFIX}/orders/{order_id}"
    refused = client.post(f"{url}/refunds", json={"amount": 500, "reason": "x"}, headers=viewer)
    assert refused.status_code == 403
    with session_scope(make_engine(get_settings().effective_database_url)) as session:
        assert session.scalar(select(func.count()).select_from(RefundRequest)) == 0
    ok = client.post(f"{url}/refunds", json={"amount": 1_500, "reason": "damaged"}, headers=cs)
    assert ok.status_code == 201
    over = client.post(f"{url}/refunds", json={"amount": 501, "reason": "again"}, headers=cs)
    assert over.status_code == 409
    assert over.json()["error"]["code"] == "refund_exceeds_paid"
    approved = client.post(f"{API_PREFIX}/refunds/{ok.json()['id']}/approve", headers=cs)
    assert approved.json()["status"] == "approved"
    dispute = client.post(f"{url}/disputes", json={"reason": "not_received"}, headers=cs).json()
    illegal = client.post(
        f"{API_PREFIX}/disputes/{dispute['id']}/status", json={"status": "arbitrated"}, headers=cs
    )
    assert illegal.status_code == 409
    kinds = [e["kind"] for e in client.get(f"{url}/timeline", headers=cs).json()]
    assert kinds == [
        "status.placed",
        "status.paid",
        "refund.requested",
        "refund.approved",
        "dispute.opened",
    ]
    assert (
        client.get(f"{API_PREFIX}/stores/{store_id}/disputes/summary", headers=cs).json()["total"]
        == 1
    )


def test_export_quote_and_pdf(api: tuple[TestClient, dict[str, str], int, int]) -> None:
    client, tokens, store_id, order_id = api
    cs = {"Authorization": f"Bearer {tokens['customer_service']}"}
    buyer_id = client.get(f"{API_PREFIX}/orders/{order_id}", headers=cs).json()["buyer_id"]
    body = {
        "buyer_id": buyer_id, "product_name": "Bottle", "incoterm": "CIF", "language": "de",
        "fx_rate": "7.10", "purchase_cost": "113.00", "packing_per_unit": "2",
        "inland_freight_per_shipment": "1000", "port_charges_per_shipment": "2000",
        "freight_per_shipment": "5000", "insurance_rate": "0.005", "commission_rate": "0.03",
        "target_margin": "0.10", "quantities": [1000],
    }  # fmt: skip
    made = client.post(f"{API_PREFIX}/stores/{store_id}/quotes/export", json=body, headers=cs)
    assert made.status_code == 201, made.text
    assert (made.json()["incoterm"], made.json()["amount"]) == ("CIF", 1_792_000)  # 17.92 × 1,000
    costing = client.get(f"{API_PREFIX}/quotes/{made.json()['id']}/costing", headers=cs).json()
    assert costing["prices"][0]["unit"]["FOB"] == 1_700
    pdf = client.get(f"{API_PREFIX}/quotes/{made.json()['id']}/pdf", headers=cs)
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF")
    bad = client.post(
        f"{API_PREFIX}/stores/{store_id}/quotes/export",
        json=body | {"rebate_rate": "0.2"},
        headers=cs,
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "rebate_rate"


def test_b2b_records_over_the_api(api: tuple[TestClient, dict[str, str], int, int]) -> None:
    client, tokens, _store_id, order_id = api
    cs = {"Authorization": f"Bearer {tokens['customer_service']}"}
    viewer = {"Authorization": f"Bearer {tokens['viewer']}"}
    buyer_id = client.get(f"{API_PREFIX}/orders/{order_id}", headers=cs).json()["buyer_id"]
    sample = client.post(
        f"{API_PREFIX}/buyers/{buyer_id}/samples", json={"amount": 0, "currency": "USD"}, headers=cs
    )
    assert (sample.status_code, sample.json()["kind"], sample.json()["status"]) == (
        201,
        "sample",
        "draft",
    )
    entry = {"topic": "moq", "our_position": "500", "their_position": "200", "outcome": "300"}
    assert (
        client.post(
            f"{API_PREFIX}/buyers/{buyer_id}/negotiations", json=entry, headers=viewer
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"{API_PREFIX}/buyers/{buyer_id}/negotiations", json=entry, headers=cs
        ).status_code
        == 201
    )
    log = client.get(f"{API_PREFIX}/buyers/{buyer_id}/negotiations", headers=cs).json()
    assert [(e["topic"], e["outcome"]) for e in log] == [("moq", "300")]
    bad = client.post(
        f"{API_PREFIX}/orders/{order_id}/export-services",
        json={"service": "teleport", "provider": "x"},
        headers=cs,
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "service"
