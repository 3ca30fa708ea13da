"""The playbook and assessment API: round trips, permissions, another tenant's ids."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from tests.factories import make_company, make_member, make_store


@dataclass
class World:
    client: TestClient
    engine: Engine
    tokens: dict[str, str]
    store: int
    other: int


@pytest.fixture
def world(fresh_db_url: str) -> Iterator[World]:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        alpha = make_company(session, name="Alpha")
        beta = make_company(session, name="Beta")
        store = make_store(session, company=alpha, name="A1", timezone="UTC")
        other = make_store(session, company=beta, name="B1")
        tokens = {}
        for role in (Role.MANAGER, Role.CUSTOMER_SERVICE, Role.VIEWER, Role.OPERATOR):
            _, actor = make_member(session, company=alpha, role=role, stores=[store])
            tokens[role.value] = auth_service.issue_token(session, actor=actor, name="t")[1]
        ids = (store.id, other.id)
    app = create_app(get_settings(), engine=engine, console=False)
    with TestClient(app) as client:
        yield World(client, engine, tokens, *ids)
    engine.dispose()


def _h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_playbook_round_trip(world: World) -> None:
    c, t = world.client, world.tokens
    base = f"{API_PREFIX}/playbook"
    made = c.post(f"{base}/stores/{world.store}/generate?on=2026-03-02", headers=_h(t["manager"]))
    assert made.status_code == 200, made.text
    assert len(made.json()) == 93
    listed = c.get(
        f"{base}/stores/{world.store}?on=2026-03-02&status=open", headers=_h(t["viewer"])
    )
    assert listed.status_code == 200 and len(listed.json()) == 93
    item = next(i for i in listed.json() if i["task_code"] == "7.3.1")
    assert item["due_on"] == "2024-01-31" and item["cadence"] == "once"
    refused = c.post(
        f"{base}/items/{item['id']}/done", json={"evidence": ["x"]}, headers=_h(t["viewer"])
    )
    assert refused.status_code == 403
    empty = c.post(f"{base}/items/{item['id']}/done", json={"evidence": []},
                   headers=_h(t["customer_service"]))  # fmt: skip
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "evidence"
    done = c.post(f"{base}/items/{item['id']}/done", json={"evidence": ["https://help.example/channels"]},
                  headers=_h(t["customer_service"]))  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "done"
    due = c.get(f"{base}/due", headers=_h(t["customer_service"])).json()
    assert item["id"] not in {d["id"] for d in due}
    assert all(d["overdue_days"] >= 0 for d in due)
    steps = c.get(
        f"{base}/stores/{world.store}/workflow?on=2026-03-02", headers=_h(t["viewer"])
    ).json()
    assert [s["code"] for s in steps][:3] == ["5.1", "5.2", "5.3"]
    assert next(s for s in steps if s["code"] == "5.18")["done"] == 1  # 7.3.1 is under 5.18


def test_another_tenants_ids_answer_like_missing_ones(world: World) -> None:
    c, t = world.client, world.tokens
    foreign = c.get(f"{API_PREFIX}/playbook/stores/{world.other}", headers=_h(t["manager"]))
    missing = c.get(f"{API_PREFIX}/playbook/stores/999999", headers=_h(t["manager"]))
    assert foreign.status_code == missing.status_code == 404
    message = foreign.json()["error"]["message"]
    assert message.replace(str(world.other), "N") == missing.json()["error"]["message"].replace(
        "999999", "N"
    )
    assessed = c.get(f"{API_PREFIX}/assessment/stores/{world.other}?from=2026-03-01&to=2026-03-31",
                     headers=_h(t["manager"]))  # fmt: skip
    assert assessed.status_code == 404


def test_assessment_api(world: World) -> None:
    c, t = world.client, world.tokens
    url = f"{API_PREFIX}/assessment/stores/{world.store}?from=2026-03-01&to=2026-03-31"
    assert c.get(url, headers=_h(t["operator"])).status_code == 403  # no assessment.run
    body = c.get(url, headers=_h(t["manager"])).json()
    assert len(body["findings"]) == 127 and body["scores"]["overall"] == "0.0"
    html = c.get(
        url.replace(f"{world.store}?", f"{world.store}/report.html?"), headers=_h(t["manager"])
    )
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    pdf = c.get(
        url.replace(f"{world.store}?", f"{world.store}/report.pdf?"), headers=_h(t["manager"])
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    bad = c.get(url.replace("to=2026-03-31", "to=2026-02-01"), headers=_h(t["manager"]))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "to"
    checks = c.get(f"{API_PREFIX}/assessment/checks", headers=_h(t["manager"])).json()
    assert len(checks) == 16 and {"7.3.2"} <= {code for ch in checks for code in ch["task_codes"]}
    diff = c.get(
        f"{API_PREFIX}/assessment/stores/{world.store}/compare?from=2026-04-01&to=2026-04-30"
        "&before_from=2026-03-01&before_to=2026-03-31",
        headers=_h(t["manager"]),
    ).json()
    assert diff["improved"] == [] and diff["overall_change"] == "0.0"
