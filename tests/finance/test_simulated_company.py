"""Money on the simulator's tiny company: payouts reconcile, the profit table's FX equals the
settlements' gain/loss, an FX settlement with gain/loss is posted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storeops.auth.scoping import system_actor
from storeops.db import make_engine
from storeops.finance import fx, profit
from storeops.finance.models import FxSettlement
from storeops.migrations import upgrade
from storeops.simulate.generate import SimulationResult, simulate
from storeops.simulate.scales import parse_scale
from storeops.types import Money
from tests.conftest import new_database_url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def tiny(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, SimulationResult]]:
    url = new_database_url(request.param, Path(tmp_path_factory.mktemp("sim8f")))
    upgrade(url)
    engine = make_engine(url)
    yield engine, simulate(engine, seed=11, scale=parse_scale("tiny"), company_name="Tiny Co")
    engine.dispose()


def test_profit_table_reconciles_to_the_payouts(tiny) -> None:
    engine, result = tiny
    with Session(engine) as session:
        actor = system_actor(session, result.company_id)
        checks = profit.reconcile_payouts(session, actor=actor)
        assert len(checks) == result.rows["payouts"]
        assert [c.payout_id for c in checks if c.difference or c.gross != c.gross_records] == []
        stores = profit.reconcile_profit(session, actor=actor)
        assert stores and all(s.difference == 0 for s in stores)
        report = profit.profit_report(session, actor=actor)
        gains = fx.fx_results(session, actor=actor)
        assert len(gains) == result.rows["fx_settlements"]
        # every settlement's gain/loss is spread over the orders of its payout, to the fen
        assert sum(o.fx for o in report.orders) == sum(g.gain.amount for g in gains) != 0
        # settled payouts: booked value + FX = what the bank paid
        for g in gains:
            assert g.booked.amount + g.gain.amount == g.bought.amount
        by_store = report.by_store()
        assert sum(v["profit"] for v in by_store.values()) == sum(
            o.profit for o in report.orders
        ) - sum(report.unallocated_advertising.values())
        assert all(v["sale"] > 0 for v in by_store.values())


def test_a_simulated_settlement_is_corrected_by_reversal_and_reposted(tiny) -> None:
    engine, result = tiny
    with Session(engine) as session:
        actor = system_actor(session, result.company_id)
        usd = next(b for b in fx.balances(session, actor=actor) if b.currency == "USD")
        assert usd.balance == 0  # the simulator settles every USD payout
        wrong = session.scalars(
            select(FxSettlement)
            .where(FxSettlement.sold_currency == "USD")
            .order_by(FxSettlement.id)
        ).first()
        assert wrong is not None
        fx.reverse_fx_settlement(session, settlement_id=wrong.id, reason="wrong rate", actor=actor)
        freed = next(b for b in fx.balances(session, actor=actor) if b.currency == "USD")
        assert freed.balance == wrong.sold_amount
        posted = fx.settle_fx(session, sold=Money(wrong.sold_amount, "USD"), rate="7.1000",
                              channel="BOC", account="corporate", holder="Tiny Co", actor=actor)  # fmt: skip
        # x 7.1, half-even to the fen
        assert posted.settlement.bought_amount == round(wrong.sold_amount * 71 / 10)
        mine = next(g for g in fx.fx_results(session, actor=actor)
                    if g.settlement_id == posted.settlement.id)  # fmt: skip
        # no payout link: compared with the reference rate of its own day
        assert mine.basis == "settlement_day"
        assert mine.gain.amount == posted.settlement.bought_amount - mine.booked.amount
        assert (
            next(b for b in fx.balances(session, actor=actor) if b.currency == "USD").balance == 0
        )
        session.rollback()


def test_a_rebate_case_is_computed_for_a_simulated_b2b_order(tiny) -> None:
    from decimal import ROUND_HALF_EVEN, Decimal

    from storeops.catalog.models import Product, Sku
    from storeops.finance import rebates, reports
    from storeops.orders.models import Order, OrderLine
    from storeops.stores.models import Store

    engine, result = tiny
    with Session(engine) as session:
        actor = system_actor(session, result.company_id)
        store = session.scalars(select(Store).where(
            Store.company_id == result.company_id, Store.platform == "alibaba_com")).one()  # fmt: skip
        order = session.scalars(
            select(Order).where(Order.store_id == store.id, Order.shipped_at.is_not(None))
            .order_by(Order.id)
        ).first()  # fmt: skip
        assert order is not None and order.shipped_at is not None
        lines = session.execute(
            select(OrderLine.quantity, Sku.cost_amount, Product.hs_code)
            .join(Sku, Sku.id == OrderLine.sku_id).join(Product, Product.id == Sku.product_id)
            .where(OrderLine.order_id == order.id)
        ).all()  # fmt: skip
        hs = lines[0].hs_code
        rebates.set_rebate_rate(session, hs_prefix=hs[:4], rate="0.13", actor=actor)
        # the SKU cost is the purchase price with 13 % VAT: net = cost / 1.13 (to the fen)
        invoices = []
        for i, (qty, cost, _hs) in enumerate(lines):
            gross = qty * cost
            net = int(
                (Decimal(gross) / Decimal("1.13")).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
            )
            invoices.append({"number": f"0440{i:06d}", "net": str(Decimal(net).scaleb(-2)),
                             "vat": str(Decimal(gross - net).scaleb(-2))})  # fmt: skip
        case, _warnings = rebates.open_rebate_case(session, actor=actor, data=rebates.RebateCaseIn(
            store_id=store.id, order_id=order.id, declaration_no=f"310120{order.id:012d}",
            exported_on=order.shipped_at.date(), hs_code=hs,
            fob=str(Decimal(order.subtotal_amount).scaleb(-2)), fob_currency=order.currency,
            vat_invoices=[rebates.VatInvoice.model_validate(v) for v in invoices]))  # fmt: skip
        net_total = sum(int(Decimal(v["net"]).scaleb(2)) for v in invoices)
        assert case.invoice_net_cny == net_total
        assert case.rebate_cny == int((Decimal(net_total) * Decimal("0.13")).quantize(
            Decimal(1), rounding=ROUND_HALF_EVEN))  # fmt: skip
        assert case.deadline == dt.date(order.shipped_at.year + 1, 4, 30)
        assert case.fob_cny > 0
        # 9.3.6: the declaration lists every payment of the order's month
        start = order.shipped_at.date().replace(day=1)
        end = start.replace(day=28)
        rows = reports.payment_declaration_rows(session, actor=actor, start=start, end=end)
        assert rows and all(start.isoformat() <= r["paid_at"][:10] <= end.isoformat() for r in rows)
        session.rollback()
