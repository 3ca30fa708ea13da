"""Stores, platform accounts, write-only credentials and 7.3.2 service hours."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.models import AuditEvent
from storeops.crypto import decrypt
from storeops.errors import IllegalTransition, InvalidInput, NotFound
from storeops.stores import service
from storeops.stores.enums import AccountKind, StoreStatus
from storeops.stores.errors import DuplicateAccount, DuplicateStore, InvalidServiceHours
from storeops.stores.models import PlatformAccount, ServiceHours, Store
from storeops.stores.schemas import ServiceWindow, StoreCreate
from tests.factories import make_company, make_store, owner_actor


def _spec(**overrides: object) -> StoreCreate:
    base: dict[str, object] = dict(
        name="Amazon DE",
        platform="amazon",
        business_model="b2c",
        site="DE",
        currency="eur",
        timezone="Europe/Berlin",
    )
    return StoreCreate.model_construct(**(base | overrides))


def test_open_store_normalises_and_starts_preparing(session: Session) -> None:
    company = make_company(session)
    store = service.open_store(session, actor=owner_actor(session, company), data=_spec())
    assert (store.platform.value, store.business_model.value, store.currency, store.status) == (
        "amazon",
        "b2c",
        "EUR",
        StoreStatus.PREPARING,
    )


@pytest.mark.parametrize(
    ("override", "message", "field"),
    [
        (
            {"platform": "temu"},
            "unknown platform 'temu'; choose one of: alibaba_com, amazon",
            "platform",
        ),
        (
            {"business_model": "c2c"},
            "unknown business_model 'c2c'; choose one of: b2b, b2c",
            "business_model",
        ),
        ({"currency": "EURO"}, "unknown currency 'EURO'", "currency"),
        ({"timezone": "Berlin"}, "unknown timezone 'Berlin'", "timezone"),
        ({"name": "   "}, "store name is empty", "name"),
    ],
)
def test_bad_store_input_names_the_field_and_writes_nothing(
    session: Session, override: dict[str, object], message: str, field: str
) -> None:
    company = make_company(session)
    before = session.scalar(select(func.count()).select_from(Store))
    with pytest.raises(InvalidInput) as exc:
        service.open_store(session, actor=owner_actor(session, company), data=_spec(**override))
    assert message in exc.value.message
    assert exc.value.field == field
    assert session.scalar(select(func.count()).select_from(Store)) == before


def test_duplicate_store_name_in_a_company_is_refused(session: Session) -> None:
    company = make_company(session)
    actor = owner_actor(session, company)
    service.open_store(session, actor=actor, data=_spec())
    with pytest.raises(DuplicateStore, match="already has a store named 'Amazon DE'"):
        service.open_store(session, actor=actor, data=_spec(name=" Amazon DE "))
    other = make_company(session)
    service.open_store(session, actor=owner_actor(session, other), data=_spec())


def test_store_status_flow_refuses_illegal_moves(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    service.change_store_status(session, store=store, status="active", actor=actor)
    service.change_store_status(session, store=store, status="suspended", actor=actor)
    service.change_store_status(session, store=store, status="closed", actor=actor)
    with pytest.raises(
        IllegalTransition, match="a closed store cannot become active \\(allowed: none\\)"
    ):
        service.change_store_status(session, store=store, status="active", actor=actor)
    with pytest.raises(InvalidInput, match="unknown status 'open'"):
        service.change_store_status(session, store=store, status="open", actor=actor)


def test_accounts_and_sub_accounts(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    main = service.add_platform_account(session, store=store, actor=actor, login="seller@acme.com")
    sub = service.add_platform_account(
        session,
        store=store,
        actor=actor,
        login="cs1@acme.com",
        kind="sub",
        parent_id=main.id,
        purpose="客服",
    )
    assert (sub.kind, sub.parent_id) == (AccountKind.SUB, main.id)
    with pytest.raises(InvalidInput, match="needs the main account"):
        service.add_platform_account(session, store=store, actor=actor, login="x", kind="sub")
    with pytest.raises(InvalidInput, match="not under another sub-account"):
        service.add_platform_account(
            session, store=store, actor=actor, login="y", kind="sub", parent_id=sub.id
        )
    with pytest.raises(DuplicateAccount, match="already has an account 'seller@acme.com'"):
        service.add_platform_account(session, store=store, actor=actor, login="seller@acme.com")
    other_store = make_store(session, company=company)
    actor = owner_actor(session, company)  # an actor is a snapshot: rebuild it to see the new store
    with pytest.raises(NotFound, match=f"account {main.id} not found"):
        service.add_platform_account(
            session, store=other_store, actor=actor, login="z", kind="sub", parent_id=main.id
        )
    assert [a.login for a in service.list_platform_accounts(session, store=store, actor=actor)] == [
        "seller@acme.com",
        "cs1@acme.com",
    ]


def test_credentials_are_encrypted_at_rest_and_never_read_back(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    account = service.add_platform_account(
        session, store=store, actor=actor, login="seller@acme.com"
    )
    assert service.account_read(account).credential_set is False
    service.set_account_credential(
        session, account=account, secret="Atzr|refresh-token-xyz", actor=actor
    )
    stored = session.scalars(
        select(PlatformAccount.credential_ciphertext).where(PlatformAccount.id == account.id)
    ).one()
    assert stored is not None and "refresh-token-xyz" not in stored
    assert decrypt(stored, purpose=service.CREDENTIAL_PURPOSE) == "Atzr|refresh-token-xyz"
    shown = service.account_read(account).model_dump()
    assert shown["credential_set"] is True
    assert "refresh-token-xyz" not in str(shown)
    entry = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "credential.changed")
    ).one()
    assert "refresh" not in str(entry.detail)
    with pytest.raises(InvalidInput, match="the credential is empty"):
        service.set_account_credential(session, account=account, secret="  ", actor=actor)


def _week(opens: str, closes: str, days: range = range(7)) -> list[ServiceWindow]:
    return [ServiceWindow(weekday=d, opens=opens, closes=closes) for d in days]


def test_service_hours_of_7_days_by_8_hours_comply(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    report = service.set_service_hours(
        session, store=store, windows=_week("09:00", "17:00"), actor=owner_actor(session, company)
    )
    assert (report.compliant, report.days_covered, report.weekly_hours, report.problems) == (
        True,
        7,
        56.0,
        [],
    )


def test_service_hours_short_days_and_missing_days_are_reported(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    windows = [
        *_week("09:00", "18:00", range(5)),
        ServiceWindow(weekday=5, opens="10:00", closes="12:00"),
        ServiceWindow(weekday=5, opens="13:00", closes="16:30"),
    ]
    report = service.set_service_hours(
        session, store=store, windows=windows, actor=owner_actor(session, company)
    )
    assert report.compliant is False
    assert report.days_covered == 6
    assert report.weekly_hours == 50.5
    assert report.problems == ["Saturday: 5.5 h, short of 8 h", "Sunday: no service hours"]


def test_service_hours_refuse_overlaps_and_backwards_windows(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    service.set_service_hours(session, store=store, windows=_week("09:00", "17:00"), actor=actor)
    with pytest.raises(InvalidServiceHours, match="Monday: windows overlap at 12:00"):
        service.set_service_hours(
            session,
            store=store,
            actor=actor,
            windows=[
                ServiceWindow(weekday=0, opens="09:00", closes="13:00"),
                ServiceWindow(weekday=0, opens="12:00", closes="18:00"),
            ],
        )
    with pytest.raises(
        InvalidServiceHours, match="Tuesday 22:00-02:00: a window must close after it opens"
    ):
        service.set_service_hours(
            session,
            store=store,
            actor=actor,
            windows=[ServiceWindow(weekday=1, opens="22:00", closes="02:00")],
        )
    kept = session.scalar(
        select(func.count()).select_from(ServiceHours).where(ServiceHours.store_id == store.id)
    )
    assert kept == 7
    full = service.set_service_hours(
        session, store=store, actor=actor, windows=_week("00:00", "24:00")
    )
    assert full.weekly_hours == 168.0


def test_service_window_validates_time_format() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="'9am' is not a time of day in HH:MM form"):
        ServiceWindow(weekday=0, opens="9am", closes="17:00")
    with pytest.raises(ValidationError):
        ServiceWindow(weekday=7, opens="09:00", closes="17:00")
