"""The catalog pages in a real Chromium against a tiny simulated company: quality scores, the
zero-effect list with a bulk hide that is recorded, and certificate gaps."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Listing, ListingAction
from storeops.db import make_engine, session_scope
from storeops.migrations import upgrade
from storeops.simulate.generate import simulate
from storeops.simulate.scales import parse_scale
from tests.web.test_console_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    _choose,
    _free_port,
    _require_browser,
    _wait_until_healthy,
)

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
OWNER = "owner@consolesimco.example"
GOOD_PAGE = (
    "<title>Magnetic Car Phone Holders | Acme</title><h1>Holders</h1>"
    '<a href="/about.html">About</a>'
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    _require_browser()
    db_url = f"sqlite:///{tmp_path / 'c.db'}"
    upgrade(db_url)
    engine = make_engine(db_url)
    simulate(engine, seed=5, scale=parse_scale("tiny"), company_name="Console Sim Co",
             staff_password=PASSWORD)  # fmt: skip
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "STOREOPS_DATABASE_URL": db_url,
           "STOREOPS_SECRET_KEY": secrets.token_hex(20), "STOREOPS_DATA_DIR": str(tmp_path)}  # fmt: skip
    env.pop("STOREOPS_DEMO", None)
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "uvicorn", "--factory", "storeops.api.app:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=out, stderr=out)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_healthy(process, f"{base}/api/v1/health", log)
        yield base, db_url
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_catalog_pages_show_scores_zero_effect_listings_and_record_a_bulk_hide(
    server: tuple[str, str],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, db_url = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(
                locale="zh-CN", viewport={"width": 1440, "height": 900}
            ).new_page()
            page.set_default_timeout(20_000)
            page.goto(f"{base}/login")
            page.fill("#email", OWNER)
            page.fill("#password", PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(f"{base}/")

            page.locator(".q-drawer").get_by_text("商品质量检查", exact=True).click()
            page.wait_for_url(f"{base}/catalog/quality")
            expect(page.get_by_text("已检查商品", exact=True)).to_be_visible()
            expect(page.locator("tbody tr").first).to_be_visible()
            expect(page.get_by_text("违禁词:", exact=False).first).to_be_visible()

            page.goto(f"{base}/catalog/zero-effect?start=2026-09-24&end=2026-09-30")
            summary = page.get_by_text(re.compile(r"2026-09-24 至 2026-09-30 共 \d+ 个零效果商品"))
            expect(summary).to_be_visible()
            found = int(re.findall(r"共 (\d+) 个", summary.inner_text())[0])
            assert found >= 2  # the simulator plants zero-effect listings in four stores
            page.locator("tbody tr").first.locator(".q-checkbox").click()
            page.get_by_label("原因").fill("一周无曝光")
            page.get_by_role("button", name="下架", exact=True).click()
            expect(
                page.get_by_text(f"2026-09-24 至 2026-09-30 共 {found - 1} 个零效果商品")
            ).to_be_visible()
            expect(page.get_by_text("一周无曝光")).to_be_visible()

            page.goto(f"{base}/catalog/certificates?on=2026-09-30")
            expect(page.get_by_text("缺少必需证书的商品", exact=True)).to_be_visible()
            expect(page.get_by_text("缺失").first).to_be_visible()

            for path, text in (
                ("/catalog/launch-plan", "落后计划的周数"),
                ("/catalog/groups", "负责业务员"),
                ("/catalog/showcase?on=2026-09-30", "建议替换为商品 ID"),
                ("/catalog/diagnosis?start=2026-09-01&end=2026-09-30", "建议措施"),
                ("/catalog/competitors", "预估月销量"),
                ("/catalog/sourcing", "月搜索量"),
            ):
                response = page.goto(f"{base}{path}")
                assert response is not None and response.status == 200, path
                expect(page.get_by_text(text).first).to_be_visible()
            expect(page.locator("tbody tr").first).to_be_visible()

            # marketing (stage 5) pages of the same console: the simulator's wasteful keywords
            # (seed 5 plants three in AliExpress: choose that store in the header)
            page.goto(f"{base}/marketing/ads?start=2026-06-03&end=2026-09-30")
            _choose(page, "店铺", "AliExpress")
            expect(page.get_by_text("当前显示")).to_have_count(0)
            expect(page.get_by_text("无效花费关键词", exact=True)).to_be_visible()
            expect(page.locator(".q-badge", has_text="暂停")).to_have_count(3)
            page.goto(f"{base}/marketing/promotions?start=2026-06-03&end=2026-09-30")
            expect(page.get_by_text("订单提升").first).to_be_visible()
            expect(page.locator("tbody tr").first).to_be_visible()
            page.goto(f"{base}/marketing/social?start=2026-06-03&end=2026-09-30")
            expect(page.get_by_text("全部帖子").first).to_be_visible()
            page.goto(f"{base}/marketing/live")
            expect(page.get_by_text("暂无直播计划。")).to_be_visible()

            # 5.5: upload two pages and a sitemap, audit them
            page.goto(f"{base}/marketing/seo")
            page.locator("input[type=file]").set_input_files(
                [
                    {"name": "index.html", "mimeType": "text/html", "buffer": GOOD_PAGE.encode()},
                    {
                        "name": "about.html",
                        "mimeType": "text/html",
                        "buffer": b"<title>About</title>",
                    },
                ]
            )
            expect(page.get_by_text("about.html").first).to_be_visible()
            page.wait_for_timeout(1000)  # the uploads reach the server
            page.get_by_role("button", name="检查").click()
            expect(
                page.get_by_text("description: the page has no meta description").first
            ).to_be_visible()
        finally:
            browser.close()
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        (action,) = session.scalars(select(ListingAction)).all()
        assert (action.action, action.reason, action.user_id is not None) == (
            "hide",
            "一周无曝光",
            True,
        )
        assert session.get(Listing, action.listing_id).status == ListingStatus.INACTIVE  # type: ignore[union-attr]
    engine.dispose()
