"""The import job boundary for the CLI and the API: three short transactions.

1. stale jobs recovered and the new job recorded as ``running`` (committed);
2. the file read, validated and written, and the job finished (one transaction);
3. if step 2 raised, the job is marked ``rejected`` (a refused file) or ``failed`` (anything
   else) in a transaction of its own, and nothing of the file is in the database.
"""

from __future__ import annotations

from sqlalchemy import Engine

from storeops.auth.scoping import Actor
from storeops.connectors import service
from storeops.connectors.enums import ImportStatus
from storeops.connectors.models import ImportJob
from storeops.db import session_scope
from storeops.errors import DomainError


def run_import(
    engine: Engine,
    *,
    actor: Actor,
    store_id: int,
    platform: str,
    report: str,
    file_name: str,
    data: bytes,
    partial: bool = False,
    dry_run: bool = False,
    force: bool = False,
    encoding: str | None = None,
    progress: service.Progress | None = None,
) -> ImportJob:
    """5.14 Import one file into one store as a job; the finished job (committed)."""
    with session_scope(engine) as session:
        service.recover_stale_jobs(session)
        job = service.start_import(
            session,
            store_id=store_id,
            platform=platform,
            report=report,
            file_name=file_name,
            data=data,
            partial=partial,
            dry_run=dry_run,
            actor=actor,
        )
        job_id = job.id
    try:
        with session_scope(engine) as session:
            job = session.get_one(ImportJob, job_id)
            service.execute_import(
                session,
                job=job,
                data=data,
                actor=actor,
                force=force,
                encoding=encoding,
                progress=progress,
            )
            return job
    except DomainError as exc:
        with session_scope(engine) as session:
            service.fail_job(
                session, job_id=job_id, status=ImportStatus.REJECTED, message=exc.message
            )
        raise
    except BaseException as exc:
        with session_scope(engine) as session:
            service.fail_job(
                session,
                job_id=job_id,
                status=ImportStatus.FAILED,
                message=f"unexpected error, nothing written: {type(exc).__name__}: {exc}"[:4000],
            )
        raise
