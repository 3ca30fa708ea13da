"""Value types shared by every domain: money, currencies, countries, time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pycountry

from storeops.errors import InvalidInput

# ISO 4217 minor units ("exponent") for every active currency whose exponent is not 2.
# Source: ISO 4217 list one (SIX Group, amendment 177); CLDR's "digits" differ for a few
# (IQD, LAK, ...), which is why this table is ISO's and not Babel's.
_ISO4217_EXPONENT_NOT_2: dict[str, int] = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
    "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "CLF": 4, "UYW": 4,
}  # fmt: skip
# Codes that pycountry lists but that are not money one can be paid in.
_NOT_TRADING_CURRENCIES = frozenset(
    {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"}
)


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """Every ISO 4217 currency storeops accepts."""
    return frozenset(c.alpha_3 for c in pycountry.currencies) - _NOT_TRADING_CURRENCIES


def normalize_currency(code: str) -> str:
    """``code`` upper-cased if it is an ISO 4217 currency; otherwise ``InvalidInput``."""
    normalized = (code or "").strip().upper()
    if normalized not in currency_codes():
        raise InvalidInput(
            f"unknown currency {code!r}: use an ISO 4217 code such as USD, EUR, CNY",
            field="currency",
        )
    return normalized


def minor_unit_digits(currency: str) -> int:
    """How many decimal digits the currency's minor unit has (JPY 0, USD 2, KWD 3)."""
    return _ISO4217_EXPONENT_NOT_2.get(normalize_currency(currency), 2)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in the currency's minor units (cents, fils, yen) plus its ISO 4217 code."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise InvalidInput(
                "money amounts are whole minor units (int), never floats", field="amount"
            )
        object.__setattr__(self, "currency", normalize_currency(self.currency))

    @classmethod
    def parse(cls, text: str | Decimal | int, currency: str) -> Money:
        """Money from a decimal text in major units: ``Money.parse("12.34", "USD")`` is 1234 cents."""
        digits = minor_unit_digits(currency)
        try:
            value = Decimal(str(text).strip().replace(",", ""))
        except InvalidOperation:
            raise InvalidInput(f"{text!r} is not an amount", field="amount") from None
        if not value.is_finite():
            raise InvalidInput(f"{text!r} is not an amount", field="amount")
        scaled = value.scaleb(digits)
        if scaled != scaled.to_integral_value():
            raise InvalidInput(
                f"{text!r} has more than {digits} decimal places for {currency.upper()}",
                field="amount",
            )
        return cls(int(scaled), currency)

    @property
    def decimal(self) -> Decimal:
        """The amount in major units, exact."""
        return Decimal(self.amount).scaleb(-minor_unit_digits(self.currency))

    def __str__(self) -> str:
        digits = minor_unit_digits(self.currency)
        return f"{self.decimal:.{digits}f} {self.currency}"

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise InvalidInput(
                f"cannot combine {self.currency} with {other.currency}", field="currency"
            )

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def times(self, factor: Decimal | int) -> Money:
        """The amount scaled by ``factor``, rounded half-to-even to a whole minor unit."""
        product = (Decimal(self.amount) * Decimal(factor)).quantize(
            Decimal(1), rounding=ROUND_HALF_EVEN
        )
        return Money(int(product), self.currency)


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 country code."""
    return frozenset(c.alpha_2 for c in pycountry.countries)


def normalize_country(code: str) -> str:
    """``code`` upper-cased if it is an ISO 3166-1 alpha-2 code; otherwise ``InvalidInput``."""
    normalized = (code or "").strip().upper()
    if normalized not in country_codes():
        raise InvalidInput(
            f"unknown country {code!r}: use an ISO 3166-1 alpha-2 code such as US, DE, CN",
            field="country",
        )
    return normalized


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def normalize_timezone(name: str) -> str:
    """``name`` if it is an IANA timezone such as ``America/Los_Angeles``; otherwise ``InvalidInput``."""
    try:
        if name not in _timezones():
            raise ZoneInfoNotFoundError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"unknown timezone {name!r}: use an IANA name such as Asia/Shanghai", field="timezone"
        ) from None
    return name


def utcnow() -> dt.datetime:
    """Now, timezone-aware in UTC: the only clock domain code reads."""
    return dt.datetime.now(dt.UTC)
