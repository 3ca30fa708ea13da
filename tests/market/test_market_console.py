"""The market pages in a real Chromium: import a category's sales, read its analysis, use the
concentration calculator."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from storeops.auth.service import create_user
from storeops.db import make_engine, session_scope
from storeops.migrations import upgrade
from storeops.stores.service import create_company
from tests.factories import make_store
from tests.market.test_health import Shop, at
from tests.market.test_research import SEARCH_CSV, sales_csv
from tests.web.test_console_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    _free_port,
    _require_browser,
    _wait_until_healthy,
)

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "market.lead@example.com", "correct horse battery"


@dataclass
class Server:
    base_url: str
    db_url: str
    tmp: Path


def _prepare(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        owner = create_user(
            session, email=EMAIL, display_name="Market Lead", password=PASSWORD, locale="en"
        )
        company = create_company(session, name="Market Test Co.", owner=owner)
        store = make_store(session, company=company, name="Amazon US", timezone="UTC")
        shop = Shop(session, store)
        day = dt.date(2026, 5, 2)
        while day <= dt.date(2026, 6, 30):  # late shipments creep up: a projected breach
            late = (day.month == 5 and day.day % 10 == 0) or (day.month == 6 and day.day % 5 == 0)
            for i in range(10):
                shop.order(at(day), ship_after_days=3 if late and i == 0 else 1)
            day += dt.timedelta(days=1)
    engine.dispose()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    _require_browser()
    db_url = f"sqlite:///{tmp_path / 'm.db'}"
    _prepare(db_url)
    port = _free_port()
    env = {
        **os.environ,
        "STOREOPS_DATABASE_URL": db_url,
        "STOREOPS_SECRET_KEY": secrets.token_hex(20),
        "STOREOPS_DATA_DIR": str(tmp_path),
    }
    env.pop("STOREOPS_DEMO", None)
    log = tmp_path / "server.log"
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "storeops.api.app:create_app",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=out, stderr=out)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_healthy(process, f"{base}/api/v1/health", log)
        yield Server(base_url=base, db_url=db_url, tmp=tmp_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def test_market_page_imports_and_analyses_a_category(server: Server) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # the first forecast loads statsforecast; 2 busy cores
    base = server.base_url
    sales = server.tmp / "sales.csv"
    sales.write_text(sales_csv())
    search = server.tmp / "search.csv"
    search.write_text(SEARCH_CSV)
    bad = server.tmp / "bad.csv"
    bad.write_text("period,seller,brand,price,units\n2025-13,A,X,1.00,1\n")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(30_000)
            page.goto(f"{base}/login")
            page.fill("#email", EMAIL)
            page.fill("#password", PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/")
            page.locator(".q-drawer").get_by_text("Market research", exact=True).click()
            page.wait_for_url(f"{base}/market")
            expect(
                page.get_by_text("No market data yet: import a sales CSV below.")
            ).to_be_visible()

            page.get_by_label("Category").fill("Earbuds")
            uploads = page.locator("input[type=file]")
            uploads.nth(0).set_input_files(str(bad))
            expect(page.locator(".so-import-error")).to_contain_text(
                "row 2, period: '2025-13' is not a month"
            )
            uploads.nth(0).set_input_files(str(sales))
            page.wait_for_url(f"{base}/market?dataset=*")
            expect(page.locator(".so-hhi").first).to_have_text(
                "CR4 100.0 % · CR8 100.0 % · HHI 2,600: Highly concentrated"
            )
            expect(page.get_by_text("13000.00 USD", exact=True)).to_be_visible()
            expect(page.locator(".so-best-band")).to_have_text(
                "Best-selling band: 20.00 USD to 25.00 USD, 41.7 % of units"
            )
            expect(page.locator(".so-forecast")).to_contain_text("AutoETS")
            expect(page.get_by_role("cell", name="2025-01", exact=True)).to_be_visible()
            expect(page.get_by_role("cell", name="2025-10", exact=True)).to_be_visible()
            page.screenshot(path=server.tmp / "market.png", full_page=True)

            # 1.1.7: a plan drawn from the trends of this market
            page.locator(".so-plan").click()
            expect(
                page.get_by_role("cell", name="Have a model priced 20.00 USD to 25.00 USD")
            ).to_be_visible()

            # The calculator: four equal firms sit on the 2010 boundary
            page.locator(".so-calc-input textarea").fill("A, 1\nB, 1\nC, 1\nD, 1")
            page.locator(".so-calc").click()
            expect(page.locator(".so-hhi").last).to_have_text(
                "CR4 100.0 % · CR8 100.0 % · HHI 2,500: Moderately concentrated"
            )

            # 1.1.8: the two example candidates, scored and explained
            page.locator(".so-score-products").click()
            expect(page.get_by_role("cell", name="8.25", exact=True)).to_be_visible()
            expect(page.get_by_role("cell", name="8.00 USD", exact=True)).to_be_visible()

            # 1.2.1: three platforms scored, a written recommendation, kept as a run
            page.locator(".q-drawer").get_by_text("Platforms", exact=True).click()
            page.wait_for_url(f"{base}/market/platforms")
            expect(page.locator(".so-profile")).to_have_count(17)
            page.locator(".so-run-selection").click()
            expect(page.locator(".so-recommendation")).to_contain_text("Recommend ")
            expect(page.locator(".so-ranking tbody tr")).to_have_count(3)
            expect(page.locator(".so-sensitivity")).to_contain_text("Sensitivity")
            page.reload()
            expect(
                page.get_by_text("Earlier run 1: Platform selection", exact=False)
            ).to_be_visible()
            page.screenshot(path=server.tmp / "platforms.png", full_page=True)

            # Account health: the late-shipment rate is heading for 4 %
            page.locator(".q-drawer").get_by_text("Account health", exact=True).click()
            page.wait_for_url(f"{base}/market/health")
            check = page.locator(".so-health-check").filter(has_text="Late shipment rate below 4 %")
            expect(check.locator(".so-status-at_risk")).to_be_visible()
            expect(check.locator(".so-breach")).to_contain_text(
                "At the current rate it breaches on 2026-"
            )
            expect(check).to_contain_text("Now 1.99 % (6 of 301); target < 4 %")

            # 2.3.2: a new Amazon rule version with a stricter threshold opens a task
            page.locator(".q-drawer").get_by_text("Platform rules", exact=True).click()
            page.wait_for_url(f"{base}/market/rules")
            expect(page.locator(".so-rules").first).to_contain_text("Late shipment rate below 4 %")
            editor = page.locator(".so-rules-json textarea")
            text = editor.input_value()
            text = text.replace('"version": "bundled-2024-06"', '"version": "2026-12"')
            text = text.replace('"threshold": 4.0', '"threshold": 3.0')
            editor.fill(text)
            page.locator(".so-import-rules").click()
            expect(page.locator(".so-follow-up-count")).to_have_text(
                "1 store(s) affected; 1 follow-up task(s) opened."
            )
            expect(page.locator(".so-change")).to_have_text(["Changed: late_shipment (threshold)"])
            page.reload()
            expect(page.locator(".so-task")).to_contain_text(
                "Amazon US: adjust to amazon rules 2026-12 (changed late_shipment)"
            )
            page.screenshot(path=server.tmp / "rules.png", full_page=True)

            # 1.2.2: a checklist for a mainland company on Amazon; 2.1.2 review of the store
            page.locator(".q-drawer").get_by_text("Onboarding and account security").click()
            page.wait_for_url(f"{base}/market/onboarding")
            page.locator(".so-start-checklist").click()
            expect(page.locator(".so-checklist")).to_contain_text(
                "amazon · Mainland China company · 12 required open, 0 expired"
            )
            expect(page.get_by_text("No accounts recorded for this store.")).to_be_visible()

            # 1.1.6: a brand for the US and Germany, then a US trademark
            page.locator(".so-brand-name input").fill("Aurora")
            page.locator(".so-brand-markets input").fill("US, DE")
            page.locator(".so-save-brand").click()
            expect(page.locator(".so-brand-finding").first).to_have_text(
                "no live trademark in DE, US"
            )
            page.locator(".so-ip-number input").fill("5000001")
            page.locator(".so-add-ip").click()
            expect(page.locator(".so-brand-finding").first).to_have_text("no live trademark in DE")
        finally:
            browser.close()
