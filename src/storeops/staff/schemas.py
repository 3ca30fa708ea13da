"""Pydantic shapes of the staff domain."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class CourseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40, examples=["CS-101"])
    title: str = Field(min_length=1, max_length=200)
    task_codes: list[str] = Field(min_length=1, max_length=127, examples=[["7.3.3"]])
    pass_score: int = Field(default=60, ge=0, le=100)
    valid_months: int | None = Field(default=None, ge=1, le=120)


class CourseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    title: str
    task_codes: list[str]
    pass_score: int
    valid_months: int | None


class TrainingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: int
    course_code: str = Field(min_length=1, max_length=40)
    score: int = Field(ge=0, le=100)
    taken_on: dt.date


class TrainingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    course_code: str
    course_title: str
    task_codes: list[str]
    taken_on: dt.date
    score: int
    passed: bool
    valid_until: dt.date | None


class MatrixRowRead(BaseModel):
    """One person of the team competency matrix, with their tasks and 6.1.8 figures."""

    user_id: int
    name: str
    role: str
    stages: dict[int, int | None] = Field(
        description="stage 1-9: competency 0-100, null: no evidence"
    )
    training: dict[int, int]
    on_time: dict[int, int]
    owned: int
    done: int
    done_on_time: int
    overdue: int
    inquiries_answered: int
    mean_first_reply_minutes: int | None
    listings_edited: int
    quotes_created: int
    rfqs_quoted: int
