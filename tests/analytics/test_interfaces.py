"""`storeops warehouse|metrics` and the analytics API on the hand-built store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.cli.main import app
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from storeops.stores.models import Company, Store
from tests.analytics.dataset import build
from tests.factories import make_member

runner = CliRunner()


def test_cli_syncs_lists_and_computes_in_every_format(fresh_db_url: str, tmp_path: Path) -> None:
    engine = make_engine(fresh_db_url)
    data = build(engine)
    engine.dispose()
    missing = runner.invoke(
        app,
        [
            "metrics",
            "compute",
            "--store",
            str(data.store_id),
            "--from",
            "2025-03-01",
            "--to",
            "2025-03-07",
        ],
    )
    assert missing.exit_code == 4
    assert "run `storeops warehouse sync` first" in missing.output
    synced = runner.invoke(app, ["warehouse", "sync"])
    assert synced.exit_code == 0, synced.output
    assert "orders refreshed" in synced.output
    listed = runner.invoke(app, ["metrics", "list", "--format", "json"])
    slugs = [m["slug"] for m in json.loads(listed.stdout)]
    assert {"amount_per_order", "conversion_rate", "product_ranking"} <= set(slugs)

    base = [
        "metrics",
        "compute",
        "--store",
        str(data.store_id),
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-07",
    ]
    as_json = runner.invoke(
        app,
        [
            *base,
            "-m",
            "amount_per_order",
            "-m",
            "ctr",
            "-m",
            "traffic_source_top",
            "--format",
            "json",
        ],
    )
    assert as_json.exit_code == 0, as_json.output
    payload = json.loads(as_json.stdout)
    assert payload["store"]["name"] == "Hand Shop"
    figures = {f["metric"]: (f["value"], f["display"]) for f in payload["figures"]}
    assert figures == {"amount_per_order": ("33.33", "33.33 USD"), "ctr": ("0.050000", "5.00 %")}
    assert [(r["key"], r["value"]) for r in payload["rankings"]["traffic_source_top"]] == [
        ("organic_search", 50),
        ("paid", 20),
    ]
    as_csv = runner.invoke(app, [*base, "-m", "orders_paid", "--by", "day", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(r["group"], r["value"]) for r in rows] == [
        ("2025-03-01", "1"),
        ("2025-03-03", "2"),
        ("2025-03-05", "0"),
        ("2025-03-06", "0"),
    ]
    table = runner.invoke(app, [*base, "-m", "roas"])
    assert "4.00×" in table.stdout
    unknown = runner.invoke(app, [*base, "-m", "gmv_magic"])
    assert unknown.exit_code == 2
    assert "unknown metric gmv_magic" in unknown.output
    reversed_period = runner.invoke(
        app,
        [
            "metrics",
            "compute",
            "--store",
            str(data.store_id),
            "--from",
            "2025-03-07",
            "--to",
            "2025-03-01",
        ],
    )
    assert reversed_period.exit_code == 2
    assert "starts (2025-03-07) after it ends (2025-03-01)" in reversed_period.output
    rfm = runner.invoke(app, ["metrics", "rfm", *base[2:], "--format", "json"])
    assert rfm.exit_code == 0, rfm.output
    assert {r["segment"]: r["buyers"] for r in json.loads(rfm.stdout)}["promising"] == 1
    top = runner.invoke(app, ["metrics", "rfm", *base[2:], "--buyers", "1", "--format", "csv"])
    first = next(csv.DictReader(io.StringIO(top.stdout)))
    assert (first["buyer_id"], first["segment"], first["monetary"]) == (
        str(data.buyers["ann"]), "promising", "8000",
    )  # fmt: skip
    rebuilt = runner.invoke(app, ["warehouse", "rebuild"])
    assert rebuilt.exit_code == 0 and "rebuilt" in rebuilt.output
    exported = runner.invoke(app, ["warehouse", "export-parquet", str(tmp_path / "parquet")])
    assert exported.exit_code == 0, exported.output
    parquet = str(tmp_path / "parquet" / "fact_orders.parquet")
    assert duckdb.sql(f"SELECT count(*) FROM '{parquet}'").fetchall() == [(8,)]


def test_api_computes_for_the_actors_stores_only(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    data = build(engine)
    assert runner.invoke(app, ["warehouse", "sync"]).exit_code == 0
    with session_scope(engine) as session:
        company = session.get(Company, data.company_id)
        assert company is not None
        other = session.get(Store, data.other_store_id)
        assert other is not None
        _, operator = make_member(session, company=company, role=Role.OPERATOR, stores=[other])
        token = auth_service.issue_token(session, actor=operator, name="t")[1]
        _, owner = make_member(session, company=company, role=Role.OWNER)
        owner_token = auth_service.issue_token(session, actor=owner, name="t")[1]
    client = TestClient(create_app(get_settings(), engine=engine, console=False))
    query = {"from": "2025-03-01", "to": "2025-03-07", "metric": ["orders_paid_amount", "cpc"]}
    url = f"{API_PREFIX}/analytics/stores/{data.store_id}/metrics"
    hidden = client.get(url, params=query, headers={"Authorization": f"Bearer {token}"})
    assert hidden.status_code == 404
    assert hidden.json()["error"]["message"] == f"store {data.store_id} not found"
    ok = client.get(url, params=query, headers={"Authorization": f"Bearer {owner_token}"})
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert [(f["metric"], f["value"], f["currency"]) for f in body["figures"]] == [
        ("orders_paid_amount", "100.00", "USD"),
        ("cpc", "0.60", "USD"),
    ]
    empty = client.get(
        url,
        params={"from": "2024-01-01", "to": "2024-01-02", "metric": "ctr"},
        headers={"Authorization": f"Bearer {owner_token}"},
    ).json()
    assert empty["figures"][0]["value"] is None
    assert empty["figures"][0]["reason"] == "no impressions in the period"
    bad = client.get(
        url, params={**query, "metric": "nope"}, headers={"Authorization": f"Bearer {owner_token}"}
    )
    assert bad.status_code == 422
    assert "unknown metric nope" in bad.json()["error"]["message"]
    listed = client.get(
        f"{API_PREFIX}/analytics/metrics", headers={"Authorization": f"Bearer {token}"}
    )
    assert listed.status_code == 200
    assert any(m["slug"] == "amount_per_buyer" and m["name_zh"] == "客单价" for m in listed.json())
    engine.dispose()
