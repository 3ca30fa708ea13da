"""Market data import (all-or-nothing, idempotent), the market report (1.1.1-1.1.4), the forecast
(1.1.3), on a hand-built category whose figures are worked out in the comments."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.errors import NotFound, PermissionDenied
from storeops.market import research
from storeops.market.errors import MarketImportInvalid
from storeops.market.forecast import forecast
from storeops.market.metrics import (
    ConcentrationReading,
    MarketKind,
    MaturityStage,
    Point,
    SeasonKind,
    TurnKind,
)
from storeops.market.models import MarketDataset, MarketSale
from tests.factories import make_company, make_member, owner_actor

# Seller, brand, unit price (USD), units a month in 2024 and in 2025; December sells double.
SELLERS = [
    ("A", "X", 20, 10, 15),
    ("B", "Y", 25, 8, 12),
    ("C", "X", 40, 5, 5),
    ("D", "Z", 50, 4, 4),
]


def sales_csv() -> str:
    lines = ["period,seller,brand,price,units"]
    for year in (2024, 2025):
        for month in range(1, 13):
            for seller, brand, price, units24, units25 in SELLERS:
                units = units24 if year == 2024 else units25
                if month == 12:
                    units *= 2
                lines.append(f"{year}-{month:02d},{seller},{brand},{price}.00,{units}")
    return "\n".join(lines) + "\n"


SEARCH_CSV = """period,term,volume
2025-11,wireless earbuds,1000
2025-11,earbuds waterproof,200
2025-12,wireless earbuds,1100
2025-12,earbuds waterproof,400
"""


def _import(session: Session, actor: object) -> int:
    result = research.import_market_sales(
        session,
        actor=actor,  # type: ignore[arg-type]
        category="Earbuds",
        market="us",
        currency="USD",
        csv_text=sales_csv(),
        source="hand-built test report",
    )
    research.import_search_terms(
        session,
        actor=actor,  # type: ignore[arg-type]
        category="Earbuds",
        market="US",
        currency="USD",
        csv_text=SEARCH_CSV,
    )
    return result.dataset_id


def test_import_and_report(session: Session) -> None:
    company = make_company(session)
    actor = owner_actor(session, company)
    dataset_id = _import(session, actor)
    report = research.market_report(session, dataset_id=dataset_id, actor=actor)

    assert report.dataset.market == "US"
    assert (report.first_period, report.last_period, report.months) == (
        dt.date(2024, 1, 1),
        dt.date(2025, 12, 1),
        24,
    )
    # 2025: A 300, B 300, C 200, D 200 USD a month, December double: 1000 × 11 + 2000 = 13,000 USD
    assert report.size_last_12m == 13_000_00
    assert report.units_last_12m == (15 + 12 + 5 + 4) * 13
    seller = report.concentration_by_seller
    assert seller is not None
    assert seller.hhi == pytest.approx(2600)  # 30² + 30² + 20² + 20²
    assert seller.cr4 == pytest.approx(100)
    assert seller.reading == ConcentrationReading.HIGHLY_CONCENTRATED
    assert seller.thresholds_source.startswith("U.S. DOJ & FTC Horizontal Merger Guidelines (2010)")
    brand = report.concentration_by_brand
    assert brand is not None
    assert brand.hhi == pytest.approx(3800)  # X 50 %, Y 30 %, Z 20 %
    assert [(s.name, round(s.share_pct)) for s in report.brand_segments] == [
        ("X", 50),
        ("Y", 30),
        ("Z", 20),
    ]
    # 2024: 800 × 11 + 1600 = 10,400; 2025: 13,000: +25 %
    assert report.growth is not None
    assert report.growth.growth_pct == pytest.approx(25)
    assert report.growth.kind == MarketKind.INCREMENTAL
    assert report.maturity is not None
    assert report.maturity.stage == MaturityStage.GROWTH
    # December: 1600 / (10400 / 12) = 1.846 in both years
    december = report.seasonality[11]
    assert december.index == pytest.approx(1600 / (10400 / 12))
    assert december.kind == SeasonKind.PEAK
    assert report.peak_months == [12]
    assert report.off_months == []
    # 3-month average: rises to (1600 + 1000 + 1000) / 3 = 1200 in January 2025, falls to 1000,
    # flat until October 2025, rises to 1333 in November
    assert [(t.period, t.kind) for t in report.turning_points] == [
        (dt.date(2025, 1, 1), TurnKind.PEAK),
        (dt.date(2025, 10, 1), TurnKind.TROUGH),
    ]
    assert report.turning_points[0].value == pytest.approx(1200_00)
    # bands of 5.00 USD: A's 20.00 band sells 15 × 11 + 30 = 195 of 468 units
    assert report.best_price_band is not None
    assert (report.best_price_band.low, report.best_price_band.high) == (2000, 2500)
    assert report.best_price_band.units == 195
    assert report.best_price_band.units_share_pct == pytest.approx(100 * 195 / 468)
    # search: "earbuds" is the category's word; waterproof grew 200 → 400
    assert [(a.attribute, a.volume, a.rising) for a in report.hot_attributes] == [
        ("wireless", 1100, False),
        ("waterproof", 400, True),
    ]


def test_reimport_is_idempotent(session: Session) -> None:
    company = make_company(session)
    actor = owner_actor(session, company)
    dataset_id = _import(session, actor)
    again = research.import_market_sales(
        session,
        actor=actor,
        category="Earbuds",
        market="US",
        currency="USD",
        csv_text=sales_csv(),
    )
    assert again.dataset_id == dataset_id
    assert again.rows == again.replaced == 24 * 4
    count = session.scalar(
        select(func.count()).select_from(MarketSale).where(MarketSale.dataset_id == dataset_id)
    )
    assert count == 96


def test_bad_rows_are_listed_and_nothing_is_written(session: Session) -> None:
    company = make_company(session)
    actor = owner_actor(session, company)
    bad = (
        "period,seller,brand,price,units\n"
        "2025-01,A,X,20.00,10\n"
        "2025-13,A,X,20.00,10\n"
        "2025-02,A,,20.001,-3\n"
        "2025-01,A,X,20.00,4\n"
    )
    with pytest.raises(MarketImportInvalid) as caught:
        research.import_market_sales(
            session, actor=actor, category="Earbuds", market="US", currency="USD", csv_text=bad
        )
    errors = caught.value.details["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [
        (3, "period"),
        (4, "brand"),
        (4, "price"),
        (4, "units"),
        (5, "period"),
    ]
    assert "5 error(s) in the sales file, nothing imported" in caught.value.message
    assert "row 4, price: '20.001' has more than 2 decimal places for USD" in caught.value.message
    assert session.scalar(select(func.count()).select_from(MarketDataset)) == 0


def test_missing_columns_and_bad_market(session: Session) -> None:
    actor = owner_actor(session, make_company(session))
    with pytest.raises(MarketImportInvalid, match="lacks the column"):
        research.import_market_sales(
            session,
            actor=actor,
            category="Earbuds",
            market="US",
            currency="USD",
            csv_text="period,seller,price\n2025-01,A,1\n",
        )
    with pytest.raises(Exception, match="unknown target market"):
        research.import_market_sales(
            session,
            actor=actor,
            category="Earbuds",
            market="Mars",
            currency="USD",
            csv_text=sales_csv(),
        )


def test_scoping_and_permissions(session: Session) -> None:
    company, other = make_company(session), make_company(session)
    dataset_id = _import(session, owner_actor(session, company))
    with pytest.raises(NotFound, match=f"market dataset {dataset_id} not found"):
        research.market_report(session, dataset_id=dataset_id, actor=owner_actor(session, other))
    _, viewer = make_member(session, company=company, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        research.market_report(session, dataset_id=dataset_id, actor=viewer)
    _, customer_service = make_member(session, company=company, role=Role.CUSTOMER_SERVICE)
    before = session.scalar(select(func.count()).select_from(MarketSale))
    with pytest.raises(PermissionDenied):
        research.import_market_sales(
            session,
            actor=customer_service,
            category="Earbuds",
            market="US",
            currency="USD",
            csv_text=sales_csv(),
        )
    assert session.scalar(select(func.count()).select_from(MarketSale)) == before


def _trend_season(months: int) -> list[Point]:
    # 1000 + 10 t, December + 300: a year-on-year step of 120 in every month
    points = []
    for t in range(months):
        year, month = 2023 + t // 12, t % 12 + 1
        points.append(Point(dt.date(year, month, 1), 1000.0 + 10 * t + (300 if month == 12 else 0)))
    return points


def test_forecast_has_intervals_and_beats_the_seasonal_naive_baseline() -> None:
    result = forecast(_trend_season(36), horizon=6, level=80)
    assert [s.period for s in result.steps] == [dt.date(2026, m, 1) for m in range(1, 7)]
    for step in result.steps:
        assert step.lo <= step.mean <= step.hi
    assert result.backtest is not None
    # seasonal naive repeats last year's month: every held-out month misses by 12 × 10
    assert result.backtest.baseline_mae == pytest.approx(120)
    assert result.backtest.model_mae < result.backtest.baseline_mae
    # January 2026 continues the trend: 1000 + 10 × 36
    assert result.steps[0].mean == pytest.approx(1360, rel=0.02)


def test_forecast_needs_two_years_and_a_contiguous_series() -> None:
    with pytest.raises(Exception, match="at least 24 months"):
        forecast(_trend_season(20))
    gap = _trend_season(30)
    del gap[5]
    with pytest.raises(Exception, match="gap"):
        forecast(gap)


def test_forecast_market_from_the_dataset(session: Session) -> None:
    actor = owner_actor(session, make_company(session))
    dataset_id = _import(session, actor)
    result = research.forecast_market(session, dataset_id=dataset_id, actor=actor, horizon=3)
    assert [p.period for p in result.points] == [dt.date(2026, m, 1) for m in (1, 2, 3)]
    assert result.backtest_months == 0  # 24 months: no room for a backtest
    assert result.beats_baseline is None
    assert result.note == "backtest needs 30 months of data"
