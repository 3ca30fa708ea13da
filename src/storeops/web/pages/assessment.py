"""``/assessment``: assess a store over a period: scores per stage, top gaps, every finding,
and the report as HTML or PDF."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from fastapi import Request, Response
from nicegui import run, ui
from sqlalchemy import Engine

from storeops.auth.enums import Permission
from storeops.auth.service import resolve_session, session_actor
from storeops.db import session_scope
from storeops.errors import DomainError, InvalidInput
from storeops.standard.assessment import Assessment, assess_store
from storeops.standard.report import report_html, report_pdf
from storeops.stores.service import get_store
from storeops.types import utcnow
from storeops.web.access import declare_page
from storeops.web.auth_routes import SESSION_COOKIE
from storeops.web.context import ConsoleContext
from storeops.web.labels import N_, label, pick
from storeops.web.layout import frame, heading, kpi, open_console
from storeops.web.state import runtime

STATUS_TEXT = {
    "evidenced": N_("Evidenced"),
    "partly": N_("Partly"),
    "missing": N_("Missing"),
    "not_applicable": N_("Not applicable"),
}

BASIS_TEXT = {
    "automated": N_("Automated check"),
    "records": N_("Records found"),
    "playbook": N_("Playbook"),
    "model": N_("Other business model"),
}


def run_assessment(
    engine: Engine, raw: str | None, store_id: int, start: dt.date, end: dt.date
) -> Assessment:
    """The assessment of one of the signed-in user's stores (read-only)."""
    with session_scope(engine) as session:
        console = resolve_session(session, raw)
        actor = session_actor(session, console)
        if actor is None:
            raise DomainError("choose a company first")
        store = get_store(session, store_id=store_id, actor=actor)
        return assess_store(session, store=store, actor=actor, start=start, end=end)


def last_order_day(engine: Engine, raw: str | None, store_id: int) -> dt.date | None:
    """The store-local day of the store's latest order (a sensible end of the default period)."""
    from zoneinfo import ZoneInfo

    from sqlalchemy import func, select

    from storeops.orders.models import Order

    with session_scope(engine) as session:
        actor = session_actor(session, resolve_session(session, raw))
        if actor is None:
            return None
        store = get_store(session, store_id=store_id, actor=actor)
        last = session.scalar(select(func.max(Order.placed_at)).where(Order.store_id == store.id))
        return last.astimezone(ZoneInfo(store.timezone)).date() if last else None


def _date(text: str | None, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidInput(f"{what} must be a date YYYY-MM-DD", field=what) from None


async def _page(
    request: Request, store: str | None, start: str | None, end: str | None
) -> Response | None:
    opened = await open_console(request)
    if isinstance(opened, Response):
        return opened
    ctx: ConsoleContext = opened
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    with frame(request, ctx, active="assessment", title=_("Assessment")):
        heading(
            _("Assessment against the standard"),
            _("A finding for each task of the standard, scores per stage and overall, and the "
              "gaps to close first. Automated checks cover part of the tasks; the others are "
              "judged on the playbook's evidence."),
        )  # fmt: skip
        if not ctx.stores:
            ui.label(_("No store yet: add a store first."))
            return None
        chosen = int(store) if store and store.isdigit() else (ctx.store_id or ctx.stores[0].id)
        today = utcnow().date()
        if not end:  # default: the 90 days up to the store's latest order (or today)
            last: dt.date | None = None
            with contextlib.suppress(DomainError):
                last = await run.io_bound(last_order_day, runtime().engine, raw, chosen)
            today = last or today
        with ui.row().classes("items-end gap-3"):
            store_select = ui.select({s.id: s.name for s in ctx.stores}, value=chosen,
                                     label=_("Store")).props("dense outlined").classes("w-60")  # fmt: skip
            start_input = ui.input(
                _("From"), value=start or (today - dt.timedelta(days=90)).isoformat()
            ).props("dense outlined")
            end_input = ui.input(_("To"), value=end or today.isoformat()).props("dense outlined")
            go = ui.button(_("Assess"), icon="grading").props("unelevated no-caps")
        result = ui.column().classes("w-full gap-4")

        async def assess() -> None:
            result.clear()
            try:
                a = await run.io_bound(
                    run_assessment, runtime().engine, raw, int(store_select.value),
                    _date(start_input.value, "from"), _date(end_input.value, "to"),
                )  # fmt: skip
            except DomainError as exc:
                with result:
                    ui.label(exc.message).classes("text-negative")
                return
            if a is None:  # the server is shutting down
                return
            with result:
                _show(a, ctx)

        go.on_click(assess)
        if start and end:
            await assess()
    return None


def _show(a: Assessment, ctx: ConsoleContext) -> None:
    _ = ctx.translate
    with ui.row().classes("gap-3 w-full"):
        kpi(f"{a.overall}", _("Overall score (of 100)"), icon="grading")
        counts = {s: sum(1 for f in a.findings if f.status == s) for s in STATUS_TEXT}
        for status in ("evidenced", "partly", "missing"):
            kpi(counts[status], label(STATUS_TEXT, status, _), icon="rule")
    with ui.card().classes("so-card w-full").props("flat"):
        ui.label(_("Scores per stage")).classes("font-semibold")
        ui.echart({
            "grid": {"left": 220, "right": 30, "top": 10, "bottom": 30},
            "xAxis": {"type": "value", "max": 100},
            "yAxis": {"type": "category", "inverse": True,
                      "data": [f"{s.stage} {pick(ctx.locale, s.name_zh, s.name_en)}" for s in a.stages]},
            "series": [{"type": "bar", "data": [float(s.score) for s in a.stages],
                        "label": {"show": True, "position": "right"}, "itemStyle": {"color": "#0f4c81"}}],
        }).classes("w-full h-[320px]")  # fmt: skip
        ui.label(_("Weighting: every applicable task counts the same (evidenced 1, partly 0.5, "
                   "missing 0); stages weigh as many tasks as they have.")).classes("text-xs so-muted")  # fmt: skip
    with ui.card().classes("so-card w-full").props("flat"):
        ui.label(_("Top gaps")).classes("font-semibold")
        ui.table(
            columns=[
                {"name": "code", "label": _("Code"), "field": "code", "align": "left"},
                {"name": "title", "label": _("Task"), "field": "title", "align": "left"},
                {"name": "status", "label": _("Status"), "field": "status", "align": "left"},
                {"name": "found", "label": _("What was found"), "field": "found", "align": "left",
                 "style": "white-space: normal"},
                {"name": "action", "label": _("Recommended action"), "field": "action", "align": "left",
                 "style": "white-space: normal"},
            ],
            rows=[{"code": f.code, "title": pick(ctx.locale, f.title_zh, f.title_en),
                   "status": label(STATUS_TEXT, f.status, _), "found": "; ".join(f.evidence),
                   "action": f.action} for f in a.gaps],
            row_key="code",
            pagination={"rowsPerPage": 0},
        ).classes("so-table w-full").props("dense flat hide-pagination")  # fmt: skip
    with ui.card().classes("so-card w-full").props("flat"):
        ui.label(_("Findings for every task")).classes("font-semibold")
        rows: list[dict[str, Any]] = [
            {"code": f.code, "title": pick(ctx.locale, f.title_zh, f.title_en),
             "status": label(STATUS_TEXT, f.status, _), "basis": label(BASIS_TEXT, f.basis, _), "evidence": "; ".join(f.evidence)}
            for f in a.findings
        ]  # fmt: skip
        ui.table(
            columns=[
                {"name": "code", "label": _("Code"), "field": "code", "align": "left"},
                {"name": "title", "label": _("Task"), "field": "title", "align": "left"},
                {"name": "status", "label": _("Status"), "field": "status", "align": "left"},
                {"name": "basis", "label": _("Basis"), "field": "basis", "align": "left"},
                {"name": "evidence", "label": _("Evidence"), "field": "evidence", "align": "left",
                 "style": "white-space: normal"},
            ],
            rows=rows,
            row_key="code",
            pagination={"rowsPerPage": 0},
        ).classes("so-table so-sticky w-full").props("dense flat hide-pagination")  # fmt: skip
    name = f"assessment-{a.store_id}-{a.start}-{a.end}"
    with ui.row().classes("gap-2"):
        ui.button(_("Download HTML"), icon="download", on_click=lambda: ui.download.content(
            report_html(a).encode("utf-8"), f"{name}.html", "text/html")).props("flat no-caps")  # fmt: skip

        async def pdf() -> None:
            data = await run.io_bound(report_pdf, a)
            if data is None:
                return
            ui.download.content(data, f"{name}.pdf", "application/pdf")

        ui.button(_("Download PDF"), icon="picture_as_pdf", on_click=pdf).props("flat no-caps")


def register() -> None:
    """Add the assessment page."""

    declare_page("/assessment", Permission.ASSESSMENT_RUN)

    @ui.page("/assessment")
    async def assessment_page(
        request: Request, store: str | None = None, start: str | None = None, end: str | None = None
    ) -> Response | None:
        return await _page(request, store, start, end)
