"""9.3.5 Export tax rebate (出口退税) cases: declaration, VAT invoices, FOB, rate, rebate, deadline.

The rebate follows the method for foreign-trade enterprises (外贸企业):
rebate = the VAT invoices' purchase amount (excluding VAT) x the HS code's rebate rate,
half-even to the fen. The FOB value is kept in CNY (converted at the export day's rate) for
the declaration and checked against the purchase amount. Deadline: the rebate must be declared
by 30 April of the year after the export (国家税务总局公告2018年第16号, art. 2).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.errors import Conflict, InvalidInput
from storeops.finance.enums import RebateStatus, rebate_transition
from storeops.finance.models import HsRebateRate, TaxRebateCase
from storeops.finance.rates import RateBook
from storeops.logistics.customs import normalize_hs_code
from storeops.orders.models import Order
from storeops.stores.models import Store
from storeops.types import Money, utcnow

_DECLARATION_NO = re.compile(r"^\d{18}$")


def set_rebate_rate(session: Session, *, hs_prefix: str, rate: str, actor: Actor) -> HsRebateRate:
    """9.3.5 Keep the rebate rate of an HS code prefix (e.g. ``8518`` → 0.13)."""
    actor.require(Permission.FINANCE_MANAGE)
    prefix = re.sub(r"[\s.]", "", hs_prefix)
    if not re.fullmatch(r"\d{2,10}", prefix):
        raise InvalidInput(f"HS prefix {hs_prefix!r} must be 2-10 digits", field="hs_prefix")
    value = Decimal(rate)
    if not Decimal(0) <= value <= Decimal("0.17"):
        raise InvalidInput("a rebate rate is between 0 and 0.17", field="rate")
    row = session.scalars(
        select(HsRebateRate).where(
            HsRebateRate.company_id == actor.company_id, HsRebateRate.hs_prefix == prefix
        )
    ).one_or_none()
    if row is None:
        row = HsRebateRate(company_id=actor.company_id, hs_prefix=prefix)
        session.add(row)
    row.rate = str(value)
    session.flush()
    return row


def rebate_rate_for(session: Session, *, hs_code: str, actor: Actor) -> Decimal | None:
    """The rate of the longest recorded prefix of ``hs_code``."""
    rows = session.scalars(select(HsRebateRate).where(HsRebateRate.company_id == actor.company_id))
    best = max((r for r in rows if hs_code.startswith(r.hs_prefix)),
               key=lambda r: len(r.hs_prefix), default=None)  # fmt: skip
    return Decimal(best.rate) if best else None


class VatInvoice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: str = Field(min_length=8, max_length=20)
    net: str = Field(description="amount excluding VAT, CNY")
    vat: str = Field(description="VAT on the invoice, CNY")


class RebateCaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    store_id: int
    order_id: int | None = None
    declaration_no: str
    exported_on: dt.date
    hs_code: str
    fob: str
    fob_currency: str
    vat_invoices: list[VatInvoice] = Field(min_length=1)
    rebate_rate: str | None = None


def rebate_deadline(exported_on: dt.date) -> dt.date:
    """30 April of the year after the export."""
    return dt.date(exported_on.year + 1, 4, 30)


def open_rebate_case(
    session: Session, *, data: RebateCaseIn, actor: Actor
) -> tuple[TaxRebateCase, list[str]]:
    """9.3.5 Open a rebate case and compute the rebate; returns the case and its warnings."""
    actor.require(Permission.FINANCE_MANAGE)
    store = get_scoped(session, Store, data.store_id, actor, what="store")
    if data.order_id is not None:
        get_scoped(session, Order, data.order_id, actor, what="order")
    number = data.declaration_no.strip()
    if not _DECLARATION_NO.match(number):
        raise InvalidInput(
            "the export declaration number (报关单号) has 18 digits", field="declaration_no"
        )
    if session.scalar(
        select(TaxRebateCase.id).where(
            TaxRebateCase.store_id == store.id, TaxRebateCase.declaration_no == number
        )
    ):
        raise Conflict(f"declaration {number} already has a rebate case", field="declaration_no")
    hs = normalize_hs_code(data.hs_code)
    rate = Decimal(data.rebate_rate) if data.rebate_rate else rebate_rate_for(
        session, hs_code=hs, actor=actor
    )  # fmt: skip
    if rate is None:
        raise InvalidInput(
            f"no rebate rate recorded for HS {hs}: give rebate_rate or record it first",
            field="rebate_rate",
        )
    if not Decimal(0) <= rate <= Decimal("0.17"):
        raise InvalidInput("a rebate rate is between 0 and 0.17", field="rebate_rate")
    invoices: list[dict[str, Any]] = []
    nets: list[int] = []
    vats: list[int] = []
    seen: set[str] = set()
    for inv in data.vat_invoices:
        if inv.number in seen:
            raise InvalidInput(f"invoice {inv.number} is listed twice", field="vat_invoices")
        seen.add(inv.number)
        net, vat = Money.parse(inv.net, "CNY"), Money.parse(inv.vat, "CNY")
        if net.amount <= 0 or vat.amount < 0:
            raise InvalidInput(f"invoice {inv.number} has no amount", field="vat_invoices")
        invoices.append({"number": inv.number, "net": net.amount, "vat": vat.amount})
        nets.append(net.amount)
        vats.append(vat.amount)
    invoice_net = sum(nets)
    fob = Money.parse(data.fob, data.fob_currency)
    fob_cny = RateBook(session, actor.company_id).convert(fob, "CNY", data.exported_on)
    rebate = int((Decimal(invoice_net) * rate).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    vat_total = sum(vats)
    warnings = []
    if fob_cny.amount < invoice_net:
        warnings.append(
            f"FOB {fob_cny} is below the purchase amount {Money(invoice_net, 'CNY')}: "
            "the tax office may question the price"
        )
    if rebate > vat_total:
        warnings.append(
            f"the rebate {Money(rebate, 'CNY')} exceeds the VAT paid {Money(vat_total, 'CNY')}"
        )
    case = TaxRebateCase(
        store_id=store.id, order_id=data.order_id, declaration_no=number,
        exported_on=data.exported_on, hs_code=hs, fob_cny=fob_cny.amount, vat_invoices=invoices,
        invoice_net_cny=invoice_net, rebate_rate=str(rate), rebate_cny=rebate,
        deadline=rebate_deadline(data.exported_on), status=RebateStatus.DRAFT,
    )  # fmt: skip
    session.add(case)
    session.flush()
    return case, warnings


def move_rebate_case(
    session: Session, *, case_id: int, status: RebateStatus, actor: Actor, on: dt.date | None = None
) -> TaxRebateCase:
    """9.3.5 File, approve, reject or mark paid; filing after the deadline is refused."""
    actor.require(Permission.FINANCE_MANAGE)
    case = get_scoped(session, TaxRebateCase, case_id, actor, what="rebate case")
    day = on or utcnow().date()
    if status == RebateStatus.FILED and day > case.deadline:
        raise Conflict(
            f"the deadline to declare this rebate was {case.deadline}; it can no longer be filed"
        )
    case.status = rebate_transition(case.status, status)
    if status == RebateStatus.FILED:
        case.filed_on = day
    if status == RebateStatus.PAID:
        case.paid_on = day
    session.flush()
    return case


def list_rebate_cases(session: Session, *, actor: Actor) -> list[TaxRebateCase]:
    """9.3.5 The rebate cases of the actor's stores, nearest deadline first."""
    actor.require(Permission.FINANCE_READ)
    return list(
        session.scalars(
            select(TaxRebateCase)
            .where(TaxRebateCase.store_id.in_(sorted(actor.store_ids)))
            .order_by(TaxRebateCase.deadline, TaxRebateCase.id)
        )
    )
