"""The assessment on the simulator's tiny company names the faults it planted and not others;
``storeops assess`` and ``storeops playbook`` work on it from the command line."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from storeops.auth.scoping import system_actor
from storeops.cli.main import app
from storeops.config import get_settings
from storeops.db import get_engine, make_engine, session_scope
from storeops.migrations import upgrade
from storeops.simulate.generate import simulate
from storeops.simulate.scales import parse_scale
from storeops.standard.assessment import Assessment, assess_store
from storeops.stores.models import Store
from tests.conftest import new_database_url

START, END = dt.date(2026, 6, 3), dt.date(2026, 9, 30)  # the tiny scale's default period


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def sim(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, dict[str, Assessment]]:
    url = new_database_url(request.param, tmp_path_factory.mktemp("sim"))
    upgrade(url)
    engine: Engine = make_engine(url)
    simulate(engine, seed=11, scale=parse_scale("tiny"), company_name="Tiny Co")
    with session_scope(engine) as session:
        found = list(session.scalars(select(Store).order_by(Store.id)))
        actor = system_actor(session, found[0].company_id)
        results = {
            s.name: assess_store(session, store=s, actor=actor, start=START, end=END) for s in found
        }
    engine.dispose()
    return url, results


def _check(a: Assessment, code: str) -> dict[str, object]:
    checks = a.finding(code).checks
    assert len(checks) == 1, code
    return {"status": checks[0].status, "detail": checks[0].detail, **checks[0].measured}


def test_planted_under_declared_parcels_are_named_in_every_store(
    sim: tuple[str, dict[str, Assessment]],
) -> None:
    _, results = sim
    assert len(results) == 8
    for name, a in results.items():
        declared = _check(a, "9.1.2")
        # about 8 % of parcels are under-declared at 30-60 % of their value (simulator README)
        assert declared["under_declared"] > 0, name  # type: ignore[operator]
        assert declared["status"] != "evidenced", name


def test_planted_missing_and_expired_certificates_are_named_where_markets_need_them(
    sim: tuple[str, dict[str, Assessment]],
) -> None:
    _, results = sim
    for name in ("Alibaba.com Global", "Amazon US", "Amazon DE", "AliExpress", "eBay UK"):
        certificates = _check(results[name], "3.1.3")
        assert certificates["missing"] + certificates["expired"] > 0, name  # type: ignore[operator]
        assert certificates["status"] in ("partly", "missing"), name
    # no certificate market (EU, GB, US) among these stores' buyers: nothing to name
    for name in ("Amazon JP", "Shopee Malaysia", "Shopee Thailand"):
        assert results[name].finding("3.1.3").status == "not_applicable", name


def test_planted_listing_gaps_and_reply_delays_are_named(
    sim: tuple[str, dict[str, Assessment]],
) -> None:
    _, results = sim
    for name, a in results.items():
        code = "3.2.2" if a.business_model == "b2b" else "3.3.2"
        listings = _check(a, code)
        # the planted gaps (missing fields, one-word titles, 1-2 images) cost points everywhere
        assert listings["average_score"] < 100, name  # type: ignore[operator]
        if name not in ("eBay UK", "AliExpress"):  # there every listing still scores ≥ 80
            assert listings["passing"] < listings["active"], name  # type: ignore[operator]
            assert listings["status"] != "evidenced", name
    replies = _check(results["Alibaba.com Global"], "7.1.1")
    assert replies["unanswered"] > 0 and replies["late"] > 0  # type: ignore[operator]
    assert replies["status"] != "evidenced"


def test_service_hours_are_named_only_for_the_store_closed_on_sunday(
    sim: tuple[str, dict[str, Assessment]],
) -> None:
    _, results = sim
    b2b = _check(results["Alibaba.com Global"], "7.3.2")
    assert (b2b["status"], b2b["detail"]) == (
        "partly",
        "6 of 7 days have 8 h of service; short: Sun 0 h",
    )
    for name, a in results.items():
        if a.business_model == "b2c":  # 09:00-18:00 every day: not a fault, not named
            assert a.finding("7.3.2").status == "evidenced", name
            assert "7.3.2" not in {g.code for g in a.gaps}, name
    gaps = {g.code for g in results["Alibaba.com Global"].gaps}
    assert {"3.1.3", "3.2.2", "7.3.2", "9.1.2"} <= gaps


def test_storeops_assess_and_playbook_on_the_simulated_company(
    sim: tuple[str, dict[str, Assessment]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, results = sim
    monkeypatch.setenv("STOREOPS_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    runner = CliRunner()
    try:
        args = ["assess", "--store", "1", "--from", START.isoformat(), "--to", END.isoformat()]
        result = runner.invoke(app, [*args, "--format", "json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report == json.loads(json.dumps(results["Alibaba.com Global"].as_dict()))
        pdf = tmp_path / "report.pdf"
        result = runner.invoke(app, [*args, "--format", "pdf", "--output", str(pdf)])
        assert result.exit_code == 0, result.output
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
        assert "Alibaba.com Global" in text and "under-declared" in text
        result = runner.invoke(app, [*args, "--format", "pdf"])
        assert result.exit_code == 2 and "a PDF needs --output FILE" in result.output
        shown = runner.invoke(app, ["playbook", "show", "--store", "1", "--on", "2026-09-15",
                                    "--format", "json"])  # fmt: skip
        assert shown.exit_code == 0, shown.output
        items = {i["code"]: i for i in json.loads(shown.stdout)}
        assert len(items) == 111  # a B2B store
        assert items["7.1.1"]["status"] == "done"  # answered inquiries in September
        assert items["7.1.1"]["owner"] == "吴俊 Wu Jun"  # the B2B store's customer service
        assert items["1.1.5"]["status"] == "open"
        done = runner.invoke(app, ["playbook", "done", str(items["1.1.5"]["id"]), "--evidence",
                                   "https://docs.example/q3-competitors"])  # fmt: skip
        assert done.exit_code == 0, done.output
        again = runner.invoke(app, ["playbook", "done", str(items["1.1.5"]["id"]), "-e", "x"])
        assert again.exit_code == 4 and "cannot become done" in again.output
    finally:
        get_engine(url).dispose()
        get_engine.cache_clear()
