"""``/stage/{n}``: one operation stage of the standard, its tasks, and what storeops does for each
of them today (the feature registry, ``standard/features.py``): working, partial or planned, with
a link to the page that does it."""

from __future__ import annotations

from fastapi import Request, Response
from nicegui import ui

from storeops.auth.enums import Permission
from storeops.standard.catalog import load_catalog
from storeops.standard.features import Feature, feature_of, status_counts
from storeops.web.access import declare_page
from storeops.web.context import ConsoleContext
from storeops.web.labels import CADENCE_LABELS, MODEL_COLORS, MODEL_LABELS, Translate, label, pick
from storeops.web.layout import frame, heading, open_console

#: Badge colour per feature status.
FEATURE_COLORS = {"working": "positive", "partial": "orange-8", "planned": "grey-6"}


def feature_label(status: str, _: Translate) -> str:
    """The translated name of a feature status."""
    return {"working": _("Working"), "partial": _("Partial"), "planned": _("Planned")}[status]


def feature_cells(feature: Feature, locale: str, _: Translate) -> dict[str, str]:
    """The table cells of a task's feature: status label and colour, note, console link, CLI/API."""
    return {
        "state": feature_label(feature.status, _),
        "state_color": FEATURE_COLORS[feature.status],
        "state_note": pick(locale, feature.note_zh, feature.note_en) if feature.note_en else "",
        "link": feature.console or "",
        "link_label": _("Open page"),
        "where": " · ".join(x for x in (feature.cli, feature.api) if x),
    }


#: The body cell of the feature column (status badge, link to the console page, note).
FEATURE_CELL = (
    '<q-td :props="props" style="white-space: normal">'
    '<q-badge :color="props.row.state_color" :label="props.value" class="so-feature" />'
    '<a v-if="props.row.link" :href="props.row.link" class="so-feature-link text-primary q-ml-sm '
    'text-xs">{{ props.row.link_label }} {{ props.row.link }}</a>'
    '<div v-if="props.row.state_note" class="text-[11px] text-orange-10">'
    "{{ props.row.state_note }}</div>"
    '<div v-if="props.row.where" class="text-[11px] so-muted so-where">{{ props.row.where }}</div>'
    "</q-td>"
)


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
    counts = status_counts([t.code for t in tasks])
    with ui.row().classes(
        "w-full items-start gap-3 no-wrap rounded-md border border-slate-200 bg-slate-50 px-4 py-3"
    ):
        ui.icon("fact_check", size="22px").classes("text-slate-600")
        with ui.column().classes("gap-0"):
            ui.label(
                _("In storeops: {working} working, {partial} partial, {planned} planned.").format(
                    **counts
                )
            ).classes("text-sm font-semibold so-stage-summary")
            ui.label(
                _(
                    "Working: the task's feature is built. Partial: part of it is built; the note "
                    "says what is missing. Planned: nothing is built yet, the task is listed so "
                    "that you can plan and train with it."
                )
            ).classes("text-xs so-muted")
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
         "headerStyle": "width: 300px"},
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
                }
                | feature_cells(feature_of(t.code), ctx.locale, _)
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
            table.add_slot("body-cell-state", FEATURE_CELL)


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
