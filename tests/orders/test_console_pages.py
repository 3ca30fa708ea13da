"""The inquiries and orders pages in a real Chromium: overdue queue, a reply, a timeline, refunds."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from storeops.crm.models import InquiryReply
from storeops.db import make_engine, session_scope
from storeops.orders.models import RefundRequest
from storeops.stores.models import Store
from tests.crm.factories import make_buyer, make_inquiry
from tests.orders.factories import make_order
from tests.web.test_console_browser import (  # noqa: F401  (the fixture is used by name)
    B2B_STORE,
    B2C_STORE,
    CHROMIUM,
    CHROMIUM_ARGS,
    EMAIL,
    PASSWORD,
    Console,
    console,
)

pytestmark = pytest.mark.browser


def _plant(db_url: str) -> tuple[int, int, int]:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        store = session.scalars(select(Store).where(Store.name == B2C_STORE)).one()
        buyer = make_buyer(session, store=store)
        inquiry = make_inquiry(
            session,
            store=store,
            buyer=buyer,
            received_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2),
            subject="Does it fit a 15-inch laptop?",
        )
        order = make_order(session, store=store, buyer=buyer, total=2_000)
        b2b = session.scalars(select(Store).where(Store.name == B2B_STORE)).one()
        importer = make_buyer(session, store=b2b, country="DE", company_name="Rhein Import GmbH")
        ids = (inquiry.id, order.id, importer.id)
    engine.dispose()
    return ids


def test_inquiry_and_order_pages(console: Console) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    inquiry_id, order_id, importer_id = _plant(console.db_url)
    base = console.base_url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(
                locale="zh-CN", viewport={"width": 1440, "height": 900}
            ).new_page()
            page.set_default_timeout(20_000)
            page.goto(f"{base}/login")
            page.fill("#email", EMAIL)
            page.fill("#password", PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(f"{base}/")
            page.locator(".q-drawer").get_by_text("询盘", exact=True).click()
            page.wait_for_url(f"{base}/crm/inquiries")
            expect(page.get_by_text(f"询盘 · {B2C_STORE}")).to_be_visible()
            queue = page.locator(".q-card", has_text="超时队列")
            expect(queue.get_by_text("Does it fit a 15-inch laptop?")).to_be_visible()
            page.get_by_label("询盘编号").fill(str(inquiry_id))
            page.get_by_label("回复内容").fill("Yes, up to 15.6 inches.")
            page.get_by_role("button", name="发送回复").click()
            expect(page.get_by_text("没有超时的询盘。")).to_be_visible()
            page.screenshot(path=console.shots / "inquiries-zh.png", full_page=True)

            page.goto(f"{base}/orders")
            expect(page.get_by_text(f"订单与售后 · {B2C_STORE}")).to_be_visible()
            page.get_by_label("订单编号").fill(str(order_id))
            page.get_by_label("退款金额").fill("15.00")
            page.get_by_label("退款原因").fill("damaged")
            page.get_by_role("button", name="申请退款").click()
            expect(page.get_by_text("refund.requested")).to_be_visible()
            expect(page.get_by_text("15.00 USD · damaged")).to_be_visible()
            page.get_by_label("退款金额").fill("5.01")
            page.get_by_role("button", name="申请退款").click()
            expect(page.get_by_text("exceeds what is left to refund", exact=False)).to_be_visible()
            page.screenshot(path=console.shots / "orders-zh.png", full_page=True)

            page.goto(f"{base}/crm/buyers")
            # (the server runs with its own secret key, so the test plants no encrypted contact)
            expect(page.get_by_text(f"买家 · {B2C_STORE}")).to_be_visible()
            expect(page.get_by_text("最后一次妥投 30 天后删除", exact=False)).to_be_visible()

            page.goto(f"{base}/crm/service")
            expect(page.get_by_text(f"客服与商机 · {B2C_STORE}")).to_be_visible()
            expect(page.get_by_text("收件箱:等待最久的买家在前(7.3.1)")).to_be_visible()

            page.goto(f"{base}/deals")
            expect(page.get_by_text(f"B2B 交易 · {B2B_STORE}")).to_be_visible()
            page.get_by_label("买家编号").fill(str(importer_id))
            page.get_by_label("报价产品").fill("Steel bottle")
            page.get_by_label("数量阶梯").fill("1000")
            page.get_by_role("button", name="核算并报价").click()
            expect(page.get_by_text("17.00 USD")).to_be_visible()  # FOB, hand-worked in the tests
            expect(page.get_by_text("17.92 USD").first).to_be_visible()  # CIF
            with page.expect_download() as download:
                page.get_by_role("button", name="下载报价单 PDF").click()
            assert download.value.suggested_filename.startswith("quotation-")
            page.screenshot(path=console.shots / "deals-zh.png", full_page=True)
        finally:
            browser.close()
    engine = make_engine(console.db_url)
    with session_scope(engine) as session:
        assert [r.body for r in session.scalars(select(InquiryReply))] == [
            "Yes, up to 15.6 inches."
        ]
        assert [r.amount for r in session.scalars(select(RefundRequest))] == [1_500]
    engine.dispose()
