"""``/``: the company, its stores and where the standard's stages stand."""

from __future__ import annotations

from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request, Response
from nicegui import run, ui

from storeops.analytics.overview import StoreRecords
from storeops.standard.catalog import MODELS, load_catalog
from storeops.standard.features import status_counts
from storeops.web.access import ANY_MEMBER, declare_page
from storeops.web.auth_routes import SESSION_COOKIE
from storeops.web.context import ConsoleContext, load_store_records
from storeops.web.labels import (
    MODEL_COLORS,
    MODEL_LABELS,
    PLATFORM_LABELS,
    ROLE_LABELS,
    STATUS_COLORS,
    STATUS_LABELS,
    label,
    pick,
)
from storeops.web.layout import frame, heading, kpi, open_console
from storeops.web.state import runtime


def _stores_table(ctx: ConsoleContext, records: dict[int, StoreRecords]) -> None:
    _ = ctx.translate
    columns: list[dict[str, Any]] = [
        {"name": "name", "label": _("Store"), "field": "name", "align": "left", "sortable": True},
        {
            "name": "platform",
            "label": _("Platform"),
            "field": "platform",
            "align": "left",
            "sortable": True,
        },
        {"name": "model", "label": _("Model"), "field": "model", "align": "left", "sortable": True},
        {"name": "site", "label": _("Site"), "field": "site", "align": "left", "sortable": True},
        {"name": "currency", "label": _("Currency"), "field": "currency", "align": "left"},
        {"name": "timezone", "label": _("Timezone"), "field": "timezone", "align": "left"},
        {
            "name": "status",
            "label": _("Status"),
            "field": "status",
            "align": "left",
            "sortable": True,
        },
        {"name": "opened_on", "label": _("Opened on"), "field": "opened_on", "align": "left"},
        {"name": "listings", "label": _("Active listings"), "field": "listings", "align": "right"},
        {
            "name": "orders",
            "label": _("Orders"),
            "field": "orders",
            "align": "right",
            "sortable": True,
        },
        {"name": "buyers", "label": _("Buyers"), "field": "buyers", "align": "right"},
        {
            "name": "open_inquiries",
            "label": _("Open inquiries"),
            "field": "open_inquiries",
            "align": "right",
        },
        {"name": "span", "label": _("Orders from – to"), "field": "span", "align": "left"},
    ]
    rows = [
        {
            "id": s.id,
            "name": s.name,
            "current": s.id == ctx.store_id,
            "platform": label(PLATFORM_LABELS, s.platform, _),
            "model": label(MODEL_LABELS, s.business_model, _),
            "model_color": MODEL_COLORS.get(s.business_model, "grey-6"),
            "site": s.site,
            "currency": s.currency,
            "timezone": s.timezone,
            "status": label(STATUS_LABELS, s.status, _),
            "status_color": STATUS_COLORS.get(s.status, "grey-6"),
            "opened_on": s.opened_on.isoformat() if s.opened_on else "—",
            **_record_cells(records.get(s.id), s.timezone),
        }
        for s in ctx.stores
    ]
    table = ui.table(columns=columns, rows=rows, row_key="id", pagination={"rowsPerPage": 0})
    table.classes("so-table w-full").props("dense flat hide-pagination")
    table.props["no-data-label"] = _("You do not work on any store of this company yet.")
    current = escape(_("Current"))
    table.add_slot(
        "body-cell-name",
        f"""<q-td :props="props"><span class="font-medium">{{{{ props.value }}}}</span>
        <q-badge v-if="props.row.current" color="primary" class="q-ml-sm">{current}</q-badge>
        </q-td>""",
    )
    table.add_slot(
        "body-cell-model",
        '<q-td :props="props"><q-badge :color="props.row.model_color" :label="props.value" /></q-td>',
    )
    table.add_slot(
        "body-cell-status",
        '<q-td :props="props"><q-badge outline :color="props.row.status_color" :label="props.value" />'
        "</q-td>",
    )


def _record_cells(record: StoreRecords | None, timezone: str) -> dict[str, Any]:
    if record is None:
        return {"listings": "—", "orders": 0, "buyers": "—", "open_inquiries": "—", "span": "—"}
    span = "—"
    if record.first_order_at and record.last_order_at:
        zone = ZoneInfo(timezone)  # the store's own calendar days
        first, last = record.first_order_at.astimezone(zone), record.last_order_at.astimezone(zone)
        span = f"{first:%Y-%m-%d} – {last:%Y-%m-%d}"
    return {
        "listings": f"{record.active_listings:,} / {record.listings:,}",
        "orders": record.orders,
        "buyers": f"{record.buyers:,}",
        "open_inquiries": f"{record.open_inquiries:,}",
        "span": span,
    }


def _standard_overview(ctx: ConsoleContext) -> None:
    _ = ctx.translate
    standard = load_catalog()
    models = [m for m in MODELS if any(s.business_model == m for s in ctx.stores)]
    columns = [
        {"name": "number", "label": _("Stage"), "field": "number", "align": "left"},
        {"name": "name", "label": _("Operation stage"), "field": "name", "align": "left"},
        {"name": "tasks", "label": _("Tasks"), "field": "tasks", "align": "right"},
        {"name": "b2b", "label": _("B2B"), "field": "b2b", "align": "right"},
        {"name": "b2c", "label": _("B2C"), "field": "b2c", "align": "right"},
        {"name": "state", "label": _("In storeops"), "field": "state", "align": "left"},
    ]
    rows = [
        {
            "number": stage.number,
            "name": pick(ctx.locale, stage.name_zh, stage.name_en),
            "tasks": sum(1 for t in standard.tasks if t.stage == stage.number),
            "b2b": sum(1 for t in standard.tasks if t.stage == stage.number and t.concerns("b2b")),
            "b2c": sum(1 for t in standard.tasks if t.stage == stage.number and t.concerns("b2c")),
            "state": _("{working} working, {partial} partial, {planned} planned").format(
                **status_counts([t.code for t in standard.tasks if t.stage == stage.number])
            ),
        }
        for stage in standard.stages
    ]
    relevant = sum(1 for t in standard.tasks if any(t.concerns(m) for m in models))
    with ui.card().classes("so-card w-full p-0").props("flat"):
        with ui.row().classes("items-center justify-between w-full px-4 pt-3 pb-2"):
            with ui.column().classes("gap-0"):
                ui.label(_("The standard {code}").format(code=standard.standard)).classes(
                    "text-sm font-semibold"
                )
                ui.label(
                    _(
                        "{relevant} of its {total} tasks concern the business models of your stores."
                    ).format(relevant=relevant, total=len(standard.tasks))
                ).classes("text-xs so-muted")
            ui.link(_("Open the task list"), "/standard").classes("text-xs")
        table = ui.table(
            columns=columns, rows=rows, row_key="number", pagination={"rowsPerPage": 0}
        )
        table.classes("so-table w-full").props("dense flat hide-pagination")
        table.add_slot(
            "body-cell-name",
            '<q-td :props="props"><a class="text-primary no-underline" '
            ":href=\"'/stage/' + props.row.number\">{{ props.value }}</a></q-td>",
        )
        table.add_slot(
            "body-cell-state",
            '<q-td :props="props"><span class="text-xs">{{ props.value }}</span></q-td>',
        )
        ui.label(
            _(
                "Working: the task's feature is built; partial: part of it is; planned: not yet. "
                "Open a stage for each task's status and the page that does it."
            )
        ).classes("text-xs so-muted px-4 py-2")


def register() -> None:
    """Add the home page."""

    declare_page("/", ANY_MEMBER)

    @ui.page("/")
    async def home_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        with frame(request, ctx, active="home", title=_("Home")):
            if ctx.company is None:
                heading(_("Welcome to storeops"))
                with ui.card().classes("so-card p-4").props("flat"):
                    ui.label(
                        _(
                            "Your account does not belong to a company yet. Ask an owner of your "
                            "company to add you."
                        )
                    )
                return None
            role = label(ROLE_LABELS, ctx.role.value, _) if ctx.role else "—"
            heading(
                ctx.company.name,
                _("Your role: {role} · base currency {currency}").format(
                    role=role, currency=ctx.company.base_currency
                ),
            )
            stores = ctx.stores
            with ui.element("div").classes("grid grid-cols-2 lg:grid-cols-5 gap-4 w-full"):
                kpi(len(stores), _("Stores you work on"), icon="storefront")
                kpi(
                    sum(1 for s in stores if s.business_model == "b2b"),
                    _("B2B stores"),
                    icon="business",
                )
                kpi(
                    sum(1 for s in stores if s.business_model == "b2c"),
                    _("B2C stores"),
                    icon="shopping_bag",
                )
                kpi(
                    sum(1 for s in stores if s.status == "active"),
                    _("Active stores"),
                    icon="check_circle",
                )
                kpi(len({s.platform for s in stores}), _("Platforms"), icon="hub")
            with ui.card().classes("so-card w-full p-0").props("flat"):
                with ui.row().classes("items-center justify-between w-full px-4 pt-3 pb-2"):
                    ui.label(_("Stores")).classes("text-sm font-semibold")
                    if ctx.store is not None:
                        ui.label(_("Current store: {name}").format(name=ctx.store.name)).classes(
                            "text-xs so-muted"
                        )
                records = await run.io_bound(
                    load_store_records, runtime().engine, request.cookies.get(SESSION_COOKIE)
                )
                _stores_table(ctx, records or {})
            ui.label(
                _(
                    "The records above are in storeops (simulated or imported); the stage pages "
                    "say which tasks have working pages for listings, orders, inquiries, ads and "
                    "finance."
                )
            ).classes("text-xs so-muted")
            _standard_overview(ctx)
        return None
