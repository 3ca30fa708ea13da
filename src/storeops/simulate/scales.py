"""Scales of a simulation: how many order lines, products and days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storeops.errors import InvalidInput

DEFAULT_START = dt.date(2024, 10, 1)
DEFAULT_END = dt.date(2026, 9, 30)  # two full years inside the bundled ECB rate history

NAMED_SCALES: dict[str, tuple[int, int]] = {
    # name: (order lines, days when --from/--to are not given)
    "tiny": (2_500, 120),
    "small": (30_000, 730),
    "medium": (1_000_000, 730),
    "large": (10_000_000, 730),
}
MIN_LINES, MAX_LINES = 200, 100_000_000


@dataclass(frozen=True)
class Scale:
    """How big a simulated company is."""

    name: str
    order_lines: int
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def products(self) -> int:
        """Products grow with the square-ish root of sales: big sellers have long tails, not clones."""
        return int(min(2_500, max(20, round(30 * (self.order_lines / 2_000) ** 0.33))))


def parse_scale(value: str, start: dt.date | None = None, end: dt.date | None = None) -> Scale:
    """A scale from ``tiny|small|medium|large`` or a number of order lines, with the period."""
    key = value.strip().lower().replace("_", "")
    if key in NAMED_SCALES:
        lines, default_days = NAMED_SCALES[key]
        name = key
    elif key.isdigit():
        lines, default_days, name = int(key), 730, f"{int(key)}-lines"
        if not MIN_LINES <= lines <= MAX_LINES:
            raise InvalidInput(
                f"--scale {value}: order lines must be between {MIN_LINES:,} and {MAX_LINES:,}",
                field="scale",
            )
    else:
        raise InvalidInput(
            f"unknown scale {value!r}: use tiny, small, medium, large or a number of order lines",
            field="scale",
        )
    if start is None and end is None:
        end = DEFAULT_END
        start = end - dt.timedelta(days=default_days - 1)
    elif start is None:
        assert end is not None
        start = end - dt.timedelta(days=default_days - 1)
    elif end is None:
        end = start + dt.timedelta(days=default_days - 1)
    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}", field="to")
    if (end - start).days + 1 < 28:
        raise InvalidInput("a simulation covers at least 28 days", field="to")
    if (end - start).days + 1 > 366 * 6:
        raise InvalidInput("a simulation covers at most 6 years", field="to")
    if start.year < 2019 or end.year > 2030:
        raise InvalidInput("simulated dates lie between 2019 and 2030", field="from")
    return Scale(name=name, order_lines=lines, start=start, end=end)
