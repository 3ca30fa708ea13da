"""ORM classes of marketing, and the daily traffic facts that measure it (stages 5 and 6)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storeops.db import Base, str_enum
from storeops.marketing.enums import AdKind, PromotionKind, TrafficSource


class Promotion(Base):
    """5.1.2 A store promotion or a platform event the store joined."""

    __tablename__ = "promotions"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[PromotionKind] = mapped_column(str_enum(PromotionKind, "promotion_kind"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    discount_pct: Mapped[int] = mapped_column(SmallInteger)


class AdCampaign(Base):
    """5.2.2 A paid on-platform campaign with a daily budget."""

    __tablename__ = "ad_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[AdKind] = mapped_column(str_enum(AdKind, "ad_kind"))
    currency: Mapped[str] = mapped_column(String(3))
    daily_budget_amount: Mapped[int] = mapped_column(BigInteger)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)


class AdKeywordDaily(Base):
    """5.2.3 / 6.1.9 One keyword of a campaign on one day: impressions, clicks, spend, orders, sales."""

    __tablename__ = "ad_keyword_daily"
    __table_args__ = (Index("ix_ad_keyword_daily_store_id_day", "store_id", "day"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("ad_campaigns.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[dt.date] = mapped_column(Date)
    keyword: Mapped[str] = mapped_column(String(160))
    impressions: Mapped[int] = mapped_column(Integer)
    clicks: Mapped[int] = mapped_column(Integer)
    spend_amount: Mapped[int] = mapped_column(BigInteger)
    orders: Mapped[int] = mapped_column(Integer)
    sales_amount: Mapped[int] = mapped_column(BigInteger)


class LiveStream(Base):
    """5.3.9 / 5.3.10 A live-stream session with its audience and results."""

    __tablename__ = "live_streams"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    host_name: Mapped[str] = mapped_column(String(80))
    starts_at: Mapped[dt.datetime]
    duration_min: Mapped[int] = mapped_column(Integer)
    target_country: Mapped[str] = mapped_column(String(2))
    viewers: Mapped[int] = mapped_column(Integer)
    peak_viewers: Mapped[int] = mapped_column(Integer)
    new_followers: Mapped[int] = mapped_column(Integer)
    interactions: Mapped[int] = mapped_column(Integer)


class SocialPost(Base):
    """5.4.2 / 5.4.6 A post on a social network with its reach."""

    __tablename__ = "social_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    network: Mapped[str] = mapped_column(String(20))
    posted_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))  # post | short_video | kol | paid
    impressions: Mapped[int] = mapped_column(Integer)
    engagements: Mapped[int] = mapped_column(Integer)
    link_clicks: Mapped[int] = mapped_column(Integer)
    spend_amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class ListingTrafficDaily(Base):
    """6.2.1 / 6.2.2 One listing on one day from one traffic source (the platform's business report)."""

    __tablename__ = "listing_traffic_daily"
    __table_args__ = (
        UniqueConstraint("listing_id", "day", "source"),
        Index("ix_listing_traffic_daily_store_id_day", "store_id", "day"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[TrafficSource] = mapped_column(str_enum(TrafficSource, "traffic_source"))
    impressions: Mapped[int] = mapped_column(Integer)
    clicks: Mapped[int] = mapped_column(Integer)
    visitors: Mapped[int] = mapped_column(Integer)
    page_views: Mapped[int] = mapped_column(Integer)
    add_to_cart: Mapped[int] = mapped_column(Integer)
    favourites: Mapped[int] = mapped_column(Integer)


class SearchTermDaily(Base):
    """6.1.4 / 6.2.2 Search impressions and clicks of a listing for one keyword on one day."""

    __tablename__ = "search_term_daily"
    __table_args__ = (Index("ix_search_term_daily_store_id_day", "store_id", "day"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date)
    keyword: Mapped[str] = mapped_column(String(160))
    impressions: Mapped[int] = mapped_column(Integer)
    clicks: Mapped[int] = mapped_column(Integer)


class VisitorCountryDaily(Base):
    """6.1.3 Store visitors on one day by their country (进店买家所在国及地区)."""

    __tablename__ = "visitor_country_daily"
    __table_args__ = (UniqueConstraint("store_id", "day", "country"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    country: Mapped[str] = mapped_column(String(2))
    visits: Mapped[int] = mapped_column(Integer)
    visitors: Mapped[int] = mapped_column(Integer)
    new_visitors: Mapped[int] = mapped_column(Integer)


class VideoDaily(Base):
    """6.1.5 Plays of one video on one day."""

    __tablename__ = "video_daily"
    __table_args__ = (UniqueConstraint("asset_id", "store_id", "day"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("media_assets.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date)
    impressions: Mapped[int] = mapped_column(Integer)
    plays: Mapped[int] = mapped_column(Integer)
    effective_plays: Mapped[int] = mapped_column(Integer)
    viewers: Mapped[int] = mapped_column(Integer)
    complete_plays: Mapped[int] = mapped_column(Integer)
    clicks: Mapped[int] = mapped_column(Integer)
    watch_seconds: Mapped[int] = mapped_column(BigInteger)


class AdGroup(Base):
    """5.2.2 An ad group of a campaign: the products it advertises and a default bid."""

    __tablename__ = "ad_groups"
    __table_args__ = (UniqueConstraint("campaign_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("ad_campaigns.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    default_bid_amount: Mapped[int] = mapped_column(BigInteger)


class AdKeyword(Base):
    """5.2.2 / 5.2.3 A keyword bid on in an ad group; its daily figures are ``AdKeywordDaily``
    rows of the same campaign and text."""

    __tablename__ = "ad_keywords"
    __table_args__ = (UniqueConstraint("ad_group_id", "text", "match_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("ad_campaigns.id", ondelete="CASCADE"), index=True
    )
    ad_group_id: Mapped[int] = mapped_column(ForeignKey("ad_groups.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(160))
    match_type: Mapped[str] = mapped_column(String(10))  # exact | phrase | broad
    bid_amount: Mapped[int] = mapped_column(BigInteger)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)


class LiveStreamPlan(Base):
    """5.3.3 / 5.3.5 A planned live stream (room, time, language, country, host) with its targets;
    linked to the ``LiveStream`` that took place for the 5.3.10 review."""

    __tablename__ = "live_stream_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    live_stream_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_streams.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[dt.datetime]
    duration_min: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    target_country: Mapped[str] = mapped_column(String(2))
    host_name: Mapped[str] = mapped_column(String(80))
    currency: Mapped[str] = mapped_column(String(3))
    target_viewers: Mapped[int] = mapped_column(Integer)
    target_peak_viewers: Mapped[int] = mapped_column(Integer)
    target_interactions: Mapped[int] = mapped_column(Integer)
    target_new_followers: Mapped[int] = mapped_column(Integer)
    target_orders: Mapped[int] = mapped_column(Integer)
    target_gmv_amount: Mapped[int] = mapped_column(BigInteger)


class LiveScriptSegment(Base):
    """5.3.8 One row of a live stream's script: segment, minutes, product, selling points,
    the benefit to stress and the call to action."""

    __tablename__ = "live_script_segments"
    __table_args__ = (UniqueConstraint("plan_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("live_stream_plans.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    segment: Mapped[str] = mapped_column(String(80))
    minutes: Mapped[int] = mapped_column(Integer)
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id", ondelete="SET NULL"))
    selling_points: Mapped[str] = mapped_column(String(400))
    benefit: Mapped[str] = mapped_column(String(200))
    call_to_action: Mapped[str] = mapped_column(String(200))
