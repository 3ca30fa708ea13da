"""Training records, competency per stage, the team matrix, employee figures (6.1.8) and 7.3.3."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.errors import InvalidInput, NotFound, PermissionDenied
from storeops.staff import service as staff
from storeops.staff.errors import DuplicateCourse
from storeops.standard import playbook as pb
from storeops.standard.competency import (
    competency_matrix,
    customer_service_trained,
    employee_figures,
    person_tasks,
)
from storeops.standard.figures import Window
from tests.factories import make_company, make_member, make_store, owner_actor
from tests.standard.factories import at, make_buyer, make_inquiry

MARCH_2 = dt.date(2026, 3, 2)


def test_courses_and_training_records(session: Session) -> None:
    company = make_company(session)
    actor = owner_actor(session, company)
    cs, _ = make_member(session, company=company, role=Role.CUSTOMER_SERVICE)
    course = staff.create_course(session, actor=actor, code="CS-101", title="Customer service basics",
                                 task_codes=["7.3.3", "7.1.1", " "], pass_score=70, valid_months=12)  # fmt: skip
    assert course.task_codes == ["7.1.1", "7.3.3"]
    with pytest.raises(DuplicateCourse):
        staff.create_course(session, actor=actor, code="CS-101", title="x", task_codes=["7.3.3"])
    with pytest.raises(InvalidInput, match="not a task code"):
        staff.create_course(session, actor=actor, code="X", title="x", task_codes=["7.3"])
    failed = staff.record_training(session, actor=actor, user_id=cs.id, course=course, score=69,
                                   taken_on=dt.date(2026, 1, 10))  # fmt: skip
    passed = staff.record_training(session, actor=actor, user_id=cs.id, course=course, score=70,
                                   taken_on=dt.date(2026, 2, 10))  # fmt: skip
    assert (failed.passed, passed.passed) == (False, True)
    rows = staff.training_records(session, actor=actor, user_id=cs.id)
    assert [(r.score, r.passed, r.valid_until) for r in rows] == [
        (70, True, dt.date(2027, 2, 10)), (69, False, dt.date(2027, 1, 10))
    ]  # fmt: skip
    with pytest.raises(InvalidInput, match="between 0 and 100"):
        staff.record_training(session, actor=actor, user_id=cs.id, course=course, score=101,
                              taken_on=MARCH_2)  # fmt: skip
    stranger, _ = make_member(session, company=make_company(session), role=Role.OPERATOR)
    with pytest.raises(NotFound, match=f"user {stranger.id} not found"):
        staff.record_training(session, actor=actor, user_id=stranger.id, course=course, score=90,
                              taken_on=MARCH_2)  # fmt: skip
    _, operator = make_member(session, company=company, role=Role.OPERATOR)
    with pytest.raises(PermissionDenied):
        staff.training_records(session, actor=operator)
    # training scores per stage: the passed course (70) covers stage 7 only
    assert staff.training_scores_per_stage(session, actor=actor, on=MARCH_2) == {cs.id: {7: 70}}
    # after its 12 months the training no longer counts
    assert staff.training_scores_per_stage(session, actor=actor, on=dt.date(2027, 3, 1)) == {}


def _playbook_with_owners(session: Session) -> tuple:  # type: ignore[type-arg]
    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    cs, _ = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
    actor = owner_actor(session, company)
    items = {
        i.task_code: i for i in pb.generate_playbook(session, store=store, actor=actor, on=MARCH_2)
    }
    return company, store, cs, actor, items


def test_tasks_owned_and_done_on_time_per_person(session: Session) -> None:
    _company, _store, cs, actor, items = _playbook_with_owners(session)
    # the customer-service member owns the B2C store's 7.1 and 7.3 tasks (7.2.x go to marketing,
    # 7.3.3 training to the manager: here the owner) and 8.3.x; the one-off 7.3.1 was due in 2024
    # due in March: 7.1.1, 7.1.3 (daily, 2 March), 7.3.2, 8.3.1-8.3.5
    pb.complete_item(session, item=items["7.1.3"], actor=actor, evidence=["https://x.example/mail"])
    items["7.1.3"].completed_at = at("2026-03-02", 23, 59)  # on the due day: on time
    pb.complete_item(
        session, item=items["8.3.5"], actor=actor, evidence=["https://x.example/reviews"]
    )
    items["8.3.5"].completed_at = at("2026-04-02")  # after 31 March: late
    session.flush()
    tasks = person_tasks(session, actor=actor, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    mine = tasks[cs.id]
    owned = sorted(c for c, i in items.items() if i.owner_user_id == cs.id and i.cadence != "once")
    assert owned == ["7.1.1", "7.1.3", "7.3.2", "8.3.1", "8.3.2", "8.3.3", "8.3.4", "8.3.5"]  # fmt: skip
    # the open ones are due on 31 March, the last day of the period: not overdue yet
    assert (mine.owned, mine.done, mine.on_time, mine.overdue) == (8, 2, 1, 0)
    assert mine.per_stage == {7: (3, 1), 8: (5, 0)}
    assert mine.on_time_percent == 12  # 1 of 8 = 12.5 %
    late = person_tasks(session, actor=actor, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31),
                        today=dt.date(2026, 4, 1))  # fmt: skip
    assert late[cs.id].overdue == 6
    # competency: stage 7 = on time 33 % (1 of 3) with no training; then with a 90 in a 7.3.3 course
    row = next(r for r in competency_matrix(session, actor=actor, start=dt.date(2026, 3, 1),
                                            end=dt.date(2026, 3, 31)) if r.user_id == cs.id)  # fmt: skip
    assert (row.stages[7], row.stages[8], row.stages[1]) == (33, 0, None)
    course = staff.create_course(session, actor=actor, code="CS", title="CS", task_codes=["7.3.3"])
    staff.record_training(
        session, actor=actor, user_id=cs.id, course=course, score=90, taken_on=MARCH_2
    )
    row = next(r for r in competency_matrix(session, actor=actor, start=dt.date(2026, 3, 1),
                                            end=dt.date(2026, 3, 31)) if r.user_id == cs.id)  # fmt: skip
    assert row.stages[7] == 62  # (90 + 33) / 2 = 61.5, rounded half up
    assert row.role == "customer_service"


def test_employee_figures_of_6_1_8(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    cs, _ = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
    buyer = make_buyer(session, store=store)
    for minutes in (10, 30):
        inquiry = make_inquiry(session, store=store, buyer=buyer, received_at=at("2026-03-05"),
                               reply_after=dt.timedelta(minutes=minutes))  # fmt: skip
        inquiry.replied_by_user_id = cs.id
    session.flush()
    figures = employee_figures(session, actor=owner_actor(session, company),
                               start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))  # fmt: skip
    assert figures[cs.id].inquiries_answered == 2
    assert figures[cs.id].mean_first_reply_minutes == 20
    assert figures[cs.id].quotes_created == 0


def test_customer_service_training_check_passes_and_fails(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    actor = owner_actor(session, company)
    window = Window.local(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "UTC")
    outcome = customer_service_trained(session, store, window)
    assert (outcome.status, outcome.detail) == (
        "missing",
        "no customer-service member works on the store",
    )
    first, _ = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
    second, _ = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
    course = staff.create_course(session, actor=actor, code="CS", title="CS", task_codes=["7.3.3"],
                                 pass_score=60, valid_months=12)  # fmt: skip
    staff.record_training(session, actor=actor, user_id=first.id, course=course, score=80,
                          taken_on=dt.date(2026, 1, 5))  # fmt: skip
    staff.record_training(session, actor=actor, user_id=second.id, course=course, score=50,
                          taken_on=dt.date(2026, 1, 5))  # failed  # fmt: skip
    outcome = customer_service_trained(session, store, window)
    assert outcome.status == "partly"
    assert outcome.measured["trained"] == 1
    staff.record_training(session, actor=actor, user_id=second.id, course=course, score=75,
                          taken_on=dt.date(2026, 3, 20))  # fmt: skip
    outcome = customer_service_trained(session, store, window)
    assert (outcome.status, outcome.detail) == (
        "evidenced",
        "2 of 2 customer-service staff trained for 7.3.3",
    )
    # a year later the first training has expired
    later = Window.local(dt.date(2027, 2, 1), dt.date(2027, 2, 28), "UTC")
    assert customer_service_trained(session, store, later).status == "partly"
