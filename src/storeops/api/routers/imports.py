"""5.14 Imports: upload a seller-centre report into a store, list jobs, download error files."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile

from storeops.api.deps import DbSession, rate_limit, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.connectors import mapping, service
from storeops.connectors.errors import FileRefused
from storeops.connectors.export import errors_csv, errors_xlsx
from storeops.connectors.jobs import run_import
from storeops.connectors.registry import catalogue
from storeops.connectors.schemas import (
    ImporterRead,
    ImportJobRead,
    MappingProfileCreate,
    MappingProfileRead,
)

router = APIRouter(tags=["imports"], dependencies=[Depends(rate_limit("import"))])
Importer = Annotated[Actor, Depends(require(Permission.IMPORT_RUN))]
MAX_UPLOAD_BYTES = 512 * 1024**2


@router.get("/imports/reports", response_model=list[ImporterRead])
def list_reports(_actor: Importer) -> list[ImporterRead]:
    """Every report storeops can import, with the layout it follows."""
    return [ImporterRead(**r) for r in catalogue()]


@router.post("/imports", response_model=ImportJobRead)
def upload(
    request: Request,
    session: DbSession,
    actor: Importer,
    file: Annotated[UploadFile, File(description="The report: CSV, TSV or XLSX.")],
    store_id: Annotated[int, Form()],
    platform: Annotated[str, Form()],
    report: Annotated[str, Form()],
    partial: Annotated[bool, Form()] = False,
    dry_run: Annotated[bool, Form()] = False,
    force: Annotated[bool, Form()] = False,
) -> ImportJobRead:
    """5.14 Import a report into a store; the finished job (``rejected`` with its bad rows).

    A refused file (wrong type, empty, wrong store or marketplace …) answers 422 with the reason.
    """
    # The import is a job with transactions of its own; end the request's (token bookkeeping)
    # first so that SQLite's single writer is free for it.
    session.commit()
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileRefused(f"uploads are limited to {MAX_UPLOAD_BYTES // 1024**2} MiB", field="file")
    job = run_import(
        request.app.state.engine,
        actor=actor,
        store_id=store_id,
        platform=platform,
        report=report,
        file_name=file.filename or "upload",
        data=data,
        partial=partial,
        dry_run=dry_run,
        force=force,
    )
    return ImportJobRead.model_validate(job)


@router.get("/imports/jobs", response_model=list[ImportJobRead])
def list_jobs(
    session: DbSession, actor: Importer, store_id: int | None = None, limit: int = 50
) -> list[ImportJobRead]:
    """The latest import jobs of your stores."""
    jobs = service.list_jobs(session, actor=actor, store_id=store_id, limit=min(limit, 500))
    return [ImportJobRead.model_validate(j) for j in jobs]


@router.get("/imports/jobs/{job_id}", response_model=ImportJobRead)
def get_job(job_id: int, session: DbSession, actor: Importer) -> ImportJobRead:
    """One import job."""
    return ImportJobRead.model_validate(service.get_job(session, job_id=job_id, actor=actor))


@router.get("/imports/jobs/{job_id}/errors")
def download_errors(
    job_id: int, session: DbSession, actor: Importer, format: Literal["csv", "xlsx"] = "csv"
) -> Response:
    """The job's bad rows as a spreadsheet (cells that could run as formulas are defused)."""
    job = service.get_job(session, job_id=job_id, actor=actor)
    if format == "xlsx":
        body = errors_xlsx(job.header, job.errors)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = errors_csv(job.header, job.errors)
        media = "text/csv; charset=utf-8"
    name = f"import-{job.id}-errors.{format}"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/imports/profiles", response_model=list[MappingProfileRead])
def list_profiles(session: DbSession, actor: Importer) -> list[MappingProfileRead]:
    """5.14 The company's column-mapping profiles (import a file with report ``mapping:<name>``)."""
    return [
        MappingProfileRead.model_validate(p) for p in mapping.list_profiles(session, actor=actor)
    ]


@router.post("/imports/profiles", response_model=MappingProfileRead, status_code=201)
def create_profile(
    body: MappingProfileCreate, session: DbSession, actor: Importer
) -> MappingProfileRead:
    """5.14 Save a column-mapping profile: storeops order field → the file's column, with transforms."""
    profile = mapping.create_profile(
        session, name=body.name, target=body.target, mapping=body.mapping, actor=actor
    )
    return MappingProfileRead.model_validate(profile)
