"""Catalog: listing quality (3.3.2), zero-effect listings (3.2.6), certificates (3.1.3), launch
plan (3.2.1/3.3.1), product groups (3.2.4/3.3.3), showcase (3.2.5), diagnosis (3.2.7/3.3.4)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.catalog import (
    certificates,
    competitors,
    diagnosis,
    groups,
    launch_plan,
    quality,
    showcase,
    sourcing,
    zero_effect,
)
from storeops.catalog.errors import NoQualityRules
from storeops.catalog.queries import get_listing
from storeops.catalog.schemas import (
    CertificateCreate,
    CertificateCreated,
    CompetitorObservation,
    GroupCreate,
    GroupListings,
    GroupOwner,
    LaunchWeekRead,
    LaunchWeekSet,
    ListingActionRequest,
    ShowcasePlace,
    ShowcaseSlotRead,
)

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


# --- 3.2.1 / 3.3.1 launch plan ------------------------------------------------------------------


@router.put("/stores/{store_id}/launch-plan/{week_start}", response_model=LaunchWeekRead)
def set_launch_week(
    store_id: int, week_start: dt.date, body: LaunchWeekSet, session: DbSession, actor: Manager
) -> LaunchWeekRead:
    """3.2.1 / 3.3.1 Plan the new listings of a week (a Monday); replaces that week's plan."""
    week = launch_plan.set_launch_week(
        session,
        actor=actor,
        store_id=store_id,
        week_start=week_start,
        planned_count=body.planned_count,
        note=body.note,
    )
    return LaunchWeekRead.model_validate(week)


@router.get("/stores/{store_id}/launch-plan", response_model=launch_plan.LaunchPlanReport)
def launch_plan_report(
    store_id: int,
    session: DbSession,
    actor: Reader,
    week_from: dt.date,
    week_to: dt.date,
    today: dt.date | None = None,
) -> launch_plan.LaunchPlanReport:
    """3.2.1 / 3.3.1 Planned against launched per week, with cadence warnings."""
    return launch_plan.launch_plan_report(
        session,
        actor=actor,
        store_id=store_id,
        week_from=week_from,
        week_to=week_to,
        today=today or dt.datetime.now(dt.UTC).date(),
    )


# --- 3.2.4 / 3.3.3 product groups ---------------------------------------------------------------


@router.get("/groups", response_model=list[groups.GroupRead])
def list_groups(
    session: DbSession, actor: Reader, store_id: int | None = None
) -> list[groups.GroupRead]:
    """3.2.4 / 3.3.3 Your product groups with owner, listing counts and average quality."""
    return groups.group_overview(session, actor=actor, store_id=store_id)


@router.post("/groups", response_model=list[groups.GroupRead], status_code=status.HTTP_201_CREATED)
def create_group(body: GroupCreate, session: DbSession, actor: Manager) -> list[groups.GroupRead]:
    """3.2.4 / 3.3.3 Set up a product group (an owner other than yourself needs staff.manage)."""
    group = groups.create_group(
        session,
        actor=actor,
        store_id=body.store_id,
        name=body.name,
        owner_user_id=body.owner_user_id,
    )
    return [
        g
        for g in groups.group_overview(session, actor=actor, store_id=body.store_id)
        if g.id == group.id
    ]


@router.put("/groups/{group_id}/owner", status_code=status.HTTP_204_NO_CONTENT)
def assign_owner(group_id: int, body: GroupOwner, session: DbSession, actor: Manager) -> Response:
    """3.2.4 Give a group to a salesperson of its store."""
    groups.assign_group_owner(
        session, actor=actor, group_id=group_id, owner_user_id=body.owner_user_id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/groups/{group_id}/listings", response_model=dict[str, int])
def move_listings(
    group_id: int, body: GroupListings, session: DbSession, actor: Manager
) -> dict[str, int]:
    """3.2.4 / 3.3.3 Put listings of the group's store into the group."""
    moved = groups.move_listings_to_group(
        session, actor=actor, group_id=group_id, listing_ids=body.listing_ids
    )
    return {"moved": moved}


# --- 3.2.5 showcase, 3.2.7 / 3.3.4 diagnosis ----------------------------------------------------


@router.get("/stores/{store_id}/showcase", response_model=list[showcase.ShowcaseEffect])
def showcase_effect(
    store_id: int,
    session: DbSession,
    actor: Reader,
    on: dt.date | None = None,
    days: Annotated[int, Query(ge=7, le=180)] = 30,
) -> list[showcase.ShowcaseEffect]:
    """3.2.5 Showcase placements with their effect before/after and swap suggestions."""
    return showcase.showcase_effect(
        session, actor=actor, store_id=store_id, on=on or dt.datetime.now(dt.UTC).date(), days=days
    )


@router.post(
    "/stores/{store_id}/showcase",
    response_model=ShowcaseSlotRead,
    status_code=status.HTTP_201_CREATED,
)
def place_in_showcase(
    store_id: int, body: ShowcasePlace, session: DbSession, actor: Manager
) -> ShowcaseSlotRead:
    """3.2.5 Put a listing into a showcase slot (the slot's previous placement ends the day before)."""
    slot = showcase.place_in_showcase(
        session,
        actor=actor,
        store_id=store_id,
        slot_no=body.slot_no,
        listing_id=body.listing_id,
        since=body.since,
    )
    return ShowcaseSlotRead.model_validate(slot)


@router.get("/stores/{store_id}/diagnosis", response_model=list[diagnosis.ListingDiagnosis])
def diagnose(
    store_id: int, session: DbSession, actor: Reader, date_from: dt.date, date_to: dt.date
) -> list[diagnosis.ListingDiagnosis]:
    """3.2.7 / 3.3.4 What holds each active listing back, and the recommended action."""
    return diagnosis.diagnose_listings(
        session, actor=actor, store_id=store_id, date_from=date_from, date_to=date_to
    )


# --- 3.1.1 competitors -------------------------------------------------------------------------


@router.get("/competitors/products", response_model=list[competitors.CompetitorProductRead])
def competitor_products(
    session: DbSession,
    actor: Reader,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    category_id: int | None = None,
) -> list[competitors.CompetitorProductRead]:
    """3.1.1 Competitor products with their latest observation and price change."""
    return competitors.list_competitor_products(
        session, actor=actor, date_from=date_from, date_to=date_to, category_id=category_id
    )


@router.get(
    "/competitors/products/{product_id}/history", response_model=list[competitors.SnapshotRead]
)
def competitor_history(
    product_id: int, session: DbSession, actor: Reader
) -> list[competitors.SnapshotRead]:
    """3.1.1 Every observation of a competitor product, oldest first."""
    return competitors.competitor_history(session, actor=actor, competitor_product_id=product_id)


@router.post(
    "/competitors/products/{product_id}/observations",
    response_model=competitors.SnapshotRead,
    status_code=status.HTTP_201_CREATED,
)
def observe(
    product_id: int, body: CompetitorObservation, session: DbSession, actor: Manager
) -> competitors.SnapshotRead:
    """3.1.1 Record (or correct) a day's observation of a competitor product."""
    snap = competitors.observe_competitor_product(
        session,
        actor=actor,
        competitor_product_id=product_id,
        observed_on=body.observed_on,
        price_amount=body.price_amount,
        est_monthly_sales=body.est_monthly_sales,
        rating=body.rating,
        review_count=body.review_count,
    )
    return competitors.SnapshotRead(
        observed_on=snap.observed_on,
        price_amount=snap.price_amount,
        est_monthly_sales=snap.est_monthly_sales,
        rating=snap.rating_x10 / 10,
        review_count=snap.review_count,
    )


# --- 3.1.2 suppliers, 3.1.4 keywords -----------------------------------------------------------


@router.get("/suppliers", response_model=list[sourcing.SupplierRead])
def suppliers(
    session: DbSession, actor: Reader, min_rating: Annotated[int, Query(ge=0, le=5)] = 0
) -> list[sourcing.SupplierRead]:
    """3.1.2 Suppliers with their terms, products and cost range."""
    return sourcing.list_suppliers(session, actor=actor, min_rating=min_rating)


@router.get("/keywords", response_model=list[sourcing.KeywordRead])
def keywords(
    session: DbSession,
    actor: Reader,
    market: str | None = None,
    min_relevance: Annotated[int, Query(ge=0, le=100)] = 0,
    q: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[sourcing.KeywordRead]:
    """3.1.4 The keyword table: search volume, source and relevance."""
    return sourcing.list_keywords(
        session, actor=actor, market=market, min_relevance=min_relevance, text=q, limit=limit
    )
