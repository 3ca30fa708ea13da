"""1.1.5 competitor identification and classification, compared with the company, by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.catalog.enums import CompetitorKind, ListingStatus
from storeops.catalog.models import (
    Category,
    Competitor,
    CompetitorProduct,
    CompetitorSnapshot,
    Listing,
    Product,
)
from storeops.errors import InvalidInput
from storeops.market.competitors import competitor_analysis
from storeops.orders.models import OrderLine
from storeops.stores.enums import Platform
from tests.factories import make_company, make_store, owner_actor
from tests.market.test_health import Shop, at

JUNE = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))


def test_competitors_classified_and_compared(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, platform=Platform.AMAZON, timezone="UTC")
    actor = owner_actor(session, company)
    audio = Category(company_id=company.id, code="AUDIO", name_zh="音频", name_en="Audio")
    other = Category(company_id=company.id, code="BAGS", name_zh="箱包", name_en="Bags")
    session.add_all([audio, other])
    session.flush()

    def rival(name: str, platform: str, seen: dt.date) -> Competitor:
        c = Competitor(company_id=company.id, platform=platform, name=name, country="CN",
                       kind=CompetitorKind.DIRECT, first_seen_on=seen)  # fmt: skip
        session.add(c)
        session.flush()
        return c

    def product(c: Competitor, category: Category) -> CompetitorProduct:
        p = CompetitorProduct(company_id=company.id, competitor_id=c.id, category_id=category.id,
                              title="t", brand="B", currency="USD", listed_on=dt.date(2026, 1, 1))  # fmt: skip
        session.add(p)
        session.flush()
        return p

    def snap(
        p: CompetitorProduct, day: dt.date, price: int, units: int, rating: int, reviews: int
    ) -> None:
        session.add(CompetitorSnapshot(company_id=company.id, competitor_product_id=p.id,
                                       observed_on=day, price_amount=price, est_monthly_sales=units,
                                       rating_x10=rating, review_count=reviews))  # fmt: skip

    r1 = rival("R1", "amazon", dt.date(2026, 6, 5))
    p1, p2 = product(r1, audio), product(r1, audio)
    snap(p1, dt.date(2026, 6, 7), 2000, 100, 43, 50)
    snap(p1, dt.date(2026, 6, 14), 2200, 80, 45, 60)
    snap(p2, dt.date(2026, 6, 7), 1000, 10, 40, 5)
    snap(p1, dt.date(2026, 7, 7), 9999, 999, 10, 999)  # after the period
    r2 = rival("R2", "ebay", dt.date(2025, 1, 1))
    snap(product(r2, audio), dt.date(2026, 5, 1), 1500, 50, 44, 10)  # before the period
    product(rival("R3", "amazon", dt.date(2025, 1, 1)), other)
    product(rival("R4", "shopee", dt.date(2025, 1, 1)), other)
    # own: one audio listing at 19.99 USD, 3 units sold in June
    own = Product(company_id=company.id, category_id=audio.id, code="P1", name_zh="耳机",
                  name_en="Earbuds", brand="X", hs_code="85183000", launched_on=dt.date(2026, 1, 1))  # fmt: skip
    session.add(own)
    session.flush()
    listing = Listing(store_id=store.id, product_id=own.id, external_id="L1", title="Earbuds",
                      bullet_points=[], description="", attributes={}, price_amount=1999,
                      currency="USD", image_count=5, video_count=0, status=ListingStatus.ACTIVE,
                      listed_on=dt.date(2026, 1, 1), updated_on=dt.date(2026, 1, 1))  # fmt: skip
    session.add(listing)
    session.flush()
    order = Shop(session, store).order(at(dt.date(2026, 6, 10)))
    from storeops.catalog.models import Sku

    sku = Sku(company_id=company.id, product_id=own.id, code="S1", variant="black", cost_amount=500,
              cost_currency="CNY", weight_g=50, length_mm=1, width_mm=1, height_mm=1)  # fmt: skip
    session.add(sku)
    session.flush()
    session.add(OrderLine(order_id=order.id, store_id=store.id, listing_id=listing.id, sku_id=sku.id,
                          quantity=3, unit_price_amount=1999, line_amount=5997, currency="USD"))  # fmt: skip
    session.flush()

    result = competitor_analysis(
        session, actor=actor, category_code="AUDIO", period_start=JUNE[0], period_end=JUNE[1]
    )
    assert result.own_platforms == ["amazon"]
    assert [(r.name, r.classification) for r in result.competitors] == [
        ("R1", "direct"), ("R2", "indirect"), ("R3", "potential"),
    ]  # fmt: skip
    assert result.counts == {"direct": 1, "indirect": 1, "potential": 1}
    r1_row = result.competitors[0]
    assert r1_row.new_in_period
    assert r1_row.products_in_category == 2
    assert r1_row.avg_price == pytest.approx(17.33)  # (20 + 22 + 10) / 3
    assert r1_row.est_monthly_units == 100  # (100 + 80) / 2 + 10
    assert r1_row.est_monthly_revenue == pytest.approx(1990.0)  # 90 × 21.00 + 10 × 10.00
    assert r1_row.avg_rating == pytest.approx(4.27)
    assert r1_row.reviews == 60
    r2_row = result.competitors[1]
    assert (r2_row.avg_price, r2_row.est_monthly_units, r2_row.new_in_period) == (None, 0, False)
    assert result.own_avg_price == pytest.approx(19.99)
    assert result.own_monthly_units == 3.0
    with pytest.raises(InvalidInput, match="no category"):
        competitor_analysis(session, actor=actor, category_code="NOPE", period_start=JUNE[0],
                            period_end=JUNE[1])  # fmt: skip
