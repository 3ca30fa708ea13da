"""``/standard``: the 127 tasks of the standard with filters; ``/standard/workflow``: clause 5."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from nicegui import ui
from nicegui.events import ValueChangeEventArguments

from storeops.auth.enums import Permission
from storeops.standard.catalog import MODELS, AppliesTo, Catalog, Task, covers, load_catalog
from storeops.standard.features import feature_of
from storeops.web.access import declare_page
from storeops.web.context import ConsoleContext
from storeops.web.labels import (
    CADENCE_LABELS,
    MODEL_COLORS,
    MODEL_LABELS,
    N_,
    Translate,
    label,
    pick,
)
from storeops.web.layout import frame, heading, open_console
from storeops.web.pages.stage import feature_cells

ALL: str = "all"
ALL_STAGES: int = 0
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CSV_COLUMNS = ("code", "stage", "work_item", "title_zh", "title_en", "applies_to", "cadence",
                "steps", "requirement_zh")  # fmt: skip
_CSV_HEADER = (N_("Code"), N_("Stage"), N_("Work item"), N_("Title (Chinese)"), N_("Title (English)"),
               N_("Applies to"), N_("Cadence"), N_("Workflow steps"),
               N_("Requirement (text of the standard)"))  # fmt: skip


@dataclass(slots=True)
class TaskFilter:
    """The filters of the task list, as the page and its URL hold them."""

    stage: int | None = None
    model: str | None = None
    step: str | None = None
    text: str = ""

    @classmethod
    def from_query(
        cls,
        catalog: Catalog,
        *,
        stage: str | None,
        model: str | None,
        step: str | None,
        text: str | None,
    ) -> TaskFilter:
        """The filters named in a URL; values that do not exist are ignored, not errors."""
        number = int(stage) if stage and stage.isdigit() else None
        return cls(
            stage=number if any(s.number == number for s in catalog.stages) else None,
            model=model if model in ("b2b", "b2c") else None,
            step=step if any(s.code == step for s in catalog.steps) else None,
            text=(text or "").strip()[:100],
        )

    def apply(self, catalog: Catalog) -> tuple[Task, ...]:
        """The tasks that pass every filter, in code order."""
        tasks = catalog.filter(stage=self.stage, model=self.model, text=self.text or None)
        return tuple(t for t in tasks if self.step is None or self.step in t.steps)

    def query(self) -> str:
        """The filters as a query string (empty when nothing is filtered)."""
        pairs = {"stage": self.stage, "model": self.model, "step": self.step, "q": self.text}
        kept = {k: v for k, v in pairs.items() if v}
        return f"?{urlencode(kept)}" if kept else ""


def _task_row(task: Task, catalog: Catalog, locale: str, _: Translate) -> dict[str, Any]:
    work_item = catalog.work_item(task.work_item)
    steps = catalog.steps_of(task)
    return {
        "code": task.code,
        "stage": task.stage,
        "work_item": f"{work_item.code} {pick(locale, work_item.name_zh, work_item.name_en)}",
        "title_zh": task.title_zh,
        "title_en": task.title_en,
        "applies_to": label(MODEL_LABELS, task.applies_to, _),
        "applies_color": MODEL_COLORS[task.applies_to],
        "cadence": label(CADENCE_LABELS, task.cadence, _),
        "steps": ", ".join(s.code for s in steps),
        "steps_detail": " → ".join(
            f"{s.code} {pick(locale, s.title_zh, s.title_en)}" for s in steps
        ),
        "requirement_zh": task.requirement_zh,
        "note": task.note or "",
    } | feature_cells(feature_of(task.code), locale, _)


def csv_cell(value: object) -> str:
    """A cell that a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_PREFIXES) else text


def tasks_csv(tasks: tuple[Task, ...], catalog: Catalog, locale: str, _: Translate) -> bytes:
    """The tasks as CSV (UTF-8 with BOM, so that Excel shows the Chinese text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_(h) for h in _CSV_HEADER])
    for task in tasks:
        row = _task_row(task, catalog, locale, _)
        writer.writerow(csv_cell(row[key]) for key in _CSV_COLUMNS)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _task_table(ctx: ConsoleContext, rows: list[dict[str, Any]]) -> ui.table:
    _ = ctx.translate
    wrap = "white-space: normal"
    columns = [
        {"name": "code", "label": _("Code"), "field": "code", "align": "left"},
        {"name": "stage", "label": _("Stage"), "field": "stage", "align": "center"},
        {"name": "work_item", "label": _("Work item"), "field": "work_item", "align": "left",
         "style": f"{wrap}; min-width: 150px"},
        {"name": "title_zh", "label": _("Title (Chinese)"), "field": "title_zh", "align": "left",
         "style": f"{wrap}; min-width: 150px"},
        {"name": "title_en", "label": _("Title (English)"), "field": "title_en", "align": "left",
         "style": f"{wrap}; min-width: 180px"},
        {"name": "applies_to", "label": _("Applies to"), "field": "applies_to", "align": "left"},
        {"name": "cadence", "label": _("Cadence"), "field": "cadence", "align": "left"},
        {"name": "steps", "label": _("Workflow steps"), "field": "steps", "align": "left"},
        {"name": "state", "label": _("In storeops"), "field": "state", "align": "left",
         "style": f"{wrap}; min-width: 200px"},
    ]  # fmt: skip
    table = ui.table(columns=columns, rows=rows, row_key="code", pagination={"rowsPerPage": 0})
    table.classes("so-table so-sticky w-full").props("dense flat hide-pagination")
    table.props["no-data-label"] = _("No task matches these filters.")
    table.add_slot(
        "header",
        '<q-tr :props="props"><q-th auto-width />'
        '<q-th v-for="col in props.cols" :key="col.name" :props="props">{{ col.label }}</q-th></q-tr>',
    )
    requirement = escape(_("Requirement (text of the standard)"))
    steps, note = escape(_("Workflow steps")), escape(_("Note"))
    open_stage = escape(_("Open the stage"))
    table.add_slot(
        "body",
        f"""
<q-tr :props="props" class="cursor-pointer" @click="props.expand = !props.expand">
  <q-td auto-width>
    <q-icon :name="props.expand ? 'expand_less' : 'expand_more'" size="18px" color="grey-7" />
  </q-td>
  <q-td v-for="col in props.cols" :key="col.name" :props="props">
    <q-badge v-if="col.name === 'applies_to'" :color="props.row.applies_color" :label="col.value" />
    <span v-else-if="col.name === 'code'" class="font-mono font-semibold">{{{{ col.value }}}}</span>
    <template v-else-if="col.name === 'state'">
      <q-badge :color="props.row.state_color" :label="col.value" class="so-feature" />
      <a v-if="props.row.link" :href="props.row.link" class="so-feature-link text-primary q-ml-sm text-xs"
         @click.stop>{{{{ props.row.link_label }}}} {{{{ props.row.link }}}}</a>
      <div v-if="props.row.state_note" class="text-[11px] text-orange-10">{{{{ props.row.state_note }}}}</div>
    </template>
    <span v-else>{{{{ col.value }}}}</span>
  </q-td>
</q-tr>
<q-tr v-show="props.expand" :props="props" class="bg-slate-50">
  <q-td colspan="100%" style="white-space: normal">
    <div class="q-py-sm" style="max-width: 1100px">
      <div class="text-[11px] font-semibold text-slate-500">{requirement}</div>
      <div class="text-[13px] q-mb-sm">{{{{ props.row.requirement_zh }}}}</div>
      <div class="text-[11px] font-semibold text-slate-500">{steps}</div>
      <div class="q-mb-sm">{{{{ props.row.steps_detail }}}}</div>
      <template v-if="props.row.note">
        <div class="text-[11px] font-semibold text-slate-500">{note}</div>
        <div class="q-mb-sm">{{{{ props.row.note }}}}</div>
      </template>
      <a class="text-primary" :href="'/stage/' + props.row.stage">{open_stage}</a>
    </div>
  </q-td>
</q-tr>""",
    )
    return table


async def _task_list(request: Request, stage: str | None, model: str | None, step: str | None,
                     q: str | None) -> Response | None:  # fmt: skip
    opened = await open_console(request)
    if isinstance(opened, Response):
        return opened
    ctx = opened
    _ = ctx.translate
    catalog = load_catalog()
    wanted = TaskFilter.from_query(catalog, stage=stage, model=model, step=step, text=q)

    def rows() -> list[dict[str, Any]]:
        return [_task_row(t, catalog, ctx.locale, _) for t in wanted.apply(catalog)]

    with frame(request, ctx, active="standard", title=_("Task list")):
        heading(
            _("Tasks of the standard"),
            _(
                "{standard} {title}: the {total} tasks of Table 1. Click a row for its requirement."
            ).format(
                standard=catalog.standard,
                title=pick(ctx.locale, catalog.title_zh, catalog.title_en),
                total=len(catalog.tasks),
            ),
        )
        with ui.card().classes("so-card w-full p-0").props("flat"):
            with ui.row().classes("items-center gap-3 w-full px-4 pt-3 pb-1"):
                stage_select = (
                    ui.select(
                        {ALL_STAGES: _("All stages")}
                        | {
                            s.number: f"{s.number} · {pick(ctx.locale, s.name_zh, s.name_en)}"
                            for s in catalog.stages
                        },
                        value=wanted.stage or ALL_STAGES,
                        label=_("Stage"),
                    )
                    .props("dense outlined options-dense")
                    .classes("w-72")
                )
                model_select = ui.select(
                    {ALL: _("All business models"), "b2b": _("Tasks of B2B stores"),
                     "b2c": _("Tasks of B2C stores")},
                    value=wanted.model or ALL,
                    label=_("Business model"),
                ).props("dense outlined options-dense").classes("w-52")  # fmt: skip
                step_select = (
                    ui.select(
                        {ALL: _("All workflow steps")}
                        | {
                            s.code: f"{s.code} · {pick(ctx.locale, s.title_zh, s.title_en)}"
                            for s in catalog.steps
                        },
                        value=wanted.step or ALL,
                        label=_("Workflow step"),
                    )
                    .props("dense outlined options-dense")
                    .classes("w-64")
                )
                search = (
                    ui.input(
                        label=_("Search"),
                        placeholder=_("Code, title or requirement"),
                        value=wanted.text,
                    )
                    .props("dense outlined clearable debounce=300")
                    .classes("w-64")
                )
                with search.add_slot("prepend"):
                    ui.icon("search", size="18px")
            with ui.row().classes("items-center justify-between w-full px-4 pb-1"):
                shown = ui.label().classes("text-xs so-muted")
                export = ui.button(_("Export CSV"), icon="download").props(
                    "flat dense no-caps size=sm"
                )
            table = _task_table(ctx, rows())

        def refresh() -> None:
            table.rows = rows()
            table.update()
            shown.text = _("{shown} of {total} tasks").format(
                shown=len(table.rows), total=len(catalog.tasks)
            )
            ui.navigate.history.replace(f"/standard{wanted.query()}")

        def on_stage(event: ValueChangeEventArguments[Any]) -> None:
            wanted.stage = int(event.value) or None
            refresh()

        def on_model(event: ValueChangeEventArguments[Any]) -> None:
            wanted.model = None if event.value == ALL else str(event.value)
            refresh()

        def on_step(event: ValueChangeEventArguments[Any]) -> None:
            wanted.step = None if event.value == ALL else str(event.value)
            refresh()

        def on_search(event: ValueChangeEventArguments[Any]) -> None:
            wanted.text = str(event.value or "").strip()[:100]
            refresh()

        def on_export() -> None:
            data = tasks_csv(wanted.apply(catalog), catalog, ctx.locale, _)
            ui.download.content(data, "storeops-tasks.csv", "text/csv; charset=utf-8")

        stage_select.on_value_change(on_stage)
        model_select.on_value_change(on_model)
        step_select.on_value_change(on_step)
        search.on_value_change(on_search)
        export.on_click(on_export)
        shown.text = _("{shown} of {total} tasks").format(
            shown=len(table.rows), total=len(catalog.tasks)
        )
    return None


def _workflow_tags(applies_to: AppliesTo, _: Translate) -> None:
    with ui.row().classes("gap-1"):
        for model in MODELS:
            if covers(applies_to, model):
                ui.badge(label(MODEL_LABELS, model, _), color=MODEL_COLORS[model]).classes(
                    "text-[10px]"
                )


async def _workflow(request: Request) -> Response | None:
    opened = await open_console(request)
    if isinstance(opened, Response):
        return opened
    ctx = opened
    _ = ctx.translate
    catalog = load_catalog()
    with frame(request, ctx, active="workflow", title=_("Workflow")):
        b2c_steps = sum(1 for s in catalog.steps if covers(s.applies_to, "b2c"))
        heading(
            _("Workflow of a cross-border store"),
            _(
                "Clause 5 of {standard}: {count} steps in order (Figure A.1). A B2B store goes "
                "through all of them, a B2C store through {b2c}."
            ).format(standard=catalog.standard, count=len(catalog.steps), b2c=b2c_steps),
        )
        with ui.row().classes("w-full gap-y-3 gap-x-1 items-center"):
            for position, step in enumerate(catalog.steps):
                tasks = catalog.tasks_of_step(step.code)
                with ui.card().classes("so-card p-3 w-[212px] self-stretch gap-1").props("flat"):
                    with ui.row().classes("items-center justify-between w-full no-wrap"):
                        ui.label(step.code).classes("font-mono text-xs font-semibold text-primary")
                        _workflow_tags(step.applies_to, _)
                    ui.label(pick(ctx.locale, step.title_zh, step.title_en)).classes(
                        "text-sm font-semibold leading-tight"
                    )
                    if ctx.locale == "zh_CN":
                        ui.label(step.text_zh).classes("text-[11.5px] so-muted line-clamp-3")
                    else:
                        ui.label(step.title_zh).classes("text-[11.5px] so-muted")
                    ui.link(
                        _("{count} tasks").format(count=len(tasks)), f"/standard?step={step.code}"
                    ).classes("text-xs mt-auto")
                if position < len(catalog.steps) - 1:
                    ui.icon("arrow_forward", size="18px").classes("text-slate-400")
    return None


def register() -> None:
    """Add the task list and the workflow pages."""

    declare_page("/standard", Permission.STANDARD_READ)

    @ui.page("/standard")
    async def task_list_page(
        request: Request,
        stage: str | None = None,
        model: str | None = None,
        step: str | None = None,
        q: str | None = None,
    ) -> Response | None:
        return await _task_list(request, stage, model, step, q)

    declare_page("/standard/workflow", Permission.STANDARD_READ)

    @ui.page("/standard/workflow")
    async def workflow_page(request: Request) -> Response | None:
        return await _workflow(request)
