"""B2C orders: status flow, timeline, refunds, disputes, after-sales cases (8.3.2, 8.3.3, 6.1.7),
complaints (8.3.4) and reviews with the improvement loop (8.3.5)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from storeops.api.deps import DbSession, rate_limit, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.crm.models import Complaint, ImprovementTask, Review
from storeops.orders import aftercare, b2b, deals, service
from storeops.orders.enums import OrderStatus
from storeops.orders.models import (
    AfterSalesCase,
    DealContract,
    Dispute,
    ExportServiceUse,
    FactoryAudit,
    RefundRequest,
    TradeAssuranceMilestone,
    VisitPlan,
)
from storeops.orders.schemas import (
    AfterSalesCreate,
    AfterSalesDecision,
    AfterSalesRead,
    ComplaintHandle,
    ContractCreate,
    ContractMove,
    ContractRead,
    ContractRevise,
    ContractVersionRead,
    DisputeCreate,
    DisputeMove,
    DisputeRead,
    DisputeSummary,
    ExportQuoteCreate,
    ImprovementClose,
    ImprovementTaskRead,
    MilestoneRead,
    OrderRead,
    OrderStatusChange,
    QuoteCostingRead,
    QuoteMove,
    QuoteRead,
    RefundCreate,
    RefundRead,
    ReviewReplyWrite,
    ReviewTagsWrite,
    TimelineEntry,
    TradeAssuranceCreate,
)
from storeops.stores.service import get_store
from storeops.types import Money

router = APIRouter(tags=["orders"])

Reader = Annotated[Actor, Depends(require(Permission.ORDERS_READ))]
Manager = Annotated[Actor, Depends(require(Permission.ORDERS_MANAGE))]
CrmManager = Annotated[Actor, Depends(require(Permission.CRM_MANAGE))]


@router.get("/stores/{store_id}/orders", response_model=list[OrderRead])
def list_orders(
    store_id: int,
    session: DbSession,
    actor: Reader,
    status_filter: Annotated[OrderStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[OrderRead]:
    """The store's orders, newest first."""
    store = get_store(session, store_id=store_id, actor=actor)
    return [
        OrderRead.model_validate(o)
        for o in service.list_orders(
            session, store=store, actor=actor, status=status_filter, limit=limit
        )
    ]


@router.get("/orders/{order_id}", response_model=OrderRead)
def get_order(order_id: int, session: DbSession, actor: Reader) -> OrderRead:
    """One order."""
    return OrderRead.model_validate(service.get_order(session, order_id=order_id, actor=actor))


@router.post("/orders/{order_id}/status", response_model=OrderRead)
def advance(
    order_id: int, body: OrderStatusChange, session: DbSession, actor: Manager
) -> OrderRead:
    """8.3.2 Move the order along its status flow; illegal moves answer 409."""
    order = service.get_order(session, order_id=order_id, actor=actor)
    return OrderRead.model_validate(
        service.advance_order(session, order=order, status=body.status, actor=actor, note=body.note)
    )


@router.get("/orders/{order_id}/timeline", response_model=list[TimelineEntry])
def timeline(order_id: int, session: DbSession, actor: Reader) -> list[TimelineEntry]:
    """8.3.2 Every event of the order, oldest first."""
    order = service.get_order(session, order_id=order_id, actor=actor)
    return service.order_timeline(session, order=order, actor=actor)


@router.post(
    "/orders/{order_id}/refunds", response_model=RefundRead, status_code=status.HTTP_201_CREATED
)
def request_refund(
    order_id: int, body: RefundCreate, session: DbSession, actor: Manager
) -> RefundRead:
    """8.3.3 Request a refund; more than is left of what was paid answers 409."""
    order = service.get_order(session, order_id=order_id, actor=actor)
    return RefundRead.model_validate(
        service.request_refund(
            session,
            order=order,
            amount=Money(body.amount, order.currency),
            reason=body.reason,
            actor=actor,
        )
    )


@router.get("/orders/{order_id}/refunds", response_model=list[RefundRead])
def list_refunds(order_id: int, session: DbSession, actor: Reader) -> list[RefundRead]:
    """The order's refund requests."""
    order = service.get_order(session, order_id=order_id, actor=actor)
    return [
        RefundRead.model_validate(r)
        for r in service.list_refunds(session, order=order, actor=actor)
    ]


@router.post("/refunds/{refund_id}/approve", response_model=RefundRead)
def approve_refund(refund_id: int, session: DbSession, actor: Manager) -> RefundRead:
    """8.3.3 Approve a refund request (a full refund moves the order to refunded)."""
    refund = get_scoped(session, RefundRequest, refund_id, actor, what="refund")
    return RefundRead.model_validate(
        service.decide_refund(session, refund=refund, approve=True, actor=actor)
    )


@router.post("/refunds/{refund_id}/reject", response_model=RefundRead)
def reject_refund(refund_id: int, session: DbSession, actor: Manager) -> RefundRead:
    """8.3.3 Reject a refund request."""
    refund = get_scoped(session, RefundRequest, refund_id, actor, what="refund")
    return RefundRead.model_validate(
        service.decide_refund(session, refund=refund, approve=False, actor=actor)
    )


@router.post(
    "/orders/{order_id}/disputes", response_model=DisputeRead, status_code=status.HTTP_201_CREATED
)
def open_dispute(
    order_id: int, body: DisputeCreate, session: DbSession, actor: Manager
) -> DisputeRead:
    """6.1.7 Record a dispute on the order."""
    order = service.get_order(session, order_id=order_id, actor=actor)
    return DisputeRead.model_validate(
        service.open_dispute(session, order=order, reason=body.reason, actor=actor)
    )


@router.post("/disputes/{dispute_id}/status", response_model=DisputeRead)
def move_dispute(
    dispute_id: int, body: DisputeMove, session: DbSession, actor: Manager
) -> DisputeRead:
    """6.1.7 Escalate, arbitrate (with responsibility) or close a dispute."""
    dispute = get_scoped(session, Dispute, dispute_id, actor, what="dispute")
    return DisputeRead.model_validate(
        service.move_dispute(
            session,
            dispute=dispute,
            status=body.status,
            seller_responsible=body.seller_responsible,
            actor=actor,
        )
    )


@router.get("/stores/{store_id}/disputes/summary", response_model=DisputeSummary)
def dispute_summary(store_id: int, session: DbSession, actor: Reader) -> DisputeSummary:
    """6.1.7 Escalations, arbitrations and responsibility of the store's disputes."""
    store = get_store(session, store_id=store_id, actor=actor)
    return service.dispute_summary(session, store=store, actor=actor)


@router.post(
    "/orders/{order_id}/after-sales",
    response_model=AfterSalesRead,
    status_code=status.HTTP_201_CREATED,
)
def open_after_sales(
    order_id: int, body: AfterSalesCreate, session: DbSession, actor: Manager
) -> AfterSalesRead:
    """8.3.3 Open a return, refund, replacement or partial refund with the platform's deadlines."""
    order = service.get_order(session, order_id=order_id, actor=actor)
    amount = Money(body.amount, order.currency) if body.amount is not None else None
    return AfterSalesRead.model_validate(
        service.open_after_sales(
            session, order=order, kind=body.kind, reason=body.reason, amount=amount, actor=actor
        )
    )


@router.get("/stores/{store_id}/after-sales", response_model=list[AfterSalesRead])
def list_after_sales(
    store_id: int, session: DbSession, actor: Reader, open_only: bool = False
) -> list[AfterSalesRead]:
    """8.3.3 The store's after-sales cases, nearest deadline first."""
    store = get_store(session, store_id=store_id, actor=actor)
    return [
        AfterSalesRead.model_validate(c)
        for c in service.list_after_sales(session, store=store, actor=actor, open_only=open_only)
    ]


@router.post("/after-sales/{case_id}/decision", response_model=AfterSalesRead)
def decide_after_sales(
    case_id: int, body: AfterSalesDecision, session: DbSession, actor: Manager
) -> AfterSalesRead:
    """8.3.3 Accept or reject a case (accepting a refund kind files its refund request)."""
    case = get_scoped(session, AfterSalesCase, case_id, actor, what="after-sales case")
    return AfterSalesRead.model_validate(
        service.decide_after_sales(
            session, case=case, accept=body.accept, resolution=body.resolution, actor=actor
        )
    )


@router.post("/after-sales/{case_id}/complete", response_model=AfterSalesRead)
def complete_after_sales(case_id: int, session: DbSession, actor: Manager) -> AfterSalesRead:
    """8.3.3 Close an accepted case."""
    case = get_scoped(session, AfterSalesCase, case_id, actor, what="after-sales case")
    return AfterSalesRead.model_validate(
        service.complete_after_sales(session, case=case, actor=actor)
    )


@router.post("/complaints/{complaint_id}/handling", status_code=status.HTTP_201_CREATED)
def handle_complaint(
    complaint_id: int, body: ComplaintHandle, session: DbSession, actor: Manager
) -> dict[str, int | str]:
    """8.3.4 Resolve a complaint with its cause, handling and legal or platform basis."""
    complaint = get_scoped(session, Complaint, complaint_id, actor, what="complaint")
    record = aftercare.handle_complaint(
        session,
        complaint=complaint,
        cause=body.cause,
        handling=body.handling,
        basis=body.basis,
        actor=actor,
    )
    return {"id": record.id, "complaint_id": complaint.id, "status": complaint.status.value}


@router.post("/reviews/{review_id}/reply", status_code=status.HTTP_201_CREATED)
def reply_review(
    review_id: int, body: ReviewReplyWrite, session: DbSession, actor: CrmManager
) -> dict[str, int]:
    """8.3.5 Publish the store's reply to a review."""
    review = get_scoped(session, Review, review_id, actor, what="review")
    reply = aftercare.reply_review(session, review=review, body=body.body, actor=actor)
    return {"id": reply.id, "review_id": review.id}


@router.post("/reviews/{review_id}/tags", response_model=list[ImprovementTaskRead])
def tag_review(
    review_id: int, body: ReviewTagsWrite, session: DbSession, actor: CrmManager
) -> list[ImprovementTaskRead]:
    """8.3.5 Tag the review's causes; answers the improvement tasks a recurring cause opened."""
    review = get_scoped(session, Review, review_id, actor, what="review")
    return [
        ImprovementTaskRead.model_validate(t)
        for t in aftercare.tag_review(session, review=review, causes=body.causes, actor=actor)
    ]


@router.get("/stores/{store_id}/improvement-tasks", response_model=list[ImprovementTaskRead])
def improvement_tasks(
    store_id: int,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.CRM_READ))],
) -> list[ImprovementTaskRead]:
    """8.3.5 The store's improvement tasks from recurring review causes."""
    store = get_store(session, store_id=store_id, actor=actor)
    return [
        ImprovementTaskRead.model_validate(t)
        for t in aftercare.list_improvement_tasks(session, store=store, actor=actor)
    ]


@router.post("/improvement-tasks/{task_id}/close", response_model=ImprovementTaskRead)
def close_task(
    task_id: int,
    body: ImprovementClose,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.CATALOG_MANAGE))],
) -> ImprovementTaskRead:
    """8.3.5 Close the loop with what was changed on the product."""
    task = get_scoped(session, ImprovementTask, task_id, actor, what="improvement task")
    return ImprovementTaskRead.model_validate(
        aftercare.close_improvement_task(session, task=task, action=body.action, actor=actor)
    )


# --- B2B deals: 8.1.5 quotation, 8.1.6 contracts, 8.2.1 Trade Assurance ---------------------------


@router.post(
    "/stores/{store_id}/quotes/export",
    response_model=QuoteRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(rate_limit("export"))],
)
def quote_export(
    store_id: int, body: ExportQuoteCreate, session: DbSession, actor: Manager
) -> QuoteRead:
    """8.1.5 Cost a product for export (EXW/FOB/CFR/CIF/DDP per quantity break) and record a quote."""
    store = get_store(session, store_id=store_id, actor=actor)
    fields = body.model_dump(
        exclude={"buyer_id", "product_name", "incoterm", "language", "valid_days", "inquiry_id"}
    )
    inputs = deals.cost_inputs_from_major(**fields)
    return QuoteRead.model_validate(
        deals.quote_export(
            session,
            store=store,
            buyer_id=body.buyer_id,
            actor=actor,
            product_name=body.product_name,
            inputs=inputs,
            incoterm=body.incoterm,
            language=body.language,
            inquiry_id=body.inquiry_id,
            valid_days=body.valid_days,
        )
    )


@router.get("/quotes/{quote_id}", response_model=QuoteRead)
def get_quote(quote_id: int, session: DbSession, actor: Reader) -> QuoteRead:
    """One quote."""
    return QuoteRead.model_validate(deals.get_quote(session, quote_id=quote_id, actor=actor))


@router.get("/quotes/{quote_id}/costing", response_model=QuoteCostingRead)
def get_costing(quote_id: int, session: DbSession, actor: Reader) -> QuoteCostingRead:
    """8.1.5 The costing behind a quote: inputs, FX rate, prices per incoterm and break."""
    quote = deals.get_quote(session, quote_id=quote_id, actor=actor)
    return QuoteCostingRead.model_validate(deals.quote_costing(session, quote=quote, actor=actor))


@router.get("/quotes/{quote_id}/pdf", response_class=Response)
def quote_pdf(quote_id: int, session: DbSession, actor: Reader) -> Response:
    """8.1.5 The quotation PDF in the buyer's language and currency."""
    quote = deals.get_quote(session, quote_id=quote_id, actor=actor)
    return Response(
        deals.quotation_pdf(session, quote=quote, actor=actor),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="quotation-{quote.id}.pdf"'},
    )


@router.post("/quotes/{quote_id}/status", response_model=QuoteRead)
def move_quote(quote_id: int, body: QuoteMove, session: DbSession, actor: Manager) -> QuoteRead:
    """Approve, send or record the buyer's answer to a quote."""
    quote = deals.get_quote(session, quote_id=quote_id, actor=actor)
    return QuoteRead.model_validate(
        deals.move_quote(session, quote=quote, status=body.status, actor=actor)
    )


@router.post(
    "/quotes/{quote_id}/contracts", response_model=ContractRead, status_code=status.HTTP_201_CREATED
)
def contract_from_quote(
    quote_id: int, body: ContractCreate, session: DbSession, actor: Manager
) -> ContractRead:
    """8.1.6 Draw up a contract (version 1) from a sent or accepted quote."""
    quote = deals.get_quote(session, quote_id=quote_id, actor=actor)
    return ContractRead.model_validate(
        deals.contract_from_quote(
            session,
            quote=quote,
            actor=actor,
            quantity=body.quantity,
            terms=body.terms,
            deposit_pct=body.deposit_pct,
            incoterm=body.incoterm,
        )
    )


@router.get("/contracts/{contract_id}/versions", response_model=list[ContractVersionRead])
def contract_versions(
    contract_id: int, session: DbSession, actor: Reader
) -> list[ContractVersionRead]:
    """8.1.6 Every version of the contract's terms."""
    contract = get_scoped(session, DealContract, contract_id, actor, what="contract")
    return [
        ContractVersionRead.model_validate(v)
        for v in deals.contract_versions(session, contract=contract, actor=actor)
    ]


@router.post("/contracts/{contract_id}/versions", response_model=ContractVersionRead)
def revise_contract(
    contract_id: int, body: ContractRevise, session: DbSession, actor: Manager
) -> ContractVersionRead:
    """8.1.6 Change the terms (a new version; a sent contract returns to draft)."""
    contract = get_scoped(session, DealContract, contract_id, actor, what="contract")
    current = deals.current_version(session, contract=contract)
    price = (
        Money(body.unit_price_amount, current.currency)
        if body.unit_price_amount is not None
        else None
    )
    return ContractVersionRead.model_validate(
        deals.revise_contract(
            session,
            contract=contract,
            actor=actor,
            terms=body.terms,
            quantity=body.quantity,
            unit_price=price,
            deposit_pct=body.deposit_pct,
        )
    )


@router.post("/contracts/{contract_id}/status", response_model=ContractRead)
def move_contract(
    contract_id: int, body: ContractMove, session: DbSession, actor: Manager
) -> ContractRead:
    """8.1.6 Send for signature, record signatures, or void."""
    contract = get_scoped(session, DealContract, contract_id, actor, what="contract")
    return ContractRead.model_validate(
        deals.move_contract(session, contract=contract, status=body.status, actor=actor)
    )


@router.post(
    "/contracts/{contract_id}/trade-assurance",
    response_model=OrderRead,
    status_code=status.HTTP_201_CREATED,
)
def draft_trade_assurance(
    contract_id: int, body: TradeAssuranceCreate, session: DbSession, actor: Manager
) -> OrderRead:
    """8.2.1 Draft a Trade Assurance order with milestones from a signed contract."""
    contract = get_scoped(session, DealContract, contract_id, actor, what="contract")
    return OrderRead.model_validate(
        deals.draft_trade_assurance_order(
            session,
            contract=contract,
            actor=actor,
            ship_by=body.ship_by,
            balance_days_after_shipment=body.balance_days_after_shipment,
        )
    )


@router.get("/orders/{order_id}/milestones", response_model=list[MilestoneRead])
def list_milestones(order_id: int, session: DbSession, actor: Reader) -> list[MilestoneRead]:
    """8.2.1 The order's Trade Assurance milestones."""
    order = service.get_order(session, order_id=order_id, actor=actor)
    return [
        MilestoneRead.model_validate(m) for m in deals.milestones(session, order=order, actor=actor)
    ]


@router.post("/milestones/{milestone_id}/complete", response_model=MilestoneRead)
def complete_milestone(milestone_id: int, session: DbSession, actor: Manager) -> MilestoneRead:
    """8.2.1 Mark a milestone done (in order)."""
    milestone = get_scoped(session, TradeAssuranceMilestone, milestone_id, actor, what="milestone")
    return MilestoneRead.model_validate(
        deals.complete_milestone(session, milestone=milestone, actor=actor)
    )


# --- 8.1.1-8.1.4, 8.2.2, 8.2.3 ---------------------------------------------------------------------


class SampleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(ge=0, description="minor units; 0 for a free sample")
    currency: str
    trial: bool = False
    note: str = Field(default="", max_length=2000)


class VisitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    visit_on: dt.date
    visitors: int = Field(ge=1, le=100)
    agenda: str = Field(min_length=1, max_length=5000)
    checklist: list[str] = Field(min_length=1)


class AuditCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    audit_on: dt.date
    site: str = Field(min_length=1, max_length=200)
    agenda: str = Field(min_length=1, max_length=5000)
    checklist: list[str] = Field(min_length=1)


class AuditResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    result: str
    findings: list[dict[str, str]] = Field(default_factory=list)
    done: list[int] = Field(default_factory=list)


class NegotiationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str
    our_position: str = Field(min_length=1, max_length=5000)
    their_position: str = Field(min_length=1, max_length=5000)
    outcome: str = Field(default="", max_length=5000)
    next_step: str = Field(default="", max_length=2000)
    quote_id: int | None = None


class ExportServiceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service: str
    provider: str = Field(min_length=1, max_length=120)
    fee_amount: int = Field(default=0, ge=0)
    fee_currency: str = "CNY"
    reference: str = Field(default="", max_length=80)


class PurchaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    supplier_id: int
    number: str = Field(min_length=1, max_length=40)
    quantity: int = Field(gt=0)
    unit_cost_amount: int = Field(gt=0)
    currency: str = "CNY"
    delivery_by: dt.date


@router.post(
    "/buyers/{buyer_id}/samples", response_model=OrderRead, status_code=status.HTTP_201_CREATED
)
def create_sample(
    buyer_id: int, body: SampleCreate, session: DbSession, actor: Manager
) -> OrderRead:
    """8.1.1 Draft a sample order (or a trial order)."""
    return OrderRead.model_validate(
        b2b.create_sample_order(
            session, buyer_id=buyer_id, actor=actor, amount=Money(body.amount, body.currency),
            trial=body.trial, note=body.note,
        )
    )  # fmt: skip


@router.post("/buyers/{buyer_id}/visits", status_code=status.HTTP_201_CREATED)
def plan_visit(
    buyer_id: int, body: VisitCreate, session: DbSession, actor: CrmManager
) -> dict[str, int]:
    """8.1.2 Plan the reception of a visiting buyer."""
    return {"id": b2b.plan_visit(session, buyer_id=buyer_id, actor=actor, **body.model_dump()).id}


@router.post("/visits/{visit_id}/complete")
def complete_visit(
    visit_id: int,
    outcome: str,
    session: DbSession,
    actor: CrmManager,
    done: Annotated[list[int] | None, Query()] = None,
) -> dict[str, str]:
    """8.1.2 Record the visit as done (every checklist item ticked)."""
    plan = get_scoped(session, VisitPlan, visit_id, actor, what="visit plan")
    return {
        "status": b2b.complete_visit(
            session, plan=plan, actor=actor, outcome=outcome, done=done or []
        ).status
    }


@router.post("/buyers/{buyer_id}/audits", status_code=status.HTTP_201_CREATED)
def plan_audit(
    buyer_id: int, body: AuditCreate, session: DbSession, actor: CrmManager
) -> dict[str, int]:
    """8.1.3 Plan a buyer's factory audit (agenda, checklist)."""
    return {"id": b2b.plan_audit(session, buyer_id=buyer_id, actor=actor, **body.model_dump()).id}


@router.post("/audits/{audit_id}/result")
def audit_result(
    audit_id: int, body: AuditResult, session: DbSession, actor: CrmManager
) -> dict[str, Any]:
    """8.1.3 Record the audit's findings and result."""
    audit = get_scoped(session, FactoryAudit, audit_id, actor, what="factory audit")
    done = b2b.record_audit_result(session, audit=audit, actor=actor, **body.model_dump())
    return {"result": done.result, "findings": done.findings}


@router.post("/buyers/{buyer_id}/negotiations", status_code=status.HTTP_201_CREATED)
def log_negotiation(
    buyer_id: int, body: NegotiationCreate, session: DbSession, actor: CrmManager
) -> dict[str, int]:
    """8.1.4 Log a round of negotiation."""
    return {
        "id": b2b.log_negotiation(session, buyer_id=buyer_id, actor=actor, **body.model_dump()).id
    }


@router.get("/buyers/{buyer_id}/negotiations")
def negotiation_log(
    buyer_id: int,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.CRM_READ))],
) -> list[dict[str, Any]]:
    """8.1.4 The negotiation with a buyer, oldest first."""
    return [
        {"id": e.id, "at": e.at, "topic": e.topic, "our_position": e.our_position,
         "their_position": e.their_position, "outcome": e.outcome, "next_step": e.next_step}
        for e in b2b.negotiation_log(session, buyer_id=buyer_id, actor=actor)
    ]  # fmt: skip


@router.post(
    "/orders/{order_id}/export-services",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(rate_limit("export"))],
)
def use_export_service(
    order_id: int, body: ExportServiceCreate, session: DbSession, actor: Manager
) -> dict[str, int]:
    """8.2.2 Record a platform export service used for the order."""
    order = service.get_order(session, order_id=order_id, actor=actor)
    use = b2b.use_export_service(
        session, order=order, actor=actor, service=body.service, provider=body.provider,
        fee=Money(body.fee_amount, body.fee_currency), reference=body.reference,
    )  # fmt: skip
    return {"id": use.id}


@router.post("/export-services/{use_id}/done", dependencies=[Depends(rate_limit("export"))])
def finish_export_service(
    use_id: int, session: DbSession, actor: Manager, reference: str = ""
) -> dict[str, str]:
    """8.2.2 Record an export service as done."""
    use = get_scoped(session, ExportServiceUse, use_id, actor, what="export service")
    return {
        "reference": b2b.finish_export_service(
            session, use=use, actor=actor, reference=reference
        ).reference
    }


@router.post("/contracts/{contract_id}/purchase-contracts", status_code=status.HTTP_201_CREATED)
def sign_purchase(
    contract_id: int, body: PurchaseCreate, session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.SUPPLY_MANAGE))],
) -> dict[str, int]:  # fmt: skip
    """8.2.3 Sign a purchase contract with a supplier, linked to the sales contract."""
    sales = get_scoped(session, DealContract, contract_id, actor, what="contract")
    made = b2b.sign_purchase_contract(
        session, sales_contract=sales, actor=actor, supplier_id=body.supplier_id, quantity=body.quantity,
        unit_cost=Money(body.unit_cost_amount, body.currency), delivery_by=body.delivery_by, number=body.number,
    )  # fmt: skip
    return {"id": made.id, "amount": made.amount}


@router.get("/contracts/{contract_id}/purchase-contracts")
def purchase_contracts(contract_id: int, session: DbSession, actor: Reader) -> list[dict[str, Any]]:
    """8.2.3 The purchase contracts behind a sales contract."""
    sales = get_scoped(session, DealContract, contract_id, actor, what="contract")
    return [
        {"id": p.id, "number": p.number, "supplier_id": p.supplier_id, "quantity": p.quantity,
         "amount": p.amount, "currency": p.currency, "delivery_by": p.delivery_by}
        for p in b2b.linked_contracts(session, sales_contract=sales, actor=actor)
    ]  # fmt: skip
