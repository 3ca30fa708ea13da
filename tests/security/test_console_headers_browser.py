"""The console under its security headers, in the real Chromium: the CSP NiceGUI needs is enough
(no violation, the pages work over their websocket), console pages are never cached, and a page
is refused to a user whose role does not carry the page's declared permission."""

from __future__ import annotations

import re

import httpx
import pytest

from storeops.api.app import CONSOLE_CSP
from storeops.auth.service import create_user, start_session
from storeops.db import make_engine, session_scope
from tests.web.test_console_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EMAIL,
    PASSWORD,
    Console,
    console,
)

__all__ = ["console"]  # the fixture, imported for pytest

pytestmark = pytest.mark.browser

VIOLATIONS_PROBE = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def test_console_works_under_its_csp_with_no_violation(console: Console) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = console.base_url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="en-US")
            context.add_init_script(VIOLATIONS_PROBE)
            page = context.new_page()
            page.set_default_timeout(20_000)
            refused: list[str] = []
            page.on(
                "console",
                lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
            )
            page.goto(f"{base}/login?lang=en")
            page.fill("#email", EMAIL)
            page.fill("#password", PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/")
            response = page.reload()
            assert response is not None
            assert response.headers["content-security-policy"] == CONSOLE_CSP
            assert response.headers["cache-control"] == "no-store"
            assert response.headers["x-frame-options"] == "DENY"
            drawer = page.locator(".q-drawer")
            drawer.get_by_text("Task list", exact=True).click()
            page.wait_for_url(f"{base}/standard")
            codes = page.locator("tbody .font-mono")
            expect(codes).to_have_count(127)
            # a server round trip over the websocket: the filter runs on the server
            label = page.locator(".q-field__label", has_text=re.compile("^Stage$"))
            page.locator(".q-select").filter(has=label).click()
            page.get_by_role("option", name="3 · Product presentation", exact=True).click()
            expect(page.get_by_text("16 of 127 tasks")).to_be_visible()
            assert page.evaluate("window.__csp") == []
            assert refused == []
        finally:
            browser.close()


def test_pages_are_refused_to_a_role_without_their_permission(console: Console) -> None:
    engine = make_engine(console.db_url)
    with session_scope(engine) as session:
        loner = create_user(
            session, email="no.company@example.com", display_name="Loner", password=PASSWORD
        )
        cookie = start_session(session, user=loner)
    engine.dispose()
    with httpx.Client(base_url=console.base_url, cookies={"storeops_session": cookie}) as client:
        home = client.get("/")
        assert home.status_code == 200  # declared ANY_MEMBER: it greets users without a company
        assert home.headers["cache-control"] == "no-store"
        stage = client.get("/stage/3")
        assert stage.status_code == 403
        assert "您的角色无权打开此页面" in stage.text
        assert client.get("/standard").status_code == 403
        static = client.get("/_nicegui/3.18.0/static/nicegui.css")
        assert static.status_code == 200
        assert "no-store" not in static.headers.get("cache-control", "")
