"""ORM classes of the catalog: what the company sells, and where it is listed (stage 3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storeops.catalog.enums import CompetitorKind, ListingActionKind, ListingStatus, MediaKind
from storeops.db import Base, str_enum
from storeops.types import utcnow


class Category(Base):
    """A product category of the company's own tree (mapped to platform categories per listing)."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))


class Supplier(Base):
    """3.1.2 A source of goods: factory or trader, with terms."""

    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(160))
    province: Mapped[str] = mapped_column(String(40))
    city: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))  # factory | trader
    rating: Mapped[int] = mapped_column(Integer)  # 1-5
    lead_time_days: Mapped[int] = mapped_column(Integer)
    moq: Mapped[int] = mapped_column(Integer)


class Product(Base):
    """A product (SPU) of the company; its variants are SKUs."""

    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(160))
    name_en: Mapped[str] = mapped_column(String(200))
    brand: Mapped[str] = mapped_column(String(80))
    hs_code: Mapped[str] = mapped_column(String(12))
    launched_on: Mapped[dt.date] = mapped_column(Date)
    has_battery: Mapped[bool] = mapped_column(Boolean, default=False)
    has_liquid: Mapped[bool] = mapped_column(Boolean, default=False)


class Sku(Base):
    """A sellable variant with its purchase cost (CNY), weight and dimensions."""

    __tablename__ = "skus"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(60))
    variant: Mapped[str] = mapped_column(String(80))
    cost_amount: Mapped[int] = mapped_column(BigInteger)
    cost_currency: Mapped[str] = mapped_column(String(3))
    weight_g: Mapped[int] = mapped_column(Integer)
    length_mm: Mapped[int] = mapped_column(Integer)
    width_mm: Mapped[int] = mapped_column(Integer)
    height_mm: Mapped[int] = mapped_column(Integer)


class Certificate(Base):
    """3.1.3 A product qualification for a target market (CE, FCC, UKCA, CPC …)."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    market: Mapped[str] = mapped_column(String(8))
    number: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)


class Keyword(Base):
    """3.1.4 A search term of a market with its volume, source and relevance."""

    __tablename__ = "keywords"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(String(160))
    language: Mapped[str] = mapped_column(String(8))
    market: Mapped[str] = mapped_column(String(8))
    monthly_searches: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(40))
    relevance: Mapped[int] = mapped_column(Integer)  # 0-100


class ProductGroup(Base):
    """3.2.4 / 3.3.3 A group of listings in a store, owned by a member of staff."""

    __tablename__ = "product_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Listing(Base):
    """A product as shown in one store: title, copy, price, media, templates, status."""

    __tablename__ = "listings"
    __table_args__ = (UniqueConstraint("store_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_groups.id", ondelete="SET NULL")
    )
    external_id: Mapped[str] = mapped_column(
        String(40)
    )  # ASIN, item id, product id on the platform
    title: Mapped[str] = mapped_column(String(400))
    bullet_points: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON)
    price_amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    image_count: Mapped[int] = mapped_column(Integer)
    video_count: Mapped[int] = mapped_column(Integer)
    logistics_template: Mapped[str | None] = mapped_column(String(80))
    after_sales_template: Mapped[str | None] = mapped_column(String(80))
    is_rts: Mapped[bool] = mapped_column(Boolean, default=False)  # B2B ready-to-ship (3.2.3)
    status: Mapped[ListingStatus] = mapped_column(str_enum(ListingStatus, "listing_status"))
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    listed_on: Mapped[dt.date] = mapped_column(Date)
    updated_on: Mapped[dt.date] = mapped_column(Date)


class ListingEdit(Base):
    """One edit of a listing by a member of staff (6.1.8 edited products; 3.2.7 / 3.3.4 optimisation)."""

    __tablename__ = "listing_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    edited_on: Mapped[dt.date] = mapped_column(Date)
    fields: Mapped[list[str]] = mapped_column(JSON)


class ShowcaseSlot(Base):
    """3.2.5 A B2B showcase (橱窗) slot and the listing placed in it since a date."""

    __tablename__ = "showcase_slots"
    __table_args__ = (UniqueConstraint("store_id", "slot_no", "since"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    slot_no: Mapped[int] = mapped_column(Integer)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    since: Mapped[dt.date] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)


class MediaAsset(Base):
    """4.1.6 An image or short video of the media library, linked to a product."""

    __tablename__ = "media_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[MediaKind] = mapped_column(str_enum(MediaKind, "media_kind"))
    name: Mapped[str] = mapped_column(String(200))
    width_px: Mapped[int] = mapped_column(Integer)
    height_px: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[int | None] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    created_on: Mapped[dt.date] = mapped_column(Date)
    is_good: Mapped[bool] = mapped_column(Boolean, default=True)  # 6.1.5 "良好视频"


class Competitor(Base):
    """3.1.1 / 1.1.5 A competing store, classified as direct, indirect or potential."""

    __tablename__ = "competitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(160))
    country: Mapped[str] = mapped_column(String(2))
    kind: Mapped[CompetitorKind] = mapped_column(str_enum(CompetitorKind, "competitor_kind"))
    first_seen_on: Mapped[dt.date] = mapped_column(Date)


class CompetitorProduct(Base):
    """3.1.1 / 6.1.2 A competitor's product."""

    __tablename__ = "competitor_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    competitor_id: Mapped[int] = mapped_column(
        ForeignKey("competitors.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(400))
    brand: Mapped[str] = mapped_column(String(80))
    currency: Mapped[str] = mapped_column(String(3))
    listed_on: Mapped[dt.date] = mapped_column(Date)


class CompetitorSnapshot(Base):
    """A weekly observation of a competitor product: price, estimated sales, rating."""

    __tablename__ = "competitor_snapshots"
    __table_args__ = (UniqueConstraint("competitor_product_id", "observed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    competitor_product_id: Mapped[int] = mapped_column(
        ForeignKey("competitor_products.id", ondelete="CASCADE"), index=True
    )
    observed_on: Mapped[dt.date] = mapped_column(Date)
    price_amount: Mapped[int] = mapped_column(BigInteger)
    est_monthly_sales: Mapped[int] = mapped_column(Integer)
    rating_x10: Mapped[int] = mapped_column(Integer)  # 4.3 stars = 43
    review_count: Mapped[int] = mapped_column(Integer)


class ListingAction(Base):
    """3.2.6 One action taken on a listing after a review (hide, delete, optimise): who, when, why."""

    __tablename__ = "listing_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[ListingActionKind] = mapped_column(
        str_enum(ListingActionKind, "listing_action_kind")
    )
    reason: Mapped[str] = mapped_column(String(200))
    status_before: Mapped[ListingStatus] = mapped_column(str_enum(ListingStatus, "listing_status"))
    status_after: Mapped[ListingStatus] = mapped_column(str_enum(ListingStatus, "listing_status"))
    window_from: Mapped[dt.date | None] = mapped_column(Date)
    window_to: Mapped[dt.date | None] = mapped_column(Date)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LaunchPlanWeek(Base):
    """3.2.1 / 3.3.1 How many new listings a store plans to launch in one week (Monday start)."""

    __tablename__ = "launch_plan_weeks"
    __table_args__ = (UniqueConstraint("store_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[dt.date] = mapped_column(Date)
    planned_count: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")
    set_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
