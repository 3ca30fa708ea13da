"""``/stage/{n}``: one operation stage of the standard, its tasks, and the plain fact that the
features of the stage are planned, not built."""

from __future__ import annotations

from fastapi import Request, Response
from nicegui import ui

from storeops.auth.enums import Permission
from storeops.standard.catalog import load_catalog
from storeops.web.access import declare_page
from storeops.web.context import ConsoleContext
from storeops.web.labels import CADENCE_LABELS, MODEL_COLORS, MODEL_LABELS, label, pick
from storeops.web.layout import frame, heading, open_console, planned_badge


def _not_found(ctx: ConsoleContext, number: str) -> None:
    _ = ctx.translate
    ui.context.client.status_code = 404
    heading(_("No such stage"))
    with ui.card().classes("so-card p-4").props("flat"):
        ui.label(
            _(
                "The standard has no operation stage {number}; its stages are numbered 1 to 9."
            ).format(number=number)
        )
        ui.link(_("Open the task list"), "/standard")


def _stage(ctx: ConsoleContext, number: int) -> None:
    _ = ctx.translate
    catalog = load_catalog()
    stage = catalog.stage(number)
    tasks = catalog.filter(stage=number)
    with ui.row().classes("items-center justify-between w-full"):
        heading(
            _("Stage {number} · {name}").format(
                number=stage.number, name=pick(ctx.locale, stage.name_zh, stage.name_en)
            ),
            _("{count} tasks in {work_items} work items of {standard}").format(
                count=len(tasks),
                work_items=sum(1 for w in catalog.work_items if w.stage == number),
                standard=catalog.standard,
            ),
        )
        ui.button(
            _("Open in the task list"),
            icon="filter_list",
            on_click=lambda: ui.navigate.to(f"/standard?stage={number}"),
        ).props("outline dense no-caps color=primary")
    with ui.row().classes(
        "w-full items-start gap-3 no-wrap rounded-md border border-amber-300 bg-amber-50 px-4 py-3"
    ):
        ui.icon("construction", size="22px").classes("text-amber-800")
        with ui.column().classes("gap-0"):
            ui.label(_("Planned: the features of this stage are not built yet.")).classes(
                "text-sm font-semibold text-amber-900"
            )
            ui.label(
                _(
                    "storeops lists the tasks the standard sets for this stage so that you can plan "
                    "and train with them; nothing on this page records or checks work yet."
                )
            ).classes("text-xs text-amber-900")
    columns = [
        {"name": "code", "label": _("Code"), "field": "code", "align": "left",
         "headerStyle": "width: 90px"},
        {"name": "title", "label": _("Task"), "field": "title", "align": "left",
         "style": "white-space: normal"},
        {"name": "applies_to", "label": _("Applies to"), "field": "applies_to", "align": "left",
         "headerStyle": "width: 150px"},
        {"name": "cadence", "label": _("Cadence"), "field": "cadence", "align": "left",
         "headerStyle": "width: 140px"},
        {"name": "state", "label": _("In storeops"), "field": "state", "align": "left",
         "headerStyle": "width: 130px"},
    ]  # fmt: skip
    for work_item in (w for w in catalog.work_items if w.stage == number):
        with ui.card().classes("so-card w-full p-0").props("flat"):
            with ui.row().classes("items-center gap-2 px-4 pt-3 pb-1"):
                ui.label(work_item.code).classes("font-mono text-xs font-semibold text-primary")
                ui.label(pick(ctx.locale, work_item.name_zh, work_item.name_en)).classes(
                    "text-sm font-semibold"
                )
                ui.badge(
                    label(MODEL_LABELS, work_item.applies_to, _),
                    color=MODEL_COLORS[work_item.applies_to],
                ).classes("text-[10px]")
            rows = [
                {
                    "code": t.code,
                    "title": pick(ctx.locale, t.title_zh, t.title_en),
                    "applies_to": label(MODEL_LABELS, t.applies_to, _),
                    "applies_color": MODEL_COLORS[t.applies_to],
                    "cadence": label(CADENCE_LABELS, t.cadence, _),
                    "state": _("Planned"),
                }
                for t in tasks
                if t.work_item == work_item.code
            ]
            table = ui.table(
                columns=columns, rows=rows, row_key="code", pagination={"rowsPerPage": 0}
            )
            table.classes("so-table so-fixed w-full").props("dense flat hide-pagination")
            table.add_slot(
                "body-cell-code",
                '<q-td :props="props"><span class="font-mono font-semibold">{{ props.value }}</span>'
                "</q-td>",
            )
            table.add_slot(
                "body-cell-applies_to",
                '<q-td :props="props"><q-badge :color="props.row.applies_color" :label="props.value" />'
                "</q-td>",
            )
            table.add_slot(
                "body-cell-state",
                '<q-td :props="props"><q-badge outline color="amber-8" :label="props.value" /></q-td>',
            )
    with ui.row().classes("items-center gap-2"):
        planned_badge(_)
        ui.label(_("Every task of this stage is planned.")).classes("text-xs so-muted")


def register() -> None:
    """Add the stage pages."""

    declare_page("/stage/{number}", Permission.PLAYBOOK_READ)

    @ui.page("/stage/{number}")
    async def stage_page(request: Request, number: str) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        known = {s.number for s in load_catalog().stages}
        stage_number = int(number) if number.isdigit() else None
        active = f"stage-{stage_number}" if stage_number in known else ""
        with frame(
            request, ctx, active=active, title=_("Stage {number}").format(number=number[:3])
        ):
            if stage_number in known:
                assert stage_number is not None
                _stage(ctx, stage_number)
            else:
                _not_found(ctx, number[:3])
        return None
