"""1.1.7 Product development and modification plans drawn from buyer needs (complaints and refund
reasons in the category) and market trends (rising search attributes, maturity stage, the
best-selling price band)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, scoped
from storeops.auth.service import record_audit
from storeops.catalog.models import Category, Listing, Product
from storeops.crm.models import Complaint
from storeops.errors import InvalidInput, NotFound
from storeops.market.enums import PlanItemStatus, plan_item_transition
from storeops.market.metrics import MaturityStage
from storeops.market.models import ProductPlan, ProductPlanItem
from storeops.market.research import market_report
from storeops.market.schemas import PlanCreate, PlanItemRead, PlanRead
from storeops.market.scoping import company_scoped, get_company_scoped
from storeops.orders.models import OrderLine, RefundRequest
from storeops.types import Money, utcnow

NEEDS_WINDOW_DAYS = 180
PRODUCT_REASONS = frozenset({"quality", "wrong_item", "not_as_described", "damaged", "defective"})


def _quarter_end(day: dt.date, quarters_ahead: int) -> dt.date:
    index = (day.month - 1) // 3 + quarters_ahead
    year, quarter = day.year + index // 4, index % 4
    first_of_next = dt.date(year + (quarter == 3), 1 if quarter == 3 else quarter * 3 + 4, 1)
    return first_of_next - dt.timedelta(days=1)


def buyer_needs(
    session: Session, *, actor: Actor, category_code: str, since: dt.datetime
) -> Counter[str]:
    """Reasons buyers gave in complaints and refund requests about the category's products."""
    category = session.scalars(
        select(Category).where(
            Category.company_id == actor.company_id, Category.code == category_code
        )
    ).one_or_none()
    if category is None:
        raise InvalidInput(f"no category with code {category_code!r}", field="category_code")
    orders = (
        scoped(select(OrderLine.order_id), OrderLine, actor)
        .join(Listing, Listing.id == OrderLine.listing_id)
        .join(Product, Product.id == Listing.product_id)
        .where(Product.category_id == category.id)
    )
    reasons: Counter[str] = Counter()
    for (reason,) in session.execute(
        scoped(select(Complaint.reason), Complaint, actor).where(
            Complaint.opened_at >= since, Complaint.order_id.in_(orders.scalar_subquery())
        )
    ):
        reasons[reason] += 1
    for (reason,) in session.execute(
        scoped(select(RefundRequest.reason), RefundRequest, actor).where(
            RefundRequest.requested_at >= since,
            RefundRequest.order_id.in_(orders.scalar_subquery()),
        )
    ):
        reasons[reason] += 1
    return reasons


def draw_up_plan(session: Session, *, data: PlanCreate, actor: Actor) -> PlanRead:
    """1.1.7 Draw up a product development plan for a market from needs and trends: a variant for
    each rising search attribute, an improvement for each product-related complaint reason, a
    response to the maturity stage, and a move into the best-selling price band."""
    actor.require(Permission.MARKET_MANAGE)
    report = market_report(session, dataset_id=data.dataset_id, actor=actor)
    if report.months == 0:
        raise InvalidInput("the market has no sales data to plan from", field="dataset_id")
    today = utcnow().date()
    items: list[tuple[str, str, str, int, dt.date]] = []
    for attr in [a for a in report.hot_attributes if a.rising][:3]:
        growth = f"{attr.growth_pct:+.0f} %" if attr.growth_pct is not None else "new"
        items.append(("new_variant", f"Develop a variant with “{attr.attribute}”",
                      f"{attr.volume:,} searches last month ({growth}), {attr.share_pct:.1f} % of searches",
                      1, _quarter_end(today, 1)))  # fmt: skip
    if data.category_code:
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=NEEDS_WINDOW_DAYS)
        needs = buyer_needs(
            session, actor=actor, category_code=data.category_code.strip(), since=since
        )
        for reason, count in needs.most_common():
            if reason in PRODUCT_REASONS:
                items.append(("improve", f"Fix the cause of “{reason.replace('_', ' ')}” complaints",
                              f"{count} complaint(s) and refund request(s) in the last {NEEDS_WINDOW_DAYS} days",
                              1, _quarter_end(today, 1)))  # fmt: skip
    if report.maturity is not None:
        stage = report.maturity.stage
        action, title = {
            MaturityStage.INTRODUCTION: (
                "widen_range",
                "Widen the range while the market takes off",
            ),
            MaturityStage.GROWTH: ("widen_range", "Add models for the growing demand"),
            MaturityStage.MATURITY: ("differentiate", "Differentiate: the market no longer grows"),
            MaturityStage.DECLINE: ("redesign", "Redesign or retire models: the market shrinks"),
        }[stage]
        items.append((action, title, f"maturity stage {stage.value}: {report.maturity.explanation}", 2,
                      _quarter_end(today, 2)))  # fmt: skip
    if report.best_price_band is not None:
        band = report.best_price_band
        low, high = Money(band.low, report.currency), Money(band.high, report.currency)
        items.append(("reposition", f"Have a model priced {low} to {high}",
                      f"the best-selling band holds {band.units_share_pct:.1f} % of units", 3,
                      _quarter_end(today, 2)))  # fmt: skip
    plan = ProductPlan(
        company_id=actor.company_id,
        dataset_id=data.dataset_id,
        category_code=data.category_code.strip(),
        title=data.title.strip()
        or f"Product plan: {report.dataset.category} / {report.dataset.market}",
        created_by=actor.label,
    )
    session.add(plan)
    session.flush()
    for action, title, evidence, priority, due in items:
        session.add(ProductPlanItem(plan_id=plan.id, action=action, title=title[:300], evidence=evidence,
                                    priority=priority, due_on=due))  # fmt: skip
    session.flush()
    record_audit(session, action="market.product_plan", actor=actor, target_type="product_plan",
                 target_id=plan.id)  # fmt: skip
    return _read(session, plan)


def _read(session: Session, plan: ProductPlan) -> PlanRead:
    items = session.scalars(
        select(ProductPlanItem)
        .where(ProductPlanItem.plan_id == plan.id)
        .order_by(ProductPlanItem.priority, ProductPlanItem.id)
    )
    return PlanRead(id=plan.id, dataset_id=plan.dataset_id, category_code=plan.category_code, title=plan.title,
                    created_at=plan.created_at, items=[PlanItemRead.model_validate(i) for i in items])  # fmt: skip


def list_plans(session: Session, *, actor: Actor) -> list[PlanRead]:
    """1.1.7 The company's product plans, newest first."""
    actor.require(Permission.MARKET_READ)
    rows = session.scalars(
        company_scoped(select(ProductPlan), ProductPlan, actor).order_by(ProductPlan.id.desc())
    )
    return [_read(session, p) for p in rows]


def change_plan_item(
    session: Session, *, item_id: int, status: PlanItemStatus, actor: Actor
) -> PlanItemRead:
    """1.1.7 Move a plan item: proposed → accepted → in development → launched (or dropped)."""
    actor.require(Permission.MARKET_MANAGE)
    item = session.get(ProductPlanItem, item_id)
    plan = session.get(ProductPlan, item.plan_id) if item else None
    if item is None or plan is None or plan.company_id != actor.company_id:
        raise NotFound(f"plan item {item_id} not found")
    get_company_scoped(session, ProductPlan, plan.id, actor, what="plan item")
    item.status = plan_item_transition(item.status, status)
    session.flush()
    return PlanItemRead.model_validate(item)
