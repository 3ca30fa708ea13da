"""Money on the simulator's tiny company: payouts reconcile, the profit table's FX equals the
settlements' gain/loss, an FX settlement with gain/loss is posted."""

from __future__ import annotations

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
