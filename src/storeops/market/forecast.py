"""1.1.3 Market forecast: AutoETS from statsforecast with prediction intervals, backtested against
the seasonal-naive baseline (same month last year). Pure: numbers in, numbers out."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storeops.errors import InvalidInput
from storeops.market.metrics import Point

SEASON = 12
MIN_MONTHS = 24  # two seasons: AutoETS can fit a seasonal model and the baseline has a year back


@dataclass(frozen=True, slots=True)
class ForecastStep:
    period: dt.date
    mean: float
    lo: float
    hi: float


@dataclass(frozen=True, slots=True)
class Backtest:
    months: int
    model_mae: float
    baseline_mae: float
    model_mape_pct: float | None
    baseline_mape_pct: float | None


@dataclass(frozen=True, slots=True)
class Forecast:
    """1.1.3 Forecast of a monthly market series."""

    model: str
    level: int
    steps: tuple[ForecastStep, ...]
    backtest: Backtest | None


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _contiguous(points: Sequence[Point]) -> list[Point]:
    ordered = sorted(points, key=lambda p: p.period)
    for i, p in enumerate(ordered):
        expected = add_months(ordered[0].period, i)
        if p.period != expected:
            raise InvalidInput(
                f"the monthly series has a gap: expected {expected}, found {p.period}",
                field="series",
            )
    return ordered


def _ets(values: np.ndarray, horizon: int, level: int) -> dict[str, np.ndarray]:
    from statsforecast.models import AutoETS  # heavy import: only when forecasting

    result: dict[str, np.ndarray] = AutoETS(season_length=SEASON).forecast(
        y=values, h=horizon, level=[level]
    )
    return result


def _mape(actual: np.ndarray, predicted: np.ndarray) -> float | None:
    mask = actual != 0
    if not mask.any():
        return None
    return float(np.mean(np.abs((actual[mask] - predicted[mask]) / actual[mask])) * 100)


def backtest(points: Sequence[Point], *, months: int = 6) -> Backtest:
    """Hold out the last ``months`` months, fit on the rest, compare AutoETS and seasonal naive."""
    series = _contiguous(points)
    if len(series) < MIN_MONTHS + months:
        raise InvalidInput(
            f"a backtest over {months} months needs {MIN_MONTHS + months} months of data, "
            f"got {len(series)}",
            field="series",
        )
    values = np.array([p.value for p in series], dtype=float)
    train, actual = values[:-months], values[-months:]
    model = _ets(train, months, 80)["mean"]
    # seasonal naive: each held-out month takes the value of the same month a year earlier
    baseline = np.array([train[len(train) - SEASON + (i % SEASON)] for i in range(months)])
    return Backtest(
        months=months,
        model_mae=float(np.mean(np.abs(actual - model))),
        baseline_mae=float(np.mean(np.abs(actual - baseline))),
        model_mape_pct=_mape(actual, model),
        baseline_mape_pct=_mape(actual, baseline),
    )


def forecast(
    points: Sequence[Point], *, horizon: int = 6, level: int = 80, backtest_months: int = 6
) -> Forecast:
    """1.1.3 AutoETS forecast ``horizon`` months ahead with a ``level`` % prediction interval.

    Needs 24 contiguous months. The backtest runs when there are ``24 + backtest_months`` months.
    Forecast values below zero are cut to zero (market sales cannot be negative).
    """
    if not 1 <= horizon <= 24:
        raise InvalidInput("the forecast horizon is 1 to 24 months", field="horizon")
    if level not in (50, 80, 90, 95, 99):
        raise InvalidInput("the interval level is one of 50, 80, 90, 95, 99", field="level")
    series = _contiguous(points)
    if len(series) < MIN_MONTHS:
        raise InvalidInput(
            f"a forecast needs at least {MIN_MONTHS} months of data, got {len(series)}",
            field="series",
        )
    values = np.array([p.value for p in series], dtype=float)
    if not all(math.isfinite(v) for v in values):
        raise InvalidInput("the series has a value that is not a number", field="series")
    result = _ets(values, horizon, level)
    steps = tuple(
        ForecastStep(
            period=add_months(series[-1].period, i + 1),
            mean=max(0.0, float(result["mean"][i])),
            lo=max(0.0, float(result[f"lo-{level}"][i])),
            hi=max(0.0, float(result[f"hi-{level}"][i])),
        )
        for i in range(horizon)
    )
    check = (
        backtest(series, months=backtest_months)
        if len(series) >= MIN_MONTHS + backtest_months
        else None
    )
    return Forecast(model="AutoETS (statsforecast)", level=level, steps=steps, backtest=check)
