"""Market research (1.1.1-1.1.4): market data import, the market report, the forecast (1.1.3)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import delete, func, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.auth.service import record_audit
from storeops.errors import DomainError, InvalidInput
from storeops.market import forecast as forecasting
from storeops.market import metrics
from storeops.market.errors import MarketImportInvalid
from storeops.market.models import MarketDataset, MarketSale, MarketSearchTerm
from storeops.market.schemas import (
    ConcentrationRead,
    DatasetRead,
    FirmShare,
    ForecastPoint,
    ForecastRead,
    GrowthPeriodRead,
    GrowthStockRead,
    ImportResult,
    MarketReport,
    MaturityRead,
    MonthValue,
    PriceBandRead,
    ProductCriterionRead,
    ProductSelectionRequest,
    ScoredProductRead,
    SearchAttributeRead,
    SeasonRead,
    SegmentRead,
    TurningPointRead,
)
from storeops.market.scoping import company_scoped, get_company_scoped
from storeops.types import Money, normalize_country, normalize_currency, utcnow

MAX_ERRORS_IN_MESSAGE = 5
MAX_ROWS = 200_000
SALES_COLUMNS = ("period", "seller", "brand", "price", "units")
SALES_OPTIONAL = ("revenue",)
SEARCH_COLUMNS = ("period", "term", "volume")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


# --- concentration (1.1.4), no data needed ---------------------------------------------------


def concentration_read(result: metrics.Concentration) -> ConcentrationRead:
    """The API/console shape of a concentration result."""
    return ConcentrationRead(
        firms=result.firms,
        shares=[FirmShare(firm=f, share_pct=s) for f, s in result.shares],
        cr4=result.cr4,
        cr8=result.cr8,
        hhi=result.hhi,
        reading=result.reading,
        guidelines=result.thresholds.guidelines,
        moderate_from=result.thresholds.moderate_from,
        high_above=result.thresholds.high_above,
        thresholds_source=result.thresholds.source,
        equivalent_firms=result.equivalent_firms,
        intensity=result.intensity,
    )


def compute_concentration(
    *,
    sales: dict[str, float],
    actor: Actor,
    guidelines: metrics.HhiGuidelines = metrics.DEFAULT_HHI_GUIDELINES,
) -> ConcentrationRead:
    """1.1.4 CR4/CR8/HHI of firms' sales typed in by hand, with the reading and thresholds."""
    actor.require(Permission.MARKET_READ)
    return concentration_read(metrics.concentration(sales, guidelines))


# --- datasets ------------------------------------------------------------------------------------


def _normalize_market(market: str) -> str:
    clean = (market or "").strip()
    if clean.lower() == "global":
        return "global"
    try:
        return normalize_country(clean)
    except InvalidInput:
        raise InvalidInput(
            f"unknown target market {market!r}: use an ISO country code such as US or 'global'",
            field="market",
        ) from None


def list_datasets(session: Session, *, actor: Actor) -> list[MarketDataset]:
    """The company's market datasets (category x target market)."""
    actor.require(Permission.MARKET_READ)
    stmt = company_scoped(select(MarketDataset), MarketDataset, actor).order_by(
        MarketDataset.category, MarketDataset.market
    )
    return list(session.scalars(stmt))


def get_dataset(session: Session, *, dataset_id: int, actor: Actor) -> MarketDataset:
    """One dataset of the company; any other id is ``NotFound``."""
    actor.require(Permission.MARKET_READ)
    return get_company_scoped(session, MarketDataset, dataset_id, actor, what="market dataset")


def _dataset_for_import(
    session: Session, *, actor: Actor, category: str, market: str, currency: str, source: str
) -> MarketDataset:
    clean = category.strip()
    if not clean:
        raise InvalidInput("the category is empty", field="category")
    if len(clean) > 120:
        raise InvalidInput("the category name is longer than 120 characters", field="category")
    market_code = _normalize_market(market)
    code = normalize_currency(currency)
    found = session.scalars(
        company_scoped(select(MarketDataset), MarketDataset, actor).where(
            MarketDataset.category == clean, MarketDataset.market == market_code
        )
    ).one_or_none()
    if found is None:
        found = MarketDataset(
            company_id=actor.company_id,
            category=clean,
            market=market_code,
            currency=code,
            source=source.strip()[:200],
        )
        session.add(found)
        session.flush()
    elif found.currency != code:
        raise InvalidInput(
            f"the {clean} / {market_code} data are in {found.currency}, not {code}",
            field="currency",
        )
    elif source.strip():
        found.source = source.strip()[:200]
    found.updated_at = utcnow()
    return found


def _reader(text: str, required: Iterable[str]) -> tuple[list[dict[str, str]], list[str]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise MarketImportInvalid("the file is empty", field="file", errors=[])
    header = [(h or "").strip().lower() for h in reader.fieldnames]
    missing = [c for c in required if c not in header]
    if missing:
        raise MarketImportInvalid(
            f"the file lacks the column(s) {', '.join(missing)}; the header is: "
            f"{', '.join(header)}",
            field="file",
            errors=[{"row": 1, "column": c, "reason": "missing column"} for c in missing],
        )
    rows = []
    for raw in reader:
        rows.append({(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k})
        if len(rows) > MAX_ROWS:
            raise MarketImportInvalid(f"the file has more than {MAX_ROWS} rows", field="file")
    if not rows:
        raise MarketImportInvalid("the file has a header but no rows", field="file", errors=[])
    return rows, header


def _period(value: str) -> dt.date:
    match = _PERIOD.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a month: use YYYY-MM")
    year, month, day = int(match[1]), int(match[2]), match[3]
    if not 1 <= month <= 12 or (day is not None and int(day) != 1):
        raise ValueError(f"{value!r} is not a month: use YYYY-MM (or the month's first day)")
    return dt.date(year, month, 1)


def _whole(value: str) -> int:
    try:
        number = int(value.replace(",", ""))
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None
    if number < 0:
        raise ValueError(f"{value} is negative")
    return number


def _raise_errors(errors: list[dict[str, Any]], what: str) -> None:
    if not errors:
        return
    shown = "; ".join(
        f"row {e['row']}, {e['column']}: {e['reason']}" for e in errors[:MAX_ERRORS_IN_MESSAGE]
    )
    more = len(errors) - MAX_ERRORS_IN_MESSAGE
    raise MarketImportInvalid(
        f"{len(errors)} error(s) in the {what} file, nothing imported: {shown}"
        + (f"; and {more} more" if more > 0 else ""),
        field="file",
        errors=errors,
    )


def _deleted(session: Session, statement: Any) -> int:
    result = cast(CursorResult[Any], session.execute(statement))
    return int(result.rowcount or 0)


def import_market_sales(
    session: Session,
    *,
    actor: Actor,
    category: str,
    market: str,
    currency: str,
    csv_text: str,
    source: str = "",
) -> ImportResult:
    """1.1.1 Import a category's sales by month, seller, brand and price from CSV.

    Columns: period (YYYY-MM), seller, brand, price (unit price in major units), units, and
    optionally revenue (default price x units). Every row is checked first; one bad row and nothing
    is written. Re-importing replaces the dataset's rows of the months in the file, so importing the
    same file twice changes nothing.
    """
    actor.require(Permission.MARKET_MANAGE)
    actor.require(Permission.IMPORT_RUN)
    code = normalize_currency(currency)
    rows, _header = _reader(csv_text, SALES_COLUMNS)
    errors: list[dict[str, Any]] = []
    parsed: dict[tuple[dt.date, str, str, int], tuple[int, int]] = {}
    for number, row in enumerate(rows, start=2):
        values: dict[str, Any] = {}
        for column in SALES_COLUMNS + SALES_OPTIONAL:
            raw = row.get(column, "")
            try:
                if column == "period":
                    values[column] = _period(raw)
                elif column in ("seller", "brand"):
                    if not raw:
                        raise ValueError("is empty")
                    limit = 160 if column == "seller" else 120
                    if len(raw) > limit:
                        raise ValueError(f"is longer than {limit} characters")
                    values[column] = raw
                elif column == "price":
                    amount = Money.parse(raw, code).amount
                    if amount < 0:
                        raise ValueError(f"{raw} is negative")
                    values[column] = amount
                elif column == "units":
                    values[column] = _whole(raw)
                elif column == "revenue" and raw:
                    amount = Money.parse(raw, code).amount
                    if amount < 0:
                        raise ValueError(f"{raw} is negative")
                    values[column] = amount
            except (ValueError, DomainError) as exc:
                reason = exc.message if isinstance(exc, DomainError) else str(exc)
                errors.append({"row": number, "column": column, "reason": reason})
        if any(e["row"] == number for e in errors):
            continue
        key = (values["period"], values["seller"], values["brand"], values["price"])
        if key in parsed:
            errors.append(
                {
                    "row": number,
                    "column": "period",
                    "reason": "repeats an earlier row's month, seller, brand and price",
                }
            )
            continue
        revenue = values.get("revenue", values["price"] * values["units"])
        parsed[key] = (values["units"], revenue)
    _raise_errors(errors, "sales")
    dataset = _dataset_for_import(
        session, actor=actor, category=category, market=market, currency=code, source=source
    )
    periods = sorted({k[0] for k in parsed})
    replaced = _deleted(
        session,
        delete(MarketSale).where(
            MarketSale.dataset_id == dataset.id, MarketSale.period.in_(periods)
        ),
    )
    session.add_all(
        MarketSale(
            dataset_id=dataset.id,
            period=period,
            seller=seller,
            brand=brand,
            price_amount=price,
            units=units,
            revenue_amount=revenue,
        )
        for (period, seller, brand, price), (units, revenue) in parsed.items()
    )
    session.flush()
    record_audit(
        session,
        action="market.sales_imported",
        actor=actor,
        target_type="market_dataset",
        target_id=dataset.id,
        rows=len(parsed),
    )
    return ImportResult(
        dataset_id=dataset.id,
        kind="sales",
        rows=len(parsed),
        periods=periods,
        replaced=replaced,
    )


def import_search_terms(
    session: Session,
    *,
    actor: Actor,
    category: str,
    market: str,
    currency: str,
    csv_text: str,
    source: str = "",
) -> ImportResult:
    """1.1.4 Import the search terms of a category's market with their monthly search volume.

    Columns: period (YYYY-MM), term, volume. All-or-nothing; months in the file are replaced.
    """
    actor.require(Permission.MARKET_MANAGE)
    actor.require(Permission.IMPORT_RUN)
    rows, _ = _reader(csv_text, SEARCH_COLUMNS)
    errors: list[dict[str, Any]] = []
    parsed: dict[tuple[dt.date, str], int] = {}
    for number, row in enumerate(rows, start=2):
        before = len(errors)
        period: dt.date | None = None
        volume = 0
        try:
            period = _period(row.get("period", ""))
        except ValueError as exc:
            errors.append({"row": number, "column": "period", "reason": str(exc)})
        term = " ".join(row.get("term", "").split())
        if not term:
            errors.append({"row": number, "column": "term", "reason": "is empty"})
        elif len(term) > 200:
            errors.append(
                {"row": number, "column": "term", "reason": "is longer than 200 characters"}
            )
        try:
            volume = _whole(row.get("volume", ""))
        except ValueError as exc:
            errors.append({"row": number, "column": "volume", "reason": str(exc)})
        if len(errors) > before or period is None:
            continue
        key = (period, term.lower())
        if key in parsed:
            errors.append(
                {
                    "row": number,
                    "column": "term",
                    "reason": "repeats an earlier row's month and term",
                }
            )
            continue
        parsed[key] = volume
    _raise_errors(errors, "search terms")
    dataset = _dataset_for_import(
        session, actor=actor, category=category, market=market, currency=currency, source=source
    )
    periods = sorted({k[0] for k in parsed})
    replaced = _deleted(
        session,
        delete(MarketSearchTerm).where(
            MarketSearchTerm.dataset_id == dataset.id, MarketSearchTerm.period.in_(periods)
        ),
    )
    session.add_all(
        MarketSearchTerm(dataset_id=dataset.id, period=period, term=term, volume=volume)
        for (period, term), volume in parsed.items()
    )
    session.flush()
    record_audit(
        session,
        action="market.search_terms_imported",
        actor=actor,
        target_type="market_dataset",
        target_id=dataset.id,
        rows=len(parsed),
    )
    return ImportResult(
        dataset_id=dataset.id,
        kind="search_terms",
        rows=len(parsed),
        periods=periods,
        replaced=replaced,
    )


# --- the report (1.1.1-1.1.4) ----------------------------------------------------------------------


def monthly_revenue(session: Session, dataset: MarketDataset) -> list[metrics.Point]:
    """The dataset's revenue per month from its first to its last month (gaps are zero)."""
    rows = session.execute(
        select(MarketSale.period, func.sum(MarketSale.revenue_amount))
        .where(MarketSale.dataset_id == dataset.id)
        .group_by(MarketSale.period)
        .order_by(MarketSale.period)
    ).all()
    if not rows:
        return []
    by_month = {period: int(total) for period, total in rows}
    first, last = rows[0][0], rows[-1][0]
    points = []
    month = first
    while month <= last:
        points.append(metrics.Point(month, float(by_month.get(month, 0))))
        month = forecasting.add_months(month, 1)
    return points


def market_report(
    session: Session,
    *,
    dataset_id: int,
    actor: Actor,
    guidelines: metrics.HhiGuidelines = metrics.DEFAULT_HHI_GUIDELINES,
) -> MarketReport:
    """1.1.1-1.1.4 Size, segments, maturity, growth vs stock, seasons, turning points,
    concentration (CR4/CR8/HHI), best-selling price band and hot search attributes."""
    dataset = get_dataset(session, dataset_id=dataset_id, actor=actor)
    notes: list[str] = []
    series = monthly_revenue(session, dataset)
    empty = MarketReport(
        dataset=DatasetRead.model_validate(dataset),
        first_period=None,
        last_period=None,
        months=0,
        size_last_12m=0,
        units_last_12m=0,
        currency=dataset.currency,
        monthly=[],
        concentration_by_seller=None,
        concentration_by_brand=None,
        brand_segments=[],
        growth=None,
        seasonality=[],
        peak_months=[],
        off_months=[],
        turning_points=[],
        maturity=None,
        price_bands=[],
        best_price_band=None,
        hot_attributes=[],
        notes=["no sales imported yet"],
    )
    if not series:
        return empty
    last = series[-1].period
    window_start = forecasting.add_months(last, -11)
    gaps = sum(1 for p in series if p.value == 0)
    if gaps:
        notes.append(f"{gaps} month(s) without sales rows count as zero")
    recent = select(MarketSale).where(
        MarketSale.dataset_id == dataset.id, MarketSale.period >= window_start
    )
    by_seller: dict[str, int] = defaultdict(int)
    by_brand: dict[str, int] = defaultdict(int)
    price_units: list[tuple[int, int]] = []
    units_12m = 0
    for sale in session.scalars(recent):
        by_seller[sale.seller] += sale.revenue_amount
        by_brand[sale.brand] += sale.revenue_amount
        price_units.append((sale.price_amount, sale.units))
        units_12m += sale.units
    size = sum(by_seller.values())
    seller_c = brand_c = None
    if size > 0:
        seller_c = concentration_read(metrics.concentration(by_seller, guidelines))
        brand_c = concentration_read(metrics.concentration(by_brand, guidelines))
    growth = maturity = None
    if len(series) >= 24:
        g = metrics.growth_vs_stock(series)
        growth = GrowthStockRead(
            latest_cycle_total=g.latest_cycle_total,
            previous_cycle_total=g.previous_cycle_total,
            increment_total=g.increment_total,
            growth_pct=g.growth_pct,
            increment_share_pct=g.increment_share_pct,
            kind=g.kind,
            band_pct=g.band_pct,
            periods=[
                GrowthPeriodRead(
                    period=p.period,
                    value=p.value,
                    previous=p.previous,
                    increment=p.increment,
                    stock=p.stock,
                    growth_pct=p.growth_pct,
                )
                for p in g.periods
            ],
        )
        try:
            m = metrics.maturity_stage(series)
            maturity = MaturityRead(
                stage=m.stage,
                growth_pct=m.growth_pct,
                previous_growth_pct=m.previous_growth_pct,
                band_pct=m.band_pct,
                explanation=m.explanation,
            )
        except InvalidInput as exc:
            notes.append(f"maturity stage: {exc.message}")
    else:
        notes.append(
            f"growth vs stock and the maturity stage need 24 months of data; there are {len(series)}"
        )
    season: list[SeasonRead] = []
    peaks: list[int] = []
    offs: list[int] = []
    try:
        s = metrics.seasonality(series)
        season = [SeasonRead(month=i.position, index=i.index, kind=i.kind) for i in s.indices]
        peaks, offs = list(s.peak_positions), list(s.off_positions)
    except InvalidInput as exc:
        notes.append(f"seasonality: {exc.message}")
    turns = [
        TurningPointRead(
            period=t.period,
            kind=t.kind,
            value=t.value,
            change_before_pct=t.change_before_pct,
            change_after_pct=t.change_after_pct,
        )
        for t in metrics.turning_points(series, window=3, min_change_pct=10.0)
    ]
    bands: list[PriceBandRead] = []
    best = None
    if units_12m > 0:
        width = metrics.nice_band_width([p for p, _ in price_units])
        pb = metrics.price_bands(price_units, width=width)
        bands = [PriceBandRead(**_band(b)) for b in pb.bands]
        best = PriceBandRead(**_band(pb.best))
    terms = session.execute(
        select(MarketSearchTerm.period, MarketSearchTerm.term, MarketSearchTerm.volume).where(
            MarketSearchTerm.dataset_id == dataset.id
        )
    ).all()
    hot: list[SearchAttributeRead] = []
    if terms:
        category_words = re.findall(r"\w+", dataset.category.lower())
        hot = [
            SearchAttributeRead(
                attribute=a.attribute,
                volume=a.volume,
                share_pct=a.share_pct,
                previous_volume=a.previous_volume,
                growth_pct=a.growth_pct,
                terms=a.terms,
                rising=a.rising,
            )
            for a in metrics.search_attributes(
                [(p, t, int(v)) for p, t, v in terms], exclude=category_words
            )
        ]
    else:
        notes.append("no search terms imported: hot search attributes are not available")
    return MarketReport(
        dataset=DatasetRead.model_validate(dataset),
        first_period=series[0].period,
        last_period=last,
        months=len(series),
        size_last_12m=size,
        units_last_12m=units_12m,
        currency=dataset.currency,
        monthly=[MonthValue(period=p.period, value=p.value) for p in series],
        concentration_by_seller=seller_c,
        concentration_by_brand=brand_c,
        brand_segments=[
            SegmentRead(name=s.name, value=s.value, share_pct=s.share_pct)
            for s in metrics.segments(dict(by_brand))
        ]
        if size > 0
        else [],
        growth=growth,
        seasonality=season,
        peak_months=peaks,
        off_months=offs,
        turning_points=turns,
        maturity=maturity,
        price_bands=bands,
        best_price_band=best,
        hot_attributes=hot,
        notes=notes,
    )


def _band(band: metrics.PriceBand) -> dict[str, Any]:
    return {
        "low": band.low,
        "high": band.high,
        "units": band.units,
        "revenue": band.revenue,
        "units_share_pct": band.units_share_pct,
        "revenue_share_pct": band.revenue_share_pct,
    }


def forecast_market(
    session: Session, *, dataset_id: int, actor: Actor, horizon: int = 6, level: int = 80
) -> ForecastRead:
    """1.1.3 Forecast the category's monthly sales with intervals, backtested against the
    seasonal-naive baseline (same month last year) over the last six months."""
    dataset = get_dataset(session, dataset_id=dataset_id, actor=actor)
    series = monthly_revenue(session, dataset)
    result = forecasting.forecast(series, horizon=horizon, level=level)
    bt = result.backtest
    note = (
        "backtest needs 30 months of data"
        if bt is None
        else (
            f"over the last {bt.months} months AutoETS missed by {bt.model_mae:,.0f} on average, "
            f"the seasonal-naive baseline by {bt.baseline_mae:,.0f}"
        )
    )
    return ForecastRead(
        model=result.model,
        level=result.level,
        horizon=horizon,
        points=[
            ForecastPoint(period=s.period, mean=s.mean, lo=s.lo, hi=s.hi) for s in result.steps
        ],
        backtest_months=bt.months if bt else 0,
        model_mape_pct=bt.model_mape_pct if bt else None,
        baseline_mape_pct=bt.baseline_mape_pct if bt else None,
        model_mae=bt.model_mae if bt else None,
        baseline_mae=bt.baseline_mae if bt else None,
        beats_baseline=(bt.model_mae < bt.baseline_mae) if bt else None,
        note=note,
    )


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def report_summary(report: MarketReport) -> list[str]:
    """1.1.1-1.1.4 The market report as plain sentences (CLI, exports)."""
    d = report.dataset
    lines = [f"Market report: {d.category} / {d.market} ({d.currency}), source: {d.source or '-'}"]
    if report.months == 0:
        return [*lines, "No sales imported yet."]
    lines.append(
        f"Data: {report.first_period:%Y-%m} to {report.last_period:%Y-%m} ({report.months} months)"
    )
    lines.append(
        f"1.1.1 Market size, last 12 months: {Money(report.size_last_12m, d.currency)}, "
        f"{report.units_last_12m:,} units"
    )
    if report.maturity:
        lines.append(
            f"1.1.1 Maturity stage: {report.maturity.stage.value} ({report.maturity.explanation})"
        )
    if report.growth:
        g = report.growth
        growth = f"{g.growth_pct:+.1f} %" if g.growth_pct is not None else "n/a"
        lines.append(
            f"1.1.4 Growth vs stock: {g.kind.value} market, {growth} year on year; "
            f"{g.increment_share_pct:.1f} % of the last 12 months' sales is new demand"
        )
    for label, c in (
        ("sellers", report.concentration_by_seller),
        ("brands", report.concentration_by_brand),
    ):
        if c:
            lines.append(
                f"1.1.4 Concentration by {label}: CR4 {c.cr4:.1f} %, CR8 {c.cr8:.1f} %, "
                f"HHI {c.hhi:,.0f}: {c.reading.value.replace('_', ' ')} "
                f"(<{c.moderate_from} unconcentrated, {c.moderate_from}-{c.high_above} moderately, "
                f">{c.high_above} highly; {c.thresholds_source}); competition {c.intensity.value}, "
                f"like {c.equivalent_firms:.1f} equal-sized firms"
            )
    if report.seasonality:
        peaks = ", ".join(_MONTHS[m - 1] for m in report.peak_months) or "none"
        offs = ", ".join(_MONTHS[m - 1] for m in report.off_months) or "none"
        lines.append(f"1.1.4 Peak season: {peaks}; off season: {offs}")
    if report.turning_points:
        turns = ", ".join(f"{t.kind.value} {t.period:%Y-%m}" for t in report.turning_points)
        lines.append(f"1.1.4 Turning points (3-month average, moves of 10 % or more): {turns}")
    else:
        lines.append("1.1.4 Turning points: none (no move of 10 % or more)")
    if report.best_price_band:
        b = report.best_price_band
        lines.append(
            f"1.1.4 Best-selling price band: {Money(b.low, d.currency)} to "
            f"{Money(b.high, d.currency)} ({b.units_share_pct:.1f} % of units)"
        )
    if report.hot_attributes:
        hot = ", ".join(
            f"{a.attribute}{' (rising)' if a.rising else ''}" for a in report.hot_attributes[:8]
        )
        lines.append(f"1.1.4 Hot search attributes: {hot}")
    lines.extend(f"Note: {n}" for n in report.notes)
    return lines


# --- market data from the company's own records ----------------------------------------------------


def _month(value: dt.date | dt.datetime) -> dt.date:
    return dt.date(value.year, value.month, 1)


def import_company_market(
    session: Session, *, actor: Actor, category_code: str, currency: str = "USD"
) -> list[ImportResult]:
    """1.1.1 Build a category's market data (target market ``global``) from storeops' records.

    Sellers are the company itself (its paid, not cancelled order lines of the category in
    ``currency`` in the stores the actor works on, by month, brand and unit price) and its
    recorded competitors (their products of the category: weekly snapshots of price and estimated
    monthly sales, averaged per month). Search terms are the listings' search impressions of the
    category per month, a proxy for search volume. Goes through the same validation as a CSV import.
    """
    from storeops.catalog.models import (
        Category,
        Competitor,
        CompetitorProduct,
        CompetitorSnapshot,
        Listing,
        Product,
    )
    from storeops.marketing.models import SearchTermDaily
    from storeops.orders.enums import OrderStatus
    from storeops.orders.models import Order, OrderLine
    from storeops.stores.models import Company

    actor.require(Permission.MARKET_MANAGE)
    code = normalize_currency(currency)
    category = session.scalars(
        select(Category).where(
            Category.company_id == actor.company_id, Category.code == category_code.strip()
        )
    ).one_or_none()
    if category is None:
        raise InvalidInput(f"no category with code {category_code!r}", field="category")
    company_name = session.scalar(select(Company.name).where(Company.id == actor.company_id))
    stores = sorted(actor.store_ids)
    sales: dict[tuple[dt.date, str, str, int], list[int]] = defaultdict(lambda: [0, 0])
    own = session.execute(
        select(Order.paid_at, Product.brand, OrderLine.unit_price_amount, OrderLine.quantity,
               OrderLine.line_amount)
        .join(Order, Order.id == OrderLine.order_id)
        .join(Listing, Listing.id == OrderLine.listing_id)
        .join(Product, Product.id == Listing.product_id)
        .where(
            OrderLine.store_id.in_(stores),
            Product.category_id == category.id,
            OrderLine.currency == code,
            Order.paid_at.is_not(None),
            Order.status.not_in([OrderStatus.CANCELLED, OrderStatus.DRAFT]),
        )
    )  # fmt: skip
    for paid_at, brand, price, quantity, amount in own:
        cell = sales[(_month(paid_at), str(company_name), brand, int(price))]
        cell[0] += int(quantity)
        cell[1] += int(amount)
    snapshots: dict[tuple[dt.date, int], list[tuple[int, int]]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    rivals = session.execute(
        select(CompetitorSnapshot.observed_on, CompetitorProduct.id, Competitor.name,
               CompetitorProduct.brand, CompetitorSnapshot.price_amount,
               CompetitorSnapshot.est_monthly_sales)
        .join(CompetitorProduct, CompetitorProduct.id == CompetitorSnapshot.competitor_product_id)
        .join(Competitor, Competitor.id == CompetitorProduct.competitor_id)
        .where(
            CompetitorProduct.company_id == actor.company_id,
            CompetitorProduct.category_id == category.id,
            CompetitorProduct.currency == code,
        )
    )  # fmt: skip
    for observed, product_id, seller, brand, price, units in rivals:
        snapshots[(_month(observed), product_id)].append((int(price), int(units)))
        names[product_id] = (seller, brand)
    for (month, product_id), observed in snapshots.items():
        price = round(sum(p for p, _ in observed) / len(observed))
        units = round(sum(u for _, u in observed) / len(observed))
        seller, brand = names[product_id]
        cell = sales[(month, seller, brand, price)]
        cell[0] += units
        cell[1] += units * price
    if not sales:
        raise InvalidInput(
            f"no sales of category {category_code!r} in {code} in your stores or competitors",
            field="category",
        )
    digits = Money(0, code)
    lines = ["period,seller,brand,price,units,revenue"]
    for (month, seller, brand, price), (units, revenue) in sorted(sales.items()):
        row = [
            f"{month:%Y-%m}",
            seller,
            brand,
            str(Money(price, digits.currency).decimal),
            str(units),
            str(Money(revenue, digits.currency).decimal),
        ]
        lines.append(",".join(_csv_cell(v) for v in row))
    name = f"{category.name_en} ({category.code})"
    results = [
        import_market_sales(
            session,
            actor=actor,
            category=name,
            market="global",
            currency=code,
            csv_text="\n".join(lines) + "\n",
            source="storeops records: own sales and competitor snapshots",
        )
    ]
    terms = session.execute(
        select(SearchTermDaily.day, SearchTermDaily.keyword, SearchTermDaily.impressions)
        .join(Listing, Listing.id == SearchTermDaily.listing_id)
        .join(Product, Product.id == Listing.product_id)
        .where(SearchTermDaily.store_id.in_(stores), Product.category_id == category.id)
    )
    volume: dict[tuple[dt.date, str], int] = defaultdict(int)
    for day, keyword, impressions in terms:
        volume[(_month(day), " ".join(keyword.lower().split()))] += int(impressions)
    if volume:
        term_lines = ["period,term,volume"] + [
            f"{month:%Y-%m},{_csv_cell(term)},{count}"
            for (month, term), count in sorted(volume.items())
        ]
        results.append(
            import_search_terms(
                session,
                actor=actor,
                category=name,
                market="global",
                currency=code,
                csv_text="\n".join(term_lines) + "\n",
                source="storeops records: listing search impressions",
            )
        )
    return results


def _csv_cell(value: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([value])
    return buffer.getvalue()


def category_choices(session: Session, *, actor: Actor) -> list[tuple[str, str]]:
    """The company's product categories as (code, label) for building market data from records."""
    from storeops.catalog.models import Category

    actor.require(Permission.MARKET_READ)
    rows = session.execute(
        select(Category.code, Category.name_en)
        .where(Category.company_id == actor.company_id)
        .order_by(Category.code)
    )
    return [(code, f"{name} ({code})") for code, name in rows]


def select_products(*, request: ProductSelectionRequest, actor: Actor) -> list[ScoredProductRead]:
    """1.1.8 Score product candidates: keyword demand, competition, margin after fees and
    shipping, seasonality risk, compliance risk; weighted and explained."""
    from storeops.market import product_selection as ps

    actor.require(Permission.MARKET_READ)
    code = normalize_currency(request.currency)
    candidates = []
    for c in request.candidates:
        candidates.append(
            ps.Candidate(
                name=c.name.strip(),
                monthly_searches=c.monthly_searches,
                competing_listings=c.competing_listings,
                price=Money.parse(c.price, code).amount,
                unit_cost=Money.parse(c.unit_cost, code).amount,
                shipping_cost=Money.parse(c.shipping_cost, code).amount,
                fee_pct=c.fee_pct,
                seasonality_strength=c.seasonality_strength,
                certificates_needed=c.certificates_needed,
                has_battery=c.has_battery,
                has_liquid=c.has_liquid,
            )
        )
    return [
        ScoredProductRead(
            name=s.name,
            rank=s.rank,
            total=round(s.total, 4),
            margin=str(Money(s.margin, code)),
            margin_pct=round(s.margin_pct, 4),
            criteria=[
                ProductCriterionRead(
                    criterion=x.criterion, score=round(x.score, 4), weight=x.weight, reason=x.reason
                )
                for x in s.criteria
            ],
        )
        for s in ps.score_products(candidates, weights=request.weights)
    ]
