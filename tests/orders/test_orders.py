"""8.3 B2C orders: status flow, timeline, refunds capped at what was paid, disputes, after-sales,
complaints and the review improvement loop."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.crm.enums import ComplaintStatus, ImprovementStatus, ReviewCause
from storeops.crm.errors import AlreadyReplied
from storeops.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from storeops.orders import aftercare, service
from storeops.orders.enums import AfterSalesKind, AfterSalesStatus, DisputeStatus, OrderStatus
from storeops.orders.errors import OrderNotPaid, OutsideAfterSalesWindow, RefundExceedsPaid
from storeops.orders.models import RefundRequest
from storeops.types import Money
from tests.crm.factories import make_buyer
from tests.factories import make_company, make_member, make_store, owner_actor
from tests.orders.factories import make_listing, make_order, make_review

UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def shop(session: Session):  # type: ignore[no-untyped-def]
    company = make_company(session)
    store = make_store(session, company=company)
    return company, store, owner_actor(session, company), make_buyer(session, store=store)


def test_status_flow_follows_the_transition_table_and_builds_the_timeline(
    session: Session, shop
) -> None:  # type: ignore[no-untyped-def]
    _, store, actor, buyer = shop
    order = make_order(session, store=store, buyer=buyer, placed_at=utc(2026, 11, 1, 10))
    service.advance_order(session, order=order, status="shipped", actor=actor, now=utc(2026, 11, 2))
    service.add_order_note(
        session, order=order, actor=actor, note="Told buyer: ETA 5 days", now=utc(2026, 11, 3)
    )
    with pytest.raises(IllegalTransition, match="a shipped order cannot become paid"):
        service.advance_order(session, order=order, status="paid", actor=actor)
    with pytest.raises(InvalidInput, match="unknown status 'lost'"):
        service.advance_order(session, order=order, status="lost", actor=actor)
    service.advance_order(
        session, order=order, status="delivered", actor=actor, now=utc(2026, 11, 7)
    )
    timeline = service.order_timeline(session, order=order, actor=actor)
    assert [(e.at, e.kind) for e in timeline] == [
        (utc(2026, 11, 1, 10), "status.placed"),
        (utc(2026, 11, 1, 10, 5), "status.paid"),
        (utc(2026, 11, 2), "status.shipped"),
        (utc(2026, 11, 3), "note"),
        (utc(2026, 11, 7), "status.delivered"),
    ]
    assert (order.status, order.shipped_at, order.delivered_at) == (
        OrderStatus.DELIVERED,
        utc(2026, 11, 2),
        utc(2026, 11, 7),
    )


def test_refunds_never_exceed_what_was_paid_and_a_full_refund_refunds_the_order(
    session: Session, shop
) -> None:  # type: ignore[no-untyped-def]
    _, store, actor, buyer = shop
    order = make_order(session, store=store, buyer=buyer, total=10_000)  # 100.00 USD paid
    first = service.request_refund(
        session, order=order, amount=Money(6_000, "USD"), reason="damaged", actor=actor
    )
    with pytest.raises(
        RefundExceedsPaid, match="exceeds what is left to refund on order .*: 40.00 USD"
    ):
        service.request_refund(
            session, order=order, amount=Money(4_001, "USD"), reason="x", actor=actor
        )
    second = service.request_refund(
        session, order=order, amount=Money(4_000, "USD"), reason="late", actor=actor
    )
    # A rejected request frees its amount again.
    service.decide_refund(session, refund=second, approve=False, actor=actor, now=utc(2026, 11, 5))
    assert service.refundable(session, order=order) == Money(4_000, "USD")
    with pytest.raises(InvalidInput, match="the order is in USD, the refund in EUR"):
        service.request_refund(
            session, order=order, amount=Money(100, "EUR"), reason="x", actor=actor
        )
    third = service.request_refund(
        session, order=order, amount=Money(4_000, "USD"), reason="late", actor=actor
    )
    service.decide_refund(session, refund=first, approve=True, actor=actor, now=utc(2026, 11, 6))
    assert order.status == OrderStatus.PAID  # 60.00 of 100.00 approved
    service.decide_refund(session, refund=third, approve=True, actor=actor, now=utc(2026, 11, 7))
    assert (order.status, order.refunded_at) == (OrderStatus.REFUNDED, utc(2026, 11, 7))
    with pytest.raises(
        IllegalTransition, match="an? approved refund request cannot become rejected"
    ):
        service.decide_refund(session, refund=third, approve=False, actor=actor)
    with pytest.raises(OrderNotPaid):
        service.request_refund(
            session, order=order, amount=Money(1, "USD"), reason="x", actor=actor
        )


def test_unpaid_order_cannot_be_refunded(session: Session, shop) -> None:  # type: ignore[no-untyped-def]
    _, store, actor, buyer = shop
    draft = make_order(session, store=store, buyer=buyer, status=OrderStatus.DRAFT)
    with pytest.raises(OrderNotPaid, match="nothing was paid"):
        service.request_refund(
            session, order=draft, amount=Money(1, "USD"), reason="x", actor=actor
        )


def test_dispute_escalation_arbitration_and_responsibility(session: Session, shop) -> None:  # type: ignore[no-untyped-def]
    _, store, actor, buyer = shop
    order = make_order(session, store=store, buyer=buyer)
    a = service.open_dispute(
        session, order=order, reason="not_received", actor=actor, now=utc(2026, 11, 3)
    )
    b = service.open_dispute(
        session, order=order, reason="damaged", actor=actor, now=utc(2026, 11, 3)
    )
    c = service.open_dispute(
        session, order=order, reason="quality", actor=actor, now=utc(2026, 11, 3)
    )
    service.move_dispute(session, dispute=a, status="escalated", actor=actor, now=utc(2026, 11, 4))
    with pytest.raises(InvalidInput, match="decides who is responsible"):
        service.move_dispute(session, dispute=a, status="arbitrated", actor=actor)
    service.move_dispute(
        session,
        dispute=a,
        status="arbitrated",
        seller_responsible=True,
        actor=actor,
        now=utc(2026, 11, 9),
    )
    service.move_dispute(session, dispute=a, status="closed", actor=actor, now=utc(2026, 11, 10))
    service.move_dispute(session, dispute=b, status="escalated", actor=actor)
    with pytest.raises(InvalidInput, match="records who was responsible"):
        service.move_dispute(session, dispute=b, status="closed", actor=actor)
    service.move_dispute(session, dispute=b, status="closed", seller_responsible=False, actor=actor)
    with pytest.raises(IllegalTransition, match="an? open dispute cannot become arbitrated"):
        service.move_dispute(
            session, dispute=c, status="arbitrated", seller_responsible=True, actor=actor
        )
    summary = service.dispute_summary(session, store=store, actor=actor)
    # 3 disputes; 2 escalated, 1 arbitrated; 2 decided, 1 against the seller → 50 %.
    assert summary.model_dump(exclude={"store_id"}) == {
        "total": 3,
        "by_status": {"open": 1, "escalated": 0, "arbitrated": 0, "closed": 2},
        "escalated": 2,
        "arbitrated": 1,
        "decided": 2,
        "seller_responsible": 1,
        "seller_responsible_rate": 0.5,
    }
    kinds = [e.kind for e in service.order_timeline(session, order=order, actor=actor)]
    assert kinds.count("dispute.opened") == 3 and "dispute.arbitrated" in kinds


def test_after_sales_deadlines_and_a_partial_refund(session: Session, shop) -> None:  # type: ignore[no-untyped-def]
    _, store, actor, buyer = shop  # Amazon: 30-day window, answer in 48 h, resolve in 14 days
    order = make_order(
        session,
        store=store,
        buyer=buyer,
        total=5_000,
        status=OrderStatus.DELIVERED,
        delivered_at=utc(2026, 11, 1),
    )
    with pytest.raises(
        OutsideAfterSalesWindow, match="30-day after-sales window of amazon closed on 2026-12-01"
    ):
        service.open_after_sales(
            session,
            order=order,
            kind="return",
            reason="too small",
            actor=actor,
            now=utc(2026, 12, 2),
        )
    with pytest.raises(InvalidInput, match="a partial refund needs its amount"):
        service.open_after_sales(
            session, order=order, kind="partial_refund", reason="scratch", actor=actor
        )
    case = service.open_after_sales(
        session,
        order=order,
        kind=AfterSalesKind.PARTIAL_REFUND,
        reason="scratch",
        amount=Money(1_500, "USD"),
        actor=actor,
        now=utc(2026, 11, 5, 12),
    )
    assert (case.respond_by, case.resolve_by) == (utc(2026, 11, 7, 12), utc(2026, 11, 19, 12))
    assert service.after_sales_overdue(case, utc(2026, 11, 8)) is True  # not answered in 48 h
    service.decide_after_sales(session, case=case, accept=True, actor=actor, now=utc(2026, 11, 6))
    assert service.after_sales_overdue(case, utc(2026, 11, 8)) is False
    refund = session.get(RefundRequest, case.refund_request_id)
    assert refund is not None and (refund.amount, refund.status.value) == (1_500, "requested")
    service.complete_after_sales(
        session, case=case, actor=actor, resolution="refunded 15.00", now=utc(2026, 11, 9)
    )
    assert case.status == AfterSalesStatus.COMPLETED
    # A full return now may only claim what is left: 35.00.
    second = service.open_after_sales(
        session, order=order, kind="return", reason="broken", actor=actor, now=utc(2026, 11, 10)
    )
    service.decide_after_sales(
        session, case=second, accept=True, actor=actor, now=utc(2026, 11, 10)
    )
    assert session.get(RefundRequest, second.refund_request_id).amount == 3_500  # type: ignore[union-attr]


def test_complaint_handling_needs_cause_handling_and_basis(session: Session, shop) -> None:  # type: ignore[no-untyped-def]
    _, store, actor, buyer = shop
    order = make_order(session, store=store, buyer=buyer)
    complaint = aftercare.record_complaint(
        session, order=order, reason="late_delivery", actor=actor, now=utc(2026, 11, 4)
    )
    with pytest.raises(InvalidInput, match="needs its basis"):
        aftercare.handle_complaint(
            session,
            complaint=complaint,
            cause="carrier lost scan",
            handling="resent",
            basis=" ",
            actor=actor,
        )
    assert complaint.status == ComplaintStatus.OPEN
    aftercare.handle_complaint(
        session,
        complaint=complaint,
        cause="carrier delay at hub",
        handling="apologised, 10 % coupon",
        basis="Amazon A-to-z Guarantee: on-time delivery",
        actor=actor,
        seller_at_fault=False,
        now=utc(2026, 11, 5),
    )
    assert (complaint.status, complaint.resolved_at) == (ComplaintStatus.RESOLVED, utc(2026, 11, 5))
    with pytest.raises(IllegalTransition):
        aftercare.handle_complaint(
            session, complaint=complaint, cause="a", handling="b", basis="c", actor=actor
        )
    kinds = [(e.kind, e.detail) for e in service.order_timeline(session, order=order, actor=actor)]
    assert ("complaint.handled", "apologised, 10 % coupon") in kinds


def test_a_recurring_review_cause_becomes_a_task_and_the_loop_closes(
    session: Session, shop
) -> None:  # type: ignore[no-untyped-def]
    _, store, actor, buyer = shop
    listing, other = make_listing(session, store=store), make_listing(session, store=store)
    reviews = [
        make_review(session, order=make_order(session, store=store, buyer=buyer), listing=listing,
                    created_at=utc(2026, 11, d))
        for d in (1, 2, 3, 4)
    ]  # fmt: skip
    elsewhere = make_review(
        session, order=make_order(session, store=store, buyer=buyer), listing=other
    )
    now = utc(2026, 11, 20)
    assert (
        aftercare.tag_review(session, review=reviews[0], causes=["quality"], actor=actor, now=now)
        == []
    )
    assert (
        aftercare.tag_review(session, review=elsewhere, causes=["quality"], actor=actor, now=now)
        == []
    )
    assert (
        aftercare.tag_review(
            session, review=reviews[1], causes=["quality", "packaging"], actor=actor, now=now
        )
        == []
    )
    [task] = aftercare.tag_review(
        session, review=reviews[2], causes=[ReviewCause.QUALITY], actor=actor, now=now
    )
    assert (task.listing_id, task.cause, task.review_count, task.status) == (
        listing.id,
        ReviewCause.QUALITY,
        3,
        ImprovementStatus.OPEN,
    )
    [same] = aftercare.tag_review(
        session, review=reviews[3], causes=["quality"], actor=actor, now=now
    )
    assert (same.id, same.review_count) == (task.id, 4)
    aftercare.close_improvement_task(
        session,
        task=task,
        action="Changed supplier of the hinge",
        actor=actor,
        now=utc(2026, 11, 21),
    )
    # After the fix, older reviews no longer count: one new complaint does not reopen the loop.
    fresh = make_review(
        session,
        order=make_order(session, store=store, buyer=buyer),
        listing=listing,
        created_at=utc(2026, 11, 25),
    )
    assert (
        aftercare.tag_review(
            session, review=fresh, causes=["quality"], actor=actor, now=utc(2026, 11, 26)
        )
        == []
    )
    aftercare.reply_review(session, review=fresh, body="Sorry! We changed the hinge.", actor=actor)
    with pytest.raises(AlreadyReplied):
        aftercare.reply_review(session, review=fresh, body="again", actor=actor)
    with pytest.raises(InvalidInput, match="unknown cause"):
        aftercare.tag_review(session, review=fresh, causes=["smell"], actor=actor)
    assert [
        t.status for t in aftercare.list_improvement_tasks(session, store=store, actor=actor)
    ] == [ImprovementStatus.DONE]


def test_roles_and_tenants(session: Session, shop) -> None:  # type: ignore[no-untyped-def]
    company, store, _actor, buyer = shop
    order = make_order(session, store=store, buyer=buyer)
    _, viewer = make_member(session, company=company, role=Role.VIEWER, stores=[store])
    with pytest.raises(PermissionDenied):
        service.request_refund(
            session, order=order, amount=Money(1, "USD"), reason="x", actor=viewer
        )
    assert session.scalar(select(func.count()).select_from(RefundRequest)) == 0
    stranger = owner_actor(session, make_company(session))
    with pytest.raises(NotFound, match=f"order {order.id} not found"):
        service.request_refund(
            session, order=order, amount=Money(1, "USD"), reason="x", actor=stranger
        )
    with pytest.raises(NotFound, match=f"order {order.id} not found"):
        service.order_timeline(session, order=order, actor=stranger)
    assert DisputeStatus.OPEN  # the enum is importable from the public module
