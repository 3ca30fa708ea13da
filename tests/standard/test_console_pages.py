"""The playbook and assessment pages in a real Chromium (the console fixture of tests/web)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.web import test_console_browser as browser_test
from tests.web.test_console_browser import (
    B2C_STORE,
    CHROMIUM,
    CHROMIUM_ARGS,
    EMAIL,
    PASSWORD,
    Console,
)

console = browser_test.console  # the fixture, used by name

pytestmark = pytest.mark.browser


def test_playbook_and_assessment_pages(console: Console) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = console.base_url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.goto(f"{base}/login?next=/playbook")
            page.fill("#email", EMAIL)
            page.fill("#password", PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(f"{base}/playbook")
            expect(page.get_by_text(f"{B2C_STORE} 的工作手册", exact=True)).to_be_visible()
            expect(page.get_by_text("第 5 章工作流程(图 A.1),B2C 版本")).to_be_visible()
            expect(page.locator("#playbook-workflow canvas")).to_have_count(1)
            # a B2C store does 93 tasks of Table 1; the owner owns the ones no other role takes
            expect(page.get_by_text("本周期任务")).to_be_visible()
            expect(page.locator(".so-kpi-value").first).to_have_text("93")
            # mark 1.1.6 (brand positioning, a one-off task) done with a link
            row = page.locator("tr", has_text="1.1.6")
            row.locator(".q-checkbox").click()
            page.get_by_label("所选任务的佐证链接").fill("https://docs.example/brand-book")
            page.get_by_role("button", name="标记完成").click()
            expect(page.locator("tr", has_text="1.1.6")).to_contain_text("docs.example/brand-book")
            page.screenshot(path=str(console.shots / "playbook.png"), full_page=True)

            today = dt.datetime.now(dt.UTC).date()
            start = (today - dt.timedelta(days=30)).isoformat()
            page.goto(f"{base}/assessment?start={start}&end={today.isoformat()}")
            expect(page.get_by_text("总分(满分 100)")).to_be_visible()
            expect(page.get_by_text("主要差距", exact=True)).to_be_visible()
            # the store has no platform account and no service hours: both are named gaps
            expect(page.locator("tr", has_text="2.2.2").first).to_contain_text("缺失")
            expect(page.locator("tr", has_text="7.3.2").first).to_contain_text("缺失")
            page.screenshot(path=str(console.shots / "assessment.png"), full_page=True)

            page.goto(f"{base}/staff")
            expect(page.get_by_text("团队能力", exact=True).first).to_be_visible()
            expect(page.locator("#staff-matrix canvas").first).to_be_visible()
            # the owner has done 1.1.6 on time this month (due long ago: late, 0 of 1 on time)
            expect(page.locator("tr", has_text="王经理").first).to_be_visible()
            page.screenshot(path=str(console.shots / "staff.png"), full_page=True)
        finally:
            browser.close()
