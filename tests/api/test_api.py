"""The REST API: token auth, scoping, the error table, write-only credentials, route permissions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from storeops.api.app import API_PREFIX, PUBLIC_PATHS, api_routes, create_app
from storeops.api.deps import _Require
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.auth.models import AuditEvent
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from storeops.stores.models import PlatformAccount, Store
from tests.factories import make_company, make_member, make_store


@dataclass
class World:
    client: TestClient
    engine: Engine
    tokens: dict[str, str]
    a1: int
    a2: int
    b1: int


@pytest.fixture
def world(fresh_db_url: str) -> Iterator[World]:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        alpha = make_company(session, name="Alpha")
        beta = make_company(session, name="Beta")
        a1 = make_store(session, company=alpha, name="A1")
        a2 = make_store(session, company=alpha, name="A2")
        b1 = make_store(session, company=beta, name="B1")
        tokens = {}
        for role in (Role.OWNER, Role.MANAGER, Role.OPERATOR, Role.VIEWER):
            _, actor = make_member(session, company=alpha, role=role, stores=[a1])
            tokens[role.value] = auth_service.issue_token(session, actor=actor, name="test")[1]
        _, beta_owner = make_member(session, company=beta, role=Role.OWNER)
        tokens["beta_owner"] = auth_service.issue_token(session, actor=beta_owner, name="test")[1]
        ids = (a1.id, a2.id, b1.id)
    app = create_app(get_settings(), engine=engine, console=False)
    with TestClient(app) as client:
        yield World(client, engine, tokens, *ids)
    engine.dispose()


def _h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_health_needs_no_token_and_everything_else_does(world: World) -> None:
    assert world.client.get(f"{API_PREFIX}/health").json()["status"] == "ok"
    response = world.client.get(f"{API_PREFIX}/stores")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    bad = world.client.get(f"{API_PREFIX}/stores", headers=_h("sto_not-a-real-token"))
    assert bad.status_code == 401
    assert bad.json()["error"]["message"] == "invalid, expired or revoked API token"


def test_me_shows_role_and_stores(world: World) -> None:
    me = world.client.get(f"{API_PREFIX}/me", headers=_h(world.tokens["operator"])).json()
    assert (me["role"], me["store_ids"]) == ("operator", [world.a1])
    owner = world.client.get(f"{API_PREFIX}/me", headers=_h(world.tokens["owner"])).json()
    assert owner["store_ids"] == sorted([world.a1, world.a2])


def test_another_tenants_store_answers_exactly_like_a_missing_one(world: World) -> None:
    token = world.tokens["owner"]
    missing = world.client.get(f"{API_PREFIX}/stores/999999", headers=_h(token))
    foreign = world.client.get(f"{API_PREFIX}/stores/{world.b1}", headers=_h(token))
    assert missing.status_code == foreign.status_code == 404
    assert foreign.json() == {
        "error": {"code": "not_found", "message": f"store {world.b1} not found"}
    }
    assert missing.json() == {"error": {"code": "not_found", "message": "store 999999 not found"}}
    unassigned = world.client.get(
        f"{API_PREFIX}/stores/{world.a2}", headers=_h(world.tokens["operator"])
    )
    assert unassigned.json() == {
        "error": {"code": "not_found", "message": f"store {world.a2} not found"}
    }
    names = [
        s["name"]
        for s in world.client.get(
            f"{API_PREFIX}/stores", headers=_h(world.tokens["beta_owner"])
        ).json()
    ]
    assert names == ["B1"]


def test_refusal_is_403_audited_and_changes_nothing(world: World) -> None:
    with session_scope(world.engine) as session:
        stores_before = session.scalar(select(func.count()).select_from(Store))
    body = {
        "name": "New",
        "platform": "ebay",
        "business_model": "b2c",
        "site": "UK",
        "currency": "GBP",
        "timezone": "Europe/London",
    }
    response = world.client.post(
        f"{API_PREFIX}/stores", json=body, headers=_h(world.tokens["viewer"])
    )
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "permission_denied",
        "message": "your role (viewer) does not allow store.create",
        "details": {"permission": "store.create"},
    }
    with session_scope(world.engine) as session:
        assert session.scalar(select(func.count()).select_from(Store)) == stores_before
        denied = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "permission.denied")
        ).all()
        assert [(e.outcome, e.detail["path"]) for e in denied] == [
            ("denied", f"{API_PREFIX}/stores")
        ]
    created = world.client.post(
        f"{API_PREFIX}/stores", json=body, headers=_h(world.tokens["manager"])
    )
    assert created.status_code == 201
    assert created.json()["status"] == "preparing"


def test_bad_input_names_the_field(world: World) -> None:
    body = {
        "name": "X",
        "platform": "temu",
        "business_model": "b2c",
        "site": "UK",
        "currency": "GBP",
        "timezone": "Europe/London",
    }
    response = world.client.post(
        f"{API_PREFIX}/stores", json=body, headers=_h(world.tokens["owner"])
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_input", "platform")
    assert error["details"][0]["loc"] == ["body", "platform"]
    body |= {"platform": "ebay", "currency": "GBX"}
    response = world.client.post(
        f"{API_PREFIX}/stores", json=body, headers=_h(world.tokens["owner"])
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "currency"
    dup = body | {"currency": "GBP", "name": "A1"}
    assert (
        world.client.post(
            f"{API_PREFIX}/stores", json=dup, headers=_h(world.tokens["owner"])
        ).status_code
        == 409
    )


def test_credentials_are_write_only(world: World) -> None:
    owner = _h(world.tokens["owner"])
    account = world.client.post(
        f"{API_PREFIX}/stores/{world.a1}/accounts", json={"login": "seller@a.com"}, headers=owner
    )
    assert account.status_code == 201
    account_id = account.json()["id"]
    put = world.client.put(
        f"{API_PREFIX}/accounts/{account_id}/credential",
        json={"secret": "s3cr3t-refresh"},
        headers=owner,
    )
    assert put.status_code == 204
    listed = world.client.get(f"{API_PREFIX}/stores/{world.a1}/accounts", headers=owner)
    assert listed.json()[0]["credential_set"] is True
    assert "s3cr3t" not in listed.text
    assert all("s3cr3t" not in r.text for r in [account, put, listed])
    with session_scope(world.engine) as session:
        ciphertext = session.scalar(select(PlatformAccount.credential_ciphertext))
        assert ciphertext is not None and "s3cr3t" not in ciphertext
    refused = world.client.put(
        f"{API_PREFIX}/accounts/{account_id}/credential",
        json={"secret": "x"},
        headers=_h(world.tokens["operator"]),
    )
    assert refused.status_code == 403


def test_service_hours_round_trip(world: World) -> None:
    owner = _h(world.tokens["owner"])
    week = [{"weekday": d, "opens": "08:00", "closes": "16:00"} for d in range(7)]
    report = world.client.put(
        f"{API_PREFIX}/stores/{world.a1}/service-hours", json=week, headers=owner
    ).json()
    assert (report["compliant"], report["weekly_hours"]) == (True, 56.0)
    bad = world.client.put(
        f"{API_PREFIX}/stores/{world.a1}/service-hours",
        json=[{"weekday": 0, "opens": "25:00", "closes": "26:00"}],
        headers=owner,
    )
    assert bad.status_code == 422
    assert (
        world.client.get(f"{API_PREFIX}/stores/{world.a1}/service-hours", headers=owner).json()[
            "compliant"
        ]
        is True
    )


def test_revoked_token_and_disabled_user_fail_on_the_next_request(world: World) -> None:
    operator = _h(world.tokens["operator"])
    assert world.client.get(f"{API_PREFIX}/me", headers=operator).status_code == 200
    me = world.client.get(f"{API_PREFIX}/me", headers=operator).json()
    disabled = world.client.post(
        f"{API_PREFIX}/users/{me['user_id']}/disable", headers=_h(world.tokens["owner"])
    )
    assert disabled.status_code == 200
    assert disabled.json()["is_active"] is False
    assert world.client.get(f"{API_PREFIX}/me", headers=operator).status_code == 401
    viewer = _h(world.tokens["viewer"])
    token_id = world.client.get(f"{API_PREFIX}/tokens", headers=viewer).json()[0]["id"]
    assert (
        world.client.post(f"{API_PREFIX}/tokens/{token_id}/revoke", headers=viewer).status_code
        == 200
    )
    assert world.client.get(f"{API_PREFIX}/me", headers=viewer).status_code == 401


def test_new_token_is_shown_once(world: World) -> None:
    owner = _h(world.tokens["owner"])
    created = world.client.post(
        f"{API_PREFIX}/tokens", json={"name": "script"}, headers=owner
    ).json()
    assert created["token"].startswith("sto_")
    listed = world.client.get(f"{API_PREFIX}/tokens", headers=owner).json()
    assert all("token" not in t for t in listed)
    assert world.client.get(f"{API_PREFIX}/me", headers=_h(created["token"])).status_code == 200


def _declared_permission(route: APIRoute) -> bool:
    stack = [route.dependant]
    while stack:
        node = stack.pop()
        if isinstance(node.call, _Require):
            return True
        stack.extend(node.dependencies)
    return False


def test_every_api_route_declares_its_permission() -> None:
    routes = list(api_routes())
    undeclared = [
        path
        for path, route in routes
        if path not in PUBLIC_PATHS and not _declared_permission(route)
    ]
    assert undeclared == []
    paths = {path for path, _ in routes}
    assert {
        f"{API_PREFIX}/stores/{{store_id}}/accounts",
        f"{API_PREFIX}/standard/tasks",
        f"{API_PREFIX}/health",
    } <= paths


def test_openapi_is_served(world: World) -> None:
    spec = world.client.get(f"{API_PREFIX}/openapi.json").json()
    assert spec["info"]["title"] == "storeops"
    assert f"{API_PREFIX}/stores" in spec["paths"]
