"""Complaints (8.3.4) and reviews with replies, cause tags and the improvement loop (8.3.5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.auth.service import record_audit
from storeops.crm.enums import (
    COMPLAINT_TRANSITIONS,
    ComplaintStatus,
    ImprovementStatus,
    ReviewCause,
)
from storeops.crm.errors import AlreadyReplied
from storeops.crm.models import (
    Complaint,
    ComplaintHandling,
    ImprovementTask,
    Review,
    ReviewReply,
    ReviewTag,
)
from storeops.errors import IllegalTransition, InvalidInput
from storeops.orders.models import Order
from storeops.stores.models import Store
from storeops.types import utcnow

#: 8.3.5 A cause that appears on this many reviews of one listing within the window becomes a task.
RECURRENCE_THRESHOLD = 3
RECURRENCE_WINDOW_DAYS = 90


def _now(now: dt.datetime | None) -> dt.datetime:
    return utcnow() if now is None else now


# --- complaints -----------------------------------------------------------------------------------


def record_complaint(
    session: Session,
    *,
    order: Order,
    reason: str,
    actor: Actor,
    seller_at_fault: bool = False,
    now: dt.datetime | None = None,
) -> Complaint:
    """8.3.4 Record a buyer's complaint about an order (status open)."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, Order, order.id, actor, what="order")
    clean = reason.strip()
    if not clean:
        raise InvalidInput("give the complaint's reason", field="reason")
    complaint = Complaint(
        store_id=found.store_id,
        order_id=found.id,
        buyer_id=found.buyer_id,
        reason=clean[:40],
        opened_at=_now(now),
        status=ComplaintStatus.OPEN,
        seller_at_fault=seller_at_fault,
    )
    session.add(complaint)
    session.flush()
    return complaint


def handle_complaint(
    session: Session,
    *,
    complaint: Complaint,
    cause: str,
    handling: str,
    basis: str,
    actor: Actor,
    seller_at_fault: bool | None = None,
    now: dt.datetime | None = None,
) -> ComplaintHandling:
    """8.3.4 Resolve a complaint: the cause found, what was done, and the law or platform rule
    it rests on. All three are required; the complaint moves open → resolved."""
    actor.require(Permission.ORDERS_MANAGE)
    found = get_scoped(session, Complaint, complaint.id, actor, what="complaint")
    parts = {"cause": cause.strip(), "handling": handling.strip(), "basis": basis.strip()}
    for field, value in parts.items():
        if not value:
            raise InvalidInput(f"a complaint's handling needs its {field}", field=field)
    if ComplaintStatus.RESOLVED not in COMPLAINT_TRANSITIONS[found.status]:
        raise IllegalTransition(
            f"a {found.status.value} complaint cannot become resolved (allowed: none)",
            field="status",
        )
    moment = _now(now)
    record = ComplaintHandling(
        store_id=found.store_id,
        complaint_id=found.id,
        handled_at=moment,
        handled_by_user_id=actor.user_id,
        **parts,
    )
    session.add(record)
    found.status = ComplaintStatus.RESOLVED
    found.resolved_at = moment
    if seller_at_fault is not None:
        found.seller_at_fault = seller_at_fault
    session.flush()
    record_audit(
        session,
        action="complaint.handled",
        actor=actor,
        target_type="complaint",
        target_id=found.id,
    )
    return record


def list_complaints(
    session: Session, *, store: Store, actor: Actor, open_only: bool = False
) -> list[Complaint]:
    """8.3.4 The store's complaints, oldest open first."""
    actor.require(Permission.ORDERS_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    stmt = select(Complaint).where(Complaint.store_id == store.id)
    if open_only:
        stmt = stmt.where(Complaint.status == ComplaintStatus.OPEN)
    return list(session.scalars(stmt.order_by(Complaint.opened_at, Complaint.id)))


def complaint_handlings(
    session: Session, *, complaint: Complaint, actor: Actor
) -> list[ComplaintHandling]:
    """8.3.4 How a complaint was handled."""
    actor.require(Permission.ORDERS_READ)
    found = get_scoped(session, Complaint, complaint.id, actor, what="complaint")
    return list(
        session.scalars(select(ComplaintHandling).where(ComplaintHandling.complaint_id == found.id))
    )


# --- reviews --------------------------------------------------------------------------------------


def reply_review(
    session: Session, *, review: Review, body: str, actor: Actor, now: dt.datetime | None = None
) -> ReviewReply:
    """8.3.5 Publish the store's reply to a review (one per review)."""
    actor.require(Permission.CRM_MANAGE)
    found = get_scoped(session, Review, review.id, actor, what="review")
    text = body.strip()
    if not text:
        raise InvalidInput("the reply is empty", field="body")
    if session.scalar(select(ReviewReply.id).where(ReviewReply.review_id == found.id)) is not None:
        raise AlreadyReplied(f"review {found.id} already has the store's reply", field="review")
    reply = ReviewReply(
        store_id=found.store_id,
        review_id=found.id,
        body=text,
        replied_at=_now(now),
        replied_by_user_id=actor.user_id,
    )
    session.add(reply)
    session.flush()
    return reply


def tag_review(
    session: Session,
    *,
    review: Review,
    causes: Sequence[ReviewCause | str],
    actor: Actor,
    now: dt.datetime | None = None,
) -> list[ImprovementTask]:
    """8.3.5 Tag a review's causes; a cause that recurs on the listing becomes an improvement task.

    Recurrence: at least ``RECURRENCE_THRESHOLD`` reviews of the same listing tagged with the cause,
    written within ``RECURRENCE_WINDOW_DAYS`` before ``now`` and after the last task on that cause
    was closed. Returns the tasks opened or updated.
    """
    actor.require(Permission.CRM_MANAGE)
    found = get_scoped(session, Review, review.id, actor, what="review")
    try:
        wanted = sorted({ReviewCause(c) for c in causes})
    except ValueError:
        options = ", ".join(c.value for c in ReviewCause)
        raise InvalidInput(
            f"unknown cause in {list(causes)!r}; choose from: {options}", field="causes"
        ) from None
    if not wanted:
        raise InvalidInput("tag at least one cause", field="causes")
    moment = _now(now)
    existing = set(session.scalars(select(ReviewTag.cause).where(ReviewTag.review_id == found.id)))
    for cause in wanted:
        if cause not in existing:
            session.add(
                ReviewTag(
                    store_id=found.store_id,
                    review_id=found.id,
                    listing_id=found.listing_id,
                    cause=cause,
                    tagged_at=moment,
                )
            )
    session.flush()
    touched: list[ImprovementTask] = []
    for cause in wanted:
        task = _recurrence(
            session, store_id=found.store_id, listing_id=found.listing_id, cause=cause, now=moment
        )
        if task is not None:
            touched.append(task)
    return touched


def _recurrence(
    session: Session, *, store_id: int, listing_id: int, cause: ReviewCause, now: dt.datetime
) -> ImprovementTask | None:
    tasks = list(
        session.scalars(
            select(ImprovementTask)
            .where(ImprovementTask.listing_id == listing_id, ImprovementTask.cause == cause)
            .order_by(ImprovementTask.id)
        )
    )
    open_task = next((t for t in tasks if t.status == ImprovementStatus.OPEN), None)
    closed = [t.closed_at for t in tasks if t.closed_at is not None]
    since = now - dt.timedelta(days=RECURRENCE_WINDOW_DAYS)
    if closed and open_task is None:
        since = max(since, max(closed))
    count = int(
        session.scalar(
            select(func.count(func.distinct(ReviewTag.review_id)))
            .join(Review, Review.id == ReviewTag.review_id)
            .where(
                ReviewTag.listing_id == listing_id,
                ReviewTag.cause == cause,
                Review.created_at > since,
                Review.created_at <= now,
            )
        )
        or 0
    )
    if open_task is not None:
        open_task.review_count = max(open_task.review_count, count)
        session.flush()
        return open_task
    if count < RECURRENCE_THRESHOLD:
        return None
    task = ImprovementTask(
        store_id=store_id,
        listing_id=listing_id,
        cause=cause,
        review_count=count,
        opened_at=now,
        status=ImprovementStatus.OPEN,
    )
    session.add(task)
    session.flush()
    return task


def close_improvement_task(
    session: Session,
    *,
    task: ImprovementTask,
    action: str,
    actor: Actor,
    now: dt.datetime | None = None,
) -> ImprovementTask:
    """8.3.5 Close the loop: record what was changed on the product or listing."""
    actor.require(Permission.CATALOG_MANAGE)
    found = get_scoped(session, ImprovementTask, task.id, actor, what="improvement task")
    text = action.strip()
    if not text:
        raise InvalidInput("say what was changed", field="action")
    if found.status != ImprovementStatus.OPEN:
        raise IllegalTransition("a done improvement task cannot be closed again", field="status")
    found.status = ImprovementStatus.DONE
    found.action = text
    found.closed_at = _now(now)
    session.flush()
    return found


def list_improvement_tasks(
    session: Session, *, store: Store, actor: Actor
) -> list[ImprovementTask]:
    """8.3.5 The store's improvement tasks, open ones first."""
    actor.require(Permission.CRM_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    return list(
        session.scalars(
            select(ImprovementTask)
            .where(ImprovementTask.store_id == store.id)
            .order_by(ImprovementTask.status.desc(), ImprovementTask.opened_at.desc())
        )
    )


def list_reviews(
    session: Session, *, store: Store, actor: Actor, max_rating: int = 5, limit: int = 100
) -> list[Review]:
    """8.3.5 The store's reviews (optionally only low ratings), newest first."""
    actor.require(Permission.CRM_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    return list(
        session.scalars(
            select(Review)
            .where(Review.store_id == store.id, Review.rating <= max_rating)
            .order_by(Review.created_at.desc(), Review.id.desc())
            .limit(limit)
        )
    )
