"""The console in a real Chromium: sign in, Chinese then English, switchers, the task list filter.

Runs the real server (uvicorn on ``create_app``) in a subprocess against a prepared SQLite file and
drives the system's ``/usr/bin/chromium`` with Playwright (no browser is ever downloaded). Without
Chromium the test is skipped, unless ``STOREOPS_REQUIRE_BROWSER=1`` makes that a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from sqlalchemy import select

from storeops.auth.models import ConsoleSession, User
from storeops.auth.service import actor_for, create_user
from storeops.db import make_engine, session_scope
from storeops.migrations import upgrade
from storeops.standard.catalog import load_catalog
from storeops.standard.features import load_features
from storeops.stores.enums import BusinessModel, Platform, StoreStatus
from storeops.stores.schemas import StoreCreate
from storeops.stores.service import change_store_status, create_company, open_store

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EMAIL, PASSWORD = "wang.jingli@example.com", "correct horse battery"
COMPANY, OTHER_COMPANY = "宁波海曙优选贸易有限公司", "Second Trading Ltd"
B2C_STORE, B2B_STORE = "Amazon US 旗舰店", "阿里国际站 B2B"


def _require_browser() -> None:
    required = os.environ.get("STOREOPS_REQUIRE_BROWSER") == "1"
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (apt-get install -y chromium fonts-noto-cjk)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "playwright is not installed (pip install -e '.[dev]')"
    if problem is not None:
        if required:
            pytest.fail(f"STOREOPS_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare_database(url: str) -> None:
    """A company with a B2C and a B2B store, a second company, and their owner."""
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        owner = create_user(
            session, email=EMAIL, display_name="王经理", password=PASSWORD, locale="zh_CN"
        )
        company = create_company(session, name=COMPANY, owner=owner)
        actor = actor_for(session, user_id=owner.id, company_id=company.id)
        amazon = open_store(
            session,
            actor=actor,
            data=StoreCreate(
                name=B2C_STORE, platform=Platform.AMAZON, business_model=BusinessModel.B2C,
                site="US", currency="USD", timezone="America/Los_Angeles",
                opened_on=dt.date(2024, 3, 1),
            ),
        )  # fmt: skip
        change_store_status(session, store=amazon, status=StoreStatus.ACTIVE, actor=actor)
        open_store(
            session,
            actor=actor,
            data=StoreCreate(
                name=B2B_STORE, platform=Platform.ALIBABA_COM, business_model=BusinessModel.B2B,
                site="global", currency="USD", timezone="Asia/Shanghai",
            ),
        )  # fmt: skip
        create_company(session, name=OTHER_COMPANY, owner=owner)
    engine.dispose()


@dataclass
class Console:
    base_url: str
    db_url: str
    shots: Path

    def console_sessions(self) -> list[tuple[int | None, int | None, str, bool]]:
        """(company, store, locale, ended) of every console session, oldest first."""
        engine = make_engine(self.db_url)
        try:
            with session_scope(engine) as session:
                rows = session.scalars(select(ConsoleSession).order_by(ConsoleSession.id))
                return [(r.company_id, r.store_id, r.locale, r.ended_at is not None) for r in rows]
        finally:
            engine.dispose()

    def user_locale(self) -> str:
        engine = make_engine(self.db_url)
        try:
            with session_scope(engine) as session:
                return session.scalars(select(User.locale).where(User.email == EMAIL)).one()
        finally:
            engine.dispose()


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer {url} within 180 s:\n{log.read_text()}")


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    _require_browser()
    db_url = f"sqlite:///{tmp_path / 't.db'}"
    _prepare_database(db_url)
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
        server = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=out, stderr=out)
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(server, f"{base_url}/api/v1/health", log)
        yield Console(base_url=base_url, db_url=db_url, shots=tmp_path)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


def _choose(page: Page, select_label: str, option: str) -> None:
    """Pick ``option`` in the Quasar select labelled ``select_label``."""
    label = page.locator(".q-field__label", has_text=re.compile(f"^{re.escape(select_label)}$"))
    page.locator(".q-select").filter(has=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_console_in_chinese_and_english_with_switchers_and_the_task_list(console: Console) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = console.base_url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
            page = context.new_page()
            page.set_default_timeout(20_000)

            # Without a session the console sends the browser to the sign-in page.
            page.goto(f"{base}/standard")
            assert page.url == f"{base}/login?next=/standard"
            expect(page.get_by_role("heading", name="登录")).to_be_visible()
            page.goto(f"{base}/")
            assert page.url == f"{base}/login"
            page.fill("#email", EMAIL)
            page.fill("#password", PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(f"{base}/")

            # Home, in Chinese: the user's language.
            drawer = page.locator(".q-drawer")
            expect(page.get_by_text(COMPANY, exact=True).last).to_be_visible()
            for stage in ("开店准备", "产品呈现", "履约服务与结汇退税"):
                expect(drawer.get_by_text(stage, exact=True)).to_be_visible()
            expect(drawer.get_by_text("首页", exact=True)).to_be_visible()
            expect(page.get_by_text(B2C_STORE, exact=True)).to_be_visible()
            expect(page.get_by_text(B2B_STORE, exact=True)).to_be_visible()
            expect(page.get_by_text("您负责的店铺", exact=True)).to_be_visible()
            assert page.locator("html").get_attribute("lang") == "zh-CN"
            response = page.reload()
            assert response is not None and response.headers["cache-control"] == "no-store"
            page.screenshot(path=console.shots / "home-zh.png", full_page=True)

            # The language switch is stored on the server (session and user), then reloads.
            page.get_by_role("button", name="English", exact=True).click()
            expect(drawer.get_by_text("Store opening preparation", exact=True)).to_be_visible()
            expect(drawer.get_by_text("Fulfilment, FX settlement and tax rebate")).to_be_visible()
            for stage in ("开店准备", "产品呈现", "首页", "任务清单"):
                expect(drawer.get_by_text(stage)).to_have_count(0)
            expect(page.get_by_text("Stores you work on", exact=True)).to_be_visible()
            assert page.locator("html").get_attribute("lang") == "en"
            assert console.user_locale() == "en"
            assert [s[2] for s in console.console_sessions()] == ["en"]
            page.screenshot(path=console.shots / "home-en.png", full_page=True)

            # The store switcher focuses one store, server-side.
            _choose(page, "Store", B2C_STORE)
            expect(page.locator(".q-badge", has_text="Current")).to_be_visible()
            expect(page.get_by_text(f"Current store: {B2C_STORE}")).to_be_visible()
            company_id, store_id, _, _ = console.console_sessions()[0]
            assert store_id is not None

            # The company switcher moves the session to the other company.
            _choose(page, "Company", OTHER_COMPANY)
            expect(page.locator(".text-xl", has_text=OTHER_COMPANY)).to_be_visible()
            expect(
                page.get_by_text("You do not work on any store of this company yet.")
            ).to_be_visible()
            other_company, store_after, _, _ = console.console_sessions()[0]
            assert (other_company != company_id, store_after) == (True, None)

            # The standard's task list: every task, then stage 3 only.
            drawer.get_by_text("Task list", exact=True).click()
            page.wait_for_url(f"{base}/standard")
            codes = page.locator("tbody .font-mono")
            expect(codes).to_have_count(127)
            expect(page.get_by_text("127 of 127 tasks")).to_be_visible()
            expect(codes.filter(has_text="9.3.6")).to_have_count(1)
            _choose(page, "Stage", "3 · Product presentation")
            expect(page.get_by_text("16 of 127 tasks")).to_be_visible()
            expect(codes.filter(has_text="9.3.6")).to_have_count(0)
            expect(codes.filter(has_text="3.2.6")).to_have_count(1)
            assert all(code.startswith("3.") for code in codes.all_inner_texts())
            assert page.url == f"{base}/standard?stage=3"
            # A row opens to show the standard's requirement text.
            requirement = load_catalog().task("3.2.6").requirement_zh
            expect(page.get_by_text(requirement)).to_be_hidden()
            codes.filter(has_text="3.2.6").click()
            expect(page.get_by_text(requirement)).to_be_visible()
            page.screenshot(path=console.shots / "standard-stage-3.png", full_page=True)

            # A stage page shows each task's feature status from the registry, with a link to
            # the page that does a working task; the link opens that page.
            working = next(
                f
                for f in load_features().values()
                if f.code.startswith("3.") and f.status == "working" and f.console
            )
            page.goto(f"{base}/stage/3")
            expect(page.locator(".so-stage-summary")).to_contain_text("working")
            row = page.locator("tbody tr").filter(
                has=page.locator(".font-mono", has_text=re.compile(rf"^{re.escape(working.code)}$"))
            )
            expect(row.locator(".so-feature")).to_have_text("Working")
            link = row.locator(".so-feature-link")
            expect(link).to_have_attribute("href", working.console)
            expect(page.locator("tbody .font-mono")).to_have_count(16)
            link.click()
            page.wait_for_url(f"{base}{working.console}")
            page.goto(f"{base}/stage/3")
            missing = page.goto(f"{base}/stage/12")
            assert missing is not None and missing.status == 404
            expect(page.get_by_text("No such stage", exact=True)).to_be_visible()
            page.goto(f"{base}/standard/workflow")
            for step in ("5.1", "5.13", "5.18"):
                expect(page.get_by_text(step, exact=True)).to_be_visible()

            # Signing out is a real POST that ends the session on the server.
            page.get_by_role("button", name="Sign out").click()
            page.wait_for_url(f"{base}/login")
            assert [s[3] for s in console.console_sessions()] == [True]
            page.goto(f"{base}/")
            assert page.url == f"{base}/login"
        finally:
            browser.close()
