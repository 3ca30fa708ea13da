"""Companies, stores, platform accounts, credentials and service hours (stages 1.2 and 2)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission, Role
from storeops.auth.models import Membership, StoreGrant, User
from storeops.auth.scoping import Actor, get_scoped, scoped
from storeops.auth.service import add_owner, record_audit
from storeops.crypto import encrypt
from storeops.errors import InvalidInput, NotFound
from storeops.stores.enums import AccountKind, BusinessModel, Platform, StoreStatus, transition
from storeops.stores.errors import (
    DuplicateAccount,
    DuplicateCompany,
    DuplicateStore,
    InvalidServiceHours,
)
from storeops.stores.models import Company, PlatformAccount, ServiceHours, Store
from storeops.stores.schemas import (
    AccountRead,
    DayCoverage,
    ServiceHoursReport,
    ServiceWindow,
    StoreCreate,
)
from storeops.types import normalize_currency, normalize_timezone, utcnow

CREDENTIAL_PURPOSE = "platform-credential"
REQUIRED_SERVICE_DAYS = 7
REQUIRED_DAILY_HOURS = 8
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


_E = TypeVar("_E", Platform, BusinessModel)


def _choice(enum: type[_E], value: str, field: str) -> _E:
    try:
        return enum(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        options = ", ".join(m.value for m in enum)
        raise InvalidInput(
            f"unknown {field} {value!r}; choose one of: {options}", field=field
        ) from None


def parse_platform(value: str) -> Platform:
    """The platform named ``value`` (case-insensitive); ``InvalidInput`` listing the choices otherwise."""
    return _choice(Platform, value, "platform")


def parse_business_model(value: str) -> BusinessModel:
    """``b2b`` or ``b2c``; ``InvalidInput`` otherwise."""
    return _choice(BusinessModel, value, "business_model")


# --- companies -----------------------------------------------------------------------------------


def create_company(
    session: Session, *, name: str, owner: User, base_currency: str = "CNY"
) -> Company:
    """A new company with ``owner`` as its first owner."""
    clean = name.strip()
    if not clean:
        raise InvalidInput("company name is empty", field="name")
    if session.scalar(select(Company.id).where(Company.name == clean)) is not None:
        raise DuplicateCompany(f"a company named {clean!r} already exists", field="name")
    company = Company(name=clean[:160], base_currency=normalize_currency(base_currency))
    session.add(company)
    session.flush()
    add_owner(session, user=owner, company_id=company.id)
    return company


def companies_of(session: Session, *, user_id: int) -> list[Company]:
    """The companies a user is a member of."""
    stmt = (
        select(Company)
        .join(Membership, Membership.company_id == Company.id)
        .where(Membership.user_id == user_id)
        .order_by(Company.id)
    )
    return list(session.scalars(stmt))


def get_company_by_name(session: Session, name: str) -> Company:
    """The company called ``name``; ``NotFound`` otherwise."""
    company = session.scalars(select(Company).where(Company.name == name.strip())).one_or_none()
    if company is None:
        raise NotFound(f"company {name!r} not found", field="company")
    return company


# --- stores --------------------------------------------------------------------------------------


def open_store(session: Session, *, actor: Actor, data: StoreCreate) -> Store:
    """2.1.1 / 2.2.1 Register a store of the company on a platform (status: preparing).

    The creator gets access to it if their role does not already see every store.
    """
    actor.require(Permission.STORE_CREATE)
    name = data.name.strip()
    if not name:
        raise InvalidInput("store name is empty", field="name")
    duplicate = session.scalar(
        select(Store.id).where(Store.company_id == actor.company_id, Store.name == name)
    )
    if duplicate is not None:
        raise DuplicateStore(f"the company already has a store named {name!r}", field="name")
    store = Store(
        company_id=actor.company_id,
        name=name,
        platform=parse_platform(data.platform),
        business_model=parse_business_model(data.business_model),
        site=data.site.strip(),
        currency=normalize_currency(data.currency),
        timezone=normalize_timezone(data.timezone),
        opened_on=data.opened_on,
        status=StoreStatus.PREPARING,
    )
    session.add(store)
    session.flush()
    if actor.user_id is not None and actor.role != Role.OWNER:
        membership_id = session.scalar(
            select(Membership.id).where(
                Membership.user_id == actor.user_id, Membership.company_id == actor.company_id
            )
        )
        if membership_id is not None:
            session.add(StoreGrant(membership_id=membership_id, store_id=store.id))
    record_audit(
        session, action="store.opened", actor=actor, target_type="store", target_id=store.id
    )
    return store


def list_stores(session: Session, *, actor: Actor) -> list[Store]:
    """The stores the actor works on."""
    actor.require(Permission.STORE_READ)
    return list(session.scalars(scoped(select(Store), Store, actor).order_by(Store.id)))


def get_store(session: Session, *, store_id: int, actor: Actor) -> Store:
    """One of the actor's stores; any other id is ``NotFound``."""
    actor.require(Permission.STORE_READ)
    return get_scoped(session, Store, store_id, actor, what="store")


def change_store_status(
    session: Session, *, store: Store, status: StoreStatus | str, actor: Actor
) -> Store:
    """Move a store along its status flow (preparing → active → suspended/closed)."""
    actor.require(Permission.STORE_UPDATE)
    try:
        target = StoreStatus(status)
    except ValueError:
        options = ", ".join(s.value for s in StoreStatus)
        raise InvalidInput(
            f"unknown status {status!r}; choose one of: {options}", field="status"
        ) from None
    before = store.status
    store.status = transition(store.status, target)
    if target == StoreStatus.ACTIVE and store.opened_on is None:
        store.opened_on = utcnow().date()
    session.flush()
    record_audit(
        session,
        action="store.status_changed",
        actor=actor,
        target_type="store",
        target_id=store.id,
        before=before.value,
        after=target.value,
    )
    return store


# --- platform accounts and credentials -------------------------------------------------------------


def account_read(account: PlatformAccount) -> AccountRead:
    """The account as interfaces show it: whether a credential is set, never the credential."""
    return AccountRead(
        id=account.id,
        store_id=account.store_id,
        parent_id=account.parent_id,
        kind=account.kind,
        login=account.login,
        purpose=account.purpose,
        is_active=account.is_active,
        credential_set=account.credential_ciphertext is not None,
        credential_set_at=account.credential_set_at,
    )


def add_platform_account(
    session: Session,
    *,
    store: Store,
    actor: Actor,
    login: str,
    kind: AccountKind | str = AccountKind.MAIN,
    parent_id: int | None = None,
    purpose: str = "",
) -> PlatformAccount:
    """2.1.2 / 2.2.2 Record the store's seller-centre account or open a sub-account under it."""
    actor.require(Permission.ACCOUNT_MANAGE)
    get_scoped(session, Store, store.id, actor, what="store")
    clean = login.strip()
    if not clean:
        raise InvalidInput("account login is empty", field="login")
    try:
        account_kind = AccountKind(kind)
    except ValueError:
        raise InvalidInput(
            f"unknown account kind {kind!r}; choose main or sub", field="kind"
        ) from None
    if account_kind == AccountKind.SUB:
        if parent_id is None:
            raise InvalidInput(
                "a sub-account needs the main account it belongs to", field="parent_id"
            )
        parent = session.get(PlatformAccount, parent_id)
        if parent is None or parent.store_id != store.id:
            raise NotFound(f"account {parent_id} not found", field="parent_id")
        if parent.kind != AccountKind.MAIN:
            raise InvalidInput(
                "sub-accounts hang under a main account, not under another sub-account",
                field="parent_id",
            )
    elif parent_id is not None:
        raise InvalidInput("a main account has no parent account", field="parent_id")
    if (
        session.scalar(
            select(PlatformAccount.id).where(
                PlatformAccount.store_id == store.id, PlatformAccount.login == clean
            )
        )
        is not None
    ):
        raise DuplicateAccount(f"the store already has an account {clean!r}", field="login")
    account = PlatformAccount(
        store_id=store.id,
        parent_id=parent_id,
        kind=account_kind,
        login=clean,
        purpose=purpose.strip(),
    )
    session.add(account)
    session.flush()
    record_audit(
        session,
        action="account.created",
        actor=actor,
        target_type="platform_account",
        target_id=account.id,
    )
    return account


def list_platform_accounts(
    session: Session, *, store: Store, actor: Actor
) -> list[PlatformAccount]:
    """The store's accounts and sub-accounts (credentials stay encrypted)."""
    actor.require(Permission.ACCOUNT_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    stmt = (
        select(PlatformAccount)
        .where(PlatformAccount.store_id == store.id)
        .order_by(PlatformAccount.id)
    )
    return list(session.scalars(stmt))


def get_platform_account(session: Session, *, account_id: int, actor: Actor) -> PlatformAccount:
    """One account of the actor's stores; ``NotFound`` otherwise."""
    actor.require(Permission.ACCOUNT_READ)
    return get_scoped(session, PlatformAccount, account_id, actor, what="account")


def set_account_credential(
    session: Session, *, account: PlatformAccount, secret: str, actor: Actor
) -> None:
    """2.1.2 / 2.2.2 Store an account's credential encrypted at rest; it is never shown again."""
    actor.require(Permission.CREDENTIAL_WRITE)
    get_scoped(session, PlatformAccount, account.id, actor, what="account")
    if not secret or not secret.strip():
        raise InvalidInput("the credential is empty", field="secret")
    account.credential_ciphertext = encrypt(secret, purpose=CREDENTIAL_PURPOSE)
    account.credential_set_at = utcnow()
    session.flush()
    record_audit(
        session,
        action="credential.changed",
        actor=actor,
        target_type="platform_account",
        target_id=account.id,
    )


# --- service hours ---------------------------------------------------------------------------------


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def set_service_hours(
    session: Session, *, store: Store, windows: Sequence[ServiceWindow], actor: Actor
) -> ServiceHoursReport:
    """7.3.2 Replace the store's customer-service hours; returns the 7 x 8 compliance report."""
    actor.require(Permission.SERVICE_HOURS_MANAGE)
    get_scoped(session, Store, store.id, actor, what="store")
    spans = sorted((w.weekday, _minutes(w.opens), _minutes(w.closes)) for w in windows)
    for weekday, opens, closes in spans:
        if closes <= opens:
            raise InvalidServiceHours(
                f"{WEEKDAY_NAMES[weekday]} {_hhmm(opens)}-{_hhmm(closes)}: a window must close after it "
                "opens (split a window that crosses midnight into two days)",
                field="windows",
            )
    for (day_a, _, closes_a), (day_b, opens_b, _) in pairwise(spans):
        if day_a == day_b and opens_b < closes_a:
            raise InvalidServiceHours(
                f"{WEEKDAY_NAMES[day_a]}: windows overlap at {_hhmm(opens_b)}", field="windows"
            )
    for old in session.scalars(select(ServiceHours).where(ServiceHours.store_id == store.id)):
        session.delete(old)
    session.flush()
    for weekday, opens, closes in spans:
        session.add(
            ServiceHours(
                store_id=store.id, weekday=weekday, opens_minute=opens, closes_minute=closes
            )
        )
    session.flush()
    record_audit(
        session,
        action="service_hours.changed",
        actor=actor,
        target_type="store",
        target_id=store.id,
    )
    return service_hours_report(session, store=store, actor=actor)


def service_hours_report(session: Session, *, store: Store, actor: Actor) -> ServiceHoursReport:
    """7.3.2 Check the store's service hours against the standard's minimum of 7 days x 8 hours."""
    actor.require(Permission.STORE_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    rows = list(
        session.scalars(
            select(ServiceHours)
            .where(ServiceHours.store_id == store.id)
            .order_by(ServiceHours.weekday, ServiceHours.opens_minute)
        )
    )
    minutes_per_day = [0] * REQUIRED_SERVICE_DAYS  # every day of the week, Monday first
    for row in rows:
        minutes_per_day[row.weekday] += row.closes_minute - row.opens_minute
    problems: list[str] = []
    for weekday, minutes in enumerate(minutes_per_day):
        if minutes == 0:
            problems.append(f"{WEEKDAY_NAMES[weekday]}: no service hours")
        elif minutes < REQUIRED_DAILY_HOURS * 60:
            problems.append(
                f"{WEEKDAY_NAMES[weekday]}: {minutes / 60:g} h, short of {REQUIRED_DAILY_HOURS} h"
            )
    return ServiceHoursReport(
        store_id=store.id,
        windows=[
            ServiceWindow(
                weekday=r.weekday, opens=_hhmm(r.opens_minute), closes=_hhmm(r.closes_minute)
            )
            for r in rows
        ],
        days=[
            DayCoverage(weekday=d, hours=round(m / 60, 2)) for d, m in enumerate(minutes_per_day)
        ],
        days_covered=sum(1 for m in minutes_per_day if m > 0),
        weekly_hours=round(sum(minutes_per_day) / 60, 2),
        compliant=not problems,
        problems=problems,
    )
