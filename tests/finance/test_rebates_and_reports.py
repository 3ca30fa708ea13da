"""9.3.5 rebate cases, 9.3.1 payments, 9.3.2 ageing and fees, 9.3.6 declaration export, 9.3.4
refunds — on the hand-built books of test_money.py."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy.orm import Session

from storeops.errors import Conflict, IllegalTransition, InvalidInput
from storeops.finance import rebates, reports
from storeops.finance.enums import RebateStatus
from storeops.finance.errors import InsufficientBalance
from storeops.finance.models import Payment
from storeops.orders.enums import OrderStatus
from storeops.orders.models import RefundRequest
from tests.finance.test_money import build_books
from tests.logistics.factories import T0, make_order, make_sku


@pytest.fixture
def books(session: Session):
    return build_books(session)


def _case(store_id: int, **extra) -> rebates.RebateCaseIn:
    data = {
        "store_id": store_id, "declaration_no": "310120250001234567",
        "exported_on": dt.date(2025, 3, 3), "hs_code": "8518.22.00.00", "fob": "200.00",
        "fob_currency": "USD",
        "vat_invoices": [{"number": "04400123", "net": "600.00", "vat": "78.00"},
                         {"number": "04400124", "net": "400.00", "vat": "52.00"}],
    }  # fmt: skip
    return rebates.RebateCaseIn.model_validate({**data, **extra})


def test_rebate_case_computed_and_its_deadline(session: Session, books) -> None:
    _c, store, actor, *_x = books
    with pytest.raises(InvalidInput, match="no rebate rate recorded"):
        rebates.open_rebate_case(session, data=_case(store.id), actor=actor)
    rebates.set_rebate_rate(session, hs_prefix="85", rate="0.09", actor=actor)
    rebates.set_rebate_rate(session, hs_prefix="8518", rate="0.13", actor=actor)
    case, warnings = rebates.open_rebate_case(session, data=_case(store.id), actor=actor)
    # the longest prefix wins: 13 %; purchase 600.00 + 400.00 = 1000.00 → rebate 130.00
    assert (case.rebate_rate, case.invoice_net_cny, case.rebate_cny) == ("0.13", 100000, 13000)
    # FOB 200.00 USD at the bank's 7.00 of the export day = 1400.00 CNY
    assert case.fob_cny == 140000 and warnings == []
    assert case.deadline == dt.date(2026, 4, 30) and case.status == RebateStatus.DRAFT
    with pytest.raises(IllegalTransition):
        rebates.move_rebate_case(session, case_id=case.id, status=RebateStatus.PAID, actor=actor)
    with pytest.raises(Conflict, match="deadline"):
        rebates.move_rebate_case(session, case_id=case.id, status=RebateStatus.FILED, actor=actor,
                                 on=dt.date(2026, 5, 1))  # fmt: skip
    rebates.move_rebate_case(session, case_id=case.id, status=RebateStatus.FILED, actor=actor,
                             on=dt.date(2026, 4, 30))  # fmt: skip
    rebates.move_rebate_case(session, case_id=case.id, status=RebateStatus.APPROVED, actor=actor)
    paid = rebates.move_rebate_case(session, case_id=case.id, status=RebateStatus.PAID,
                                    actor=actor, on=dt.date(2026, 6, 1))  # fmt: skip
    assert (paid.filed_on, paid.paid_on) == (dt.date(2026, 4, 30), dt.date(2026, 6, 1))
    with pytest.raises(Conflict, match="already has a rebate case"):
        rebates.open_rebate_case(session, data=_case(store.id), actor=actor)
    _low, warned = rebates.open_rebate_case(
        session, actor=actor,
        data=_case(store.id, declaration_no="310120250001234568", fob="100.00", rebate_rate="0.13"),
    )  # fmt: skip
    assert warned[0].startswith("FOB 700.00 CNY is below the purchase amount 1000.00 CNY")
    with pytest.raises(InvalidInput, match="18 digits"):
        rebates.open_rebate_case(session, actor=actor, data=_case(store.id, declaration_no="123"))


def test_payments_fees_and_receivables_ageing(session: Session, books) -> None:
    _c, store, actor, _a, _b, *_x = books
    assert [(t.key, t.count, t.amount) for t in reports.payments_by_method(session, actor=actor)] == [
        ("card", 1, 10000), ("paypal", 1, 5000)]  # fmt: skip
    assert [(t.key, t.amount) for t in reports.fees_by_type(session, actor=actor)] == [
        ("advertising", 1000), ("commission", 1500)]  # fmt: skip
    sku, listing = make_sku(session, store=store)
    c = make_order(session, store=store, lines=[(sku, listing, 1, 8000)],
                   status=OrderStatus.SHIPPED)  # fmt: skip
    c.shipped_at = T0 + dt.timedelta(days=1)  # 2025-03-04
    session.add(Payment(store_id=store.id, order_id=c.id, method="card", amount=3000,
                        currency="USD", received_at=dt.datetime(2025, 3, 20, tzinfo=dt.UTC)))  # fmt: skip
    session.flush()
    rows = reports.receivables(session, actor=actor, today=dt.date(2025, 4, 10))
    # buyer owes 80.00 − 30.00 = 50.00 since 2025-03-04 (37 days); the platform holds the
    # 30.00 paid on 2025-03-20 (after the last payout's period, 21 days)
    assert [(r.kind, r.order_id, r.amount, r.age_days, r.bucket) for r in rows] == [
        ("buyer", c.id, 5000, 37, "31-60"), ("platform", c.id, 3000, 21, "0-30")]  # fmt: skip
    summary = reports.ageing_summary(rows)
    assert summary[("buyer", "USD")]["31-60"] == 5000


def test_payment_declaration_csv_and_xml(session: Session, books) -> None:
    _c, _store, actor, a, b, *_x = books
    rows = reports.payment_declaration_rows(session, actor=actor, start=dt.date(2025, 3, 1),
                                            end=dt.date(2025, 3, 31))  # fmt: skip
    assert [(r["order_id"], r["amount"], r["currency"], r["method"]) for r in rows] == [
        (str(a.id), "100.00", "USD", "card"), (str(b.id), "50.00", "USD", "paypal")]  # fmt: skip
    assert rows[0]["paid_at"] == "2025-03-03T08:05:00Z" and rows[0]["platform"] == "amazon"
    text = reports.payment_declaration_csv(rows)
    assert text.splitlines()[0] == ",".join(reports.DECLARATION_COLUMNS)
    assert len(text.splitlines()) == 3
    xml = reports.payment_declaration_xml(rows, start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))
    root = ET.fromstring(xml)  # noqa: S314 - our own output
    assert root.get("count") == "2"
    assert [p.findtext("TransactionId") for p in root] == [r["transaction_id"] for r in rows]
    assert root[0].findtext("Amount") == "100.00"
    assert reports.payment_declaration_rows(session, actor=actor, start=dt.date(2025, 4, 1),
                                            end=dt.date(2025, 4, 30)) == []  # fmt: skip


def test_refund_paid_from_deposit_when_the_balance_is_short(session: Session, books) -> None:
    _c, _s, actor, _a, b, *_x = books
    request = session.query(RefundRequest).filter(RefundRequest.order_id == b.id).one()
    with pytest.raises(InsufficientBalance, match="balance is 0.00"):
        reports.pay_refund(session, refund_request_id=request.id, source="balance", actor=actor)
    paid = reports.pay_refund(session, refund_request_id=request.id, source="deposit", actor=actor)
    assert (paid.amount, paid.currency, paid.source) == (2000, "USD", "deposit")
    with pytest.raises(InvalidInput, match="at most 0.00 USD"):
        reports.pay_refund(session, refund_request_id=request.id, source="deposit", actor=actor)
