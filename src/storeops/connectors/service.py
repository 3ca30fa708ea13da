"""5.14 Import a platform report into a store: job record, whole-file validation, atomic write.

The boundary runs an import in two steps so that a crash never leaves a half-written file or a
job stuck in ``running``: ``start_import`` records the job (committed on its own), then
``execute_import`` reads and validates the whole file, writes the records and finishes the job in
one transaction. A process killed in between leaves no data (the transaction never committed) and
a ``running`` job that ``recover_stale_jobs`` marks ``abandoned``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped, scoped
from storeops.connectors.enums import ImportStatus, import_transition
from storeops.connectors.errors import FileRefused
from storeops.connectors.framework import ImportContext, Parsed
from storeops.connectors.jsonfiles import JsonImporter, read_json
from storeops.connectors.mapping import PREFIX, profile_importer
from storeops.connectors.models import ImportJob
from storeops.connectors.reading import read_table
from storeops.connectors.registry import importer_for
from storeops.errors import DomainError
from storeops.stores.models import Store
from storeops.types import utcnow

MAX_STORED_ERRORS = 5_000
STALE_AFTER = dt.timedelta(hours=6)
Progress = Callable[[str, int], None]


def file_sha256(data: bytes) -> str:
    """The hex SHA-256 of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def import_context(store: Store) -> ImportContext:
    """What importers need to know about ``store``."""
    return ImportContext(
        company_id=store.company_id,
        store_id=store.id,
        store_name=store.name,
        platform=store.platform.value,
        site=store.site,
        currency=store.currency,
        timezone=store.timezone,
    )


def start_import(
    session: Session,
    *,
    store_id: int,
    platform: str,
    report: str,
    file_name: str,
    data: bytes,
    partial: bool = False,
    dry_run: bool = False,
    actor: Actor,
) -> ImportJob:
    """5.14 Record a running import job of ``file_name`` into the store (checks before reading)."""
    actor.require(Permission.IMPORT_RUN)
    store = get_scoped(session, Store, store_id, actor, what="store")
    importer = _importer(session, store, platform, report)
    if importer.platform not in (store.platform.value, "any"):
        raise FileRefused(
            f"store {store.name!r} is a {store.platform.value} store; "
            f"a {importer.title} belongs to a {importer.platform} store",
            field="store",
        )
    job = ImportJob(
        company_id=store.company_id,
        store_id=store.id,
        platform=store.platform.value if report.startswith(PREFIX) else importer.platform,
        report=report.strip()[:60] if report.startswith(PREFIX) else importer.report,
        file_name=os.path.basename(file_name)[:255] or "upload",
        file_sha256=file_sha256(data),
        file_size=len(data),
        partial=partial,
        dry_run=dry_run,
        status=ImportStatus.RUNNING,
        counts={},
        errors=[],
        header=[],
        message="",
        created_by_user_id=actor.user_id,
        actor_label=actor.label[:160],
        host=socket.gethostname()[:120],
        pid=os.getpid(),
        started_at=utcnow(),
    )
    session.add(job)
    session.flush()
    return job


def _importer(session: Session, store: Store, platform: str, report: str) -> Any:
    """The importer of ``report``: a known layout, or ``mapping:<profile>`` of the company."""
    if report.strip().lower().startswith(PREFIX):
        if platform.strip().lower() != store.platform.value:
            raise FileRefused(
                f"store {store.name!r} is a {store.platform.value} store", field="store"
            )
        return profile_importer(
            session, company_id=store.company_id, platform=store.platform.value, report=report
        )
    return importer_for(platform, report)


def previous_import(session: Session, job: ImportJob) -> ImportJob | None:
    """An earlier job that imported the very same file into the same store, if any."""
    stmt = (
        select(ImportJob)
        .where(
            ImportJob.store_id == job.store_id,
            ImportJob.file_sha256 == job.file_sha256,
            ImportJob.report == job.report,
            ImportJob.status.in_([ImportStatus.SUCCEEDED, ImportStatus.PARTIAL]),
            ImportJob.dry_run.is_(False),
            ImportJob.id != job.id,
        )
        .order_by(ImportJob.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def execute_import(
    session: Session,
    *,
    job: ImportJob,
    data: bytes,
    actor: Actor,
    force: bool = False,
    encoding: str | None = None,
    progress: Progress | None = None,
) -> ImportJob:
    """5.14 Read, validate and write the job's file; finish the job (never commits).

    All or nothing by default: one bad row rejects the file and nothing is written. With
    ``job.partial`` the good rows are written and the bad ones kept for the error file. A file
    already imported into the store (same SHA-256) is skipped unless ``force``; a dry run writes
    inside a savepoint that is rolled back, so its counts say what an import would do.
    """
    actor.require(Permission.IMPORT_RUN)
    store = get_scoped(session, Store, job.store_id, actor, what="store")
    if job.status != ImportStatus.RUNNING:
        raise DomainError(f"import job {job.id} is {job.status.value}, not running")
    if file_sha256(data) != job.file_sha256:
        raise FileRefused("the file changed since the import job was started", field="file")
    if not force and not job.dry_run:
        earlier = previous_import(session, job)
        if earlier is not None:
            _finish(
                job,
                ImportStatus.SKIPPED,
                f"the same file was already imported into this store by job {earlier.id} "
                f"on {earlier.started_at:%Y-%m-%d %H:%M} UTC; nothing to do "
                "(import it again with force to re-check every row)",
            )
            return job
    importer = _importer(session, store, job.platform, job.report)
    ctx = import_context(store)

    def rows_read(count: int) -> None:
        if progress is not None:
            progress("read", count)

    notes: list[str] = []
    parsed: Parsed[Any]
    if isinstance(importer, JsonImporter):
        payload = read_json(data, job.file_name)
        job.file_format, job.encoding, job.header = "json", "utf-8", ["item"]
        parsed = importer.parse_payload(payload, ctx, rows_read)
    else:
        table = read_table(data, job.file_name, encoding=encoding)
        job.file_format, job.encoding = table.file_format, table.encoding
        job.delimiter, job.header, notes = table.delimiter, list(table.header), list(table.notes)
        parsed = importer.parse(table, ctx, rows_read)
    importer.validate(session, parsed, ctx)
    job.rows_total = parsed.rows_total
    job.rows_failed = len(parsed.bad_rows)
    job.errors = [e.as_dict() for e in parsed.errors[:MAX_STORED_ERRORS]]
    if len(parsed.errors) > MAX_STORED_ERRORS:
        notes.append(
            f"the error file keeps the first {MAX_STORED_ERRORS} of {len(parsed.errors)} errors"
        )
    if parsed.errors and not job.partial:
        job.rows_imported = 0
        _finish(
            job,
            ImportStatus.REJECTED,
            f"{len(parsed.bad_rows)} of {parsed.rows_total} rows are bad "
            f"(first: {parsed.errors[0]}); nothing was written. Fix them, or import the good "
            "rows with partial and download the error file",
            notes,
        )
        return job
    if progress is not None:
        progress("write", parsed.rows_total)
    if job.dry_run:
        savepoint = session.begin_nested()
        try:
            counts = importer.write(session, parsed.records, ctx)
        finally:
            savepoint.rollback()
    else:
        counts = importer.write(session, parsed.records, ctx)
    job.counts = counts
    job.rows_imported = parsed.rows_total - len(parsed.bad_rows)
    status = ImportStatus.PARTIAL if parsed.errors else ImportStatus.SUCCEEDED
    verb = "would import" if job.dry_run else "imported"
    summary = f"{verb} {job.rows_imported} of {parsed.rows_total} rows"
    if parsed.errors:
        summary += f"; {job.rows_failed} bad rows left out (see the error file)"
    _finish(job, status, summary, notes)
    return job


def _finish(
    job: ImportJob, status: ImportStatus, message: str, notes: list[str] | None = None
) -> None:
    job.status = import_transition(job.status, status)
    job.message = "; ".join([message, *(notes or [])])[:4000]
    job.finished_at = utcnow()


def fail_job(session: Session, *, job_id: int, status: ImportStatus, message: str) -> ImportJob:
    """Finish a running job as rejected or failed after its transaction rolled back (boundary)."""
    job = session.get(ImportJob, job_id)
    if job is None:
        raise DomainError(f"import job {job_id} vanished")
    if job.status == ImportStatus.RUNNING:
        _finish(job, status, message)
    session.flush()
    return job


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_stale_jobs(
    session: Session, *, now: dt.datetime | None = None, older_than: dt.timedelta = STALE_AFTER
) -> list[int]:
    """Mark ``abandoned`` every running job whose process is gone (same host) or that is too old.

    Safe by construction: a job's data and its finished status commit together, so a job still
    ``running`` wrote nothing. Returns the ids it changed.
    """
    now = now or utcnow()
    host = socket.gethostname()[:120]
    running = session.scalars(
        select(ImportJob).where(ImportJob.status == ImportStatus.RUNNING)
    ).all()
    changed: list[int] = []
    for job in running:
        dead = job.host == host and job.pid != os.getpid() and not _process_alive(job.pid)
        if dead or job.started_at < now - older_than:
            _finish(
                job,
                ImportStatus.ABANDONED,
                "the importing process stopped before finishing; nothing of this file was written",
            )
            changed.append(job.id)
    session.flush()
    return changed


def list_jobs(
    session: Session, *, actor: Actor, store_id: int | None = None, limit: int = 50
) -> list[ImportJob]:
    """The latest import jobs of the actor's stores."""
    actor.require(Permission.IMPORT_RUN)
    stmt = scoped(select(ImportJob), ImportJob, actor).order_by(ImportJob.id.desc()).limit(limit)
    if store_id is not None:
        stmt = stmt.where(ImportJob.store_id == store_id)
    return list(session.scalars(stmt))


def get_job(session: Session, *, job_id: int, actor: Actor) -> ImportJob:
    """One import job of the actor's stores."""
    actor.require(Permission.IMPORT_RUN)
    return get_scoped(session, ImportJob, job_id, actor, what="import job")
