"""3.2.1 / 3.3.1 Launch plan (上新规划): new listings planned per week against those launched,
with warnings when the cadence slips."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.catalog.models import LaunchPlanWeek, Listing
from storeops.errors import InvalidInput
from storeops.stores.models import Store

MAX_WEEKS = 104
MAX_PLANNED = 10_000
QUIET_WEEKS = 2  # this many past weeks in a row without a new listing break the cadence

WeekState = Literal["met", "behind", "no_plan", "not_over"]


class LaunchWeek(BaseModel):
    week_start: dt.date
    planned: int | None
    actual: int
    gap: int | None  # actual - planned
    state: WeekState
    note: str


class LaunchPlanReport(BaseModel):
    """3.2.1 / 3.3.1 Planned against launched, week by week, and the cadence warnings."""

    store_id: int
    weeks: list[LaunchWeek]
    planned_total: int
    actual_total: int
    warnings: list[str]


def _monday(day: dt.date, field: str) -> dt.date:
    if day.weekday() != 0:
        raise InvalidInput(f"{day} is not a Monday; weeks start on Monday", field=field)
    return day


def set_launch_week(
    session: Session,
    *,
    actor: Actor,
    store_id: int,
    week_start: dt.date,
    planned_count: int,
    note: str = "",
) -> LaunchPlanWeek:
    """3.2.1 / 3.3.1 Plan how many new listings a store launches in a week (replaces that week's plan)."""
    actor.require(Permission.CATALOG_MANAGE)
    store = get_scoped(session, Store, store_id, actor, what="store")
    _monday(week_start, "week_start")
    if not 0 <= planned_count <= MAX_PLANNED:
        raise InvalidInput(
            f"planned count must be between 0 and {MAX_PLANNED}", field="planned_count"
        )
    if len(note) > 200:
        raise InvalidInput("the note is longer than 200 characters", field="note")
    week = session.scalars(
        select(LaunchPlanWeek).where(
            LaunchPlanWeek.store_id == store.id, LaunchPlanWeek.week_start == week_start
        )
    ).one_or_none()
    if week is None:
        week = LaunchPlanWeek(store_id=store.id, week_start=week_start)
        session.add(week)
    week.planned_count = planned_count
    week.note = note.strip()
    week.set_by_user_id = actor.user_id
    session.flush()
    return week


def launch_plan_report(
    session: Session,
    *,
    actor: Actor,
    store_id: int,
    week_from: dt.date,
    week_to: dt.date,
    today: dt.date,
) -> LaunchPlanReport:
    """3.2.1 / 3.3.1 Planned and launched listings per week from ``week_from`` to ``week_to``.

    Launched = listings of the store whose ``listed_on`` falls in the week (deleted ones too: they
    were launched). Warnings: weeks behind plan, ``QUIET_WEEKS`` finished weeks in a row without
    a launch, weeks that launched more than twice the plan (a burst instead of a cadence).
    """
    actor.require(Permission.CATALOG_READ)
    store = get_scoped(session, Store, store_id, actor, what="store")
    _monday(week_from, "week_from")
    _monday(week_to, "week_to")
    if week_to < week_from:
        raise InvalidInput("the last week comes before the first", field="week_to")
    count = (week_to - week_from).days // 7 + 1
    if count > MAX_WEEKS:
        raise InvalidInput(f"at most {MAX_WEEKS} weeks at a time", field="week_to")
    last_day = week_to + dt.timedelta(days=6)
    plans = {
        w.week_start: w
        for w in session.scalars(
            select(LaunchPlanWeek).where(
                LaunchPlanWeek.store_id == store.id,
                LaunchPlanWeek.week_start >= week_from,
                LaunchPlanWeek.week_start <= week_to,
            )
        )
    }
    launched: dict[dt.date, int] = {}
    for listed_on, n in session.execute(
        select(Listing.listed_on, func.count())
        .where(
            Listing.store_id == store.id,
            Listing.listed_on >= week_from,
            Listing.listed_on <= last_day,
        )
        .group_by(Listing.listed_on)
    ):
        monday = listed_on - dt.timedelta(days=listed_on.weekday())
        launched[monday] = launched.get(monday, 0) + int(n)
    weeks: list[LaunchWeek] = []
    warnings: list[str] = []
    quiet_run: list[dt.date] = []
    for i in range(count):
        monday = week_from + dt.timedelta(days=7 * i)
        plan = plans.get(monday)
        actual = launched.get(monday, 0)
        over = monday + dt.timedelta(days=6) < today
        state: WeekState
        if plan is None:
            state = "no_plan"
        elif actual >= plan.planned_count:
            state = "met"
        elif over:
            state = "behind"
        else:
            state = "not_over"
        weeks.append(
            LaunchWeek(
                week_start=monday,
                planned=plan.planned_count if plan else None,
                actual=actual,
                gap=actual - plan.planned_count if plan else None,
                state=state,
                note=plan.note if plan else "",
            )
        )
        if state == "behind" and plan is not None:
            warnings.append(
                f"week of {monday}: {actual} of {plan.planned_count} planned listings launched"
            )
        if plan is not None and plan.planned_count > 0 and actual > 2 * plan.planned_count:
            warnings.append(
                f"week of {monday}: {actual} listings launched against {plan.planned_count} "
                "planned; spread launches evenly"
            )
        if over and actual == 0:
            quiet_run.append(monday)
        else:
            if len(quiet_run) >= QUIET_WEEKS:
                warnings.append(
                    f"no new listing for {len(quiet_run)} weeks from {quiet_run[0]}: the launch "
                    "cadence is broken"
                )
            quiet_run = []
    if len(quiet_run) >= QUIET_WEEKS:
        warnings.append(
            f"no new listing for {len(quiet_run)} weeks from {quiet_run[0]}: the launch cadence "
            "is broken"
        )
    return LaunchPlanReport(
        store_id=store.id,
        weeks=weeks,
        planned_total=sum(w.planned or 0 for w in weeks),
        actual_total=sum(w.actual for w in weeks),
        warnings=warnings,
    )
