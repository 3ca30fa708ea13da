"""Market math of stage 1.1 of the standard as pure functions: no I/O, no database, no clock.

Every function takes plain numbers (sales, shares, prices in integer minor units, dated series) and
returns frozen dataclasses, so the analytics registry can wrap them as metrics and the market
services, the API, the console and the CLI all compute the same figure the same way.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from storeops.errors import InvalidInput

# --- concentration: CR-n and HHI (1.1.4) ------------------------------------------------------


class HhiGuidelines(StrEnum):
    """Which published HHI thresholds read a concentration figure."""

    #: U.S. DOJ & FTC, Horizontal Merger Guidelines (19 Aug 2010), section 5.3:
    #: unconcentrated below 1500, moderately concentrated 1500-2500, highly above 2500.
    HMG_2010 = "hmg_2010"
    #: U.S. DOJ & FTC, Merger Guidelines (18 Dec 2023), guideline 1: highly concentrated above
    #: 1800; the guidelines name no lower band, the agencies' commentary uses 1000.
    HMG_2023 = "hmg_2023"


@dataclass(frozen=True, slots=True)
class HhiThresholds:
    """The bands one guideline uses; ``moderate_from`` and ``high_above`` are inclusive/exclusive."""

    guidelines: HhiGuidelines
    moderate_from: int
    high_above: int
    source: str


HHI_THRESHOLDS: dict[HhiGuidelines, HhiThresholds] = {
    HhiGuidelines.HMG_2010: HhiThresholds(
        HhiGuidelines.HMG_2010,
        1500,
        2500,
        "U.S. DOJ & FTC Horizontal Merger Guidelines (2010), section 5.3",
    ),
    HhiGuidelines.HMG_2023: HhiThresholds(
        HhiGuidelines.HMG_2023,
        1000,
        1800,
        "U.S. DOJ & FTC Merger Guidelines (2023), guideline 1",
    ),
}

#: storeops reads HHI with the 2010 bands by default: they separate three bands that market
#: research (not merger control) needs, and most market-research tools and textbooks still quote
#: them. The 2023 bands are one argument away (``guidelines=HhiGuidelines.HMG_2023``).
DEFAULT_HHI_GUIDELINES = HhiGuidelines.HMG_2010


class ConcentrationReading(StrEnum):
    UNCONCENTRATED = "unconcentrated"
    MODERATELY_CONCENTRATED = "moderately_concentrated"
    HIGHLY_CONCENTRATED = "highly_concentrated"


class CompetitionIntensity(StrEnum):
    """How hard sellers compete, from the HHI's numbers-equivalent of equal-sized firms."""

    INTENSE = "intense"  # 10 or more equal-sized firms' worth of competition
    MODERATE = "moderate"  # 4 to 10
    LOW = "low"  # fewer than 4: a few sellers dominate


@dataclass(frozen=True, slots=True)
class Concentration:
    """1.1.4 Market concentration of one market: CR4, CR8, HHI and their reading."""

    firms: int
    shares: tuple[tuple[str, float], ...]  # (firm, percent), largest first
    cr4: float  # percent
    cr8: float  # percent
    hhi: float  # 0-10000, from percentage shares
    reading: ConcentrationReading
    thresholds: HhiThresholds
    equivalent_firms: float  # 10000 / HHI: as many equal-sized firms would give this HHI
    intensity: CompetitionIntensity


def market_shares(sales: Mapping[str, int | float]) -> list[tuple[str, float]]:
    """Each firm's share of the total in percent, largest first (ties by name)."""
    if not sales:
        raise InvalidInput("no sales to compute shares from", field="sales")
    for firm, value in sales.items():
        if value < 0 or not math.isfinite(value):
            raise InvalidInput(
                f"sales of {firm!r} must be zero or more, not {value}", field="sales"
            )
    total = sum(sales.values())
    if total <= 0:
        raise InvalidInput("total sales are zero: shares are undefined", field="sales")
    shares = [(firm, 100.0 * value / total) for firm, value in sales.items()]
    return sorted(shares, key=lambda item: (-item[1], item[0]))


def _check_shares(shares: Sequence[float]) -> None:
    if not shares:
        raise InvalidInput("no market shares given", field="shares")
    if any(s < 0 or s > 100 or not math.isfinite(s) for s in shares):
        raise InvalidInput("market shares are percentages between 0 and 100", field="shares")
    if sum(shares) > 100.0 + 1e-6:
        raise InvalidInput(
            f"market shares add up to {sum(shares):g} %, more than 100 %", field="shares"
        )


def concentration_ratio(shares: Sequence[float], n: int) -> float:
    """1.1.4 CR-n: the combined percentage share of the ``n`` largest firms."""
    if n < 1:
        raise InvalidInput("CR-n needs n of at least 1", field="n")
    _check_shares(shares)
    return float(sum(sorted(shares, reverse=True)[:n]))


def herfindahl_hirschman(shares: Sequence[float]) -> float:
    """1.1.4 HHI: the sum of squared percentage shares (10000 for a monopoly)."""
    _check_shares(shares)
    return float(sum(s * s for s in shares))


def read_hhi(
    hhi: float, guidelines: HhiGuidelines = DEFAULT_HHI_GUIDELINES
) -> ConcentrationReading:
    """The reading of an HHI under ``guidelines`` (2010: <1500, 1500-2500, >2500)."""
    bands = HHI_THRESHOLDS[guidelines]
    if hhi > bands.high_above:
        return ConcentrationReading.HIGHLY_CONCENTRATED
    if hhi >= bands.moderate_from:
        return ConcentrationReading.MODERATELY_CONCENTRATED
    return ConcentrationReading.UNCONCENTRATED


def competition_intensity(hhi: float) -> CompetitionIntensity:
    """1.1.4 Competition intensity from the numbers-equivalent 10000 / HHI (Adelman, 1969)."""
    equivalent = 10000.0 / hhi if hhi > 0 else math.inf
    if equivalent >= 10:
        return CompetitionIntensity.INTENSE
    if equivalent >= 4:
        return CompetitionIntensity.MODERATE
    return CompetitionIntensity.LOW


def concentration(
    sales: Mapping[str, int | float], guidelines: HhiGuidelines = DEFAULT_HHI_GUIDELINES
) -> Concentration:
    """1.1.4 CR4, CR8 and HHI of a market from each firm's sales, with the HHI's reading."""
    shares = market_shares(sales)
    values = [s for _, s in shares]
    hhi = herfindahl_hirschman(values)
    return Concentration(
        firms=len(shares),
        shares=tuple(shares),
        cr4=concentration_ratio(values, 4),
        cr8=concentration_ratio(values, 8),
        hhi=hhi,
        reading=read_hhi(hhi, guidelines),
        thresholds=HHI_THRESHOLDS[guidelines],
        equivalent_firms=10000.0 / hhi,
        intensity=competition_intensity(hhi),
    )


# --- dated series: growth vs stock, seasonality, turning points, maturity (1.1.1, 1.1.4) ----------


@dataclass(frozen=True, slots=True)
class Point:
    """One period of a series: the period's first day and its value."""

    period: dt.date
    value: float


def _series(points: Iterable[Point]) -> list[Point]:
    ordered = sorted(points, key=lambda p: p.period)
    for a, b in itertools.pairwise(ordered):
        if a.period == b.period:
            raise InvalidInput(f"the series has period {a.period} twice", field="series")
    for p in ordered:
        if not math.isfinite(p.value) or p.value < 0:
            raise InvalidInput(
                f"{p.period}: a market figure must be zero or more, not {p.value}", field="series"
            )
    return ordered


class MarketKind(StrEnum):
    """1.1.4 增量市场 / 存量市场: does new demand or existing demand carry the market?"""

    INCREMENTAL = "incremental"  # grows: new demand adds to last year's
    STOCK = "stock"  # flat: sellers fight over existing demand
    SHRINKING = "shrinking"


@dataclass(frozen=True, slots=True)
class GrowthPeriod:
    period: dt.date
    value: float
    previous: float  # the same period one cycle earlier
    increment: float  # value - previous (negative when the market shrank)
    stock: float  # min(value, previous): demand that was already there
    growth_pct: float | None  # None when the earlier period was zero


@dataclass(frozen=True, slots=True)
class GrowthStock:
    """1.1.4 Increment vs stock over the latest cycle, compared with the cycle before."""

    periods: tuple[GrowthPeriod, ...]
    latest_cycle_total: float
    previous_cycle_total: float
    increment_total: float
    growth_pct: float | None
    increment_share_pct: float  # share of the latest cycle's sales that is new demand
    kind: MarketKind
    band_pct: float


def growth_vs_stock(
    points: Iterable[Point], *, season_length: int = 12, stable_band_pct: float = 5.0
) -> GrowthStock:
    """1.1.4 增量与存量: each period against the same period a cycle earlier, and the verdict.

    The market is *incremental* when the latest cycle grew by more than ``stable_band_pct`` over
    the cycle before, *shrinking* when it fell by more than that, and a *stock* market otherwise.
    """
    series = _series(points)
    if len(series) < 2 * season_length:
        raise InvalidInput(
            f"growth vs stock needs two full cycles ({2 * season_length} periods), "
            f"got {len(series)}",
            field="series",
        )
    periods: list[GrowthPeriod] = []
    for i in range(season_length, len(series)):
        now, before = series[i].value, series[i - season_length].value
        periods.append(
            GrowthPeriod(
                period=series[i].period,
                value=now,
                previous=before,
                increment=now - before,
                stock=min(now, before),
                growth_pct=100.0 * (now - before) / before if before else None,
            )
        )
    latest = periods[-season_length:]
    latest_total = sum(p.value for p in latest)
    previous_total = sum(p.previous for p in latest)
    increment_total = latest_total - previous_total
    growth = 100.0 * increment_total / previous_total if previous_total else None
    new_demand = sum(max(p.increment, 0.0) for p in latest)
    if growth is None or growth > stable_band_pct:
        kind = MarketKind.INCREMENTAL
    elif growth < -stable_band_pct:
        kind = MarketKind.SHRINKING
    else:
        kind = MarketKind.STOCK
    return GrowthStock(
        periods=tuple(periods),
        latest_cycle_total=latest_total,
        previous_cycle_total=previous_total,
        increment_total=increment_total,
        growth_pct=growth,
        increment_share_pct=100.0 * new_demand / latest_total if latest_total else 0.0,
        kind=kind,
        band_pct=stable_band_pct,
    )


class SeasonKind(StrEnum):
    PEAK = "peak"  # 旺季
    OFF = "off"  # 淡季
    NORMAL = "normal"


@dataclass(frozen=True, slots=True)
class SeasonalIndex:
    position: int  # 1..season_length (the calendar month for monthly data)
    index: float  # 1.0 = an average period
    kind: SeasonKind


@dataclass(frozen=True, slots=True)
class Seasonality:
    """1.1.4 淡旺季: the seasonal index of each period of the cycle, peak and off seasons."""

    indices: tuple[SeasonalIndex, ...]
    cycles_used: int
    peak_positions: tuple[int, ...]
    off_positions: tuple[int, ...]
    strength: float  # max index - min index


def seasonality(
    points: Iterable[Point],
    *,
    season_length: int = 12,
    peak_at: float = 1.10,
    off_at: float = 0.90,
) -> Seasonality:
    """1.1.4 Seasonal indices by the ratio to each cycle's mean, averaged over full cycles.

    Monthly data: position = calendar month; a cycle is a calendar year (January-December) that
    the series covers completely. An index of at least ``peak_at`` marks a peak season (旺季), one
    of at most ``off_at`` an off season (淡季).
    """
    series = _series(points)
    if season_length != 12:
        raise InvalidInput(
            "seasonality works on monthly series (12 periods a cycle)", field="series"
        )
    by_year: dict[int, dict[int, float]] = defaultdict(dict)
    for p in series:
        by_year[p.period.year][p.period.month] = p.value
    full = {y: months for y, months in by_year.items() if len(months) == 12}
    if not full:
        raise InvalidInput(
            "seasonality needs at least one complete calendar year of monthly data",
            field="series",
        )
    ratios: dict[int, list[float]] = defaultdict(list)
    for months in full.values():
        mean = sum(months.values()) / 12
        if mean <= 0:
            continue
        for month, value in months.items():
            ratios[month].append(value / mean)
    if not ratios:
        raise InvalidInput("every complete year has zero sales", field="series")
    indices = []
    for month in range(1, 13):
        index = sum(ratios[month]) / len(ratios[month])
        kind = (
            SeasonKind.PEAK
            if index >= peak_at
            else SeasonKind.OFF
            if index <= off_at
            else SeasonKind.NORMAL
        )
        indices.append(SeasonalIndex(month, index, kind))
    values = [i.index for i in indices]
    return Seasonality(
        indices=tuple(indices),
        cycles_used=len(ratios[1]),
        peak_positions=tuple(i.position for i in indices if i.kind == SeasonKind.PEAK),
        off_positions=tuple(i.position for i in indices if i.kind == SeasonKind.OFF),
        strength=max(values) - min(values),
    )


class TurnKind(StrEnum):
    PEAK = "peak"  # rising before, falling after
    TROUGH = "trough"  # falling before, rising after


@dataclass(frozen=True, slots=True)
class TurningPoint:
    """1.1.4 数据拐点: the period where the (smoothed) series changes direction."""

    period: dt.date
    kind: TurnKind
    value: float  # the smoothed value at the turn
    change_before_pct: float
    change_after_pct: float


def moving_average(values: Sequence[float], window: int) -> list[float | None]:
    """Centered moving average of odd ``window``; ``None`` where the window does not fit."""
    if window < 1 or window % 2 == 0:
        raise InvalidInput("the smoothing window must be an odd number of periods", field="window")
    half = window // 2
    out: list[float | None] = []
    for i in range(len(values)):
        if i < half or i + half >= len(values):
            out.append(None)
        else:
            out.append(sum(values[i - half : i + half + 1]) / window)
    return out


def turning_points(
    points: Iterable[Point], *, window: int = 3, min_change_pct: float = 5.0
) -> list[TurningPoint]:
    """1.1.4 Peaks and troughs of the series smoothed by a centered ``window``-period average.

    A turn counts when the smoothed series moved by at least ``min_change_pct`` percent from the
    previous turn (or the start) to the turn, and by at least as much from the turn to the next
    turn (or the end): small wiggles are not turning points.
    """
    series = _series(points)
    smooth = moving_average([p.value for p in series], window)
    dated = [(series[i].period, v) for i, v in enumerate(smooth) if v is not None]
    if len(dated) < 3:
        return []
    # Candidate extremes: where the direction changes (flat stretches keep the earlier direction).
    extremes: list[tuple[int, TurnKind]] = []
    direction = 0
    for i in range(1, len(dated)):
        step = dated[i][1] - dated[i - 1][1]
        now = (step > 0) - (step < 0)
        if now == 0:
            continue
        if direction and now != direction:
            # the turn is the last point before the move in the new direction began
            j = i - 1
            kind = TurnKind.PEAK if direction > 0 else TurnKind.TROUGH
            extremes.append((j, kind))
        direction = now
    # Keep alternating extremes whose swing on both sides is large enough.
    anchors = [0, *(j for j, _ in extremes), len(dated) - 1]
    kinds = {j: k for j, k in extremes}
    changed = True
    while changed:
        changed = False
        for pos in range(1, len(anchors) - 1):
            prev_v, v, next_v = (dated[anchors[pos + d]][1] for d in (-1, 0, 1))
            before = _pct(prev_v, v)
            after = _pct(v, next_v)
            sign = 1 if kinds[anchors[pos]] == TurnKind.PEAK else -1
            if sign * before < min_change_pct or -sign * after < min_change_pct:
                del anchors[pos]
                # two neighbouring turns of the same kind: keep the more extreme one
                anchors = _alternate(anchors, kinds, dated)
                changed = True
                break
    result = []
    for pos in range(1, len(anchors) - 1):
        j = anchors[pos]
        prev_v, v, next_v = (dated[anchors[pos + d]][1] for d in (-1, 0, 1))
        result.append(
            TurningPoint(
                period=dated[j][0],
                kind=kinds[j],
                value=v,
                change_before_pct=_pct(prev_v, v),
                change_after_pct=_pct(v, next_v),
            )
        )
    return result


def _pct(start: float, end: float) -> float:
    if start == 0:
        return math.inf if end > 0 else (0.0 if end == 0 else -math.inf)
    return 100.0 * (end - start) / start


def _alternate(
    anchors: list[int], kinds: dict[int, TurnKind], dated: list[tuple[dt.date, float]]
) -> list[int]:
    inner = anchors[1:-1]
    merged: list[int] = []
    for j in inner:
        if merged and kinds[merged[-1]] == kinds[j]:
            keep_new = (
                dated[j][1] > dated[merged[-1]][1]
                if kinds[j] == TurnKind.PEAK
                else dated[j][1] < dated[merged[-1]][1]
            )
            if keep_new:
                merged[-1] = j
        else:
            merged.append(j)
    return [anchors[0], *merged, anchors[-1]]


class MaturityStage(StrEnum):
    """1.1.1 市场成熟度 from the growth curve (the S-curve of a product life cycle)."""

    INTRODUCTION = "introduction"  # growing, and growth is accelerating (before the inflection)
    GROWTH = "growth"  # growing, growth slowing (past the inflection)
    MATURITY = "maturity"  # growth within the stable band
    DECLINE = "decline"  # shrinking beyond the stable band


@dataclass(frozen=True, slots=True)
class Maturity:
    stage: MaturityStage
    growth_pct: float  # growth of the latest cycle over the one before
    previous_growth_pct: float | None  # growth of the cycle before over the one before it
    band_pct: float
    explanation: str


def maturity_stage(
    points: Iterable[Point], *, season_length: int = 12, stable_band_pct: float = 5.0
) -> Maturity:
    """1.1.1 Maturity stage from cycle-over-cycle growth and whether growth accelerates.

    Cycles are the trailing ``season_length`` periods (a rolling year on monthly data, so the
    seasons cancel). Growth above ``stable_band_pct`` that is faster than the cycle before is the
    introduction stage (the lower bend of the S-curve), growth that slows is the growth stage,
    growth within ±``stable_band_pct`` is maturity, a fall beyond it is decline. With only two
    cycles, growth above the band counts as the growth stage (acceleration is unknown).
    """
    series = _series(points)
    n = season_length
    if len(series) < 2 * n:
        raise InvalidInput(
            f"the maturity stage needs two full cycles ({2 * n} periods), got {len(series)}",
            field="series",
        )
    values = [p.value for p in series]
    latest = sum(values[-n:])
    before = sum(values[-2 * n : -n])
    if before <= 0:
        raise InvalidInput("the earlier cycle has no sales: growth is undefined", field="series")
    growth = 100.0 * (latest - before) / before
    previous: float | None = None
    if len(values) >= 3 * n:
        earliest = sum(values[-3 * n : -2 * n])
        previous = 100.0 * (before - earliest) / earliest if earliest > 0 else None
    band = stable_band_pct
    if growth < -band:
        stage = MaturityStage.DECLINE
        why = f"sales fell {-growth:.1f} % cycle over cycle, more than the {band:g} % band"
    elif growth <= band:
        stage = MaturityStage.MATURITY
        why = f"sales changed {growth:+.1f} %, within ±{band:g} %"
    elif previous is not None and growth > previous:
        stage = MaturityStage.INTRODUCTION
        why = f"growth is accelerating: {previous:+.1f} % then {growth:+.1f} %"
    else:
        stage = MaturityStage.GROWTH
        why = f"sales grew {growth:+.1f} %" + (
            f", slower than {previous:+.1f} % the cycle before" if previous is not None else ""
        )
    return Maturity(
        stage=stage,
        growth_pct=growth,
        previous_growth_pct=previous,
        band_pct=band,
        explanation=why,
    )


# --- price bands (1.1.4) -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriceBand:
    low: int  # minor units, inclusive
    high: int  # minor units, exclusive
    units: int
    revenue: int  # minor units
    units_share_pct: float
    revenue_share_pct: float


@dataclass(frozen=True, slots=True)
class PriceBands:
    """1.1.4 行业最佳价格波段: sales by price band and the band that sells most units."""

    width: int
    bands: tuple[PriceBand, ...]
    best: PriceBand


def nice_band_width(prices: Sequence[int], *, bands: int = 8) -> int:
    """A round band width (1, 2 or 5 × 10^k minor units) giving about ``bands`` bands."""
    if not prices:
        raise InvalidInput("no prices given", field="prices")
    spread = max(prices) - min(prices)
    if spread <= 0:
        return int(max(1, 10 ** max(0, len(str(max(prices))) - 2)))
    raw = spread / bands
    exponent = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 5, 10):
        if step * exponent >= raw:
            return max(1, int(step * exponent))
    return max(1, int(10 * exponent))  # pragma: no cover - the loop always returns


def price_bands(sales: Iterable[tuple[int, int]], *, width: int) -> PriceBands:
    """1.1.4 Units and revenue per price band of ``width`` minor units; the best band by units.

    ``sales`` are (unit price in minor units, units sold) pairs. Bands start at multiples of
    ``width`` (a 20.00-29.99 band for width 1000 cents). Ties go to the cheaper band.
    """
    if width <= 0:
        raise InvalidInput("the price band width must be positive", field="width")
    units: dict[int, int] = defaultdict(int)
    revenue: dict[int, int] = defaultdict(int)
    for price, quantity in sales:
        if price < 0 or quantity < 0:
            raise InvalidInput("prices and units must be zero or more", field="sales")
        low = (price // width) * width
        units[low] += quantity
        revenue[low] += price * quantity
    total_units, total_revenue = sum(units.values()), sum(revenue.values())
    if total_units == 0:
        raise InvalidInput("no units sold: there is no best-selling price band", field="sales")
    bands = tuple(
        PriceBand(
            low=low,
            high=low + width,
            units=units[low],
            revenue=revenue[low],
            units_share_pct=100.0 * units[low] / total_units,
            revenue_share_pct=100.0 * revenue[low] / total_revenue if total_revenue else 0.0,
        )
        for low in sorted(units)
    )
    best = max(bands, key=lambda b: (b.units, -b.low))
    return PriceBands(width=width, bands=bands, best=best)


# --- hot search attributes (1.1.4) ---------------------------------------------------------------

_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "without",
        "new",
        "2024",
        "2025",
        "2026",
    ]
)
_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SearchAttribute:
    attribute: str
    volume: int  # searches of terms carrying the attribute, latest period
    share_pct: float  # of all searches in the latest period
    previous_volume: int
    growth_pct: float | None  # None when new
    terms: int
    rising: bool


def search_attributes(
    terms: Iterable[tuple[dt.date, str, int]],
    *,
    exclude: Iterable[str] = (),
    rising_at_pct: float = 20.0,
    limit: int = 20,
) -> list[SearchAttribute]:
    """1.1.4 市场热搜属性: the words buyers add to searches, by volume in the latest period.

    ``terms`` are (period, search term, search volume). Every word of a term except stop words
    and ``exclude`` (e.g. the category's own nouns) is an attribute; its volume is the summed
    volume of the terms carrying it in the latest period, its growth against the period before.
    An attribute is *rising* when it grew by at least ``rising_at_pct`` percent, or is new.
    """
    rows = list(terms)
    if not rows:
        raise InvalidInput("no search terms given", field="terms")
    skip = _STOP_WORDS | {w.lower() for w in exclude}
    periods = sorted({p for p, _, _ in rows})
    latest = periods[-1]
    previous = periods[-2] if len(periods) > 1 else None
    volume: dict[str, int] = defaultdict(int)
    before: dict[str, int] = defaultdict(int)
    term_count: dict[str, set[str]] = defaultdict(set)
    total = 0
    for period, term, searches in rows:
        if searches < 0:
            raise InvalidInput(f"{term!r}: search volume must be zero or more", field="terms")
        words = {w.lower() for w in _TOKEN.findall(term)} - skip
        if period == latest:
            total += searches
            for w in words:
                volume[w] += searches
                term_count[w].add(term.lower())
        elif period == previous:
            for w in words:
                before[w] += searches
    result = []
    for word, searches in volume.items():
        prior = before.get(word, 0)
        growth = 100.0 * (searches - prior) / prior if prior else None
        result.append(
            SearchAttribute(
                attribute=word,
                volume=searches,
                share_pct=100.0 * searches / total if total else 0.0,
                previous_volume=prior,
                growth_pct=growth,
                terms=len(term_count[word]),
                rising=(growth is None and previous is not None)
                or (growth is not None and growth >= rising_at_pct),
            )
        )
    result.sort(key=lambda a: (-a.volume, a.attribute))
    return result[:limit]


# --- market size and segments (1.1.1 / 1.1.2) ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    name: str
    value: int
    share_pct: float


def segments(values: Mapping[str, int]) -> list[Segment]:
    """1.1.1 / 1.1.2 细分市场: each segment's size and share, largest first."""
    shares = dict(market_shares(values))
    return sorted(
        (Segment(name, values[name], shares[name]) for name in values),
        key=lambda s: (-s.value, s.name),
    )
