"""5.1 Store promotions and platform events: set them up and measure their uplift against a
baseline (5.1.3 活动效果跟踪).

Uplift compares orders and revenue per day during the promotion with a baseline of the
``baseline_days`` days before it, leaving out baseline days covered by another promotion of the
store. Orders are all orders of the store placed on those store-local days (not only those
attributed to the promotion, which are shown apart); cancelled orders do not count; revenue is the
sum of order totals in the store's currency.
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped, scoped
from storeops.catalog.facts import local_day_bounds
from storeops.catalog.facts import orders as orders_table
from storeops.catalog.ratios import per_day
from storeops.errors import InvalidInput
from storeops.marketing.enums import PromotionKind
from storeops.marketing.models import Promotion
from storeops.stores.models import Store

DEFAULT_BASELINE_DAYS: Final = 28
MAX_PROMOTION_DAYS: Final = 92


class PeriodFigures(BaseModel):
    days: int
    orders: int
    revenue_amount: int
    orders_per_day: float
    revenue_per_day: float


class PromotionUplift(BaseModel):
    """5.1.3 One promotion: figures during it and in its baseline, and the uplift."""

    promotion_id: int
    store_id: int
    name: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    discount_pct: int
    currency: str
    during: PeriodFigures
    baseline: PeriodFigures
    attributed_orders: int
    orders_uplift_pct: float | None
    revenue_uplift_pct: float | None


def create_promotion(
    session: Session,
    *,
    actor: Actor,
    store_id: int,
    name: str,
    kind: PromotionKind | str,
    starts_on: dt.date,
    ends_on: dt.date,
    discount_pct: int,
) -> Promotion:
    """5.1.2 Set up a store promotion (discount, coupon, spend-X-save-Y) or record a platform event."""
    actor.require(Permission.MARKETING_MANAGE)
    store = get_scoped(session, Store, store_id, actor, what="store")
    try:
        chosen = PromotionKind(kind)
    except ValueError:
        options = ", ".join(k.value for k in PromotionKind)
        raise InvalidInput(
            f"unknown kind {kind!r}; choose one of: {options}", field="kind"
        ) from None
    clean = name.strip()
    if not clean:
        raise InvalidInput("the promotion name is empty", field="name")
    if ends_on < starts_on:
        raise InvalidInput("the promotion ends before it starts", field="ends_on")
    if (ends_on - starts_on).days + 1 > MAX_PROMOTION_DAYS:
        raise InvalidInput(f"a promotion lasts at most {MAX_PROMOTION_DAYS} days", field="ends_on")
    if not 0 <= discount_pct <= 90:
        raise InvalidInput("the discount must be between 0 and 90 %", field="discount_pct")
    promotion = Promotion(
        store_id=store.id,
        name=clean[:120],
        kind=chosen,
        starts_on=starts_on,
        ends_on=ends_on,
        discount_pct=discount_pct,
    )
    session.add(promotion)
    session.flush()
    return promotion


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _daily_orders(
    session: Session, store: Store, first: dt.date, last: dt.date
) -> dict[dt.date, tuple[int, int]]:
    """Per store-local day: (orders, revenue in the store's currency), cancelled orders left out."""
    start, end = local_day_bounds(first, last, store.timezone)
    o = orders_table.c
    rows = session.execute(
        select(o.placed_at, o.total_amount).where(
            o.store_id == store.id,
            o.placed_at >= start,
            o.placed_at < end,
            o.currency == store.currency,
            o.status != "cancelled",
        )
    )
    zone = ZoneInfo(store.timezone)
    result: dict[dt.date, tuple[int, int]] = {}
    for placed_at, total in rows:
        day = placed_at.astimezone(zone).date()
        count, revenue = result.get(day, (0, 0))
        result[day] = (count + 1, revenue + int(total))
    return result


def _figures(daily: dict[dt.date, tuple[int, int]], days: list[dt.date]) -> PeriodFigures:
    count = sum(daily.get(d, (0, 0))[0] for d in days)
    revenue = sum(daily.get(d, (0, 0))[1] for d in days)
    return PeriodFigures(
        days=len(days),
        orders=count,
        revenue_amount=revenue,
        orders_per_day=per_day(count, len(days)),
        revenue_per_day=per_day(revenue, len(days)),
    )


def _uplift(during: int, during_days: int, baseline: int, baseline_days: int) -> float | None:
    """Percentage change of the daily rate during the promotion against the baseline's."""
    if baseline == 0 or baseline_days == 0 or during_days == 0:
        return None
    rate, base = during / during_days, baseline / baseline_days
    return round(100 * (rate - base) / base, 1)


def promotion_uplift(
    session: Session,
    *,
    actor: Actor,
    store_id: int,
    date_from: dt.date,
    date_to: dt.date,
    baseline_days: int = DEFAULT_BASELINE_DAYS,
) -> list[PromotionUplift]:
    """5.1.3 The uplift of each promotion of the store that started in the window."""
    actor.require(Permission.MARKETING_READ)
    if not 7 <= baseline_days <= 120:
        raise InvalidInput("baseline_days must be between 7 and 120", field="baseline_days")
    if date_to < date_from:
        raise InvalidInput("the window ends before it starts", field="date_to")
    store = get_scoped(session, Store, store_id, actor, what="store")
    promotions = list(
        session.scalars(
            scoped(select(Promotion), Promotion, actor)
            .where(Promotion.store_id == store.id)
            .order_by(Promotion.starts_on, Promotion.id)
        )
    )
    chosen = [p for p in promotions if date_from <= p.starts_on <= date_to]
    if not chosen:
        return []
    first = min(p.starts_on for p in chosen) - dt.timedelta(days=baseline_days)
    last = max(p.ends_on for p in chosen)
    daily = _daily_orders(session, store, first, last)
    covered = {d for p in promotions for d in _days(p.starts_on, p.ends_on)}
    o = orders_table.c
    attributed = dict(
        session.execute(
            select(o.promotion_id, func.count())
            .where(o.promotion_id.in_([p.id for p in chosen]), o.status != "cancelled")
            .group_by(o.promotion_id)
        )
        .tuples()
        .all()
    )
    result = []
    for p in chosen:
        during = _figures(daily, _days(p.starts_on, p.ends_on))
        before = [
            d
            for d in _days(
                p.starts_on - dt.timedelta(days=baseline_days), p.starts_on - dt.timedelta(days=1)
            )
            if d not in covered
        ]
        baseline = _figures(daily, before)
        result.append(
            PromotionUplift(
                promotion_id=p.id,
                store_id=store.id,
                name=p.name,
                kind=p.kind.value,
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                discount_pct=p.discount_pct,
                currency=store.currency,
                during=during,
                baseline=baseline,
                attributed_orders=int(attributed.get(p.id, 0)),
                orders_uplift_pct=_uplift(
                    during.orders, during.days, baseline.orders, baseline.days
                ),
                revenue_uplift_pct=_uplift(
                    during.revenue_amount, during.days, baseline.revenue_amount, baseline.days
                ),
            )
        )
    return result
