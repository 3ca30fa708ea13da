"""Request bodies of the marketing interfaces (answers are the services' own models)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class AdGroupCreate(BaseModel):
    name: str = Field(max_length=120)
    default_bid_amount: int = Field(gt=0, description="minor units of the campaign's currency")


class AdGroupRead(BaseModel):
    id: int
    store_id: int
    campaign_id: int
    name: str
    default_bid_amount: int

    model_config = {"from_attributes": True}


class AdKeywordCreate(BaseModel):
    text: str = Field(max_length=160)
    match_type: str = "exact"
    bid_amount: int | None = Field(default=None, gt=0)


class AdKeywordBid(BaseModel):
    bid_amount: int | None = Field(default=None, gt=0)
    paused: bool = False


class AdKeywordRead(BaseModel):
    id: int
    store_id: int
    campaign_id: int
    ad_group_id: int
    text: str
    match_type: str
    bid_amount: int
    paused: bool

    model_config = {"from_attributes": True}


class PromotionCreate(BaseModel):
    store_id: int
    name: str = Field(max_length=120)
    kind: str = Field(description="discount, coupon, threshold (spend X save Y) or platform_event")
    starts_on: dt.date
    ends_on: dt.date
    discount_pct: int = Field(ge=0, le=90)


class PromotionRead(BaseModel):
    id: int
    store_id: int
    name: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    discount_pct: int

    model_config = {"from_attributes": True}


class LivePlanRead(BaseModel):
    id: int
    store_id: int
    live_stream_id: int | None
    title: str
    starts_at: dt.datetime
    duration_min: int
    language: str
    target_country: str
    host_name: str
    currency: str
    target_viewers: int
    target_peak_viewers: int
    target_interactions: int
    target_new_followers: int
    target_orders: int
    target_gmv_amount: int

    model_config = {"from_attributes": True}


class LiveStreamLink(BaseModel):
    live_stream_id: int


class SeoAuditRequest(BaseModel):
    """5.5 Pages to audit as {site path: HTML}; nothing is fetched."""

    pages: dict[str, str] = Field(min_length=1, max_length=500)
    sitemap_xml: str | None = None
    other_files: list[str] = Field(default_factory=list, max_length=10_000)
