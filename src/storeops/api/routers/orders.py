"""B2C orders: status flow, timeline, refunds, disputes, after-sales cases (8.3.2, 8.3.3, 6.1.7),
complaints (8.3.4) and reviews with the improvement loop (8.3.5)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.crm.models import Complaint, ImprovementTask, Review
from storeops.orders import aftercare, service
from storeops.orders.enums import OrderStatus
from storeops.orders.models import AfterSalesCase, Dispute, RefundRequest
from storeops.orders.schemas import (
    AfterSalesCreate,
    AfterSalesDecision,
    AfterSalesRead,
    ComplaintHandle,
    DisputeCreate,
    DisputeMove,
    DisputeRead,
    DisputeSummary,
    ImprovementClose,
    ImprovementTaskRead,
    OrderRead,
    OrderStatusChange,
    RefundCreate,
    RefundRead,
    ReviewReplyWrite,
    ReviewTagsWrite,
    TimelineEntry,
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
