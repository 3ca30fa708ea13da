"""A live server on a prepared SQLite file and a signed-in Chromium page, for the console tests."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from storeops.db import make_engine, session_scope
from storeops.migrations import upgrade
from tests.web.test_console_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    _free_port,
    _require_browser,
    _wait_until_healthy,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "correct horse battery"


@contextmanager
def signed_in_page(
    tmp_path: Path, prepare: Callable[[Session], str], locale: str = "en-US"
) -> Iterator[tuple[Page, str]]:
    """Prepare the database (``prepare`` returns the e-mail to sign in with), serve, sign in."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    db_url = f"sqlite:///{tmp_path / 'console.db'}"
    upgrade(db_url)
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        email = prepare(session)
    engine.dispose()
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
        base = f"http://127.0.0.1:{port}"
        _wait_until_healthy(server, f"{base}/api/v1/health", log)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(
                    locale=locale, viewport={"width": 1440, "height": 900}
                )
                page = context.new_page()
                page.set_default_timeout(20_000)
                page.goto(f"{base}/login")
                page.fill("#email", email)
                page.fill("#password", PASSWORD)
                page.locator("button[type=submit]").first.click()
                page.wait_for_url(f"{base}/")
                yield page, base
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
