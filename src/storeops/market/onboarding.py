"""1.2.2 Onboarding checklists per platform and company type, with status and expiry; 2.1.1 /
2.2.1 registration is the store itself (``stores.open_store``), linked to its checklist."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.auth.service import record_audit
from storeops.errors import NotFound
from storeops.market.enums import (
    CompanyType,
    OnboardingItemKind,
    OnboardingStatus,
    onboarding_transition,
)
from storeops.market.models import OnboardingChecklist, OnboardingItem
from storeops.market.platforms import get_profile
from storeops.market.schemas import (
    ChecklistCreate,
    ChecklistRead,
    OnboardingItemRead,
    OnboardingItemUpdate,
)
from storeops.market.scoping import company_scoped, get_company_scoped
from storeops.stores.models import Store
from storeops.types import utcnow

EXPIRING_DAYS = 30
K = OnboardingItemKind
CT = CompanyType
ALL_TYPES = frozenset(CompanyType)
COMPANIES = frozenset({CT.MAINLAND_CHINA_COMPANY, CT.HONG_KONG_COMPANY, CT.OVERSEAS_COMPANY})

#: Items every platform asks of a company type (code, title, kind, required, company types).
COMMON_ITEMS: tuple[tuple[str, str, OnboardingItemKind, bool, frozenset[CompanyType]], ...] = (
    (
        "business_licence",
        "Business licence (营业执照), valid and matching the company name",
        K.DOCUMENT,
        True,
        frozenset({CT.MAINLAND_CHINA_COMPANY}),
    ),
    (
        "certificate_of_incorporation",
        "Certificate of incorporation and business registration certificate",
        K.DOCUMENT,
        True,
        frozenset({CT.HONG_KONG_COMPANY, CT.OVERSEAS_COMPANY}),
    ),
    (
        "legal_representative_id",
        "ID card or passport of the legal representative",
        K.DOCUMENT,
        True,
        COMPANIES,
    ),
    (
        "personal_id",
        "ID card or passport of the account holder",
        K.DOCUMENT,
        True,
        frozenset({CT.INDIVIDUAL}),
    ),
    (
        "contact_details",
        "Company e-mail, phone and address for the seller account",
        K.DOCUMENT,
        True,
        ALL_TYPES,
    ),
    (
        "bank_account",
        "Bank account in the company's (or holder's) name for payouts",
        K.BANK_ACCOUNT,
        True,
        ALL_TYPES,
    ),
    (
        "payment_account",
        "Cross-border payment account (e.g. Payoneer, PingPong, LianLian, WorldFirst) for settlement",
        K.PAYMENT_ACCOUNT,
        True,
        ALL_TYPES,
    ),
    ("credit_card", "Chargeable international credit card", K.PAYMENT_ACCOUNT, False, ALL_TYPES),
    (
        "trademark",
        "Registered trademark in the target markets (brand registry, brand stores)",
        K.TRADEMARK,
        False,
        ALL_TYPES,
    ),
    (
        "product_certificates",
        "Product certificates the target markets require (CE, FCC, UKCA, KC, EAC …)",
        K.CERTIFICATE,
        True,
        ALL_TYPES,
    ),
    (
        "tax_registration",
        "Tax registration (VAT/GST numbers where the platform or market asks)",
        K.DOCUMENT,
        False,
        ALL_TYPES,
    ),
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:50]


def template(
    profile: dict[str, Any], company_type: CompanyType
) -> list[tuple[str, str, OnboardingItemKind, bool]]:
    """1.2.2 The checklist items for ``company_type``: the common items and the platform's own
    entry requirements (from the company's current profile of the platform)."""
    items = [(c, t, k, r) for c, t, k, r, types in COMMON_ITEMS if company_type in types]
    for requirement in profile["entry_requirements"]["value"]:
        items.append(
            (
                f"platform_{_slug(requirement)}",
                f"{profile['name']}: {requirement}",
                K.PLATFORM_REQUIREMENT,
                True,
            )
        )
    return items


def _item_read(item: OnboardingItem, as_of: dt.date) -> OnboardingItemRead:
    flags: list[str] = []
    if item.expires_on is not None:
        if item.expires_on < as_of:
            flags.append("expired")
        elif (item.expires_on - as_of).days <= EXPIRING_DAYS:
            flags.append("expiring_soon")
    if item.required and item.status != OnboardingStatus.APPROVED:
        flags.append("required_open")
    if item.status == OnboardingStatus.REJECTED:
        flags.append("rejected")
    read = OnboardingItemRead.model_validate(item)
    return read.model_copy(update={"flags": flags})


def _read(session: Session, checklist: OnboardingChecklist, as_of: dt.date) -> ChecklistRead:
    items = [
        _item_read(i, as_of)
        for i in session.scalars(
            select(OnboardingItem)
            .where(OnboardingItem.checklist_id == checklist.id)
            .order_by(OnboardingItem.id)
        )
    ]
    required_open = sum(1 for i in items if "required_open" in i.flags)
    expired = sum(1 for i in items if "expired" in i.flags)
    return ChecklistRead(
        id=checklist.id,
        platform=checklist.platform,
        company_type=checklist.company_type,
        store_id=checklist.store_id,
        created_at=checklist.created_at,
        items=items,
        ready=required_open == 0 and expired == 0,
        required_open=required_open,
        expired=expired,
        expiring_soon=sum(1 for i in items if "expiring_soon" in i.flags),
        as_of=as_of,
    )


def start_checklist(session: Session, *, data: ChecklistCreate, actor: Actor) -> ChecklistRead:
    """1.2.2 Start the onboarding checklist of a platform for the company's type."""
    actor.require(Permission.MARKET_MANAGE)
    profile = get_profile(session, platform=data.platform, actor=actor)
    key = profile.platform
    if data.store_id is not None:
        get_scoped(session, Store, data.store_id, actor, what="store")
    checklist = OnboardingChecklist(
        company_id=actor.company_id,
        platform=key,
        company_type=data.company_type,
        store_id=data.store_id,
        created_by=actor.label,
    )
    session.add(checklist)
    session.flush()
    for code, title, kind, required in template(profile.facts, data.company_type):
        session.add(
            OnboardingItem(
                checklist_id=checklist.id, code=code, title=title, kind=kind, required=required
            )
        )
    session.flush()
    record_audit(
        session, action="market.onboarding_started", actor=actor,
        target_type="onboarding_checklist", target_id=checklist.id,
    )  # fmt: skip
    return _read(session, checklist, utcnow().date())


def list_checklists(
    session: Session, *, actor: Actor, as_of: dt.date | None = None
) -> list[ChecklistRead]:
    """1.2.2 The company's onboarding checklists with their readiness."""
    actor.require(Permission.MARKET_READ)
    day = as_of or utcnow().date()
    rows = session.scalars(
        company_scoped(select(OnboardingChecklist), OnboardingChecklist, actor).order_by(
            OnboardingChecklist.id
        )
    )
    return [_read(session, r, day) for r in rows]


def get_checklist(
    session: Session, *, checklist_id: int, actor: Actor, as_of: dt.date | None = None
) -> ChecklistRead:
    """1.2.2 One checklist with each item's status, expiry and flags."""
    actor.require(Permission.MARKET_READ)
    row = get_company_scoped(
        session, OnboardingChecklist, checklist_id, actor, what="onboarding checklist"
    )
    return _read(session, row, as_of or utcnow().date())


def update_item(
    session: Session, *, item_id: int, data: OnboardingItemUpdate, actor: Actor
) -> OnboardingItemRead:
    """1.2.2 Record progress on an item: status (missing → in progress → submitted → approved or
    rejected), expiry date, reference number, note."""
    actor.require(Permission.MARKET_MANAGE)
    item = session.get(OnboardingItem, item_id)
    checklist = session.get(OnboardingChecklist, item.checklist_id) if item else None
    if item is None or checklist is None or checklist.company_id != actor.company_id:
        raise NotFound(f"onboarding item {item_id} not found")
    if data.status is not None and data.status != item.status:
        item.status = onboarding_transition(item.status, data.status)
    if data.expires_on is not None:
        item.expires_on = data.expires_on
    if data.reference is not None:
        item.reference = data.reference.strip()
    if data.note is not None:
        item.note = data.note.strip()
    item.updated_at = utcnow()
    session.flush()
    record_audit(
        session, action="market.onboarding_item_changed", actor=actor,
        target_type="onboarding_item", target_id=item.id, status=item.status.value,
    )  # fmt: skip
    return _item_read(item, utcnow().date())
