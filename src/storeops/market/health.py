"""Account health: each store's metrics against its platform's thresholds (2.3.1), with the weekly
trend and the date each metric would breach at the current rate.

The store metrics are computed here from the operational tables (orders, shipments, tracking
events, disputes, reviews, inquiries) until the analytics metric registry provides them; the
definitions are the ones written next to each function.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.crm.models import Inquiry, Review
from storeops.logistics.models import LogisticsChannel, Shipment, TrackingEvent
from storeops.market.enums import Comparator, HealthMetric
from storeops.market.rules import current_rule_set
from storeops.market.schemas import AccountHealthRead, HealthCheck, HealthPoint
from storeops.orders.models import Dispute, Order
from storeops.stores.models import Store

TREND_POINTS = 8  # weekly points, the last one on the as-of date
TREND_STEP_DAYS = 7
AT_RISK_DAYS = 90  # a projected breach within this many days is "at risk"
HORIZON_DAYS = 365  # no projection further out than a year
NEGATIVE_REVIEW_MAX_RATING = 2
DEFAULT_HANDLING_DAYS = 2


# --- pure: compliance and projection -------------------------------------------------------------


def complies(value: float, comparator: Comparator, threshold: float) -> bool:
    """Whether ``value`` meets ``comparator threshold``."""
    return {
        Comparator.LT: value < threshold,
        Comparator.LE: value <= threshold,
        Comparator.GT: value > threshold,
        Comparator.GE: value >= threshold,
    }[comparator]


def slope_per_day(points: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of (day, value) points; ``None`` with fewer than two points."""
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx


def projected_breach(
    value: float,
    slope: float | None,
    comparator: Comparator,
    threshold: float,
    as_of: dt.date,
    *,
    horizon_days: int = HORIZON_DAYS,
) -> dt.date | None:
    """The day the metric crosses the threshold at the current rate, if within the horizon.

    ``None`` when it already breaches, when the trend moves away from the threshold (or is flat),
    or when the crossing is more than ``horizon_days`` away.
    """
    if not complies(value, comparator, threshold) or slope is None or slope == 0:
        return None
    upper = comparator in (Comparator.LT, Comparator.LE)  # the threshold is a ceiling
    if (upper and slope < 0) or (not upper and slope > 0):
        return None
    days = (threshold - value) / slope
    if not math.isfinite(days) or days > horizon_days:
        return None
    # at the crossing day itself a strict bound (< or >) already breaches; ≤/≥ breach the day after
    whole = (
        math.ceil(days) if comparator in (Comparator.LT, Comparator.GT) else math.floor(days) + 1
    )
    return as_of + dt.timedelta(days=max(whole, 1))


# --- store metrics over the operational tables ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def pct(self) -> float | None:
        return 100.0 * self.numerator / self.denominator if self.denominator else None


def _bounds(store: Store, end_day: dt.date, window_days: int) -> tuple[dt.datetime, dt.datetime]:
    """UTC bounds of ``window_days`` local days of the store ending with ``end_day``."""
    zone = ZoneInfo(store.timezone)
    end = dt.datetime.combine(end_day + dt.timedelta(days=1), dt.time(), zone)
    start = end - dt.timedelta(days=window_days)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def order_defect_rate(
    session: Session, store: Store, start: dt.datetime, end: dt.datetime
) -> Ratio:
    """Paid orders of the window with a dispute or a review of 1-2 stars (so far) / paid orders.

    Approximates Amazon's ODR (negative seller feedback, A-to-z claims, chargebacks) with what
    storeops records: disputes and negative product reviews.
    """
    paid = select(Order.id).where(
        Order.store_id == store.id, Order.paid_at >= start, Order.paid_at < end
    )
    denominator = session.scalar(select(func.count()).select_from(paid.subquery())) or 0
    disputed = select(Dispute.order_id).where(Dispute.store_id == store.id, Dispute.opened_at < end)
    negative = select(Review.order_id).where(
        Review.store_id == store.id,
        Review.rating <= NEGATIVE_REVIEW_MAX_RATING,
        Review.created_at < end,
    )
    defective = paid.where(Order.id.in_(disputed.union(negative).scalar_subquery()))
    numerator = session.scalar(select(func.count()).select_from(defective.subquery())) or 0
    return Ratio(int(numerator), int(denominator))


PLATFORM_FULFILMENT = "platform"  # logistics channel kind of the platform's own fulfilment (FBA)


def _seller_fulfilled(store: Store) -> Any:
    """Shipments of the store that the seller ships (not the platform's own fulfilment)."""
    return (
        select(Shipment.order_id)
        .join(LogisticsChannel, LogisticsChannel.id == Shipment.channel_id)
        .where(Shipment.store_id == store.id, LogisticsChannel.kind != PLATFORM_FULFILMENT)
    )


def late_shipment_rate(
    session: Session,
    store: Store,
    start: dt.datetime,
    end: dt.datetime,
    handling_days: int,
    seller_fulfilled_only: bool = False,
) -> Ratio:
    """Orders shipped in the window more than ``handling_days`` after payment / orders shipped
    (only seller-fulfilled orders when the rule says so, as Amazon's does)."""
    stmt = select(Order.paid_at, Order.shipped_at).where(
        Order.store_id == store.id,
        Order.shipped_at >= start,
        Order.shipped_at < end,
        Order.paid_at.is_not(None),
    )
    if seller_fulfilled_only:
        stmt = stmt.where(Order.id.in_(_seller_fulfilled(store).scalar_subquery()))
    rows = session.execute(stmt).all()
    limit = dt.timedelta(days=handling_days)
    late = sum(1 for paid, shipped in rows if shipped - paid > limit)
    return Ratio(late, len(rows))


def pre_fulfilment_cancel_rate(
    session: Session, store: Store, start: dt.datetime, end: dt.datetime
) -> Ratio:
    """Paid orders of the window cancelled before shipping (by the end) / paid orders."""
    base = select(func.count()).where(
        Order.store_id == store.id, Order.paid_at >= start, Order.paid_at < end
    )
    denominator = session.scalar(base) or 0
    numerator = (
        session.scalar(
            base.where(
                Order.cancelled_at.is_not(None),
                Order.cancelled_at < end,
                Order.shipped_at.is_(None),
            )
        )
        or 0
    )
    return Ratio(int(numerator), int(denominator))


def non_fulfilment_rate(
    session: Session, store: Store, start: dt.datetime, end: dt.datetime
) -> Ratio:
    """Paid orders of the window cancelled or refunded (by the end) / paid orders (Shopee NFR)."""
    base = select(func.count()).where(
        Order.store_id == store.id, Order.paid_at >= start, Order.paid_at < end
    )
    denominator = session.scalar(base) or 0
    numerator = (
        session.scalar(
            base.where(
                ((Order.cancelled_at.is_not(None)) & (Order.cancelled_at < end))
                | ((Order.refunded_at.is_not(None)) & (Order.refunded_at < end))
            )
        )
        or 0
    )
    return Ratio(int(numerator), int(denominator))


def valid_tracking_rate(
    session: Session,
    store: Store,
    start: dt.datetime,
    end: dt.datetime,
    seller_fulfilled_only: bool = False,
) -> Ratio:
    """Shipments of the window with at least one carrier tracking event by the end / shipments
    (only seller-fulfilled shipments when the rule says so)."""
    shipped = select(Shipment.id).where(
        Shipment.store_id == store.id, Shipment.shipped_at >= start, Shipment.shipped_at < end
    )
    if seller_fulfilled_only:
        shipped = shipped.join(LogisticsChannel, LogisticsChannel.id == Shipment.channel_id).where(
            LogisticsChannel.kind != PLATFORM_FULFILMENT
        )
    denominator = session.scalar(select(func.count()).select_from(shipped.subquery())) or 0
    tracked = select(TrackingEvent.shipment_id).where(
        TrackingEvent.store_id == store.id, TrackingEvent.at < end
    )
    numerator = (
        session.scalar(
            select(func.count()).select_from(
                shipped.where(Shipment.id.in_(tracked.scalar_subquery())).subquery()
            )
        )
        or 0
    )
    return Ratio(int(numerator), int(denominator))


def late_delivery_rate(
    session: Session, store: Store, start: dt.datetime, end: dt.datetime
) -> Ratio:
    """Shipments promised in the window and not delivered by the promised time / shipments."""
    rows = session.execute(
        select(Shipment.promised_by, Shipment.delivered_at).where(
            Shipment.store_id == store.id, Shipment.promised_by >= start, Shipment.promised_by < end
        )
    ).all()
    late = sum(1 for promised, delivered in rows if delivered is None or delivered > promised)
    return Ratio(late, len(rows))


def response_within_24h_rate(
    session: Session, store: Store, start: dt.datetime, end: dt.datetime
) -> Ratio:
    """Buyer messages of the window (received at least 24 h before the end) answered within
    24 hours / those messages."""
    latest = end - dt.timedelta(hours=24)
    rows = session.execute(
        select(Inquiry.received_at, Inquiry.first_reply_at).where(
            Inquiry.store_id == store.id, Inquiry.received_at >= start, Inquiry.received_at < latest
        )
    ).all()
    day = dt.timedelta(hours=24)
    answered = sum(1 for got, reply in rows if reply is not None and reply - got <= day)
    return Ratio(answered, len(rows))


def measure(
    session: Session,
    store: Store,
    metric: HealthMetric,
    end_day: dt.date,
    window_days: int,
    handling_days: int = DEFAULT_HANDLING_DAYS,
    seller_fulfilled_only: bool = False,
) -> Ratio:
    """One store metric over ``window_days`` local days ending with ``end_day``."""
    start, end = _bounds(store, end_day, window_days)
    if metric == HealthMetric.ORDER_DEFECT_RATE:
        return order_defect_rate(session, store, start, end)
    if metric == HealthMetric.LATE_SHIPMENT_RATE:
        return late_shipment_rate(session, store, start, end, handling_days, seller_fulfilled_only)
    if metric == HealthMetric.PRE_FULFILMENT_CANCEL_RATE:
        return pre_fulfilment_cancel_rate(session, store, start, end)
    if metric == HealthMetric.NON_FULFILMENT_RATE:
        return non_fulfilment_rate(session, store, start, end)
    if metric == HealthMetric.VALID_TRACKING_RATE:
        return valid_tracking_rate(session, store, start, end, seller_fulfilled_only)
    if metric == HealthMetric.LATE_DELIVERY_RATE:
        return late_delivery_rate(session, store, start, end)
    return response_within_24h_rate(session, store, start, end)


def default_as_of(session: Session, store: Store) -> dt.date:
    """The store's last day with a paid order (local), else today in its timezone."""
    last = session.scalar(select(func.max(Order.paid_at)).where(Order.store_id == store.id))
    zone = ZoneInfo(store.timezone)
    if last is None:
        return dt.datetime.now(zone).date()
    return last.astimezone(zone).date()


def account_health(
    session: Session, *, store_id: int, actor: Actor, as_of: dt.date | None = None
) -> AccountHealthRead:
    """2.3.1 Account health: the store's metrics against each measurable rule of its platform in
    force on ``as_of``, with an eight-week trend and the projected breach date."""
    actor.require(Permission.MARKET_READ)
    store = get_scoped(session, Store, store_id, actor, what="store")
    day = as_of or default_as_of(session, store)
    rules = current_rule_set(session, platform=store.platform.value, actor=actor, on=day)
    checks: list[HealthCheck] = []
    for rule in rules.rules if rules else []:
        if rule.metric is None or rule.comparator is None or rule.threshold is None:
            continue
        window = rule.window_days or 30
        handling = int(rule.params.get("handling_days", DEFAULT_HANDLING_DAYS))
        seller_only = bool(rule.params.get("seller_fulfilled_only", False))
        trend: list[HealthPoint] = []
        for k in range(TREND_POINTS - 1, -1, -1):
            end_day = day - dt.timedelta(days=k * TREND_STEP_DAYS)
            ratio = measure(session, store, rule.metric, end_day, window, handling, seller_only)
            trend.append(
                HealthPoint(
                    period_end=end_day,
                    value=ratio.pct,
                    numerator=ratio.numerator,
                    denominator=ratio.denominator,
                )
            )
        now = trend[-1]
        points = [(float((p.period_end - day).days), p.value) for p in trend if p.value is not None]
        slope = slope_per_day(points)
        if now.value is None:
            status, compliant, breach = "no_data", None, None
        else:
            compliant = complies(now.value, rule.comparator, rule.threshold)
            breach = projected_breach(now.value, slope, rule.comparator, rule.threshold, day)
            if not compliant:
                status = "breached"
            elif breach is not None and (breach - day).days <= AT_RISK_DAYS:
                status = "at_risk"
            else:
                status = "ok"
        checks.append(
            HealthCheck(
                rule_code=rule.code,
                title=rule.title,
                metric=rule.metric,
                comparator=rule.comparator,
                threshold=rule.threshold,
                unit=rule.unit,
                source=rule.source,
                value=now.value,
                numerator=now.numerator,
                denominator=now.denominator,
                compliant=compliant,
                trend=trend,
                slope_per_day=slope,
                projected_breach_on=breach,
                status=status,
            )
        )
    return AccountHealthRead(
        store_id=store.id,
        store_name=store.name,
        platform=store.platform.value,
        rule_set_version=rules.version if rules else None,
        as_of=day,
        checks=checks,
    )
