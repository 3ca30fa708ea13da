"""1.1.9 Supply-chain analysis: lead times, supplier concentration and supply risks, from the
catalog's suppliers and the units the company sold in a period."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, scoped
from storeops.catalog.models import Category, Listing, Product, Supplier
from storeops.errors import InvalidInput
from storeops.market import metrics
from storeops.market.research import concentration_read
from storeops.market.schemas import SupplierRow, SupplyChainRead
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Order, OrderLine

LONG_LEAD_TIME_DAYS = 30
SINGLE_SOURCE_SHARE_PCT = 50.0


def supply_chain_analysis(
    session: Session,
    *,
    actor: Actor,
    period_start: dt.date,
    period_end: dt.date,
    category_code: str | None = None,
) -> SupplyChainRead:
    """1.1.9 Units sold per supplier in the period (the actor's stores), supplier concentration
    (CR4/HHI of units), units-weighted lead time, the units sold during one lead time, and flags:
    long lead time (over 30 days), low rating, a category more than half from one supplier."""
    actor.require(Permission.MARKET_READ)
    if period_end < period_start:
        raise InvalidInput("the period ends before it starts", field="period_end")
    category = None
    if category_code:
        category = session.scalars(
            select(Category).where(
                Category.company_id == actor.company_id, Category.code == category_code.strip()
            )
        ).one_or_none()
        if category is None:
            raise InvalidInput(f"no category with code {category_code!r}", field="category")
    start = dt.datetime.combine(period_start, dt.time(), dt.UTC)
    end = dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time(), dt.UTC)
    stmt = (
        scoped(
            select(Product.supplier_id, Product.category_id, func.sum(OrderLine.quantity)),
            OrderLine,
            actor,
        )
        .join(Order, Order.id == OrderLine.order_id)
        .join(Listing, Listing.id == OrderLine.listing_id)
        .join(Product, Product.id == Listing.product_id)
        .where(
            Order.paid_at >= start,
            Order.paid_at < end,
            Order.status.not_in([OrderStatus.CANCELLED, OrderStatus.DRAFT]),
        )
        .group_by(Product.supplier_id, Product.category_id)
    )
    if category is not None:
        stmt = stmt.where(Product.category_id == category.id)
    units: dict[int | None, int] = defaultdict(int)
    by_category: dict[int, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    for supplier_id, category_id, quantity in session.execute(stmt):
        units[supplier_id] += int(quantity)
        by_category[int(category_id)][supplier_id] += int(quantity)
    suppliers = {
        s.id: s
        for s in session.scalars(select(Supplier).where(Supplier.company_id == actor.company_id))
    }
    product_counts = {
        supplier_id: int(count)
        for supplier_id, count in session.execute(
            select(Product.supplier_id, func.count())
            .where(Product.company_id == actor.company_id)
            .group_by(Product.supplier_id)
        )
    }
    total = sum(units.values())
    days = (period_end - period_start).days + 1
    notes: list[str] = []
    if units.get(None):
        notes.append(f"{units[None]:,} units come from products without a supplier on record")
    rows: list[SupplierRow] = []
    for supplier_id, supplier in suppliers.items():
        sold = units.get(supplier_id, 0)
        per_day = sold / days
        flags = []
        if supplier.lead_time_days > LONG_LEAD_TIME_DAYS:
            flags.append(f"lead time {supplier.lead_time_days} days (over {LONG_LEAD_TIME_DAYS})")
        if supplier.rating <= 2:
            flags.append(f"rated {supplier.rating} of 5")
        rows.append(
            SupplierRow(
                supplier_id=supplier_id,
                name=supplier.name,
                city=supplier.city,
                kind=supplier.kind,
                lead_time_days=supplier.lead_time_days,
                moq=supplier.moq,
                rating=supplier.rating,
                products=int(product_counts.get(supplier_id, 0)),
                units=sold,
                share_pct=100.0 * sold / total if total else 0.0,
                units_per_day=round(per_day, 3),
                lead_time_demand=round(per_day * supplier.lead_time_days),
                flags=flags,
            )
        )
    rows.sort(key=lambda r: (-r.units, r.name))
    named = {suppliers[s].name: u for s, u in units.items() if s in suppliers and u > 0}
    concentration = concentration_read(metrics.concentration(named)) if named else None
    known = sum(u for s, u in units.items() if s in suppliers)
    weighted = (
        sum(suppliers[s].lead_time_days * u for s, u in units.items() if s in suppliers) / known
        if known
        else None
    )
    names = {
        int(category_id): str(code)
        for category_id, code in session.execute(
            select(Category.id, Category.code).where(Category.company_id == actor.company_id)
        )
    }
    single: list[str] = []
    for category_id, split in sorted(by_category.items()):
        category_total = sum(split.values())
        top_supplier, top_units = max(split.items(), key=lambda kv: kv[1])
        if (
            top_supplier in suppliers
            and 100.0 * top_units / category_total > SINGLE_SOURCE_SHARE_PCT
        ):
            single.append(
                f"{names.get(category_id, category_id)}: {100.0 * top_units / category_total:.0f} % "
                f"from {suppliers[top_supplier].name}"
            )
    if total == 0:
        notes.append("no units sold in the period")
    notes.append("stock risk needs inventory levels, which the supply area records")
    return SupplyChainRead(
        period_start=period_start,
        period_end=period_end,
        category=category.code if category else None,
        total_units=total,
        weighted_lead_time_days=round(weighted, 2) if weighted is not None else None,
        concentration=concentration,
        suppliers=rows,
        single_source_categories=single,
        notes=notes,
    )
