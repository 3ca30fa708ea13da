"""3.1.1 Competitor database with the history of each product's price, sales, rating, reviews."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.catalog.competitors import (
    add_competitor,
    add_competitor_product,
    competitor_history,
    list_competitor_products,
    observe_competitor_product,
)
from storeops.errors import InvalidInput, NotFound, PermissionDenied
from tests.factories import make_company, make_member, make_store, owner_actor


def test_products_with_latest_observation_and_price_change(session: Session) -> None:
    company = make_company(session)
    actor = owner_actor(session, company)
    rival = add_competitor(
        session,
        actor=actor,
        platform="amazon",
        name="Rival Store",
        country="cn",
        kind="direct",
        first_seen_on=dt.date(2026, 1, 5),
    )
    case = add_competitor_product(
        session,
        actor=actor,
        competitor_id=rival.id,
        title="Phone Case",
        brand="RV",
        currency="usd",
        listed_on=dt.date(2025, 11, 1),
    )
    cable = add_competitor_product(
        session,
        actor=actor,
        competitor_id=rival.id,
        title="Cable",
        brand="RV",
        currency="USD",
        listed_on=dt.date(2026, 2, 1),
    )
    for day, price, sales, rating, reviews in (
        (dt.date(2026, 9, 7), 2000, 300, 4.2, 100),
        (dt.date(2026, 9, 14), 1900, 340, 4.3, 120),
        (dt.date(2026, 9, 21), 1800, 380, 4.3, 135),
    ):
        observe_competitor_product(
            session,
            actor=actor,
            competitor_product_id=case.id,
            observed_on=day,
            price_amount=price,
            est_monthly_sales=sales,
            rating=rating,
            review_count=reviews,
        )
    # a correction of the same day replaces the observation
    observe_competitor_product(
        session,
        actor=actor,
        competitor_product_id=case.id,
        observed_on=dt.date(2026, 9, 21),
        price_amount=1700,
        est_monthly_sales=400,
        rating=4.4,
        review_count=136,
    )
    observe_competitor_product(
        session,
        actor=actor,
        competitor_product_id=cable.id,
        observed_on=dt.date(2026, 9, 21),
        price_amount=999,
        est_monthly_sales=50,
        rating=3.9,
        review_count=8,
    )
    rows = list_competitor_products(session, actor=actor)
    assert [
        (r.title, r.price_amount, r.price_change_pct, r.est_monthly_sales, r.rating, r.observations)
        for r in rows
    ] == [
        ("Phone Case", 1700, -15.0, 400, 4.4, 3),  # (1700 - 2000) / 2000
        ("Cable", 999, None, 50, 3.9, 1),
    ]
    since = list_competitor_products(session, actor=actor, date_from=dt.date(2026, 9, 14))
    assert since[0].price_change_pct == -10.5  # (1700 - 1900) / 1900 = -10.53 %
    history = competitor_history(session, actor=actor, competitor_product_id=case.id)
    assert [(h.observed_on.day, h.price_amount, h.review_count) for h in history] == [
        (7, 2000, 100),
        (14, 1900, 120),
        (21, 1700, 136),
    ]


def test_competitor_records_are_validated_and_company_scoped(session: Session) -> None:
    company, other = make_company(session), make_company(session)
    actor = owner_actor(session, company)
    rival = add_competitor(
        session,
        actor=actor,
        platform="ebay",
        name="R",
        country="GB",
        kind="potential",
        first_seen_on=dt.date(2026, 1, 1),
    )
    product = add_competitor_product(
        session,
        actor=actor,
        competitor_id=rival.id,
        title="T",
        brand="B",
        currency="GBP",
        listed_on=dt.date(2026, 1, 1),
    )
    with pytest.raises(InvalidInput, match="unknown kind 'enemy'"):
        add_competitor(
            session,
            actor=actor,
            platform="ebay",
            name="R",
            country="GB",
            kind="enemy",
            first_seen_on=dt.date(2026, 1, 1),
        )
    with pytest.raises(InvalidInput, match="rating must be between 0 and 5"):
        observe_competitor_product(
            session,
            actor=actor,
            competitor_product_id=product.id,
            observed_on=dt.date(2026, 9, 1),
            price_amount=100,
            est_monthly_sales=1,
            rating=7,
            review_count=1,
        )
    with pytest.raises(NotFound, match=f"competitor product {product.id} not found"):
        competitor_history(
            session, actor=owner_actor(session, other), competitor_product_id=product.id
        )
    assert list_competitor_products(session, actor=owner_actor(session, other)) == []
    _, viewer = make_member(
        session, company=company, role=Role.VIEWER, stores=[make_store(session, company=company)]
    )
    with pytest.raises(PermissionDenied):
        add_competitor_product(
            session,
            actor=viewer,
            competitor_id=rival.id,
            title="X",
            brand="B",
            currency="GBP",
            listed_on=dt.date(2026, 1, 1),
        )
