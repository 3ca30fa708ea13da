"""``/playbook``: a store's playbook, the clause 5 workflow with each step's progress, and the
signed-in person's "today" view (due and overdue items)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response
from nicegui import run, ui
from sqlalchemy import Engine, select

from storeops.auth.enums import Permission
from storeops.auth.models import User
from storeops.auth.service import resolve_session, session_actor, session_user
from storeops.db import session_scope
from storeops.errors import DomainError
from storeops.standard import playbook as service
from storeops.standard.catalog import load_catalog
from storeops.stores.service import get_store
from storeops.web.access import declare_page
from storeops.web.auth_routes import SESSION_COOKIE
from storeops.web.context import ConsoleContext
from storeops.web.labels import N_, Translate, label, pick
from storeops.web.layout import frame, heading, kpi, open_console
from storeops.web.state import runtime

STATUS_TEXT = {"open": N_("Open"), "done": N_("Done"), "skipped": N_("Not applicable")}
STATUS_COLOR = {"open": "grey-7", "done": "positive", "skipped": "blue-grey-4"}
CADENCE_TEXT = {
    "once": N_("Once"), "daily": N_("Daily"), "weekly": N_("Weekly"), "monthly": N_("Monthly"),
    "quarterly": N_("Quarterly"), "per_campaign": N_("Per campaign"), "per_order": N_("Per order"),
    "per_inquiry": N_("Per inquiry"), "per_listing": N_("Per listing"), "ongoing": N_("Ongoing"),
}  # fmt: skip
B2C_SKIPS = frozenset({"5.3", "5.16", "5.17"})


@dataclass
class PlaybookView:
    """What the page shows, as plain data read in one unit of work."""

    store_id: int
    store_name: str
    model: str
    today: dt.date
    can_manage: bool
    items: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    due: list[dict[str, Any]] = field(default_factory=list)


def load_view(
    engine: Engine, raw: str | None, store_id: int, on: dt.date | None = None
) -> PlaybookView:
    """The store's playbook for today (created if missing and allowed), its workflow, your due items."""
    with session_scope(engine) as session:
        console = resolve_session(session, raw)
        session_user(session, console)
        actor = session_actor(session, console)
        if actor is None:
            raise DomainError("choose a company first")
        store = get_store(session, store_id=store_id, actor=actor)
        today = on or service.store_today(store)
        can_manage = actor.can(Permission.PLAYBOOK_MANAGE)
        if can_manage:
            service.generate_playbook(session, store=store, actor=actor, on=today)
        items = service.list_items(session, store=store, actor=actor, on=today)
        owners = {
            int(i): str(n)
            for i, n in session.execute(
                select(User.id, User.display_name).where(
                    User.id.in_(sorted({i.owner_user_id or 0 for i in items}))
                )
            )
        }
        catalog = load_catalog()
        view = PlaybookView(store.id, store.name, store.business_model.value, today, can_manage)
        for item in items:
            task = catalog.task(item.task_code)
            view.items.append({
                "id": item.id, "code": item.task_code, "title_zh": task.title_zh,
                "title_en": task.title_en, "cadence": item.cadence,
                "due_on": item.due_on.isoformat(), "owner": owners.get(item.owner_user_id or 0, ""),
                "status": item.status.value,
                "overdue": item.status.value == "open" and item.due_on < today,
                "evidence": "; ".join(str(e.get("label") or e.get("ref")) for e in item.evidence or []),
            })  # fmt: skip
        for step in service.workflow_progress(session, store=store, actor=actor, on=today):
            view.steps.append({
                "code": step.code, "title_zh": step.title_zh, "title_en": step.title_en,
                "applies": step.applies, "tasks": step.tasks, "done": step.done,
                "overdue": step.overdue, "percent": step.percent,
            })  # fmt: skip
        for d in service.due_items(session, actor=actor, within_days=7):
            task = catalog.task(d.item.task_code)
            view.due.append({
                "id": d.item.id, "store": d.store_name, "code": d.item.task_code,
                "title_zh": task.title_zh, "title_en": task.title_en,
                "due_on": d.item.due_on.isoformat(), "days": d.overdue_days,
            })  # fmt: skip
        return view


def mark_done(engine: Engine, raw: str | None, item_id: int, link: str) -> None:
    """Mark an item done with one evidence link, as the signed-in user."""
    with session_scope(engine) as session:
        console = resolve_session(session, raw)
        actor = session_actor(session, console)
        if actor is None:
            raise DomainError("choose a company first")
        item = service.get_item(session, item_id=item_id, actor=actor)
        service.complete_item(session, item=item, actor=actor, evidence=[link])


def workflow_chart(
    steps: list[dict[str, Any]], model: str, locale: str, _: Translate
) -> dict[str, Any]:
    """ECharts options: the 18 steps of Figure A.1 as a flow, coloured by progress.

    Six steps a row, the rows running left to right, right to left, left to right (a snake), so
    the flow reads in order. For B2C the B2B-only steps are drawn faded and skipped by the arrows.
    """
    nodes: list[dict[str, Any]] = []
    shown = [s for s in steps if model == "b2b" or s["code"] not in B2C_SKIPS]
    for i, s in enumerate(steps):
        row, col = divmod(i, 6)
        x = (col if row % 2 == 0 else 5 - col) * 170
        applies = model == "b2b" or s["code"] not in B2C_SKIPS
        if not applies:
            color = "#e2e8f0"
        elif s["overdue"]:
            color = "#fca5a5"
        elif s["tasks"] and s["done"] == s["tasks"]:
            color = "#86efac"
        elif s["done"]:
            color = "#fde68a"
        else:
            color = "#f1f5f9"
        title = pick(locale, s["title_zh"], s["title_en"])
        progress = f"{s['done']}/{s['tasks']}" if applies else _("B2B only")
        nodes.append({
            "name": s["code"], "x": x, "y": row * 120,
            "value": s["percent"],
            "label": {"formatter": f"{s['code']} {title}\n{progress}"},
            "itemStyle": {"color": color, "borderColor": "#64748b" if applies else "#cbd5e1",
                          "borderType": "solid" if applies else "dashed"},
        })  # fmt: skip
    edges = [{"source": a["code"], "target": b["code"]} for a, b in itertools.pairwise(shown)]
    return {
        "tooltip": {"show": False},
        "series": [{
            "type": "graph", "layout": "none", "roam": False, "symbol": "roundRect",
            "symbolSize": [150, 58], "edgeSymbol": ["none", "arrow"], "edgeSymbolSize": 8,
            "label": {"show": True, "fontSize": 11, "color": "#0f172a", "width": 140,
                      "overflow": "break"},
            "lineStyle": {"color": "#64748b", "width": 1.4, "curveness": 0.15},
            "data": nodes, "links": edges,
        }],
    }  # fmt: skip


def _day(text: str | None) -> dt.date | None:
    """The ``?on=YYYY-MM-DD`` of the URL; ``None`` (today in the store) when absent or not a date."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


async def _page(request: Request, store: str | None, on: str | None = None) -> Response | None:
    opened = await open_console(request)
    if isinstance(opened, Response):
        return opened
    ctx: ConsoleContext = opened
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    with frame(request, ctx, active="playbook", title=_("Playbook")):
        chosen = int(store) if store and store.isdigit() else ctx.store_id
        if chosen is None and ctx.stores:
            chosen = ctx.stores[0].id
        if chosen is None:
            heading(_("Playbook"), _("No store yet: add a store first."))
            return None
        try:
            day = _day(on)
            view = await run.io_bound(load_view, runtime().engine, raw, chosen, day)
        except DomainError:
            heading(_("Playbook"), _("This store is not one of yours."))
            return None
        if view is None:  # the server is shutting down
            return None
        heading(
            _("Playbook of {store}").format(store=view.store_name),
            _("The tasks of the standard for a {model} store in the current periods; today is "
              "{today} in the store's timezone. Evidence storeops can see is attached "
              "automatically.").format(model=view.model.upper(), today=view.today.isoformat()),
        )  # fmt: skip
        with ui.row().classes("gap-3 w-full"):
            done = sum(1 for i in view.items if i["status"] != "open")
            overdue = sum(1 for i in view.items if i["overdue"])
            kpi(len(view.items), _("Tasks this period"), icon="checklist")
            kpi(done, _("Done"), icon="task_alt")
            kpi(overdue, _("Overdue"), icon="schedule")
            kpi(len(view.due), _("Due for you (7 days)"), icon="person")
        with ui.card().classes("so-card w-full").props("flat"):
            ui.label(_("Workflow of clause 5 (Figure A.1), {model} variant").format(
                model=view.model.upper())).classes("font-semibold")  # fmt: skip
            ui.label(_("Green: all tasks done; yellow: some; red: overdue; grey: not started; "
                       "dashed: not a step of this model.")).classes("text-xs so-muted")  # fmt: skip
            ui.echart(workflow_chart(view.steps, view.model, ctx.locale, _)).classes(
                "w-full h-[400px]"
            ).props("id=playbook-workflow")
        with ui.card().classes("so-card w-full").props("flat"):
            ui.label(_("Due today and overdue for you")).classes("font-semibold")
            due_rows = [
                {**d, "title": pick(ctx.locale, d["title_zh"], d["title_en"]),
                 "when": _("{days} days overdue").format(days=d["days"]) if d["days"] > 0
                 else _("today") if d["days"] == 0 else _("in {days} days").format(days=-d["days"])}
                for d in view.due
            ]  # fmt: skip
            ui.table(
                columns=[
                    {"name": "store", "label": _("Store"), "field": "store", "align": "left"},
                    {"name": "code", "label": _("Code"), "field": "code", "align": "left"},
                    {"name": "title", "label": _("Task"), "field": "title", "align": "left"},
                    {"name": "due_on", "label": _("Due on"), "field": "due_on", "align": "left"},
                    {"name": "when", "label": _("When"), "field": "when", "align": "left"},
                ],
                rows=due_rows,
                row_key="id",
                pagination={"rowsPerPage": 10},
            ).classes("so-table w-full").props("dense flat")
        with ui.card().classes("so-card w-full").props("flat"):
            ui.label(_("Tasks of this period")).classes("font-semibold")
            rows = [
                {**i, "title": pick(ctx.locale, i["title_zh"], i["title_en"]),
                 "status_text": label(STATUS_TEXT, i["status"], _) + (" · " + _("overdue") if i["overdue"] else ""),
                 "cadence_text": label(CADENCE_TEXT, i["cadence"], _)}
                for i in view.items
            ]  # fmt: skip
            table = ui.table(
                columns=[
                    {"name": "code", "label": _("Code"), "field": "code", "align": "left"},
                    {"name": "title", "label": _("Task"), "field": "title", "align": "left"},
                    {"name": "cadence_text", "label": _("Cadence"), "field": "cadence_text", "align": "left"},
                    {"name": "due_on", "label": _("Due on"), "field": "due_on", "align": "left"},
                    {"name": "owner", "label": _("Owner"), "field": "owner", "align": "left"},
                    {"name": "status_text", "label": _("Status"), "field": "status_text", "align": "left"},
                    {"name": "evidence", "label": _("Evidence"), "field": "evidence", "align": "left"},
                ],
                rows=rows,
                row_key="id",
                selection="single" if view.can_manage else None,
                pagination={"rowsPerPage": 0},
            ).classes("so-table so-sticky w-full").props("dense flat hide-pagination")  # fmt: skip
            if view.can_manage:
                with ui.row().classes("items-center gap-3 w-full"):
                    link = (
                        ui.input(_("Evidence link for the selected task"))
                        .props("dense outlined")
                        .classes("w-96")
                    )

                    async def on_done() -> None:
                        if not table.selected:
                            ui.notify(_("Select a task first."), type="warning")
                            return
                        item_id = int(table.selected[0]["id"])
                        try:
                            await run.io_bound(
                                mark_done, runtime().engine, raw, item_id, link.value or ""
                            )
                        except DomainError as exc:
                            ui.notify(exc.message, type="negative")
                            return
                        ui.navigate.reload()

                    ui.button(_("Mark done"), icon="task_alt", on_click=on_done).props(
                        "unelevated no-caps"
                    )
    return None


def register() -> None:
    """Add the playbook page."""

    declare_page("/playbook", Permission.PLAYBOOK_READ)

    @ui.page("/playbook")
    async def playbook_page(
        request: Request, store: str | None = None, on: str | None = None
    ) -> Response | None:
        return await _page(request, store, on)
