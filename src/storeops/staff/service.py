"""Training courses and records, and competency from training per stage of the standard."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.models import Membership, User
from storeops.auth.scoping import Actor
from storeops.auth.service import record_audit
from storeops.errors import InvalidInput, NotFound
from storeops.staff.errors import DuplicateCourse
from storeops.staff.models import Course, TrainingRecord

_TASK_CODE = re.compile(r"^[1-9]\.\d\.\d{1,2}$")


def stage_of(task_code: str) -> int:
    """The operation stage (1-9) a task code belongs to."""
    return int(task_code.split(".")[0])


def create_course(
    session: Session,
    *,
    actor: Actor,
    code: str,
    title: str,
    task_codes: Sequence[str],
    pass_score: int = 60,
    valid_months: int | None = None,
) -> Course:
    """7.3.3 Define a training course and the tasks of the standard it trains for."""
    actor.require(Permission.STAFF_MANAGE)
    clean_code, clean_title = code.strip(), title.strip()
    if not clean_code:
        raise InvalidInput("course code is empty", field="code")
    if not clean_title:
        raise InvalidInput("course title is empty", field="title")
    codes = sorted({c.strip() for c in task_codes if c.strip()})
    if not codes:
        raise InvalidInput(
            "a course trains for at least one task code, e.g. 7.3.3", field="task_codes"
        )
    bad = [c for c in codes if not _TASK_CODE.match(c)]
    if bad:
        raise InvalidInput(f"{bad[0]!r} is not a task code such as 7.3.3", field="task_codes")
    if not 0 <= pass_score <= 100:
        raise InvalidInput("the pass score is between 0 and 100", field="pass_score")
    if valid_months is not None and not 1 <= valid_months <= 120:
        raise InvalidInput("a course is valid for 1 to 120 months", field="valid_months")
    exists = session.scalar(
        select(Course.id).where(Course.company_id == actor.company_id, Course.code == clean_code)
    )
    if exists is not None:
        raise DuplicateCourse(f"the company already has a course {clean_code!r}", field="code")
    course = Course(company_id=actor.company_id, code=clean_code[:40], title=clean_title[:200],
                    task_codes=codes, pass_score=pass_score, valid_months=valid_months)  # fmt: skip
    session.add(course)
    session.flush()
    record_audit(
        session, action="course.created", actor=actor, target_type="course", target_id=course.id
    )
    return course


def list_courses(session: Session, *, actor: Actor) -> list[Course]:
    """The company's courses, by code."""
    actor.require(Permission.STAFF_READ)
    return list(
        session.scalars(
            select(Course).where(Course.company_id == actor.company_id).order_by(Course.code)
        )
    )


def get_course(session: Session, *, code: str, actor: Actor) -> Course:
    """The company's course with this code; ``NotFound`` otherwise."""
    actor.require(Permission.STAFF_READ)
    course = session.scalar(
        select(Course).where(Course.company_id == actor.company_id, Course.code == code.strip())
    )
    if course is None:
        raise NotFound(f"course {code!r} not found", field="course")
    return course


def _member(session: Session, actor: Actor, user_id: int) -> User:
    user = session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id == user_id, Membership.company_id == actor.company_id)
    )
    if user is None:
        raise NotFound(f"user {user_id} not found", field="user_id")
    return user


def record_training(
    session: Session,
    *,
    actor: Actor,
    user_id: int,
    course: Course,
    score: int,
    taken_on: dt.date,
) -> TrainingRecord:
    """7.3.3 Record a member's result in a course; passed when the score reaches the course's pass score."""
    actor.require(Permission.STAFF_MANAGE)
    if course.company_id != actor.company_id:
        raise NotFound(f"course {course.code!r} not found", field="course")
    _member(session, actor, user_id)
    if not 0 <= score <= 100:
        raise InvalidInput("a score is between 0 and 100", field="score")
    record = TrainingRecord(company_id=actor.company_id, user_id=user_id, course_id=course.id,
                            taken_on=taken_on, score=score, passed=score >= course.pass_score,
                            assessor_user_id=actor.user_id)  # fmt: skip
    session.add(record)
    session.flush()
    record_audit(session, action="training.recorded", actor=actor, target_type="training_record",
                 target_id=record.id)  # fmt: skip
    return record


@dataclass(frozen=True, slots=True)
class TrainingRow:
    """A training record with its course, as lists show it."""

    id: int
    user_id: int
    course_code: str
    course_title: str
    task_codes: tuple[str, ...]
    taken_on: dt.date
    score: int
    passed: bool
    valid_until: dt.date | None


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def training_records(
    session: Session, *, actor: Actor, user_id: int | None = None
) -> list[TrainingRow]:
    """The company's training records (of one member), newest first."""
    actor.require(Permission.STAFF_READ)
    stmt = (
        select(TrainingRecord, Course)
        .join(Course, Course.id == TrainingRecord.course_id)
        .where(TrainingRecord.company_id == actor.company_id)
        .order_by(TrainingRecord.taken_on.desc(), TrainingRecord.id.desc())
    )
    if user_id is not None:
        stmt = stmt.where(TrainingRecord.user_id == user_id)
    return [
        TrainingRow(
            id=r.id, user_id=r.user_id, course_code=c.code, course_title=c.title,
            task_codes=tuple(c.task_codes), taken_on=r.taken_on, score=r.score, passed=r.passed,
            valid_until=_add_months(r.taken_on, c.valid_months) if c.valid_months else None,
        )
        for r, c in session.execute(stmt).tuples()
    ]  # fmt: skip


def trained_for(
    session: Session, *, company_id: int, task_code: str, on: dt.date
) -> dict[int, TrainingRow]:
    """7.3.3 Each member's best passed, still valid training on ``on`` for ``task_code``."""
    rows = session.execute(
        select(TrainingRecord, Course)
        .join(Course, Course.id == TrainingRecord.course_id)
        .where(TrainingRecord.company_id == company_id, TrainingRecord.passed.is_(True),
               TrainingRecord.taken_on <= on)
        .order_by(TrainingRecord.id)
    ).tuples()  # fmt: skip
    best: dict[int, TrainingRow] = {}
    for r, c in rows:
        if task_code not in c.task_codes:
            continue
        until = _add_months(r.taken_on, c.valid_months) if c.valid_months else None
        if until is not None and until < on:
            continue
        row = TrainingRow(r.id, r.user_id, c.code, c.title, tuple(c.task_codes), r.taken_on,
                          r.score, r.passed, until)  # fmt: skip
        if r.user_id not in best or row.score > best[r.user_id].score:
            best[r.user_id] = row
    return best


def training_scores_per_stage(
    session: Session, *, actor: Actor, on: dt.date
) -> dict[int, dict[int, int]]:
    """Competency from training: per member and stage, the best score of a passed, valid course covering it."""
    actor.require(Permission.STAFF_READ)
    scores: dict[int, dict[int, int]] = {}
    for row in training_records(session, actor=actor):
        if (
            not row.passed
            or row.taken_on > on
            or (row.valid_until is not None and row.valid_until < on)
        ):
            continue
        for stage in {stage_of(c) for c in row.task_codes}:
            per_user = scores.setdefault(row.user_id, {})
            per_user[stage] = max(per_user.get(stage, 0), row.score)
    return scores
