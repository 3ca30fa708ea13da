"""``/staff``: the team competency matrix per stage of the standard, tasks owned and done on time,
the employee figures of 6.1.8, and training records (7.3.3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from nicegui import run, ui
from sqlalchemy import Engine

from storeops.auth.enums import Permission
from storeops.auth.service import resolve_session, session_actor
from storeops.db import session_scope
from storeops.errors import DomainError
from storeops.staff.service import training_records
from storeops.standard.catalog import load_catalog
from storeops.standard.competency import competency_matrix, employee_figures
from storeops.types import utcnow
from storeops.web.access import declare_page
from storeops.web.auth_routes import SESSION_COOKIE
from storeops.web.context import ConsoleContext
from storeops.web.labels import ROLE_LABELS, label, pick
from storeops.web.layout import frame, heading, open_console
from storeops.web.state import runtime


@dataclass
class StaffView:
    """The matrix and the records, as plain data."""

    people: list[dict[str, Any]]
    training: list[dict[str, Any]]


def load_view(engine: Engine, raw: str | None, start: dt.date, end: dt.date) -> StaffView:
    """The team matrix over ``start``..``end`` and the training records."""
    with session_scope(engine) as session:
        actor = session_actor(session, resolve_session(session, raw))
        if actor is None:
            raise DomainError("choose a company first")
        figures = employee_figures(session, actor=actor, start=start, end=end)
        names: dict[int, str] = {}
        people = []
        for r in competency_matrix(session, actor=actor, start=start, end=end):
            names[r.user_id] = r.name
            f = figures.get(r.user_id)
            people.append({
                "id": r.user_id, "name": r.name, "role": r.role,
                **{f"s{n}": r.stages[n] for n in range(1, 10)},
                "owned": r.tasks.owned, "on_time": r.tasks.on_time, "overdue": r.tasks.overdue,
                "inquiries": f.inquiries_answered if f else 0,
                "reply": f.mean_first_reply_minutes if f and f.mean_first_reply_minutes is not None else "",
                "edits": f.listings_edited if f else 0, "quotes": f.quotes_created if f else 0,
            })  # fmt: skip
        training = [
            {"id": t.id, "name": names.get(t.user_id, str(t.user_id)), "course": t.course_code,
             "title": t.course_title, "tasks": ", ".join(t.task_codes), "on": t.taken_on.isoformat(),
             "score": t.score, "passed": t.passed,
             "valid_until": t.valid_until.isoformat() if t.valid_until else ""}
            for t in training_records(session, actor=actor)
        ]  # fmt: skip
        return StaffView(people, training)


def matrix_chart(people: list[dict[str, Any]], stage_names: list[str]) -> dict[str, Any]:
    """ECharts heatmap: people down, stages across, competency 0-100 (blank: no evidence)."""
    data = [
        [s - 1, i, p[f"s{s}"]]
        for i, p in enumerate(people)
        for s in range(1, 10)
        if p[f"s{s}"] is not None
    ]
    return {
        "grid": {"left": 150, "right": 20, "top": 10, "bottom": 90},
        "xAxis": {"type": "category", "data": stage_names, "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "category", "data": [p["name"] for p in people], "inverse": True},
        "visualMap": {"min": 0, "max": 100, "orient": "horizontal", "left": "center", "bottom": 0,
                      "inRange": {"color": ["#fecaca", "#fde68a", "#86efac"]}, "calculable": False},
        "series": [{"type": "heatmap", "data": data, "label": {"show": True}}],
    }  # fmt: skip


async def _page(request: Request, start: str | None, end: str | None) -> Response | None:
    opened = await open_console(request)
    if isinstance(opened, Response):
        return opened
    ctx: ConsoleContext = opened
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    today = utcnow().date()
    try:
        first = dt.date.fromisoformat(start) if start else today.replace(day=1)
        last = dt.date.fromisoformat(end) if end else today
    except ValueError:
        first, last = today.replace(day=1), today
    with frame(request, ctx, active="staff", title=_("Team competency")):
        heading(
            _("Team competency"),
            _("Competency per stage of the standard from {start} to {end}: the mean of the best "
              "passed training score and the share of playbook tasks done on time (blank: no "
              "evidence). Change the period with ?start=YYYY-MM-DD&end=YYYY-MM-DD.").format(
                start=first.isoformat(), end=last.isoformat()),
        )  # fmt: skip
        try:
            view = await run.io_bound(load_view, runtime().engine, raw, first, last)
        except DomainError as exc:
            ui.label(exc.message)
            return None
        if view is None:
            return None
        catalog = load_catalog()
        stage_names = [
            f"{s.number} {pick(ctx.locale, s.name_zh, s.name_en)}" for s in catalog.stages
        ]
        with ui.card().classes("so-card w-full").props("flat"):
            ui.label(_("Competency matrix")).classes("font-semibold")
            height = 140 + 34 * max(len(view.people), 3)
            ui.echart(matrix_chart(view.people, stage_names)).classes("w-full").style(
                f"height: {height}px"
            ).props("id=staff-matrix")
        with ui.card().classes("so-card w-full").props("flat"):
            ui.label(_("Tasks and employee figures (6.1.8)")).classes("font-semibold")
            rows = [{**p, "role": label(ROLE_LABELS, p["role"], _)} for p in view.people]
            ui.table(
                columns=[
                    {"name": "name", "label": _("Person"), "field": "name", "align": "left"},
                    {"name": "role", "label": _("Role"), "field": "role", "align": "left"},
                    {"name": "owned", "label": _("Tasks owned"), "field": "owned"},
                    {"name": "on_time", "label": _("Done on time"), "field": "on_time"},
                    {"name": "overdue", "label": _("Overdue"), "field": "overdue"},
                    {"name": "inquiries", "label": _("Inquiries answered"), "field": "inquiries"},
                    {"name": "reply", "label": _("Mean first reply (min)"), "field": "reply"},
                    {"name": "edits", "label": _("Listing edits"), "field": "edits"},
                    {"name": "quotes", "label": _("Quotes"), "field": "quotes"},
                ],
                rows=rows,
                row_key="id",
                pagination={"rowsPerPage": 0},
            ).classes("so-table w-full").props("dense flat hide-pagination")
        with ui.card().classes("so-card w-full").props("flat"):
            ui.label(_("Training records")).classes("font-semibold")
            ui.table(
                columns=[
                    {"name": "name", "label": _("Person"), "field": "name", "align": "left"},
                    {"name": "course", "label": _("Course"), "field": "course", "align": "left"},
                    {"name": "title", "label": _("Title"), "field": "title", "align": "left"},
                    {"name": "tasks", "label": _("Tasks"), "field": "tasks", "align": "left"},
                    {"name": "on", "label": _("Date"), "field": "on", "align": "left"},
                    {"name": "score", "label": _("Score"), "field": "score"},
                    {"name": "valid_until", "label": _("Valid until"), "field": "valid_until", "align": "left"},
                ],
                rows=[{**t, "score": f"{t['score']} ✓" if t["passed"] else f"{t['score']} ✗"}
                      for t in view.training],
                row_key="id",
                pagination={"rowsPerPage": 20},
            ).classes("so-table w-full").props("dense flat")  # fmt: skip
            ui.label(_("Record courses and results with `storeops staff course add` and "
                       "`storeops staff train`, or the API (POST /api/v1/staff/training).")).classes(
                "text-xs so-muted")  # fmt: skip
    return None


def register() -> None:
    """Add the staff page."""

    declare_page("/staff", Permission.STAFF_READ)

    @ui.page("/staff")
    async def staff_page(
        request: Request, start: str | None = None, end: str | None = None
    ) -> Response | None:
        return await _page(request, start, end)
