"""Marketing through the REST API and the CLI: scoping by store, refusals, exact figures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.cli.main import app as cli_app
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from storeops.marketing.models import AdGroup, Promotion
from tests.factories import make_company, make_member, make_store
from tests.marketing.factories import add_day, make_campaign

D1 = dt.date(2026, 9, 1)


@dataclass
class World:
    client: TestClient
    engine: Engine
    tokens: dict[str, str]
    store: int
    other: int
    campaign: int


@pytest.fixture
def world(fresh_db_url: str) -> Iterator[World]:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session, name="Alpha")
        store, other = make_store(session, company=company), make_store(session, company=company)
        campaign = make_campaign(session, store=store)
        add_day(
            session,
            campaign=campaign,
            keyword="car mount",
            day=D1,
            impressions=600,
            clicks=12,
            spend=1500,
        )
        add_day(session, campaign=campaign, keyword="phone holder", day=D1, impressions=1000, clicks=20,
                spend=2000, orders=2, sales=4000)  # fmt: skip
        _, marketer = make_member(session, company=company, role=Role.MARKETING, stores=[store])
        _, cs = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
        _, elsewhere = make_member(session, company=company, role=Role.MARKETING, stores=[other])
        tokens = {
            name: auth_service.issue_token(session, actor=actor, name="t")[1]
            for name, actor in (("marketing", marketer), ("cs", cs), ("elsewhere", elsewhere))
        }
        ids = (store.id, other.id, campaign.id)
    with TestClient(create_app(get_settings(), engine=engine, console=False)) as client:
        yield World(client, engine, tokens, *ids)
    engine.dispose()


def _h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_keywords_and_pacing_over_the_api(world: World) -> None:
    url = f"{API_PREFIX}/marketing/stores/{world.store}/ads/keywords"
    params = {"date_from": "2026-09-01", "date_to": "2026-09-30", "wasteful_only": True}
    got = world.client.get(url, params=params, headers=_h(world.tokens["marketing"]))
    assert [(k["keyword"], k["spend_amount"], k["suggestion"]) for k in got.json()] == [
        ("car mount", 1500, "pause")
    ]
    assert world.client.get(url, params=params, headers=_h(world.tokens["cs"])).status_code == 403
    hidden = world.client.get(url, params=params, headers=_h(world.tokens["elsewhere"]))
    assert (
        hidden.status_code == 404
        and hidden.json()["error"]["message"] == f"store {world.store} not found"
    )
    pacing = world.client.get(
        f"{API_PREFIX}/marketing/stores/{world.store}/ads/campaigns",
        params={"date_from": "2026-09-01", "date_to": "2026-09-01"},
        headers=_h(world.tokens["marketing"]),
    ).json()
    assert [(p["spend_amount"], p["budget_amount"], p["pacing"], p["acos"]) for p in pacing] == [
        (3500, 5000, 0.7, 0.875)
    ]


def test_ad_groups_keywords_and_promotions_are_recorded(world: World) -> None:
    h = _h(world.tokens["marketing"])
    group = world.client.post(
        f"{API_PREFIX}/marketing/campaigns/{world.campaign}/ad-groups",
        json={"name": "Holders", "default_bid_amount": 90},
        headers=h,
    )
    assert group.status_code == 201
    keyword = world.client.post(
        f"{API_PREFIX}/marketing/ad-groups/{group.json()['id']}/keywords",
        json={"text": "Phone Holder"},
        headers=h,
    )
    assert (keyword.status_code, keyword.json()["bid_amount"], keyword.json()["text"]) == (
        201,
        90,
        "phone holder",
    )
    refused = world.client.post(
        f"{API_PREFIX}/marketing/campaigns/{world.campaign}/ad-groups",
        json={"name": "Other", "default_bid_amount": 90},
        headers=_h(world.tokens["elsewhere"]),
    )
    assert refused.status_code == 404
    with session_scope(world.engine) as session:
        assert session.scalar(select(func.count()).select_from(AdGroup)) == 1
    promo = world.client.post(
        f"{API_PREFIX}/marketing/promotions",
        json={"store_id": world.store, "name": "Sept", "kind": "coupon", "starts_on": "2026-09-10",
              "ends_on": "2026-09-12", "discount_pct": 10},
        headers=h,
    )  # fmt: skip
    assert promo.status_code == 201
    bad = world.client.post(
        f"{API_PREFIX}/marketing/promotions",
        json={"store_id": world.store, "name": "X", "kind": "coupon", "starts_on": "2026-09-12",
              "ends_on": "2026-09-10", "discount_pct": 10},
        headers=h,
    )  # fmt: skip
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "ends_on"
    with session_scope(world.engine) as session:
        assert session.scalar(select(func.count()).select_from(Promotion)) == 1


def test_cli_lists_wasteful_keywords(world: World) -> None:
    result = CliRunner().invoke(
        cli_app,
        ["marketing", "keywords", str(world.store), "--from", "2026-09-01", "--to", "2026-09-30",
         "--wasteful", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [(k["keyword"], k["clicks"]) for k in json.loads(result.output)] == [("car mount", 12)]


def test_live_plan_and_seo_audit_over_the_api(world: World) -> None:
    h = _h(world.tokens["marketing"])
    plan = world.client.post(
        f"{API_PREFIX}/marketing/stores/{world.store}/live-plans",
        json={"title": "Live", "starts_at": "2026-09-10T12:00:00Z", "duration_min": 60,
              "language": "en", "target_country": "US", "host_name": "Amy", "target_viewers": 100,
              "target_peak_viewers": 20, "target_interactions": 10, "target_new_followers": 5,
              "target_orders": 2, "target_gmv_amount": 4000},
        headers=h,
    )  # fmt: skip
    assert plan.status_code == 201, plan.text
    plan_id = plan.json()["id"]
    script = world.client.put(
        f"{API_PREFIX}/marketing/live-plans/{plan_id}/script",
        json={"position": 1, "segment": "Intro", "minutes": 5, "listing_id": None,
              "selling_points": "", "benefit": "", "call_to_action": "Follow"},
        headers=h,
    )  # fmt: skip
    assert [r["segment"] for r in script.json()] == ["Intro"]
    review = world.client.get(f"{API_PREFIX}/marketing/live-plans/{plan_id}/review", headers=h)
    assert review.json()["gaps"] == ["the plan is not linked to a stream that took place yet"]
    hidden = world.client.get(
        f"{API_PREFIX}/marketing/live-plans/{plan_id}/review", headers=_h(world.tokens["elsewhere"])
    )
    assert hidden.status_code == 404
    audit = world.client.post(
        f"{API_PREFIX}/marketing/seo/audit",
        json={"pages": {"/index.html": "<title>Short</title><h1>x</h1>"}},
        headers=h,
    )
    assert [i["check"] for i in audit.json()["pages"][0]["issues"]] == [
        "title", "description", "sitemap"
    ]  # fmt: skip
