"""Users, passwords, sign-in throttling, tokens and the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth import service
from storeops.auth.enums import Role
from storeops.auth.errors import (
    AccountLocked,
    AuditLogIsAppendOnly,
    DuplicateUser,
    LoginFailed,
    WeakPassword,
)
from storeops.auth.models import ApiToken, AuditEvent, User
from storeops.errors import InvalidInput, NotAuthenticated
from tests.factories import PASSWORD, make_company, make_member, make_user


def _audit(session: Session, action: str) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def test_passwords_are_stored_as_argon2id_hashes(session: Session) -> None:
    user = make_user(session, email="Ana@Example.com")
    assert user.email == "ana@example.com"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_duplicate_email_weak_password_and_bad_email_are_refused(session: Session) -> None:
    make_user(session, email="dup@example.com")
    with pytest.raises(DuplicateUser, match="a user with e-mail dup@example.com already exists"):
        make_user(session, email="DUP@example.com")
    with pytest.raises(WeakPassword, match="8 to 64 characters \\(this one has 5\\)"):
        service.create_user(session, email="w@example.com", display_name="W", password="short")
    with pytest.raises(WeakPassword, match="this one has 65"):
        service.create_user(session, email="w@example.com", display_name="W", password="x" * 65)
    with pytest.raises(InvalidInput, match="invalid e-mail address") as exc:
        service.create_user(session, email="not-an-email", display_name="W", password=PASSWORD)
    assert exc.value.field == "email"


def test_login_accepts_the_right_password_and_audits_it(session: Session) -> None:
    user = make_user(session, email="ok@example.com")
    attempt = service.attempt_login(session, email="OK@example.com", password=PASSWORD)
    assert attempt.accepted() is user
    assert user.last_login_at is not None
    entry = _audit(session, "auth.login")[-1]
    assert (entry.outcome, entry.actor_user_id, entry.target_id) == ("ok", user.id, str(user.id))
    assert "ok@example.com" not in str(entry.detail)


def test_wrong_password_and_unknown_account_are_refused_alike(session: Session) -> None:
    make_user(session, email="known@example.com")
    wrong = service.attempt_login(session, email="known@example.com", password="wrong password")
    unknown = service.attempt_login(session, email="nobody@example.com", password="wrong password")
    for attempt in (wrong, unknown):
        with pytest.raises(LoginFailed, match="^wrong e-mail or password$"):
            attempt.accepted()
    outcomes = [(e.outcome, e.detail.get("reason")) for e in _audit(session, "auth.login")[-2:]]
    assert outcomes == [("failed", "bad_password"), ("failed", "unknown_account")]


def test_ten_failures_lock_the_account_even_for_the_right_password(session: Session) -> None:
    user = make_user(session, email="lock@example.com")
    for _ in range(9):
        service.attempt_login(session, email=user.email, password="wrong password")
    assert user.failed_logins == 9
    assert user.locked_until is None
    service.attempt_login(session, email=user.email, password="wrong password")
    assert user.locked_until is not None
    with pytest.raises(AccountLocked, match="locked until"):
        service.attempt_login(session, email=user.email, password=PASSWORD).accepted()
    user.locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert service.attempt_login(session, email=user.email, password=PASSWORD).accepted() is user
    assert user.failed_logins == 0


def test_disabled_user_cannot_sign_in(session: Session) -> None:
    user = make_user(session, email="off@example.com")
    user.is_active = False
    with pytest.raises(LoginFailed):
        service.attempt_login(session, email=user.email, password=PASSWORD).accepted()


def test_tokens_are_shown_once_stored_hashed_and_revocable(session: Session) -> None:
    company = make_company(session)
    user, actor = make_member(session, company=company, role=Role.OPERATOR)
    token, raw = service.issue_token(session, actor=actor, name="nightly export")
    assert raw.startswith("sto_") and len(raw) > 40
    stored = session.scalars(select(ApiToken).where(ApiToken.id == token.id)).one()
    assert raw not in (stored.token_digest, stored.prefix)
    assert stored.prefix == raw[:12]
    assert service.actor_from_token(session, raw).user_id == user.id
    service.revoke_token(session, token_id=token.id, actor=actor)
    with pytest.raises(NotAuthenticated, match="invalid, expired or revoked API token"):
        service.actor_from_token(session, raw)


def test_expired_token_and_disabled_user_token_stop_working(session: Session) -> None:
    company = make_company(session)
    user, actor = make_member(session, company=company, role=Role.VIEWER)
    token, raw = service.issue_token(session, actor=actor, name="t")
    token.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    with pytest.raises(NotAuthenticated):
        service.actor_from_token(session, raw)
    _, raw2 = service.issue_token(session, actor=actor, name="t2")
    session.get(User, user.id).is_active = False  # type: ignore[union-attr]
    with pytest.raises(NotAuthenticated, match="disabled"):
        service.actor_from_token(session, raw2)


def test_console_sessions_end_on_logout_and_on_password_change(session: Session) -> None:
    company = make_company(session)
    user, _ = make_member(session, company=company, role=Role.OPERATOR)
    raw = service.start_session(session, user=user)
    assert service.resolve_session(session, raw).company_id == company.id
    service.end_session(session, raw)
    with pytest.raises(NotAuthenticated, match="session has ended"):
        service.resolve_session(session, raw)
    raw2 = service.start_session(session, user=user)
    service.set_password(session, user=user, password="a brand new password")
    with pytest.raises(NotAuthenticated):
        service.resolve_session(session, raw2)


def test_idle_session_times_out(session: Session) -> None:
    user = make_user(session)
    raw = service.start_session(session, user=user)
    found = service.resolve_session(session, raw)
    found.last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
    with pytest.raises(NotAuthenticated):
        service.resolve_session(session, raw)


def test_audit_log_is_append_only(session: Session) -> None:
    make_user(session)
    entry = service.record_audit(session, action="test.event", reason="x")
    entry.outcome = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        session.flush()
    session.rollback()
    entry = service.record_audit(session, action="test.event")
    session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        session.flush()


def test_audit_entries_hold_no_personal_data(session: Session) -> None:
    company = make_company(session)
    user, actor = make_member(session, company=company, role=Role.MANAGER)
    service.attempt_login(session, email=user.email, password="bad password")
    service.issue_token(session, actor=actor, name="x")
    texts = " ".join(
        f"{e.actor_label} {e.detail} {e.target_id}" for e in session.scalars(select(AuditEvent))
    )
    assert user.email not in texts
    assert user.display_name not in texts
    assert session.scalar(select(func.count()).select_from(AuditEvent)) >= 3
