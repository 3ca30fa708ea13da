"""ORM classes of the market domain: market data, platform profiles and rules, follow-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storeops.db import Base, str_enum
from storeops.market.enums import (
    CompanyType,
    Comparator,
    FollowUpStatus,
    HealthMetric,
    IpKind,
    IpStatus,
    OnboardingItemKind,
    OnboardingStatus,
    PlanItemStatus,
    RuleCategory,
)
from storeops.types import utcnow


class MarketDataset(Base):
    """1.1.1 Market data of one category in one target market (country code or ``global``)."""

    __tablename__ = "market_datasets"
    __table_args__ = (UniqueConstraint("company_id", "category", "market"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(120))
    market: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MarketSale(Base):
    """One row of a market report: a month's sales of one brand by one seller at one price."""

    __tablename__ = "market_sales"
    __table_args__ = (UniqueConstraint("dataset_id", "period", "seller", "brand", "price_amount"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("market_datasets.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[dt.date] = mapped_column(Date)  # first day of the month
    seller: Mapped[str] = mapped_column(String(160))
    brand: Mapped[str] = mapped_column(String(120))
    price_amount: Mapped[int] = mapped_column(BigInteger)  # unit price, minor units
    units: Mapped[int] = mapped_column(BigInteger)
    revenue_amount: Mapped[int] = mapped_column(BigInteger)  # minor units


class MarketSearchTerm(Base):
    """A search term buyers used in the market in one month, with its search volume."""

    __tablename__ = "market_search_terms"
    __table_args__ = (UniqueConstraint("dataset_id", "period", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("market_datasets.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[dt.date] = mapped_column(Date)
    term: Mapped[str] = mapped_column(String(200))
    volume: Mapped[int] = mapped_column(BigInteger)


class PlatformProfileVersion(Base):
    """1.2.1 One version of a platform's profile as the company keeps it (bundled data first).

    ``facts`` holds markets, business model, fees, settlement, logistics, category strengths and
    entry requirements; every figure carries its source and the date it was checked.
    """

    __tablename__ = "platform_profile_versions"
    __table_args__ = (UniqueConstraint("company_id", "platform", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(400), default="")
    changed_by: Mapped[str] = mapped_column(String(160))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlatformSelection(Base):
    """1.2.1 A platform selection run: weights, scores, sensitivity and the written recommendation."""

    __tablename__ = "platform_selections"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    recommendation: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlatformRuleSet(Base):
    """2.3.1 One version of a platform's rules, effective from a date."""

    __tablename__ = "platform_rule_sets"
    __table_args__ = (UniqueConstraint("company_id", "platform", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(400), default="")
    imported_by: Mapped[str] = mapped_column(String(160))
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlatformRule(Base):
    """2.3.1 One rule of a rule set; measurable rules carry a metric, comparator and threshold."""

    __tablename__ = "platform_rules"
    __table_args__ = (UniqueConstraint("rule_set_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_set_id: Mapped[int] = mapped_column(
        ForeignKey("platform_rule_sets.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(60))
    category: Mapped[RuleCategory] = mapped_column(str_enum(RuleCategory, "rule_category"))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    metric: Mapped[HealthMetric | None] = mapped_column(str_enum(HealthMetric, "health_metric"))
    comparator: Mapped[Comparator | None] = mapped_column(str_enum(Comparator, "comparator"))
    threshold: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16), default="")
    window_days: Mapped[int | None] = mapped_column(Integer)
    #: rule parameters, e.g. {"handling_days": 2} or {"banned_title_terms": ["Best Seller"]}
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(400), default="")
    source_date: Mapped[dt.date | None] = mapped_column(Date)


class FollowUpTask(Base):
    """2.3.2 Work a rule change (or a health warning) asks of a store; the playbook may link it."""

    __tablename__ = "market_follow_up_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    store_id: Mapped[int | None] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), index=True
    )
    rule_set_id: Mapped[int | None] = mapped_column(
        ForeignKey("platform_rule_sets.id", ondelete="SET NULL")
    )
    rule_code: Mapped[str] = mapped_column(String(60), default="")
    task_code: Mapped[str] = mapped_column(String(12), default="2.3.2")
    title: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[FollowUpStatus] = mapped_column(
        str_enum(FollowUpStatus, "follow_up_status"), default=FollowUpStatus.OPEN
    )
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]


class OnboardingChecklist(Base):
    """1.2.2 What a company of one type must prepare to open a store on one platform."""

    __tablename__ = "onboarding_checklists"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(40))
    company_type: Mapped[CompanyType] = mapped_column(str_enum(CompanyType, "company_type"))
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OnboardingItem(Base):
    """1.2.2 One document, certificate, account or trademark of a checklist, with its expiry."""

    __tablename__ = "onboarding_items"
    __table_args__ = (UniqueConstraint("checklist_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(
        ForeignKey("onboarding_checklists.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[OnboardingItemKind] = mapped_column(
        str_enum(OnboardingItemKind, "onboarding_kind")
    )
    required: Mapped[bool] = mapped_column(default=True)
    status: Mapped[OnboardingStatus] = mapped_column(
        str_enum(OnboardingStatus, "onboarding_status"), default=OnboardingStatus.MISSING
    )
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AccountSecurityRecord(Base):
    """2.1.2 / 2.2.2 The security facts of a platform account that the platform does not export:
    two-factor authentication, payment set-up, last password change, sub-account permissions."""

    __tablename__ = "account_security_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("platform_accounts.id", ondelete="CASCADE"), unique=True
    )
    two_factor_enabled: Mapped[bool] = mapped_column(default=False)
    payment_account_set: Mapped[bool] = mapped_column(default=False)
    password_changed_on: Mapped[dt.date | None] = mapped_column(Date)
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list)
    reviewed_by: Mapped[str] = mapped_column(String(160))
    reviewed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BrandPosition(Base):
    """1.1.6 A brand's positioning: core concept, values, target markets, purpose."""

    __tablename__ = "brand_positions"
    __table_args__ = (UniqueConstraint("company_id", "brand"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    brand: Mapped[str] = mapped_column(String(120))
    core_concept: Mapped[str] = mapped_column(Text, default="")
    brand_values: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_markets: Mapped[list[str]] = mapped_column(JSON, default=list)
    positioning: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(160))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IpRight(Base):
    """1.1.6 A trademark or patent protecting a brand, with its territory and expiry."""

    __tablename__ = "ip_rights"
    __table_args__ = (UniqueConstraint("company_id", "kind", "number", "territory"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    brand_id: Mapped[int | None] = mapped_column(
        ForeignKey("brand_positions.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[IpKind] = mapped_column(str_enum(IpKind, "ip_kind"))
    title: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(60))
    territory: Mapped[str] = mapped_column(String(8))  # ISO country, EU or WIPO
    classes: Mapped[str] = mapped_column(String(120), default="")  # Nice classes / IPC
    status: Mapped[IpStatus] = mapped_column(str_enum(IpStatus, "ip_status"))
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)


class ProductPlan(Base):
    """1.1.7 A product development and modification plan drawn from needs and trends."""

    __tablename__ = "product_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    dataset_id: Mapped[int] = mapped_column(ForeignKey("market_datasets.id", ondelete="CASCADE"))
    category_code: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ProductPlanItem(Base):
    """1.1.7 One action of a plan (new variant, improvement, repositioning, redesign) with the
    evidence that asked for it."""

    __tablename__ = "product_plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("product_plans.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    evidence: Mapped[str] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(Integer)
    status: Mapped[PlanItemStatus] = mapped_column(
        str_enum(PlanItemStatus, "plan_item_status"), default=PlanItemStatus.PROPOSED
    )
    due_on: Mapped[dt.date | None] = mapped_column(Date)
