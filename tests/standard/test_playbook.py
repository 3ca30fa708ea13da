"""The playbook: tasks per business model, cadence periods, owners, evidence, today view, workflow."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from storeops.standard import playbook as pb
from storeops.standard.enums import PlaybookStatus
from storeops.stores.enums import BusinessModel, Platform
from tests.factories import make_company, make_member, make_store, owner_actor
from tests.standard.factories import at, make_buyer, make_inquiry

MARCH_2 = dt.date(2026, 3, 2)  # a Monday


@pytest.mark.parametrize(
    ("cadence", "day", "expected"),
    [
        ("daily", dt.date(2026, 2, 28), (dt.date(2026, 2, 28), dt.date(2026, 2, 28))),
        ("weekly", dt.date(2026, 2, 28), (dt.date(2026, 2, 23), dt.date(2026, 3, 1))),
        ("monthly", dt.date(2026, 2, 14), (dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
        ("monthly", dt.date(2026, 12, 31), (dt.date(2026, 12, 1), dt.date(2026, 12, 31))),
        ("quarterly", dt.date(2026, 5, 5), (dt.date(2026, 4, 1), dt.date(2026, 6, 30))),
        ("quarterly", dt.date(2026, 11, 5), (dt.date(2026, 10, 1), dt.date(2026, 12, 31))),
        ("per_order", dt.date(2026, 2, 14), (dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
    ],
)
def test_period_of_each_cadence(
    cadence: str, day: dt.date, expected: tuple[dt.date, dt.date]
) -> None:
    assert pb.period_of(cadence, day, None) == expected


def test_once_is_due_thirty_days_after_opening() -> None:
    assert pb.period_of("once", dt.date(2026, 5, 1), dt.date(2024, 1, 1)) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 1, 31),
    )


def test_today_is_the_store_timezone_date() -> None:
    class _S:
        timezone = "America/Los_Angeles"

    # 05:00 UTC on 1 March is 21:00 on 28 February in Los Angeles (PST, UTC-8)
    now = dt.datetime(2026, 3, 1, 5, 0, tzinfo=dt.UTC)
    assert pb.store_today(_S(), now) == dt.date(2026, 2, 28)  # type: ignore[arg-type]


def test_b2c_and_b2b_stores_get_the_tasks_of_their_model(session: Session) -> None:
    company = make_company(session)
    b2c = make_store(session, company=company)
    b2b = make_store(
        session, company=company, platform=Platform.ALIBABA_COM, model=BusinessModel.B2B
    )
    actor = owner_actor(session, company)
    # Table 1: 34 tasks are B2B-only (2.1, 3.2, 6.1, 7.1.2, 8.1, 8.2, 9.2), 16 B2C-only
    # (2.2, 3.3, 6.2, 8.3), 77 both: a B2C store does 93, a B2B store 111.
    c_items = pb.generate_playbook(session, store=b2c, actor=actor, on=MARCH_2)
    b_items = pb.generate_playbook(session, store=b2b, actor=actor, on=MARCH_2)
    assert len(c_items) == 93
    assert len(b_items) == 111
    c_codes = {i.task_code for i in c_items}
    assert "3.3.2" in c_codes and "3.2.6" not in c_codes
    assert "3.2.6" in {i.task_code for i in b_items}
    by_code = {i.task_code: i for i in c_items}
    assert (by_code["6.2.1"].cadence, by_code["6.2.1"].due_on) == ("daily", MARCH_2)
    assert by_code["3.3.4"].due_on == dt.date(2026, 3, 8)  # weekly: Sunday of that week
    assert by_code["1.1.1"].due_on == dt.date(2026, 3, 31)  # quarterly
    assert by_code["2.2.1"].due_on == dt.date(2024, 1, 31)  # once: opened 2024-01-01 + 30
    again = pb.generate_playbook(session, store=b2c, actor=actor, on=MARCH_2)
    assert [i.id for i in again] == [i.id for i in c_items]  # idempotent


def test_owners_follow_the_roles_working_on_the_store(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    other = make_store(session, company=company)
    operator, _ = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    service, _ = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
    make_member(session, company=company, role=Role.MARKETING, stores=[other])  # not this store
    manager, _ = make_member(session, company=company, role=Role.MANAGER, stores=[store])
    items = {
        i.task_code: i
        for i in pb.generate_playbook(
            session, store=store, actor=owner_actor(session, company), on=MARCH_2
        )
    }
    assert items["3.3.2"].owner_user_id == operator.id
    assert items["7.1.1"].owner_user_id == service.id
    assert items["5.1.2"].owner_user_id == manager.id  # no marketer on this store: the manager
    assert items["6.2.1"].owner_user_id == manager.id


def test_replied_inquiries_evidence_7_1_1_automatically(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    actor = owner_actor(session, company)
    buyer = make_buyer(session, store=store)
    make_inquiry(session, store=store, buyer=buyer, received_at=at("2026-03-03", 9),
                 reply_after=dt.timedelta(hours=2))  # fmt: skip
    make_inquiry(session, store=store, buyer=buyer, received_at=at("2026-02-27", 9),
                 reply_after=dt.timedelta(hours=1))  # replied in February: not March's evidence  # fmt: skip
    march = {
        i.task_code: i
        for i in pb.generate_playbook(session, store=store, actor=actor, on=dt.date(2026, 3, 10))
    }
    assert march["7.1.1"].status == PlaybookStatus.DONE
    assert march["7.1.1"].evidence == [
        {"kind": "inquiries", "ref": f"/api/v1/playbook/stores/{store.id}",
         "label": "1 inquiries answered", "auto": True}
    ]  # fmt: skip
    assert march["9.1.3"].status == PlaybookStatus.OPEN  # no shipment: no evidence
    assert march["9.1.3"].evidence == []


def test_done_needs_evidence_and_follows_the_status_flow(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    items = {
        i.task_code: i for i in pb.generate_playbook(session, store=store, actor=actor, on=MARCH_2)
    }
    item = items["1.1.5"]
    with pytest.raises(InvalidInput, match="evidence"):
        pb.complete_item(session, item=item, actor=actor, evidence=["  "])
    assert item.status == PlaybookStatus.OPEN and item.evidence == []
    pb.complete_item(
        session, item=item, actor=actor, evidence=["https://docs.example/competitors-q1"]
    )
    assert item.status == PlaybookStatus.DONE
    assert item.evidence == [
        {"kind": "link", "ref": "https://docs.example/competitors-q1",
         "label": "https://docs.example/competitors-q1", "auto": False}
    ]  # fmt: skip
    with pytest.raises(IllegalTransition):
        pb.complete_item(session, item=item, actor=actor, evidence=["again"])
    pb.reopen_item(session, item=item, actor=actor)
    assert item.status == PlaybookStatus.OPEN and item.completed_at is None
    pb.skip_item(session, item=item, actor=actor, reason="no competitor on this site yet")
    assert item.status == PlaybookStatus.SKIPPED


def test_today_view_lists_a_persons_due_and_overdue_items(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="Asia/Shanghai")
    cs, cs_actor = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
    operator, _ = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    pb.generate_playbook(session, store=store, actor=owner_actor(session, company), on=MARCH_2)
    # 2026-03-04 02:00 UTC is 10:00 on 4 March in Shanghai: March's daily items of the 2nd are 2 days late
    now = dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC)
    due = pb.due_items(session, actor=cs_actor, now=now)
    assert {d.item.owner_user_id for d in due} == {cs.id}
    daily = {d.item.task_code: d.overdue_days for d in due if d.item.cadence == "daily"}
    assert daily == {"7.1.3": 2}  # the customer-service daily task of a B2C store
    # monthly items (due 31 March) are not due yet, but are "soon" within 27 days
    assert all(d.item.due_on <= dt.date(2026, 3, 4) for d in due)
    soon = pb.due_items(session, actor=cs_actor, now=now, within_days=27)
    assert any(d.item.due_on == dt.date(2026, 3, 31) and d.overdue_days == -27 for d in soon)
    assert operator.id not in {d.item.owner_user_id for d in soon}


def test_refusals_change_nothing_and_other_tenants_items_are_missing(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    items = pb.generate_playbook(
        session, store=store, actor=owner_actor(session, company), on=MARCH_2
    )
    _, viewer = make_member(session, company=company, role=Role.VIEWER, stores=[store])
    with pytest.raises(PermissionDenied):
        pb.complete_item(session, item=items[0], actor=viewer, evidence=["x"])
    assert items[0].status == PlaybookStatus.OPEN
    stranger = owner_actor(session, make_company(session))
    with pytest.raises(NotFound, match=f"playbook item {items[0].id} not found"):
        pb.get_item(session, item_id=items[0].id, actor=stranger)


def test_workflow_progress_counts_done_and_overdue_per_step(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    actor = owner_actor(session, company)
    buyer = make_buyer(session, store=store)
    make_inquiry(session, store=store, buyer=buyer, received_at=at("2026-03-02", 8),
                 reply_after=dt.timedelta(minutes=30))  # fmt: skip
    pb.generate_playbook(session, store=store, actor=actor, on=dt.date(2026, 3, 3))
    steps = {
        s.code: s
        for s in pb.workflow_progress(session, store=store, actor=actor, on=dt.date(2026, 3, 3))
    }
    assert len(steps) == 18
    assert not steps["5.16"].applies and steps["5.16"].tasks == 0  # B2B-only step
    # 5.15 for a B2C store: 5.4.3, 7.1.1, 7.1.3, 7.2.1, 7.2.2, 7.2.3 (6.1.10, 7.1.2, 9.2.4 and
    # 9.2.5 are B2B-only)
    step = steps["5.15"]
    assert (step.tasks, step.done, step.percent) == (6, 1, 17)  # 7.1.1 evidenced by the reply
    # 5.4 for B2C: 1.2.2, 2.2.1, 2.2.2; the two one-off tasks were due 2024-01-31
    assert (steps["5.4"].tasks, steps["5.4"].overdue) == (3, 2)


def test_automatic_evidence_counts_as_done_within_the_period(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="Asia/Shanghai")
    actor = owner_actor(session, company)
    buyer = make_buyer(session, store=store)
    make_inquiry(session, store=store, buyer=buyer, received_at=at("2025-03-03", 9),
                 reply_after=dt.timedelta(hours=2))  # fmt: skip
    items = {
        i.task_code: i
        for i in pb.generate_playbook(session, store=store, actor=actor, on=dt.date(2025, 3, 10))
    }
    # looked at long after: the records up to 10 March show it done by the end of that day in
    # Shanghai (16:00 UTC), not "now"; so it counts as done on time (due 31 March)
    item = items["7.1.1"]
    assert item.completed_at == dt.datetime(2025, 3, 10, 15, 59, 59, 999999, tzinfo=dt.UTC)
    assert item.due_on == dt.date(2025, 3, 31)
