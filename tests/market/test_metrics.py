"""Market math (1.1.1-1.1.4) on hand-built figures whose expected values are worked out here."""

from __future__ import annotations

import datetime as dt

import pytest

from storeops.errors import InvalidInput
from storeops.market.metrics import (
    CompetitionIntensity,
    ConcentrationReading,
    HhiGuidelines,
    MarketKind,
    MaturityStage,
    Point,
    SeasonKind,
    TurnKind,
    concentration,
    concentration_ratio,
    growth_vs_stock,
    herfindahl_hirschman,
    maturity_stage,
    nice_band_width,
    price_bands,
    read_hhi,
    search_attributes,
    seasonality,
    segments,
    turning_points,
)


def monthly(values: list[float], start: dt.date = dt.date(2024, 1, 1)) -> list[Point]:
    points = []
    year, month = start.year, start.month
    for value in values:
        points.append(Point(dt.date(year, month, 1), value))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return points


# --- concentration ---------------------------------------------------------------------------


def test_textbook_shares_30_30_20_20() -> None:
    result = concentration({"A": 30, "B": 30, "C": 20, "D": 20})
    # 30² + 30² + 20² + 20² = 900 + 900 + 400 + 400
    assert result.hhi == pytest.approx(2600)
    assert result.cr4 == pytest.approx(100)
    assert result.reading == ConcentrationReading.HIGHLY_CONCENTRATED  # > 2500 (2010)
    assert result.thresholds.moderate_from == 1500
    assert result.thresholds.high_above == 2500
    assert "2010" in result.thresholds.source


def test_four_equal_firms_sit_on_the_2010_boundary() -> None:
    result = concentration({"A": 5, "B": 5, "C": 5, "D": 5})
    assert result.cr4 == pytest.approx(100)
    assert result.hhi == pytest.approx(2500)
    # "between 1500 and 2500" is moderately concentrated in 2010; above 1800 is high in 2023
    assert result.reading == ConcentrationReading.MODERATELY_CONCENTRATED
    assert read_hhi(2500, HhiGuidelines.HMG_2023) == ConcentrationReading.HIGHLY_CONCENTRATED
    assert result.equivalent_firms == pytest.approx(4)
    assert result.intensity == CompetitionIntensity.MODERATE


def test_monopoly() -> None:
    result = concentration({"only": 123})
    assert result.hhi == pytest.approx(10000)
    assert result.cr4 == pytest.approx(100)
    assert result.cr8 == pytest.approx(100)
    assert result.reading == ConcentrationReading.HIGHLY_CONCENTRATED
    assert result.intensity == CompetitionIntensity.LOW


def test_ten_equal_firms_read_differently_under_the_two_guidelines() -> None:
    result = concentration({f"F{i}": 7 for i in range(10)})
    assert result.hhi == pytest.approx(1000)  # 10 × 10²
    assert result.cr4 == pytest.approx(40)
    assert result.cr8 == pytest.approx(80)
    assert result.reading == ConcentrationReading.UNCONCENTRATED
    assert read_hhi(1000, HhiGuidelines.HMG_2023) == ConcentrationReading.MODERATELY_CONCENTRATED
    assert read_hhi(999, HhiGuidelines.HMG_2023) == ConcentrationReading.UNCONCENTRATED
    assert read_hhi(1500) == ConcentrationReading.MODERATELY_CONCENTRATED
    assert read_hhi(1499.9) == ConcentrationReading.UNCONCENTRATED
    assert result.intensity == CompetitionIntensity.INTENSE


def test_shares_from_sales_largest_first() -> None:
    result = concentration({"small": 20, "big": 50, "mid": 30})
    assert [firm for firm, _ in result.shares] == ["big", "mid", "small"]
    assert result.hhi == pytest.approx(2500 + 900 + 400)
    assert concentration_ratio([50, 30, 20], 2) == pytest.approx(80)
    assert herfindahl_hirschman([50, 30, 20]) == pytest.approx(3800)


@pytest.mark.parametrize("sales", [{}, {"a": -1, "b": 3}, {"a": 0, "b": 0}, {"a": float("nan")}])
def test_bad_sales_are_refused(sales: dict[str, float]) -> None:
    with pytest.raises(InvalidInput):
        concentration(sales)


def test_shares_over_100_percent_are_refused() -> None:
    with pytest.raises(InvalidInput, match="more than 100"):
        herfindahl_hirschman([60, 50])
    with pytest.raises(InvalidInput):
        concentration_ratio([50, 50], 0)


# --- growth vs stock ---------------------------------------------------------------------------


def test_growth_vs_stock_at_the_band_edge_is_a_stock_market() -> None:
    # year 1: 12 × 100 = 1200; year 2: 6 × 120 + 6 × 90 = 1260, +5.0 %
    result = growth_vs_stock(monthly([100] * 12 + [120] * 6 + [90] * 6))
    assert result.latest_cycle_total == 1260
    assert result.previous_cycle_total == 1200
    assert result.increment_total == 60
    assert result.growth_pct == pytest.approx(5.0)
    assert result.kind == MarketKind.STOCK
    # new demand: 6 × 20 of the 1260
    assert result.increment_share_pct == pytest.approx(100 * 120 / 1260)
    first = result.periods[0]
    assert (first.period, first.previous, first.increment, first.stock) == (
        dt.date(2025, 1, 1),
        100,
        20,
        100,
    )
    assert result.periods[6].stock == 90
    assert result.periods[6].growth_pct == pytest.approx(-10)


def test_growth_vs_stock_incremental_and_shrinking() -> None:
    assert growth_vs_stock(monthly([100] * 12 + [130] * 12)).kind == MarketKind.INCREMENTAL
    shrinking = growth_vs_stock(monthly([100] * 12 + [80] * 12))
    assert shrinking.kind == MarketKind.SHRINKING
    assert shrinking.growth_pct == pytest.approx(-20)


def test_growth_vs_stock_needs_two_cycles() -> None:
    with pytest.raises(InvalidInput, match="two full cycles"):
        growth_vs_stock(monthly([100] * 23))


def test_duplicate_periods_are_refused() -> None:
    points = [*monthly([1, 2]), Point(dt.date(2024, 1, 1), 5)]
    with pytest.raises(InvalidInput, match="twice"):
        turning_points(points)


# --- seasonality ---------------------------------------------------------------------------------


def test_seasonal_indices_find_peak_and_off_season() -> None:
    year = [100.0] * 12
    year[1], year[11] = 70.0, 160.0  # February, December
    # a third, partial year (January only) is left out
    points = monthly(year + [2 * v for v in year] + [999])
    result = seasonality(points)
    mean = (100 * 10 + 70 + 160) / 12  # 102.5
    by_month = {i.position: i for i in result.indices}
    assert by_month[12].index == pytest.approx(160 / mean)
    assert by_month[2].index == pytest.approx(70 / mean)
    assert by_month[5].index == pytest.approx(100 / mean)
    assert result.peak_positions == (12,)
    assert result.off_positions == (2,)
    assert by_month[5].kind == SeasonKind.NORMAL
    assert result.cycles_used == 2
    assert result.strength == pytest.approx((160 - 70) / mean)


def test_seasonality_needs_a_complete_year() -> None:
    with pytest.raises(InvalidInput, match="complete calendar year"):
        seasonality(monthly([1.0] * 12, start=dt.date(2024, 2, 1)))


# --- turning points ------------------------------------------------------------------------------


def test_turning_points_unsmoothed() -> None:
    points = monthly([100, 110, 120, 130, 120, 110, 100, 105, 115, 125])
    turns = turning_points(points, window=1)
    assert [(t.period, t.kind) for t in turns] == [
        (dt.date(2024, 4, 1), TurnKind.PEAK),
        (dt.date(2024, 7, 1), TurnKind.TROUGH),
    ]
    assert turns[0].change_before_pct == pytest.approx(30)
    assert turns[0].change_after_pct == pytest.approx(-30 / 130 * 100)
    assert turns[1].change_after_pct == pytest.approx(25)


def test_turning_points_on_a_three_month_average() -> None:
    points = monthly([100, 110, 120, 130, 120, 110, 100, 105, 115, 125])
    turns = turning_points(points, window=3)
    # smoothed April (120+130+120)/3, July (110+100+105)/3
    assert [(t.period, t.kind) for t in turns] == [
        (dt.date(2024, 4, 1), TurnKind.PEAK),
        (dt.date(2024, 7, 1), TurnKind.TROUGH),
    ]
    assert turns[0].value == pytest.approx(370 / 3)
    assert turns[1].value == pytest.approx(105)


def test_small_wiggles_are_not_turning_points() -> None:
    points = monthly([100, 120, 140, 139, 141, 120, 100])
    turns = turning_points(points, window=1)
    assert [(t.period, t.kind, t.value) for t in turns] == [
        (dt.date(2024, 5, 1), TurnKind.PEAK, 141)
    ]
    assert turning_points(monthly([100, 101, 100, 101, 100]), window=1) == []


def test_even_window_is_refused() -> None:
    with pytest.raises(InvalidInput, match="odd"):
        turning_points(monthly([1, 2, 3]), window=2)


# --- maturity ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "stage", "growth"),
    [
        ((100, 100, 90), MaturityStage.DECLINE, -10.0),
        ((100, 100, 103), MaturityStage.MATURITY, 3.0),
        ((100, 110, 130), MaturityStage.INTRODUCTION, 100 * 20 / 110),
        ((100, 130, 150), MaturityStage.GROWTH, 100 * 20 / 130),
        ((100, 120), MaturityStage.GROWTH, 20.0),
    ],
)
def test_maturity_stage(years: tuple[int, ...], stage: MaturityStage, growth: float) -> None:
    values = [float(v) for v in years for _ in range(12)]
    result = maturity_stage(monthly(values))
    assert result.stage == stage
    assert result.growth_pct == pytest.approx(growth)


def test_maturity_reports_previous_growth() -> None:
    result = maturity_stage(monthly([100.0] * 12 + [110.0] * 12 + [130.0] * 12))
    assert result.previous_growth_pct == pytest.approx(10)
    assert "accelerating" in result.explanation


# --- price bands ---------------------------------------------------------------------------------


def test_best_selling_price_band() -> None:
    result = price_bands([(1999, 10), (2499, 30), (2999, 5), (1500, 20)], width=1000)
    assert [(b.low, b.high, b.units, b.revenue) for b in result.bands] == [
        (1000, 2000, 30, 1999 * 10 + 1500 * 20),
        (2000, 3000, 35, 2499 * 30 + 2999 * 5),
    ]
    assert (result.best.low, result.best.high) == (2000, 3000)
    assert result.best.units_share_pct == pytest.approx(100 * 35 / 65)


def test_band_ties_go_to_the_cheaper_band_and_bad_input_is_refused() -> None:
    assert price_bands([(500, 4), (1500, 4)], width=1000).best.low == 0
    with pytest.raises(InvalidInput):
        price_bands([(500, 4)], width=0)
    with pytest.raises(InvalidInput, match="no units"):
        price_bands([(500, 0)], width=100)


def test_nice_band_width() -> None:
    assert nice_band_width([1000, 9000]) == 1000  # 8000 / 8
    assert nice_band_width([199, 3499]) == 500  # 412.5 → 500


# --- hot search attributes -----------------------------------------------------------------------


def test_hot_search_attributes() -> None:
    oct_, nov = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
    terms = [
        (oct_, "wireless earbuds bluetooth", 1000),
        (oct_, "earbuds waterproof", 200),
        (nov, "Wireless Earbuds Bluetooth", 1100),
        (nov, "earbuds waterproof", 400),
        (nov, "earbuds for noise-cancelling", 300),
    ]
    result = search_attributes(terms, exclude=["earbuds"])
    assert [(a.attribute, a.volume) for a in result] == [
        ("bluetooth", 1100),
        ("wireless", 1100),
        ("waterproof", 400),
        ("noise-cancelling", 300),
    ]
    wireless, waterproof, noise = result[1], result[2], result[3]
    assert wireless.share_pct == pytest.approx(100 * 1100 / 1800)
    assert wireless.growth_pct == pytest.approx(10)
    assert not wireless.rising
    assert waterproof.growth_pct == pytest.approx(100)
    assert waterproof.rising
    assert noise.growth_pct is None
    assert noise.rising


def test_segments() -> None:
    result = segments({"budget": 300, "premium": 100, "mid": 600})
    assert [(s.name, s.share_pct) for s in result] == [
        ("mid", pytest.approx(60)),
        ("budget", pytest.approx(30)),
        ("premium", pytest.approx(10)),
    ]
