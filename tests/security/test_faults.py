"""Faults: the database unavailable at start or between requests gives a clear 503 and recovers
without a restart; planted credentials never appear in logs, responses or error pages; card
numbers in free text are masked to first 6 / last 4."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from storeops.logsafe import REDACTED, install_log_redaction, redact
from storeops.masking import luhn_valid, mask_card_numbers
from storeops.migrations import upgrade
from storeops.stores import service as store_service
from storeops.stores.enums import AccountKind
from tests.conftest import new_database_url
from tests.factories import PASSWORD, make_company, make_member, make_store, owner_actor
from tests.security.server import running_server


def _seed(url: str) -> tuple[str, int]:
    """A company, a store with a platform account, an owner; the owner's token and the account."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        company = make_company(session, name="Fault Co")
        store = make_store(session, company=company, name="F1")
        account = store_service.add_platform_account(
            session,
            store=store,
            actor=owner_actor(session, company),
            login="seller-login",
            kind=AccountKind.MAIN,
        )
        _user, actor = make_member(session, company=company, role=Role.OWNER)
        token = auth_service.issue_token(session, actor=actor, name="t")[1]
        account_id = account.id
    engine.dispose()
    return token, account_id


# --- database unavailable ---------------------------------------------------------------------


def test_database_missing_at_start_then_created_recovers_without_restart(tmp_path: Path) -> None:
    if not os.environ.get("STOREOPS_TEST_POSTGRES_URL"):
        pytest.skip("needs the PostgreSQL test server")
    server_url = os.environ["STOREOPS_TEST_POSTGRES_URL"]
    name = f"storeops_late_{secrets.token_hex(3)}"
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    with running_server(url, tmp_path, console=False) as base:
        down = httpx.get(f"{base}{API_PREFIX}/stores", headers={"Authorization": "Bearer sto_x"})
        assert down.status_code == 503
        assert down.headers["retry-after"] == "5"
        assert down.json()["error"]["code"] == "database_unavailable"
        assert "Traceback" not in down.text and "psycopg" not in down.text
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        upgrade(url)
        token, _ = _seed(url)
        up = httpx.get(f"{base}{API_PREFIX}/stores", headers={"Authorization": f"Bearer {token}"})
        assert up.status_code == 200, up.text
        assert [s["name"] for s in up.json()] == ["F1"]


def test_connections_killed_between_requests_recover_without_restart(tmp_path: Path) -> None:
    if not os.environ.get("STOREOPS_TEST_POSTGRES_URL"):
        pytest.skip("needs the PostgreSQL test server")
    url = new_database_url("postgresql", tmp_path)
    upgrade(url)
    token, _ = _seed(url)
    headers = {"Authorization": f"Bearer {token}"}
    name = make_url(url).database
    with running_server(url, tmp_path) as base:
        assert httpx.get(f"{base}{API_PREFIX}/stores", headers=headers).status_code == 200
        admin = create_engine(
            os.environ["STOREOPS_TEST_POSTGRES_URL"], isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as connection:
            killed = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            ).scalar_one()
        admin.dispose()
        assert killed >= 1  # the server's pooled connection is gone
        again = httpx.get(f"{base}{API_PREFIX}/stores", headers=headers)
        assert again.status_code == 200, again.text


def test_sqlite_database_not_initialised_answers_503_then_recovers(tmp_path: Path) -> None:
    url = new_database_url("sqlite", tmp_path)
    engine = make_engine(url)
    client = TestClient(create_app(get_settings(), engine=engine, console=False))
    down = client.get(f"{API_PREFIX}/stores", headers={"Authorization": "Bearer sto_nothing"})
    assert down.status_code == 503
    assert down.json()["error"]["code"] == "database_unavailable"
    upgrade(url)
    token, _ = _seed(url)
    up = client.get(f"{API_PREFIX}/stores", headers={"Authorization": f"Bearer {token}"})
    assert up.status_code == 200
    engine.dispose()


# --- credentials never logged -------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_planted_credentials_appear_in_no_log_response_or_error_page(
    backend: str, tmp_path: Path
) -> None:
    url = new_database_url(backend, tmp_path)
    upgrade(url)
    token, account_id = _seed(url)
    planted_secret = "PLANTED-platform-secret-" + secrets.token_hex(8)
    planted_password = "PLANTED-password-" + secrets.token_hex(6)
    bogus_token = "sto_PLANTEDbogus" + secrets.token_hex(12)
    bodies: list[str] = []
    with running_server(
        url,
        tmp_path,
        console=True,
        log_level="debug",
        extra_env={"STOREOPS_RATE_LIMIT_LOGIN": "1000"},
    ) as base:
        with httpx.Client(base_url=base, follow_redirects=False) as client:
            h = {"Authorization": f"Bearer {token}"}
            calls = [
                client.put(
                    f"{API_PREFIX}/accounts/{account_id}/credential",
                    json={"secret": planted_secret},
                    headers=h,
                ),
                client.get(f"{API_PREFIX}/stores/{account_id}/accounts", headers=h),
                client.get(
                    f"{API_PREFIX}/stores", headers={"Authorization": f"Bearer {bogus_token}"}
                ),
                client.post(
                    f"{API_PREFIX}/tokens", json={"name": planted_password, "x": 1}, headers=h
                ),
                client.post(
                    f"{API_PREFIX}/users",
                    json={"email": "bad", "password": planted_password, "role": "x"},
                    headers=h,
                ),
                client.post(
                    f"{API_PREFIX}/stores", content=f'{{"name": "{planted_secret}"', headers=h
                ),
                client.get(f"{API_PREFIX}/me?token={token}&password={planted_password}", headers=h),
                client.get("/stage/1", cookies={"storeops_session": token}),
            ]
            login_page = client.get("/login")
            csrf = login_page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            calls.append(
                client.post(
                    "/login",
                    data={"email": "x@example.com", "password": planted_password, "csrf": csrf},
                    cookies={"storeops_csrf": csrf},
                )
            )
            assert calls[0].status_code == 204
            assert calls[2].status_code == 401
            assert calls[-1].status_code == 401
            bodies = [c.text + str(dict(c.headers)) for c in calls]
        log = "".join(p.read_text(errors="replace") for p in tmp_path.glob("server-*.log"))
    assert "GET /api/v1/stores" in log or "HTTP" in log  # the debug log did record requests
    assert "--- Logging error ---" not in log
    for planted in (planted_secret, planted_password, bogus_token, token):
        assert planted not in log, f"{planted[:12]}… leaked into the server log"
        leaking = [i for i, b in enumerate(bodies) if planted in b and planted != token]
        assert leaking == [], f"{planted[:12]}… echoed by responses {leaking}"
    # the valid token is echoed by no response either (only the caller sent it)
    assert all(token not in b for b in bodies)


def test_log_records_are_redacted_even_in_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    logger = logging.getLogger("storeops.test")
    token = "sto_" + secrets.token_urlsafe(24)
    with caplog.at_level(logging.INFO):
        logger.info("calling with Authorization: Bearer %s", token)
        logger.info("form password=%s&next=/", "hunter2-planted")
        try:
            raise RuntimeError(f"failed with {token} and card 4111 1111 1111 1111")
        except RuntimeError:
            logger.exception("boom")
    text_out = caplog.text
    assert token not in text_out and "hunter2-planted" not in text_out
    assert "4111 1111 1111 1111" not in text_out and "411111******1111" in text_out
    assert text_out.count(REDACTED) >= 3


# --- card numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text_in", "expected"),
    [
        ("card 4111111111111111 please", "card 411111******1111 please"),
        ("Visa 4111 1111 1111 1111.", "Visa 411111******1111."),
        ("MC 5500-0000-0000-0004 exp 12/29", "MC 550000******0004 exp 12/29"),
        ("Amex 378282246310005", "Amex 378282*****0005"),
        ("19 digits 6011000990139424000?", "19 digits 6011000990139424000?"),  # fails Luhn
        ("order 1234567890123456", "order 1234567890123456"),  # fails Luhn: not a card
        ("phone +86 138 0013 8000", "phone +86 138 0013 8000"),
        ("two: 4012888888881881 and 4222222222222", "two: 401288******1881 and 422222***2222"),
    ],
)
def test_card_numbers_are_masked_to_first_6_and_last_4(text_in: str, expected: str) -> None:
    assert mask_card_numbers(text_in) == expected


def test_luhn_and_redact_examples() -> None:
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")
    assert redact("Authorization: Bearer sto_abcdefghijkl") == f"Authorization: Bearer {REDACTED}"
    assert redact('{"secret": "s3cr3t"}') == f'{{"secret": "{REDACTED}"}}'
    assert PASSWORD not in redact(f"password={PASSWORD}")
