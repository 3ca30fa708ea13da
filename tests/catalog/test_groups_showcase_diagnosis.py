"""3.2.4/3.3.3 groups with owners, 3.2.5 showcase effect, 3.2.7/3.3.4 product diagnosis."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.catalog.diagnosis import ACTIONS, diagnose_listings
from storeops.catalog.enums import CompetitorKind
from storeops.catalog.groups import (
    assign_group_owner,
    create_group,
    group_overview,
    move_listings_to_group,
)
from storeops.catalog.models import Competitor, CompetitorProduct, CompetitorSnapshot, ShowcaseSlot
from storeops.catalog.showcase import place_in_showcase, showcase_effect
from storeops.errors import InvalidInput, NotFound, PermissionDenied
from tests.catalog.factories import (
    make_category,
    make_image,
    make_listing,
    make_order,
    make_product,
    make_traffic,
)
from tests.factories import make_company, make_member, make_store, owner_actor


def test_groups_with_owners_and_what_operators_may_do(session: Session) -> None:
    company = make_company(session)
    store, other = make_store(session, company=company), make_store(session, company=company)
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    make_image(session, company=company, product=product, width=1200, height=1200)
    me, operator = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    colleague, _ = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    stranger, _ = make_member(session, company=company, role=Role.OPERATOR, stores=[other])
    cs, _ = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
    _, manager = make_member(session, company=company, role=Role.MANAGER, stores=[store])
    mine = create_group(
        session, actor=operator, store_id=store.id, name="Car mounts", owner_user_id=me.id
    )
    with pytest.raises(PermissionDenied, match="staff.manage"):
        create_group(
            session, actor=operator, store_id=store.id, name="X", owner_user_id=colleague.id
        )
    theirs = create_group(
        session, actor=manager, store_id=store.id, name="Cables", owner_user_id=colleague.id
    )
    with pytest.raises(
        InvalidInput, match=f"user {stranger.id} does not manage listings of store {store.id}"
    ):
        assign_group_owner(session, actor=manager, group_id=theirs.id, owner_user_id=stranger.id)
    with pytest.raises(InvalidInput, match=f"user {cs.id} does not manage listings"):
        assign_group_owner(session, actor=manager, group_id=theirs.id, owner_user_id=cs.id)
    with pytest.raises(InvalidInput, match="already has a group named 'Cables'"):
        create_group(session, actor=manager, store_id=store.id, name=" Cables ")
    a, b = (make_listing(session, store=store, product=product) for _ in range(2))
    c = make_listing(session, store=store, product=product, image_count=2, description="Short.")
    remote = make_listing(session, store=other, product=product)
    assert (
        move_listings_to_group(session, actor=operator, group_id=mine.id, listing_ids=[a.id, c.id])
        == 2
    )
    with pytest.raises(NotFound, match=f"product group {theirs.id} not found"):
        move_listings_to_group(session, actor=operator, group_id=theirs.id, listing_ids=[b.id])
    with pytest.raises(InvalidInput, match="belongs to another store"):
        move_listings_to_group(
            session,
            actor=owner_actor(session, company),
            group_id=theirs.id,
            listing_ids=[remote.id],
        )
    move_listings_to_group(session, actor=manager, group_id=theirs.id, listing_ids=[b.id])
    overview = group_overview(session, actor=operator)
    # a scores 100; c loses image count (15) and description length (5): 80; average 90
    assert [
        (g.name, g.owner_user_id, g.listings, g.active, g.average_quality) for g in overview
    ] == [("Car mounts", me.id, 2, 2, 90)]
    assert {g.name for g in group_overview(session, actor=manager)} == {"Car mounts", "Cables"}


def test_showcase_effect_before_and_after_with_a_swap_suggestion(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    lifted, flat, outsider, quiet = (
        make_listing(session, store=store, product=product) for _ in range(4)
    )
    since = dt.date(2026, 9, 1)
    for i in range(10):  # 10 days before and 10 days after
        before, after = since - dt.timedelta(days=10 - i), since + dt.timedelta(days=i)
        make_traffic(session, listing=lifted, day=before, impressions=100, clicks=2)
        make_traffic(session, listing=lifted, day=after, impressions=300, clicks=6)
        make_traffic(session, listing=flat, day=before, impressions=100, clicks=4)
        make_traffic(session, listing=flat, day=after, impressions=100, clicks=3)
        make_traffic(session, listing=outsider, day=after, impressions=500, clicks=9)
        make_traffic(session, listing=quiet, day=after, impressions=50, clicks=1)
    actor = owner_actor(session, company)
    place_in_showcase(
        session, actor=actor, store_id=store.id, slot_no=1, listing_id=lifted.id, since=since
    )
    place_in_showcase(
        session, actor=actor, store_id=store.id, slot_no=2, listing_id=flat.id, since=since
    )
    effects = showcase_effect(
        session, actor=actor, store_id=store.id, on=since + dt.timedelta(days=9), days=30
    )
    by_listing = {e.listing_id: e for e in effects}
    up = by_listing[lifted.id]
    assert (up.before.days, up.before.clicks_per_day, up.after.clicks_per_day) == (10, 2.0, 6.0)
    assert (up.after.impressions_per_day, up.clicks_change_pct, up.verdict) == (
        300.0,
        200.0,
        "lifted",
    )
    assert up.swap_for_listing_id is None
    down = by_listing[flat.id]
    assert (down.before.clicks_per_day, down.after.clicks_per_day, down.clicks_change_pct) == (
        4.0,
        3.0,
        -25.0,
    )
    assert (down.verdict, down.swap_for_listing_id) == ("no_lift", outsider.id)
    # a new placement in slot 2 ends the old one the day before
    place_in_showcase(
        session,
        actor=actor,
        store_id=store.id,
        slot_no=2,
        listing_id=outsider.id,
        since=since + dt.timedelta(days=10),
    )
    assert session.get(ShowcaseSlot, down.slot_id).until == since + dt.timedelta(days=9)  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="already has a placement"):
        place_in_showcase(
            session, actor=actor, store_id=store.id, slot_no=2, listing_id=quiet.id, since=since
        )


def test_diagnosis_names_what_holds_each_listing_back(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    category = make_category(session, company=company)
    product = make_product(session, company=company, category=category)
    make_image(session, company=company, product=product, width=1200, height=1200)
    day = dt.date(2026, 9, 10)
    healthy = make_listing(session, store=store, product=product, price_amount=1999)
    unseen = make_listing(session, store=store, product=product, price_amount=1999)
    unclicked = make_listing(session, store=store, product=product, price_amount=1999)
    pricey = make_listing(
        session, store=store, product=product, price_amount=2999, image_count=3, description=""
    )
    # impressions 1000, 20, 1000, 1000 → median 1000; clicks 50, 1, 10, 50 → store CTR 111/3020
    for listing, imp, clicks in (
        (healthy, 1000, 50),
        (unseen, 20, 1),
        (unclicked, 1000, 10),
        (pricey, 1000, 50),
    ):
        make_traffic(session, listing=listing, day=day, impressions=imp, clicks=clicks)
    for listing, count in ((healthy, 5), (pricey, 3)):  # CVR 10 % and 6 %; store 8 / 111 = 7.2 %
        for _ in range(count):
            make_order(
                session, listing=listing, placed_at=dt.datetime(2026, 9, 10, 12, tzinfo=dt.UTC)
            )
    rival = Competitor(
        company_id=company.id,
        platform="amazon",
        name="Rival",
        country="CN",
        kind=CompetitorKind.DIRECT,
        first_seen_on=dt.date(2025, 1, 1),
    )
    session.add(rival)
    session.flush()
    for price in (1899, 2099, 1999):
        cp = CompetitorProduct(
            company_id=company.id,
            competitor_id=rival.id,
            category_id=category.id,
            title="Holder",
            brand="R",
            currency="USD",
            listed_on=dt.date(2025, 1, 1),
        )
        session.add(cp)
        session.flush()
        session.add(
            CompetitorSnapshot(
                company_id=company.id,
                competitor_product_id=cp.id,
                observed_on=dt.date(2026, 9, 7),
                price_amount=price,
                est_monthly_sales=100,
                rating_x10=43,
                review_count=10,
            )
        )
    session.flush()
    result = diagnose_listings(
        session,
        actor=owner_actor(session, company),
        store_id=store.id,
        date_from=dt.date(2026, 9, 1),
        date_to=dt.date(2026, 9, 30),
    )
    by_id = {d.listing_id: d for d in result}
    assert by_id[healthy.id].problems == [] and by_id[healthy.id].orders == 5
    assert by_id[healthy.id].ctr == 0.05 and by_id[healthy.id].competitor_median_price == 1999
    assert [p.code for p in by_id[unseen.id].problems] == ["traffic"]
    assert (
        by_id[unseen.id].problems[0].detail
        == "20 impressions, under half the store's median of 1000"
    )
    # store CTR 111 / 3020 = 3.68 %; 1.00 % is under 70 % of it
    assert [(p.code, p.detail) for p in by_id[unclicked.id].problems] == [
        ("ctr", "click-through 1.00% against the store's 3.68%")
    ]
    assert [p.code for p in by_id[pricey.id].problems] == ["price", "content"]  # 2999 > 1.15 × 1999
    assert by_id[pricey.id].recommended_action == ACTIONS["price"]
    assert by_id[pricey.id].quality_score == 60  # empty description: -20 -5, 3 images: -15
    assert result[0].listing_id == pricey.id  # most problems first
