"""1.1.9 supply-chain analysis on hand-built suppliers and sales."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Category, Listing, Product, Sku, Supplier
from storeops.market.supply_chain import supply_chain_analysis
from storeops.orders.models import OrderLine
from tests.factories import make_company, make_store, owner_actor
from tests.market.test_health import Shop, at


def test_supplier_concentration_lead_times_and_single_sources(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    actor = owner_actor(session, company)
    s1 = Supplier(company_id=company.id, name="S1", province="Zhejiang", city="Yiwu",
                  kind="factory", rating=4, lead_time_days=45, moq=100)  # fmt: skip
    s2 = Supplier(company_id=company.id, name="S2", province="Guangdong", city="Shenzhen",
                  kind="trader", rating=2, lead_time_days=10, moq=50)  # fmt: skip
    cat_a = Category(company_id=company.id, code="A", name_zh="甲", name_en="A")
    cat_b = Category(company_id=company.id, code="B", name_zh="乙", name_en="B")
    session.add_all([s1, s2, cat_a, cat_b])
    session.flush()
    shop = Shop(session, store)
    order = shop.order(at(dt.date(2026, 6, 10)))
    late = shop.order(at(dt.date(2026, 7, 2)))  # after the period

    def sell(supplier: Supplier, category: Category, units: int, when: object = order) -> None:
        product = Product(company_id=company.id, category_id=category.id, supplier_id=supplier.id,
                          code=f"P{supplier.id}{category.id}{units}", name_zh="品", name_en="P",
                          brand="X", hs_code="1", launched_on=dt.date(2026, 1, 1))  # fmt: skip
        session.add(product)
        session.flush()
        sku = Sku(company_id=company.id, product_id=product.id, code=f"S{product.id}", variant="v",
                  cost_amount=1, cost_currency="CNY", weight_g=1, length_mm=1, width_mm=1,
                  height_mm=1)  # fmt: skip
        listing = Listing(store_id=store.id, product_id=product.id, external_id=f"L{product.id}",
                          title="t", bullet_points=[], description="", attributes={},
                          price_amount=100, currency="USD", image_count=1, video_count=0,
                          status=ListingStatus.ACTIVE, listed_on=dt.date(2026, 1, 1),
                          updated_on=dt.date(2026, 1, 1))  # fmt: skip
        session.add_all([sku, listing])
        session.flush()
        session.add(OrderLine(order_id=when.id, store_id=store.id, listing_id=listing.id,  # type: ignore[attr-defined]
                              sku_id=sku.id, quantity=units, unit_price_amount=100,
                              line_amount=100 * units, currency="USD"))  # fmt: skip

    sell(s1, cat_a, 60)
    sell(s2, cat_a, 30)
    sell(s1, cat_b, 30)
    sell(s2, cat_b, 500, late)
    session.flush()
    result = supply_chain_analysis(
        session, actor=actor, period_start=dt.date(2026, 6, 1), period_end=dt.date(2026, 6, 30)
    )
    assert result.total_units == 120
    rows = {r.name: r for r in result.suppliers}
    assert (rows["S1"].units, rows["S1"].share_pct) == (90, pytest.approx(75))
    assert rows["S1"].units_per_day == 3.0  # 90 units / 30 days
    assert rows["S1"].lead_time_demand == 135  # 3 a day × 45 days
    assert rows["S2"].lead_time_demand == 10
    assert rows["S1"].flags == ["lead time 45 days (over 30)"]
    assert rows["S2"].flags == ["rated 2 of 5"]
    assert result.concentration is not None
    assert result.concentration.hhi == pytest.approx(75**2 + 25**2)
    assert result.weighted_lead_time_days == pytest.approx((45 * 90 + 10 * 30) / 120)
    assert result.single_source_categories == ["A: 67 % from S1", "B: 100 % from S1"]
    only_a = supply_chain_analysis(
        session, actor=actor, period_start=dt.date(2026, 6, 1), period_end=dt.date(2026, 6, 30),
        category_code="A",
    )  # fmt: skip
    assert only_a.total_units == 90
