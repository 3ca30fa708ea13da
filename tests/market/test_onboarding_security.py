"""1.2.2 onboarding checklists (status, expiry, readiness) and the 2.1.2 / 2.2.2 account security
review, on hand-built records."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.errors import IllegalTransition, NotFound, PermissionDenied
from storeops.market import onboarding, security
from storeops.market.enums import CompanyType, OnboardingStatus
from storeops.market.schemas import ChecklistCreate, OnboardingItemUpdate, SecurityRecordWrite
from storeops.stores import service as store_service
from storeops.types import utcnow
from tests.factories import make_company, make_member, make_store, owner_actor


def test_checklist_per_platform_and_company_type(session: Session) -> None:
    company, other = make_company(session), make_company(session)
    actor = owner_actor(session, company)
    hk = onboarding.start_checklist(
        session,
        data=ChecklistCreate(platform="shopee", company_type=CompanyType.HONG_KONG_COMPANY),
        actor=actor,
    )
    codes = [i.code for i in hk.items]
    assert "certificate_of_incorporation" in codes
    assert "business_licence" not in codes  # that is the mainland document
    # Shopee's four entry requirements from its profile follow the common items
    platform_items = [i for i in hk.items if i.kind == "platform_requirement"]
    assert len(platform_items) == 4
    assert platform_items[0].title == "Shopee: mainland China or Hong Kong company"
    person = onboarding.start_checklist(
        session,
        data=ChecklistCreate(platform="amazon", company_type=CompanyType.INDIVIDUAL),
        actor=actor,
    )
    assert "personal_id" in [i.code for i in person.items]
    assert "legal_representative_id" not in [i.code for i in person.items]
    required = sum(1 for i in hk.items if i.required)
    assert (hk.ready, hk.required_open) == (False, required)
    with pytest.raises(NotFound):
        onboarding.get_checklist(session, checklist_id=hk.id, actor=owner_actor(session, other))


def test_item_status_flow_expiry_and_readiness(session: Session) -> None:
    company = make_company(session)
    actor = owner_actor(session, company)
    checklist = onboarding.start_checklist(
        session,
        data=ChecklistCreate(platform="ebay", company_type=CompanyType.MAINLAND_CHINA_COMPANY),
        actor=actor,
    )
    today = utcnow().date()
    licence = next(i for i in checklist.items if i.code == "business_licence")
    with pytest.raises(IllegalTransition):
        onboarding.update_item(
            session, item_id=licence.id,
            data=OnboardingItemUpdate(status=OnboardingStatus.APPROVED), actor=actor,
        )  # fmt: skip
    for item in checklist.items:
        if item.required:
            for status in (OnboardingStatus.SUBMITTED, OnboardingStatus.APPROVED):
                onboarding.update_item(
                    session, item_id=item.id, data=OnboardingItemUpdate(status=status), actor=actor
                )
    onboarding.update_item(
        session, item_id=licence.id,
        data=OnboardingItemUpdate(expires_on=today + dt.timedelta(days=10), reference="91330"),
        actor=actor,
    )  # fmt: skip
    ready = onboarding.get_checklist(session, checklist_id=checklist.id, actor=actor)
    assert (ready.ready, ready.required_open, ready.expired, ready.expiring_soon) == (True, 0, 0, 1)
    later = onboarding.get_checklist(
        session, checklist_id=checklist.id, actor=actor, as_of=today + dt.timedelta(days=11)
    )
    assert (later.ready, later.expired) == (False, 1)
    expired = next(i for i in later.items if i.code == "business_licence")
    assert expired.flags == ["expired"]
    _, cs = make_member(session, company=company, role=Role.CUSTOMER_SERVICE)
    with pytest.raises(PermissionDenied):
        onboarding.update_item(
            session, item_id=licence.id, data=OnboardingItemUpdate(note="x"), actor=cs
        )


def test_security_review_flags_weak_accounts(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    main = store_service.add_platform_account(session, store=store, actor=actor, login="seller@x")
    sub = store_service.add_platform_account(
        session, store=store, actor=actor, login="ops@x", kind="sub", parent_id=main.id
    )
    store_service.add_platform_account(
        session, store=store, actor=actor, login="cs@x", kind="sub", parent_id=main.id
    )
    today = dt.date(2026, 11, 25)
    security.record_account_security(
        session, account_id=main.id,
        data=SecurityRecordWrite(two_factor_enabled=True, payment_account_set=True,
                                 password_changed_on=today - dt.timedelta(days=30)),
        actor=actor,
    )  # fmt: skip
    security.record_account_security(
        session, account_id=sub.id,
        data=SecurityRecordWrite(two_factor_enabled=False, password_changed_on=dt.date(2026, 1, 1),
                                 permissions=["Listings", "Finance"]),
        actor=actor,
    )  # fmt: skip
    review = security.security_review(session, store_id=store.id, actor=actor, as_of=today)
    by_login = {a.login: a for a in review.accounts}
    assert by_login["seller@x"].findings == []
    assert by_login["seller@x"].password_age_days == 30
    assert by_login["ops@x"].findings == [
        "two-factor authentication is off",
        "sub-account holds owner-level permissions: finance",
        "password last changed 328 days ago (more than 90)",
    ]
    assert by_login["cs@x"].findings == [
        "never reviewed: record 2FA, payment set-up and the last password change",
        "no password change on record",
    ]
    assert review.weak_accounts == 2
    assert review.store_findings == ["active sub-accounts without a named holder: ops@x, cs@x"]
    _, viewer = make_member(session, company=company, role=Role.VIEWER, stores=[store])
    with pytest.raises(PermissionDenied):
        security.security_review(session, store_id=store.id, actor=viewer)
