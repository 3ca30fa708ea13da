"""ORM class of the import job: one file (or API pull) taken into one store."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

# Every table importers write or point at must be in the metadata before the first flush, even in
# a process that imported nothing else (orders.models points at promotions without importing them).
import storeops.auth.models
import storeops.catalog.models
import storeops.crm.models
import storeops.finance.models
import storeops.marketing.models
import storeops.orders.models
import storeops.stores.models  # noqa: F401
from storeops.connectors.enums import ImportStatus
from storeops.db import Base, str_enum


class ImportJob(Base):
    """One import of a platform report into a store: the file, who, when, counts and outcome."""

    __tablename__ = "import_jobs"
    __table_args__ = (Index("ix_import_jobs_store_id_file_sha256", "store_id", "file_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(32))
    report: Mapped[str] = mapped_column(String(60))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_size: Mapped[int] = mapped_column(BigInteger)
    file_format: Mapped[str] = mapped_column(String(16), default="")  # csv | xlsx | json
    encoding: Mapped[str] = mapped_column(String(20), default="")
    delimiter: Mapped[str] = mapped_column(String(4), default="")
    partial: Mapped[bool] = mapped_column(Boolean, default=False)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ImportStatus] = mapped_column(str_enum(ImportStatus, "import_status"))
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    rows_failed: Mapped[int] = mapped_column(Integer, default=0)
    # per table: {"orders": {"inserted": 3, "updated": 1, "unchanged": 0}, ...}
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # the first bad rows: [{"row": 7, "column": "purchase-date", "reason": "...", "value": "...",
    # "cells": [...]}]; the header is kept to rebuild the error file
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    header: Mapped[list[str]] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(Text, default="")
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    actor_label: Mapped[str] = mapped_column(String(160), default="")
    host: Mapped[str] = mapped_column(String(120), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]


class MappingProfile(Base):
    """A saved column mapping for a layout storeops does not know: source column → order field."""

    __tablename__ = "import_mapping_profiles"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(20))  # orders
    # {"order_id": {"column": "订单号"}, "placed_at": {"column": "下单时间", "format": "%Y/%m/%d %H:%M"}, ...}
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime]
