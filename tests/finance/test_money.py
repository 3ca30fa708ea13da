"""9.3.3 FX settlement and gain/loss, profit per order/SKU/store, immutability, permissions —
on a small hand-built company whose figures are worked out by hand below."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.errors import Conflict, NotFound, PermissionDenied
from storeops.finance import fx, profit, rates
from storeops.finance.errors import InsufficientBalance, PostedRecordImmutable, QuotaExceeded
from storeops.finance.models import FxSettlement, Payment, Payout, PlatformFee
from storeops.logistics.enums import ShipmentStatus
from storeops.logistics.models import LogisticsChannel, Shipment
from storeops.orders.enums import RefundStatus
from storeops.orders.models import RefundRequest
from storeops.types import Money
from tests.factories import make_company, make_member, make_store, owner_actor
from tests.logistics.factories import T0, make_order, make_sku

D1 = T0.date()  # 2025-03-03, both orders paid
AD_DAY = dt.datetime(2025, 3, 10, 23, 0, tzinfo=dt.UTC)
REFUND_AT = dt.datetime(2025, 3, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def books(session: Session):
    return build_books(session)


def build_books(session: Session):
    """Two USD orders, a fee, an ad charge, a refund, a shipment, one payout settled at 7.20.

    Rates: the bank's manual USD→CNY 7.00 on 2025-03-03 and 2025-03-10 (overriding the ECB).
    Payout 2025-03-01..14: gross 150.00, fees 15.00 + ad 10.00 = 25.00, refunds 20.00 → 105.00.
    """
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    for day in (D1, AD_DAY.date()):
        rates.set_manual_rate(session, day=day, base="USD", quote="CNY", rate="7.00",
                              note="BOC", actor=actor)  # fmt: skip
    sku_a, listing_a = make_sku(session, store=store, cost=30000)  # 300.00 CNY
    sku_b, listing_b = make_sku(session, store=store, cost=10000)  # 100.00 CNY
    a = make_order(session, store=store, lines=[(sku_a, listing_a, 1, 10000)])
    b = make_order(session, store=store, lines=[(sku_b, listing_b, 1, 5000)])
    b.refunded_at = REFUND_AT
    session.add_all([
        Payment(store_id=store.id, order_id=a.id, method="card", amount=10000, currency="USD",
                received_at=a.paid_at),
        Payment(store_id=store.id, order_id=b.id, method="paypal", amount=5000, currency="USD",
                received_at=b.paid_at),
        PlatformFee(store_id=store.id, order_id=a.id, kind="commission", amount=1500,
                    currency="USD", charged_at=T0 + dt.timedelta(days=1)),
        PlatformFee(store_id=store.id, order_id=None, kind="advertising", amount=1000,
                    currency="USD", charged_at=AD_DAY),
        RefundRequest(store_id=store.id, order_id=b.id, reason="damaged", amount=2000,
                      currency="USD", requested_at=T0 + dt.timedelta(days=1),
                      resolved_at=REFUND_AT, status=RefundStatus.APPROVED),
    ])  # fmt: skip
    channel = LogisticsChannel(company_id=company.id, carrier="Yanwen", service_name="Line",
                               kind="line", transit_min_days=8, transit_max_days=18,
                               tracking_prefix="UC")  # fmt: skip
    session.add(channel)
    session.flush()
    session.add(Shipment(
        store_id=store.id, order_id=a.id, channel_id=channel.id, tracking_number="UC1CN",
        destination_country="US", weight_g=300, declared_value_amount=10000,
        declared_currency="USD", hs_code="851822", fee_amount=4000, fee_currency="CNY",
        shipped_at=T0 + dt.timedelta(days=1), promised_by=T0 + dt.timedelta(days=20),
        status=ShipmentStatus.IN_TRANSIT))  # fmt: skip
    payout = Payout(store_id=store.id, period_start=dt.date(2025, 3, 1),
                    period_end=dt.date(2025, 3, 14), gross_amount=15000, fees_amount=2500,
                    refunds_amount=2000, net_amount=10500, currency="USD",
                    paid_at=dt.datetime(2025, 3, 16, 10, 0, tzinfo=dt.UTC))  # fmt: skip
    session.add(payout)
    session.flush()
    session.add(FxSettlement(
        company_id=company.id, store_id=store.id, payout_id=payout.id,
        settled_at=dt.datetime(2025, 3, 18, 10, 0, tzinfo=dt.UTC), sold_amount=10500,
        sold_currency="USD", bought_amount=75600, bought_currency="CNY", rate="7.20",
        channel="Bank of China"))  # fmt: skip
    session.flush()
    return company, store, actor, a, b, sku_a, payout


def test_profit_per_order_sku_and_store_worked_by_hand(session: Session, books) -> None:
    _c, store, actor, a, b, sku_a, _p = books
    report = profit.profit_report(session, actor=actor)
    rows = {r.order_id: r for r in report.orders}
    ra, rb = rows[a.id], rows[b.id]
    # A: sale 100.00 x 7 = 700.00; commission 15.00 x 7 = 105.00; shipping 40.00; cost 300.00
    assert (ra.sale, ra.platform_fees, ra.shipping, ra.landed_cost, ra.refunds) == (
        70000, 10500, 4000, 30000, 0)  # fmt: skip
    # ad 10.00 x 7 = 70.00 shared 700 : 350 → 46.666.. / 23.333.. → 46.67 / 23.33
    assert (ra.advertising, rb.advertising) == (4667, 2333)
    # FX at 7.20 vs 7.00: payment A +20.00, fee A -3.00, payment B +10.00, refund B -4.00;
    # the ad's -2.00 has no order and rides on the largest record (payment A): A 15.00, B 6.00
    assert (ra.fx, rb.fx) == (1500, 600)
    # B: sale 350.00, refund 20.00 x 7 = 140.00, cost 100.00
    assert (rb.sale, rb.refunds, rb.landed_cost) == (35000, 14000, 10000)
    assert ra.profit == 70000 - 10500 - 4667 - 4000 - 30000 + 1500 == 22333
    assert rb.profit == 35000 - 2333 - 10000 - 14000 + 600 == 9267
    # the store's profit is the cash: 756.00 CNY bought − 40.00 shipping − 400.00 goods
    assert report.by_store()[store.id]["profit"] == 75600 - 4000 - 40000 == 31600
    assert report.by_sku()[sku_a.id]["profit"] == 22333
    gains = fx.fx_results(session, actor=actor)
    assert [(g.booked.amount, g.gain.amount, g.basis) for g in gains] == [
        (73500, 2100, "order_time")
    ]
    assert sum(r.fx for r in report.orders) == 2100


def test_payout_reconciles_with_its_records(session: Session, books) -> None:
    _c, _store, actor, *_x = books
    [check] = profit.reconcile_payouts(session, actor=actor)
    assert (check.gross_records, check.fees_records, check.refunds_records) == (15000, 2500, 2000)
    assert check.difference == 0
    [whole] = profit.reconcile_profit(session, actor=actor)
    assert (whole.records_net, whole.paid_out, whole.pending, whole.difference) == (
        10500,
        10500,
        0,
        0,
    )


def test_manual_rate_overrides_the_ecb_rate(session: Session, books) -> None:
    _c, _s, actor, *_x = books
    book = rates.RateBook(session, actor.company_id)
    assert book.rate("USD", "CNY", D1) == (rates.Decimal("7.00"), "manual")
    assert book.rate("CNY", "USD", D1)[1] == "manual"
    # ECB 2025-03-04 (no manual rate): EUR/CNY 7.6614 / EUR/USD 1.0557 = 7.2571753...
    assert book.rate("USD", "CNY", dt.date(2025, 3, 4)) == (rates.Decimal("7.257175"), "ecb")


def test_settlement_balance_quota_and_reversal(session: Session, books) -> None:
    _c, store, actor, *_x = books
    [usd] = [b for b in fx.balances(session, actor=actor) if b.currency == "USD"]
    assert (usd.paid_out, usd.sold, usd.balance) == (10500, 10500, 0)
    with pytest.raises(InsufficientBalance):
        fx.settle_fx(session, sold=Money(100, "USD"), rate="7.1", channel="BOC",
                     account="corporate", holder="Co", actor=actor)  # fmt: skip
    big = Payout(store_id=store.id, period_start=dt.date(2025, 4, 1), period_end=dt.date(2025, 4, 14),
                 gross_amount=6_000_000, fees_amount=0, refunds_amount=0, net_amount=6_000_000,
                 currency="USD", paid_at=dt.datetime(2025, 4, 16, tzinfo=dt.UTC))  # fmt: skip
    session.add(big)
    session.flush()
    when = dt.datetime(2025, 5, 6, 8, 0, tzinfo=dt.UTC)
    first = fx.settle_fx(session, sold=Money(4_500_000, "USD"), rate="7.1500", channel="ICBC",
                         account="individual", holder="Wang Li", actor=actor, settled_at=when)  # fmt: skip
    # 45,000 of the USD 50,000 quota: 90 % → a warning; 45,000 x 7.15 = 321,750.00 CNY
    assert first.settlement.bought_amount == 32_175_000
    assert first.warnings == (
        "Wang Li has used 45000.00 USD of the 50000.00 USD individual quota for 2025",
    )
    count = session.scalar(select(func.count()).select_from(FxSettlement))
    with pytest.raises(QuotaExceeded, match="over the individual quota"):
        fx.settle_fx(session, sold=Money(600_000, "USD"), rate="7.15", channel="ICBC",
                     account="individual", holder="Wang Li", actor=actor, settled_at=when)  # fmt: skip
    assert session.scalar(select(func.count()).select_from(FxSettlement)) == count
    # the company's own account has no quota
    fx.settle_fx(session, sold=Money(600_000, "USD"), rate="7.15", channel="ICBC",
                 account="corporate", holder="Co", actor=actor, settled_at=when)  # fmt: skip
    # a posted settlement cannot be edited or deleted ...
    savepoint = session.begin_nested()
    first.settlement.rate = "7.2"
    with pytest.raises(PostedRecordImmutable, match="rate"):
        session.flush()
    savepoint.rollback()
    savepoint = session.begin_nested()
    session.delete(first.settlement)
    with pytest.raises(PostedRecordImmutable):
        session.flush()
    savepoint.rollback()
    settlement = session.scalars(
        select(FxSettlement).where(FxSettlement.sold_amount == 4_500_000)
    ).one()
    assert settlement.rate == "7.1500"
    # ... it is reversed, and the quota it used is given back
    reversal = fx.reverse_fx_settlement(session, settlement_id=settlement.id, reason="wrong rate",
                                        actor=actor)  # fmt: skip
    assert (reversal.sold_amount, reversal.bought_amount) == (-4_500_000, -32_175_000)
    # the reversal gives the quota back in the year of the settlement it cancels
    assert fx.individual_quota(session, holder="Wang Li", year=2025, actor=actor).used.amount == 0
    with pytest.raises(Conflict, match="already reversed"):
        fx.reverse_fx_settlement(session, settlement_id=settlement.id, reason="again", actor=actor)


def test_finance_is_hidden_from_roles_without_finance_read(session: Session, books) -> None:
    company, store, _a, *_x = books
    for role in (Role.OPERATOR, Role.VIEWER, Role.CUSTOMER_SERVICE, Role.MARKETING):
        _u, actor = make_member(session, company=company, role=role, stores=[store])
        with pytest.raises(PermissionDenied):
            profit.profit_report(session, actor=actor)
        with pytest.raises(PermissionDenied):
            fx.balances(session, actor=actor)
    _u, finance = make_member(session, company=company, role=Role.FINANCE, stores=[store])
    assert profit.profit_report(session, actor=finance).by_store()[store.id]["profit"] == 31600
    with pytest.raises(NotFound):
        fx.reverse_fx_settlement(session, settlement_id=10**9, reason="x", actor=finance)
    other = owner_actor(session, make_company(session))
    assert profit.profit_report(session, actor=other).orders == []
