"""The catalog through the REST API and the CLI: scoping by store and group, refusals change nothing."""

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
from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Listing, ListingAction
from storeops.cli.main import app as cli_app
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from tests.catalog.factories import (
    make_category,
    make_certificate,
    make_group,
    make_image,
    make_listing,
    make_product,
)
from tests.factories import make_company, make_member, make_store


@dataclass
class World:
    client: TestClient
    engine: Engine
    tokens: dict[str, str]
    own: int  # listing in the operator's group
    foreign: int  # listing in a colleague's group
    remote: int  # listing in a store the operator does not work on
    toy: int


@pytest.fixture
def world(fresh_db_url: str) -> Iterator[World]:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session, name="Alpha")
        store, other = make_store(session, company=company), make_store(session, company=company)
        toys = make_category(session, company=company, code="TOYS")
        product = make_product(session, company=company, category=toys)
        make_image(session, company=company, product=product, width=1200, height=1200)
        operator_user, operator = make_member(
            session, company=company, role=Role.OPERATOR, stores=[store]
        )
        colleague, _ = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
        _, viewer = make_member(session, company=company, role=Role.VIEWER, stores=[store, other])
        own = make_listing(
            session,
            store=store,
            product=product,
            group_id=make_group(session, store=store, owner_user_id=operator_user.id).id,
            image_count=4,
        )  # Amazon: under 5 images, -15
        foreign = make_listing(
            session,
            store=store,
            product=product,
            group_id=make_group(session, store=store, owner_user_id=colleague.id).id,
        )
        remote = make_listing(session, store=other, product=product)
        make_certificate(
            session,
            company=company,
            product=product,
            kind="CPC",
            market="US",
            issued_on=dt.date(2025, 1, 1),
            expires_on=dt.date(2026, 1, 1),
        )
        tokens = {
            "operator": auth_service.issue_token(session, actor=operator, name="t")[1],
            "viewer": auth_service.issue_token(session, actor=viewer, name="t")[1],
        }
        ids = (own.id, foreign.id, remote.id, product.id)
    api = create_app(get_settings(), engine=engine, console=False)
    with TestClient(api) as client:
        yield World(client, engine, tokens, *ids)
    engine.dispose()


def _h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_quality_over_the_api_shows_only_the_operators_groups(world: World) -> None:
    got = world.client.get(f"{API_PREFIX}/catalog/quality", headers=_h(world.tokens["operator"]))
    assert got.status_code == 200
    assert [(r["listing_id"], r["score"], [f["rule"] for f in r["fixes"]]) for r in got.json()] == [
        (world.own, 85, ["image_count"])
    ]
    for hidden in (world.foreign, world.remote):
        one = world.client.get(
            f"{API_PREFIX}/catalog/listings/{hidden}/quality", headers=_h(world.tokens["operator"])
        )
        assert one.status_code == 404
        assert one.json()["error"]["message"] == f"listing {hidden} not found"
    viewer = world.client.get(f"{API_PREFIX}/catalog/quality", headers=_h(world.tokens["viewer"]))
    assert {r["listing_id"] for r in viewer.json()} == {world.own, world.foreign, world.remote}
    rules = world.client.get(
        f"{API_PREFIX}/catalog/quality/rules/amazon", headers=_h(world.tokens["viewer"])
    )
    assert rules.status_code == 200 and all(r["source"] for r in rules.json())


def test_bulk_action_refused_for_a_viewer_changes_nothing_and_works_for_the_operator(
    world: World,
) -> None:
    body = {
        "listing_ids": [world.own],
        "action": "hide",
        "reason": "no effect in September",
        "window_from": "2026-09-01",
        "window_to": "2026-09-30",
    }
    refused = world.client.post(
        f"{API_PREFIX}/catalog/listings/actions", json=body, headers=_h(world.tokens["viewer"])
    )
    assert refused.status_code == 403
    with session_scope(world.engine) as session:
        assert session.get(Listing, world.own).status == ListingStatus.ACTIVE  # type: ignore[union-attr]
        assert session.scalar(select(func.count()).select_from(ListingAction)) == 0
    foreign = world.client.post(
        f"{API_PREFIX}/catalog/listings/actions",
        json={**body, "listing_ids": [world.own, world.foreign]},
        headers=_h(world.tokens["operator"]),
    )
    assert foreign.status_code == 404
    done = world.client.post(
        f"{API_PREFIX}/catalog/listings/actions", json=body, headers=_h(world.tokens["operator"])
    )
    assert done.status_code == 201
    assert [(r["listing_id"], r["status_before"], r["status_after"]) for r in done.json()] == [
        (world.own, "active", "inactive")
    ]
    history = world.client.get(
        f"{API_PREFIX}/catalog/listings/actions", headers=_h(world.tokens["viewer"])
    )
    assert [(h["action"], h["reason"]) for h in history.json()] == [
        ("hide", "no effect in September")
    ]


def test_zero_effect_and_certificate_gaps_over_the_api(world: World) -> None:
    got = world.client.get(
        f"{API_PREFIX}/catalog/zero-effect",
        params={"date_from": "2026-09-01", "date_to": "2026-09-07"},
        headers=_h(world.tokens["operator"]),
    )
    assert [r["listing_id"] for r in got.json()] == [world.own]
    bad = world.client.get(
        f"{API_PREFIX}/catalog/zero-effect",
        params={"date_from": "2026-09-07", "date_to": "2026-09-01"},
        headers=_h(world.tokens["operator"]),
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "date_from"
    gaps = world.client.get(
        f"{API_PREFIX}/catalog/certificates/gaps",
        params={"on": "2026-10-01"},
        headers=_h(world.tokens["viewer"]),
    )
    assert sorted((g["listing_id"], g["kind"], g["problem"]) for g in gaps.json()) == [
        (world.own, "CPC", "expired"),
        (world.foreign, "CPC", "expired"),
        (world.remote, "CPC", "expired"),
    ]
    certs = world.client.get(
        f"{API_PREFIX}/catalog/certificates",
        params={"on": "2026-10-01", "only_warnings": True},
        headers=_h(world.tokens["operator"]),
    )
    assert [(c["kind"], c["state"], c["days_left"]) for c in certs.json()] == [
        ("CPC", "expired", -273)
    ]


def test_cli_quality_and_zero_effect(world: World) -> None:
    runner = CliRunner()
    result = runner.invoke(cli_app, ["catalog", "quality", "--below", "100", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [(r["listing_id"], r["score"]) for r in json.loads(result.output)] == [(world.own, 85)]
    result = runner.invoke(
        cli_app, ["catalog", "zero-effect", "--from", "2026-09-07", "--to", "2026-09-01"]
    )
    assert result.exit_code == 2
    assert "the window starts (2026-09-07) after it ends (2026-09-01)" in result.output
    result = runner.invoke(
        cli_app, ["catalog", "act", "hide", str(world.remote), "--reason", "dead"]
    )
    assert result.exit_code == 0, result.output
    with session_scope(world.engine) as session:
        assert session.get(Listing, world.remote).status == ListingStatus.INACTIVE  # type: ignore[union-attr]


def test_launch_plan_groups_showcase_and_diagnosis_over_the_api(world: World) -> None:
    h = _h(world.tokens["operator"])
    with session_scope(world.engine) as session:
        store_id = session.get(Listing, world.own).store_id  # type: ignore[union-attr]
    put = world.client.put(
        f"{API_PREFIX}/catalog/stores/{store_id}/launch-plan/2025-06-02",
        json={"planned_count": 3, "note": "summer"},
        headers=h,
    )
    assert put.status_code == 200 and put.json()["planned_count"] == 3
    tuesday = world.client.put(
        f"{API_PREFIX}/catalog/stores/{store_id}/launch-plan/2025-06-03",
        json={"planned_count": 3},
        headers=h,
    )
    assert tuesday.status_code == 422 and tuesday.json()["error"]["field"] == "week_start"
    report = world.client.get(
        f"{API_PREFIX}/catalog/stores/{store_id}/launch-plan",
        params={"week_from": "2025-05-26", "week_to": "2025-06-02", "today": "2025-07-01"},
        headers=h,
    ).json()
    # the three listings of the store were listed on 2025-06-01, a Sunday: the week of 26 May
    assert [(w["week_start"], w["planned"], w["actual"], w["state"]) for w in report["weeks"]] == [
        ("2025-05-26", None, 2, "no_plan"),
        ("2025-06-02", 3, 0, "behind"),
    ]
    groups = world.client.get(f"{API_PREFIX}/catalog/groups", headers=h).json()
    assert [(g["listings"], g["average_quality"]) for g in groups] == [(1, 85)]
    diagnosis = world.client.get(
        f"{API_PREFIX}/catalog/stores/{store_id}/diagnosis",
        params={"date_from": "2026-09-01", "date_to": "2026-09-30"},
        headers=h,
    ).json()
    assert [d["listing_id"] for d in diagnosis] == [world.own]
    showcase = world.client.get(
        f"{API_PREFIX}/catalog/stores/{store_id}/showcase", params={"on": "2026-09-30"}, headers=h
    )
    assert showcase.status_code == 200 and showcase.json() == []
