"""Marketing: live streams (5.3: plan, script, review), paid ads (5.2: keyword figures, wasteful keywords, bid suggestions, pacing, ad groups
and keyword bids) and promotions (5.1: set up, uplift against a baseline)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.marketing import ads, live, promotions, seo, social
from storeops.marketing.schemas import (
    AdGroupCreate,
    AdGroupRead,
    AdKeywordBid,
    AdKeywordCreate,
    AdKeywordRead,
    LivePlanRead,
    LiveStreamLink,
    PromotionCreate,
    PromotionRead,
    SeoAuditRequest,
)

router = APIRouter(prefix="/marketing", tags=["marketing"])

Reader = Annotated[Actor, Depends(require(Permission.MARKETING_READ))]
Manager = Annotated[Actor, Depends(require(Permission.MARKETING_MANAGE))]


@router.get("/stores/{store_id}/ads/keywords", response_model=list[ads.KeywordPerformance])
def keyword_performance(
    store_id: int,
    session: DbSession,
    actor: Reader,
    date_from: dt.date,
    date_to: dt.date,
    target_acos: Annotated[float, Query(gt=0, lt=5)] = ads.DEFAULT_TARGET_ACOS,
    min_clicks: Annotated[int, Query(ge=1)] = ads.DEFAULT_MIN_CLICKS,
    wasteful_only: bool = False,
) -> list[ads.KeywordPerformance]:
    """5.2.3 Keyword spend, CTR, CPC, CVR, ACoS, ROAS; wasteful keywords and bid suggestions."""
    rows = ads.keyword_performance(
        session,
        actor=actor,
        store_id=store_id,
        date_from=date_from,
        date_to=date_to,
        target_acos=target_acos,
        min_clicks=min_clicks,
    )
    return [r for r in rows if r.wasteful] if wasteful_only else rows


@router.get("/stores/{store_id}/ads/campaigns", response_model=list[ads.CampaignPacing])
def campaign_pacing(
    store_id: int, session: DbSession, actor: Reader, date_from: dt.date, date_to: dt.date
) -> list[ads.CampaignPacing]:
    """5.2.3 Budget pacing and figures per campaign."""
    return ads.campaign_pacing(
        session, actor=actor, store_id=store_id, date_from=date_from, date_to=date_to
    )


@router.post(
    "/campaigns/{campaign_id}/ad-groups",
    response_model=AdGroupRead,
    status_code=status.HTTP_201_CREATED,
)
def create_ad_group(
    campaign_id: int, body: AdGroupCreate, session: DbSession, actor: Manager
) -> AdGroupRead:
    """5.2.2 Add an ad group with a default bid."""
    group = ads.create_ad_group(
        session,
        actor=actor,
        campaign_id=campaign_id,
        name=body.name,
        default_bid_amount=body.default_bid_amount,
    )
    return AdGroupRead.model_validate(group)


@router.post(
    "/ad-groups/{ad_group_id}/keywords",
    response_model=AdKeywordRead,
    status_code=status.HTTP_201_CREATED,
)
def add_keyword(
    ad_group_id: int, body: AdKeywordCreate, session: DbSession, actor: Manager
) -> AdKeywordRead:
    """5.2.2 Bid on a keyword in an ad group."""
    keyword = ads.add_ad_keyword(
        session,
        actor=actor,
        ad_group_id=ad_group_id,
        text=body.text,
        match_type=body.match_type,
        bid_amount=body.bid_amount,
    )
    return AdKeywordRead.model_validate(keyword)


@router.put("/keywords/{keyword_id}/bid", response_model=AdKeywordRead)
def set_bid(
    keyword_id: int, body: AdKeywordBid, session: DbSession, actor: Manager
) -> AdKeywordRead:
    """5.2.3 Change a keyword's bid or pause it."""
    keyword = ads.set_keyword_bid(
        session, actor=actor, keyword_id=keyword_id, bid_amount=body.bid_amount, paused=body.paused
    )
    return AdKeywordRead.model_validate(keyword)


@router.post("/promotions", response_model=PromotionRead, status_code=status.HTTP_201_CREATED)
def create_promotion(body: PromotionCreate, session: DbSession, actor: Manager) -> PromotionRead:
    """5.1.2 Set up a promotion or record a platform event."""
    promotion = promotions.create_promotion(
        session,
        actor=actor,
        store_id=body.store_id,
        name=body.name,
        kind=body.kind,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        discount_pct=body.discount_pct,
    )
    return PromotionRead.model_validate(promotion)


@router.get("/stores/{store_id}/promotions/uplift", response_model=list[promotions.PromotionUplift])
def promotion_uplift(
    store_id: int,
    session: DbSession,
    actor: Reader,
    date_from: dt.date,
    date_to: dt.date,
    baseline_days: Annotated[int, Query(ge=7, le=120)] = promotions.DEFAULT_BASELINE_DAYS,
) -> list[promotions.PromotionUplift]:
    """5.1.3 Orders and revenue per day during each promotion against its baseline."""
    return promotions.promotion_uplift(
        session,
        actor=actor,
        store_id=store_id,
        date_from=date_from,
        date_to=date_to,
        baseline_days=baseline_days,
    )


# --- 5.3 live streams ---------------------------------------------------------------------------


@router.post(
    "/stores/{store_id}/live-plans",
    response_model=LivePlanRead,
    status_code=status.HTTP_201_CREATED,
)
def plan_live_stream(
    store_id: int, body: live.LivePlanCreate, session: DbSession, actor: Manager
) -> LivePlanRead:
    """5.3.3 / 5.3.5 Plan a live stream with its targets."""
    plan = live.plan_live_stream(session, actor=actor, store_id=store_id, data=body)
    return LivePlanRead.model_validate(plan)


@router.get("/live-plans", response_model=list[LivePlanRead])
def list_live_plans(
    session: DbSession, actor: Reader, store_id: int | None = None
) -> list[LivePlanRead]:
    """5.3.3 Your live stream plans, newest first."""
    return [
        LivePlanRead.model_validate(p)
        for p in live.list_live_plans(session, actor=actor, store_id=store_id)
    ]


@router.put("/live-plans/{plan_id}/script", response_model=list[live.ScriptRow])
def set_script_row(
    plan_id: int, body: live.ScriptRow, session: DbSession, actor: Manager
) -> list[live.ScriptRow]:
    """5.3.8 Write one row of the script (by position); returns the whole script."""
    live.add_script_segment(session, actor=actor, plan_id=plan_id, row=body)
    return live.script_of(session, actor=actor, plan_id=plan_id)


@router.get("/live-plans/{plan_id}/script", response_model=list[live.ScriptRow])
def get_script(plan_id: int, session: DbSession, actor: Reader) -> list[live.ScriptRow]:
    """5.3.8 The stream's script in order."""
    return live.script_of(session, actor=actor, plan_id=plan_id)


@router.put("/live-plans/{plan_id}/stream", response_model=LivePlanRead)
def link_stream(
    plan_id: int, body: LiveStreamLink, session: DbSession, actor: Manager
) -> LivePlanRead:
    """5.3.9 Link the plan to the stream that took place."""
    plan = live.link_live_stream(
        session, actor=actor, plan_id=plan_id, live_stream_id=body.live_stream_id
    )
    return LivePlanRead.model_validate(plan)


@router.get("/live-plans/{plan_id}/review", response_model=live.LiveReview)
def review(plan_id: int, session: DbSession, actor: Reader) -> live.LiveReview:
    """5.3.10 The stream against the plan's targets, with the gaps."""
    return live.review_live_stream(session, actor=actor, plan_id=plan_id)


@router.post("/seo/audit", response_model=seo.SiteAudit)
def seo_audit(body: SeoAuditRequest, actor: Reader) -> seo.SiteAudit:
    """5.5 SEO audit of the given pages' HTML (title, description, headings, ALT, links, sitemap)."""
    return seo.audit_site(
        actor=actor,
        pages=body.pages,
        sitemap_xml=body.sitemap_xml,
        other_files=frozenset(body.other_files),
    )


@router.get("/stores/{store_id}/social", response_model=list[social.NetworkFigures])
def compare_networks(
    store_id: int, session: DbSession, actor: Reader, date_from: dt.date, date_to: dt.date
) -> list[social.NetworkFigures]:
    """5.4 Social posts compared across networks, KOL and paid posts apart."""
    return social.compare_networks(
        session, actor=actor, store_id=store_id, date_from=date_from, date_to=date_to
    )
