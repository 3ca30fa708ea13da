"""1.1.6 Brand positioning records (core concept, values, target markets, purpose) and the
protection of the company's intellectual property: trademarks and patents with their territories
and expiry, checked against the brand's target markets."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.auth.service import record_audit
from storeops.errors import InvalidInput
from storeops.market.enums import IpKind, IpStatus
from storeops.market.errors import DuplicateIpRight
from storeops.market.models import BrandPosition, IpRight
from storeops.market.schemas import BrandRead, BrandWrite, IpRightRead, IpRightWrite
from storeops.market.scoping import company_scoped, get_company_scoped
from storeops.types import normalize_country, utcnow

EXPIRING_DAYS = 180
#: Territories that cover several countries: EU trademarks cover the EU member states.
EU = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


def _territory(value: str) -> str:
    clean = (value or "").strip().upper()
    if clean in ("EU", "WIPO"):
        return clean
    try:
        return normalize_country(clean)
    except InvalidInput:
        raise InvalidInput(
            f"unknown territory {value!r}: an ISO country code, EU or WIPO", field="territory"
        ) from None


def _covers(right: IpRight, market: str) -> bool:
    return right.territory == market or (right.territory == "EU" and market in EU)


def _right_read(right: IpRight, as_of: dt.date) -> IpRightRead:
    flags = []
    if right.expires_on is not None:
        if right.expires_on < as_of:
            flags.append("expired")
        elif (right.expires_on - as_of).days <= EXPIRING_DAYS:
            flags.append("expiring_soon")
    if right.status in (IpStatus.OPPOSED, IpStatus.LAPSED):
        flags.append(right.status.value)
    return IpRightRead.model_validate(right).model_copy(update={"flags": flags})


def brand_read(session: Session, brand: BrandPosition, as_of: dt.date) -> BrandRead:
    """1.1.6 A brand with its IP rights and the findings: unprotected markets, expiring rights."""
    rights = list(
        session.scalars(select(IpRight).where(IpRight.brand_id == brand.id).order_by(IpRight.id))
    )
    live = [
        r
        for r in rights
        if r.kind == IpKind.TRADEMARK
        and r.status in (IpStatus.FILED, IpStatus.REGISTERED)
        and (r.expires_on is None or r.expires_on >= as_of)
    ]
    unprotected = [m for m in brand.target_markets if not any(_covers(r, m) for r in live)]
    reads = [_right_read(r, as_of) for r in rights]
    findings = []
    if unprotected:
        findings.append(f"no live trademark in {', '.join(unprotected)}")
    for r in reads:
        if "expired" in r.flags:
            findings.append(f"{r.kind.value} {r.number} ({r.territory}) expired on {r.expires_on}")
        elif "expiring_soon" in r.flags:
            findings.append(f"{r.kind.value} {r.number} ({r.territory}) expires on {r.expires_on}")
    if not brand.core_concept.strip():
        findings.append("no core concept written")
    return BrandRead(
        id=brand.id,
        brand=brand.brand,
        core_concept=brand.core_concept,
        brand_values=brand.brand_values,
        target_markets=brand.target_markets,
        positioning=brand.positioning,
        purpose=brand.purpose,
        updated_at=brand.updated_at,
        ip_rights=reads,
        unprotected_markets=unprotected,
        findings=findings,
    )


def save_brand(session: Session, *, data: BrandWrite, actor: Actor) -> BrandRead:
    """1.1.6 Record or update a brand's positioning (by brand name)."""
    actor.require(Permission.MARKET_MANAGE)
    name = data.brand.strip()
    markets = sorted({normalize_country(m) for m in data.target_markets})
    brand = session.scalars(
        company_scoped(select(BrandPosition), BrandPosition, actor).where(
            BrandPosition.brand == name
        )
    ).one_or_none()
    if brand is None:
        brand = BrandPosition(company_id=actor.company_id, brand=name, updated_by=actor.label)
        session.add(brand)
    brand.core_concept = data.core_concept.strip()
    brand.brand_values = [v.strip() for v in data.brand_values if v.strip()]
    brand.target_markets = markets
    brand.positioning = data.positioning.strip()
    brand.purpose = data.purpose.strip()
    brand.updated_by = actor.label
    brand.updated_at = utcnow()
    session.flush()
    record_audit(
        session, action="market.brand_saved", actor=actor, target_type="brand_position",
        target_id=brand.id,
    )  # fmt: skip
    return brand_read(session, brand, utcnow().date())


def add_ip_right(session: Session, *, brand_id: int, data: IpRightWrite, actor: Actor) -> BrandRead:
    """1.1.6 Record a trademark or patent of a brand, with territory and expiry."""
    actor.require(Permission.MARKET_MANAGE)
    brand = get_company_scoped(session, BrandPosition, brand_id, actor, what="brand")
    territory = _territory(data.territory)
    number = data.number.strip()
    exists = session.scalar(
        company_scoped(select(IpRight.id), IpRight, actor).where(
            IpRight.kind == data.kind, IpRight.number == number, IpRight.territory == territory
        )
    )
    if exists is not None:
        raise DuplicateIpRight(
            f"{data.kind.value} {number} in {territory} is already recorded", field="number"
        )
    if data.filed_on and data.expires_on and data.expires_on <= data.filed_on:
        raise InvalidInput("the right expires before it was filed", field="expires_on")
    session.add(
        IpRight(
            company_id=actor.company_id, brand_id=brand.id, kind=data.kind, title=data.title.strip(),
            number=number, territory=territory, classes=data.classes.strip(), status=data.status,
            filed_on=data.filed_on, expires_on=data.expires_on,
        )
    )  # fmt: skip
    session.flush()
    return brand_read(session, brand, utcnow().date())


def list_brands(session: Session, *, actor: Actor, as_of: dt.date | None = None) -> list[BrandRead]:
    """1.1.6 The company's brands with their positioning, IP rights and findings."""
    actor.require(Permission.MARKET_READ)
    day = as_of or utcnow().date()
    rows = session.scalars(
        company_scoped(select(BrandPosition), BrandPosition, actor).order_by(BrandPosition.brand)
    )
    return [brand_read(session, b, day) for b in rows]
