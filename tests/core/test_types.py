from __future__ import annotations

from decimal import Decimal

import pytest

from storeops.errors import InvalidInput
from storeops.types import (
    Money,
    minor_unit_digits,
    normalize_country,
    normalize_currency,
    normalize_timezone,
)


@pytest.mark.parametrize(
    ("currency", "digits"),
    [("USD", 2), ("JPY", 0), ("KWD", 3), ("KRW", 0), ("CNY", 2), ("IQD", 3), ("CLF", 4)],
)
def test_minor_unit_digits_follow_iso_4217(currency: str, digits: int) -> None:
    assert minor_unit_digits(currency) == digits


def test_parse_and_format_respect_minor_units() -> None:
    assert Money.parse("12.34", "usd") == Money(1234, "USD")
    assert Money.parse("1500", "JPY") == Money(1500, "JPY")
    assert Money.parse("1.234", "KWD") == Money(1234, "KWD")
    assert str(Money(1234, "KWD")) == "1.234 KWD"
    assert str(Money(1500, "JPY")) == "1500 JPY"
    assert str(Money(-5, "USD")) == "-0.05 USD"
    assert Money(1234, "KWD").decimal == Decimal("1.234")


def test_parse_refuses_more_decimals_than_the_currency_has() -> None:
    with pytest.raises(InvalidInput, match=r"more than 0 decimal places for JPY"):
        Money.parse("10.5", "JPY")
    with pytest.raises(InvalidInput, match=r"'abc' is not an amount"):
        Money.parse("abc", "USD")


def test_money_is_never_a_float_and_never_mixes_currencies() -> None:
    with pytest.raises(InvalidInput, match="never floats"):
        Money(12.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="cannot combine USD with EUR"):
        Money(1, "USD") + Money(1, "EUR")
    assert Money(100, "USD") + Money(5, "USD") - Money(10, "USD") == Money(95, "USD")


def test_times_rounds_half_to_even() -> None:
    assert Money(5, "USD").times(Decimal("0.5")) == Money(2, "USD")
    assert Money(15, "USD").times(Decimal("0.5")) == Money(8, "USD")


def test_unknown_codes_name_the_field() -> None:
    with pytest.raises(InvalidInput, match="unknown currency 'XYZ'") as exc:
        normalize_currency("XYZ")
    assert exc.value.field == "currency"
    with pytest.raises(InvalidInput, match="unknown currency 'XAU'"):
        normalize_currency("XAU")
    with pytest.raises(InvalidInput, match="unknown country 'UK'"):
        normalize_country("UK")
    assert normalize_country("gb") == "GB"
    with pytest.raises(InvalidInput, match="unknown timezone 'Mars/Base'"):
        normalize_timezone("Mars/Base")
    assert normalize_timezone("Asia/Shanghai") == "Asia/Shanghai"
