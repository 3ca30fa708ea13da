"""Cell parsers shared by importers. Each raises ``RowInvalid`` naming the column and reason."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal, InvalidOperation

from storeops.types import minor_unit_digits


class RowInvalid(Exception):
    """A cell of a row cannot be read; the parser turns it into a ``RowError``."""

    def __init__(self, column: str | None, reason: str, value: str | None = None) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason
        self.value = value


# Zone names that seller-centre reports print after their timestamps.
ZONE_OFFSETS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 60, "WEST": 60, "IST": 60,
    "MET": 60, "CET": 60, "MEZ": 60, "MEST": 120, "CEST": 120, "MESZ": 120,
    "EET": 120, "EEST": 180, "MSK": 180,
    "PST": -480, "PDT": -420, "MST": -420, "MDT": -360, "CST": -360, "CDT": -300,
    "EST": -300, "EDT": -240, "JST": 540, "KST": 540, "AEST": 600, "AEDT": 660,
}  # fmt: skip
# Zones whose reports write dates month first (US seller centres); the others day first.
_MONTH_FIRST = frozenset({"PST", "PDT", "MST", "MDT", "CST", "CDT", "EST", "EDT"})
_SLASHED = re.compile(
    r"^(\d{1,2})([/.])(\d{1,2})\2(\d{2,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([A-Za-z]{1,5})?$"
)


def text(cells: list[str], i: int, column: str, *, required: bool = False, limit: int = 0) -> str:
    """The stripped text of a cell (HTML entities kept); ``required`` refuses an empty one."""
    value = cells[i].strip()
    if required and not value:
        raise RowInvalid(column, "is empty", value)
    if limit and len(value) > limit:
        raise RowInvalid(column, f"is longer than {limit} characters", value[:80])
    return value


def clean_text(value: str) -> str:
    """Report text as people read it: HTML entities decoded, no-break spaces as spaces."""
    if "&" in value:
        value = html.unescape(value)
    return value.replace("\u00a0", " ").strip()


def parse_money(value: str, currency: str, column: str, *, allow_negative: bool = True) -> int:
    """A decimal amount in major units as integer minor units of ``currency``."""
    return parse_minor(value, minor_unit_digits(currency), currency, column, allow_negative)


def parse_minor(
    value: str, digits: int, currency: str, column: str, allow_negative: bool = True
) -> int:
    """``parse_money`` with the currency's minor-unit digits known (the fast path of importers)."""
    raw = value.strip()
    if not raw:
        return 0
    # fast path: plain "123", "-19.99", "0.5" (no grouping, no exponent, no underscores)
    whole, dot, frac = raw.partition(".")
    if (
        len(frac) <= digits
        and "_" not in raw
        and "," not in raw
        and (frac.isdigit() or not frac)
        and (whole.isdigit() or (whole[:1] == "-" and whole[1:].isdigit()) or whole in ("", "-"))
        and (whole not in ("", "-") or frac)
        and raw.isascii()
    ):
        fast = int((whole if whole not in ("", "-") else whole + "0") + frac.ljust(digits, "0"))
        if fast < 0 and not allow_negative:
            raise RowInvalid(column, "is negative", value)
        if abs(fast) >= 10**15:
            raise RowInvalid(column, "is out of range", value)
        return fast
    if "," in raw:
        if "." in raw:  # 1,234.56 or 1.234,56
            raw = (
                raw.replace(",", "")
                if raw.rfind(".") > raw.rfind(",")
                else raw.replace(".", "").replace(",", ".")
            )
        else:
            raw = (
                raw.replace(",", ".")
                if re.fullmatch(r"-?\d+,\d{1,3}", raw) and not re.fullmatch(r"-?\d{1,3},\d{3}", raw)
                else raw.replace(",", "")
            )
    if "_" in raw:
        raise RowInvalid(column, "is not an amount", value)
    whole, dot, frac = raw.partition(".")
    if whole.lstrip("-+").isdigit() and (not dot or frac.isdigit()) and len(frac) <= digits:
        sign = -1 if whole.startswith("-") else 1
        amount: int = int(whole.lstrip("-+")) * 10**digits + (
            int(frac.ljust(digits, "0")) if frac else 0
        )
        amount *= sign
    else:
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise RowInvalid(column, "is not an amount", value) from None
        if not number.is_finite():
            raise RowInvalid(column, "is not an amount", value)
        scaled = number.scaleb(digits)
        if scaled != scaled.to_integral_value():
            raise RowInvalid(
                column, f"has more than {digits} decimal places for {currency}", value
            ) from None
        amount = int(scaled)
    if amount < 0 and not allow_negative:
        raise RowInvalid(column, "is negative", value)
    if abs(amount) >= 10**15:
        raise RowInvalid(column, "is out of range", value)
    return amount


def parse_int(value: str, column: str, *, minimum: int = 0, maximum: int = 10**9) -> int:
    """A whole number between ``minimum`` and ``maximum``."""
    raw = value.strip()
    if raw.endswith(".0"):
        raw = raw[:-2]
    try:
        number = int(raw)
    except ValueError:
        raise RowInvalid(column, "is not a whole number", value) from None
    if not minimum <= number <= maximum:
        raise RowInvalid(column, f"must be between {minimum} and {maximum}", value)
    return number


def parse_datetime(
    value: str, column: str, *, default_offset_minutes: int | None = 0
) -> dt.datetime:
    """A report timestamp as aware UTC.

    Accepts ISO 8601 (``2024-03-01T10:00:00+00:00``, ``…Z``), ``2023-01-01 00:00:00 UTC`` and
    slashed or dotted dates with a zone name (``02/05/2020 05:18:00 MEST`` day first in Europe,
    ``03/15/2024 10:00:00 PST`` month first in the US). A time without zone takes
    ``default_offset_minutes`` (the store's), or is refused when that is ``None``.
    """
    raw = value.strip()
    if not raw:
        raise RowInvalid(column, "is empty", value)
    zone: str | None = None
    body = raw
    if " " in raw and raw.rsplit(" ", 1)[1].isalpha():
        body, zone = raw.rsplit(" ", 1)
        zone = zone.upper()
    stamp: dt.datetime | None = None
    if body[:4].isdigit() and len(body) >= 10 and body[4] == "-":
        try:
            stamp = dt.datetime.fromisoformat(body.replace("Z", "+00:00"))
        except ValueError:
            raise RowInvalid(column, "is not a date and time", value) from None
    else:
        match = _SLASHED.match(raw)
        if not match:
            raise RowInvalid(column, "is not a date and time", value)
        a, sep, b, year, hour, minute, second, zone_name = match.groups()
        zone = zone_name.upper() if zone_name else None
        first, second_part = int(a), int(b)
        month_first = sep == "/" and zone in _MONTH_FIRST
        day, month = (second_part, first) if month_first else (first, second_part)
        full_year = int(year) + (2000 if len(year) == 2 else 0)
        try:
            stamp = dt.datetime(  # noqa: DTZ001 (the zone is applied below)
                full_year, month, day, int(hour or 0), int(minute or 0), int(second or 0)
            )
        except ValueError:
            raise RowInvalid(column, "is not a valid date", value) from None
    if stamp.tzinfo is None:
        if zone is not None:
            if zone not in ZONE_OFFSETS:
                raise RowInvalid(column, f"has an unknown time zone {zone!r}", value)
            stamp = stamp.replace(tzinfo=dt.timezone(dt.timedelta(minutes=ZONE_OFFSETS[zone])))
        elif default_offset_minutes is None:
            raise RowInvalid(column, "has no time zone", value)
        else:
            stamp = stamp.replace(tzinfo=dt.timezone(dt.timedelta(minutes=default_offset_minutes)))
    elif zone is not None:
        raise RowInvalid(column, "has two time zones", value)
    if not 1970 <= stamp.year <= 2100:  # Amazon's sandbox examples are dated 1970
        raise RowInvalid(column, "is outside 1970-2100", value)
    return stamp.astimezone(dt.UTC)


def parse_bool(value: str, column: str) -> bool:
    """true/false, yes/no, y/n, 1/0."""
    raw = value.strip().lower()
    if raw in ("true", "yes", "y", "1"):
        return True
    if raw in ("false", "no", "n", "0", ""):
        return False
    raise RowInvalid(column, "is not true or false", value)
