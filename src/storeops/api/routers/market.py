"""Market research (1.1), platform selection (1.2.1), platform rules and account health (2.3)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile, status

from storeops.api.deps import DbSession, rate_limit, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.errors import InvalidInput
from storeops.market import (
    brand,
    competitors,
    development,
    health,
    onboarding,
    platforms,
    research,
    rules,
    security,
    supply_chain,
)
from storeops.market.enums import FollowUpStatus
from storeops.market.metrics import DEFAULT_HHI_GUIDELINES, HhiGuidelines
from storeops.market.schemas import (
    AccountHealthRead,
    AccountSecurityRead,
    BrandRead,
    BrandWrite,
    ChecklistCreate,
    ChecklistRead,
    CompetitorAnalysis,
    ConcentrationRead,
    ConcentrationRequest,
    DatasetRead,
    FollowUpRead,
    FollowUpStatusChange,
    ForecastRead,
    ImportResult,
    IpRightWrite,
    MarketReport,
    OnboardingItemRead,
    OnboardingItemUpdate,
    PlanCreate,
    PlanItemRead,
    PlanItemStatusChange,
    PlanRead,
    PlatformProfileRead,
    PlatformProfileUpdate,
    ProductSelectionRequest,
    RuleImportRead,
    RuleSetIn,
    RuleSetRead,
    ScoredProductRead,
    SecurityRecordWrite,
    SecurityReviewRead,
    SelectionRead,
    SelectionRequest,
    SupplyChainRead,
)

router = APIRouter(prefix="/market", tags=["market"])

Reader = Annotated[Actor, Depends(require(Permission.MARKET_READ))]
Manager = Annotated[Actor, Depends(require(Permission.MARKET_MANAGE))]
MAX_UPLOAD = 20 * 1024 * 1024


async def _text(upload: UploadFile) -> str:
    raw = await upload.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        raise InvalidInput("the file is larger than 20 MiB", field="file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the file is not UTF-8 text", field="file") from None


@router.post("/concentration", response_model=ConcentrationRead)
def concentration(body: ConcentrationRequest, actor: Reader) -> ConcentrationRead:
    """1.1.4 CR4, CR8 and HHI of firms' sales, read with the named guidelines' thresholds."""
    return research.compute_concentration(sales=body.sales, actor=actor, guidelines=body.guidelines)


@router.get("/datasets", response_model=list[DatasetRead])
def list_datasets(session: DbSession, actor: Reader) -> list[DatasetRead]:
    """The company's market data: one dataset per category and target market."""
    return [DatasetRead.model_validate(d) for d in research.list_datasets(session, actor=actor)]


@router.post(
    "/datasets/import/{kind}",
    response_model=ImportResult,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(rate_limit("import"))],
)
async def import_dataset(
    kind: str,
    session: DbSession,
    actor: Manager,
    file: Annotated[UploadFile, File(description="CSV, UTF-8")],
    category: Annotated[str, Query(min_length=1, max_length=120)],
    market: Annotated[str, Query(description="ISO country code or 'global'")],
    currency: Annotated[str, Query(min_length=3, max_length=3)],
    source: Annotated[str, Query(max_length=200)] = "",
) -> ImportResult:
    """1.1.1 Import market sales (``kind=sales``) or search terms (``kind=search-terms``) from CSV.

    Every row is validated first; any bad row and nothing is written (422 lists row, column, reason).
    """
    text = await _text(file)
    if kind == "sales":
        importer = research.import_market_sales
    elif kind == "search-terms":
        importer = research.import_search_terms
    else:
        raise InvalidInput("import kind is 'sales' or 'search-terms'", field="kind")
    return importer(
        session,
        actor=actor,
        category=category,
        market=market,
        currency=currency,
        csv_text=text,
        source=source,
    )


@router.post(
    "/datasets/from-records", response_model=list[ImportResult], status_code=status.HTTP_201_CREATED
)
def dataset_from_records(
    session: DbSession,
    actor: Manager,
    category_code: Annotated[str, Query(min_length=1, max_length=40)],
    currency: Annotated[str, Query(min_length=3, max_length=3)] = "USD",
) -> list[ImportResult]:
    """1.1.1 Build a category's market data from storeops' records (own sales, competitors'
    snapshots, listing search terms)."""
    return research.import_company_market(
        session, actor=actor, category_code=category_code, currency=currency
    )


@router.get("/datasets/{dataset_id}/report", response_model=MarketReport)
def report(
    dataset_id: int,
    session: DbSession,
    actor: Reader,
    guidelines: HhiGuidelines = DEFAULT_HHI_GUIDELINES,
) -> MarketReport:
    """1.1.1-1.1.4 The market analysis of one category in one target market."""
    return research.market_report(
        session, dataset_id=dataset_id, actor=actor, guidelines=guidelines
    )


@router.get("/datasets/{dataset_id}/forecast", response_model=ForecastRead)
def forecast(
    dataset_id: int,
    session: DbSession,
    actor: Reader,
    horizon: Annotated[int, Query(ge=1, le=24)] = 6,
    level: Annotated[int, Query()] = 80,
) -> ForecastRead:
    """1.1.3 AutoETS forecast with intervals, backtested against the seasonal-naive baseline."""
    return research.forecast_market(
        session, dataset_id=dataset_id, actor=actor, horizon=horizon, level=level
    )


@router.get("/platforms", response_model=list[PlatformProfileRead])
def list_platforms(session: DbSession, actor: Reader) -> list[PlatformProfileRead]:
    """1.2.1 Every platform profile (markets, model, fees, settlement, logistics, category
    strengths, entry requirements), each fact with its source and date; the company's latest
    version, else the bundled one (version 0)."""
    return platforms.list_profiles(session, actor=actor)


@router.get("/platforms/{platform}", response_model=PlatformProfileRead)
def get_platform(platform: str, session: DbSession, actor: Reader) -> PlatformProfileRead:
    """1.2.1 One platform's current profile."""
    return platforms.get_profile(session, platform=platform, actor=actor)


@router.get("/platforms/{platform}/history", response_model=list[PlatformProfileRead])
def platform_history(platform: str, session: DbSession, actor: Reader) -> list[PlatformProfileRead]:
    """Every version of a platform's profile, newest first."""
    return platforms.profile_history(session, platform=platform, actor=actor)


@router.put("/platforms/{platform}", response_model=PlatformProfileRead)
def update_platform(
    platform: str, body: PlatformProfileUpdate, session: DbSession, actor: Manager
) -> PlatformProfileRead:
    """1.2.1 Save a new version of a platform's profile (every fact with source and date)."""
    return platforms.update_profile(
        session, platform=platform, facts=body.facts, note=body.note, actor=actor
    )


@router.post(
    "/platform-selections", response_model=SelectionRead, status_code=status.HTTP_201_CREATED
)
def run_selection(body: SelectionRequest, session: DbSession, actor: Manager) -> SelectionRead:
    """1.2.1 Score candidate platforms (weighted criteria), test the weights, recommend one."""
    return platforms.run_platform_selection(session, request=body, actor=actor)


@router.get("/platform-selections", response_model=list[SelectionRead])
def list_selections(session: DbSession, actor: Reader) -> list[SelectionRead]:
    """1.2.1 The company's platform selection runs, newest first."""
    return platforms.list_selections(session, actor=actor)


@router.get("/platform-selections/{selection_id}", response_model=SelectionRead)
def get_selection(selection_id: int, session: DbSession, actor: Reader) -> SelectionRead:
    """1.2.1 One platform selection run with its recommendation."""
    return platforms.get_selection(session, selection_id=selection_id, actor=actor)


@router.get("/rules/{platform}", response_model=list[RuleSetRead])
def list_rule_sets(platform: str, session: DbSession, actor: Reader) -> list[RuleSetRead]:
    """2.3.1 Every version of a platform's rules (thresholds with their source), newest first."""
    return rules.rule_sets(session, platform=platform, actor=actor)


@router.post("/rules", response_model=RuleImportRead, status_code=status.HTTP_201_CREATED)
def import_rules(body: RuleSetIn, session: DbSession, actor: Manager) -> RuleImportRead:
    """2.3.2 Import a new version of a platform's rules: the diff, the affected stores and
    listings, and the follow-up tasks it opens."""
    return rules.import_rule_set(session, data=body, actor=actor)


@router.get("/follow-ups", response_model=list[FollowUpRead])
def list_follow_ups(
    session: DbSession, actor: Reader, status: FollowUpStatus | None = None
) -> list[FollowUpRead]:
    """2.3.2 Follow-up tasks opened by rule changes, for your stores."""
    return rules.list_follow_ups(session, actor=actor, status=status)


@router.post("/follow-ups/{task_id}/status", response_model=FollowUpRead)
def change_follow_up(
    task_id: int, body: FollowUpStatusChange, session: DbSession, actor: Manager
) -> FollowUpRead:
    """2.3.2 Move a follow-up task: open → in_progress → done (or dismissed)."""
    return rules.change_follow_up(session, task_id=task_id, status=body.status, actor=actor)


@router.get("/stores/{store_id}/health", response_model=AccountHealthRead)
def account_health(
    store_id: int, session: DbSession, actor: Reader, as_of: dt.date | None = None
) -> AccountHealthRead:
    """2.3.1 The store's metrics against its platform's thresholds, with trend and projected
    breach dates (default as-of: the store's last day with a paid order)."""
    return health.account_health(session, store_id=store_id, actor=actor, as_of=as_of)


@router.post("/onboarding", response_model=ChecklistRead, status_code=status.HTTP_201_CREATED)
def start_checklist(body: ChecklistCreate, session: DbSession, actor: Manager) -> ChecklistRead:
    """1.2.2 Start the onboarding checklist of a platform for the company's type."""
    return onboarding.start_checklist(session, data=body, actor=actor)


@router.get("/onboarding", response_model=list[ChecklistRead])
def list_checklists(session: DbSession, actor: Reader) -> list[ChecklistRead]:
    """1.2.2 The company's onboarding checklists with readiness, expired and expiring items."""
    return onboarding.list_checklists(session, actor=actor)


@router.patch("/onboarding/items/{item_id}", response_model=OnboardingItemRead)
def update_onboarding_item(
    item_id: int, body: OnboardingItemUpdate, session: DbSession, actor: Manager
) -> OnboardingItemRead:
    """1.2.2 Record an item's status, expiry, reference or note."""
    return onboarding.update_item(session, item_id=item_id, data=body, actor=actor)


@router.get("/stores/{store_id}/security", response_model=SecurityReviewRead)
def security_review(
    store_id: int,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.ACCOUNT_READ))],
) -> SecurityReviewRead:
    """2.1.2 / 2.2.2 Security review of the store's accounts and sub-accounts."""
    return security.security_review(session, store_id=store_id, actor=actor)


@router.put("/accounts/{account_id}/security", response_model=AccountSecurityRead)
def record_security(
    account_id: int,
    body: SecurityRecordWrite,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.ACCOUNT_MANAGE))],
) -> AccountSecurityRead:
    """2.1.2 / 2.2.2 Record an account's 2FA, payment set-up, last password change, permissions."""
    return security.record_account_security(session, account_id=account_id, data=body, actor=actor)


@router.post("/product-selection", response_model=list[ScoredProductRead])
def product_selection(body: ProductSelectionRequest, actor: Reader) -> list[ScoredProductRead]:
    """1.1.8 Score product candidates (demand, competition, margin after fees and shipping,
    seasonality and compliance risk), weighted and explained."""
    return research.select_products(request=body, actor=actor)


@router.get("/competitors", response_model=CompetitorAnalysis)
def competitor_analysis(
    session: DbSession,
    actor: Reader,
    category_code: Annotated[str, Query(min_length=1, max_length=40)],
    period_start: dt.date,
    period_end: dt.date,
    currency: Annotated[str, Query(min_length=3, max_length=3)] = "USD",
) -> CompetitorAnalysis:
    """1.1.5 Competitors of a category in a period: direct, indirect, potential, compared."""
    return competitors.competitor_analysis(
        session, actor=actor, category_code=category_code, period_start=period_start,
        period_end=period_end, currency=currency,
    )  # fmt: skip


@router.get("/supply-chain", response_model=SupplyChainRead)
def supply_chain_analysis(
    session: DbSession,
    actor: Reader,
    period_start: dt.date,
    period_end: dt.date,
    category_code: Annotated[str | None, Query(max_length=40)] = None,
) -> SupplyChainRead:
    """1.1.9 Suppliers, lead times, supplier concentration and supply risks in a period."""
    return supply_chain.supply_chain_analysis(
        session, actor=actor, period_start=period_start, period_end=period_end,
        category_code=category_code,
    )  # fmt: skip


@router.get("/brands", response_model=list[BrandRead])
def list_brands(session: DbSession, actor: Reader) -> list[BrandRead]:
    """1.1.6 Brands with positioning, trademarks and patents, and unprotected target markets."""
    return brand.list_brands(session, actor=actor)


@router.put("/brands", response_model=BrandRead)
def save_brand(body: BrandWrite, session: DbSession, actor: Manager) -> BrandRead:
    """1.1.6 Record or update a brand's positioning (by brand name)."""
    return brand.save_brand(session, data=body, actor=actor)


@router.post(
    "/brands/{brand_id}/ip-rights", response_model=BrandRead, status_code=status.HTTP_201_CREATED
)
def add_ip_right(
    brand_id: int, body: IpRightWrite, session: DbSession, actor: Manager
) -> BrandRead:
    """1.1.6 Record a trademark or patent with its territory and expiry."""
    return brand.add_ip_right(session, brand_id=brand_id, data=body, actor=actor)


@router.post("/product-plans", response_model=PlanRead, status_code=status.HTTP_201_CREATED)
def draw_up_plan(body: PlanCreate, session: DbSession, actor: Manager) -> PlanRead:
    """1.1.7 Draw up a product development plan from buyer needs and market trends."""
    return development.draw_up_plan(session, data=body, actor=actor)


@router.get("/product-plans", response_model=list[PlanRead])
def list_plans(session: DbSession, actor: Reader) -> list[PlanRead]:
    """1.1.7 The company's product plans."""
    return development.list_plans(session, actor=actor)


@router.post("/product-plans/items/{item_id}/status", response_model=PlanItemRead)
def change_plan_item(
    item_id: int, body: PlanItemStatusChange, session: DbSession, actor: Manager
) -> PlanItemRead:
    """1.1.7 Move a plan item: proposed → accepted → in development → launched (or dropped)."""
    return development.change_plan_item(session, item_id=item_id, status=body.status, actor=actor)
