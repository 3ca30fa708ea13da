"""The B2C overview dashboard in a real Chromium: hand-worked figures, charts, period comparison."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from storeops.analytics.warehouse import sync_warehouse
from storeops.db import make_engine
from storeops.migrations import upgrade
from tests.analytics.dataset import HandShop, build
from tests.factories import PASSWORD
from tests.web.test_console_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    _free_port,
    _require_browser,
    _wait_until_healthy,
)

pytestmark = pytest.mark.browser
EMAIL = "dian.zhang@example.com"


@dataclass
class Server:
    base_url: str
    data: HandShop
    shots: Path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    _require_browser()
    db_url = f"sqlite:///{tmp_path / 't.db'}"
    upgrade(db_url)
    engine = make_engine(db_url)
    data = build(engine, owner_email=EMAIL)
    engine.dispose()
    sync_warehouse(db_url, tmp_path / "warehouse.duckdb")
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
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(process, f"{base_url}/api/v1/health", log)
        yield Server(base_url, data, tmp_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def test_b2c_overview_shows_the_hand_worked_figures_and_charts(server: Server) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, data = server.base_url, server.data
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(
                locale="zh-CN", viewport={"width": 1440, "height": 900}
            ).new_page()
            page.set_default_timeout(20_000)
            target = f"/analytics?store={data.store_id}&from=2025-03-01&to=2025-03-07"
            page.goto(base + target)
            page.fill("#email", EMAIL)
            page.fill("#password", PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(base + target)
            expect(page.get_by_text("B2C 店铺分析概览（6.2）")).to_be_visible()
            expect(page.locator('[data-metric="amount_per_order"]')).to_have_text("33.33 USD")
            expect(page.locator('[data-metric="conversion_rate"]')).to_have_text("4.00 %")
            expect(page.locator('[data-metric="roas"]')).to_have_text("4.00×")
            expect(page.get_by_text("笔单价", exact=True)).to_be_visible()
            # the previous week had one paid order (70.00): 3 orders now is +200.0 %
            paid = page.locator(".so-card").filter(has=page.locator('[data-metric="orders_paid"]'))
            expect(paid.get_by_text("+200.0 %")).to_be_visible()
            expect(page.locator(".so-card canvas")).to_have_count(
                3
            )  # daily line, sources, countries
            expect(page.get_by_role("cell", name="Thing A")).to_be_visible()
            page.get_by_text("这些数据背后的订单（最新 5 笔）").click()
            expect(page.get_by_role("cell", name="O5", exact=True)).to_be_visible()
            page.screenshot(path=server.shots / "dashboard-zh.png", full_page=True)
            # an empty period: dashes with reasons, no NaN
            page.goto(f"{base}/analytics?store={data.store_id}&from=2024-01-01&to=2024-01-07")
            expect(page.locator('[data-metric="amount_per_order"]')).to_have_text("—")
            expect(page.get_by_text("no paid orders in the period").first).to_be_visible()
            assert "NaN" not in page.content()
        finally:
            browser.close()
