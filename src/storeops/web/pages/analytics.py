"""``/analytics``: the store overview dashboards of clause 6 (B2B 6.1, B2C 6.2) from the warehouse."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from nicegui import run, ui
from sqlalchemy import Engine

from storeops.analytics.metrics import (
    Figure,
    MetricReport,
    OrderRow,
    check_period,
    compute_metrics,
    latest_day,
    open_warehouse,
    order_rows,
    previous_period,
)
from storeops.analytics.registry import METRICS_BY_SLUG, Unit
from storeops.auth.enums import Permission
from storeops.auth.service import resolve_session, session_actor, session_user
from storeops.db import session_scope
from storeops.errors import DomainError, NotAuthenticated
from storeops.types import Money
from storeops.web.access import declare_page
from storeops.web.auth_routes import SESSION_COOKIE, login_redirect
from storeops.web.context import ConsoleContext, StoreRow
from storeops.web.labels import Translate, pick
from storeops.web.layout import frame, heading, open_console, planned_badge
from storeops.web.state import runtime

# the figures of each overview, in the order the cards show them
B2C_OVERVIEW = (
    "visitors",
    "conversion_rate",
    "orders_paid",
    "orders_paid_amount",
    "amount_per_order",
    "amount_per_buyer",
    "ctr",
    "add_to_cart",
    "favourites",
    "refund_request_rate",
    "positive_review_rate",
    "negative_review_rate",
    "complaint_rate",
    "late_delivery_rate",
    "acos",
    "roas",
)
B2B_OVERVIEW = (
    "visits",
    "inquiries",
    "conversion_rate",
    "orders_drafted",
    "orders_drafted_amount",
    "orders_paid",
    "orders_paid_amount",
    "amount_per_order",
    "paying_buyers",
    "amount_per_buyer",
    "orders_received_amount",
    "refund_request_rate",
    "dispute_escalation_rate",
    "dispute_arbitration_rate",
    "seller_responsible_dispute_rate",
    "new_buyers",
    "inquiry_conversion_rate",
    "inquiry_reply_24h_rate",
    "approved_quotes",
    "search_impressions",
    "search_clicks",
    "video_effective_plays",
    "video_click_rate",
    "promotion_amount",
)
RANKINGS = ("traffic_source_top", "buyer_countries", "product_ranking")
DEFAULT_DAYS = 30


@dataclass(frozen=True, slots=True)
class Dashboard:
    """What the page shows: the period, the one before it, the same period a year before."""

    current: MetricReport
    previous: MetricReport
    last_year: MetricReport
    daily: MetricReport
    daily_previous: MetricReport
    orders: list[OrderRow]


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def load_dashboard(
    engine: Engine,
    raw_session: str | None,
    store_id: int,
    start: dt.date | None,
    end: dt.date | None,
    slugs: tuple[str, ...],
) -> Dashboard:
    """6.1.3 / 6.2.1 The overview figures of a store (the session's actor must see it)."""
    with session_scope(engine) as session, open_warehouse() as reader:
        console = resolve_session(session, raw_session)
        session_user(session, console)
        actor = session_actor(session, console)
        if actor is None:
            raise NotAuthenticated("no company chosen")
        if end is None:
            end = latest_day(reader, store_id) or dt.datetime.now(dt.UTC).date()
        if start is None:
            start = end - dt.timedelta(days=DEFAULT_DAYS - 1)
        check_period(start, end)
        before = previous_period(start, end)
        wanted = [*slugs, *RANKINGS]

        def compute(
            a: dt.date, b: dt.date, metrics: list[str], by: str | None = None
        ) -> MetricReport:
            return compute_metrics(
                session, actor=actor, reader=reader, store_id=store_id, start=a, end=b,
                metrics=metrics, by=by,
            )  # fmt: skip

        return Dashboard(
            current=compute(start, end, wanted),
            previous=compute(*before, list(slugs)),
            last_year=compute(_year_before(start), _year_before(end), list(slugs)),
            daily=compute(start, end, ["orders_paid_amount", "orders_paid"], "day"),
            daily_previous=compute(*before, ["orders_paid_amount", "orders_paid"], "day"),
            orders=order_rows(
                session, actor=actor, reader=reader, store_id=store_id, start=start, end=end
            ),
        )


def _change(current: Figure, before: Figure, _: Translate) -> tuple[str, str]:
    """The change against an earlier period, and its colour."""
    if current.value is None or before.value is None:
        return "—", "so-muted"
    if current.metric.unit in {Unit.PERCENT, Unit.MULTIPLE}:
        diff = (Decimal(current.value) - Decimal(before.value)) * (
            100 if current.metric.unit == Unit.PERCENT else 1
        )
        text = f"{diff:+.2f} pp" if current.metric.unit == Unit.PERCENT else f"{diff:+.2f}×"
    else:
        if before.value == 0:
            return "—", "so-muted"
        diff = (Decimal(current.value) - Decimal(before.value)) / Decimal(before.value) * 100
        text = f"{diff:+.1f} %"
    color = "text-green-700" if diff > 0 else "text-red-700" if diff < 0 else "so-muted"
    return text, color


def _figure_card(ctx: ConsoleContext, board: Dashboard, slug: str) -> None:
    _ = ctx.translate
    metric = METRICS_BY_SLUG[slug]
    now = board.current.figure(slug)
    card = ui.card().classes("so-card p-3 gap-1").props("flat")
    card.tooltip(metric.formula)
    with card:
        ui.label(pick(ctx.locale, metric.name_zh, metric.name_en)).classes("so-kpi-label")
        ui.label(now.display).classes("so-kpi-value text-[20px]").props(f'data-metric="{slug}"')
        if now.reason:
            ui.label(now.reason).classes("text-[11px] so-muted")
        for caption, report in (
            (_("vs previous period"), board.previous),
            (_("vs last year"), board.last_year),
        ):
            text, color = _change(now, report.figure(slug), _)
            with ui.row().classes("gap-1 items-center no-wrap"):
                ui.label(text).classes(f"text-[11px] font-medium {color}")
                ui.label(caption).classes("text-[11px] so-muted")


def _money_number(value: int | Decimal | None, currency: str) -> float:
    """Chart coordinates only: money in major units as a float (never used for sums)."""
    return float(Money(int(value or 0), currency).decimal)


def _daily_chart(ctx: ConsoleContext, board: Dashboard) -> None:
    _ = ctx.translate
    currency = board.current.currency
    start, end = board.current.start, board.current.end
    before_start = board.previous.start
    days = [(start + dt.timedelta(days=i)) for i in range((end - start).days + 1)]
    now = {f.group: f.value for f in board.daily.figures if f.metric.slug == "orders_paid_amount"}
    then = {
        f.group: f.value
        for f in board.daily_previous.figures
        if f.metric.slug == "orders_paid_amount"
    }
    series_now = [_money_number(now.get(d.isoformat()), currency) for d in days]
    series_then = [
        _money_number(then.get((before_start + dt.timedelta(days=i)).isoformat()), currency)
        for i in range(len(days))
    ]
    ui.echart(
        {
            "title": {
                "text": _("Paid order amount per day ({currency})").format(currency=currency),
                "textStyle": {"fontSize": 13},
            },
            "tooltip": {"trigger": "axis"},
            "legend": {"data": [_("This period"), _("Previous period")], "top": 4, "right": 8},
            "grid": {"left": 60, "right": 20, "top": 40, "bottom": 30},
            "xAxis": {"type": "category", "data": [d.isoformat() for d in days]},
            "yAxis": {"type": "value"},
            "series": [
                {"name": _("This period"), "type": "line", "data": series_now},
                {
                    "name": _("Previous period"),
                    "type": "line",
                    "data": series_then,
                    "lineStyle": {"type": "dashed"},
                },
            ],
        }
    ).classes("w-full h-72")


def _ranking_charts(ctx: ConsoleContext, board: Dashboard) -> None:
    _ = ctx.translate
    sources = board.current.rankings.get("traffic_source_top", [])
    countries = board.current.rankings.get("buyer_countries", [])
    with ui.element("div").classes("grid grid-cols-1 lg:grid-cols-2 gap-4 w-full"):
        with ui.card().classes("so-card p-2").props("flat"):
            ui.echart(
                {
                    "title": {
                        "text": _("Traffic sources (visitors)"),
                        "textStyle": {"fontSize": 13},
                    },
                    "tooltip": {},
                    "grid": {"left": 110, "right": 20, "top": 40, "bottom": 20},
                    "xAxis": {"type": "value"},
                    "yAxis": {
                        "type": "category",
                        "inverse": True,
                        "data": [r.key for r in sources],
                    },
                    "series": [{"type": "bar", "data": [r.value for r in sources]}],
                }
            ).classes("w-full h-64")
        with ui.card().classes("so-card p-2").props("flat"):
            ui.echart(
                {
                    "title": {
                        "text": _("Paid orders by buyer country"),
                        "textStyle": {"fontSize": 13},
                    },
                    "tooltip": {"trigger": "item"},
                    "series": [
                        {
                            "type": "pie",
                            "radius": ["35%", "65%"],
                            "top": 30,
                            "data": [{"name": r.key, "value": r.value} for r in countries],
                        }
                    ],
                }
            ).classes("w-full h-64")


def _product_table(ctx: ConsoleContext, board: Dashboard) -> None:
    _ = ctx.translate
    rows = [
        {"rank": r.rank, "listing": r.label, "amount": r.display,
         "share": f"{(r.share or 0) * 100:.1f} %"}
        for r in board.current.rankings.get("product_ranking", [])
    ]  # fmt: skip
    columns = [
        {"name": "rank", "label": "#", "field": "rank", "align": "right"},
        {"name": "listing", "label": _("Listing"), "field": "listing", "align": "left"},
        {"name": "amount", "label": _("Paid amount"), "field": "amount", "align": "right"},
        {"name": "share", "label": _("Share"), "field": "share", "align": "right"},
    ]
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Product ranking")).classes("text-sm font-semibold px-4 pt-3")
        table = ui.table(columns=columns, rows=rows, row_key="rank", pagination={"rowsPerPage": 0})
        table.classes("so-table w-full").props("dense flat hide-pagination")
        table.props["no-data-label"] = _("No paid orders in this period.")


def _order_table(ctx: ConsoleContext, board: Dashboard) -> None:
    """Drill-down: the orders behind the figures (the newest 200 of the period)."""
    _ = ctx.translate
    rows = [
        {"id": o.order_id, "order": o.external_id, "day": o.day.isoformat(), "status": o.status,
         "country": o.country, "source": o.traffic_source, "amount": str(o.amount),
         "units": o.units}
        for o in board.orders
    ]  # fmt: skip
    columns: list[dict[str, Any]] = [
        {"name": "order", "label": _("Order"), "field": "order", "align": "left"},
        {"name": "day", "label": _("Day"), "field": "day", "align": "left", "sortable": True},
        {"name": "status", "label": _("Status"), "field": "status", "align": "left", "sortable": True},
        {"name": "country", "label": _("Country"), "field": "country", "align": "left", "sortable": True},
        {"name": "source", "label": _("Traffic source"), "field": "source", "align": "left", "sortable": True},
        {"name": "amount", "label": _("Amount"), "field": "amount", "align": "right"},
        {"name": "units", "label": _("Units"), "field": "units", "align": "right"},
    ]  # fmt: skip
    title = _("Orders behind these figures (newest {count})").format(count=len(rows))
    with ui.expansion(title, icon="receipt_long").classes("so-card w-full"):
        table = ui.table(columns=columns, rows=rows, row_key="id", pagination={"rowsPerPage": 20})
        table.classes("so-table w-full").props("dense flat")
        table.props["no-data-label"] = _("No orders in this period.")


def _period_form(ctx: ConsoleContext, store: StoreRow, start: dt.date, end: dt.date) -> None:
    _ = ctx.translate
    with ui.row().classes("items-end gap-3"):
        start_input = ui.input(_("From"), value=start.isoformat()).props("type=date dense outlined")
        end_input = ui.input(_("To"), value=end.isoformat()).props("type=date dense outlined")

        def apply() -> None:
            query = urlencode({"store": store.id, "from": start_input.value, "to": end_input.value})
            ui.navigate.to(f"/analytics?{query}")

        ui.button(_("Show"), on_click=apply).props("unelevated dense color=primary")


def _parse_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def register() -> None:
    """Add the dashboard page."""

    declare_page("/analytics", Permission.ANALYTICS_READ)

    @ui.page("/analytics")
    async def analytics_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        with frame(request, ctx, active="analytics", title=_("Dashboards")):
            wanted = request.query_params.get("store")
            store = next((s for s in ctx.stores if wanted and str(s.id) == wanted), None)
            store = store or ctx.store or (ctx.stores[0] if ctx.stores else None)
            if store is None:
                heading(_("Dashboards"))
                ui.label(_("You do not work on any store of this company yet."))
                return None
            b2b = store.business_model == "b2b"
            slugs = B2B_OVERVIEW if b2b else B2C_OVERVIEW
            try:
                board = await run.io_bound(
                    load_dashboard,
                    runtime().engine,
                    request.cookies.get(SESSION_COOKIE),
                    store.id,
                    _parse_day(request.query_params.get("from")),
                    _parse_day(request.query_params.get("to")),
                    slugs,
                )
            except NotAuthenticated:
                return login_redirect(request.url.path)
            except DomainError as exc:
                heading(_("Dashboards"), store.name)
                with ui.card().classes("so-card p-4").props("flat"):
                    ui.label(exc.message).props('data-test="dashboard-error"')
                return None
            if board is None:
                return Response(status_code=503)
            title = _("B2B store overview (6.1)") if b2b else _("B2C store overview (6.2)")
            heading(
                title,
                _("{store} · {start} – {end} ({timezone}) · from the analytics warehouse").format(
                    store=store.name,
                    start=board.current.start,
                    end=board.current.end,
                    timezone=store.timezone,
                ),
            )
            _period_form(ctx, store, board.current.start, board.current.end)
            with ui.element("div").classes(
                "grid grid-cols-2 md:grid-cols-4 xl:grid-cols-8 gap-3 w-full"
            ):
                for slug in slugs:
                    _figure_card(ctx, board, slug)
            with ui.card().classes("so-card w-full p-2").props("flat"):
                _daily_chart(ctx, board)
            _ranking_charts(ctx, board)
            _product_table(ctx, board)
            _order_table(ctx, board)
            with ui.row().classes("items-center gap-2"):
                planned_badge(_)
                ui.label(
                    _(
                        "Product, competitor, video, employee, promotion and market dashboards, "
                        "and drill-down from each figure to its own rows, are not built yet. "
                        "Figures are as of the last `storeops warehouse sync`."
                    )
                ).classes("text-xs so-muted")
        return None
