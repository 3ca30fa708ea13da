"""Catalog: listing quality (3.3.2), zero-effect listings and bulk actions (3.2.6), certificates (3.1.3)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.catalog import certificates, quality, zero_effect
from storeops.catalog.errors import NoQualityRules
from storeops.catalog.queries import get_listing
from storeops.catalog.schemas import CertificateCreate, CertificateCreated, ListingActionRequest

router = APIRouter(prefix="/catalog", tags=["catalog"])

Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Manager = Annotated[Actor, Depends(require(Permission.CATALOG_MANAGE))]


@router.get("/quality/rules/{platform}", response_model=list[quality.RuleRead])
def quality_rules(platform: str, actor: Reader) -> list[quality.RuleRead]:
    """3.3.2 The listing quality rules of a platform, each with its source."""
    return quality.list_rules(platform=platform, actor=actor)


@router.get("/quality", response_model=list[quality.ListingQuality])
def listing_quality(
    session: DbSession,
    actor: Reader,
    store_id: int | None = None,
    below: Annotated[int | None, Query(ge=1, le=101)] = None,
) -> list[quality.ListingQuality]:
    """3.3.2 Score and fixes of your listings, worst first (``below``: only scores under it)."""
    return quality.check_listing_quality(session, actor=actor, store_id=store_id, below=below)


@router.get("/listings/{listing_id}/quality", response_model=quality.ListingQuality)
def one_listing_quality(
    listing_id: int, session: DbSession, actor: Reader
) -> quality.ListingQuality:
    """3.3.2 Score and fixes of one listing."""
    listing = get_listing(session, listing_id, actor)
    results = quality.check_listing_quality(session, actor=actor, listing_ids=[listing.id])
    if not results:
        raise NoQualityRules(f"listing {listing_id}'s platform has no listing quality rules yet")
    return results[0]


@router.get("/zero-effect", response_model=list[zero_effect.ZeroEffectListing])
def zero_effect_listings(
    session: DbSession,
    actor: Reader,
    date_from: dt.date,
    date_to: dt.date,
    store_id: int | None = None,
) -> list[zero_effect.ZeroEffectListing]:
    """3.2.6 Active listings with no impression, click, inquiry or order in the window."""
    return zero_effect.find_zero_effect_listings(
        session, actor=actor, date_from=date_from, date_to=date_to, store_id=store_id
    )


@router.post(
    "/listings/actions",
    response_model=list[zero_effect.ListingActionRead],
    status_code=status.HTTP_201_CREATED,
)
def act_on_listings(
    body: ListingActionRequest, session: DbSession, actor: Manager
) -> list[zero_effect.ListingActionRead]:
    """3.2.6 Hide, delete or optimise listings in bulk; each action is recorded (all or nothing)."""
    records = zero_effect.act_on_listings(
        session,
        actor=actor,
        listing_ids=body.listing_ids,
        action=body.action,
        reason=body.reason,
        window_from=body.window_from,
        window_to=body.window_to,
    )
    return [zero_effect.ListingActionRead.model_validate(r) for r in records]


@router.get("/listings/actions", response_model=list[zero_effect.ListingActionRead])
def listing_actions(
    session: DbSession,
    actor: Reader,
    store_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[zero_effect.ListingActionRead]:
    """3.2.6 The recorded actions on your listings, newest first."""
    return [
        zero_effect.ListingActionRead.model_validate(r)
        for r in zero_effect.list_listing_actions(
            session, actor=actor, store_id=store_id, limit=limit
        )
    ]


@router.get("/certificates", response_model=list[certificates.CertificateRead])
def list_certificates(
    session: DbSession,
    actor: Reader,
    on: dt.date | None = None,
    within_days: Annotated[int, Query(ge=0, le=3650)] = 60,
    only_warnings: bool = False,
) -> list[certificates.CertificateRead]:
    """3.1.3 Certificates of your products with expiry warnings (``on`` defaults to today, UTC)."""
    return certificates.list_certificates(
        session,
        actor=actor,
        on=on or dt.datetime.now(dt.UTC).date(),
        within_days=within_days,
        only_warnings=only_warnings,
    )


@router.post(
    "/certificates", response_model=CertificateCreated, status_code=status.HTTP_201_CREATED
)
def add_certificate(
    body: CertificateCreate, session: DbSession, actor: Manager
) -> CertificateCreated:
    """3.1.3 Record a product certificate for a target market."""
    cert = certificates.add_certificate(
        session,
        actor=actor,
        product_id=body.product_id,
        kind=body.kind,
        market=body.market,
        number=body.number,
        issued_on=body.issued_on,
        expires_on=body.expires_on,
    )
    return CertificateCreated.model_validate(cert)


@router.get("/certificates/gaps", response_model=list[certificates.CertificateGap])
def certificate_gaps(
    session: DbSession, actor: Reader, on: dt.date | None = None, store_id: int | None = None
) -> list[certificates.CertificateGap]:
    """3.1.3 Listings lacking a certificate their store's target market requires."""
    return certificates.check_listing_certificates(
        session, actor=actor, on=on or dt.datetime.now(dt.UTC).date(), store_id=store_id
    )
