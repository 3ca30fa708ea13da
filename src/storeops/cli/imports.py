"""``storeops import``: take a seller-centre report into a store; ``storeops import-jobs``."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from storeops.cli.common import (
    FormatOption,
    OutputFormat,
    cli_errors,
    company_actor,
    emit,
    err,
    fail,
    out,
    unit_of_work,
)
from storeops.connectors import mapping, service
from storeops.connectors.enums import ImportStatus
from storeops.connectors.export import errors_csv, errors_xlsx
from storeops.connectors.jobs import run_import
from storeops.connectors.models import ImportJob
from storeops.connectors.registry import catalogue
from storeops.db import get_engine


def _reports_help() -> str:
    return "\n\n".join(f"{r['platform']} {r['report']}: {r['title']}" for r in catalogue())


JOB_COLUMNS = (
    "id",
    "store_id",
    "platform",
    "report",
    "file_name",
    "status",
    "rows_total",
    "rows_imported",
    "rows_failed",
    "started_at",
    "finished_at",
    "message",
)


def job_row(job: ImportJob) -> dict[str, Any]:
    """A job as the CLI prints it."""
    row = {c: getattr(job, c) for c in JOB_COLUMNS}
    row["status"] = job.status.value
    row["counts"] = job.counts
    row["file_sha256"] = job.file_sha256
    row["dry_run"] = job.dry_run
    row["partial"] = job.partial
    return row


@cli_errors
def import_file(
    platform: Annotated[str, typer.Argument(help="Platform, e.g. amazon.")],
    report: Annotated[str, typer.Argument(help="Report, e.g. all-orders (see below).")],
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV/TSV/XLSX file.")
    ],
    store: Annotated[int, typer.Option("--store", "-s", help="Id of the store it belongs to.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and count, write nothing.")
    ] = False,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial", help="Import the good rows; write the bad ones to an error file."
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Re-check every row even if this file was imported.")
    ] = False,
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding, if detection guesses wrong (e.g. gb18030).")
    ] = None,
    errors_out: Annotated[
        Path | None,
        typer.Option("--errors-out", help="Where to write the error file (.csv or .xlsx)."),
    ] = None,
    company: Annotated[str | None, typer.Option("--company", "-c", help="Company name.")] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """5.14 Import a seller-centre report into a store: validated, all or nothing, idempotent.

    The whole file is checked before anything is written; one bad row refuses the file (each bad
    row is listed with its row number, column and reason) unless --partial. Importing the same
    file again, or overlapping files, creates nothing twice.
    """
    data = file.read_bytes()
    with unit_of_work() as session:
        actor = company_actor(session, company)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f} rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=fmt != OutputFormat.TABLE,
    ) as bar:
        task = bar.add_task(f"reading {file.name}", total=None)

        def progress(stage: str, rows: int) -> None:
            bar.update(task, completed=rows, description=f"{stage} {file.name}")

        job = run_import(
            get_engine(),
            actor=actor,
            store_id=store,
            platform=platform,
            report=report,
            file_name=file.name,
            data=data,
            partial=partial,
            dry_run=dry_run,
            force=force,
            encoding=encoding,
            progress=progress,
        )
    if job.errors:
        target = errors_out or file.with_name(f"{file.stem}.errors.csv")
        body = (
            errors_xlsx(job.header, job.errors)
            if target.suffix.lower() == ".xlsx"
            else errors_csv(job.header, job.errors)
        )
        target.write_bytes(body)
    emit([job_row(job)], (*JOB_COLUMNS, "counts"), fmt, title="import job", one=True)
    if job.errors and fmt == OutputFormat.TABLE:
        for error in job.errors[:20]:
            where = f", column {error['column']}" if error["column"] else ""
            err.print(f"row {error['row']}{where}: {error['reason']}", highlight=False)
        if len(job.errors) > 20:
            err.print(f"… {len(job.errors) - 20} more in the error file", highlight=False)
        err.print(f"error file: {target}", highlight=False)
    if job.status == ImportStatus.REJECTED:
        raise fail(job.message, 2)


import_file.__doc__ = (
    inspect.cleandoc(import_file.__doc__ or "") + "\n\nReports:\n\n" + _reports_help()
)

jobs_app = typer.Typer(help="Import jobs: list, show, error files, stale-job recovery.")


@jobs_app.command("list")
@cli_errors
def list_jobs(
    store: Annotated[int | None, typer.Option("--store", "-s")] = None,
    limit: int = 50,
    company: Annotated[str | None, typer.Option("--company", "-c")] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """The latest import jobs."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        jobs = service.list_jobs(session, actor=actor, store_id=store, limit=limit)
        emit([job_row(j) for j in jobs], JOB_COLUMNS, fmt, title="import jobs")


@jobs_app.command("errors")
@cli_errors
def job_errors(
    job_id: int,
    output: Annotated[Path, typer.Option("--output", "-o", help=".csv or .xlsx")],
    company: Annotated[str | None, typer.Option("--company", "-c")] = None,
) -> None:
    """Write a job's error file (bad rows with row number, column and reason)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        job = service.get_job(session, job_id=job_id, actor=actor)
        body = (
            errors_xlsx(job.header, job.errors)
            if output.suffix.lower() == ".xlsx"
            else errors_csv(job.header, job.errors)
        )
    output.write_bytes(body)
    out.print(f"{len(job.errors)} errors written to {output}")


@jobs_app.command("recover")
@cli_errors
def recover() -> None:
    """Mark jobs whose process died as abandoned (they wrote nothing)."""
    with unit_of_work() as session:
        changed = service.recover_stale_jobs(session)
    out.print(f"{len(changed)} stale jobs marked abandoned")


@jobs_app.command("profile-add")
@cli_errors
def profile_add(
    name: str,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The mapping as JSON.")],
    company: Annotated[str | None, typer.Option("--company", "-c")] = None,
) -> None:
    """5.14 Save a column-mapping profile; import with `storeops import PLATFORM mapping:NAME FILE`."""
    body = json.loads(file.read_text(encoding="utf-8"))
    with unit_of_work() as session:
        actor = company_actor(session, company)
        profile = mapping.create_profile(
            session, name=name, target=body.get("target", "orders"),
            mapping=body.get("mapping", body), actor=actor,
        )  # fmt: skip
        out.print(
            f"saved mapping profile {profile.name!r} (import with report mapping:{profile.name})"
        )


@jobs_app.command("profiles")
@cli_errors
def profiles(
    company: Annotated[str | None, typer.Option("--company", "-c")] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """The company's column-mapping profiles."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {"id": p.id, "name": p.name, "target": p.target, "fields": sorted(p.mapping)}
            for p in mapping.list_profiles(session, actor=actor)
        ]
    emit(rows, ("id", "name", "target", "fields"), fmt, title="mapping profiles")


MARKETPLACE_IDS = {
    "US": "ATVPDKIKX0DER", "CA": "A2EUQ1WTGCTBG2", "MX": "A1AM78C64UM0Y8", "BR": "A2Q3Y263D00KWC",
    "GB": "A1F83G8C2ARO7P", "UK": "A1F83G8C2ARO7P", "DE": "A1PA6795UKMFR9", "FR": "A13V1IB3VIYZZH",
    "IT": "APJ6JRA9NG5V4", "ES": "A1RKKUPIHCS9HS", "NL": "A1805IZSGTT6HS", "SE": "A2NODRKZP88ZB9",
    "PL": "A1C3SOZRARQ6R3", "JP": "A1VC38T7YXB528", "AU": "A39IBJ37TRP1C6", "IN": "A21TJRUUN4KGV",
}  # fmt: skip
SP_API_ENDPOINTS = {"na": "https://sellingpartnerapi-na.amazon.com",
                    "eu": "https://sellingpartnerapi-eu.amazon.com",
                    "fe": "https://sellingpartnerapi-fe.amazon.com"}  # fmt: skip
_REGION = {"US": "na", "CA": "na", "MX": "na", "BR": "na", "JP": "fe", "AU": "fe", "SG": "fe"}


@cli_errors
def sync(
    store: Annotated[int, typer.Option("--store", "-s", help="Id of an Amazon store.")],
    since: Annotated[str, typer.Option(help="Orders created after this ISO date/time.")],
    company: Annotated[str | None, typer.Option("--company", "-c")] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """5.14 Pull an Amazon store's orders and items from the Selling Partner API and import them.

    Credentials come from the environment: SP_API_REFRESH_TOKEN, LWA_APP_ID, LWA_CLIENT_SECRET
    (and SP_API_ENDPOINT / SP_API_TOKEN_URL to point elsewhere than Amazon's production hosts).
    Only Amazon orders are synced today; other platforms' APIs are not built yet.
    """
    import os

    from storeops.connectors.amazon.spapi import OrdersPuller, orders_api, sync_orders
    from storeops.errors import InvalidInput
    from storeops.stores.service import get_store

    missing = [
        n
        for n in ("SP_API_REFRESH_TOKEN", "LWA_APP_ID", "LWA_CLIENT_SECRET")
        if not os.environ.get(n)
    ]
    if missing:
        raise InvalidInput(f"set {', '.join(missing)} in the environment", field="credentials")
    with unit_of_work() as session:
        actor = company_actor(session, company)
        found = get_store(session, store_id=store, actor=actor)
        platform, site = found.platform.value, found.site.upper()
    if platform != "amazon":
        raise InvalidInput(f"store {store} is a {platform} store; only Amazon can be synced yet")
    if site not in MARKETPLACE_IDS:
        raise InvalidInput(f"no Amazon marketplace known for site {site}", field="site")
    api = orders_api(
        endpoint=os.environ.get("SP_API_ENDPOINT") or SP_API_ENDPOINTS[_REGION.get(site, "eu")],
        token_url=os.environ.get("SP_API_TOKEN_URL") or "https://api.amazon.com/auth/o2/token",
        refresh_token=os.environ["SP_API_REFRESH_TOKEN"],
        client_id=os.environ["LWA_APP_ID"],
        client_secret=os.environ["LWA_CLIENT_SECRET"],
    )
    job = sync_orders(
        get_engine(),
        actor=actor,
        store_id=store,
        puller=OrdersPuller(api),
        created_after=since,
        marketplace_ids=[MARKETPLACE_IDS[site]],
    )
    emit([job_row(job)], (*JOB_COLUMNS, "counts"), fmt, title="sync job", one=True)
    if job.status == ImportStatus.REJECTED:
        raise fail(job.message, 2)
