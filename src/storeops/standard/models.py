"""ORM classes of the playbook: the standard's tasks instantiated for one store and period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storeops.db import Base, str_enum
from storeops.standard.enums import PlaybookStatus
from storeops.types import utcnow


class PlaybookItem(Base):
    """One task of Table 1 to be done by a store in one period (a day, week, month … or once).

    ``period_start``/``due_on`` are dates in the store's timezone. ``evidence`` is a list of
    ``{"kind", "ref", "label", "auto"}``: records storeops found (``auto``) or links given by hand.
    """

    __tablename__ = "playbook_items"
    __table_args__ = (UniqueConstraint("store_id", "task_code", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    task_code: Mapped[str] = mapped_column(String(8))
    cadence: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[PlaybookStatus] = mapped_column(
        str_enum(PlaybookStatus, "playbook_status"), default=PlaybookStatus.OPEN
    )
    completed_at: Mapped[dt.datetime | None]
    completed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TrainingFault(Base):
    """Training mode: a fault an assessor planted in a sandbox store, and the trainee who must fix it.

    ``kind`` is one of ``standard.training.FAULT_KINDS``; ``ref`` names the record changed
    (``inquiry:12``, ``listing:7``, ``certificate:3``, ``shipment:40``); ``detail`` keeps what
    was changed, so grading can tell whether it was put right.
    """

    __tablename__ = "training_faults"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    task_code: Mapped[str] = mapped_column(String(8))
    ref: Mapped[str] = mapped_column(String(60))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    trainee_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    planted_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
