"""The imports API: upload with IMPORT_RUN, tenant scoping, refusals, error-file download."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from storeops.orders.models import Order
from tests.connectors.factories import ALL_ORDERS_HEADER, order_row, tsv
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
        store = make_store(session, company=alpha, name="A1")
        other = make_store(session, company=beta, name="B1")
        tokens = {}
        for role in (Role.OWNER, Role.OPERATOR, Role.VIEWER):
            _, actor = make_member(session, company=alpha, role=role, stores=[store])
            tokens[role.value] = auth_service.issue_token(session, actor=actor, name="t")[1]
        ids = store.id, other.id
    app = create_app(get_settings(), engine=engine, console=False)
    with TestClient(app) as client:
        yield World(client, engine, tokens, *ids)
    engine.dispose()


def _upload(world: World, role: str, data: bytes, store: int | None = None, **form: str):
    return world.client.post(
        f"{API_PREFIX}/imports",
        headers={"Authorization": f"Bearer {world.tokens[role]}"},
        data={
            "store_id": str(store or world.store),
            "platform": "amazon",
            "report": "all-orders",
            **form,
        },
        files={"file": ("orders.txt", data, "text/tab-separated-values")},
    )


def _orders(world: World) -> int:
    with session_scope(world.engine) as session:
        return int(session.scalar(select(func.count()).select_from(Order)) or 0)


def test_an_operator_imports_and_a_viewer_may_not(world: World) -> None:
    data = tsv(ALL_ORDERS_HEADER, [order_row("111-1")])
    denied = _upload(world, "viewer", data)
    assert denied.status_code == 403
    assert _orders(world) == 0
    done = _upload(world, "operator", data)
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["status"], body["rows_imported"], body["counts"]["orders"]["inserted"]) == (
        "succeeded",
        1,
        1,
    )
    jobs = world.client.get(
        f"{API_PREFIX}/imports/jobs", headers={"Authorization": f"Bearer {world.tokens['owner']}"}
    ).json()
    assert [j["id"] for j in jobs] == [body["id"]]


def test_another_companys_store_answers_like_a_missing_one(world: World) -> None:
    response = _upload(world, "owner", tsv(ALL_ORDERS_HEADER, [order_row("1")]), store=world.other)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == f"store {world.other} not found"


def test_a_refused_file_is_422_with_the_reason(world: World) -> None:
    response = _upload(world, "owner", b"")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "orders.txt is empty"


def test_rejected_rows_come_back_and_the_error_file_defuses_formulas(world: World) -> None:
    data = tsv(ALL_ORDERS_HEADER, [order_row("111-1"), order_row("@SUM(A1)", price="-1")])
    body = _upload(world, "owner", data).json()
    assert body["status"] == "rejected"
    assert [(e["row"], e["column"], e["reason"]) for e in body["errors"]] == [
        (3, "item-price", "is negative")
    ]
    auth = {"Authorization": f"Bearer {world.tokens['owner']}"}
    url = f"{API_PREFIX}/imports/jobs/{body['id']}/errors"
    text = world.client.get(url, headers=auth).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:4] == ["3", "item-price", "is negative ('-1')", "'@SUM(A1)"]
    xlsx = world.client.get(url, params={"format": "xlsx"}, headers=auth)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert cells[3] == "'@SUM(A1)"
    assert all(not str(c).startswith(("=", "+", "-", "@")) for c in cells if c)
    assert _orders(world) == 0
