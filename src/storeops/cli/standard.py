"""``storeops standard``: browse the tasks and workflow steps of T/CCPITCSC 111-2022."""

from dataclasses import asdict
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from storeops.cli.common import OutputFormat, cli_errors, emit
from storeops.standard.catalog import Catalog, Task, WorkflowStep, load_catalog

app = typer.Typer(
    help=(
        "The standard T/CCPITCSC 111-2022 跨境电商平台店铺运营管理规范 as data: the 127 tasks of "
        "its Table 1 and the 18 steps of its clause 5 workflow."
    ),
    no_args_is_help=True,
)


class ShowFormat(StrEnum):
    """Output formats of ``show``."""

    table = "table"
    json = "json"


class StoreModel(StrEnum):
    """Business model of a store."""

    b2b = "b2b"
    b2c = "b2c"


TASK_COLUMNS = (
    "code",
    "stage",
    "work_item",
    "title_zh",
    "title_en",
    "applies_to",
    "cadence",
    "steps",
    "requirement_zh",
    "note",
    "duplicate_of",
)
STEP_COLUMNS = (
    "code",
    "order",
    "title_zh",
    "title_en",
    "applies_to",
    "tasks",
    "text_zh",
    "note",
)


def task_record(task: Task) -> dict[str, Any]:
    """A task as a JSON-ready dict with every field."""
    record = asdict(task)
    record["steps"] = list(task.steps)
    return record


def step_record(step: WorkflowStep, catalog: Catalog) -> dict[str, Any]:
    """A workflow step as a JSON-ready dict, with the codes of its tasks."""
    record = asdict(step)
    record["tasks"] = [t.code for t in catalog.tasks_of_step(step.code)]
    return record


@app.command("list")
@cli_errors
def list_tasks(
    stage: Annotated[
        int | None, typer.Option("--stage", "-s", min=1, max=9, help="Only this stage (1-9).")
    ] = None,
    model: Annotated[
        StoreModel | None,
        typer.Option("--model", "-m", help="Only tasks a b2b or b2c store does (incl. both)."),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-q", help="Code prefix (3.2), or text in the zh/en title or requirement."
        ),
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = (
        OutputFormat.TABLE
    ),
) -> None:
    """List the tasks of Table 1, e.g. `list --stage 3 --model b2c`."""
    catalog = load_catalog()
    tasks = catalog.filter(stage=stage, model=model.value if model else None, text=search)
    if output is not OutputFormat.TABLE:
        emit([task_record(t) for t in tasks], TASK_COLUMNS, output)
        return
    table = Table(
        box=box.SIMPLE_HEAD,
        caption=f"{len(tasks)} of {len(catalog.tasks)} tasks · {catalog.standard}",
    )
    table.add_column("code", no_wrap=True)
    table.add_column("stage", justify="right")
    table.add_column("任务", overflow="fold", min_width=12)
    table.add_column("task", overflow="fold")
    table.add_column("applies to", no_wrap=True)
    table.add_column("cadence", no_wrap=True)
    table.add_column("steps", overflow="fold")
    for t in tasks:
        table.add_row(
            t.code,
            str(t.stage),
            Text(t.title_zh),
            Text(t.title_en),
            t.applies_to,
            t.cadence,
            " ".join(t.steps),
        )
    Console().print(table)


@app.command("show")
@cli_errors
def show_task(
    code: Annotated[str, typer.Argument(help="Task code, e.g. 3.2.6.")],
    output: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ShowFormat.table
    ),
) -> None:
    """Show one task: its requirement text, stage, work item and workflow steps."""
    catalog = load_catalog()
    task = catalog.task(code)
    stage = catalog.stage(task.stage)
    work_item = catalog.work_item(task.work_item)
    steps = catalog.steps_of(task)
    if output is ShowFormat.json:
        record = task_record(task)
        record["stage_name_zh"], record["stage_name_en"] = stage.name_zh, stage.name_en
        record["work_item_name_zh"] = work_item.name_zh
        record["work_item_name_en"] = work_item.name_en
        record["workflow_steps"] = [asdict(s) for s in steps]
        emit([record], TASK_COLUMNS, OutputFormat.JSON, one=True)
        return
    console = Console()
    console.print(Text(f"{task.code} {task.title_zh} · {task.title_en}", style="bold"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    facts.add_row("stage", Text(f"{stage.number} {stage.name_zh} · {stage.name_en}"))
    facts.add_row("work item", Text(f"{work_item.code} {work_item.name_zh} · {work_item.name_en}"))
    facts.add_row("applies to", task.applies_to)
    facts.add_row("cadence", task.cadence)
    for i, step in enumerate(steps):
        facts.add_row(
            "workflow" if i == 0 else "",
            Text(f"{step.code} {step.title_zh} · {step.title_en} ({step.applies_to})"),
        )
    if task.duplicate_of:
        facts.add_row("duplicate of", task.duplicate_of)
    console.print(facts)
    console.print(Text("具体工作要求 (requirement):", style="dim"))
    # soft_wrap: the requirement text is printed whole, never broken by inserted newlines
    console.print(Text(task.requirement_zh), soft_wrap=True)
    if task.note:
        console.print(Text("note:", style="dim"))
        console.print(Text(task.note), soft_wrap=True)


@app.command("steps")
@cli_errors
def list_steps(
    output: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = (
        OutputFormat.TABLE
    ),
) -> None:
    """List the 18 workflow steps of clause 5 (Figure A.1) with their tasks."""
    catalog = load_catalog()
    records = [step_record(s, catalog) for s in catalog.steps]
    if output is not OutputFormat.TABLE:
        emit(records, STEP_COLUMNS, output)
        return
    table = Table(box=box.SIMPLE_HEAD, caption=f"clause 5 of {catalog.standard}")
    table.add_column("code", no_wrap=True)
    table.add_column("步骤", no_wrap=True)
    table.add_column("step", overflow="fold")
    table.add_column("applies to", no_wrap=True)
    table.add_column("tasks", justify="right")
    table.add_column("要求", overflow="fold", ratio=1)
    for record in records:
        table.add_row(
            record["code"],
            Text(record["title_zh"]),
            Text(record["title_en"]),
            record["applies_to"],
            str(len(record["tasks"])),
            Text(record["text_zh"]),
        )
    Console().print(table)
