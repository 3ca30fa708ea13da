"""8.1.5 Export costing: from purchase cost to EXW / FOB / CFR / CIF / DDP prices.

All costs are in the company's base currency (CNY for a Chinese exporter); prices come out per unit
in the base currency and in the buyer's currency at the day's rate. The formulas (every rate a
fraction, e.g. 0.13):

    ex-VAT cost      = purchase cost (VAT included) / (1 + VAT rate)
    tax rebate       = ex-VAT cost × rebate rate
    actual cost  C   = purchase cost − tax rebate
    per-unit charges: packing k; per-shipment charges divided by the quantity: inland freight i,
    port charges p, main freight f, destination delivery d (DDP only)
    D  = 1 − commission rate − target margin          (both are shares of the quoted price)
    EXW = (C + k) / D
    FOB = (C + k + i + p) / D
    CFR = (C + k + i + p + f) / D
    CIF = (C + k + i + p + f) / (D − (1 + insurance markup) × insurance rate)
    DDP = (C + k + i + p + f + d + insurance + duty + import VAT) / D, where, on the CIF price,
          insurance = CIF × (1 + markup) × insurance rate, duty = CIF × duty rate,
          import VAT = CIF × (1 + duty rate) × import VAT rate
    price in the buyer's currency = base price / FX rate (base units per one unit of the buyer's
    currency), rounded half-up to the currency's minor unit.

Costing runs on exact decimals; only the final prices are rounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from storeops.errors import InvalidInput
from storeops.types import Money, minor_unit_digits, normalize_currency

INCOTERMS = ("EXW", "FOB", "CFR", "CIF", "DDP")


@dataclass(frozen=True)
class CostInputs:
    """What an export quotation is costed from (base-currency amounts in minor units)."""

    base_currency: str
    quote_currency: str
    fx_rate: Decimal  # base currency units per one unit of the quote currency (e.g. 7.10 CNY/USD)
    purchase_cost: int  # per unit, VAT included
    vat_rate: Decimal
    rebate_rate: Decimal
    packing_per_unit: int = 0
    inland_freight_per_shipment: int = 0
    port_charges_per_shipment: int = 0
    freight_per_shipment: int = 0
    insurance_rate: Decimal = Decimal(0)
    insurance_markup: Decimal = Decimal("0.10")
    commission_rate: Decimal = Decimal(0)
    target_margin: Decimal = Decimal(0)
    duty_rate: Decimal = Decimal(0)  # destination import duty (DDP)
    import_vat_rate: Decimal = Decimal(0)  # destination VAT (DDP)
    delivery_per_shipment: int = 0  # destination port to the buyer's door (DDP)
    quantities: tuple[int, ...] = field(default=(1,))

    def validated(self) -> CostInputs:
        """The inputs if they make sense; ``InvalidInput`` naming the first problem otherwise."""
        normalize_currency(self.base_currency)
        normalize_currency(self.quote_currency)
        if self.fx_rate <= 0:
            raise InvalidInput("the FX rate must be positive", field="fx_rate")
        if self.purchase_cost <= 0:
            raise InvalidInput("the purchase cost must be positive", field="purchase_cost")
        for name in (
            "packing_per_unit",
            "inland_freight_per_shipment",
            "port_charges_per_shipment",
            "freight_per_shipment",
            "delivery_per_shipment",
        ):
            if getattr(self, name) < 0:
                raise InvalidInput(f"{name} cannot be negative", field=name)
        for name in (
            "vat_rate",
            "rebate_rate",
            "insurance_rate",
            "insurance_markup",
            "commission_rate",
            "target_margin",
            "duty_rate",
            "import_vat_rate",
        ):
            value = getattr(self, name)
            if not Decimal(0) <= value < Decimal(1):
                raise InvalidInput(f"{name} must be a fraction from 0 to below 1", field=name)
        if self.rebate_rate > self.vat_rate:
            raise InvalidInput("the rebate rate cannot exceed the VAT rate", field="rebate_rate")
        if self._divisor() - (1 + self.insurance_markup) * self.insurance_rate <= 0:
            raise InvalidInput(
                "commission, margin and insurance leave nothing of the price", field="target_margin"
            )
        if not self.quantities or any(q <= 0 for q in self.quantities):
            raise InvalidInput("quantity breaks must be positive whole numbers", field="quantities")
        return self

    def _divisor(self) -> Decimal:
        return 1 - self.commission_rate - self.target_margin


@dataclass(frozen=True)
class BreakPrice:
    """The prices of one quantity break."""

    quantity: int
    unit_base: dict[str, Decimal]  # exact, base currency major units
    unit: dict[str, Money]  # rounded, quote currency
    total: dict[str, Money]  # unit price × quantity, quote currency


@dataclass(frozen=True)
class Costing:
    """8.1.5 The costing of one product: rebate, actual cost and the prices per quantity break."""

    inputs: CostInputs
    ex_vat_cost: Decimal
    rebate: Decimal
    actual_cost: Decimal
    breaks: tuple[BreakPrice, ...]


def _major(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-minor_unit_digits(currency))


def _round(value: Decimal, currency: str) -> Money:
    digits = minor_unit_digits(currency)
    minor = (value.scaleb(digits)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Money(int(minor), currency)


def cost_export_prices(inputs: CostInputs) -> Costing:
    """8.1.5 Compute EXW/FOB/CFR/CIF/DDP per unit for every quantity break (formulas above)."""
    data = inputs.validated()
    base, quote = normalize_currency(data.base_currency), normalize_currency(data.quote_currency)
    purchase = _major(data.purchase_cost, base)
    ex_vat = purchase / (1 + data.vat_rate)
    rebate = ex_vat * data.rebate_rate
    actual = purchase - rebate
    divisor = data._divisor()
    insured = (1 + data.insurance_markup) * data.insurance_rate
    breaks: list[BreakPrice] = []
    for quantity in data.quantities:
        q = Decimal(quantity)
        packing = _major(data.packing_per_unit, base)
        inland = _major(data.inland_freight_per_shipment, base) / q
        port = _major(data.port_charges_per_shipment, base) / q
        freight = _major(data.freight_per_shipment, base) / q
        delivery = _major(data.delivery_per_shipment, base) / q
        exw = (actual + packing) / divisor
        fob = (actual + packing + inland + port) / divisor
        cfr = (actual + packing + inland + port + freight) / divisor
        cif = (actual + packing + inland + port + freight) / (divisor - insured)
        insurance = cif * insured
        duty = cif * data.duty_rate
        import_vat = cif * (1 + data.duty_rate) * data.import_vat_rate
        ddp = (
            actual + packing + inland + port + freight + delivery + insurance + duty + import_vat
        ) / divisor
        unit_base = {"EXW": exw, "FOB": fob, "CFR": cfr, "CIF": cif, "DDP": ddp}
        unit = {term: _round(price / data.fx_rate, quote) for term, price in unit_base.items()}
        total = {term: Money(m.amount * quantity, quote) for term, m in unit.items()}
        breaks.append(BreakPrice(quantity=quantity, unit_base=unit_base, unit=unit, total=total))
    return Costing(
        inputs=data, ex_vat_cost=ex_vat, rebate=rebate, actual_cost=actual, breaks=tuple(breaks)
    )


def parse_quantities(values: Sequence[int | str]) -> tuple[int, ...]:
    """Quantity breaks, sorted and unique; ``InvalidInput`` for anything not a positive integer."""
    try:
        found = sorted({int(v) for v in values})
    except (TypeError, ValueError):
        raise InvalidInput("quantity breaks must be whole numbers", field="quantities") from None
    if not found or found[0] <= 0:
        raise InvalidInput("quantity breaks must be positive whole numbers", field="quantities")
    return tuple(found)
