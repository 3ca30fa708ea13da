"""Pydantic shapes of the market domain, shared by the API, the console and the CLI."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

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
from storeops.market.metrics import (
    CompetitionIntensity,
    ConcentrationReading,
    HhiGuidelines,
    MarketKind,
    MaturityStage,
    SeasonKind,
    TurnKind,
)

# --- market math --------------------------------------------------------------------------------


class ConcentrationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sales: dict[str, float] = Field(
        min_length=1, description="Each firm's sales (value or units) in the market"
    )
    guidelines: HhiGuidelines = HhiGuidelines.HMG_2010


class FirmShare(BaseModel):
    firm: str
    share_pct: float


class ConcentrationRead(BaseModel):
    """1.1.4 CR4, CR8, HHI and their reading, with the thresholds and their source."""

    firms: int
    shares: list[FirmShare]
    cr4: float
    cr8: float
    hhi: float
    reading: ConcentrationReading
    guidelines: HhiGuidelines
    moderate_from: int
    high_above: int
    thresholds_source: str
    equivalent_firms: float
    intensity: CompetitionIntensity


class SegmentRead(BaseModel):
    name: str
    value: int
    share_pct: float


class SeasonRead(BaseModel):
    month: int
    index: float
    kind: SeasonKind


class TurningPointRead(BaseModel):
    period: dt.date
    kind: TurnKind
    value: float
    change_before_pct: float
    change_after_pct: float


class GrowthPeriodRead(BaseModel):
    period: dt.date
    value: float
    previous: float
    increment: float
    stock: float
    growth_pct: float | None


class GrowthStockRead(BaseModel):
    latest_cycle_total: float
    previous_cycle_total: float
    increment_total: float
    growth_pct: float | None
    increment_share_pct: float
    kind: MarketKind
    band_pct: float
    periods: list[GrowthPeriodRead]


class MaturityRead(BaseModel):
    stage: MaturityStage
    growth_pct: float
    previous_growth_pct: float | None
    band_pct: float
    explanation: str


class PriceBandRead(BaseModel):
    low: int
    high: int
    units: int
    revenue: int
    units_share_pct: float
    revenue_share_pct: float


class SearchAttributeRead(BaseModel):
    attribute: str
    volume: int
    share_pct: float
    previous_volume: int
    growth_pct: float | None
    terms: int
    rising: bool


class MonthValue(BaseModel):
    period: dt.date
    value: float


class ForecastPoint(BaseModel):
    period: dt.date
    mean: float
    lo: float
    hi: float


class ForecastRead(BaseModel):
    """1.1.3 A forecast with intervals and its backtest against the seasonal-naive baseline."""

    model: str
    level: int
    horizon: int
    points: list[ForecastPoint]
    backtest_months: int
    model_mape_pct: float | None
    baseline_mape_pct: float | None
    model_mae: float | None
    baseline_mae: float | None
    beats_baseline: bool | None
    note: str


# --- market data --------------------------------------------------------------------------------


class DatasetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    category: str
    market: str
    currency: str
    source: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ImportResult(BaseModel):
    dataset_id: int
    kind: str
    rows: int
    periods: list[dt.date]
    replaced: int


class MarketReport(BaseModel):
    """1.1.1-1.1.4 The analysis of one category in one target market."""

    dataset: DatasetRead
    first_period: dt.date | None
    last_period: dt.date | None
    months: int
    size_last_12m: int  # revenue, minor units
    units_last_12m: int
    currency: str
    monthly: list[MonthValue]
    concentration_by_seller: ConcentrationRead | None
    concentration_by_brand: ConcentrationRead | None
    brand_segments: list[SegmentRead]
    growth: GrowthStockRead | None
    seasonality: list[SeasonRead]
    peak_months: list[int]
    off_months: list[int]
    turning_points: list[TurningPointRead]
    maturity: MaturityRead | None
    price_bands: list[PriceBandRead]
    best_price_band: PriceBandRead | None
    hot_attributes: list[SearchAttributeRead]
    notes: list[str]


# --- platforms ----------------------------------------------------------------------------------


class PlatformProfileRead(BaseModel):
    platform: str
    version: int
    facts: dict[str, Any]
    note: str
    changed_by: str
    changed_at: dt.datetime


class PlatformProfileUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    facts: dict[str, Any]
    note: str = Field(min_length=1, max_length=400, description="Why the profile changed")


class SelectionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(default="Platform selection", max_length=200)
    platforms: list[str] = Field(min_length=2)
    target_markets: list[str] = Field(min_length=1, description="ISO country codes or regions")
    category: str = Field(min_length=1, max_length=120)
    model: str = Field(default="b2c", pattern="^(b2b|b2c)$")
    weights: dict[str, float] | None = None


class CriterionScore(BaseModel):
    criterion: str
    score: float  # 0-10
    weight: float
    reason: str


class PlatformScore(BaseModel):
    platform: str
    total: float
    rank: int
    criteria: list[CriterionScore]


class SensitivityRow(BaseModel):
    criterion: str
    change: str
    winner: str
    winner_changes: bool


class SelectionRead(BaseModel):
    id: int | None
    title: str
    weights: dict[str, float]
    scores: list[PlatformScore]
    sensitivity: list[SensitivityRow]
    robust: bool
    recommendation: str
    created_at: dt.datetime | None


# --- rules and account health -------------------------------------------------------------------


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=60)
    category: RuleCategory
    title: str = Field(min_length=1, max_length=200)
    text: str = ""
    metric: HealthMetric | None = None
    comparator: Comparator | None = None
    threshold: float | None = None
    unit: str = ""
    window_days: int | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    source: str = ""
    source_date: dt.date | None = None

    def measurable_source_missing(self) -> bool:
        """Whether the rule has a threshold but no source for it."""
        return self.threshold is not None and not self.source.strip()


class RuleRead(RuleIn):
    model_config = ConfigDict(from_attributes=True, extra="ignore")


class RuleSetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    platform: str
    version: str = Field(min_length=1, max_length=40)
    effective_from: dt.date
    source: str = ""
    rules: list[RuleIn] = Field(min_length=1)


class RuleSetRead(BaseModel):
    id: int
    platform: str
    version: str
    effective_from: dt.date
    source: str
    imported_by: str
    imported_at: dt.datetime
    rules: list[RuleRead]


class RuleChange(BaseModel):
    code: str
    change: str  # added | removed | changed
    fields: list[str]
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class FollowUpRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    store_id: int | None
    rule_set_id: int | None
    rule_code: str
    task_code: str
    title: str
    detail: str
    status: FollowUpStatus
    due_on: dt.date | None
    created_at: dt.datetime


class RuleImportRead(BaseModel):
    rule_set: RuleSetRead
    previous_version: str | None
    changes: list[RuleChange]
    affected_store_ids: list[int]
    follow_ups: list[FollowUpRead]


class FollowUpStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: FollowUpStatus


class HealthPoint(BaseModel):
    period_end: dt.date
    value: float | None
    numerator: int
    denominator: int


class HealthCheck(BaseModel):
    rule_code: str
    title: str
    metric: HealthMetric
    comparator: Comparator
    threshold: float
    unit: str
    source: str
    value: float | None
    numerator: int
    denominator: int
    compliant: bool | None
    trend: list[HealthPoint]
    slope_per_day: float | None
    projected_breach_on: dt.date | None
    status: str  # ok | at_risk | breached | no_data


class AccountHealthRead(BaseModel):
    store_id: int
    store_name: str
    platform: str
    rule_set_version: str | None
    as_of: dt.date
    checks: list[HealthCheck]


# --- onboarding (1.2.2) and account security (2.1.2 / 2.2.2) -------------------------------------


class ChecklistCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    platform: str
    company_type: CompanyType
    store_id: int | None = None


class OnboardingItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    title: str
    kind: OnboardingItemKind
    required: bool
    status: OnboardingStatus
    expires_on: dt.date | None
    reference: str
    note: str
    flags: list[str] = []


class OnboardingItemUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: OnboardingStatus | None = None
    expires_on: dt.date | None = None
    reference: str | None = Field(default=None, max_length=200)
    note: str | None = None


class ChecklistRead(BaseModel):
    id: int
    platform: str
    company_type: CompanyType
    store_id: int | None
    created_at: dt.datetime
    items: list[OnboardingItemRead]
    ready: bool
    required_open: int
    expired: int
    expiring_soon: int
    as_of: dt.date


class SecurityRecordWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    two_factor_enabled: bool
    payment_account_set: bool = False
    password_changed_on: dt.date | None = None
    permissions: list[str] = Field(default_factory=list)


class AccountSecurityRead(BaseModel):
    account_id: int
    login: str
    kind: str
    parent_id: int | None
    is_active: bool
    two_factor_enabled: bool | None
    payment_account_set: bool | None
    password_changed_on: dt.date | None
    password_age_days: int | None
    permissions: list[str]
    reviewed_at: dt.datetime | None
    findings: list[str]
    weak: bool


class SecurityReviewRead(BaseModel):
    """2.1.2 / 2.2.2 The security review of a store's accounts and sub-accounts."""

    store_id: int
    as_of: dt.date
    accounts: list[AccountSecurityRead]
    weak_accounts: int
    store_findings: list[str]


# --- product selection (1.1.8) -------------------------------------------------------------------


class ProductCandidateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    monthly_searches: int = Field(ge=0)
    competing_listings: int = Field(ge=0)
    price: str = Field(description="Selling price in major units, e.g. 19.99")
    unit_cost: str = Field(description="Landed purchase cost per unit, same currency")
    shipping_cost: str = Field(default="0", description="Shipping per unit, same currency")
    fee_pct: float = Field(ge=0, lt=100, description="Platform commission and payment fees, %")
    seasonality_strength: float = Field(default=0.0, ge=0)
    certificates_needed: int = Field(default=0, ge=0)
    has_battery: bool = False
    has_liquid: bool = False


class ProductSelectionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    currency: str = Field(min_length=3, max_length=3)
    candidates: list[ProductCandidateIn] = Field(min_length=1, max_length=500)
    weights: dict[str, float] | None = None


class ProductCriterionRead(BaseModel):
    criterion: str
    score: float
    weight: float
    reason: str


class ScoredProductRead(BaseModel):
    name: str
    rank: int
    total: float
    margin: str
    margin_pct: float
    criteria: list[ProductCriterionRead]


# --- competitors (1.1.5) -------------------------------------------------------------------------


class CompetitorRow(BaseModel):
    competitor_id: int
    name: str
    platform: str
    country: str
    classification: str  # direct | indirect | potential
    reason: str
    recorded_kind: str
    new_in_period: bool
    products_in_category: int
    avg_price: float | None  # major units
    est_monthly_units: int
    est_monthly_revenue: float  # major units
    avg_rating: float | None
    reviews: int


class CompetitorAnalysis(BaseModel):
    """1.1.5 Competitors of a category in a period, classified and compared with the company."""

    category: str
    currency: str
    period_start: dt.date
    period_end: dt.date
    own_platforms: list[str]
    own_avg_price: float | None
    own_monthly_units: float
    competitors: list[CompetitorRow]
    counts: dict[str, int]


# --- supply chain (1.1.9) ------------------------------------------------------------------------


class SupplierRow(BaseModel):
    supplier_id: int
    name: str
    city: str
    kind: str
    lead_time_days: int
    moq: int
    rating: int
    products: int
    units: int
    share_pct: float
    units_per_day: float
    lead_time_demand: int  # units sold during one lead time at the period's rate
    flags: list[str]


class SupplyChainRead(BaseModel):
    """1.1.9 Suppliers, lead times, supplier concentration and supply risks in a period."""

    period_start: dt.date
    period_end: dt.date
    category: str | None
    total_units: int
    weighted_lead_time_days: float | None
    concentration: ConcentrationRead | None
    suppliers: list[SupplierRow]
    single_source_categories: list[str]
    notes: list[str]


# --- brand positioning and IP (1.1.6) ------------------------------------------------------------


class BrandWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    brand: str = Field(min_length=1, max_length=120)
    core_concept: str = ""
    brand_values: list[str] = Field(default_factory=list)
    target_markets: list[str] = Field(default_factory=list, description="ISO country codes")
    positioning: str = ""
    purpose: str = ""


class IpRightWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: IpKind
    title: str = Field(min_length=1, max_length=200)
    number: str = Field(min_length=1, max_length=60)
    territory: str = Field(description="ISO country code, EU or WIPO")
    classes: str = ""
    status: IpStatus
    filed_on: dt.date | None = None
    expires_on: dt.date | None = None


class IpRightRead(IpRightWrite):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: int
    flags: list[str] = []


class BrandRead(BaseModel):
    id: int
    brand: str
    core_concept: str
    brand_values: list[str]
    target_markets: list[str]
    positioning: str
    purpose: str
    updated_at: dt.datetime
    ip_rights: list[IpRightRead]
    unprotected_markets: list[str]
    findings: list[str]


# --- product development plan (1.1.7) ------------------------------------------------------------


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dataset_id: int
    category_code: str = Field(
        default="", max_length=40, description="Catalog category for buyer needs"
    )
    title: str = Field(default="", max_length=200)


class PlanItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    action: str
    title: str
    evidence: str
    priority: int
    status: PlanItemStatus
    due_on: dt.date | None


class PlanRead(BaseModel):
    id: int
    dataset_id: int
    category_code: str
    title: str
    created_at: dt.datetime
    items: list[PlanItemRead]


class PlanItemStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: PlanItemStatus
