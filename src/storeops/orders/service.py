"""B2C orders: status flow, timeline, refunds, disputes and after-sales cases (8.3.2, 8.3.3, 6.1.7)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import column, func, select, table
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped, scoped
from storeops.auth.service import record_audit
from storeops.crm.models import Complaint, ComplaintHandling, Review
from storeops.db import UTCDateTime
from storeops.errors import InvalidInput, NotFound
from storeops.orders.enums import (
    AfterSalesKind,
    AfterSalesStatus,
    DisputeStatus,
    OrderStatus,
    RefundStatus,
    after_sales_transition,
    dispute_transition,
    order_transition,
    refund_transition,
)
from storeops.orders.errors import OrderNotPaid, OutsideAfterSalesWindow, RefundExceedsPaid
from storeops.orders.models import AfterSalesCase, Dispute, Order, OrderEvent, RefundRequest
from storeops.orders.schemas import DisputeSummary, TimelineEntry
from storeops.stores.enums import Platform
from storeops.stores.models import Store
from storeops.types import Money, utcnow

# Logistics sits above orders in the layers; the timeline reads its two tables through light
# table objects (as auth reads stores) instead of importing the package.
_shipments = table(
    "shipments",
    column("id"),
    column("order_id"),
    column("tracking_number"),
    column("shipped_at", UTCDateTime()),
)
_tracking = table(
    "tracking_events",
    column("shipment_id"),
    column("at", UTCDateTime()),
    column("code"),
    column("location"),
)

PAID_STATUSES = frozenset({OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED})
OPEN_REFUND = (RefundStatus.REQUESTED, RefundStatus.APPROVED)
_STAMP = {
    OrderStatus.PAID: "paid_at",
    OrderStatus.SHIPPED: "shipped_at",
    OrderStatus.DELIVERED: "delivered_at",
    OrderStatus.CANCELLED: "cancelled_at",
    OrderStatus.REFUNDED: "refunded_at",
}


def _now(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise InvalidInput("a moment needs a timezone (UTC)", field="now")
    return now


def _event(
    session: Session, order: Order, kind: str, at: dt.datetime, actor: Actor, note: str = ""
) -> None:
    session.add(
        OrderEvent(
            store_id=order.store_id,
            order_id=order.id,
            kind=kind,
            at=at,
            by_user_id=actor.user_id,
            note=note,
        )
    )


# --- orders ---------------------------------------------------------------------------------------


def get_order(session: Session, *, order_id: int, actor: Actor) -> Order:
    """One order of the actor's stores; ``NotFound`` otherwise."""
    actor.require(Permission.ORDERS_READ)
    return get_scoped(session, Order, order_id, actor, what="order")


def list_orders(
    session: Session,
    *,
    store: Store,
    actor: Actor,
    status: OrderStatus | None = None,
    limit: int = 100,
) -> list[Order]:
    """The store's orders, newest first."""
    actor.require(Permission.ORDERS_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    stmt = scoped(select(Order), Order, actor).where(Order.store_id == store.id)
    if status is not None:
        stmt = stmt.where(Order.status == status)
    return list(
        session.scalars(stmt.order_by(Order.placed_at.desc(), Order.id.desc()).limit(limit))
    )


def _locked(session: Session, order_id: int, actor: Actor) -> Order:
    """The order row locked until the transaction ends (``SELECT … FOR UPDATE`` on PostgreSQL).

    SQLite has no row locks; it serialises writers on the whole database instead.
    """
    stmt = (
        scoped(select(Order), Order, actor)
        .where(Order.id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found: Order | None = session.scalars(stmt).one_or_none()
    if found is None:
        raise NotFound(f"order {order_id} not found")
    return found


def advance_order(
    session: Session,
    *,
    order: Order,
    status: OrderStatus | str,
    actor: Actor,
    note: str = "",
    now: dt.datetime | None = None,
) -> Order:
    """8.3.2 Move an order along its status flow (transition table), stamped and on its timeline."""
    actor.require(Permission.ORDERS_MANAGE)
    try:
        target = OrderStatus(status)
    except ValueError:
        options = ", ".join(s.value for s in OrderStatus)
        raise InvalidInput(
            f"unknown status {status!r}; choose one of: {options}", field="status"
        ) from None
    found = _locked(session, order.id, actor)
    moment = _now(now)
    found.status = order_transition(found.status, target)
    if target in _STAMP:
        setattr(found, _STAMP[target], moment)
    _event(session, found, f"status.{target.value}", moment, actor, note.strip())
    session.flush()
    return found


def add_order_note(
    session: Session, *, order: Order, actor: Actor, note: str, now: dt.datetime | None = None
) -> OrderEvent:
    """8.3.2 Put a note on the order's timeline (what the buyer was told, a call, a promise)."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, Order, order.id, actor, what="order")
    text = note.strip()
    if not text:
        raise InvalidInput("the note is empty", field="note")
    event = OrderEvent(
        store_id=found.store_id,
        order_id=found.id,
        kind="note",
        at=_now(now),
        by_user_id=actor.user_id,
        note=text,
    )
    session.add(event)
    session.flush()
    return event


def order_timeline(session: Session, *, order: Order, actor: Actor) -> list[TimelineEntry]:
    """8.3.2 Every event of an order, oldest first: statuses, notes, refunds, disputes, after-sales
    cases, complaints, reviews and the parcel's tracking scans."""
    actor.require(Permission.ORDERS_READ)
    found = get_scoped(session, Order, order.id, actor, what="order")
    entries: list[TimelineEntry] = []
    events = list(
        session.scalars(
            select(OrderEvent).where(OrderEvent.order_id == found.id).order_by(OrderEvent.id)
        )
    )
    recorded = {e.kind for e in events}
    entries.append(TimelineEntry(at=found.placed_at, kind="status.placed"))
    for status, attr in _STAMP.items():
        stamp = getattr(found, attr)
        if stamp is not None and f"status.{status.value}" not in recorded:
            entries.append(TimelineEntry(at=stamp, kind=f"status.{status.value}"))
    entries += [TimelineEntry(at=e.at, kind=e.kind, detail=e.note) for e in events]
    for r in session.scalars(select(RefundRequest).where(RefundRequest.order_id == found.id)):
        money = str(Money(r.amount, r.currency))
        entries.append(
            TimelineEntry(
                at=r.requested_at, kind="refund.requested", detail=f"{money} · {r.reason}"
            )
        )
        if r.resolved_at is not None:
            entries.append(
                TimelineEntry(at=r.resolved_at, kind=f"refund.{r.status.value}", detail=money)
            )
    for d in session.scalars(select(Dispute).where(Dispute.order_id == found.id)):
        entries.append(TimelineEntry(at=d.opened_at, kind="dispute.opened", detail=d.reason))
        for stamp, kind in (
            (d.escalated_at, "escalated"),
            (d.arbitrated_at, "arbitrated"),
            (d.closed_at, "closed"),
        ):
            if stamp is not None:
                detail = ""
                if kind == "closed" and d.seller_responsible is not None:
                    detail = (
                        "seller responsible" if d.seller_responsible else "seller not responsible"
                    )
                entries.append(TimelineEntry(at=stamp, kind=f"dispute.{kind}", detail=detail))
    for c in session.scalars(select(AfterSalesCase).where(AfterSalesCase.order_id == found.id)):
        entries.append(
            TimelineEntry(
                at=c.opened_at, kind=f"after_sales.{c.kind.value}.opened", detail=c.reason
            )
        )
        if c.responded_at is not None:
            entries.append(
                TimelineEntry(at=c.responded_at, kind=f"after_sales.{c.kind.value}.answered")
            )
        if c.closed_at is not None:
            entries.append(
                TimelineEntry(
                    at=c.closed_at,
                    kind=f"after_sales.{c.kind.value}.{c.status.value}",
                    detail=c.resolution,
                )
            )
    for comp in session.scalars(select(Complaint).where(Complaint.order_id == found.id)):
        entries.append(
            TimelineEntry(at=comp.opened_at, kind="complaint.opened", detail=comp.reason)
        )
        for h in session.scalars(
            select(ComplaintHandling).where(ComplaintHandling.complaint_id == comp.id)
        ):
            entries.append(
                TimelineEntry(at=h.handled_at, kind="complaint.handled", detail=h.handling)
            )
        if comp.resolved_at is not None and not any(e.kind == "complaint.handled" for e in entries):
            entries.append(TimelineEntry(at=comp.resolved_at, kind="complaint.resolved"))
    for rev in session.scalars(select(Review).where(Review.order_id == found.id)):
        entries.append(TimelineEntry(at=rev.created_at, kind="review", detail=f"{rev.rating}/5"))
    scans = session.execute(
        select(_tracking.c.at, _tracking.c.code, _tracking.c.location, _shipments.c.tracking_number)
        .join(_shipments, _shipments.c.id == _tracking.c.shipment_id)
        .where(_shipments.c.order_id == found.id)
    )
    for at, code, location, number in scans:
        entries.append(
            TimelineEntry(at=at, kind=f"tracking.{code}", detail=f"{number} · {location}")
        )
    return sorted(entries, key=lambda e: e.at)


# --- refunds --------------------------------------------------------------------------------------


def refundable(session: Session, *, order: Order) -> Money:
    """What can still be refunded: the amount paid less refunds requested or approved."""
    if order.paid_at is None or order.status not in PAID_STATUSES:
        return Money(0, order.currency)
    committed = session.scalar(
        select(func.coalesce(func.sum(RefundRequest.amount), 0)).where(
            RefundRequest.order_id == order.id, RefundRequest.status.in_(OPEN_REFUND)
        )
    )
    return Money(max(order.total_amount - int(committed or 0), 0), order.currency)


def request_refund(
    session: Session,
    *,
    order: Order,
    amount: Money,
    reason: str,
    actor: Actor,
    now: dt.datetime | None = None,
) -> RefundRequest:
    """8.3.3 / 6.1.7 Record a refund request; requests and approvals never exceed what was paid.

    The order row is locked first, so two requests at the same moment are checked one after the
    other against the same running total.
    """
    actor.require(Permission.ORDERS_MANAGE)
    found = _locked(session, order.id, actor)
    if amount.currency != found.currency:
        raise InvalidInput(
            f"the order is in {found.currency}, the refund in {amount.currency}", field="currency"
        )
    if amount.amount <= 0:
        raise InvalidInput("a refund is a positive amount", field="amount")
    clean = reason.strip()
    if not clean:
        raise InvalidInput("give the refund's reason", field="reason")
    if found.paid_at is None or found.status not in PAID_STATUSES:
        raise OrderNotPaid(f"order {found.id} is {found.status.value}: nothing was paid to refund")
    left = refundable(session, order=found)
    if amount.amount > left.amount:
        raise RefundExceedsPaid(
            f"a refund of {amount} exceeds what is left to refund on order {found.id}: {left} "
            f"(paid {Money(found.total_amount, found.currency)})",
            field="amount",
        )
    moment = _now(now)
    refund = RefundRequest(
        store_id=found.store_id,
        order_id=found.id,
        reason=clean[:40],
        amount=amount.amount,
        currency=found.currency,
        requested_at=moment,
        status=RefundStatus.REQUESTED,
    )
    session.add(refund)
    session.flush()
    record_audit(
        session, action="refund.requested", actor=actor, target_type="refund", target_id=refund.id
    )
    return refund


def decide_refund(
    session: Session,
    *,
    refund: RefundRequest,
    approve: bool,
    actor: Actor,
    now: dt.datetime | None = None,
) -> RefundRequest:
    """8.3.3 / 6.1.7 Approve or reject a refund; a full refund moves the order to ``refunded``."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, RefundRequest, refund.id, actor, what="refund")
    order = _locked(session, found.order_id, actor)
    moment = _now(now)
    found.status = refund_transition(
        found.status, RefundStatus.APPROVED if approve else RefundStatus.REJECTED
    )
    found.resolved_at = moment
    session.flush()
    if approve:
        approved = session.scalar(
            select(func.coalesce(func.sum(RefundRequest.amount), 0)).where(
                RefundRequest.order_id == order.id, RefundRequest.status == RefundStatus.APPROVED
            )
        )
        if int(approved or 0) >= order.total_amount:
            order.status = order_transition(order.status, OrderStatus.REFUNDED)
            order.refunded_at = moment
            _event(session, order, "status.refunded", moment, actor, "fully refunded")
    session.flush()
    record_audit(
        session,
        action="refund.approved" if approve else "refund.rejected",
        actor=actor,
        target_type="refund",
        target_id=found.id,
    )
    return found


def list_refunds(session: Session, *, order: Order, actor: Actor) -> list[RefundRequest]:
    """The order's refund requests, oldest first."""
    actor.require(Permission.ORDERS_READ)
    found = get_scoped(session, Order, order.id, actor, what="order")
    return list(
        session.scalars(
            select(RefundRequest)
            .where(RefundRequest.order_id == found.id)
            .order_by(RefundRequest.id)
        )
    )


# --- disputes -------------------------------------------------------------------------------------


def open_dispute(
    session: Session, *, order: Order, reason: str, actor: Actor, now: dt.datetime | None = None
) -> Dispute:
    """6.1.7 / 8.3.3 Record a dispute the buyer opened on an order."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, Order, order.id, actor, what="order")
    clean = reason.strip()
    if not clean:
        raise InvalidInput("give the dispute's reason", field="reason")
    dispute = Dispute(
        store_id=found.store_id,
        order_id=found.id,
        reason=clean[:40],
        opened_at=_now(now),
        status=DisputeStatus.OPEN,
    )
    session.add(dispute)
    session.flush()
    return dispute


def move_dispute(
    session: Session,
    *,
    dispute: Dispute,
    status: DisputeStatus | str,
    actor: Actor,
    seller_responsible: bool | None = None,
    now: dt.datetime | None = None,
) -> Dispute:
    """6.1.7 Escalate a dispute to the platform, take it to arbitration, or close it.

    Arbitration and closing after an escalation record who was responsible (``seller_responsible``).
    """
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, Dispute, dispute.id, actor, what="dispute")
    try:
        target = DisputeStatus(status)
    except ValueError:
        options = ", ".join(s.value for s in DisputeStatus)
        raise InvalidInput(
            f"unknown status {status!r}; choose one of: {options}", field="status"
        ) from None
    before = found.status
    dispute_transition(before, target)  # refuse an illegal move before changing anything
    if target == DisputeStatus.ARBITRATED and seller_responsible is None:
        raise InvalidInput("an arbitration decides who is responsible", field="seller_responsible")
    if (
        target == DisputeStatus.CLOSED
        and seller_responsible is None
        and before != DisputeStatus.OPEN
        and found.seller_responsible is None
    ):
        raise InvalidInput(
            "closing an escalated dispute records who was responsible",
            field="seller_responsible",
        )
    moment = _now(now)
    found.status = target
    if target == DisputeStatus.ESCALATED:
        found.escalated_at = moment
    elif target == DisputeStatus.ARBITRATED:
        found.arbitrated_at = moment
        found.seller_responsible = seller_responsible
    elif target == DisputeStatus.CLOSED:
        found.closed_at = moment
        if seller_responsible is not None:
            found.seller_responsible = seller_responsible
    session.flush()
    return found


def list_disputes(session: Session, *, store: Store, actor: Actor) -> list[Dispute]:
    """The store's disputes, newest first."""
    actor.require(Permission.ORDERS_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    return list(
        session.scalars(
            select(Dispute).where(Dispute.store_id == store.id).order_by(Dispute.opened_at.desc())
        )
    )


def dispute_summary(session: Session, *, store: Store, actor: Actor) -> DisputeSummary:
    """6.1.7 How the store's disputes went: escalations, arbitrations and who was responsible."""
    actor.require(Permission.ORDERS_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    rows = list(
        session.execute(
            select(
                Dispute.status,
                Dispute.escalated_at,
                Dispute.arbitrated_at,
                Dispute.seller_responsible,
            ).where(Dispute.store_id == store.id)
        )
    )
    by_status = Counter(s.value for s, _, _, _ in rows)
    decided = [r for _, _, _, r in rows if r is not None]
    responsible = sum(1 for r in decided if r)
    return DisputeSummary(
        store_id=store.id,
        total=len(rows),
        by_status={s.value: by_status.get(s.value, 0) for s in DisputeStatus},
        escalated=sum(1 for _, e, _, _ in rows if e is not None),
        arbitrated=sum(1 for _, _, a, _ in rows if a is not None),
        decided=len(decided),
        seller_responsible=responsible,
        seller_responsible_rate=round(responsible / len(decided), 4) if decided else None,
    )


# --- after-sales cases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AfterSalesRule:
    """8.3.3 A platform's after-sales limits: how long after delivery a buyer may ask, how soon the
    seller must answer, and by when the case must be resolved."""

    window_days: int
    respond_hours: int
    resolve_days: int


#: storeops' defaults per platform; check them against the platform's current seller policy.
AFTER_SALES_RULES: dict[Platform, AfterSalesRule] = {
    Platform.AMAZON: AfterSalesRule(window_days=30, respond_hours=48, resolve_days=14),
    Platform.EBAY: AfterSalesRule(window_days=30, respond_hours=72, resolve_days=14),
    Platform.ALIEXPRESS: AfterSalesRule(window_days=15, respond_hours=120, resolve_days=15),
    Platform.SHOPEE: AfterSalesRule(window_days=15, respond_hours=72, resolve_days=10),
    Platform.LAZADA: AfterSalesRule(window_days=15, respond_hours=72, resolve_days=10),
}
DEFAULT_AFTER_SALES_RULE = AfterSalesRule(window_days=30, respond_hours=48, resolve_days=14)


def open_after_sales(
    session: Session,
    *,
    order: Order,
    kind: AfterSalesKind | str,
    reason: str,
    actor: Actor,
    amount: Money | None = None,
    now: dt.datetime | None = None,
) -> AfterSalesCase:
    """8.3.3 Open a return, refund, replacement or partial refund with the platform's deadlines."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, Order, order.id, actor, what="order")
    store = get_scoped(session, Store, found.store_id, actor, what="store")
    try:
        case_kind = AfterSalesKind(kind)
    except ValueError:
        options = ", ".join(k.value for k in AfterSalesKind)
        raise InvalidInput(
            f"unknown kind {kind!r}; choose one of: {options}", field="kind"
        ) from None
    clean = reason.strip()
    if not clean:
        raise InvalidInput("give the buyer's reason", field="reason")
    if found.paid_at is None:
        raise OrderNotPaid(f"order {found.id} was never paid: no after-sales service applies")
    moment = _now(now)
    rule = AFTER_SALES_RULES.get(store.platform, DEFAULT_AFTER_SALES_RULE)
    if found.delivered_at is not None and moment > found.delivered_at + dt.timedelta(
        days=rule.window_days
    ):
        raise OutsideAfterSalesWindow(
            f"the {rule.window_days}-day after-sales window of {store.platform.value} closed on "
            f"{(found.delivered_at + dt.timedelta(days=rule.window_days)).date()}",
            field="now",
        )
    if case_kind == AfterSalesKind.PARTIAL_REFUND and amount is None:
        raise InvalidInput("a partial refund needs its amount", field="amount")
    if amount is not None and amount.currency != found.currency:
        raise InvalidInput(f"the order is in {found.currency}", field="currency")
    case = AfterSalesCase(
        store_id=found.store_id,
        order_id=found.id,
        kind=case_kind,
        status=AfterSalesStatus.OPEN,
        reason=clean[:200],
        amount=amount.amount if amount is not None else None,
        currency=found.currency,
        opened_at=moment,
        respond_by=moment + dt.timedelta(hours=rule.respond_hours),
        resolve_by=moment + dt.timedelta(days=rule.resolve_days),
    )
    session.add(case)
    session.flush()
    return case


def decide_after_sales(
    session: Session,
    *,
    case: AfterSalesCase,
    accept: bool,
    actor: Actor,
    resolution: str = "",
    now: dt.datetime | None = None,
) -> AfterSalesCase:
    """8.3.3 Accept or reject a case; accepting a refund kind files its refund request (capped)."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, AfterSalesCase, case.id, actor, what="after-sales case")
    moment = _now(now)
    target = AfterSalesStatus.ACCEPTED if accept else AfterSalesStatus.REJECTED
    after_sales_transition(found.status, target)  # refuse an illegal move before any write
    refund_id: int | None = None
    if accept and found.kind in {
        AfterSalesKind.REFUND,
        AfterSalesKind.RETURN,
        AfterSalesKind.PARTIAL_REFUND,
    }:
        order = get_scoped(session, Order, found.order_id, actor, what="order")
        amount = found.amount
        if amount is None:
            amount = refundable(session, order=order).amount
        refund_id = request_refund(
            session,
            order=order,
            amount=Money(amount, found.currency),
            reason=found.kind.value,
            actor=actor,
            now=moment,
        ).id
    found.status = target
    found.responded_at = moment
    found.resolution = resolution.strip()
    found.refund_request_id = refund_id
    if not accept:
        found.closed_at = moment
    session.flush()
    return found


def complete_after_sales(
    session: Session,
    *,
    case: AfterSalesCase,
    actor: Actor,
    resolution: str = "",
    now: dt.datetime | None = None,
) -> AfterSalesCase:
    """8.3.3 Close an accepted case (goods back, replacement sent, money refunded)."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, AfterSalesCase, case.id, actor, what="after-sales case")
    found.status = after_sales_transition(found.status, AfterSalesStatus.COMPLETED)
    found.closed_at = _now(now)
    if resolution.strip():
        found.resolution = resolution.strip()
    session.flush()
    return found


def list_after_sales(
    session: Session, *, store: Store, actor: Actor, open_only: bool = False
) -> list[AfterSalesCase]:
    """8.3.3 The store's after-sales cases, the nearest deadline first."""
    actor.require(Permission.ORDERS_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    stmt = select(AfterSalesCase).where(AfterSalesCase.store_id == store.id)
    if open_only:
        stmt = stmt.where(
            AfterSalesCase.status.in_([AfterSalesStatus.OPEN, AfterSalesStatus.ACCEPTED])
        )
    return list(session.scalars(stmt.order_by(AfterSalesCase.resolve_by, AfterSalesCase.id)))


def after_sales_overdue(case: AfterSalesCase, now: dt.datetime) -> bool:
    """Whether a case missed its answer or resolution deadline."""
    if case.responded_at is not None:
        answered_late = case.responded_at > case.respond_by
    else:
        answered_late = case.status == AfterSalesStatus.OPEN and now > case.respond_by
    resolved_late = (case.closed_at or now) > case.resolve_by
    return answered_late or resolved_late
