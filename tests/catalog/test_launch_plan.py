"""3.2.1 / 3.3.1 Launch plan: planned against launched per week, cadence warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.catalog.enums import ListingStatus
from storeops.catalog.launch_plan import launch_plan_report, set_launch_week
from storeops.errors import InvalidInput, NotFound, PermissionDenied
from tests.catalog.factories import make_category, make_listing, make_product
from tests.factories import make_company, make_member, make_store, owner_actor

W1, W2, W3, W4, W5 = (dt.date(2026, 8, 3) + dt.timedelta(days=7 * i) for i in range(5))


def test_planned_against_launched_with_warnings(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    actor = owner_actor(session, company)
    for week, planned in ((W1, 3), (W2, 2), (W3, 2), (W4, 2), (W5, 4)):
        set_launch_week(
            session, actor=actor, store_id=store.id, week_start=week, planned_count=planned
        )
    set_launch_week(
        session, actor=actor, store_id=store.id, week_start=W1, planned_count=2, note="replan"
    )
    # W1: 2 launched (Monday and Sunday), W2: 5 (a burst), W3 and W4: none, W5 (not over): 1
    days = [W1, W1 + dt.timedelta(days=6)] + [W2 + dt.timedelta(days=i) for i in range(5)] + [W5]
    for day in days:
        make_listing(session, store=store, product=product, listed_on=day)
    make_listing(session, store=store, product=product, listed_on=W1, status=ListingStatus.DELETED)
    report = launch_plan_report(
        session,
        actor=actor,
        store_id=store.id,
        week_from=W1,
        week_to=W5,
        today=W5 + dt.timedelta(days=2),
    )
    assert [(w.week_start, w.planned, w.actual, w.gap, w.state) for w in report.weeks] == [
        (W1, 2, 3, 1, "met"),
        (W2, 2, 5, 3, "met"),
        (W3, 2, 0, -2, "behind"),
        (W4, 2, 0, -2, "behind"),
        (W5, 4, 1, -3, "not_over"),
    ]
    assert report.weeks[0].note == "replan"
    assert (report.planned_total, report.actual_total) == (12, 9)
    assert report.warnings == [
        f"week of {W2}: 5 listings launched against 2 planned; spread launches evenly",
        f"week of {W3}: 0 of 2 planned listings launched",
        f"week of {W4}: 0 of 2 planned listings launched",
        f"no new listing for 2 weeks from {W3}: the launch cadence is broken",
    ]


def test_weeks_start_on_monday_and_refusals(session: Session) -> None:
    company = make_company(session)
    store, other = make_store(session, company=company), make_store(session, company=company)
    actor = owner_actor(session, company)
    with pytest.raises(InvalidInput, match="2026-08-04 is not a Monday"):
        set_launch_week(
            session,
            actor=actor,
            store_id=store.id,
            week_start=W1 + dt.timedelta(days=1),
            planned_count=1,
        )
    with pytest.raises(InvalidInput, match="planned count"):
        set_launch_week(session, actor=actor, store_id=store.id, week_start=W1, planned_count=-1)
    _, viewer = make_member(session, company=company, role=Role.VIEWER, stores=[store])
    with pytest.raises(PermissionDenied):
        set_launch_week(session, actor=viewer, store_id=store.id, week_start=W1, planned_count=1)
    _, operator = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    with pytest.raises(NotFound, match=f"store {other.id} not found"):
        launch_plan_report(
            session, actor=operator, store_id=other.id, week_from=W1, week_to=W2, today=W5
        )
