"""5.3 Live streams: the plan of a stream (5.3.3 / 5.3.5: time, language, target country, host and
targets), its script as a table (5.3.8) and the review of the stream against the plan's targets
with the gaps listed (5.3.10)."""

from __future__ import annotations

import datetime as dt
from typing import Final

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped, scoped
from storeops.catalog.facts import orders as orders_table
from storeops.catalog.queries import get_listing
from storeops.errors import InvalidInput
from storeops.marketing.models import LiveScriptSegment, LiveStream, LiveStreamPlan
from storeops.stores.models import Store
from storeops.types import normalize_country

MAX_SEGMENTS: Final = 60


class LivePlanCreate(BaseModel):
    title: str
    starts_at: dt.datetime
    duration_min: int
    language: str
    target_country: str
    host_name: str
    target_viewers: int
    target_peak_viewers: int
    target_interactions: int
    target_new_followers: int
    target_orders: int
    target_gmv_amount: int


class ScriptRow(BaseModel):
    position: int
    segment: str
    minutes: int
    listing_id: int | None
    selling_points: str
    benefit: str
    call_to_action: str


class MetricReview(BaseModel):
    metric: str
    target: int
    actual: int
    gap: int  # actual - target
    achieved_pct: float | None


class LiveReview(BaseModel):
    """5.3.10 A stream against its plan: each target, what happened, and the gaps."""

    plan_id: int
    live_stream_id: int | None
    title: str
    starts_at: dt.datetime
    script_minutes: int
    duration_min: int
    metrics: list[MetricReview]
    gaps: list[str]


def plan_live_stream(
    session: Session, *, actor: Actor, store_id: int, data: LivePlanCreate
) -> LiveStreamPlan:
    """5.3.3 / 5.3.5 Plan a live stream: room time, language, target country, host and targets."""
    actor.require(Permission.MARKETING_MANAGE)
    store = get_scoped(session, Store, store_id, actor, what="store")
    if not data.title.strip():
        raise InvalidInput("the stream title is empty", field="title")
    if data.starts_at.tzinfo is None:
        raise InvalidInput("give the start time with its UTC offset", field="starts_at")
    if not 10 <= data.duration_min <= 600:
        raise InvalidInput("a stream lasts 10 to 600 minutes", field="duration_min")
    targets = {
        "target_viewers": data.target_viewers,
        "target_peak_viewers": data.target_peak_viewers,
        "target_interactions": data.target_interactions,
        "target_new_followers": data.target_new_followers,
        "target_orders": data.target_orders,
        "target_gmv_amount": data.target_gmv_amount,
    }
    for name, value in targets.items():
        if value < 0:
            raise InvalidInput(f"{name} cannot be negative", field=name)
    if data.target_peak_viewers > data.target_viewers:
        raise InvalidInput("the peak cannot exceed the total viewers", field="target_peak_viewers")
    plan = LiveStreamPlan(
        store_id=store.id,
        title=data.title.strip()[:200],
        starts_at=data.starts_at,
        duration_min=data.duration_min,
        language=data.language.strip()[:8],
        target_country=normalize_country(data.target_country),
        host_name=data.host_name.strip()[:80],
        currency=store.currency,
        **targets,
    )
    session.add(plan)
    session.flush()
    return plan


def add_script_segment(
    session: Session, *, actor: Actor, plan_id: int, row: ScriptRow
) -> LiveScriptSegment:
    """5.3.8 Add a row to the stream's script (replaces the row at the same position)."""
    actor.require(Permission.MARKETING_MANAGE)
    plan = get_scoped(session, LiveStreamPlan, plan_id, actor, what="live stream plan")
    if not 1 <= row.position <= MAX_SEGMENTS:
        raise InvalidInput(f"position must be between 1 and {MAX_SEGMENTS}", field="position")
    if not 1 <= row.minutes <= 240:
        raise InvalidInput("a segment lasts 1 to 240 minutes", field="minutes")
    if not row.segment.strip():
        raise InvalidInput("name the segment", field="segment")
    if row.listing_id is not None:
        listing = get_listing(session, row.listing_id, actor)
        if listing.store_id != plan.store_id:
            raise InvalidInput(
                f"listing {row.listing_id} is not in the stream's store", field="listing_id"
            )
    segment = session.scalars(
        select(LiveScriptSegment).where(
            LiveScriptSegment.plan_id == plan.id, LiveScriptSegment.position == row.position
        )
    ).one_or_none()
    if segment is None:
        segment = LiveScriptSegment(store_id=plan.store_id, plan_id=plan.id, position=row.position)
        session.add(segment)
    segment.segment = row.segment.strip()[:80]
    segment.minutes = row.minutes
    segment.listing_id = row.listing_id
    segment.selling_points = row.selling_points.strip()[:400]
    segment.benefit = row.benefit.strip()[:200]
    segment.call_to_action = row.call_to_action.strip()[:200]
    session.flush()
    return segment


def script_of(session: Session, *, actor: Actor, plan_id: int) -> list[ScriptRow]:
    """5.3.8 The stream's script in order."""
    actor.require(Permission.MARKETING_READ)
    plan = get_scoped(session, LiveStreamPlan, plan_id, actor, what="live stream plan")
    return [
        ScriptRow(
            position=s.position,
            segment=s.segment,
            minutes=s.minutes,
            listing_id=s.listing_id,
            selling_points=s.selling_points,
            benefit=s.benefit,
            call_to_action=s.call_to_action,
        )
        for s in session.scalars(
            select(LiveScriptSegment)
            .where(LiveScriptSegment.plan_id == plan.id)
            .order_by(LiveScriptSegment.position)
        )
    ]


def link_live_stream(
    session: Session, *, actor: Actor, plan_id: int, live_stream_id: int
) -> LiveStreamPlan:
    """5.3.9 Link the plan to the stream that took place (same store)."""
    actor.require(Permission.MARKETING_MANAGE)
    plan = get_scoped(session, LiveStreamPlan, plan_id, actor, what="live stream plan")
    stream = get_scoped(session, LiveStream, live_stream_id, actor, what="live stream")
    if stream.store_id != plan.store_id:
        raise InvalidInput("the stream is in another store than the plan", field="live_stream_id")
    plan.live_stream_id = stream.id
    session.flush()
    return plan


def _metric(name: str, target: int, actual: int) -> MetricReview:
    return MetricReview(
        metric=name,
        target=target,
        actual=actual,
        gap=actual - target,
        achieved_pct=round(100 * actual / target, 1) if target else None,
    )


def review_live_stream(session: Session, *, actor: Actor, plan_id: int) -> LiveReview:
    """5.3.10 Review a stream against its plan: viewers, peak, interactions, new followers, orders
    and GMV (orders placed in the stream, not cancelled, in the store's currency), with the gaps."""
    actor.require(Permission.MARKETING_READ)
    plan = get_scoped(session, LiveStreamPlan, plan_id, actor, what="live stream plan")
    script_minutes = int(
        session.scalar(
            select(func.coalesce(func.sum(LiveScriptSegment.minutes), 0)).where(
                LiveScriptSegment.plan_id == plan.id
            )
        )
        or 0
    )
    stream = session.get(LiveStream, plan.live_stream_id) if plan.live_stream_id else None
    gaps: list[str] = []
    if stream is None:
        return LiveReview(
            plan_id=plan.id,
            live_stream_id=None,
            title=plan.title,
            starts_at=plan.starts_at,
            script_minutes=script_minutes,
            duration_min=plan.duration_min,
            metrics=[],
            gaps=["the plan is not linked to a stream that took place yet"],
        )
    o = orders_table.c
    orders, gmv = session.execute(
        select(func.count(), func.coalesce(func.sum(o.total_amount), 0)).where(
            o.live_stream_id == stream.id,
            o.status != "cancelled",
            o.currency == plan.currency,
        )
    ).one()
    metrics = [
        _metric("viewers", plan.target_viewers, stream.viewers),
        _metric("peak_viewers", plan.target_peak_viewers, stream.peak_viewers),
        _metric("interactions", plan.target_interactions, stream.interactions),
        _metric("new_followers", plan.target_new_followers, stream.new_followers),
        _metric("orders", plan.target_orders, int(orders)),
        _metric("gmv_amount", plan.target_gmv_amount, int(gmv)),
    ]
    for m in metrics:
        if m.gap < 0:
            gaps.append(f"{m.metric}: {m.actual} of {m.target} ({m.achieved_pct:g} %)")
    if script_minutes and script_minutes != stream.duration_min:
        gaps.append(
            f"the script plans {script_minutes} minutes; the stream ran {stream.duration_min}"
        )
    return LiveReview(
        plan_id=plan.id,
        live_stream_id=stream.id,
        title=plan.title,
        starts_at=plan.starts_at,
        script_minutes=script_minutes,
        duration_min=stream.duration_min,
        metrics=metrics,
        gaps=gaps,
    )


def list_live_plans(
    session: Session, *, actor: Actor, store_id: int | None = None
) -> list[LiveStreamPlan]:
    """5.3.3 The actor's live stream plans, newest first."""
    actor.require(Permission.MARKETING_READ)
    stmt = scoped(select(LiveStreamPlan), LiveStreamPlan, actor).order_by(
        LiveStreamPlan.starts_at.desc()
    )
    if store_id is not None:
        stmt = stmt.where(LiveStreamPlan.store_id == store_id)
    return list(session.scalars(stmt))
