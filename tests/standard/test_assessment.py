"""The assessment: findings, scores and weighting, determinism, comparison, reports (HTML, PDF, JSON)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.errors import InvalidInput, PermissionDenied
from storeops.standard import playbook as pb
from storeops.standard.assessment import assess_store, compare
from storeops.standard.report import report_html, report_json, report_pdf
from storeops.stores import service as stores
from storeops.stores.schemas import ServiceWindow
from tests.factories import make_company, make_member, make_store, owner_actor

START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


def test_an_empty_b2c_store_scores_zero_and_hand_evidence_counts(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    actor = owner_actor(session, company)
    a = assess_store(session, store=store, actor=actor, start=START, end=END)
    assert len(a.findings) == 127
    statuses = {f.code: f.status for f in a.findings}
    # 34 B2B-only tasks are not applicable to a B2C store; so are 6 checked tasks without data
    # in the period (2.3.1 no rule has data, 3.1.3 nothing sold, 5.2.3 no ad spend, 6.2.5 no
    # order, 7.1.1 no inquiry, 9.1.2 no parcel)
    assert sum(1 for s in statuses.values() if s == "not_applicable") == 34 + 6
    assert {statuses[c] for c in ("3.1.3", "6.2.5", "7.1.1", "9.1.2")} == {"not_applicable"}
    assert {statuses[c] for c in ("2.2.2", "3.3.2", "7.3.2")} == {"missing"}
    assert a.overall == 0
    # done by hand with a link in the playbook: 1.1.6 (a one-off task) becomes evidenced
    items = {
        i.task_code: i for i in pb.generate_playbook(session, store=store, actor=actor, on=START)
    }
    pb.complete_item(
        session, item=items["1.1.6"], actor=actor, evidence=["https://x.example/brand"]
    )
    # 7 days x 9 hours of service: 7.3.2 evidenced by its check
    stores.set_service_hours(session, store=store, actor=actor,
                             windows=[ServiceWindow(weekday=d, opens="09:00", closes="18:00") for d in range(7)])  # fmt: skip
    a = assess_store(session, store=store, actor=actor, start=START, end=END)
    assert a.finding("1.1.6").status == "evidenced"
    assert a.finding("1.1.6").basis == "playbook"
    assert a.finding("7.3.2").status == "evidenced"
    assert a.finding("7.3.2").basis == "automated"
    # 7.3.2's playbook item was evidenced automatically by the service windows too: no double count
    # 87 applicable tasks (127 - 40), 2 evidenced: 2 / 87 x 100 = 2.299 -> 2.3
    assert str(a.overall) == "2.3"
    stage1 = next(s for s in a.stages if s.stage == 1)
    assert (stage1.applicable, stage1.evidenced, str(stage1.score)) == (11, 1, "9.1")  # 1/11
    stage7 = next(s for s in a.stages if s.stage == 7)
    # stage 7 for B2C: 7.1.1 (n/a, no inquiry), 7.1.3, 7.2.1-7.2.3, 7.3.1-7.3.3 = 7 applicable
    assert (stage7.applicable, stage7.evidenced, str(stage7.score)) == (7, 1, "14.3")
    gaps = [g.code for g in a.gaps]
    # automated gaps first (3.3.1: no launch plan), then by severity and code
    assert gaps[:3] == ["2.2.2", "3.3.1", "3.3.2"]
    assert a.gaps[0].action.startswith("Record the store's seller-centre accounts")


def test_same_inputs_give_the_same_report(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    actor = owner_actor(session, company)
    first = report_json(assess_store(session, store=store, actor=actor, start=START, end=END))
    second = report_json(assess_store(session, store=store, actor=actor, start=START, end=END))
    assert first == second
    data = json.loads(first)
    assert set(data) == {"store", "period", "standard", "scores", "findings", "top_gaps"}
    assert data["scores"]["weighting"].startswith("Each applicable task earns 1 (evidenced)")
    finding = next(f for f in data["findings"] if f["code"] == "7.3.2")
    assert finding["status"] == "missing"
    assert finding["checks"][0]["id"] == "service_hours_7x8"
    assert finding["checks"][0]["source"].startswith("T/CCPITCSC 111-2022, 7.3.2")


def test_comparing_two_periods_shows_what_improved(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    actor = owner_actor(session, company)
    before = assess_store(session, store=store, actor=actor, start=START, end=END)
    stores.set_service_hours(session, store=store, actor=actor,
                             windows=[ServiceWindow(weekday=d, opens="09:00", closes="17:00") for d in range(7)])  # fmt: skip
    after = assess_store(session, store=store, actor=actor, start=dt.date(2026, 4, 1),
                         end=dt.date(2026, 4, 30))  # fmt: skip
    diff = compare(before, after)
    assert diff["improved"] == ["7.3.2"]
    assert diff["worsened"] == []
    assert diff["changes"] == [{"code": "7.3.2", "before": "missing", "after": "evidenced",
                                "direction": "improved"}]  # fmt: skip
    assert diff["overall_change"] == "1.1"  # 1 of 89 applicable tasks: 1.1 points


def test_bad_periods_and_roles_are_refused(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    with pytest.raises(InvalidInput, match="ends"):
        assess_store(
            session, store=store, actor=owner_actor(session, company), start=END, end=START
        )
    _, operator = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    with pytest.raises(PermissionDenied):
        assess_store(session, store=store, actor=operator, start=START, end=END)


def test_html_and_pdf_reports_carry_the_findings(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, name="Amazon US 旗舰店", timezone="UTC")
    a = assess_store(
        session, store=store, actor=owner_actor(session, company), start=START, end=END
    )
    html = report_html(a)
    assert "Amazon US 旗舰店" in html and "no seller-centre account is recorded" in html
    # every finding, the 11 checks of a B2C store and the 10 top gaps
    assert html.count('<td class="code">') == 127 + 11 + 10
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf(a))).pages)
    assert "Assessment against T/CCPITCSC 111-2022" in text
    assert "Amazon US" in text
    assert "no seller-centre account is recorded for the store" in text
    assert "客服在线时间" in text.replace(
        " ", ""
    )  # the standard's Chinese, rendered with a CJK font


def test_records_evidence_tasks_without_playbook_items(session: Session) -> None:
    from tests.standard.factories import at, make_buyer, make_channel, make_order, make_shipment

    company = make_company(session)
    store = make_store(session, company=company, timezone="UTC")
    buyer = make_buyer(session, store=store)
    order = make_order(session, store=store, buyer=buyer, placed_at=at("2026-03-05"))
    make_shipment(session, store=store, order=order, channel=make_channel(session, store=store),
                  declared=10000)  # fmt: skip
    a = assess_store(
        session, store=store, actor=owner_actor(session, company), start=START, end=END
    )
    shipped = a.finding("9.1.3")
    assert (shipped.status, shipped.basis, shipped.evidence) == (
        "evidenced", "records", ("1 parcels shipped",)
    )  # fmt: skip
    promotions = a.finding("5.1.2")
    assert (promotions.status, promotions.basis) == ("missing", "records")
    assert promotions.action.startswith("Do task 5.1.2 (Set up promotions)")
    april = assess_store(session, store=store, actor=owner_actor(session, company),
                         start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30))  # fmt: skip
    assert april.finding("9.1.3").status == "missing"
