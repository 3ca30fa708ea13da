"""The /finance console page in a real Chromium: the owner sees profit and FX, a viewer nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.auth.models import User
from tests.factories import make_member
from tests.finance.test_money import build_books
from tests.logistics.browser import PASSWORD, signed_in_page

pytestmark = pytest.mark.browser
VIEWER: list[str] = []


def _prepare(session: Session) -> str:
    company, store, _actor, *_x = build_books(session)
    viewer, _a = make_member(session, company=company, role=Role.VIEWER, stores=[store])
    VIEWER.append(viewer.email)
    owner = session.query(User).filter(User.id != viewer.id).order_by(User.id).first()
    assert owner is not None
    owner.locale = viewer.locale = "en"
    return owner.email


def test_finance_page_for_the_owner_and_hidden_for_a_viewer(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with signed_in_page(tmp_path, _prepare) as (page, base):
        page.goto(f"{base}/finance")
        expect(page.get_by_text("Profit per store (CNY)")).to_be_visible()
        expect(page.get_by_text("316.00 CNY", exact=True)).to_be_visible()  # the store's profit
        # the store's FX in the profit table and the settlement's gain
        expect(page.get_by_text("21.00 CNY", exact=True)).to_have_count(2)
        expect(page.locator(".so-reconciliation")).to_have_text(
            "1 payouts checked against their records; 0 differ."
        )
        page.context.clear_cookies()
        page.goto(f"{base}/login")
        page.fill("#email", VIEWER[-1])
        page.fill("#password", PASSWORD)
        page.locator("button[type=submit]").first.click()
        page.wait_for_url(f"{base}/")
        response = page.goto(f"{base}/finance")
        assert response is not None and response.status == 403  # the page declares finance.read
        expect(page.get_by_text("Your role does not allow this page", exact=False)).to_be_visible()
        expect(page.get_by_text("316.00 CNY", exact=True)).to_have_count(0)
