"""Pydantic views of import jobs and importers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from storeops.connectors.enums import ImportStatus


class RowErrorRead(BaseModel):
    row: int
    column: str | None
    reason: str
    value: str | None = None


class ImportJobRead(BaseModel):
    """An import job: the file, its outcome and counts, and the first bad rows."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    store_id: int
    platform: str
    report: str
    file_name: str
    file_sha256: str
    file_size: int
    file_format: str
    encoding: str
    delimiter: str
    partial: bool
    dry_run: bool
    status: ImportStatus
    rows_total: int
    rows_imported: int
    rows_failed: int
    counts: dict[str, Any]
    message: str
    actor_label: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    errors: list[RowErrorRead]


class ImporterRead(BaseModel):
    platform: str
    report: str
    title: str
    layout: str


class MappingProfileCreate(BaseModel):
    name: str
    target: str = "orders"
    mapping: dict[str, dict[str, Any]]


class MappingProfileRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    target: str
    mapping: dict[str, Any]
