"""Demand over time: trend, weekday, month, and the sales peaks sellers plan for."""

from __future__ import annotations

import datetime as dt

import numpy as np
from numpy.typing import NDArray

from storeops.simulate.world import EVENTS, RAMADAN_START, Event, StoreSpec

# Month multipliers (Jan..Dec) of the base demand before events.
B2C_MONTHS = np.array([0.92, 0.84, 0.95, 0.94, 0.95, 0.93, 1.0, 0.96, 0.95, 1.0, 1.18, 1.22])
B2B_MONTHS = np.array([0.95, 0.62, 1.12, 1.08, 1.02, 0.95, 0.88, 0.92, 1.12, 1.1, 1.05, 0.9])
B2C_WEEKDAYS = np.array([1.08, 1.02, 0.98, 0.97, 0.92, 0.95, 1.08])  # Monday..Sunday
B2B_WEEKDAYS = np.array([1.22, 1.2, 1.18, 1.15, 1.05, 0.55, 0.5])

# Chinese New Year (first day): supplier holidays slow B2B for ~3 weeks.
CHINESE_NEW_YEAR: dict[int, dt.date] = {
    2019: dt.date(2019, 2, 5), 2020: dt.date(2020, 1, 25), 2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1), 2023: dt.date(2023, 1, 22), 2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29), 2026: dt.date(2026, 2, 17), 2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26), 2029: dt.date(2029, 2, 13), 2030: dt.date(2030, 2, 3),
}  # fmt: skip

# Actual Prime Day dates where known; later years follow the rule "second Tuesday of July".
PRIME_DAY: dict[int, tuple[dt.date, int]] = {
    2019: (dt.date(2019, 7, 15), 2), 2020: (dt.date(2020, 10, 13), 2), 2021: (dt.date(2021, 6, 21), 2),
    2022: (dt.date(2022, 7, 12), 2), 2023: (dt.date(2023, 7, 11), 2), 2024: (dt.date(2024, 7, 16), 2),
    2025: (dt.date(2025, 7, 8), 4),
}  # fmt: skip


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def event_dates(event: Event, year: int) -> tuple[dt.date, int]:
    """First day and length of ``event`` in ``year``."""
    if event.key == "prime_day":
        return PRIME_DAY.get(year, (_nth_weekday(year, 7, 1, 2), 2))
    if event.key == "prime_big_deal":
        return _nth_weekday(year, 10, 1, 2), event.days
    if event.key == "bfcm":
        thanksgiving = _nth_weekday(year, 11, 3, 4)
        return thanksgiving + dt.timedelta(days=1), event.days
    if event.key == "ramadan":
        return RAMADAN_START[year], event.days
    return dt.date(year, event.month, event.day), event.days


def occurrences(
    store: StoreSpec, start: dt.date, end: dt.date
) -> list[tuple[Event, dt.date, dt.date]]:
    """Every event of the store between ``start`` and ``end``: (event, first day, last day)."""
    found: list[tuple[Event, dt.date, dt.date]] = []
    for key in store.events:
        event = EVENTS[key]
        for year in range(start.year - 1, end.year + 1):
            if year not in RAMADAN_START:
                continue
            first, length = event_dates(event, year)
            last = first + dt.timedelta(days=length - 1)
            if last >= start and first <= end:
                found.append((event, first, last))
    return sorted(found, key=lambda e: (e[1], e[0].key))


def daily_demand(
    store: StoreSpec, start: dt.date, days: int, *, opened_index: int, rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Relative demand per day (mean 1 over open days) and the day's event discount in percent.

    Ramadan lifts only buyers in Ramadan markets, so its lift is returned separately by ``mena_lift``.
    """
    dates = np.arange(days)
    date_objs = [start + dt.timedelta(days=int(d)) for d in dates]
    months = np.array([d.month - 1 for d in date_objs])
    weekdays = np.array([d.weekday() for d in date_objs])
    b2b = store.model.value == "b2b"
    month_factor = (B2B_MONTHS if b2b else B2C_MONTHS)[months]
    weekday_factor = (B2B_WEEKDAYS if b2b else B2C_WEEKDAYS)[weekdays]
    years = dates / 365.25
    trend = 1.0 + (0.22 if b2b else 0.35) * years  # the company grows
    ramp = np.clip((dates - opened_index + 1) / 90.0, 0.0, 1.0)  # a new store ramps up over 90 days
    ramp[dates < opened_index] = 0.0
    noise = rng.lognormal(0.0, 0.08, days)  # day-to-day variation beyond Poisson
    lift = np.ones(days)
    discount = np.zeros(days, dtype=np.int64)
    end = start + dt.timedelta(days=days - 1)
    for event, first, last in occurrences(store, start, end):
        if event.key == "ramadan":
            continue
        lo = max((first - start).days - event.lead_in_days, 0)
        hi = min((last - start).days, days - 1)
        event_lo = max((first - start).days, 0)
        if event.lead_in_days and event_lo > lo:
            lift[lo:event_lo] *= 0.85  # buyers wait for the sale
        lift[event_lo : hi + 1] *= event.lift
        discount[event_lo : hi + 1] = np.maximum(discount[event_lo : hi + 1], event.discount_pct)
    if b2b:
        for year, cny in CHINESE_NEW_YEAR.items():
            lo, hi = (cny - start).days - 7, (cny - start).days + 14
            if hi >= 0 and lo < days:
                lift[max(lo, 0) : min(hi, days - 1) + 1] *= 0.35
            _ = year
    demand = month_factor * weekday_factor * trend * ramp * noise * lift
    open_days = demand[dates >= opened_index]
    if open_days.size:
        demand = demand / open_days.mean()
    return demand, discount


def mena_lift(store: StoreSpec, start: dt.date, days: int) -> NDArray[np.float64]:
    """Extra demand multiplier for buyers in the Middle East and North Africa (Ramadan)."""
    lift = np.ones(days)
    if "ramadan" not in store.events:
        return lift
    end = start + dt.timedelta(days=days - 1)
    for event, first, last in occurrences(store, start, end):
        if event.key != "ramadan":
            continue
        lo, hi = max((first - start).days, 0), min((last - start).days, days - 1)
        lift[lo : hi + 1] = event.lift
        eid = (last - start).days + 1  # Eid al-Fitr gifts the days after
        if 0 <= eid < days:
            lift[eid : min(eid + 3, days)] = event.lift * 1.2
    return lift
