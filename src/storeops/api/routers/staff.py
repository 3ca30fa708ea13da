"""Staff: training courses and results (7.3.3), the team competency matrix with 6.1.8 figures."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.staff import service
from storeops.staff.schemas import (
    CourseCreate,
    CourseRead,
    MatrixRowRead,
    TrainingCreate,
    TrainingRead,
)
from storeops.standard.competency import competency_matrix, employee_figures

router = APIRouter(prefix="/staff", tags=["staff"])

Reader = Annotated[Actor, Depends(require(Permission.STAFF_READ))]
Manager = Annotated[Actor, Depends(require(Permission.STAFF_MANAGE))]


@router.get("/courses", response_model=list[CourseRead])
def list_courses(session: DbSession, actor: Reader) -> list[CourseRead]:
    """The company's training courses."""
    return [CourseRead.model_validate(c) for c in service.list_courses(session, actor=actor)]


@router.post("/courses", response_model=CourseRead, status_code=status.HTTP_201_CREATED)
def create_course(body: CourseCreate, session: DbSession, actor: Manager) -> CourseRead:
    """7.3.3 Add a training course and the task codes it trains for."""
    course = service.create_course(session, actor=actor, code=body.code, title=body.title,
                                   task_codes=body.task_codes, pass_score=body.pass_score,
                                   valid_months=body.valid_months)  # fmt: skip
    return CourseRead.model_validate(course)


@router.get("/training", response_model=list[TrainingRead])
def list_training(
    session: DbSession, actor: Reader, user_id: Annotated[int | None, Query()] = None
) -> list[TrainingRead]:
    """Training records, newest first (of one member with ``user_id``)."""
    rows = service.training_records(session, actor=actor, user_id=user_id)
    return [TrainingRead.model_validate(r) for r in rows]


@router.post("/training", response_model=TrainingRead, status_code=status.HTTP_201_CREATED)
def record_training(body: TrainingCreate, session: DbSession, actor: Manager) -> TrainingRead:
    """7.3.3 Record a member's result in a course."""
    course = service.get_course(session, code=body.course_code, actor=actor)
    record = service.record_training(session, actor=actor, user_id=body.user_id, course=course,
                                     score=body.score, taken_on=body.taken_on)  # fmt: skip
    row = next(r for r in service.training_records(session, actor=actor, user_id=body.user_id)
               if r.id == record.id)  # fmt: skip
    return TrainingRead.model_validate(row)


@router.get("/matrix", response_model=list[MatrixRowRead])
def matrix(
    session: DbSession,
    actor: Reader,
    start: Annotated[dt.date, Query(alias="from")],
    end: Annotated[dt.date, Query(alias="to")],
) -> list[MatrixRowRead]:
    """The team competency matrix over a period, with each person's tasks and 6.1.8 figures."""
    figures = employee_figures(session, actor=actor, start=start, end=end)
    rows = []
    for r in competency_matrix(session, actor=actor, start=start, end=end):
        f = figures.get(r.user_id)
        rows.append(MatrixRowRead(
            user_id=r.user_id, name=r.name, role=r.role, stages=r.stages, training=r.training,
            on_time=r.on_time, owned=r.tasks.owned, done=r.tasks.done, done_on_time=r.tasks.on_time,
            overdue=r.tasks.overdue, inquiries_answered=f.inquiries_answered if f else 0,
            mean_first_reply_minutes=f.mean_first_reply_minutes if f else None,
            listings_edited=f.listings_edited if f else 0, quotes_created=f.quotes_created if f else 0,
            rfqs_quoted=f.rfqs_quoted if f else 0,
        ))  # fmt: skip
    return rows
