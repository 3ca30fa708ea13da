"""B2B deal work around the quote: 8.1.1 sample and trial orders, 8.1.2 visit plans, 8.1.3 factory
audits, 8.1.4 negotiation log, 8.2.2 export services per order, 8.2.3 linked purchase contracts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.catalog.models import Supplier
from storeops.crm.models import Buyer
from storeops.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from storeops.orders.enums import ContractStatus, OrderKind, OrderStatus
from storeops.orders.models import (
    DealContract,
    ExportServiceUse,
    FactoryAudit,
    NegotiationEntry,
    Order,
    OrderEvent,
    PurchaseContract,
    VisitPlan,
)
from storeops.stores.models import Store
from storeops.types import Money, normalize_currency, utcnow

NEGOTIATION_TOPICS = ("price", "moq", "payment", "delivery", "quality", "packaging", "other")
EXPORT_SERVICES = (
    "customs_clearance",
    "certificate_of_origin",
    "tax_rebate",
    "fx_settlement",
    "logistics",
    "inspection",
)
AUDIT_RESULTS = ("passed", "conditional", "failed")
SEVERITIES = ("minor", "major", "critical")


def _now(now: dt.datetime | None) -> dt.datetime:
    return utcnow() if now is None else now


def _buyer(session: Session, buyer_id: int, actor: Actor) -> Buyer:
    return get_scoped(session, Buyer, buyer_id, actor, what="buyer")


def _checklist(items: Sequence[str]) -> list[dict[str, Any]]:
    clean = [i.strip() for i in items if i.strip()]
    if not clean:
        raise InvalidInput("the checklist needs at least one item", field="checklist")
    return [{"item": i, "done": False} for i in clean]


# --- 8.1.1 samples and trial orders -----------------------------------------------------------------


def create_sample_order(
    session: Session,
    *,
    buyer_id: int,
    actor: Actor,
    amount: Money,
    trial: bool = False,
    note: str = "",
    now: dt.datetime | None = None,
) -> Order:
    """8.1.1 Draft a sample order (kind ``sample``) or a small trial order (``wholesale``, marked
    trial on its timeline); a free sample has amount 0."""
    actor.require(Permission.ORDERS_MANAGE)
    buyer = _buyer(session, buyer_id, actor)
    if amount.amount < 0:
        raise InvalidInput("the amount is not negative", field="amount")
    if trial and amount.amount == 0:
        raise InvalidInput("a trial order is paid; a free one is a sample", field="amount")
    moment = _now(now)
    count = len(
        list(
            session.scalars(
                select(Order.id).where(
                    Order.store_id == buyer.store_id, Order.kind == OrderKind.SAMPLE
                )
            )
        )
    )
    order = Order(
        store_id=buyer.store_id, external_id=f"{'TR' if trial else 'SMP'}-{moment:%Y%m%d}-{count + 1:04d}",
        buyer_id=buyer.id, kind=OrderKind.WHOLESALE if trial else OrderKind.SAMPLE,
        status=OrderStatus.DRAFT, country=buyer.country, currency=amount.currency,
        subtotal_amount=amount.amount, shipping_amount=0, discount_amount=0,
        total_amount=amount.amount, traffic_source="sample" if not trial else "trial", placed_at=moment,
    )  # fmt: skip
    session.add(order)
    session.flush()
    session.add(OrderEvent(store_id=order.store_id, order_id=order.id, kind="trial.created" if trial else "sample.created",
                           at=moment, by_user_id=actor.user_id, note=note.strip()))  # fmt: skip
    session.flush()
    return order


# --- 8.1.2 visit plans -------------------------------------------------------------------------------


def plan_visit(
    session: Session, *, buyer_id: int, actor: Actor, visit_on: dt.date, visitors: int,
    agenda: str, checklist: Sequence[str],
) -> VisitPlan:  # fmt: skip
    """8.1.2 Plan the reception of a visiting buyer: date, party size, agenda, preparation checklist."""
    actor.require(Permission.CRM_MANAGE)
    buyer = _buyer(session, buyer_id, actor)
    if visitors < 1:
        raise InvalidInput("at least one visitor", field="visitors")
    if not agenda.strip():
        raise InvalidInput("write the agenda", field="agenda")
    plan = VisitPlan(store_id=buyer.store_id, buyer_id=buyer.id, visit_on=visit_on, visitors=visitors,
                     agenda=agenda.strip(), checklist=_checklist(checklist), status="planned")  # fmt: skip
    session.add(plan)
    session.flush()
    return plan


def tick(items: list[dict[str, Any]], done: Sequence[int]) -> list[dict[str, Any]]:
    """The checklist with items number ``done`` (0-based) ticked; ``InvalidInput`` for a bad number."""
    out = [dict(i) for i in items]
    for n in done:
        if not 0 <= n < len(out):
            raise InvalidInput(f"the checklist has no item {n}", field="done")
        out[n]["done"] = True
    return out


def complete_visit(
    session: Session, *, plan: VisitPlan, actor: Actor, outcome: str, done: Sequence[int] = ()
) -> VisitPlan:
    """8.1.2 Record the visit as done with its outcome; every checklist item must be ticked."""
    actor.require(Permission.CRM_MANAGE)
    found = get_scoped(session, VisitPlan, plan.id, actor, what="visit plan")
    if found.status != "planned":
        raise IllegalTransition(f"a {found.status} visit cannot be completed", field="status")
    checklist = tick(found.checklist, done)
    open_items = [i["item"] for i in checklist if not i["done"]]
    if open_items:
        raise InvalidInput(f"preparation not done: {', '.join(open_items)}", field="done")
    if not outcome.strip():
        raise InvalidInput("record the outcome of the visit", field="outcome")
    found.checklist = checklist
    found.status = "done"
    found.outcome = outcome.strip()
    session.flush()
    return found


# --- 8.1.3 factory audits ----------------------------------------------------------------------------


def plan_audit(
    session: Session, *, buyer_id: int, actor: Actor, audit_on: dt.date, site: str, agenda: str,
    checklist: Sequence[str],
) -> FactoryAudit:  # fmt: skip
    """8.1.3 Plan a buyer's factory audit: site, agenda and the checklist the auditor will use."""
    actor.require(Permission.CRM_MANAGE)
    buyer = _buyer(session, buyer_id, actor)
    if not site.strip() or not agenda.strip():
        raise InvalidInput(
            "name the site and write the agenda", field="site" if not site.strip() else "agenda"
        )
    audit = FactoryAudit(store_id=buyer.store_id, buyer_id=buyer.id, audit_on=audit_on, site=site.strip(),
                         agenda=agenda.strip(), checklist=_checklist(checklist), findings=[], result=None)  # fmt: skip
    session.add(audit)
    session.flush()
    return audit


def record_audit_result(
    session: Session, *, audit: FactoryAudit, actor: Actor, result: str,
    findings: Sequence[dict[str, str]], done: Sequence[int] = (),
) -> FactoryAudit:  # fmt: skip
    """8.1.3 Record the findings (finding, severity minor/major/critical, corrective action) and the
    result; a critical finding cannot pass."""
    actor.require(Permission.CRM_MANAGE)
    found = get_scoped(session, FactoryAudit, audit.id, actor, what="factory audit")
    if found.result is not None:
        raise IllegalTransition("the audit already has its result", field="result")
    if result not in AUDIT_RESULTS:
        raise InvalidInput(f"result is one of {', '.join(AUDIT_RESULTS)}", field="result")
    clean = []
    for n, f in enumerate(findings):
        if f.get("severity") not in SEVERITIES or not (f.get("finding") or "").strip():
            raise InvalidInput(
                f"finding {n}: give the finding and a severity ({', '.join(SEVERITIES)})",
                field="findings",
            )
        clean.append(
            {
                "finding": f["finding"].strip(),
                "severity": f["severity"],
                "action": (f.get("action") or "").strip(),
                "closed": False,
            }
        )
    if result == "passed" and any(f["severity"] == "critical" for f in clean):
        raise InvalidInput("an audit with a critical finding cannot pass", field="result")
    found.checklist = tick(found.checklist, done)
    found.findings = clean
    found.result = result
    session.flush()
    return found


# --- 8.1.4 negotiation log ---------------------------------------------------------------------------


def log_negotiation(
    session: Session, *, buyer_id: int, actor: Actor, topic: str, our_position: str,
    their_position: str, outcome: str = "", next_step: str = "", quote_id: int | None = None,
    now: dt.datetime | None = None,
) -> NegotiationEntry:  # fmt: skip
    """8.1.4 Log a round of negotiation with a buyer."""
    actor.require(Permission.CRM_MANAGE)
    buyer = _buyer(session, buyer_id, actor)
    if topic not in NEGOTIATION_TOPICS:
        raise InvalidInput(f"topic is one of {', '.join(NEGOTIATION_TOPICS)}", field="topic")
    if not our_position.strip() or not their_position.strip():
        raise InvalidInput(
            "record both positions",
            field="our_position" if not our_position.strip() else "their_position",
        )
    entry = NegotiationEntry(store_id=buyer.store_id, buyer_id=buyer.id, quote_id=quote_id, at=_now(now), topic=topic,
                             our_position=our_position.strip(), their_position=their_position.strip(),
                             outcome=outcome.strip(), next_step=next_step.strip(), by_user_id=actor.user_id)  # fmt: skip
    session.add(entry)
    session.flush()
    return entry


def negotiation_log(session: Session, *, buyer_id: int, actor: Actor) -> list[NegotiationEntry]:
    """8.1.4 The negotiation with a buyer, oldest first."""
    actor.require(Permission.CRM_READ)
    buyer = _buyer(session, buyer_id, actor)
    return list(
        session.scalars(
            select(NegotiationEntry)
            .where(NegotiationEntry.buyer_id == buyer.id)
            .order_by(NegotiationEntry.at, NegotiationEntry.id)
        )
    )


# --- 8.2.2 export services ------------------------------------------------------------------------------


def use_export_service(
    session: Session, *, order: Order, actor: Actor, service: str, provider: str, fee: Money,
    reference: str = "", now: dt.datetime | None = None,
) -> ExportServiceUse:  # fmt: skip
    """8.2.2 Record that a platform export service (customs clearance, certificate of origin, tax
    rebate, FX settlement, logistics, inspection) was requested for an order."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, Order, order.id, actor, what="order")
    if service not in EXPORT_SERVICES:
        raise InvalidInput(f"service is one of {', '.join(EXPORT_SERVICES)}", field="service")
    if session.scalar(
        select(ExportServiceUse.id).where(
            ExportServiceUse.order_id == found.id, ExportServiceUse.service == service
        )
    ):
        raise Conflict(f"order {found.id} already uses {service}", field="service")
    use = ExportServiceUse(store_id=found.store_id, order_id=found.id, service=service, provider=provider.strip(),
                           reference=reference.strip(), requested_at=_now(now), fee_amount=fee.amount,
                           fee_currency=fee.currency)  # fmt: skip
    session.add(use)
    session.flush()
    return use


def finish_export_service(
    session: Session,
    *,
    use: ExportServiceUse,
    actor: Actor,
    reference: str = "",
    now: dt.datetime | None = None,
) -> ExportServiceUse:
    """8.2.2 Record an export service as done (with the document or declaration number)."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, ExportServiceUse, use.id, actor, what="export service")
    if found.done_at is not None:
        raise IllegalTransition("the service is already done", field="done_at")
    found.done_at = _now(now)
    if reference.strip():
        found.reference = reference.strip()
    session.flush()
    return found


# --- 8.2.3 linked purchase contracts -----------------------------------------------------------------------


def sign_purchase_contract(
    session: Session, *, sales_contract: DealContract, actor: Actor, supplier_id: int, quantity: int,
    unit_cost: Money, delivery_by: dt.date, number: str, now: dt.datetime | None = None,
) -> PurchaseContract:  # fmt: skip
    """8.2.3 Sign a purchase contract with a supplier for a signed sales contract (linked)."""
    actor.require(Permission.SUPPLY_MANAGE)
    sales = get_scoped(session, DealContract, sales_contract.id, actor, what="contract")
    if sales.status != ContractStatus.SIGNED:
        raise IllegalTransition("buy for a signed sales contract only", field="sales_contract")
    store = session.get(Store, sales.store_id)
    supplier = session.get(Supplier, supplier_id)
    if supplier is None or store is None or supplier.company_id != store.company_id:
        raise NotFound(f"supplier {supplier_id} not found", field="supplier_id")
    if quantity <= 0 or unit_cost.amount <= 0:
        raise InvalidInput(
            "quantity and unit cost must be positive",
            field="quantity" if quantity <= 0 else "unit_cost",
        )
    if not number.strip():
        raise InvalidInput("give the contract number", field="number")
    contract = PurchaseContract(
        store_id=sales.store_id, sales_contract_id=sales.id, supplier_id=supplier.id, number=number.strip(),
        quantity=quantity, unit_cost_amount=unit_cost.amount, amount=unit_cost.amount * quantity,
        currency=normalize_currency(unit_cost.currency), delivery_by=delivery_by, signed_at=_now(now),
    )  # fmt: skip
    session.add(contract)
    session.flush()
    return contract


def linked_contracts(
    session: Session, *, sales_contract: DealContract, actor: Actor
) -> list[PurchaseContract]:
    """8.2.3 The purchase contracts behind a sales contract."""
    actor.require(Permission.ORDERS_READ)
    sales = get_scoped(session, DealContract, sales_contract.id, actor, what="contract")
    return list(
        session.scalars(
            select(PurchaseContract)
            .where(PurchaseContract.sales_contract_id == sales.id)
            .order_by(PurchaseContract.id)
        )
    )
