"""7.1.1 / 7.3.2 Clock arithmetic over a store's service hours, in the store's own timezone.

A *window* is ``(weekday, opens_minute, closes_minute)`` in local time (``stores.ServiceHours``);
instants are UTC. Local wall-clock times are converted through ``zoneinfo``, so a window on a
daylight-saving day is as long as the clock says it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from zoneinfo import ZoneInfo

Window = tuple[int, int, int]
# A schedule with no window at all never reaches a working-time target; stop looking after a year.
_HORIZON_DAYS = 370


def _local_instant(day: dt.date, minute: int, zone: ZoneInfo) -> dt.datetime:
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    if minute >= 1440:
        nxt = day + dt.timedelta(days=1)
        return dt.datetime.combine(nxt, dt.time(0), tzinfo=zone).astimezone(dt.UTC)
    local = midnight.replace(hour=minute // 60, minute=minute % 60)
    return local.astimezone(dt.UTC)


def _spans(
    windows: Sequence[Window], zone: ZoneInfo, first_day: dt.date, days: int
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    by_day: dict[int, list[tuple[int, int]]] = {}
    for weekday, opens, closes in windows:
        by_day.setdefault(weekday, []).append((opens, closes))
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        for opens, closes in sorted(by_day.get(day.weekday(), [])):
            yield _local_instant(day, opens, zone), _local_instant(day, closes, zone)


def working_minutes(
    windows: Sequence[Window], timezone: str, start: dt.datetime, end: dt.datetime
) -> float:
    """Minutes of service hours between ``start`` and ``end`` (0 if ``end`` is not later)."""
    if end <= start:
        return 0.0
    zone = ZoneInfo(timezone)
    first_day = start.astimezone(zone).date() - dt.timedelta(days=1)
    days = (end.astimezone(zone).date() - first_day).days + 2
    total = dt.timedelta()
    for opens, closes in _spans(windows, zone, first_day, days):
        lo, hi = max(opens, start), min(closes, end)
        if hi > lo:
            total += hi - lo
    return total.total_seconds() / 60


def add_working_minutes(
    windows: Sequence[Window], timezone: str, start: dt.datetime, minutes: int
) -> dt.datetime | None:
    """The instant at which ``minutes`` of service hours have passed since ``start``.

    ``None`` when the schedule has no windows (no working clock to count on).
    """
    if not windows:
        return None
    zone = ZoneInfo(timezone)
    remaining = dt.timedelta(minutes=minutes)
    first_day = start.astimezone(zone).date() - dt.timedelta(days=1)
    for opens, closes in _spans(windows, zone, first_day, _HORIZON_DAYS):
        if closes <= start:
            continue
        lo = max(opens, start)
        available = closes - lo
        if remaining <= available:
            return lo + remaining
        remaining -= available
    return None
