"""The imports page in a real Chromium: upload, preview, import, refusal, error-file download."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from storeops.db import make_engine, session_scope
from storeops.orders.models import Order
from tests.connectors.factories import ALL_ORDERS_HEADER, order_row, tsv
from tests.web.test_console_browser import (  # noqa: F401 (the console fixture)
    CHROMIUM,
    CHROMIUM_ARGS,
    EMAIL,
    PASSWORD,
    Console,
    console,
)

pytestmark = pytest.mark.browser


def _orders(db_url: str) -> int:
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            return int(session.scalar(select(func.count()).select_from(Order)) or 0)
    finally:
        engine.dispose()


def test_upload_preview_import_and_bad_rows(console: Console, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    good = tmp_path / "orders.txt"
    good.write_bytes(tsv(ALL_ORDERS_HEADER, [order_row("111-1"), order_row("111-2")]))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(tsv(ALL_ORDERS_HEADER, [order_row("111-3"), order_row("=CMD()", quantity="x")]))
    base = console.base_url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="zh-CN").new_page()
            page.set_default_timeout(20_000)
            page.goto(f"{base}/login")
            page.fill("#email", EMAIL)
            page.fill("#password", PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(f"{base}/")
            page.locator(".q-drawer").get_by_text("数据导入", exact=True).click()
            page.wait_for_url(f"{base}/imports")
            page.locator("input[type=file]").set_input_files(str(good))
            expect(page.get_by_text("orders.txt 预览", exact=False)).to_be_visible()
            expect(page.get_by_role("cell", name="111-2", exact=True)).to_be_visible()
            page.get_by_test_id("import-run").click()
            expect(page.get_by_test_id("import-status")).to_have_text("succeeded")
            assert _orders(console.db_url) == 2
            page.screenshot(path=console.shots / "imports.png", full_page=True)

            page.locator("input[type=file]").set_input_files(str(bad))
            expect(page.get_by_text("bad.txt 预览", exact=False)).to_be_visible()
            page.get_by_test_id("import-run").click()
            expect(page.get_by_test_id("import-status")).to_have_text("rejected")
            errors = page.get_by_test_id("import-errors")
            expect(errors.get_by_role("cell", name="quantity", exact=True)).to_be_visible()
            with page.expect_download() as download:
                page.get_by_role("button", name="下载错误文件（CSV）").click()
            text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
            assert "'=CMD()" in text and "\n=CMD()" not in text
            assert _orders(console.db_url) == 2
        finally:
            browser.close()
