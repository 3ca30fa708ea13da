"""ORM classes of staff: training courses and who took them with what score."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storeops.db import Base
from storeops.types import utcnow


class Course(Base):
    """A training course of the company, covering tasks of the standard (e.g. 7.3.3 customer service)."""

    __tablename__ = "courses"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    task_codes: Mapped[list[str]] = mapped_column(JSON)
    pass_score: Mapped[int] = mapped_column(SmallInteger)  # 0-100
    valid_months: Mapped[int | None] = mapped_column(Integer)  # None: never expires
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TrainingRecord(Base):
    """One person's result in one course on one day (7.3.3 training records; competency)."""

    __tablename__ = "training_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    taken_on: Mapped[dt.date] = mapped_column(Date)
    score: Mapped[int] = mapped_column(SmallInteger)  # 0-100
    passed: Mapped[bool] = mapped_column(Boolean)
    assessor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
