"""Accounts, roles, sign-in, tokens, console sessions and the audit log.

Services flush, never commit: the request, command or job that calls them commits.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from storeops.auth.enums import ROLE_PERMISSIONS, Permission, Role
from storeops.auth.errors import (
    AccountLocked,
    CommonPassword,
    DuplicateUser,
    LoginFailed,
    RoleEscalation,
    TooManyAttempts,
    WeakPassword,
)
from storeops.auth.models import (
    ApiToken,
    AuditEvent,
    ConsoleSession,
    LoginThrottle,
    Membership,
    StoreGrant,
    User,
)
from storeops.auth.passwords import is_common_password
from storeops.auth.scoping import Actor, build_actor, company_store_ids
from storeops.config import get_settings
from storeops.crypto import token_digest
from storeops.errors import DomainError, InvalidInput, NotAuthenticated, NotFound
from storeops.types import utcnow

PASSWORD_MIN, PASSWORD_MAX = 8, 64
TOKEN_PREFIX = "sto_"  # noqa: S105 - a public prefix, not a secret
#: How often a token's last use or a session's last activity is written back.
TOUCH_INTERVAL = dt.timedelta(seconds=60)
_hasher = PasswordHasher()  # Argon2id with the library's (RFC 9106 low-memory) parameters


# --- audit -------------------------------------------------------------------------------------


def record_audit(
    session: Session,
    *,
    action: str,
    outcome: str = "ok",
    actor: Actor | None = None,
    company_id: int | None = None,
    user_id: int | None = None,
    target_type: str | None = None,
    target_id: int | str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one entry to the audit log (ids and codes only, never personal data)."""
    entry = AuditEvent(
        company_id=actor.company_id if actor else company_id,
        actor_user_id=actor.user_id if actor else user_id,
        actor_label=actor.label if actor else (f"user:{user_id}" if user_id else "anonymous"),
        action=action,
        outcome=outcome,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        detail=detail,
    )
    session.add(entry)
    session.flush()
    return entry


# --- users and passwords -----------------------------------------------------------------------


def normalize_email(email: str) -> str:
    """The e-mail address, validated and lower-cased; ``InvalidInput`` naming the field otherwise."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput(f"invalid e-mail address: {exc}", field="email") from None


def check_password_policy(password: str) -> None:
    """``WeakPassword`` unless the password has 8-64 characters and is not a common password."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise WeakPassword(
            f"passwords have {PASSWORD_MIN} to {PASSWORD_MAX} characters (this one has {len(password)})",
            field="password",
        )
    if is_common_password(password):
        raise CommonPassword(
            "this password is on the list of the most common passwords; choose another",
            field="password",
        )


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` after the policy check."""
    check_password_policy(password)
    return _hasher.hash(password)


@dataclass(frozen=True, slots=True)
class HashedPassword:
    """A password already hashed by ``hash_password``: many accounts, one password, one hashing."""

    value: str


def create_user(
    session: Session,
    *,
    email: str,
    display_name: str,
    password: str | HashedPassword,
    locale: str = "zh_CN",
) -> User:
    """A new active user; ``DuplicateUser`` if the e-mail is taken."""
    address = normalize_email(email)
    name = display_name.strip()
    if not name:
        raise InvalidInput("display name is empty", field="display_name")
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        raise DuplicateUser(f"a user with e-mail {address} already exists", field="email")
    user = User(
        email=address,
        display_name=name[:120],
        password_hash=password.value
        if isinstance(password, HashedPassword)
        else hash_password(password),
        locale=locale,
    )
    session.add(user)
    session.flush()
    return user


def get_user_by_email(session: Session, email: str) -> User | None:
    """The user with that e-mail, if any."""
    return session.scalars(select(User).where(User.email == email.strip().lower())).one_or_none()


def set_password(
    session: Session, *, user: User, password: str, actor: Actor | None = None
) -> None:
    """Replace ``user``'s password (and end their console sessions)."""
    user.password_hash = hash_password(password)
    end_all_sessions(session, user_id=user.id)
    record_audit(
        session,
        action="user.password_changed",
        actor=actor,
        user_id=user.id,
        target_type="user",
        target_id=user.id,
    )


@dataclass(slots=True)
class LoginAttempt:
    """The outcome of a sign-in: the user, or the refusal to raise once the attempt is committed."""

    user: User | None
    refusal: DomainError | None

    def accepted(self) -> User:
        """The signed-in user, or raise the refusal."""
        if self.refusal is not None or self.user is None:
            raise self.refusal or LoginFailed("wrong e-mail or password")
        return self.user


def _address_throttle(
    session: Session, address: str | None, now: dt.datetime
) -> LoginThrottle | None:
    """The throttle row of ``address`` (created on first use), its window restarted if expired."""
    if not address:
        return None
    key = address[:64]
    row = session.scalars(select(LoginThrottle).where(LoginThrottle.address == key)).one_or_none()
    if row is None:
        row = LoginThrottle(address=key, failures=0, window_started_at=now)
        session.add(row)
        session.flush()
    window = dt.timedelta(minutes=get_settings().login_lockout_minutes)
    if now - row.window_started_at > window and (
        row.locked_until is None or row.locked_until <= now
    ):
        row.failures = 0
        row.window_started_at = now
        row.locked_until = None
    return row


def _address_failed(row: LoginThrottle | None, now: dt.datetime) -> None:
    if row is None:
        return
    settings = get_settings()
    row.failures += 1
    if row.failures >= settings.login_max_failures_per_address:
        row.locked_until = now + dt.timedelta(minutes=settings.login_lockout_minutes)


def attempt_login(
    session: Session,
    *,
    email: str,
    password: str,
    totp_code: str | None = None,
    address: str | None = None,
) -> LoginAttempt:
    """2.1.2 / 2.2.2 Secure account management: check a password, lock after repeated failures.

    Never raises for bad credentials: the failure counters, the locks and the audit entry must be
    committed by the boundary *before* it raises ``attempt.accepted()``'s refusal. Wrong e-mail and
    wrong password are refused alike. After ``login_max_failures`` failures in a row the account
    is locked for ``login_lockout_minutes``; after as many failures from one network ``address``
    within that many minutes, every sign-in from it is refused for as long (``TooManyAttempts``),
    whichever accounts it tries. An account with a second factor also needs ``totp_code``.
    """
    settings = get_settings()
    now = utcnow()
    throttle = _address_throttle(session, address, now)
    if throttle is not None and throttle.locked_until is not None and throttle.locked_until > now:
        record_audit(session, action="auth.login", outcome="throttled", reason="address_locked")
        wait = max(1, int((throttle.locked_until - now).total_seconds()) + 1)
        return LoginAttempt(
            None,
            TooManyAttempts(
                f"too many failed sign-ins from your network address: try again in {wait} seconds",
                retry_after=wait,
            ),
        )
    user = get_user_by_email(session, email)
    if user is None:
        _hasher.hash(password[:PASSWORD_MAX])  # same work as a real check: no timing oracle
        _address_failed(throttle, now)
        record_audit(session, action="auth.login", outcome="failed", reason="unknown_account")
        return LoginAttempt(None, LoginFailed("wrong e-mail or password"))
    if user.locked_until is not None and user.locked_until > now:
        record_audit(
            session,
            action="auth.login",
            outcome="locked",
            user_id=user.id,
            target_type="user",
            target_id=user.id,
        )
        return LoginAttempt(
            None,
            AccountLocked(
                f"too many failed sign-ins: this account is locked until "
                f"{user.locked_until:%Y-%m-%d %H:%M} UTC"
            ),
        )
    try:
        _hasher.verify(user.password_hash, password)
        ok = user.is_active
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    second_factor_refusal: DomainError | None = None
    if ok:
        from storeops.auth.second_factor import check_code

        try:
            check_code(session, user_id=user.id, code=totp_code)
        except NotAuthenticated as refusal:
            ok, second_factor_refusal = False, refusal
    if not ok:
        _address_failed(throttle, now)
        user.failed_logins += 1
        reason = "inactive" if not user.is_active else "bad_password"
        if second_factor_refusal is not None:
            reason = second_factor_refusal.code
        if user.failed_logins >= settings.login_max_failures:
            user.locked_until = now + dt.timedelta(minutes=settings.login_lockout_minutes)
            user.failed_logins = 0
            reason = "locked_after_failures"
        record_audit(
            session,
            action="auth.login",
            outcome="failed",
            user_id=user.id,
            target_type="user",
            target_id=user.id,
            reason=reason,
        )
        return LoginAttempt(None, second_factor_refusal or LoginFailed("wrong e-mail or password"))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    record_audit(
        session, action="auth.login", user_id=user.id, target_type="user", target_id=user.id
    )
    return LoginAttempt(user, None)


# --- memberships, roles and store grants ---------------------------------------------------------


def memberships_of(session: Session, user_id: int) -> list[Membership]:
    """Every company membership of the user, with store grants loaded."""
    stmt = (
        select(Membership)
        .where(Membership.user_id == user_id)
        .options(selectinload(Membership.store_grants))
        .order_by(Membership.company_id)
    )
    return list(session.scalars(stmt))


def actor_for(
    session: Session, *, user_id: int, company_id: int, label: str | None = None
) -> Actor:
    """The actor of ``user_id`` in ``company_id``; ``NotAuthenticated`` if not an active member."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("this account is disabled or no longer exists")
    membership = next(
        (m for m in memberships_of(session, user_id) if m.company_id == company_id), None
    )
    if membership is None:
        raise NotAuthenticated("you are not a member of this company")
    return build_actor(
        session,
        company_id=company_id,
        role=membership.role,
        granted_store_ids=frozenset(g.store_id for g in membership.store_grants),
        user_id=user_id,
        label=label or f"user:{user_id}",
    )


def grant_role(
    session: Session,
    *,
    user: User,
    role: Role | str,
    store_ids: Iterable[int],
    actor: Actor,
) -> Membership:
    """Give ``user`` a role in the actor's company, on the given stores (replacing earlier grants).

    A granter gives only what they hold: every permission of the role and every store must be
    the granter's own, so nobody can raise anyone (themselves included) above their own level.
    """
    try:
        new_role = Role(role)
    except ValueError:
        raise InvalidInput(
            f"unknown role {role!r}; roles are: {', '.join(r.value for r in Role)}", field="role"
        ) from None
    actor.require(Permission.USER_MANAGE)
    if not ROLE_PERMISSIONS[new_role] <= actor.permissions:
        raise RoleEscalation(f"you cannot grant {new_role.value}: it has rights your role lacks")
    wanted = frozenset(store_ids)
    unknown = wanted - company_store_ids(session, actor.company_id)
    if unknown:
        raise NotFound(f"store {min(unknown)} not found", field="store_ids")
    if not wanted <= actor.store_ids:
        raise RoleEscalation("you can grant access only to stores you work on yourself")
    existing = session.scalars(
        select(Membership)
        .where(Membership.user_id == user.id, Membership.company_id == actor.company_id)
        .options(selectinload(Membership.store_grants))
    ).one_or_none()
    if existing is not None and not ROLE_PERMISSIONS[existing.role] <= actor.permissions:
        raise RoleEscalation("you cannot change the role of someone with rights your role lacks")
    if existing is not None and existing.role == Role.OWNER and new_role != Role.OWNER:
        _refuse_last_owner_demotion(session, actor.company_id)
    if existing is None:
        existing = Membership(
            user_id=user.id, company_id=actor.company_id, role=new_role, store_grants=[]
        )
        session.add(existing)
    existing.role = new_role
    # Keep the grants that stay: replacing them all would insert (membership, store) pairs that
    # are still in the table and break their unique constraint.
    kept = [g for g in existing.store_grants if g.store_id in wanted]
    held = {g.store_id for g in kept}
    existing.store_grants = kept + [StoreGrant(store_id=s) for s in sorted(wanted - held)]
    session.flush()
    record_audit(
        session,
        action="user.role_granted",
        actor=actor,
        target_type="user",
        target_id=user.id,
        role=new_role.value,
        store_ids=sorted(wanted),
    )
    return existing


def _refuse_last_owner_demotion(session: Session, company_id: int) -> None:
    owners = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.company_id == company_id, Membership.role == Role.OWNER)
    )
    if owners == 1:
        raise RoleEscalation("a company keeps at least one owner: grant another owner first")


def add_owner(session: Session, *, user: User, company_id: int) -> Membership:
    """Make ``user`` an owner of a new company (used when a company is created)."""
    membership = Membership(user_id=user.id, company_id=company_id, role=Role.OWNER)
    session.add(membership)
    session.flush()
    record_audit(
        session,
        action="user.role_granted",
        company_id=company_id,
        user_id=user.id,
        target_type="user",
        target_id=user.id,
        role=Role.OWNER.value,
    )
    return membership


def list_members(session: Session, *, actor: Actor) -> list[tuple[User, Membership]]:
    """Users of the actor's company with their membership."""
    actor.require(Permission.USER_READ)
    stmt = (
        select(User, Membership)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.company_id == actor.company_id)
        .options(selectinload(Membership.store_grants))
        .order_by(User.id)
    )
    return [(u, m) for u, m in session.execute(stmt).tuples()]


def get_member(session: Session, *, user_id: int, actor: Actor) -> User:
    """A user of the actor's company; ``NotFound`` for anyone else."""
    actor.require(Permission.USER_READ)
    user = session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id == user_id, Membership.company_id == actor.company_id)
    ).one_or_none()
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def set_user_active(session: Session, *, user: User, active: bool, actor: Actor) -> User:
    """Disable or re-enable a user of the actor's company; takes effect on their next request."""
    actor.require(Permission.USER_MANAGE)
    get_member(session, user_id=user.id, actor=actor)
    if user.id == actor.user_id and not active:
        raise InvalidInput("you cannot disable your own account", field="active")
    user.is_active = active
    if not active:
        end_all_sessions(session, user_id=user.id)
    record_audit(
        session,
        action="user.enabled" if active else "user.disabled",
        actor=actor,
        target_type="user",
        target_id=user.id,
    )
    return user


# --- API tokens ----------------------------------------------------------------------------------


def issue_token(
    session: Session,
    *,
    actor: Actor,
    name: str,
    expires_in_days: int | None = 90,
    totp_code: str | None = None,
) -> tuple[ApiToken, str]:
    """A personal access token for the actor; the raw token is returned once and never stored.

    A user with a second factor issues tokens only with a current ``totp_code``.
    """
    from storeops.auth.second_factor import check_code

    if actor.user_id is None:
        raise InvalidInput("tokens belong to a user; sign in first", field="user")
    try:
        check_code(session, user_id=actor.user_id, code=totp_code)
    except NotAuthenticated as refusal:
        raise type(refusal)(refusal.message, field="totp_code") from None
    label = name.strip()
    if not label:
        raise InvalidInput("a token needs a name", field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=actor.user_id,
        company_id=actor.company_id,
        name=label[:80],
        prefix=raw[:12],
        token_digest=token_digest(raw),
        expires_at=utcnow() + dt.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(token)
    session.flush()
    record_audit(
        session, action="token.issued", actor=actor, target_type="api_token", target_id=token.id
    )
    return token, raw


def revoke_token(session: Session, *, token_id: int, actor: Actor) -> ApiToken:
    """Revoke one of the actor's own tokens."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.user_id or token.company_id != actor.company_id:
        raise NotFound(f"token {token_id} not found")
    token.revoked_at = token.revoked_at or utcnow()
    record_audit(
        session, action="token.revoked", actor=actor, target_type="api_token", target_id=token.id
    )
    return token


def list_tokens(session: Session, *, actor: Actor) -> list[ApiToken]:
    """The actor's own tokens (digests only, never the token)."""
    stmt = (
        select(ApiToken)
        .where(ApiToken.user_id == actor.user_id, ApiToken.company_id == actor.company_id)
        .order_by(ApiToken.id)
    )
    return list(session.scalars(stmt))


def actor_from_token(session: Session, raw: str) -> Actor:
    """The actor a bearer token stands for; ``NotAuthenticated`` if it is unknown, expired or revoked."""
    token = session.scalars(
        select(ApiToken).where(ApiToken.token_digest == token_digest(raw))
    ).one_or_none()
    now = utcnow()
    if (
        token is None
        or token.revoked_at is not None
        or (token.expires_at is not None and token.expires_at <= now)
    ):
        raise NotAuthenticated("invalid, expired or revoked API token")
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        token.last_used_at = now  # at most once a minute: reads stay reads (no write per request)
    return actor_for(
        session, user_id=token.user_id, company_id=token.company_id, label=f"token:{token.id}"
    )


# --- console sessions ------------------------------------------------------------------------------


def start_session(session: Session, *, user: User) -> str:
    """A new console session for ``user`` in their first company; returns the raw cookie value."""
    raw = secrets.token_urlsafe(32)
    first = next(iter(memberships_of(session, user.id)), None)
    console = ConsoleSession(
        session_digest=token_digest(raw),
        user_id=user.id,
        company_id=first.company_id if first else None,
        locale=user.locale,
    )
    session.add(console)
    session.flush()
    return raw


def resolve_session(session: Session, raw: str | None) -> ConsoleSession:
    """The live console session behind a cookie; ``NotAuthenticated`` if ended or timed out."""
    if not raw:
        raise NotAuthenticated("please sign in")
    found = session.scalars(
        select(ConsoleSession).where(ConsoleSession.session_digest == token_digest(raw))
    ).one_or_none()
    settings = get_settings()
    now = utcnow()
    if (
        found is None
        or found.ended_at is not None
        or now - found.last_seen_at > dt.timedelta(minutes=settings.session_idle_minutes)
        or now - found.created_at > dt.timedelta(hours=settings.session_absolute_hours)
    ):
        raise NotAuthenticated("your session has ended; please sign in again")
    if now - found.last_seen_at > TOUCH_INTERVAL:
        found.last_seen_at = now  # once a minute is precise enough for a 2-hour idle timeout
    return found


def end_session(session: Session, raw: str | None) -> None:
    """Sign a console session out on the server (the cookie becomes worthless)."""
    if not raw:
        return
    found = session.scalars(
        select(ConsoleSession).where(ConsoleSession.session_digest == token_digest(raw))
    ).one_or_none()
    if found is not None and found.ended_at is None:
        found.ended_at = utcnow()
        record_audit(
            session, action="auth.logout", user_id=found.user_id, company_id=found.company_id
        )


def end_all_sessions(session: Session, *, user_id: int) -> None:
    """End every console session of a user (password change, disabling)."""
    now = utcnow()
    for found in session.scalars(
        select(ConsoleSession).where(
            ConsoleSession.user_id == user_id, ConsoleSession.ended_at.is_(None)
        )
    ):
        found.ended_at = now


def list_audit(
    session: Session, *, actor: Actor, limit: int = 200, before_id: int | None = None
) -> list[AuditEvent]:
    """The newest audit entries of the actor's company (``audit.read``)."""
    actor.require(Permission.AUDIT_READ)
    stmt = select(AuditEvent).where(AuditEvent.company_id == actor.company_id)
    if before_id is not None:
        stmt = stmt.where(AuditEvent.id < before_id)
    return list(session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(min(limit, 1000))))


# --- what a console session works on ------------------------------------------------------------


def session_user(session: Session, console: ConsoleSession) -> User:
    """The active user of a console session; ``NotAuthenticated`` if disabled or gone."""
    user = session.get(User, console.user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("this account is disabled or no longer exists")
    return user


def session_actor(session: Session, console: ConsoleSession) -> Actor | None:
    """The actor of the session's company; moves to the user's first company if access is gone."""
    member_of = [m.company_id for m in memberships_of(session, console.user_id)]
    if console.company_id not in member_of:
        console.company_id = member_of[0] if member_of else None
        console.store_id = None
    if console.company_id is None:
        return None
    return actor_for(session, user_id=console.user_id, company_id=console.company_id)


def switch_session_company(session: Session, *, console: ConsoleSession, company_id: int) -> None:
    """Work in another of the user's companies (the store choice is cleared)."""
    session_user(session, console)
    if company_id not in {m.company_id for m in memberships_of(session, console.user_id)}:
        raise NotFound(f"company {company_id} not found", field="company_id")
    console.company_id = company_id
    console.store_id = None


def switch_session_store(
    session: Session, *, console: ConsoleSession, store_id: int | None
) -> None:
    """Focus one store of the current company (``None``: all of the actor's stores)."""
    session_user(session, console)
    actor = session_actor(session, console)
    if store_id is not None and (actor is None or not actor.sees_store(store_id)):
        raise NotFound(f"store {store_id} not found", field="store_id")
    console.store_id = store_id


def set_session_locale(
    session: Session, *, console: ConsoleSession, locale: str, remember: bool
) -> str:
    """Show the console in ``locale``; ``remember`` keeps it on the user for the next sign-in too."""
    from storeops.i18n import normalize_locale

    chosen = normalize_locale(locale)
    console.locale = chosen
    if remember:
        session_user(session, console).locale = chosen
    return chosen


# --- second factor ------------------------------------------------------------------------------


def enrol_second_factor(session: Session, *, actor: Actor) -> tuple[str, str]:
    """Start TOTP enrolment for the actor's own account: (secret, otpauth URI), shown once."""
    from storeops.auth import second_factor

    user = _own_user(session, actor)
    secret, uri = second_factor.enrol(session, user=user)
    record_audit(
        session,
        action="auth.second_factor_enrolment",
        actor=actor,
        target_type="user",
        target_id=user.id,
    )
    return secret, uri


def confirm_second_factor(session: Session, *, actor: Actor, code: str) -> None:
    """Turn the actor's second factor on with the first code from their app."""
    from storeops.auth import second_factor

    user = _own_user(session, actor)
    second_factor.confirm(session, user=user, code=code)
    record_audit(
        session, action="auth.second_factor_on", actor=actor, target_type="user", target_id=user.id
    )


def turn_off_second_factor(session: Session, *, actor: Actor, code: str) -> None:
    """Turn the actor's second factor off (with a current code)."""
    from storeops.auth import second_factor

    user = _own_user(session, actor)
    second_factor.turn_off(session, user=user, code=code)
    record_audit(
        session, action="auth.second_factor_off", actor=actor, target_type="user", target_id=user.id
    )


def _own_user(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None or not user.is_active:
        raise NotAuthenticated("a second factor belongs to a signed-in user")
    return user


# --- who viewed or exported personal data -------------------------------------------------------

PII_ACTIONS = ("pii.viewed", "pii.exported")


def record_pii_access(
    session: Session,
    *,
    actor: Actor,
    exported: bool,
    target_type: str,
    target_id: int | str | None = None,
    records: int = 1,
    fields: Iterable[str] = (),
) -> AuditEvent:
    """Record that ``actor`` viewed (or exported) buyers' personal data: ids and counts only.

    Pages and exports that unmask personal data (``pii.read``) call this, so the company can show
    who saw whose data (the audit log keeps no personal data itself).
    """
    return record_audit(
        session,
        action="pii.exported" if exported else "pii.viewed",
        actor=actor,
        target_type=target_type,
        target_id=target_id,
        records=records,
        fields=sorted(fields),
    )


def pii_access_log(
    session: Session,
    *,
    actor: Actor,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[AuditEvent]:
    """Who viewed or exported personal data in the actor's company, oldest first (``audit.read``)."""
    actor.require(Permission.AUDIT_READ)
    stmt = select(AuditEvent).where(
        AuditEvent.company_id == actor.company_id, AuditEvent.action.in_(PII_ACTIONS)
    )
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.at < until)
    events = list(session.scalars(stmt.order_by(AuditEvent.id)))
    record_audit(session, action="audit.pii_access_exported", actor=actor, entries=len(events))
    return events
