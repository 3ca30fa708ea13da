"""7.3.1 one inbox, 7.3.3 quality review; 7.1.2 RFQ screening; 7.2.1 import with de-duplication,
7.2.2 pipeline, 7.2.3 conversion and acquisition cost per channel."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.crm import pipeline, service_desk
from storeops.crm.enums import LeadStage, RfqStatus
from storeops.crm.models import Prospect, Rfq
from storeops.errors import IllegalTransition, InvalidInput, PermissionDenied
from storeops.types import Money
from tests.crm.factories import make_buyer
from tests.factories import make_company, make_member, make_store, owner_actor

UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_one_inbox_over_channels_and_a_quality_review(session: Session) -> None:
    company = make_company(session)
    a, b = make_store(session, company=company), make_store(session, company=company)
    owner = owner_actor(session, company)
    agent_user, agent = make_member(
        session, company=company, role=Role.CUSTOMER_SERVICE, stores=[a, b]
    )
    chat = service_desk.open_conversation(
        session, buyer_id=make_buyer(session, store=a).id, channel="chat", subject="Where is my parcel?",
        body="Hi, no tracking update for 5 days", actor=agent, now=utc(2026, 11, 20, 9),
    )  # fmt: skip
    call = service_desk.open_conversation(
        session, buyer_id=make_buyer(session, store=b).id, channel="phone", subject="Wrong colour",
        body="(call notes) received blue, ordered red", actor=agent, now=utc(2026, 11, 20, 8),
    )  # fmt: skip
    service_desk.open_conversation(
        session, buyer_id=make_buyer(session, store=b).id, channel="social", subject="Discount?",
        body="Any coupon?", actor=agent, now=utc(2026, 11, 20, 10),
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="unknown channel 'fax'"):
        service_desk.open_conversation(
            session,
            buyer_id=make_buyer(session, store=a).id,
            channel="fax",
            subject="x",
            body="y",
            actor=agent,
        )
    # Waiting longest first, across both stores and three channels.
    assert [(i.id, i.channel) for i in service_desk.inbox(session, actor=agent)][:2] == [
        (call.id, "phone"),
        (chat.id, "chat"),
    ]
    service_desk.add_message(
        session,
        conversation=call,
        body="Replacement sent",
        inbound=False,
        actor=agent,
        now=utc(2026, 11, 20, 8, 45),
    )
    inbox = {i.id: i for i in service_desk.inbox(session, actor=agent)}
    assert inbox[call.id].waiting_since is None and inbox[chat.id].waiting_since == utc(
        2026, 11, 20, 9
    )
    service_desk.add_message(
        session,
        conversation=chat,
        body="Checking with the carrier",
        inbound=False,
        actor=agent,
        now=utc(2026, 11, 20, 14),
    )
    # 7.3.3 timeliness suggested from the first response: 45 min → 5; 5 h → 3
    assert service_desk.first_response_minutes(session, conversation=call) == 45
    with pytest.raises(PermissionDenied):
        service_desk.review_conversation(
            session, conversation=call, actor=agent, politeness=5, accuracy=5
        )
    r1 = service_desk.review_conversation(
        session, conversation=call, actor=owner, politeness=5, accuracy=4, now=utc(2026, 11, 21)
    )
    r2 = service_desk.review_conversation(
        session, conversation=chat, actor=owner, politeness=3, accuracy=5, now=utc(2026, 11, 21)
    )
    # score = (30×(p−1) + 40×(a−1) + 30×(t−1)) / 400 × 100
    # r1: p5 a4 t5 → (120 + 120 + 120) / 4 = 90; r2: p3 a5 t3 (300 min) → (60 + 160 + 60) / 4 = 70
    assert (r1.timeliness, r1.score, r2.timeliness, r2.score) == (5, 90, 3, 70)
    with pytest.raises(InvalidInput, match="politeness is scored from 1 to 5"):
        service_desk.review_conversation(
            session, conversation=chat, actor=owner, politeness=6, accuracy=5
        )
    [row] = service_desk.quality_report(
        session, actor=owner, since=utc(2026, 11, 1), until=utc(2026, 12, 1)
    )
    assert (row.agent_user_id, row.reviews, row.politeness, row.accuracy, row.timeliness, row.score) == (
        agent_user.id, 2, 4.0, 4.5, 4.0, 80.0,
    )  # fmt: skip
    service_desk.close_conversation(session, conversation=call, actor=agent)
    with pytest.raises(IllegalTransition):
        service_desk.add_message(session, conversation=call, body="more", inbound=True, actor=agent)


def test_rfq_screening(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    now = utc(2026, 11, 25)
    rows = [
        ("stainless steel water bottle", 2000, "DE", now - dt.timedelta(days=1)),  # 40+30+20+10
        ("water bottle with logo", 200, "US", now - dt.timedelta(days=2)),  # 40+0+20+10 = 70
        ("bamboo toothbrush", 5000, "DE", now - dt.timedelta(days=3)),  # 0+30+20+10 = 60
        ("steel bottle", 3000, "BR", now - dt.timedelta(days=30)),  # 40+30+0+0 = 70
    ]
    ids = []
    for keyword, qty, country, posted in rows:
        rfq = Rfq(store_id=store.id, product_keyword=keyword, quantity=qty, currency="USD",
                  country=country, posted_at=posted, status=RfqStatus.OPEN)  # fmt: skip
        session.add(rfq)
        session.flush()
        ids.append(rfq.id)
    screened = pipeline.screen_rfqs(
        session, store=store, actor=actor, keywords=["bottle"], min_quantity=500,
        markets=["DE", "US", "FR"], now=now,
    )  # fmt: skip
    assert [(s.rfq_id, s.score) for s in screened] == [
        (ids[0], 100),
        (ids[1], 70),
        (ids[3], 70),
        (ids[2], 60),
    ]
    first = session.get(Rfq, ids[0])
    assert first is not None
    pipeline.mark_rfq(session, rfq=first, status="quoted", actor=actor, now=now)
    assert first.quoted_at == now
    with pytest.raises(IllegalTransition, match="a quoted RFQ cannot become skipped"):
        pipeline.mark_rfq(session, rfq=first, status="skipped", actor=actor)


CSV = """company_name,country,source,website
"Acme Trading Co., Ltd.",DE,customs,www.acme.de
ACME,de,platform,
Acme GmbH,AT,search,
Blue Ocean Import LLC,US,social,https://blueocean.example/contact
Blue Ocean Imports,US,search,blueocean.example
Casa Verde SL,ES,platform,
"""


def test_prospects_import_dedupe_pipeline_and_conversion(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    now = utc(2026, 11, 2)
    result = pipeline.import_prospects(session, store=store, actor=actor, csv_text=CSV, now=now)
    # Acme (DE) twice by name → 1; Acme AT is another country → new; Blue Ocean by domain → 1
    assert (result.created, result.duplicates, result.errors) == (4, 2, [])
    again = pipeline.import_prospects(session, store=store, actor=actor, csv_text=CSV, now=now)
    assert (again.created, again.duplicates) == (0, 6)
    bad = pipeline.import_prospects(
        session, store=store, actor=actor,
        csv_text="company_name,country,source\nX,ZZ,customs\n,DE,search\nY,DE,fax\n",
    )  # fmt: skip
    assert [(r, c) for r, c, _ in bad.errors] == [
        (2, "country"),
        (3, "company_name"),
        (4, "source"),
    ]
    assert bad.created == 0
    by_name = {
        p.company_name: p for p in session.query(Prospect).filter(Prospect.store_id == store.id)
    }
    acme, blue = by_name["Acme Trading Co., Ltd."], by_name["Blue Ocean Import LLC"]
    for stage in ("contacted", "qualified", "negotiating", "won"):
        pipeline.move_lead(session, prospect=acme, stage=stage, actor=actor)
    pipeline.move_lead(session, prospect=blue, stage="contacted", next_action="send catalogue",
                       next_action_on=dt.date(2026, 11, 20), group="distributors", actor=actor)  # fmt: skip
    with pytest.raises(IllegalTransition, match="a contacted lead cannot become won"):
        pipeline.move_lead(session, prospect=blue, stage=LeadStage.WON, actor=actor)
    summary = pipeline.pipeline(session, store=store, actor=actor, today=dt.date(2026, 11, 25))
    assert summary["by_stage"] == {"new": 2, "contacted": 1, "qualified": 0, "sample": 0,
                                   "negotiating": 0, "won": 1, "lost": 0}  # fmt: skip
    assert summary["actions_due"] == [
        (blue.id, "Blue Ocean Import LLC", "send catalogue", "2026-11-20")
    ]
    pipeline.record_acquisition_cost(session, store=store, actor=actor, source="customs",
                                     start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30),
                                     cost=Money(300_00, "USD"))  # fmt: skip
    rows = {c.source: c for c in pipeline.conversion_by_channel(
        session, store=store, actor=actor, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))}  # fmt: skip
    # customs: 1 prospect (Acme DE), won → 100 %, 300.00 per prospect and per customer
    assert (rows["customs"].prospects, rows["customs"].won, rows["customs"].conversion_rate) == (
        1,
        1,
        1.0,
    )
    assert rows["customs"].cost_per_customer == Money(300_00, "USD")
    # search: Acme AT; platform: Casa Verde; social: Blue Ocean — none won, no cost recorded
    assert [(rows[s].prospects, rows[s].won, rows[s].conversion_rate, rows[s].cost) for s in ("platform", "search", "social")] == [
        (1, 0, 0.0, None), (1, 0, 0.0, None), (1, 0, 0.0, None),
    ]  # fmt: skip
