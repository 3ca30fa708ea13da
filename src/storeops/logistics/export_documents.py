"""9.2.1 Export documents from a contract or order, as PDF: commercial invoice, packing list,
bill of exchange, and a certificate-of-origin application draft (WeasyPrint; Chinese product
names need a CJK font such as fonts-noto-cjk)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.catalog.models import Product, Sku
from storeops.crm.models import Buyer
from storeops.errors import InvalidInput
from storeops.orders.models import Contract, Order, OrderLine
from storeops.stores.models import Company, Store
from storeops.types import Money, minor_unit_digits, utcnow


class ExportDocument(StrEnum):
    COMMERCIAL_INVOICE = "commercial_invoice"
    PACKING_LIST = "packing_list"
    BILL_OF_EXCHANGE = "bill_of_exchange"
    ORIGIN_APPLICATION = "origin_application"


_ONES = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN", "ELEVEN", "TWELVE", "THIRTEEN", "FOURTEEN", "FIFTEEN", "SIXTEEN", "SEVENTEEN", "EIGHTEEN", "NINETEEN"]  # fmt: skip
_TENS = ["_", "_", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY"]
_SCALES = ((10**9, "BILLION"), (10**6, "MILLION"), (1000, "THOUSAND"))
CURRENCY_WORDS = {"USD": ("US DOLLARS", "CENTS"), "EUR": ("EUROS", "CENTS"),
                  "GBP": ("POUNDS STERLING", "PENCE"), "CNY": ("CHINESE YUAN", "FEN"),
                  "JPY": ("JAPANESE YEN", ""), "AUD": ("AUSTRALIAN DOLLARS", "CENTS")}  # fmt: skip


def _words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " HUNDRED" + ("" if rest == 0 else " AND " + _words(rest))
    for size, name in _SCALES:
        if n >= size:
            rest = n % size
            tail = "" if rest == 0 else (" AND " if rest < 100 else " ") + _words(rest)
            return _words(n // size) + " " + name + tail
    raise AssertionError(n)


def amount_in_words(money: Money) -> str:
    """``SAY US DOLLARS ONE HUNDRED FIFTY AND CENTS FIFTY ONLY``, as trade documents write it."""
    major_name, minor_name = CURRENCY_WORDS.get(money.currency, (money.currency, "CENTS"))
    digits = minor_unit_digits(money.currency)
    major, minor = divmod(abs(money.amount), 10**digits)
    text = f"SAY {major_name} {_words(major)}"
    if minor and minor_name:
        text += f" AND {minor_name} {_words(minor)}"
    return text + " ONLY"


@dataclass(frozen=True, slots=True)
class DocLine:
    description_en: str
    description_zh: str
    hs_code: str
    sku: str
    quantity: int
    unit_price: Money
    amount: Money
    net_weight_g: int
    volume_cm3: int


@dataclass(frozen=True, slots=True)
class DocData:
    company: str
    store: str
    order: Order
    contract: Contract | None
    buyer_name: str
    buyer_country: str
    lines: list[DocLine]
    total: Money
    issued: dt.date

    @property
    def number(self) -> str:
        return self.contract.number if self.contract else self.order.external_id


def document_data(session: Session, *, order: Order, actor: Actor) -> DocData:
    """The facts every export document of an order shows."""
    actor.require(Permission.LOGISTICS_READ)
    order = get_scoped(session, Order, order.id, actor, what="order")
    store = session.get_one(Store, order.store_id)
    company = session.get_one(Company, store.company_id)
    buyer = session.get_one(Buyer, order.buyer_id)
    contract = session.scalars(
        select(Contract).where(Contract.order_id == order.id).order_by(Contract.id)
    ).first()
    rows = session.execute(
        select(OrderLine, Sku, Product)
        .join(Sku, Sku.id == OrderLine.sku_id)
        .join(Product, Product.id == Sku.product_id)
        .where(OrderLine.order_id == order.id)
        .order_by(OrderLine.id)
    ).all()
    if not rows:
        raise InvalidInput(f"order {order.id} has no lines", field="order_id")
    lines = [
        DocLine(
            description_en=p.name_en,
            description_zh=p.name_zh,
            hs_code=p.hs_code,
            sku=s.code,
            quantity=line.quantity,
            unit_price=Money(line.unit_price_amount, line.currency),
            amount=Money(line.line_amount, line.currency),
            net_weight_g=line.quantity * s.weight_g,
            volume_cm3=line.quantity * s.length_mm * s.width_mm * s.height_mm // 1000,
        )
        for line, s, p in rows
    ]
    return DocData(
        company=company.name, store=store.name, order=order, contract=contract,
        buyer_name=buyer.company_name or buyer.handle, buyer_country=buyer.country, lines=lines,
        total=Money(order.total_amount, order.currency), issued=utcnow().date(),
    )  # fmt: skip


CSS = """
@page { size: A4; margin: 16mm 14mm; @bottom-right { content: counter(page) " / " counter(pages);
  font-size: 8pt; } }
body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; font-size: 9pt; color: #111; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; letter-spacing: 1px; }
.draft { color: #b45309; text-align: center; font-weight: bold; }
table { width: 100%; border-collapse: collapse; margin: 3mm 0; }
th, td { border: 1px solid #444; padding: 1.5mm; vertical-align: top; }
th { background: #eee; font-weight: bold; text-align: left; }
.num { text-align: right; white-space: nowrap; }
.parties td { width: 50%; }
.words { font-weight: bold; margin-top: 2mm; }
.sign { margin-top: 14mm; text-align: right; }
"""


def _page(title: str, body: str, *, draft: bool = False) -> str:
    note = '<p class="draft">DRAFT 草稿 — for checking before submission</p>' if draft else ""
    return (f"<html><head><meta charset='utf-8'><style>{CSS}</style></head><body>"
            f"<h1>{escape(title)}</h1>{note}{body}</body></html>")  # fmt: skip


def _parties(d: DocData, left: str = "Seller / Exporter", right: str = "Buyer / Consignee") -> str:
    contract = (f"Contract No. {escape(d.contract.number)} · {escape(d.contract.incoterm)}"
                if d.contract else "")  # fmt: skip
    return (
        f'<table class="parties"><tr><th>{left}</th><th>{right}</th></tr>'
        f"<tr><td>{escape(d.company)}<br>{escape(d.store)}</td>"
        f"<td>{escape(d.buyer_name)}<br>{escape(d.buyer_country)}</td></tr></table>"
        f"<p>No. {escape(d.number)} · Order {escape(d.order.external_id)} · "
        f"Date {d.issued:%Y-%m-%d} {contract}</p>"
    )


def _invoice(d: DocData) -> str:
    rows = "".join(
        f"<tr><td>{escape(x.description_en)}<br>{escape(x.description_zh)}</td>"
        f"<td>{escape(x.hs_code)}</td><td class='num'>{x.quantity}</td>"
        f"<td class='num'>{x.unit_price}</td><td class='num'>{x.amount}</td></tr>"
        for x in d.lines
    )
    o = d.order
    cur = o.currency
    extra = (f"<tr><td colspan='4'>Freight</td><td class='num'>{Money(o.shipping_amount, cur)}</td></tr>"
             if o.shipping_amount else "")  # fmt: skip
    if o.discount_amount:
        extra += (f"<tr><td colspan='4'>Discount</td>"
                  f"<td class='num'>-{Money(o.discount_amount, cur)}</td></tr>")  # fmt: skip
    body = (
        _parties(d) + "<table><tr><th>Description of goods</th><th>HS code</th><th>Quantity</th>"
        "<th>Unit price</th><th>Amount</th></tr>"
        + rows
        + extra
        + f"<tr><th colspan='4'>TOTAL</th><th class='num'>{d.total}</th></tr></table>"
        + f"<p class='words'>{amount_in_words(d.total)}</p>"
        + f"<p class='sign'>{escape(d.company)}<br>(authorised signature)</p>"
    )
    return _page("COMMERCIAL INVOICE 商业发票", body)


def _packing(d: DocData) -> str:
    rows = "".join(
        f"<tr><td>{escape(x.sku)}</td><td>{escape(x.description_en)}<br>"
        f"{escape(x.description_zh)}</td><td class='num'>{x.quantity}</td>"
        f"<td class='num'>{Decimal(x.net_weight_g) / 1000:.3f}</td>"
        f"<td class='num'>{Decimal(x.volume_cm3) / 1_000_000:.4f}</td></tr>"
        for x in d.lines
    )
    qty = sum(x.quantity for x in d.lines)
    kg = Decimal(sum(x.net_weight_g for x in d.lines)) / 1000
    cbm = Decimal(sum(x.volume_cm3 for x in d.lines)) / 1_000_000
    body = (
        _parties(d)
        + "<table><tr><th>SKU</th><th>Description</th><th>Quantity</th><th>Net weight kg</th>"
        "<th>Volume m³</th></tr>"
        + rows
        + f"<tr><th colspan='2'>TOTAL</th><th class='num'>{qty}</th><th class='num'>{kg:.3f}</th>"
        f"<th class='num'>{cbm:.4f}</th></tr></table>"
        "<p>Gross weight and cartons: packaging is not recorded in storeops; add them before "
        "shipment.</p>"
    )
    return _page("PACKING LIST 装箱单", body)


def _bill(d: DocData, tenor_days: int) -> str:
    tenor = "at sight" if tenor_days == 0 else f"at {tenor_days} days after sight"
    body = (
        f"<p>No. {escape(d.number)} &nbsp;&nbsp; Date {d.issued:%Y-%m-%d}</p>"
        f"<p><b>Exchange for {d.total}</b></p>"
        f"<p>{tenor.capitalize()} of this FIRST of Exchange (SECOND of the same tenor and date "
        f"unpaid) pay to the order of {escape(d.company)} the sum of "
        f"<b>{amount_in_words(d.total)}</b>.</p>"
        f"<p>Drawn under contract / order No. {escape(d.number)} "
        f"(order {escape(d.order.external_id)}).</p>"
        f"<p>To (drawee): {escape(d.buyer_name)}, {escape(d.buyer_country)}</p>"
        f"<p class='sign'>For and on behalf of {escape(d.company)}<br>(drawer's signature)</p>"
    )
    return _page("BILL OF EXCHANGE 汇票", body)


def _origin(d: DocData) -> str:
    rows = "".join(
        f"<tr><td>{i}</td><td>{escape(x.description_en)}<br>{escape(x.description_zh)}</td>"
        f'<td>{escape(x.hs_code)}</td><td>to be confirmed (e.g. "P" wholly obtained / '
        f"\"W\" + heading)</td><td class='num'>{x.quantity} PCS</td></tr>"
        for i, x in enumerate(d.lines, start=1)
    )
    body = (
        _parties(d, "1. Exporter 出口商", "2. Consignee 收货人")
        + "<table><tr><th>3. Means of transport and route</th><td>From China to "
        f"{escape(d.buyer_country)} (fill in vessel / flight)</td></tr>"
        f"<tr><th>4. Country of destination</th><td>{escape(d.buyer_country)}</td></tr></table>"
        "<table><tr><th>Item</th><th>Description of goods</th><th>HS code</th>"
        "<th>Origin criterion</th><th>Quantity</th></tr>" + rows + "</table>"
        f"<p>Invoice No. {escape(d.number)} dated {d.issued:%Y-%m-%d}; value {d.total}</p>"
        "<p>Declaration by the exporter: the details and statements above are correct; all the "
        "goods were produced in China.</p>"
    )
    return _page("CERTIFICATE OF ORIGIN — APPLICATION 原产地证明书申请书", body, draft=True)


def render_export_document(
    session: Session, *, order: Order, kind: ExportDocument, actor: Actor, tenor_days: int = 0
) -> bytes:
    """9.2.1 One export document of an order (or its contract) as PDF."""
    from weasyprint import HTML

    if tenor_days < 0:
        raise InvalidInput("the tenor is zero (at sight) or a number of days", field="tenor_days")
    d = document_data(session, order=order, actor=actor)
    html = {
        ExportDocument.COMMERCIAL_INVOICE: lambda: _invoice(d),
        ExportDocument.PACKING_LIST: lambda: _packing(d),
        ExportDocument.BILL_OF_EXCHANGE: lambda: _bill(d, tenor_days),
        ExportDocument.ORIGIN_APPLICATION: lambda: _origin(d),
    }[kind]()
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
