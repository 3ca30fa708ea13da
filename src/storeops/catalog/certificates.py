"""3.1.3 Product qualifications and certificates per target market: record them, warn before they
expire, and check that every listing has the certificates its store's market requires.

Which market needs which certificate for which category is data
(``catalog/rules/certificate_requirements.toml``), each requirement citing its source.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.catalog.enums import ListingStatus
from storeops.catalog.errors import RuleDataError
from storeops.catalog.models import Category, Certificate, Listing, Product
from storeops.catalog.queries import limited_to_own_groups, visible_listings
from storeops.errors import InvalidInput, NotFound
from storeops.stores.models import Store
from storeops.types import normalize_country

CERTIFICATE_KINDS = frozenset(
    {"CE", "UKCA", "FCC", "FDA", "CPC", "CPSIA", "RoHS", "LFGB", "EN71", "E-mark", "PSE", "REACH"}
)
MARKETS_BEYOND_COUNTRIES = frozenset({"EU"})


@dataclass(frozen=True)
class Requirement:
    """A certificate a market needs for some categories, and where that rule comes from."""

    market: str
    kind: str
    categories: frozenset[str]
    source: str

    def applies_to(self, category_code: str) -> bool:
        return "*" in self.categories or category_code in self.categories


@dataclass(frozen=True)
class RequirementRules:
    version: str
    sites: dict[str, tuple[str, ...]]
    requirements: tuple[Requirement, ...]

    def markets_of_site(self, site: str) -> tuple[str, ...]:
        """The target markets of a store's site; unknown sites target their own country code."""
        if site in self.sites:
            return self.sites[site]
        return (site.upper(),) if len(site) == 2 else ()

    def needed(self, site: str, category_code: str) -> list[Requirement]:
        markets = self.markets_of_site(site)
        return [r for r in self.requirements if r.market in markets and r.applies_to(category_code)]


class CertificateRead(BaseModel):
    id: int
    product_id: int
    product_code: str
    kind: str
    market: str
    number: str
    issued_on: dt.date
    expires_on: dt.date | None
    days_left: int | None
    state: Literal["valid", "expiring", "expired"]


class CertificateGap(BaseModel):
    """A listing that lacks a certificate its store's market requires (or holds an expired one)."""

    listing_id: int
    store_id: int
    store_name: str
    external_id: str
    product_id: int
    product_code: str
    category: str
    market: str
    kind: str
    problem: Literal["missing", "expired"]
    expired_on: dt.date | None
    source: str


def parse_requirements(text: str, where: str) -> RequirementRules:
    """Requirement rules from TOML ``text``; ``RuleDataError`` naming what is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(f"{where} is not valid TOML: {exc}") from exc
    reqs = []
    for item in raw.get("requirement", []):
        for key in ("market", "kind", "categories", "source"):
            if key not in item:
                raise RuleDataError(f"{where}: a requirement has no {key!r}")
        if item["kind"] not in CERTIFICATE_KINDS:
            raise RuleDataError(f"{where}: unknown certificate kind {item['kind']!r}")
        if not str(item["source"]).strip():
            raise RuleDataError(
                f"{where}: requirement {item['market']}/{item['kind']} cites no source"
            )
        reqs.append(
            Requirement(
                market=str(item["market"]),
                kind=str(item["kind"]),
                categories=frozenset(item["categories"]),
                source=str(item["source"]),
            )
        )
    sites = {str(k): tuple(v) for k, v in raw.get("sites", {}).items()}
    return RequirementRules(
        version=str(raw.get("version", "")), sites=sites, requirements=tuple(reqs)
    )


@lru_cache(maxsize=1)
def requirement_rules() -> RequirementRules:
    """The packaged certificate requirements."""
    source = resources.files("storeops.catalog").joinpath("rules", "certificate_requirements.toml")
    return parse_requirements(source.read_text(encoding="utf-8"), "certificate_requirements.toml")


def _state(
    cert: Certificate, on: dt.date, within_days: int
) -> tuple[int | None, Literal["valid", "expiring", "expired"]]:
    if cert.expires_on is None:
        return None, "valid"
    left = (cert.expires_on - on).days
    if left < 0:
        return left, "expired"
    return left, "expiring" if left <= within_days else "valid"


def _product(session: Session, product_id: int, actor: Actor) -> Product:
    found = session.scalars(
        select(Product).where(Product.id == product_id, Product.company_id == actor.company_id)
    ).one_or_none()
    if found is None:
        raise NotFound(f"product {product_id} not found", field="product_id")
    if limited_to_own_groups(actor):
        seen = session.scalar(
            visible_listings(select(Listing.id), actor)
            .where(Listing.product_id == product_id)
            .limit(1)
        )
        if seen is None:
            raise NotFound(f"product {product_id} not found", field="product_id")
    return found


def add_certificate(
    session: Session,
    *,
    actor: Actor,
    product_id: int,
    kind: str,
    market: str,
    number: str,
    issued_on: dt.date,
    expires_on: dt.date | None,
) -> Certificate:
    """3.1.3 Record a product's certificate for a target market."""
    actor.require(Permission.CATALOG_MANAGE)
    product = _product(session, product_id, actor)
    if kind not in CERTIFICATE_KINDS:
        raise InvalidInput(
            f"unknown certificate kind {kind!r}; choose one of: {', '.join(sorted(CERTIFICATE_KINDS))}",
            field="kind",
        )
    market = market.strip().upper()
    if market not in MARKETS_BEYOND_COUNTRIES:
        market = normalize_country(market)
    clean_number = number.strip()
    if not clean_number:
        raise InvalidInput("the certificate number is empty", field="number")
    if expires_on is not None and expires_on <= issued_on:
        raise InvalidInput("the certificate expires before it is issued", field="expires_on")
    cert = Certificate(
        company_id=actor.company_id,
        product_id=product.id,
        kind=kind,
        market=market,
        number=clean_number[:60],
        issued_on=issued_on,
        expires_on=expires_on,
    )
    session.add(cert)
    session.flush()
    return cert


def list_certificates(
    session: Session,
    *,
    actor: Actor,
    on: dt.date,
    within_days: int = 60,
    only_warnings: bool = False,
) -> list[CertificateRead]:
    """3.1.3 The certificates of the actor's products with their expiry state on ``on``.

    ``expiring``: expires within ``within_days`` days; ``expired``: expired before ``on``.
    Operators see the certificates of the products listed in their groups.
    """
    actor.require(Permission.CATALOG_READ)
    if within_days < 0:
        raise InvalidInput("within_days cannot be negative", field="within_days")
    stmt = (
        select(Certificate, Product.code)
        .join(Product, Product.id == Certificate.product_id)
        .where(Certificate.company_id == actor.company_id)
        .order_by(Certificate.expires_on, Certificate.id)
    )
    if limited_to_own_groups(actor):
        stmt = stmt.where(Product.id.in_(visible_listings(select(Listing.product_id), actor)))
    result = []
    for cert, code in session.execute(stmt).tuples():
        left, state = _state(cert, on, within_days)
        if only_warnings and state == "valid":
            continue
        result.append(
            CertificateRead(
                id=cert.id,
                product_id=cert.product_id,
                product_code=code,
                kind=cert.kind,
                market=cert.market,
                number=cert.number,
                issued_on=cert.issued_on,
                expires_on=cert.expires_on,
                days_left=left,
                state=state,
            )
        )
    return result


def check_listing_certificates(
    session: Session, *, actor: Actor, on: dt.date, store_id: int | None = None
) -> list[CertificateGap]:
    """3.1.3 Listings whose store's target market requires a certificate the product lacks on ``on``.

    A certificate counts when it was issued by ``on`` and has not expired; one that exists only
    expired is reported as ``expired``. Draft and deleted listings are left out.
    """
    actor.require(Permission.CATALOG_READ)
    rules = requirement_rules()
    stmt = (
        visible_listings(select(Listing, Store, Product, Category.code), actor)
        .join(Store, Store.id == Listing.store_id)
        .join(Product, Product.id == Listing.product_id)
        .join(Category, Category.id == Product.category_id)
        .where(Listing.status.in_([ListingStatus.ACTIVE, ListingStatus.INACTIVE]))
        .order_by(Listing.store_id, Listing.id)
    )
    if store_id is not None:
        stmt = stmt.where(Listing.store_id == store_id)
    rows = list(session.execute(stmt).tuples())
    product_ids = sorted({p.id for _, _, p, _ in rows})
    held: dict[tuple[int, str, str], list[Certificate]] = {}
    if product_ids:
        for cert in session.scalars(
            select(Certificate).where(
                Certificate.company_id == actor.company_id, Certificate.product_id.in_(product_ids)
            )
        ):
            held.setdefault((cert.product_id, cert.kind, cert.market), []).append(cert)
    gaps = []
    for listing, store, product, category in rows:
        for req in rules.needed(store.site, category):
            certs = held.get((product.id, req.kind, req.market), [])
            if any(
                c.issued_on <= on and (c.expires_on is None or c.expires_on >= on) for c in certs
            ):
                continue
            expired = [
                c.expires_on for c in certs if c.expires_on is not None and c.expires_on < on
            ]
            gaps.append(
                CertificateGap(
                    listing_id=listing.id,
                    store_id=store.id,
                    store_name=store.name,
                    external_id=listing.external_id,
                    product_id=product.id,
                    product_code=product.code,
                    category=category,
                    market=req.market,
                    kind=req.kind,
                    problem="expired" if expired else "missing",
                    expired_on=max(expired) if expired else None,
                    source=req.source,
                )
            )
    return gaps
