"""B2B deals: export quotation (8.1.5), contracts from quotes (8.1.6), Trade Assurance (8.2.1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from html import escape
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.auth.service import record_audit
from storeops.crm.models import Buyer, Rfq
from storeops.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from storeops.orders.costing import (
    INCOTERMS,
    Costing,
    CostInputs,
    cost_export_prices,
    parse_quantities,
)
from storeops.orders.enums import (
    ContractStatus,
    MilestoneStatus,
    OrderKind,
    OrderStatus,
    QuoteStatus,
    contract_transition,
    order_transition,
    quote_transition,
)
from storeops.orders.models import (
    ContractVersion,
    DealContract,
    Order,
    OrderEvent,
    Quote,
    QuoteCosting,
    TradeAssuranceMilestone,
)
from storeops.stores.models import Store
from storeops.types import Money, utcnow


def _now(now: dt.datetime | None) -> dt.datetime:
    return utcnow() if now is None else now


def _buyer(session: Session, store: Store, buyer_id: int) -> Buyer:
    buyer = session.get(Buyer, buyer_id)
    if buyer is None or buyer.store_id != store.id:
        raise NotFound(f"buyer {buyer_id} not found", field="buyer_id")
    return buyer


# --- 8.1.5 quotation ------------------------------------------------------------------------------


def _json_inputs(inputs: CostInputs) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal) else list(v) if isinstance(v, tuple) else v)
            for k, v in asdict(inputs).items()}  # fmt: skip


def _json_prices(costing: Costing) -> list[dict[str, Any]]:
    return [
        {
            "quantity": b.quantity,
            "unit": {t: m.amount for t, m in b.unit.items()},
            "total": {t: m.amount for t, m in b.total.items()},
            "unit_base": {t: str(v.quantize(Decimal("0.000001"))) for t, v in b.unit_base.items()},
        }
        for b in costing.breaks
    ]


def quote_export(
    session: Session,
    *,
    store: Store,
    buyer_id: int,
    actor: Actor,
    product_name: str,
    inputs: CostInputs,
    incoterm: str = "FOB",
    language: str = "en",
    inquiry_id: int | None = None,
    valid_days: int = 30,
    now: dt.datetime | None = None,
) -> Quote:
    """8.1.5 Cost a product for export and record a quote (draft) in the buyer's currency.

    The quote's amount is the chosen incoterm's unit price times the smallest quantity break; the
    costing (inputs, FX rate, every price of every break) is kept beside it.
    """
    actor.require(Permission.ORDERS_MANAGE)
    get_scoped(session, Store, store.id, actor, what="store")
    buyer = _buyer(session, store, buyer_id)
    term = incoterm.strip().upper()
    if term not in INCOTERMS:
        raise InvalidInput(
            f"unknown incoterm {incoterm!r}; choose one of: {', '.join(INCOTERMS)}",
            field="incoterm",
        )
    name = product_name.strip()
    if not name:
        raise InvalidInput("name the product quoted", field="product_name")
    if not 1 <= valid_days <= 365:
        raise InvalidInput("a quote is valid for 1 to 365 days", field="valid_days")
    costing = cost_export_prices(inputs)
    moment = _now(now)
    first = costing.breaks[0]
    quote = Quote(
        store_id=store.id,
        buyer_id=buyer.id,
        inquiry_id=inquiry_id,
        created_by_user_id=actor.user_id,
        incoterm=term,
        currency=costing.inputs.quote_currency.upper(),
        amount=first.total[term].amount,
        created_at=moment,
        valid_until=moment + dt.timedelta(days=valid_days),
        status=QuoteStatus.DRAFT,
    )
    session.add(quote)
    session.flush()
    session.add(
        QuoteCosting(
            store_id=store.id,
            quote_id=quote.id,
            product_name=name,
            language=language.strip().lower() or "en",
            base_currency=costing.inputs.base_currency.upper(),
            fx_rate=costing.inputs.fx_rate,
            inputs=_json_inputs(costing.inputs),
            prices=_json_prices(costing),
            created_at=moment,
        )
    )
    session.flush()
    record_audit(
        session, action="quote.created", actor=actor, target_type="quote", target_id=quote.id
    )
    return quote


def get_quote(session: Session, *, quote_id: int, actor: Actor) -> Quote:
    """One quote of the actor's stores; ``NotFound`` otherwise."""
    actor.require(Permission.ORDERS_READ)
    return get_scoped(session, Quote, quote_id, actor, what="quote")


def quote_costing(session: Session, *, quote: Quote, actor: Actor) -> QuoteCosting:
    """8.1.5 The costing behind a quote; ``NotFound`` for a quote recorded without one."""
    actor.require(Permission.ORDERS_READ)
    found = get_scoped(session, Quote, quote.id, actor, what="quote")
    costing = session.scalars(
        select(QuoteCosting).where(QuoteCosting.quote_id == found.id)
    ).one_or_none()
    if costing is None:
        raise NotFound(f"quote {found.id} has no costing (recorded without storeops' costing)")
    return costing


def move_quote(session: Session, *, quote: Quote, status: QuoteStatus | str, actor: Actor) -> Quote:
    """8.1.5 / 6.1.8 Approve, send, or record the buyer's answer to a quote."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, Quote, quote.id, actor, what="quote")
    try:
        target = QuoteStatus(status)
    except ValueError:
        raise InvalidInput(f"unknown quote status {status!r}", field="status") from None
    found.status = quote_transition(found.status, target)
    session.flush()
    return found


_LABELS: dict[str, dict[str, str]] = {
    "en": {"title": "Quotation", "to": "To", "date": "Date", "valid": "Valid until", "product": "Product",
           "qty": "Quantity", "unit": "Unit price", "total": "Amount", "terms": "Prices per unit in",
           "note": "Prices include export packing. Subject to our final confirmation."},
    "es": {"title": "Cotización", "to": "Para", "date": "Fecha", "valid": "Válida hasta", "product": "Producto",
           "qty": "Cantidad", "unit": "Precio unitario", "total": "Importe", "terms": "Precios por unidad en",
           "note": "Los precios incluyen embalaje de exportación. Sujeto a nuestra confirmación final."},
    "de": {"title": "Angebot", "to": "An", "date": "Datum", "valid": "Gültig bis", "product": "Produkt",
           "qty": "Menge", "unit": "Stückpreis", "total": "Betrag", "terms": "Stückpreise in",
           "note": "Preise inklusive Exportverpackung. Vorbehaltlich unserer endgültigen Bestätigung."},
    "fr": {"title": "Devis", "to": "À", "date": "Date", "valid": "Valable jusqu'au", "product": "Produit",
           "qty": "Quantité", "unit": "Prix unitaire", "total": "Montant", "terms": "Prix unitaires en",
           "note": "Prix emballage export compris. Sous réserve de notre confirmation finale."},
    "pt": {"title": "Cotação", "to": "Para", "date": "Data", "valid": "Válida até", "product": "Produto",
           "qty": "Quantidade", "unit": "Preço unitário", "total": "Valor", "terms": "Preços unitários em",
           "note": "Preços incluem embalagem de exportação. Sujeito à nossa confirmação final."},
    "zh": {"title": "报价单", "to": "致", "date": "日期", "valid": "有效期至", "product": "产品",
           "qty": "数量", "unit": "单价", "total": "金额", "terms": "单价币种",
           "note": "价格含出口包装,以我方最终确认为准。"},
}  # fmt: skip


def quotation_html(session: Session, *, quote: Quote, actor: Actor) -> str:
    """8.1.5 The quotation as HTML in the buyer's language (labels) and currency."""
    costing = quote_costing(session, quote=quote, actor=actor)
    store = get_scoped(session, Store, quote.store_id, actor, what="store")
    buyer = session.get(Buyer, quote.buyer_id)
    language = costing.language.split("_")[0].split("-")[0]
    t = _LABELS.get(language, _LABELS["en"])
    to = escape((buyer.company_name or buyer.handle) if buyer else "")
    rows = []
    for entry in costing.prices:
        cells = "".join(
            f"<td>{escape(str(Money(entry['unit'][term], quote.currency).decimal))}</td>"
            for term in INCOTERMS
        )
        total = Money(entry["total"][quote.incoterm], quote.currency)
        rows.append(f"<tr><td>{entry['quantity']:,}</td>{cells}<td>{escape(str(total))}</td></tr>")
    heads = "".join(f"<th>{term}</th>" for term in INCOTERMS)
    return f"""<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">
<style>
 @page {{ size: A4; margin: 18mm; }}
 body {{ font-family: "Noto Sans", "Noto Sans CJK SC", sans-serif; font-size: 10pt; color: #111; }}
 h1 {{ font-size: 18pt; margin: 0 0 4mm; }}
 table {{ border-collapse: collapse; width: 100%; margin-top: 5mm; }}
 th, td {{ border: 0.5pt solid #999; padding: 1.5mm 2mm; text-align: right; }}
 th:first-child, td:first-child {{ text-align: left; }}
</style></head><body>
<h1>{escape(t["title"])} Q-{quote.id:06d}</h1>
<p>{escape(store.name)}</p>
<p>{escape(t["to"])}: {to}<br>{escape(t["date"])}: {quote.created_at.date().isoformat()}<br>
{escape(t["valid"])}: {quote.valid_until.date().isoformat()}</p>
<p>{escape(t["product"])}: {escape(costing.product_name)}<br>{escape(t["terms"])} {escape(quote.currency)}</p>
<table><thead><tr><th>{escape(t["qty"])}</th>{heads}<th>{escape(t["total"])} ({escape(quote.incoterm)})</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<p>{escape(t["note"])}</p>
</body></html>"""


def quotation_pdf(session: Session, *, quote: Quote, actor: Actor) -> bytes:
    """8.1.5 The quotation as a PDF (WeasyPrint), in the buyer's language and currency."""
    from weasyprint import HTML

    html = quotation_html(session, quote=quote, actor=actor)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


# --- 8.1.6 contracts ------------------------------------------------------------------------------


def contract_from_quote(
    session: Session,
    *,
    quote: Quote,
    actor: Actor,
    quantity: int,
    terms: str,
    deposit_pct: int = 30,
    incoterm: str | None = None,
    now: dt.datetime | None = None,
) -> DealContract:
    """8.1.6 Draw up an online contract (version 1, draft) from a sent or accepted quote."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, Quote, quote.id, actor, what="quote")
    if found.status not in {QuoteStatus.SENT, QuoteStatus.ACCEPTED, QuoteStatus.APPROVED}:
        raise IllegalTransition(
            f"a {found.status.value} quote cannot become a contract: approve or send it first",
            field="quote",
        )
    costing = quote_costing(session, quote=found, actor=actor)
    term = (incoterm or found.incoterm).upper()
    unit = _unit_price(costing, term, quantity)
    moment = _now(now)
    count = (
        session.scalar(
            select(func.count())
            .select_from(DealContract)
            .where(DealContract.store_id == found.store_id)
        )
        or 0
    )
    contract = DealContract(
        store_id=found.store_id,
        quote_id=found.id,
        buyer_id=found.buyer_id,
        number=f"SC-{moment:%Y%m%d}-{int(count) + 1:04d}",
        status=ContractStatus.DRAFT,
        current_version=1,
        created_at=moment,
    )
    session.add(contract)
    session.flush()
    _add_version(
        session,
        contract,
        1,
        term,
        found.currency,
        quantity,
        unit,
        deposit_pct,
        terms,
        actor,
        moment,
    )
    return contract


def _unit_price(costing: QuoteCosting, incoterm: str, quantity: int) -> int:
    """The unit price of the largest quantity break not above ``quantity``."""
    if incoterm not in INCOTERMS:
        raise InvalidInput(f"unknown incoterm {incoterm!r}", field="incoterm")
    if quantity <= 0:
        raise InvalidInput("the quantity must be positive", field="quantity")
    eligible = [p for p in costing.prices if p["quantity"] <= quantity]
    if not eligible:
        smallest = min(p["quantity"] for p in costing.prices)
        raise InvalidInput(f"the quote starts at {smallest} units", field="quantity")
    return int(max(eligible, key=lambda p: p["quantity"])["unit"][incoterm])


def _add_version(
    session: Session, contract: DealContract, version: int, incoterm: str, currency: str,
    quantity: int, unit: int, deposit_pct: int, terms: str, actor: Actor, moment: dt.datetime,
) -> ContractVersion:  # fmt: skip
    if not 0 <= deposit_pct <= 100:
        raise InvalidInput("the deposit is a percentage from 0 to 100", field="deposit_pct")
    if not terms.strip():
        raise InvalidInput("write the contract's terms", field="terms")
    row = ContractVersion(
        store_id=contract.store_id,
        contract_id=contract.id,
        version=version,
        incoterm=incoterm,
        currency=currency,
        quantity=quantity,
        unit_price_amount=unit,
        amount=unit * quantity,
        deposit_pct=deposit_pct,
        terms=terms.strip(),
        created_at=moment,
        created_by_user_id=actor.user_id,
    )
    session.add(row)
    session.flush()
    return row


def revise_contract(
    session: Session,
    *,
    contract: DealContract,
    actor: Actor,
    terms: str | None = None,
    quantity: int | None = None,
    unit_price: Money | None = None,
    deposit_pct: int | None = None,
    now: dt.datetime | None = None,
) -> ContractVersion:
    """8.1.6 Change the terms: a new version; a contract sent for signature returns to draft."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, DealContract, contract.id, actor, what="contract")
    if found.status not in {ContractStatus.DRAFT, ContractStatus.SENT}:
        raise IllegalTransition(
            f"a {found.status.value} contract cannot be changed; void it and draw up a new one",
            field="status",
        )
    current = current_version(session, contract=found)
    if unit_price is not None and unit_price.currency != current.currency:
        raise InvalidInput(f"the contract is in {current.currency}", field="currency")
    moment = _now(now)
    row = _add_version(
        session, found, current.version + 1, current.incoterm, current.currency,
        quantity if quantity is not None else current.quantity,
        unit_price.amount if unit_price is not None else current.unit_price_amount,
        deposit_pct if deposit_pct is not None else current.deposit_pct,
        terms if terms is not None else current.terms, actor, moment,
    )  # fmt: skip
    found.current_version = row.version
    if found.status == ContractStatus.SENT:
        found.status = contract_transition(found.status, ContractStatus.DRAFT)
        found.sent_at = None
    session.flush()
    return row


def current_version(session: Session, *, contract: DealContract) -> ContractVersion:
    """The contract's version in force."""
    return session.scalars(
        select(ContractVersion).where(
            ContractVersion.contract_id == contract.id,
            ContractVersion.version == contract.current_version,
        )
    ).one()


def contract_versions(
    session: Session, *, contract: DealContract, actor: Actor
) -> list[ContractVersion]:
    """8.1.6 Every version of a contract's terms, oldest first."""
    actor.require(Permission.ORDERS_READ)
    found = get_scoped(session, DealContract, contract.id, actor, what="contract")
    return list(
        session.scalars(
            select(ContractVersion)
            .where(ContractVersion.contract_id == found.id)
            .order_by(ContractVersion.version)
        )
    )


def move_contract(
    session: Session,
    *,
    contract: DealContract,
    status: ContractStatus | str,
    actor: Actor,
    now: dt.datetime | None = None,
) -> DealContract:
    """8.1.6 Send for signature, record the buyer's and then our signature, or void."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, DealContract, contract.id, actor, what="contract")
    try:
        target = ContractStatus(status)
    except ValueError:
        options = ", ".join(s.value for s in ContractStatus)
        raise InvalidInput(
            f"unknown contract status {status!r}; choose one of: {options}", field="status"
        ) from None
    found.status = contract_transition(found.status, target)
    moment = _now(now)
    if target == ContractStatus.SENT:
        found.sent_at = moment
    elif target == ContractStatus.BUYER_SIGNED:
        found.buyer_signed_at = moment
    elif target == ContractStatus.SIGNED:
        found.signed_at = moment
    session.flush()
    record_audit(
        session,
        action=f"contract.{target.value}",
        actor=actor,
        target_type="contract",
        target_id=found.id,
    )
    return found


# --- 8.2.1 Trade Assurance ------------------------------------------------------------------------


def draft_trade_assurance_order(
    session: Session,
    *,
    contract: DealContract,
    actor: Actor,
    ship_by: dt.date,
    balance_days_after_shipment: int = 0,
    now: dt.datetime | None = None,
) -> Order:
    """8.2.1 Draft a Trade Assurance order from a signed contract, with its payment milestones:
    deposit on signing, shipment by ``ship_by``, balance ``balance_days_after_shipment`` later."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, DealContract, contract.id, actor, what="contract")
    if found.status != ContractStatus.SIGNED:
        raise IllegalTransition(
            f"a {found.status.value} contract cannot start a Trade Assurance order: it must be signed",
            field="status",
        )
    if found.order_id is not None:
        raise Conflict(
            f"contract {found.number} already has order {found.order_id}", field="contract"
        )
    if balance_days_after_shipment < 0:
        raise InvalidInput(
            "the balance cannot fall due before shipment", field="balance_days_after_shipment"
        )
    version = current_version(session, contract=found)
    buyer = session.get(Buyer, found.buyer_id)
    assert buyer is not None
    moment = _now(now)
    if ship_by < moment.date():
        raise InvalidInput("the shipment date is in the past", field="ship_by")
    order = Order(
        store_id=found.store_id,
        external_id=f"TA-{found.number}",
        buyer_id=found.buyer_id,
        kind=OrderKind.TRADE_ASSURANCE,
        status=OrderStatus.DRAFT,
        country=buyer.country,
        currency=version.currency,
        subtotal_amount=version.amount,
        shipping_amount=0,
        discount_amount=0,
        total_amount=version.amount,
        traffic_source="trade_assurance",
        placed_at=moment,
    )
    session.add(order)
    session.flush()
    found.order_id = order.id
    deposit = version.amount * version.deposit_pct // 100
    plan = [
        ("deposit", moment.date(), deposit),
        ("shipment", ship_by, 0),
        (
            "balance",
            ship_by + dt.timedelta(days=balance_days_after_shipment),
            version.amount - deposit,
        ),
    ]
    for seq, (name, due, amount) in enumerate(plan, start=1):
        session.add(
            TradeAssuranceMilestone(
                store_id=order.store_id, order_id=order.id, seq=seq, name=name, due_on=due,
                amount=amount, currency=order.currency, status=MilestoneStatus.PENDING,
            )
        )  # fmt: skip
    session.add(
        OrderEvent(
            store_id=order.store_id,
            order_id=order.id,
            kind="trade_assurance.drafted",
            at=moment,
            by_user_id=actor.user_id,
            note=found.number,
        )
    )
    session.flush()
    return order


def milestones(session: Session, *, order: Order, actor: Actor) -> list[TradeAssuranceMilestone]:
    """8.2.1 The order's Trade Assurance milestones in order."""
    actor.require(Permission.ORDERS_READ)
    found = get_scoped(session, Order, order.id, actor, what="order")
    return list(
        session.scalars(
            select(TradeAssuranceMilestone)
            .where(TradeAssuranceMilestone.order_id == found.id)
            .order_by(TradeAssuranceMilestone.seq)
        )
    )


def complete_milestone(
    session: Session,
    *,
    milestone: TradeAssuranceMilestone,
    actor: Actor,
    now: dt.datetime | None = None,
) -> TradeAssuranceMilestone:
    """8.2.1 Mark a milestone done, in order; the deposit moves the order to paid, the shipment to
    shipped."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, TradeAssuranceMilestone, milestone.id, actor, what="milestone")
    if found.status == MilestoneStatus.DONE:
        raise IllegalTransition(f"milestone {found.name} is already done", field="status")
    earlier = session.scalar(
        select(func.count())
        .select_from(TradeAssuranceMilestone)
        .where(
            TradeAssuranceMilestone.order_id == found.order_id,
            TradeAssuranceMilestone.seq < found.seq,
            TradeAssuranceMilestone.status == MilestoneStatus.PENDING,
        )
    )
    if earlier:
        raise IllegalTransition(
            f"complete the earlier milestones before {found.name}", field="status"
        )
    order = get_scoped(session, Order, found.order_id, actor, what="order")
    moment = _now(now)
    if found.name == "deposit":
        order.status = order_transition(order.status, OrderStatus.PAID)
        order.paid_at = moment
    elif found.name == "shipment":
        order.status = order_transition(order.status, OrderStatus.SHIPPED)
        order.shipped_at = moment
    found.status = MilestoneStatus.DONE
    found.done_at = moment
    session.add(
        OrderEvent(
            store_id=order.store_id,
            order_id=order.id,
            kind=f"trade_assurance.{found.name}",
            at=moment,
            by_user_id=actor.user_id,
            note=str(Money(found.amount, found.currency)) if found.amount else "",
        )
    )
    session.flush()
    return found


def trade_assurance_state(session: Session, *, order: Order, actor: Actor) -> dict[str, Any]:
    """8.2.1 Where a Trade Assurance order stands: received, outstanding, next milestone."""
    rows = milestones(session, order=order, actor=actor)
    received = sum(m.amount for m in rows if m.status == MilestoneStatus.DONE)
    pending = [m for m in rows if m.status == MilestoneStatus.PENDING]
    return {
        "order_id": order.id,
        "status": order.status.value,
        "currency": order.currency,
        "total": order.total_amount,
        "received": received,
        "outstanding": order.total_amount - received,
        "next_milestone": pending[0].name if pending else None,
        "next_due_on": pending[0].due_on.isoformat() if pending else None,
    }


def cost_inputs_from_major(
    *,
    base_currency: str,
    quote_currency: str,
    fx_rate: Decimal,
    purchase_cost: Decimal,
    quantities: list[int] | tuple[int, ...],
    **rest: Decimal,
) -> CostInputs:
    """``CostInputs`` from amounts in major units of the base currency (forms, API, CLI)."""
    money_fields = {
        "packing_per_unit",
        "inland_freight_per_shipment",
        "port_charges_per_shipment",
        "freight_per_shipment",
        "delivery_per_shipment",
    }
    amounts = {
        k: Money.parse(v, base_currency).amount for k, v in rest.items() if k in money_fields
    }
    rates = {k: Decimal(v) for k, v in rest.items() if k not in money_fields}
    return CostInputs(
        base_currency=base_currency,
        quote_currency=quote_currency,
        fx_rate=Decimal(fx_rate),
        purchase_cost=Money.parse(purchase_cost, base_currency).amount,
        quantities=parse_quantities(quantities),
        **amounts,  # type: ignore[arg-type]
        **rates,  # type: ignore[arg-type]
    )


def quote_rfq(
    session: Session,
    *,
    rfq: Rfq,
    buyer_id: int,
    actor: Actor,
    product_name: str,
    inputs: CostInputs,
    incoterm: str = "FOB",
    language: str = "en",
    now: dt.datetime | None = None,
) -> Quote:
    """7.1.2 / 8.1.5 Answer a screened RFQ with a costed quote; the RFQ becomes ``quoted``."""
    from storeops.crm.pipeline import mark_rfq

    found = get_scoped(session, Rfq, rfq.id, actor, what="RFQ")
    store = get_scoped(session, Store, found.store_id, actor, what="store")
    quote = quote_export(
        session, store=store, buyer_id=buyer_id, actor=actor, product_name=product_name,
        inputs=inputs, incoterm=incoterm, language=language, now=now,
    )  # fmt: skip
    quote.rfq_id = found.id
    if found.buyer_id is None:
        found.buyer_id = buyer_id
    mark_rfq(session, rfq=found, status="quoted", actor=actor, now=now)
    return quote
