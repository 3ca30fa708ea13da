"""3.1.1 Competitor database: competing stores and their products (price, estimated sales,
rating, reviews, listing date, brand) with a dated history of observations."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.catalog.enums import CompetitorKind
from storeops.catalog.models import Competitor, CompetitorProduct, CompetitorSnapshot
from storeops.errors import InvalidInput, NotFound
from storeops.types import normalize_country, normalize_currency


class CompetitorProductRead(BaseModel):
    """A competitor's product with its latest observation and the change since the first one."""

    id: int
    competitor_id: int
    competitor: str
    platform: str
    kind: str
    title: str
    brand: str
    currency: str
    listed_on: dt.date
    observations: int
    last_observed_on: dt.date | None
    price_amount: int | None
    price_change_pct: float | None  # latest against the first observation in the range
    est_monthly_sales: int | None
    rating: float | None
    review_count: int | None


class SnapshotRead(BaseModel):
    observed_on: dt.date
    price_amount: int
    est_monthly_sales: int
    rating: float
    review_count: int


def add_competitor(
    session: Session,
    *,
    actor: Actor,
    platform: str,
    name: str,
    country: str,
    kind: str,
    first_seen_on: dt.date,
) -> Competitor:
    """3.1.1 Record a competing store (direct, indirect or potential)."""
    actor.require(Permission.CATALOG_MANAGE)
    try:
        chosen = CompetitorKind(kind)
    except ValueError:
        options = ", ".join(k.value for k in CompetitorKind)
        raise InvalidInput(
            f"unknown kind {kind!r}; choose one of: {options}", field="kind"
        ) from None
    if not name.strip():
        raise InvalidInput("the competitor's name is empty", field="name")
    competitor = Competitor(
        company_id=actor.company_id,
        platform=platform.strip()[:32],
        name=name.strip()[:160],
        country=normalize_country(country),
        kind=chosen,
        first_seen_on=first_seen_on,
    )
    session.add(competitor)
    session.flush()
    return competitor


def _competitor_product(session: Session, actor: Actor, product_id: int) -> CompetitorProduct:
    found = session.scalars(
        select(CompetitorProduct).where(
            CompetitorProduct.id == product_id, CompetitorProduct.company_id == actor.company_id
        )
    ).one_or_none()
    if found is None:
        raise NotFound(f"competitor product {product_id} not found")
    return found


def add_competitor_product(
    session: Session,
    *,
    actor: Actor,
    competitor_id: int,
    title: str,
    brand: str,
    currency: str,
    listed_on: dt.date,
    category_id: int | None = None,
) -> CompetitorProduct:
    """3.1.1 Record a competitor's product."""
    actor.require(Permission.CATALOG_MANAGE)
    competitor = session.scalars(
        select(Competitor).where(
            Competitor.id == competitor_id, Competitor.company_id == actor.company_id
        )
    ).one_or_none()
    if competitor is None:
        raise NotFound(f"competitor {competitor_id} not found", field="competitor_id")
    if not title.strip():
        raise InvalidInput("the product title is empty", field="title")
    product = CompetitorProduct(
        company_id=actor.company_id,
        competitor_id=competitor.id,
        category_id=category_id,
        title=title.strip()[:400],
        brand=brand.strip()[:80],
        currency=normalize_currency(currency),
        listed_on=listed_on,
    )
    session.add(product)
    session.flush()
    return product


def observe_competitor_product(
    session: Session,
    *,
    actor: Actor,
    competitor_product_id: int,
    observed_on: dt.date,
    price_amount: int,
    est_monthly_sales: int,
    rating: float,
    review_count: int,
) -> CompetitorSnapshot:
    """3.1.1 Record (or correct) the observation of a competitor product on a day."""
    actor.require(Permission.CATALOG_MANAGE)
    product = _competitor_product(session, actor, competitor_product_id)
    if price_amount <= 0:
        raise InvalidInput("the price must be positive", field="price_amount")
    if est_monthly_sales < 0 or review_count < 0:
        raise InvalidInput("sales and review counts cannot be negative", field="est_monthly_sales")
    if not 0 <= rating <= 5:
        raise InvalidInput("the rating must be between 0 and 5 stars", field="rating")
    snapshot = session.scalars(
        select(CompetitorSnapshot).where(
            CompetitorSnapshot.competitor_product_id == product.id,
            CompetitorSnapshot.observed_on == observed_on,
        )
    ).one_or_none()
    if snapshot is None:
        snapshot = CompetitorSnapshot(
            company_id=actor.company_id, competitor_product_id=product.id, observed_on=observed_on
        )
        session.add(snapshot)
    snapshot.price_amount = price_amount
    snapshot.est_monthly_sales = est_monthly_sales
    snapshot.rating_x10 = round(rating * 10)
    snapshot.review_count = review_count
    session.flush()
    return snapshot


def list_competitor_products(
    session: Session,
    *,
    actor: Actor,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    category_id: int | None = None,
) -> list[CompetitorProductRead]:
    """3.1.1 Competitor products with their latest observation in the range and the price change
    from the range's first observation, biggest estimated sales first."""
    actor.require(Permission.CATALOG_READ)
    stmt = (
        select(CompetitorProduct, Competitor)
        .join(Competitor, Competitor.id == CompetitorProduct.competitor_id)
        .where(CompetitorProduct.company_id == actor.company_id)
    )
    if category_id is not None:
        stmt = stmt.where(CompetitorProduct.category_id == category_id)
    products = list(session.execute(stmt).tuples())
    snaps = select(CompetitorSnapshot).where(
        CompetitorSnapshot.company_id == actor.company_id,
        CompetitorSnapshot.competitor_product_id.in_([p.id for p, _ in products]),
    )
    if date_from is not None:
        snaps = snaps.where(CompetitorSnapshot.observed_on >= date_from)
    if date_to is not None:
        snaps = snaps.where(CompetitorSnapshot.observed_on <= date_to)
    history: dict[int, list[CompetitorSnapshot]] = {}
    for snap in session.scalars(snaps.order_by(CompetitorSnapshot.observed_on)):
        history.setdefault(snap.competitor_product_id, []).append(snap)
    result = []
    for product, competitor in products:
        seen = history.get(product.id, [])
        first, last = (seen[0], seen[-1]) if seen else (None, None)
        change = (
            round(100 * (last.price_amount - first.price_amount) / first.price_amount, 1)
            if first is not None and last is not None and first is not last
            else None
        )
        result.append(
            CompetitorProductRead(
                id=product.id,
                competitor_id=competitor.id,
                competitor=competitor.name,
                platform=competitor.platform,
                kind=competitor.kind.value,
                title=product.title,
                brand=product.brand,
                currency=product.currency,
                listed_on=product.listed_on,
                observations=len(seen),
                last_observed_on=last.observed_on if last else None,
                price_amount=last.price_amount if last else None,
                price_change_pct=change,
                est_monthly_sales=last.est_monthly_sales if last else None,
                rating=last.rating_x10 / 10 if last else None,
                review_count=last.review_count if last else None,
            )
        )
    result.sort(key=lambda r: (-(r.est_monthly_sales or 0), r.id))
    return result


def competitor_history(
    session: Session, *, actor: Actor, competitor_product_id: int
) -> list[SnapshotRead]:
    """3.1.1 Every observation of one competitor product, oldest first."""
    actor.require(Permission.CATALOG_READ)
    product = _competitor_product(session, actor, competitor_product_id)
    return [
        SnapshotRead(
            observed_on=s.observed_on,
            price_amount=s.price_amount,
            est_monthly_sales=s.est_monthly_sales,
            rating=s.rating_x10 / 10,
            review_count=s.review_count,
        )
        for s in session.scalars(
            select(CompetitorSnapshot)
            .where(CompetitorSnapshot.competitor_product_id == product.id)
            .order_by(CompetitorSnapshot.observed_on)
        )
    ]
