"""8.1.1 samples and trial orders, 8.1.2 visits, 8.1.3 factory audits, 8.1.4 negotiation log,
8.2.2 export services, 8.2.3 purchase contracts linked to sales contracts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.catalog.models import Supplier
from storeops.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from storeops.orders import b2b
from storeops.orders.enums import ContractStatus, OrderKind, OrderStatus
from storeops.orders.models import DealContract
from storeops.stores.enums import BusinessModel, Platform
from storeops.types import Money
from tests.crm.factories import make_buyer
from tests.factories import make_company, make_store, owner_actor

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 25, 2, tzinfo=UTC)


def test_b2b_deal_records(session: Session) -> None:
    company = make_company(session)
    store = make_store(
        session,
        company=company,
        platform=Platform.ALIBABA_COM,
        model=BusinessModel.B2B,
        timezone="Asia/Shanghai",
    )
    actor = owner_actor(session, company)
    buyer = make_buyer(session, store=store, country="DE", company_name="Rhein Import GmbH")

    sample = b2b.create_sample_order(
        session,
        buyer_id=buyer.id,
        actor=actor,
        amount=Money(0, "USD"),
        note="free, buyer pays DHL",
        now=NOW,
    )
    trial = b2b.create_sample_order(
        session, buyer_id=buyer.id, actor=actor, amount=Money(120_000, "USD"), trial=True, now=NOW
    )
    assert (sample.kind, sample.status, sample.external_id) == (
        OrderKind.SAMPLE,
        OrderStatus.DRAFT,
        "SMP-20261125-0001",
    )
    assert (trial.kind, trial.total_amount, trial.external_id) == (
        OrderKind.WHOLESALE,
        120_000,
        "TR-20261125-0002",
    )
    with pytest.raises(InvalidInput, match="a trial order is paid"):
        b2b.create_sample_order(
            session, buyer_id=buyer.id, actor=actor, amount=Money(0, "USD"), trial=True
        )

    visit = b2b.plan_visit(session, buyer_id=buyer.id, actor=actor, visit_on=dt.date(2026, 12, 3), visitors=2,
                           agenda="showroom, line B, dinner", checklist=["airport pickup", "samples ready", "interpreter"])  # fmt: skip
    with pytest.raises(InvalidInput, match="preparation not done: interpreter"):
        b2b.complete_visit(session, plan=visit, actor=actor, outcome="ok", done=[0, 1])
    b2b.complete_visit(
        session, plan=visit, actor=actor, outcome="trial order agreed", done=[0, 1, 2]
    )
    assert (visit.status, [i["done"] for i in visit.checklist]) == ("done", [True, True, True])

    audit = b2b.plan_audit(session, buyer_id=buyer.id, actor=actor, audit_on=dt.date(2026, 12, 4), site="Ningbo plant 2",
                           agenda="BSCI pre-audit", checklist=["licences", "fire exits", "payroll records"])  # fmt: skip
    with pytest.raises(InvalidInput, match="critical finding cannot pass"):
        b2b.record_audit_result(session, audit=audit, actor=actor, result="passed",
                                findings=[{"finding": "blocked exit", "severity": "critical"}])  # fmt: skip
    b2b.record_audit_result(session, audit=audit, actor=actor, result="conditional", done=[0, 1, 2],
                            findings=[{"finding": "blocked exit", "severity": "critical", "action": "cleared in 24 h"}])  # fmt: skip
    assert (audit.result, audit.findings[0]["action"]) == ("conditional", "cleared in 24 h")

    b2b.log_negotiation(session, buyer_id=buyer.id, actor=actor, topic="price", our_position="17.00 FOB",
                        their_position="15.50 FOB", outcome="16.50 at 2,000 pcs", next_step="revise contract", now=NOW)  # fmt: skip
    b2b.log_negotiation(session, buyer_id=buyer.id, actor=actor, topic="payment", our_position="30/70 T/T",
                        their_position="LC at sight", now=NOW + dt.timedelta(hours=1))  # fmt: skip
    assert [e.topic for e in b2b.negotiation_log(session, buyer_id=buyer.id, actor=actor)] == [
        "price",
        "payment",
    ]
    with pytest.raises(InvalidInput, match="topic is one of"):
        b2b.log_negotiation(
            session,
            buyer_id=buyer.id,
            actor=actor,
            topic="weather",
            our_position="a",
            their_position="b",
        )

    use = b2b.use_export_service(session, order=trial, actor=actor, service="certificate_of_origin",
                                 provider="Alibaba.com OneTouch", fee=Money(20_000, "CNY"), now=NOW)  # fmt: skip
    with pytest.raises(Conflict):
        b2b.use_export_service(
            session,
            order=trial,
            actor=actor,
            service="certificate_of_origin",
            provider="x",
            fee=Money(0, "CNY"),
        )
    b2b.finish_export_service(session, use=use, actor=actor, reference="CO-2026-112233", now=NOW)
    assert (use.reference, use.done_at) == ("CO-2026-112233", NOW)

    sales = DealContract(store_id=store.id, buyer_id=buyer.id, number="SC-1", status=ContractStatus.DRAFT,
                         current_version=1, created_at=NOW)  # fmt: skip
    session.add(sales)
    supplier = Supplier(company_id=company.id, name="Yiwu Bottle Factory", province="Zhejiang", city="Yiwu",
                        kind="factory", rating=4, lead_time_days=20, moq=500)  # fmt: skip
    session.add(supplier)
    session.flush()
    with pytest.raises(IllegalTransition, match="signed sales contract only"):
        b2b.sign_purchase_contract(session, sales_contract=sales, actor=actor, supplier_id=supplier.id, quantity=2000,
                                   unit_cost=Money(9_500, "CNY"), delivery_by=dt.date(2026, 12, 20), number="PC-1")  # fmt: skip
    sales.status = ContractStatus.SIGNED
    purchase = b2b.sign_purchase_contract(session, sales_contract=sales, actor=actor, supplier_id=supplier.id, quantity=2000,
                                          unit_cost=Money(9_500, "CNY"), delivery_by=dt.date(2026, 12, 20), number="PC-1")  # fmt: skip
    assert (purchase.amount, purchase.currency) == (19_000_000, "CNY")  # 95.00 × 2,000 = 190,000.00
    assert [p.number for p in b2b.linked_contracts(session, sales_contract=sales, actor=actor)] == [
        "PC-1"
    ]
    stranger_supplier = Supplier(company_id=make_company(session).id, name="Other", province="x", city="y",
                                 kind="trader", rating=3, lead_time_days=10, moq=1)  # fmt: skip
    session.add(stranger_supplier)
    session.flush()
    with pytest.raises(NotFound):
        b2b.sign_purchase_contract(session, sales_contract=sales, actor=actor, supplier_id=stranger_supplier.id, quantity=1,
                                   unit_cost=Money(1, "CNY"), delivery_by=dt.date(2026, 12, 20), number="PC-2")  # fmt: skip
