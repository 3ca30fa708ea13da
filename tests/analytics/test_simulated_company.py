"""The registry on a simulated company finds what the simulator planted (simulate/README.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storeops.analytics.metrics import compute_metrics, open_warehouse
from storeops.analytics.warehouse import rebuild_warehouse
from storeops.auth.scoping import system_actor
from storeops.db import make_engine
from storeops.migrations import upgrade
from storeops.simulate.generate import simulate
from storeops.simulate.scales import parse_scale
from storeops.stores.models import Company, Store
from storeops.web.pages.analytics import B2B_OVERVIEW, B2C_OVERVIEW
from tests.conftest import new_database_url

# the tiny scale's default period (simulate/README.md, "Scales and period")
START, END = dt.date(2026, 6, 3), dt.date(2026, 9, 30)


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Path]]:
    directory = tmp_path_factory.mktemp("sim")
    url = new_database_url("sqlite", directory)
    upgrade(url)
    engine = make_engine(url)
    simulate(engine, seed=3, scale=parse_scale("tiny"), company_name="Sim Co")
    rebuild_warehouse(url, directory / "warehouse.duckdb")
    yield engine, directory / "warehouse.duckdb"
    engine.dispose()


def _report(company: tuple[Engine, Path], store_name: str, metrics: list[str]) -> Any:
    engine, warehouse = company
    with Session(engine) as session, open_warehouse(warehouse) as reader:
        company_id = session.scalars(select(Company.id)).one()
        store = session.scalars(select(Store).where(Store.name == store_name)).one()
        return compute_metrics(
            session, actor=system_actor(session, company_id), reader=reader, store_id=store.id,
            start=START, end=END, metrics=metrics,
        )  # fmt: skip


def test_conversion_and_after_sales_rates_match_the_store_specs(
    company: tuple[Engine, Path],
) -> None:
    # Amazon US: conversion 11 %, cancellations 1.5 %, refunds 6 % of shipped orders (StoreSpec)
    amazon = _report(company, "Amazon US", list(B2C_OVERVIEW))
    assert Decimal("0.08") < amazon.value("conversion_rate") < Decimal("0.14")
    assert Decimal("0.02") < amazon.value("refund_request_rate") < Decimal("0.12")
    assert amazon.value("orders_paid") > 100
    # every overview figure is a number or a dash with a reason, never NaN
    for figure in amazon.figures:
        assert figure.value is not None or figure.reason
        assert "nan" not in figure.display.lower()
    # the B2B overview runs on the Alibaba.com store, with its inquiries
    alibaba = _report(company, "Alibaba.com Global", list(B2B_OVERVIEW))
    assert alibaba.value("inquiries") > 0
    assert alibaba.value("orders_drafted") >= alibaba.value("orders_paid") > 0


def test_shopee_thailand_opens_a_third_into_the_period(company: tuple[Engine, Path]) -> None:
    engine, warehouse = company
    with Session(engine) as session, open_warehouse(warehouse) as reader:
        company_id = session.scalars(select(Company.id)).one()
        store = session.scalars(select(Store).where(Store.name == "Shopee Thailand")).one()
        report = compute_metrics(
            session, actor=system_actor(session, company_id), reader=reader, store_id=store.id,
            start=START, end=END, metrics=["orders_drafted"], by="month",
        )  # fmt: skip
    by_month = {f.group: f.value for f in report.figures}
    # 120 days from 06-03: the store opens around 07-12 and ramps up over 90 days
    assert "2026-06-01" not in by_month
    assert by_month["2026-09-01"] > by_month["2026-07-01"] > 0


def test_clv_fits_a_simulated_stores_buyers(
    company: tuple[Engine, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from storeops.cli.main import app
    from storeops.config import get_settings
    from storeops.db import get_engine

    engine, warehouse = company
    monkeypatch.setenv("STOREOPS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    get_engine.cache_clear()
    with Session(engine) as session:
        store_id = session.scalars(select(Store.id).where(Store.name == "Amazon US")).one()
    paying = _report(company, "Amazon US", ["paying_buyers"]).value("paying_buyers")
    result = CliRunner().invoke(
        app,
        ["clv", "store", "--store", str(store_id), "--from", START.isoformat(), "--to",
         END.isoformat(), "--warehouse", str(warehouse), "--predict", "12", "--top", "5",
         "--format", "json"],
    )  # fmt: skip
    get_engine.cache_clear()
    assert result.exit_code == 0, result.output
    fitted = json.loads(result.stdout)
    # every paying buyer of the period is a customer of the model; 27 % of orders come from
    # returning buyers (simulate/README.md), so some buyers have repeat purchases
    assert fitted["customers"] == paying
    assert fitted["repeat_customers"] > 2
    assert all(fitted[k] > 0 for k in ("r", "alpha", "a", "b", "p", "q", "gamma"))
    if fitted["q"] > 1:
        assert len(fitted["top_customers"]) == 5
    else:  # a heavy spend tail: the fit is shown and the value forecast refused with the reason
        assert fitted["top_customers"] == [] and "at most 1" in fitted["spend_note"]
