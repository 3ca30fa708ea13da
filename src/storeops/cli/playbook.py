"""``storeops playbook``: a store's tasks of the standard with owner, due date, status and evidence."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.models import User
from storeops.cli.common import OutputFormat, cli_errors, company_actor, emit, out, unit_of_work
from storeops.errors import NotFound
from storeops.standard import playbook as service
from storeops.standard.catalog import load_catalog
from storeops.standard.models import PlaybookItem
from storeops.stores.service import get_store

app = typer.Typer(
    help=(
        "The playbook: the tasks of T/CCPITCSC 111-2022 that apply to a store (B2B or B2C), each "
        "with its cadence, owner, due date in the store's timezone, status and evidence. Records "
        "storeops can see (replied inquiries, shipments, promotions …) are attached as evidence "
        "automatically; give links for the rest with `done`."
    ),
    no_args_is_help=True,
)

CompanyOption = typer.Option(
    "--company", "-c", help="Company name (needed only when there are several)."
)
StoreOption = typer.Option("--store", "-s", help="Store id (see `storeops store list`).")
FormatOpt = typer.Option("--format", "-f", help="table for people; json or csv for scripts.")
ITEM_COLUMNS = ("id", "code", "title", "cadence", "period_start", "due_on", "owner", "status",
                "evidence")  # fmt: skip


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {int(i): str(n) for i, n in rows}


def _row(item: PlaybookItem, names: dict[int, str], **extra: Any) -> dict[str, Any]:
    task = load_catalog().task(item.task_code)
    return {
        "id": item.id,
        "code": item.task_code,
        "title": task.title_en,
        "title_zh": task.title_zh,
        "cadence": item.cadence,
        "period_start": item.period_start.isoformat(),
        "due_on": item.due_on.isoformat(),
        "owner": names.get(item.owner_user_id or 0, ""),
        "status": item.status.value,
        "evidence": [e.get("label") or e.get("ref") for e in item.evidence or []],
        **extra,
    }


@app.command("show")
@cli_errors
def show(
    store_id: Annotated[int, StoreOption],
    on: Annotated[
        dt.datetime | None,
        typer.Option(
            "--on", formats=["%Y-%m-%d"], help="Day in the store's timezone (default: today)."
        ),
    ] = None,
    status: Annotated[str | None, typer.Option(help="Only open, done or skipped items.")] = None,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """Show a store's playbook for the periods containing a day; missing items are created first."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        store = get_store(session, store_id=store_id, actor=actor)
        day = on.date() if on else service.store_today(store)
        service.generate_playbook(session, store=store, actor=actor, on=day)
        items = service.list_items(session, store=store, actor=actor, on=day, status=status)
        names = _names(session, {i.owner_user_id for i in items})
        rows = [_row(i, names) for i in items]
        title = f"playbook of {store.name} on {day.isoformat()} ({store.timezone})"
    emit(rows, ITEM_COLUMNS, fmt, title=title)


@app.command("due")
@cli_errors
def due(
    user: Annotated[
        str | None, typer.Option("--user", "-u", help="E-mail of the person (default: everyone).")
    ] = None,
    within: Annotated[
        int, typer.Option(min=0, max=90, help="Also items due in the next N days.")
    ] = 0,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """The "today" view: open items due today or overdue (per person with --user)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        user_id = None
        if user:
            found = session.scalar(select(User.id).where(User.email == user.strip().lower()))
            if found is None:
                raise NotFound(f"user {user!r} not found", field="user")
            user_id = int(found)
        due_items = service.due_items(session, actor=actor, user_id=user_id, within_days=within)
        names = _names(session, {d.item.owner_user_id for d in due_items})
        rows = [
            _row(
                d.item,
                names,
                store=d.store_name,
                when="overdue"
                if d.overdue_days > 0
                else "today"
                if d.overdue_days == 0
                else "soon",
                days_overdue=max(d.overdue_days, 0),
            )
            for d in due_items
        ]
    emit(rows, ("id", "store", "code", "title", "due_on", "when", "days_overdue", "owner"), fmt,
         title="due and overdue")  # fmt: skip


@app.command("done")
@cli_errors
def done(
    item_id: Annotated[int, typer.Argument(help="Playbook item id (see `playbook show`).")],
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", "-e", help="A link to what shows the task done (repeatable)."),
    ] = None,
    note: Annotated[str, typer.Option(help="A note for the reviewer.")] = "",
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """Mark a playbook item done with its evidence."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        item = service.get_item(session, item_id=item_id, actor=actor)
        service.complete_item(session, item=item, actor=actor, evidence=evidence or [], note=note)
        out.print(f"item {item.id} (task {item.task_code}) is done", highlight=False)


@app.command("workflow")
@cli_errors
def workflow(
    store_id: Annotated[int, StoreOption],
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """Progress of each of the 18 workflow steps of clause 5 for the store, this period."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        store = get_store(session, store_id=store_id, actor=actor)
        service.generate_playbook(session, store=store, actor=actor)
        rows = [
            {"step": p.code, "title": p.title_en, "applies": p.applies, "tasks": p.tasks,
             "done": p.done, "overdue": p.overdue, "percent": p.percent}
            for p in service.workflow_progress(session, store=store, actor=actor)
        ]  # fmt: skip
    emit(rows, ("step", "title", "applies", "tasks", "done", "overdue", "percent"), fmt,
         title="workflow of clause 5")  # fmt: skip
