"""Revoking a store or disabling a user takes effect on the very next request, old cookies and API
tokens included; nobody grants more than they hold (privilege escalation refused over the API)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.auth.models import Membership
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from storeops.errors import NotAuthenticated
from storeops.web.context import load_context
from tests.factories import make_company, make_member, make_store, owner_actor


@dataclass
class Setup:
    engine: Engine
    client: TestClient
    owner_token: str
    manager_token: str
    manager_id: int
    operator_id: int
    operator_token: str
    operator_cookie: str
    s1: int
    s2: int
    company_id: int


@pytest.fixture
def setup(fresh_db_url: str) -> Iterator[Setup]:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session, name="Alpha")
        s1 = make_store(session, company=company, name="S1")
        s2 = make_store(session, company=company, name="S2")
        owner = owner_actor(session, company)
        owner_user, owner_member = make_member(session, company=company, role=Role.OWNER)
        manager, manager_actor = make_member(
            session, company=company, role=Role.MANAGER, stores=[s1]
        )
        operator, operator_actor = make_member(
            session, company=company, role=Role.OPERATOR, stores=[s1, s2]
        )
        del owner, owner_user
        tokens = [
            auth_service.issue_token(session, actor=a, name="t")[1]
            for a in (owner_member, manager_actor, operator_actor)
        ]
        cookie = auth_service.start_session(session, user=operator)
        ids = (manager.id, operator.id, s1.id, s2.id, company.id)
    app = create_app(get_settings(), engine=engine, console=False)
    with TestClient(app) as client:
        yield Setup(
            engine=engine,
            client=client,
            owner_token=tokens[0],
            manager_token=tokens[1],
            manager_id=ids[0],
            operator_id=ids[1],
            operator_token=tokens[2],
            operator_cookie=cookie,
            s1=ids[2],
            s2=ids[3],
            company_id=ids[4],
        )
    engine.dispose()


def _h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_revoking_a_store_hides_it_on_the_next_request_token_and_cookie(setup: Setup) -> None:
    c = setup.client
    assert c.get(f"{API_PREFIX}/stores/{setup.s2}", headers=_h(setup.operator_token)).is_success
    assert {s.id for s in load_context(setup.engine, setup.operator_cookie).stores} == {
        setup.s1,
        setup.s2,
    }
    revoke = c.put(
        f"{API_PREFIX}/users/{setup.operator_id}/role",
        json={"role": "operator", "store_ids": [setup.s1]},
        headers=_h(setup.owner_token),
    )
    assert revoke.status_code == 200, revoke.text
    after = c.get(f"{API_PREFIX}/stores/{setup.s2}", headers=_h(setup.operator_token))
    assert after.status_code == 404
    assert after.json() == {
        "error": {"code": "not_found", "message": f"store {setup.s2} not found"}
    }
    listed = c.get(f"{API_PREFIX}/stores", headers=_h(setup.operator_token)).json()
    assert [s["id"] for s in listed] == [setup.s1]
    # the old console cookie still works, but no longer shows the revoked store
    assert [s.id for s in load_context(setup.engine, setup.operator_cookie).stores] == [setup.s1]


def test_disabling_a_user_stops_token_and_cookie_on_the_next_request(setup: Setup) -> None:
    c = setup.client
    assert c.get(f"{API_PREFIX}/me", headers=_h(setup.operator_token)).status_code == 200
    response = c.post(
        f"{API_PREFIX}/users/{setup.operator_id}/disable", headers=_h(setup.owner_token)
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    refused = c.get(f"{API_PREFIX}/me", headers=_h(setup.operator_token))
    assert refused.status_code == 401
    assert refused.json()["error"]["message"] == "this account is disabled or no longer exists"
    with pytest.raises(NotAuthenticated):
        load_context(setup.engine, setup.operator_cookie)


def test_removing_a_membership_stops_the_token(setup: Setup) -> None:
    with session_scope(setup.engine) as session:
        membership = session.scalars(
            select(Membership).where(Membership.user_id == setup.operator_id)
        ).one()
        session.delete(membership)
    refused = setup.client.get(f"{API_PREFIX}/stores", headers=_h(setup.operator_token))
    assert refused.status_code == 401


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (
            {"role": "owner", "store_ids": []},
            "you cannot grant owner: it has rights your role lacks",
        ),
        (
            {"role": "operator", "store_ids": ["S2"]},
            "you can grant access only to stores you work on yourself",
        ),
    ],
)
def test_a_manager_grants_only_roles_they_hold_for_their_own_stores(
    setup: Setup, body: dict[str, object], why: str
) -> None:
    c = setup.client
    body = {**body, "store_ids": [setup.s2 if s == "S2" else s for s in body["store_ids"]]}  # type: ignore[attr-defined]
    before = c.get(f"{API_PREFIX}/users", headers=_h(setup.owner_token)).json()
    for target in (setup.operator_id, setup.manager_id):  # someone else, and themselves
        refused = c.put(
            f"{API_PREFIX}/users/{target}/role", json=body, headers=_h(setup.manager_token)
        )
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"] == {"code": "role_escalation", "message": why}
    created = c.post(
        f"{API_PREFIX}/users",
        json={
            "email": "new.person@example.com",
            "display_name": "New",
            "password": "Plenty-long-9x",
            **body,
        },
        headers=_h(setup.manager_token),
    )
    assert created.status_code == 403
    assert c.get(f"{API_PREFIX}/users", headers=_h(setup.owner_token)).json() == before


def test_an_operator_cannot_manage_users_at_all(setup: Setup) -> None:
    refused = setup.client.put(
        f"{API_PREFIX}/users/{setup.operator_id}/role",
        json={"role": "manager", "store_ids": [setup.s1, setup.s2]},
        headers=_h(setup.operator_token),
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    me = setup.client.get(f"{API_PREFIX}/me", headers=_h(setup.operator_token)).json()
    assert me["role"] == "operator"
