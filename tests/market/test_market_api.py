"""The market API: CSV import with row errors, the report, tenant scoping, permissions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from storeops.market.models import MarketSale
from tests.factories import make_company, make_member, make_store
from tests.market.test_research import sales_csv


@dataclass
class World:
    client: TestClient
    engine: Engine
    tokens: dict[str, str]
    store_id: int


@pytest.fixture
def world(fresh_db_url: str) -> Iterator[World]:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        alpha = make_company(session, name="Alpha")
        beta = make_company(session, name="Beta")
        store = make_store(session, company=alpha, name="A1")
        tokens = {}
        for role in (Role.OWNER, Role.OPERATOR, Role.VIEWER, Role.CUSTOMER_SERVICE):
            _, actor = make_member(session, company=alpha, role=role, stores=[store])
            tokens[role.value] = auth_service.issue_token(session, actor=actor, name="t")[1]
        _, other = make_member(session, company=beta, role=Role.OWNER)
        tokens["beta"] = auth_service.issue_token(session, actor=other, name="t")[1]
        store_id = store.id
    app = create_app(get_settings(), engine=engine, console=False)
    with TestClient(app) as client:
        yield World(client, engine, tokens, store_id)
    engine.dispose()


def h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


IMPORT = f"{API_PREFIX}/market/datasets/import/sales"
PARAMS = {"category": "Earbuds", "market": "US", "currency": "USD"}


def _sales_count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(MarketSale)) or 0)


def test_import_report_and_scoping(world: World) -> None:
    bad = world.client.post(
        IMPORT,
        params=PARAMS,
        files={"file": ("s.csv", b"period,seller,brand,price,units\n2025-01,A,X,abc,1\n")},
        headers=h(world.tokens["operator"]),
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "market_import_invalid"
    assert bad.json()["error"]["details"]["errors"] == [
        {"row": 2, "column": "price", "reason": "'abc' is not an amount"}
    ]
    assert _sales_count(world.engine) == 0

    done = world.client.post(
        IMPORT,
        params=PARAMS,
        files={"file": ("s.csv", sales_csv().encode())},
        headers=h(world.tokens["operator"]),
    )
    assert done.status_code == 201, done.text
    dataset_id = done.json()["dataset_id"]
    assert done.json()["rows"] == 96

    report = world.client.get(
        f"{API_PREFIX}/market/datasets/{dataset_id}/report", headers=h(world.tokens["viewer"])
    )
    assert report.status_code == 403  # viewers do not read market research
    report = world.client.get(
        f"{API_PREFIX}/market/datasets/{dataset_id}/report",
        params={"guidelines": "hmg_2023"},
        headers=h(world.tokens["operator"]),
    )
    body = report.json()
    assert body["concentration_by_seller"]["hhi"] == pytest.approx(2600)
    assert body["concentration_by_seller"]["high_above"] == 1800
    assert body["concentration_by_seller"]["reading"] == "highly_concentrated"

    foreign = world.client.get(
        f"{API_PREFIX}/market/datasets/{dataset_id}/report", headers=h(world.tokens["beta"])
    )
    missing = world.client.get(
        f"{API_PREFIX}/market/datasets/999999/report", headers=h(world.tokens["beta"])
    )
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["error"]["message"] == f"market dataset {dataset_id} not found"

    refused = world.client.post(
        IMPORT,
        params=PARAMS,
        files={"file": ("s.csv", sales_csv().encode())},
        headers=h(world.tokens["customer_service"]),
    )
    assert refused.status_code == 403
    assert _sales_count(world.engine) == 96


def test_concentration_endpoint(world: World) -> None:
    response = world.client.post(
        f"{API_PREFIX}/market/concentration",
        json={"sales": {"A": 30, "B": 30, "C": 20, "D": 20}},
        headers=h(world.tokens["operator"]),
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["hhi"], body["cr4"], body["reading"]) == (2600, 100, "highly_concentrated")
    assert body["thresholds_source"].startswith(
        "U.S. DOJ & FTC Horizontal Merger Guidelines (2010)"
    )


def test_platform_profiles_and_selection(world: World) -> None:
    profiles = world.client.get(
        f"{API_PREFIX}/market/platforms", headers=h(world.tokens["operator"])
    ).json()
    assert len(profiles) == 17
    assert {p["version"] for p in profiles} == {0}
    body = {
        "platforms": ["amazon", "shopee", "ebay"],
        "target_markets": ["US", "MY"],
        "category": "phone accessories",
    }
    refused = world.client.post(
        f"{API_PREFIX}/market/platform-selections", json=body, headers=h(world.tokens["viewer"])
    )
    assert refused.status_code == 403
    run = world.client.post(
        f"{API_PREFIX}/market/platform-selections", json=body, headers=h(world.tokens["operator"])
    )
    assert run.status_code == 201, run.text
    assert run.json()["recommendation"].startswith("Recommend ")
    listed = world.client.get(
        f"{API_PREFIX}/market/platform-selections", headers=h(world.tokens["beta"])
    )
    assert listed.json() == []
    unknown = world.client.get(
        f"{API_PREFIX}/market/platforms/myspace", headers=h(world.tokens["operator"])
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "unknown_platform"


def test_onboarding_and_security_endpoints(world: World) -> None:
    started = world.client.post(
        f"{API_PREFIX}/market/onboarding",
        json={"platform": "lazada", "company_type": "mainland_china_company"},
        headers=h(world.tokens["operator"]),
    )
    assert started.status_code == 201, started.text
    item = started.json()["items"][0]
    moved = world.client.patch(
        f"{API_PREFIX}/market/onboarding/items/{item['id']}",
        json={"status": "approved"},
        headers=h(world.tokens["operator"]),
    )
    assert moved.status_code == 409
    assert moved.json()["error"]["code"] == "illegal_transition"
    foreign = world.client.patch(
        f"{API_PREFIX}/market/onboarding/items/{item['id']}",
        json={"note": "x"},
        headers=h(world.tokens["beta"]),
    )
    assert foreign.status_code == 404
    review = world.client.get(
        f"{API_PREFIX}/market/stores/{world.store_id}/security",
        headers=h(world.tokens["operator"]),
    )
    assert review.status_code == 200
    assert review.json()["store_findings"] == ["the store has no main account on record"]


def test_product_selection_endpoint(world: World) -> None:
    response = world.client.post(
        f"{API_PREFIX}/market/product-selection",
        json={
            "currency": "USD",
            "candidates": [
                {"name": "Tire inflator", "monthly_searches": 9999, "competing_listings": 9,
                 "price": "20.00", "unit_cost": "6.00", "shipping_cost": "3.00", "fee_pct": 15,
                 "seasonality_strength": 0.5, "certificates_needed": 1, "has_battery": True},
                {"name": "Seat organizer", "monthly_searches": 99, "competing_listings": 0,
                 "price": "10.00", "unit_cost": "7.00", "shipping_cost": "2.00", "fee_pct": 10},
            ],
        },
        headers=h(world.tokens["operator"]),
    )  # fmt: skip
    assert response.status_code == 200, response.text
    first = response.json()[0]
    assert (first["name"], first["total"], first["margin"]) == ("Tire inflator", 8.25, "8.00 USD")
