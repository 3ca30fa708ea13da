"""``/imports``: upload a seller-centre report, preview it, import it, download the bad rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response
from nicegui import events, run, ui
from sqlalchemy import Engine

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.auth.service import resolve_session, session_actor
from storeops.connectors import mapping, service
from storeops.connectors.export import errors_csv, errors_xlsx
from storeops.connectors.jobs import run_import
from storeops.connectors.models import ImportJob
from storeops.connectors.reading import read_table
from storeops.connectors.registry import catalogue
from storeops.db import session_scope
from storeops.errors import DomainError, NotAuthenticated, PermissionDenied
from storeops.web.access import declare_page
from storeops.web.auth_routes import SESSION_COOKIE
from storeops.web.context import ConsoleContext
from storeops.web.layout import frame, heading, open_console
from storeops.web.state import runtime

PREVIEW_ROWS = 10
STATUS_COLOR = {
    "succeeded": "positive",
    "partial": "warning",
    "rejected": "negative",
    "failed": "negative",
    "abandoned": "grey-7",
    "skipped": "info",
    "running": "primary",
}


def _actor(engine: Engine, raw: str | None) -> Actor:
    with session_scope(engine) as session:
        console = resolve_session(session, raw)
        actor = session_actor(session, console)
    if actor is None:
        raise NotAuthenticated("please sign in")
    return actor


@dataclass(frozen=True, slots=True)
class JobView:
    """A finished job as the page shows it (plain data, no ORM object)."""

    id: int
    file_name: str
    report: str
    status: str
    rows_total: int
    rows_imported: int
    rows_failed: int
    message: str
    started_at: str
    counts: dict[str, Any]
    header: list[str]
    errors: list[dict[str, Any]] = field(default_factory=list)


def _view(job: ImportJob) -> JobView:
    return JobView(
        id=job.id,
        file_name=job.file_name,
        report=f"{job.platform} {job.report}",
        status=job.status.value,
        rows_total=job.rows_total,
        rows_imported=job.rows_imported,
        rows_failed=job.rows_failed,
        message=job.message,
        started_at=f"{job.started_at:%Y-%m-%d %H:%M}",
        counts=dict(job.counts),
        header=list(job.header),
        errors=list(job.errors),
    )


def _recent_jobs(engine: Engine, raw: str | None) -> list[JobView]:
    actor = _actor(engine, raw)
    with session_scope(engine) as session:
        return [_view(j) for j in service.list_jobs(session, actor=actor, limit=20)]


def _profile_names(engine: Engine, raw: str | None) -> list[str]:
    actor = _actor(engine, raw)
    with session_scope(engine) as session:
        return [p.name for p in mapping.list_profiles(session, actor=actor)]


def _preview(data: bytes, name: str) -> tuple[list[str], list[list[str]], str]:
    table = read_table(data, name)
    rows = []
    for _number, cells in table.rows:
        rows.append(cells)
        if len(rows) >= PREVIEW_ROWS:
            break
    detail = f"{table.file_format} · {table.encoding}"
    if table.delimiter:
        detail += f" · {'TAB' if table.delimiter == chr(9) else table.delimiter}"
    return table.header, rows, detail


def _import(engine: Engine, raw: str | None, **options: Any) -> JobView:
    actor = _actor(engine, raw)
    return _view(run_import(engine, actor=actor, **options))


@dataclass
class _Upload:
    name: str = ""
    data: bytes = b""


def register() -> None:
    """Add the imports page."""

    declare_page("/imports", Permission.IMPORT_RUN)

    @ui.page("/imports")
    async def imports_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx: ConsoleContext = opened
        _ = ctx.translate
        raw = request.cookies.get(SESSION_COOKIE)
        engine = runtime().engine
        with frame(request, ctx, active="imports", title=_("Imports")):
            heading(
                _("Imports"),
                _(
                    "5.14 Take reports downloaded from a seller centre into a store: the whole "
                    "file is checked first, nothing is written twice."
                ),
            )
            if not ctx.stores:
                ui.label(_("You have no store to import into."))
                return None
            reports = catalogue()
            try:
                profiles = await run.io_bound(_profile_names, engine, raw) or []
            except PermissionDenied:
                profiles = []
            upload = _Upload()
            store_options = {s.id: f"{s.name} ({s.platform}, {s.site})" for s in ctx.stores}
            platform_of = {s.id: s.platform for s in ctx.stores}
            first_store = ctx.store_id or ctx.stores[0].id

            def report_options(store_id: int) -> dict[str, str]:
                options = {
                    r["report"]: r["title"]
                    for r in reports
                    if r["platform"] == platform_of[store_id]
                }
                for name in profiles:
                    options[f"mapping:{name}"] = _("Mapping profile: {name}").format(name=name)
                return options

            with ui.card().classes("so-card p-4 w-full").props("flat"):
                with ui.row().classes("items-end gap-4 w-full"):
                    store_select = ui.select(
                        store_options, value=first_store, label=_("Store")
                    ).classes("min-w-[260px]")
                    options = report_options(first_store)
                    report_select = ui.select(
                        options, value=next(iter(options), None), label=_("Report")
                    ).classes("min-w-[320px]")
                    partial = ui.checkbox(_("Import the good rows, return the bad ones"))
                    dry_run = ui.checkbox(_("Dry run (write nothing)"))
                no_report = ui.label(
                    _("storeops has no file importer for this store's platform yet.")
                ).classes("text-sm so-muted")
                no_report.set_visibility(not options)

                def store_changed(event: events.ValueChangeEventArguments[Any]) -> None:
                    choices = report_options(int(event.value))
                    report_select.set_options(choices, value=next(iter(choices), None))
                    no_report.set_visibility(not choices)

                store_select.on_value_change(store_changed)
                upload_slot = ui.column().classes("w-full")
                preview_box = ui.column().classes("w-full gap-2")
                result_box = ui.column().classes("w-full gap-2")
                import_button = ui.button(_("Import"), icon="upload_file").props(
                    "unelevated color=primary data-testid=import-run"
                )
                import_button.disable()

                async def received(event: events.UploadEventArguments) -> None:
                    upload.name = event.file.name
                    upload.data = await event.file.read()
                    preview_box.clear()
                    result_box.clear()
                    with preview_box:
                        try:
                            previewed = await run.io_bound(_preview, upload.data, upload.name)
                        except DomainError as exc:
                            ui.label(
                                _("This file cannot be imported: {reason}").format(
                                    reason=exc.message
                                )
                            ).classes("text-negative").props("data-testid=import-refused")
                            import_button.disable()
                            return
                        if previewed is None:  # the server is shutting down
                            return
                        header, rows, detail = previewed
                        ui.label(
                            _("Preview of {name} ({detail}): the first {count} rows").format(
                                name=upload.name, detail=detail, count=len(rows)
                            )
                        ).classes("text-sm font-medium")
                        columns = [
                            {"name": str(i), "label": h, "field": str(i), "align": "left"}
                            for i, h in enumerate(header)
                        ]
                        ui.table(
                            columns=columns,
                            rows=[{str(i): c for i, c in enumerate(r)} for r in rows],
                        ).props("dense flat bordered").classes("w-full so-sticky")
                    import_button.enable()

                with upload_slot:
                    ui.upload(
                        label=_("Report file (CSV, TSV or XLSX)"),
                        auto_upload=True,
                        max_file_size=512 * 1024**2,
                        on_upload=received,
                    ).props("accept=.csv,.tsv,.txt,.xlsx flat bordered").classes("w-full")

                async def start() -> None:
                    if not upload.data or not report_select.value:
                        return
                    import_button.disable()
                    result_box.clear()
                    try:
                        job = await run.io_bound(
                            _import,
                            engine,
                            raw,
                            store_id=int(store_select.value),
                            platform=platform_of[int(store_select.value)],
                            report=str(report_select.value),
                            file_name=upload.name,
                            data=upload.data,
                            partial=bool(partial.value),
                            dry_run=bool(dry_run.value),
                        )
                    except PermissionDenied:
                        with result_box:
                            ui.label(_("Your role may not import files.")).classes("text-negative")
                        return
                    except DomainError as exc:
                        with result_box:
                            ui.label(
                                _("This file cannot be imported: {reason}").format(
                                    reason=exc.message
                                )
                            ).classes("text-negative").props("data-testid=import-refused")
                        return
                    finally:
                        import_button.enable()
                    if job is not None:
                        _show_result(job)

                import_button.on_click(start)

            def _show_result(job: JobView) -> None:
                with result_box:
                    with ui.row().classes("items-center gap-3"):
                        ui.badge(job.status, color=STATUS_COLOR.get(job.status, "grey")).props(
                            "data-testid=import-status"
                        )
                        ui.label(
                            _("{imported} of {total} rows imported, {failed} bad").format(
                                imported=job.rows_imported,
                                total=job.rows_total,
                                failed=job.rows_failed,
                            )
                        )
                    ui.label(job.message).classes("text-sm so-muted")
                    if job.counts:
                        ui.table(
                            columns=[
                                {"name": k, "label": text, "field": k, "align": "left"}
                                for k, text in (
                                    ("table", _("Table")),
                                    ("inserted", _("Inserted")),
                                    ("updated", _("Updated")),
                                    ("unchanged", _("Unchanged")),
                                )
                            ],
                            rows=[{"table": t, **c} for t, c in job.counts.items()],
                        ).props("dense flat bordered")
                    if job.errors:
                        ui.table(
                            columns=[
                                {
                                    "name": "row",
                                    "label": _("Row"),
                                    "field": "row",
                                    "align": "right",
                                },
                                {
                                    "name": "column",
                                    "label": _("Column"),
                                    "field": "column",
                                    "align": "left",
                                },
                                {
                                    "name": "reason",
                                    "label": _("Reason"),
                                    "field": "reason",
                                    "align": "left",
                                },
                                {
                                    "name": "value",
                                    "label": _("Value"),
                                    "field": "value",
                                    "align": "left",
                                },
                            ],
                            rows=job.errors[:100],
                        ).props("dense flat bordered data-testid=import-errors").classes("w-full")
                        with ui.row().classes("gap-2"):
                            ui.button(
                                _("Download error file (CSV)"),
                                icon="download",
                                on_click=lambda: ui.download.content(
                                    errors_csv(job.header, job.errors),
                                    f"import-{job.id}-errors.csv",
                                    "text/csv; charset=utf-8",
                                ),
                            ).props("outline")
                            ui.button(
                                _("Download error file (XLSX)"),
                                icon="download",
                                on_click=lambda: ui.download.content(
                                    errors_xlsx(job.header, job.errors),
                                    f"import-{job.id}-errors.xlsx",
                                ),
                            ).props("outline")

            ui.label(_("Recent imports")).classes("text-base font-semibold mt-2")
            try:
                jobs = await run.io_bound(_recent_jobs, engine, raw)
            except PermissionDenied:
                ui.label(_("Your role may not import files.")).classes("so-muted")
                return None
            ui.table(
                columns=[
                    {"name": "id", "label": "#", "field": "id", "align": "right"},
                    {
                        "name": "started_at",
                        "label": _("Started (UTC)"),
                        "field": "started_at",
                        "align": "left",
                    },
                    {
                        "name": "file_name",
                        "label": _("File"),
                        "field": "file_name",
                        "align": "left",
                    },
                    {"name": "report", "label": _("Report"), "field": "report", "align": "left"},
                    {"name": "status", "label": _("Status"), "field": "status", "align": "left"},
                    {
                        "name": "rows_imported",
                        "label": _("Imported"),
                        "field": "rows_imported",
                        "align": "right",
                    },
                    {
                        "name": "rows_failed",
                        "label": _("Bad rows"),
                        "field": "rows_failed",
                        "align": "right",
                    },
                    {"name": "message", "label": _("Message"), "field": "message", "align": "left"},
                ],
                rows=[_row(j) for j in jobs or []],
            ).props("dense flat bordered").classes("w-full")
        return None


def _row(job: JobView) -> dict[str, Any]:
    return {
        "id": job.id,
        "started_at": job.started_at,
        "file_name": job.file_name,
        "report": job.report,
        "status": job.status,
        "rows_imported": job.rows_imported,
        "rows_failed": job.rows_failed,
        "message": job.message,
    }
