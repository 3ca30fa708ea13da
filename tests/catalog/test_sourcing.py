"""3.1.2 suppliers with their products and cost range; 3.1.4 the keyword table."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from storeops.catalog.models import Keyword, Sku, Supplier
from storeops.catalog.sourcing import list_keywords, list_suppliers
from storeops.errors import InvalidInput
from tests.catalog.factories import make_category, make_product
from tests.factories import make_company, owner_actor


def test_suppliers_with_products_skus_and_cost_range(session: Session) -> None:
    company = make_company(session)  # base currency CNY
    category = make_category(session, company=company)
    factory = Supplier(
        company_id=company.id,
        name="Shenzhen Factory",
        province="Guangdong",
        city="Shenzhen",
        kind="factory",
        rating=5,
        lead_time_days=12,
        moq=300,
    )
    trader = Supplier(
        company_id=company.id,
        name="Yiwu Trader",
        province="Zhejiang",
        city="Yiwu",
        kind="trader",
        rating=3,
        lead_time_days=5,
        moq=50,
    )
    session.add_all([factory, trader])
    session.flush()
    for code, cost, currency in (("A", 1250, "CNY"), ("B", 980, "CNY"), ("C", 300, "USD")):
        product = make_product(session, company=company, category=category)
        product.supplier_id = factory.id
        session.add(
            Sku(
                company_id=company.id,
                product_id=product.id,
                code=f"SKU-{code}-{product.id}",
                variant="Black",
                cost_amount=cost,
                cost_currency=currency,
                weight_g=100,
                length_mm=1,
                width_mm=1,
                height_mm=1,
            )
        )
    session.flush()
    rows = list_suppliers(session, actor=owner_actor(session, company))
    assert [
        (r.name, r.products, r.skus, r.min_cost_amount, r.max_cost_amount, r.cost_currency)
        for r in rows
    ] == [
        ("Shenzhen Factory", 3, 3, 980, 1250, "CNY"),  # the USD SKU is not compared
        ("Yiwu Trader", 0, 0, None, None, None),
    ]
    assert [
        r.name for r in list_suppliers(session, actor=owner_actor(session, company), min_rating=4)
    ] == ["Shenzhen Factory"]


def test_keyword_table_filters_and_orders(session: Session) -> None:
    company = make_company(session)
    for text, market, searches, relevance in (
        ("phone holder", "US", 9000, 90),
        ("handyhalterung", "DE", 4000, 80),
        ("car mount", "US", 12000, 40),
        ("magnetic phone holder", "US", 3000, 95),
    ):
        session.add(
            Keyword(
                company_id=company.id,
                text=text,
                language="en",
                market=market,
                monthly_searches=searches,
                source="amazon_brand_analytics",
                relevance=relevance,
            )
        )
    session.flush()
    actor = owner_actor(session, company)
    assert [k.text for k in list_keywords(session, actor=actor, market="us", min_relevance=50)] == [
        "phone holder",
        "magnetic phone holder",
    ]
    assert [k.text for k in list_keywords(session, actor=actor, text="HOLDER")] == [
        "phone holder",
        "magnetic phone holder",
    ]
    with pytest.raises(InvalidInput, match="min_relevance"):
        list_keywords(session, actor=actor, min_relevance=101)
