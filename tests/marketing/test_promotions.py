"""5.1 Promotions: uplift of orders and revenue per day against a baseline before them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.errors import InvalidInput
from storeops.marketing.promotions import create_promotion, promotion_uplift
from tests.catalog.factories import make_category, make_listing, make_order, make_product
from tests.factories import make_company, make_store, owner_actor
from tests.marketing.factories import make_promotion

UTC = dt.UTC


def test_uplift_against_a_baseline_that_skips_other_promotions(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    listing = make_listing(session, store=store, product=product)
    actor = owner_actor(session, company)
    sale = create_promotion(
        session,
        actor=actor,
        store_id=store.id,
        name="Sept sale",
        kind="discount",
        starts_on=dt.date(2026, 9, 11),
        ends_on=dt.date(2026, 9, 12),
        discount_pct=15,
    )
    make_promotion(
        session,
        store=store,
        starts_on=dt.date(2026, 9, 5),
        ends_on=dt.date(2026, 9, 6),
        name="Flash",
    )
    # baseline = 7 days 4-10 Sept without the 5th and 6th: 5 days with 1 order of 1999 on 4, 7, 8, 9, 10
    for day in (4, 5, 6, 7, 8, 9, 10):
        make_order(session, listing=listing, placed_at=dt.datetime(2026, 9, day, 12, tzinfo=UTC))
    make_order(
        session, listing=listing, placed_at=dt.datetime(2026, 9, 5, 13, tzinfo=UTC)
    )  # in "Flash"
    # during: 3 orders on the 11th, 2 on the 12th
    for day, n in ((11, 3), (12, 2)):
        for _ in range(n):
            order = make_order(
                session, listing=listing, placed_at=dt.datetime(2026, 9, day, 9, tzinfo=UTC)
            )
            order.promotion_id = sale.id if n == 3 else None
    session.flush()
    (result,) = promotion_uplift(
        session,
        actor=actor,
        store_id=store.id,
        date_from=dt.date(2026, 9, 10),
        date_to=dt.date(2026, 9, 30),
        baseline_days=7,
    )
    assert (result.during.days, result.during.orders, result.during.orders_per_day) == (2, 5, 2.5)
    assert (result.baseline.days, result.baseline.orders, result.baseline.orders_per_day) == (
        5,
        5,
        1.0,
    )
    assert result.during.revenue_amount == 5 * 1999
    assert (result.orders_uplift_pct, result.revenue_uplift_pct) == (150.0, 150.0)
    assert result.attributed_orders == 3


def test_bad_promotions_are_refused(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    with pytest.raises(InvalidInput, match="ends before it starts"):
        create_promotion(
            session,
            actor=actor,
            store_id=store.id,
            name="X",
            kind="coupon",
            starts_on=dt.date(2026, 9, 2),
            ends_on=dt.date(2026, 9, 1),
            discount_pct=5,
        )
    with pytest.raises(InvalidInput, match="unknown kind 'bogo'"):
        create_promotion(
            session,
            actor=actor,
            store_id=store.id,
            name="X",
            kind="bogo",
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2026, 9, 1),
            discount_pct=5,
        )
