"""3.1.2 Suppliers and the products they make (cost, MOQ, lead time, rating); 3.1.4 the keyword
table of each market (search volume, source, relevance)."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.catalog.models import Category, Keyword, Product, Sku, Supplier
from storeops.errors import InvalidInput
from storeops.stores.models import Company


class SupplierRead(BaseModel):
    """3.1.2 A supplier with its terms and what the company buys from it."""

    id: int
    name: str
    kind: str
    province: str
    city: str
    rating: int
    lead_time_days: int
    moq: int
    products: int
    skus: int
    min_cost_amount: int | None  # cheapest SKU's purchase cost, minor units of the base currency
    max_cost_amount: int | None
    cost_currency: str | None


class KeywordRead(BaseModel):
    """3.1.4 A search term with its monthly searches, source and relevance."""

    id: int
    text: str
    language: str
    market: str
    category: str | None
    monthly_searches: int
    source: str
    relevance: int


def list_suppliers(session: Session, *, actor: Actor, min_rating: int = 0) -> list[SupplierRead]:
    """3.1.2 The company's suppliers, best rated first, with their products and cost range."""
    actor.require(Permission.CATALOG_READ)
    base = session.scalar(select(Company.base_currency).where(Company.id == actor.company_id))
    # the cost range counts SKUs bought in the company's base currency only (amounts in different
    # currencies cannot be compared); products and SKUs count all
    counts = {
        sid: (int(p), int(s), lo, hi, base if lo is not None else None)
        for sid, p, s, lo, hi in session.execute(
            select(
                Product.supplier_id,
                func.count(func.distinct(Product.id)),
                func.count(Sku.id),
                func.min(case((Sku.cost_currency == base, Sku.cost_amount))),
                func.max(case((Sku.cost_currency == base, Sku.cost_amount))),
            )
            .join(Sku, Sku.product_id == Product.id)
            .where(Product.company_id == actor.company_id, Product.supplier_id.is_not(None))
            .group_by(Product.supplier_id)
        )
    }
    rows = session.scalars(
        select(Supplier)
        .where(Supplier.company_id == actor.company_id, Supplier.rating >= min_rating)
        .order_by(Supplier.rating.desc(), Supplier.lead_time_days, Supplier.id)
    )
    result = []
    for s in rows:
        products, skus, lo, hi, currency = counts.get(s.id, (0, 0, None, None, None))
        result.append(
            SupplierRead(
                id=s.id,
                name=s.name,
                kind=s.kind,
                province=s.province,
                city=s.city,
                rating=s.rating,
                lead_time_days=s.lead_time_days,
                moq=s.moq,
                products=products,
                skus=skus,
                min_cost_amount=lo,
                max_cost_amount=hi,
                cost_currency=currency,
            )
        )
    return result


def list_keywords(
    session: Session,
    *,
    actor: Actor,
    market: str | None = None,
    min_relevance: int = 0,
    text: str | None = None,
    limit: int = 500,
) -> list[KeywordRead]:
    """3.1.4 The keyword table: most searched first, filtered by market, relevance and text."""
    actor.require(Permission.CATALOG_READ)
    if not 0 <= min_relevance <= 100:
        raise InvalidInput("min_relevance must be between 0 and 100", field="min_relevance")
    stmt = (
        select(Keyword, Category.code)
        .outerjoin(Category, Category.id == Keyword.category_id)
        .where(Keyword.company_id == actor.company_id, Keyword.relevance >= min_relevance)
        .order_by(Keyword.monthly_searches.desc(), Keyword.id)
        .limit(max(1, min(limit, 5000)))
    )
    if market:
        stmt = stmt.where(Keyword.market == market.strip().upper())
    if text:
        stmt = stmt.where(Keyword.text.ilike(f"%{text.strip()}%"))
    return [
        KeywordRead(
            id=k.id,
            text=k.text,
            language=k.language,
            market=k.market,
            category=code,
            monthly_searches=k.monthly_searches,
            source=k.source,
            relevance=k.relevance,
        )
        for k, code in session.execute(stmt).tuples()
    ]
