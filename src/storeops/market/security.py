"""2.1.2 / 2.2.2 Account security review: the store's seller-centre account and sub-accounts with
their permissions, two-factor authentication, payment set-up and last password change."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.auth.service import record_audit
from storeops.market.models import AccountSecurityRecord
from storeops.market.schemas import AccountSecurityRead, SecurityRecordWrite, SecurityReviewRead
from storeops.stores.enums import AccountKind
from storeops.stores.models import PlatformAccount, Store
from storeops.types import utcnow

MAX_PASSWORD_AGE_DAYS = 90
#: Permissions a sub-account should not hold: they belong to the main account.
OWNER_ONLY_PERMISSIONS = frozenset({"all", "admin", "finance", "payout", "account_settings"})


def record_account_security(
    session: Session, *, account_id: int, data: SecurityRecordWrite, actor: Actor
) -> AccountSecurityRead:
    """2.1.2 / 2.2.2 Record what a security check of an account found (2FA, payment set-up, last
    password change, permissions of a sub-account)."""
    actor.require(Permission.ACCOUNT_MANAGE)
    account = get_scoped(session, PlatformAccount, account_id, actor, what="account")
    record = session.scalars(
        select(AccountSecurityRecord).where(AccountSecurityRecord.account_id == account.id)
    ).one_or_none()
    if record is None:
        record = AccountSecurityRecord(
            store_id=account.store_id, account_id=account.id, reviewed_by=actor.label
        )
        session.add(record)
    record.two_factor_enabled = data.two_factor_enabled
    record.payment_account_set = data.payment_account_set
    record.password_changed_on = data.password_changed_on
    record.permissions = sorted({p.strip().lower() for p in data.permissions if p.strip()})
    record.reviewed_by = actor.label
    record.reviewed_at = utcnow()
    session.flush()
    record_audit(
        session,
        action="account.security_recorded",
        actor=actor,
        target_type="platform_account",
        target_id=account.id,
    )
    return _account_read(account, record, utcnow().date())


def _account_read(
    account: PlatformAccount, record: AccountSecurityRecord | None, as_of: dt.date
) -> AccountSecurityRead:
    findings: list[str] = []
    changed = record.password_changed_on if record else None
    if changed is None and account.credential_set_at is not None:
        changed = account.credential_set_at.date()
    age = (as_of - changed).days if changed else None
    if record is None:
        findings.append("never reviewed: record 2FA, payment set-up and the last password change")
    else:
        if not record.two_factor_enabled:
            findings.append("two-factor authentication is off")
        if account.kind == AccountKind.MAIN and not record.payment_account_set:
            findings.append("no payment (payout) account is set up")
        if account.kind == AccountKind.SUB:
            risky = sorted(set(record.permissions) & OWNER_ONLY_PERMISSIONS)
            if risky:
                findings.append(f"sub-account holds owner-level permissions: {', '.join(risky)}")
    if age is None:
        findings.append("no password change on record")
    elif age > MAX_PASSWORD_AGE_DAYS:
        findings.append(f"password last changed {age} days ago (more than {MAX_PASSWORD_AGE_DAYS})")
    return AccountSecurityRead(
        account_id=account.id,
        login=account.login,
        kind=account.kind.value,
        parent_id=account.parent_id,
        is_active=account.is_active,
        two_factor_enabled=record.two_factor_enabled if record else None,
        payment_account_set=record.payment_account_set if record else None,
        password_changed_on=changed,
        password_age_days=age,
        permissions=list(record.permissions) if record else [],
        reviewed_at=record.reviewed_at if record else None,
        findings=findings,
        weak=bool(findings),
    )


def security_review(
    session: Session, *, store_id: int, actor: Actor, as_of: dt.date | None = None
) -> SecurityReviewRead:
    """2.1.2 / 2.2.2 Review the store's accounts and sub-accounts; weak ones are flagged."""
    actor.require(Permission.ACCOUNT_READ)
    store = get_scoped(session, Store, store_id, actor, what="store")
    day = as_of or utcnow().date()
    accounts = list(
        session.scalars(
            select(PlatformAccount)
            .where(PlatformAccount.store_id == store.id)
            .order_by(PlatformAccount.id)
        )
    )
    records = {
        r.account_id: r
        for r in session.scalars(
            select(AccountSecurityRecord).where(AccountSecurityRecord.store_id == store.id)
        )
    }
    reads = [_account_read(a, records.get(a.id), day) for a in accounts]
    store_findings: list[str] = []
    if not any(a.kind == AccountKind.MAIN for a in accounts):
        store_findings.append("the store has no main account on record")
    active_subs = [a for a in accounts if a.kind == AccountKind.SUB and a.is_active]
    unowned = [a.login for a in active_subs if a.holder_user_id is None]
    if unowned:
        store_findings.append(f"active sub-accounts without a named holder: {', '.join(unowned)}")
    return SecurityReviewRead(
        store_id=store.id,
        as_of=day,
        accounts=reads,
        weak_accounts=sum(1 for r in reads if r.weak),
        store_findings=store_findings,
    )
