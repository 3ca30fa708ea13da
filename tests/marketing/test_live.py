"""5.3 Live streams: plan with targets, script table, review against the targets with gaps."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.errors import InvalidInput, NotFound
from storeops.marketing.live import (
    LivePlanCreate,
    ScriptRow,
    add_script_segment,
    link_live_stream,
    plan_live_stream,
    review_live_stream,
    script_of,
)
from storeops.marketing.models import LiveStream
from tests.catalog.factories import make_category, make_listing, make_order, make_product
from tests.factories import make_company, make_member, make_store, owner_actor

START = dt.datetime(2026, 9, 10, 12, tzinfo=dt.UTC)
NAIVE = START.replace(tzinfo=None)


def _plan_data(**over: object) -> LivePlanCreate:
    values: dict[str, object] = {
        "title": "Autumn live", "starts_at": START, "duration_min": 60, "language": "en",
        "target_country": "us", "host_name": "Amy", "target_viewers": 500,
        "target_peak_viewers": 80, "target_interactions": 200, "target_new_followers": 30,
        "target_orders": 4, "target_gmv_amount": 8000,
    }  # fmt: skip
    values.update(over)
    return LivePlanCreate.model_validate(values)


def test_review_against_targets_lists_the_gaps(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    listing = make_listing(session, store=store, product=product)
    actor = owner_actor(session, company)
    plan = plan_live_stream(session, actor=actor, store_id=store.id, data=_plan_data())
    add_script_segment(session, actor=actor, plan_id=plan.id, row=ScriptRow(
        position=1, segment="Warm-up", minutes=10, listing_id=None, selling_points="",
        benefit="", call_to_action="Follow the store"))  # fmt: skip
    add_script_segment(session, actor=actor, plan_id=plan.id, row=ScriptRow(
        position=2, segment="Car mount demo", minutes=40, listing_id=listing.id,
        selling_points="one-hand mount; strong magnet", benefit="safe driving",
        call_to_action="coupon in the chat"))  # fmt: skip
    assert [
        (r.position, r.segment, r.minutes) for r in script_of(session, actor=actor, plan_id=plan.id)
    ] == [(1, "Warm-up", 10), (2, "Car mount demo", 40)]
    not_yet = review_live_stream(session, actor=actor, plan_id=plan.id)
    assert not_yet.gaps == ["the plan is not linked to a stream that took place yet"]
    stream = LiveStream(store_id=store.id, title="Autumn live", host_name="Amy", starts_at=START,
                        duration_min=55, target_country="US", viewers=620, peak_viewers=70,
                        new_followers=30, interactions=150)  # fmt: skip
    session.add(stream)
    session.flush()
    for _ in range(3):
        make_order(
            session, listing=listing, placed_at=START + dt.timedelta(minutes=20)
        ).live_stream_id = stream.id
    session.flush()
    link_live_stream(session, actor=actor, plan_id=plan.id, live_stream_id=stream.id)
    review = review_live_stream(session, actor=actor, plan_id=plan.id)
    assert [(m.metric, m.target, m.actual, m.gap, m.achieved_pct) for m in review.metrics] == [
        ("viewers", 500, 620, 120, 124.0),
        ("peak_viewers", 80, 70, -10, 87.5),
        ("interactions", 200, 150, -50, 75.0),
        ("new_followers", 30, 30, 0, 100.0),
        ("orders", 4, 3, -1, 75.0),
        ("gmv_amount", 8000, 5997, -2003, 75.0),  # 3 × 1999; 74.96 % rounds to 75.0
    ]
    assert review.gaps == [
        "peak_viewers: 70 of 80 (87.5 %)",
        "interactions: 150 of 200 (75 %)",
        "orders: 3 of 4 (75 %)",
        "gmv_amount: 5997 of 8000 (75 %)",
        "the script plans 50 minutes; the stream ran 55",
    ]


def test_plans_are_validated_and_scoped(session: Session) -> None:
    company = make_company(session)
    store, other = make_store(session, company=company), make_store(session, company=company)
    actor = owner_actor(session, company)
    with pytest.raises(InvalidInput, match="peak cannot exceed"):
        plan_live_stream(
            session, actor=actor, store_id=store.id, data=_plan_data(target_peak_viewers=900)
        )
    with pytest.raises(InvalidInput, match="UTC offset"):
        plan_live_stream(
            session,
            actor=actor,
            store_id=store.id,
            data=_plan_data(starts_at=NAIVE),
        )
    plan = plan_live_stream(session, actor=actor, store_id=store.id, data=_plan_data())
    _, marketer = make_member(session, company=company, role=Role.MARKETING, stores=[other])
    with pytest.raises(NotFound, match=f"live stream plan {plan.id} not found"):
        review_live_stream(session, actor=marketer, plan_id=plan.id)
