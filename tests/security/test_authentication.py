"""Authentication: password policy with the common-password list, TOTP second factor (console and
API tokens), throttling per account and per network address, a new session id at every sign-in."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.api.app import API_PREFIX
from storeops.auth import second_factor
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.auth.errors import (
    AccountLocked,
    CommonPassword,
    LoginFailed,
    SecondFactorInvalid,
    SecondFactorRequired,
    TooManyAttempts,
    WeakPassword,
)
from storeops.auth.models import ApiToken, ConsoleSession, UserTotp
from storeops.auth.passwords import common_passwords
from storeops.config import get_settings
from storeops.db import session_scope
from tests.factories import PASSWORD, make_company, make_member, make_user
from tests.web.test_auth_routes import EMAIL, Site, _session_cookie_header, _site


@pytest.mark.parametrize("password", ["password1", "12345678", "Iloveyou", " sunshine1 "])
def test_common_passwords_are_refused(session: Session, password: str) -> None:
    with pytest.raises(CommonPassword, match="most common passwords"):
        make_user_with(session, password)


@pytest.mark.parametrize(("length", "accepted"), [(7, False), (8, True), (64, True), (65, False)])
def test_passwords_have_8_to_64_characters(session: Session, length: int, accepted: bool) -> None:
    password = ("Zq7-" * 20)[:length]
    if accepted:
        assert make_user_with(session, password).id > 0
    else:
        with pytest.raises(WeakPassword, match=f"this one has {length}"):
            make_user_with(session, password)


def test_the_common_password_list_is_the_bundled_one() -> None:
    listed = common_passwords()
    assert len(listed) > 29_000
    assert {"password", "qwerty", "123456"} <= listed
    assert "correct horse battery" not in listed


def make_user_with(session: Session, password: str):  # type: ignore[no-untyped-def]
    return auth_service.create_user(
        session, email=f"p{time.monotonic_ns()}@example.com", display_name="P", password=password
    )


# --- second factor -------------------------------------------------------------------------------


def _enrolled(session: Session) -> tuple[object, pyotp.TOTP]:
    company = make_company(session)
    user, actor = make_member(session, company=company, role=Role.OPERATOR)
    secret, uri = auth_service.enrol_second_factor(session, actor=actor)
    assert uri.startswith("otpauth://totp/storeops:") and f"secret={secret}" in uri
    totp = pyotp.TOTP(secret)
    auth_service.confirm_second_factor(session, actor=actor, code=totp.now())
    return (user, actor), totp


def _code_for_next_step(totp: pyotp.TOTP) -> str:
    return totp.at(time.time() + second_factor.STEP_SECONDS)


def test_second_factor_is_needed_to_sign_in_and_a_code_works_once(session: Session) -> None:
    (user, _actor), totp = _enrolled(session)
    email = user.email  # type: ignore[attr-defined]
    assert session.get(UserTotp, user.id).secret_encrypted.startswith("gAAAA")  # type: ignore[attr-defined, union-attr]
    with pytest.raises(SecondFactorRequired):
        auth_service.attempt_login(session, email=email, password=PASSWORD).accepted()
    with pytest.raises(SecondFactorInvalid):
        auth_service.attempt_login(
            session, email=email, password=PASSWORD, totp_code="000000"
        ).accepted()
    code = _code_for_next_step(totp)
    ok = auth_service.attempt_login(session, email=email, password=PASSWORD, totp_code=code)
    assert ok.accepted() is user
    replay = auth_service.attempt_login(session, email=email, password=PASSWORD, totp_code=code)
    with pytest.raises(SecondFactorInvalid):
        replay.accepted()
    # a wrong password with a right code is still a plain failure (no oracle on the code)
    with pytest.raises(LoginFailed, match="wrong e-mail or password"):
        auth_service.attempt_login(
            session, email=email, password="not the password", totp_code=totp.now()
        ).accepted()


def test_api_tokens_are_issued_only_with_a_current_code(session: Session) -> None:
    (_user, actor), totp = _enrolled(session)
    before = session.scalar(select(func.count()).select_from(ApiToken))
    with pytest.raises(SecondFactorRequired):
        auth_service.issue_token(session, actor=actor, name="script")  # type: ignore[arg-type]
    with pytest.raises(SecondFactorInvalid):
        auth_service.issue_token(session, actor=actor, name="script", totp_code="123 456")  # type: ignore[arg-type]
    assert session.scalar(select(func.count()).select_from(ApiToken)) == before
    _token, raw = auth_service.issue_token(
        session,
        actor=actor,  # type: ignore[arg-type]
        name="script",
        totp_code=_code_for_next_step(totp),
    )
    assert raw.startswith("sto_")


def test_turning_the_second_factor_off_needs_a_code(session: Session) -> None:
    (user, actor), totp = _enrolled(session)
    with pytest.raises(SecondFactorInvalid):
        auth_service.turn_off_second_factor(session, actor=actor, code="111111")  # type: ignore[arg-type]
    auth_service.turn_off_second_factor(session, actor=actor, code=_code_for_next_step(totp))  # type: ignore[arg-type]
    assert session.get(UserTotp, user.id) is None  # type: ignore[attr-defined]
    assert auth_service.attempt_login(session, email=user.email, password=PASSWORD).accepted()  # type: ignore[attr-defined]


# --- throttling -----------------------------------------------------------------------------------


def test_ten_failures_lock_the_account_from_any_address(session: Session) -> None:
    user = make_user(session)
    for n in range(10):
        attempt = auth_service.attempt_login(
            session, email=user.email, password="wrong password", address=f"10.0.0.{n}"
        )
        assert isinstance(attempt.refusal, LoginFailed)
    locked = auth_service.attempt_login(
        session, email=user.email, password=PASSWORD, address="10.0.1.1"
    )
    assert isinstance(locked.refusal, AccountLocked)


def test_ten_failures_from_one_address_throttle_it_for_every_account(session: Session) -> None:
    victims = [make_user(session) for _ in range(10)]
    for victim in victims:  # one wrong guess per account: no account lock
        attempt = auth_service.attempt_login(
            session, email=victim.email, password="guess 123456", address="203.0.113.9"
        )
        assert isinstance(attempt.refusal, LoginFailed)
    other = make_user(session)
    throttled = auth_service.attempt_login(
        session, email=other.email, password=PASSWORD, address="203.0.113.9"
    )
    assert isinstance(throttled.refusal, TooManyAttempts)
    assert 0 < throttled.refusal.retry_after <= 15 * 60 + 1
    assert all(v.failed_logins == 1 for v in victims)
    elsewhere = auth_service.attempt_login(
        session, email=other.email, password=PASSWORD, address="198.51.100.7"
    )
    assert elsewhere.accepted() is other


@pytest.fixture
def site(fresh_db_url: str) -> Iterator[Site]:
    yield from _site(fresh_db_url)


def test_console_sign_in_throttles_an_address_with_429_and_retry_after(site: Site) -> None:
    for n in range(10):
        refused = site.login("wrong password", email=f"nobody{n}@example.com")
        assert refused.status_code == 401
    throttled = site.login(PASSWORD)
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0
    assert "登录失败次数过多" in throttled.text
    assert site.console_sessions() == 0


def test_console_sign_in_with_a_second_factor(site: Site) -> None:
    with session_scope(site.engine) as session:
        user = session.get(auth_service.User, site.user_id)
        assert user is not None
        secret, _uri = second_factor.enrol(session, user=user)
        second_factor.confirm(session, user=user, code=pyotp.TOTP(secret).now())
    without = site.login(PASSWORD)
    assert without.status_code == 401
    assert "请输入身份验证器应用中的 6 位验证码" in without.text
    token = site.form_token()
    code = pyotp.TOTP(secret).at(time.time() + 30)
    form = {"email": EMAIL, "password": PASSWORD, "csrf": token, "next": "/", "totp": code}
    accepted = site.client.post("/login", data=form)
    assert accepted.status_code == 303
    assert _session_cookie_header(accepted)


def test_every_sign_in_gets_a_new_session_id_and_ends_the_old_one(site: Site) -> None:
    first = site.login(PASSWORD)
    raw_first = site.client.cookies.get("storeops_session")
    second = site.login(PASSWORD)
    raw_second = site.client.cookies.get("storeops_session")
    assert first.status_code == second.status_code == 303
    assert raw_first and raw_second and raw_first != raw_second
    with session_scope(site.engine) as session:
        ended = session.scalars(select(ConsoleSession.ended_at).order_by(ConsoleSession.id)).all()
    assert len(ended) == 2 and ended[0] is not None and ended[1] is None


def test_api_second_factor_enrolment_round_trip(fresh_db_url: str) -> None:
    from storeops.api.app import create_app
    from storeops.db import make_engine

    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session)
        _user, actor = make_member(session, company=company, role=Role.VIEWER)
        raw = auth_service.issue_token(session, actor=actor, name="t")[1]
    client = TestClient(create_app(get_settings(), engine=engine, console=False))
    h = {"Authorization": f"Bearer {raw}"}
    enrolment = client.post(f"{API_PREFIX}/me/second-factor", headers=h)
    assert enrolment.status_code == 201
    totp = pyotp.TOTP(enrolment.json()["secret"])
    wrong = client.post(
        f"{API_PREFIX}/me/second-factor/confirm", json={"code": "000000"}, headers=h
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "second_factor_invalid"
    ok = client.post(f"{API_PREFIX}/me/second-factor/confirm", json={"code": totp.now()}, headers=h)
    assert ok.status_code == 204
    refused = client.post(f"{API_PREFIX}/tokens", json={"name": "x"}, headers=h)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "second_factor_required"
    issued = client.post(
        f"{API_PREFIX}/tokens",
        json={"name": "x", "totp_code": totp.at(time.time() + 30)},
        headers=h,
    )
    assert issued.status_code == 201
    engine.dispose()
