"""1.1.5 Competitor identification and classification (direct, indirect, potential; by period)
and the comparison of competitors with the company in one category."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, scoped
from storeops.catalog.models import (
    Category,
    Competitor,
    CompetitorProduct,
    CompetitorSnapshot,
    Listing,
    Product,
)
from storeops.errors import InvalidInput
from storeops.market.schemas import CompetitorAnalysis, CompetitorRow
from storeops.orders.models import Order, OrderLine
from storeops.stores.models import Store
from storeops.types import Money, normalize_currency


def competitor_analysis(
    session: Session,
    *,
    actor: Actor,
    category_code: str,
    period_start: dt.date,
    period_end: dt.date,
    currency: str = "USD",
) -> CompetitorAnalysis:
    """1.1.5 Who competes in the category, of which kind, and how they compare, in a period.

    *Direct*: sells products of the category on a platform where the company has a store.
    *Indirect*: sells products of the category only on platforms where the company has no store.
    *Potential*: on one of the company's platforms, not (yet) in the category.
    Prices, units and ratings are the averages of the competitor's weekly snapshots in the period.
    """
    actor.require(Permission.MARKET_READ)
    if period_end < period_start:
        raise InvalidInput("the period ends before it starts", field="period_end")
    code = normalize_currency(currency)
    category = session.scalars(
        select(Category).where(
            Category.company_id == actor.company_id, Category.code == category_code.strip()
        )
    ).one_or_none()
    if category is None:
        raise InvalidInput(f"no category with code {category_code!r}", field="category")
    own_platforms = sorted(
        {s.platform.value for s in session.scalars(scoped(select(Store), Store, actor))}
    )
    competitors = list(
        session.scalars(
            select(Competitor)
            .where(Competitor.company_id == actor.company_id)
            .order_by(Competitor.id)
        )
    )
    products: dict[int, list[int]] = defaultdict(list)
    for product_id, competitor_id in session.execute(
        select(CompetitorProduct.id, CompetitorProduct.competitor_id).where(
            CompetitorProduct.company_id == actor.company_id,
            CompetitorProduct.category_id == category.id,
            CompetitorProduct.currency == code,
        )
    ):
        products[int(competitor_id)].append(int(product_id))
    snaps: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    owner = {p: c for c, ps in products.items() for p in ps}
    if owner:
        for product_id, price, units, rating, reviews in session.execute(
            select(
                CompetitorSnapshot.competitor_product_id,
                CompetitorSnapshot.price_amount,
                CompetitorSnapshot.est_monthly_sales,
                CompetitorSnapshot.rating_x10,
                CompetitorSnapshot.review_count,
            ).where(
                CompetitorSnapshot.competitor_product_id.in_(sorted(owner)),
                CompetitorSnapshot.observed_on >= period_start,
                CompetitorSnapshot.observed_on <= period_end,
            )
        ):
            snaps[int(product_id)].append((int(price), int(units), int(rating), int(reviews)))
    rows: list[CompetitorRow] = []
    digits = Money(0, code)
    for comp in competitors:
        mine = products.get(comp.id, [])
        on_our_platform = comp.platform in own_platforms
        if mine and on_our_platform:
            kind, reason = "direct", f"sells the category on {comp.platform}, where you sell"
        elif mine:
            kind, reason = (
                "indirect",
                f"sells the category on {comp.platform}, where you do not sell",
            )
        elif on_our_platform:
            kind, reason = "potential", f"on {comp.platform} with you, not in this category"
        else:
            continue
        observed = [s for p in mine for s in snaps.get(p, [])]
        per_product_units = []
        per_product_revenue = []
        for p in mine:
            got = snaps.get(p, [])
            if got:
                units = sum(u for _, u, _, _ in got) / len(got)
                price = sum(pr for pr, _, _, _ in got) / len(got)
                per_product_units.append(units)
                per_product_revenue.append(units * price)
        rows.append(
            CompetitorRow(
                competitor_id=comp.id,
                name=comp.name,
                platform=comp.platform,
                country=comp.country,
                classification=kind,
                reason=reason,
                recorded_kind=comp.kind.value,
                new_in_period=period_start <= comp.first_seen_on <= period_end,
                products_in_category=len(mine),
                avg_price=float(
                    Money(round(sum(s[0] for s in observed) / len(observed)), code).decimal
                )
                if observed
                else None,
                est_monthly_units=round(sum(per_product_units)),
                est_monthly_revenue=float(
                    Money(round(sum(per_product_revenue)), digits.currency).decimal
                ),
                avg_rating=round(sum(s[2] for s in observed) / len(observed) / 10, 2)
                if observed
                else None,
                reviews=max((s[3] for s in observed), default=0),
            )
        )
    order = {"direct": 0, "indirect": 1, "potential": 2}
    rows.sort(key=lambda r: (order[r.classification], -r.est_monthly_revenue, r.name))
    own_price = session.scalar(
        scoped(select(func.avg(Listing.price_amount)), Listing, actor)
        .join(Product, Product.id == Listing.product_id)
        .where(Product.category_id == category.id, Listing.currency == code)
    )
    start = dt.datetime.combine(period_start, dt.time(), dt.UTC)
    end = dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time(), dt.UTC)
    own_units = session.scalar(
        scoped(select(func.coalesce(func.sum(OrderLine.quantity), 0)), OrderLine, actor)
        .join(Order, Order.id == OrderLine.order_id)
        .join(Listing, Listing.id == OrderLine.listing_id)
        .join(Product, Product.id == Listing.product_id)
        .where(
            Product.category_id == category.id,
            OrderLine.currency == code,
            Order.paid_at >= start,
            Order.paid_at < end,
        )
    )
    months = max(1.0, ((period_end - period_start).days + 1) / 30.4375)
    counts = {k: sum(1 for r in rows if r.classification == k) for k in order}
    return CompetitorAnalysis(
        category=f"{category.name_en} ({category.code})",
        currency=code,
        period_start=period_start,
        period_end=period_end,
        own_platforms=own_platforms,
        own_avg_price=float(Money(round(own_price), code).decimal)
        if own_price is not None
        else None,
        own_monthly_units=round(float(own_units or 0) / months, 2),
        competitors=rows,
        counts=counts,
    )
