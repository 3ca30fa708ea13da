"""Typed builders for marketing records: campaigns, daily keyword stats, promotions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from storeops.marketing.enums import AdKind, PromotionKind
from storeops.marketing.models import AdCampaign, AdKeywordDaily, Promotion
from storeops.stores.models import Store


def make_campaign(
    session: Session,
    *,
    store: Store,
    name: str = "SP #1",
    daily_budget: int = 5000,
    starts_on: dt.date = dt.date(2026, 1, 1),
    ends_on: dt.date | None = None,
) -> AdCampaign:
    campaign = AdCampaign(
        store_id=store.id,
        name=name,
        kind=AdKind.SPONSORED_PRODUCTS,
        currency=store.currency,
        daily_budget_amount=daily_budget,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    session.add(campaign)
    session.flush()
    return campaign


def add_day(
    session: Session,
    *,
    campaign: AdCampaign,
    keyword: str,
    day: dt.date,
    impressions: int,
    clicks: int,
    spend: int,
    orders: int = 0,
    sales: int = 0,
) -> None:
    session.add(
        AdKeywordDaily(
            store_id=campaign.store_id,
            campaign_id=campaign.id,
            day=day,
            keyword=keyword,
            impressions=impressions,
            clicks=clicks,
            spend_amount=spend,
            orders=orders,
            sales_amount=sales,
        )
    )
    session.flush()


def make_promotion(
    session: Session,
    *,
    store: Store,
    starts_on: dt.date,
    ends_on: dt.date,
    name: str = "Autumn sale",
    discount_pct: int = 10,
) -> Promotion:
    promotion = Promotion(
        store_id=store.id,
        name=name,
        kind=PromotionKind.DISCOUNT,
        starts_on=starts_on,
        ends_on=ends_on,
        discount_pct=discount_pct,
    )
    session.add(promotion)
    session.flush()
    return promotion
