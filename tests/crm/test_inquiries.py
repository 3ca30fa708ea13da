"""7.1.1 Reply deadlines by platform and service hours, overdue queue, replies and templates."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.crm import service
from storeops.crm.enums import InquiryStatus
from storeops.crm.errors import DuplicateTemplate, TemplateNotFound
from storeops.crm.models import Inquiry, InquiryReply
from storeops.crm.schemas import TemplateWrite
from storeops.crm.working_time import add_working_minutes, working_minutes
from storeops.errors import InvalidInput, NotFound, PermissionDenied
from storeops.stores import service as store_service
from storeops.stores.enums import Platform
from storeops.stores.schemas import ServiceWindow
from tests.crm.factories import make_buyer, make_inquiry
from tests.factories import make_company, make_member, make_store, owner_actor

UTC = dt.UTC
LA = "America/Los_Angeles"
WEEKDAYS_9_17 = [(d, 9 * 60, 17 * 60) for d in range(5)]


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# --- the clock ------------------------------------------------------------------------------------


def test_working_minutes_count_only_service_hours_in_the_store_timezone() -> None:
    # Friday 2026-11-20 16:00 in Los Angeles (UTC-8) is 2026-11-21 00:00 UTC; Monday 09:30 local
    # is 2026-11-23 17:30 UTC: 60 minutes on Friday (16:00-17:00) + 30 on Monday (09:00-09:30).
    assert working_minutes(WEEKDAYS_9_17, LA, utc(2026, 11, 21), utc(2026, 11, 23, 17, 30)) == 90
    # The same instants in Shanghai (UTC+8): Sat 08:00 → Tue 01:30 local: all of Monday, 480.
    assert (
        working_minutes(
            WEEKDAYS_9_17, "Asia/Shanghai", utc(2026, 11, 21), utc(2026, 11, 23, 17, 30)
        )
        == 480
    )
    assert working_minutes(WEEKDAYS_9_17, LA, utc(2026, 11, 23), utc(2026, 11, 22)) == 0


def test_a_whole_day_window_on_the_day_daylight_saving_ends_lasts_25_hours() -> None:
    # 2026-11-01 is a Sunday; Los Angeles falls back from PDT (UTC-7) to PST (UTC-8).
    sunday = [(6, 0, 1440)]
    assert working_minutes(sunday, LA, utc(2026, 10, 31), utc(2026, 11, 3)) == 25 * 60


def test_add_working_minutes_carries_over_the_weekend() -> None:
    # 120 working minutes from Friday 16:00 local: 60 on Friday, 60 on Monday → Monday 10:00 PST.
    assert add_working_minutes(WEEKDAYS_9_17, LA, utc(2026, 11, 21), 120) == utc(2026, 11, 23, 18)
    assert add_working_minutes([], LA, utc(2026, 11, 21), 120) is None


# --- deadlines, queue, report ---------------------------------------------------------------------


def _store_with_hours(session: Session, *, platform: Platform = Platform.AMAZON):  # type: ignore[no-untyped-def]
    company = make_company(session)
    store = make_store(session, company=company, platform=platform, timezone=LA)
    actor = owner_actor(session, company)
    store_service.set_service_hours(
        session,
        store=store,
        windows=[ServiceWindow(weekday=d, opens="09:00", closes="17:00") for d in range(5)],
        actor=actor,
    )
    return company, store, actor


def test_default_policy_comes_from_the_platform(session: Session) -> None:
    _, store, actor = _store_with_hours(session, platform=Platform.SHOPEE)
    policy = service.reply_policy(session, store=store, actor=actor)
    assert (policy.platform_deadline_minutes, policy.working_target_minutes, policy.is_default) == (
        720,
        240,
        True,
    )


def test_deadline_is_the_earlier_of_platform_clock_and_service_hours_target(
    session: Session,
) -> None:
    _, store, actor = _store_with_hours(session)
    buyer = make_buyer(session, store=store)
    friday_16 = utc(2026, 11, 21)  # Friday 16:00 in Los Angeles
    inquiry = make_inquiry(
        session, store=store, buyer=buyer, received_at=friday_16, first_reply_at=None
    )
    # Platform 24 h binds: due Saturday 16:00 local = 2026-11-22 00:00 UTC.
    service.set_reply_policy(
        session,
        store=store,
        actor=actor,
        platform_deadline_minutes=1440,
        working_target_minutes=120,
    )
    assert service.inquiry_sla(session, inquiry=inquiry, actor=actor, now=friday_16).due_at == utc(
        2026, 11, 22
    )
    # Platform 72 h: the 120 working minutes bind: Monday 10:00 PST = 18:00 UTC.
    service.set_reply_policy(
        session,
        store=store,
        actor=actor,
        platform_deadline_minutes=4320,
        working_target_minutes=120,
    )
    sla = service.inquiry_sla(session, inquiry=inquiry, actor=actor, now=utc(2026, 11, 23, 19))
    assert (sla.due_at, sla.overdue, sla.overdue_minutes) == (utc(2026, 11, 23, 18), True, 60.0)
    # Answered Monday 09:30 local: 3,930 clock minutes but 90 working minutes, on time.
    inquiry.first_reply_at = utc(2026, 11, 23, 17, 30)
    sla = service.inquiry_sla(session, inquiry=inquiry, actor=actor, now=utc(2026, 11, 24))
    assert (sla.reply_minutes, sla.reply_working_minutes, sla.overdue) == (3930.0, 90.0, False)


def test_overdue_queue_lists_unanswered_inquiries_past_due_longest_overdue_first(
    session: Session,
) -> None:
    _, store, actor = _store_with_hours(session)
    service.set_reply_policy(
        session,
        store=store,
        actor=actor,
        platform_deadline_minutes=4320,
        working_target_minutes=120,
    )
    buyer = make_buyer(session, store=store)
    first = make_inquiry(session, store=store, buyer=buyer, received_at=utc(2026, 11, 21))
    second = make_inquiry(session, store=store, buyer=buyer, received_at=utc(2026, 11, 23, 17))
    make_inquiry(session, store=store, buyer=buyer, received_at=utc(2026, 11, 23, 23))  # due 01:00
    make_inquiry(  # answered late: not in the queue (it is answered)
        session,
        store=store,
        buyer=buyer,
        received_at=utc(2026, 11, 20, 17),
        first_reply_at=utc(2026, 11, 23, 23),
    )
    queue = service.overdue_queue(session, store=store, actor=actor, now=utc(2026, 11, 24))
    assert [(s.id, s.overdue_minutes) for s in queue] == [(first.id, 360.0), (second.id, 300.0)]
    report = service.inquiry_report(
        session, store=store, actor=actor, since=utc(2026, 11, 20), until=utc(2026, 11, 24)
    )
    # 4 inquiries: one answered (late: due Fri 11:00 local, answered Mon 15:00), three open, two
    # of them overdue; the late one took 8 h Friday 09:00-17:00 + 6 h Monday = 840 working min.
    assert report.model_dump(exclude={"store_id"}) == {
        "inquiries": 4,
        "answered": 1,
        "answered_on_time": 0,
        "unanswered": 3,
        "overdue_unanswered": 2,
        "on_time_rate": 0.0,
        "median_reply_working_minutes": 840.0,
    }


def test_reply_records_the_first_reply_and_uses_the_buyers_language(session: Session) -> None:
    company, store, actor = _store_with_hours(session)
    user, agent = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
    service.add_reply_template(
        session,
        store=store,
        actor=actor,
        data=TemplateWrite(name="thanks", language="en", body="Hi {buyer}, about {subject}: yes."),
    )
    service.add_reply_template(
        session,
        store=store,
        actor=actor,
        data=TemplateWrite(name="thanks", language="es", body="Hola {buyer}, sobre {subject}: sí."),
    )
    with pytest.raises(DuplicateTemplate):
        service.add_reply_template(
            session,
            store=store,
            actor=actor,
            data=TemplateWrite(name="thanks", language="es", body="x"),
        )
    with pytest.raises(InvalidInput, match=r"unknown placeholder\(s\) \{price\}"):
        service.add_reply_template(
            session,
            store=store,
            actor=actor,
            data=TemplateWrite(name="p", language="en", body="{price}"),
        )
    buyer = make_buyer(session, store=store, company_name="Acme SL")
    spanish = make_inquiry(
        session,
        store=store,
        buyer=buyer,
        received_at=utc(2026, 11, 23, 17),
        language="es",
        subject="¿Hay stock?",
    )
    german = make_inquiry(
        session, store=store, buyer=buyer, received_at=utc(2026, 11, 23, 17), language="de"
    )
    at = utc(2026, 11, 23, 17, 20)
    reply = service.reply_inquiry(session, inquiry=spanish, actor=agent, template="thanks", now=at)
    assert reply.body == "Hola Acme SL, sobre ¿Hay stock?: sí."
    assert (spanish.first_reply_at, spanish.replied_by_user_id, spanish.status) == (
        at,
        user.id,
        InquiryStatus.REPLIED,
    )
    # German has no template of its own: the English one is used.
    assert (
        service.reply_inquiry(
            session, inquiry=german, actor=agent, template="thanks", now=at
        ).language
        == "en"
    )
    # A second reply keeps the first reply's time.
    service.reply_inquiry(
        session, inquiry=spanish, actor=agent, body="Gracias", now=utc(2026, 11, 24)
    )
    assert spanish.first_reply_at == at
    assert len(service.inquiry_replies(session, inquiry=spanish, actor=agent)) == 2
    with pytest.raises(TemplateNotFound):
        service.reply_inquiry(session, inquiry=german, actor=agent, template="nope", now=at)
    with pytest.raises(InvalidInput, match="the reply is empty"):
        service.reply_inquiry(session, inquiry=german, actor=agent, body="   ", now=at)


def test_escalation_is_recorded_and_leaves_the_inquiry_unanswered(session: Session) -> None:
    _, store, actor = _store_with_hours(session)
    inquiry = make_inquiry(
        session,
        store=store,
        buyer=make_buyer(session, store=store),
        received_at=utc(2026, 11, 23, 17),
    )
    reply = service.reply_inquiry(
        session,
        inquiry=inquiry,
        actor=actor,
        body="Asking the warehouse",
        escalate=True,
        now=utc(2026, 11, 23, 18),
    )
    assert (reply.escalated, inquiry.first_reply_at, inquiry.status) == (
        True,
        None,
        InquiryStatus.OPEN,
    )


def test_viewer_cannot_reply_and_nothing_is_written(session: Session) -> None:
    company, store, _actor = _store_with_hours(session)
    _, viewer = make_member(session, company=company, role=Role.VIEWER, stores=[store])
    inquiry = make_inquiry(
        session,
        store=store,
        buyer=make_buyer(session, store=store),
        received_at=utc(2026, 11, 23, 17),
    )
    with pytest.raises(PermissionDenied):
        service.reply_inquiry(
            session, inquiry=inquiry, actor=viewer, body="hi", now=utc(2026, 11, 24)
        )
    assert session.scalar(select(func.count()).select_from(InquiryReply)) == 0
    assert inquiry.first_reply_at is None


def test_another_companys_inquiry_answers_like_a_missing_one(session: Session) -> None:
    _, store, _ = _store_with_hours(session)
    other = make_company(session)
    inquiry = make_inquiry(
        session,
        store=store,
        buyer=make_buyer(session, store=store),
        received_at=utc(2026, 11, 23, 17),
    )
    with pytest.raises(NotFound, match=f"inquiry {inquiry.id} not found"):
        service.get_inquiry(session, inquiry_id=inquiry.id, actor=owner_actor(session, other))
    missing = session.scalar(select(func.max(Inquiry.id))) + 1  # type: ignore[operator]
    with pytest.raises(NotFound, match=f"inquiry {missing} not found"):
        service.get_inquiry(session, inquiry_id=missing, actor=owner_actor(session, other))


def test_bad_policy_is_refused(session: Session) -> None:
    _, store, actor = _store_with_hours(session)
    with pytest.raises(InvalidInput, match="at least one minute"):
        service.set_reply_policy(
            session,
            store=store,
            actor=actor,
            platform_deadline_minutes=0,
            working_target_minutes=None,
        )
    assert service.reply_policy(session, store=store, actor=actor).is_default
