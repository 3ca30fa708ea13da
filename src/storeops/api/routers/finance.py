"""Money (stage 9.3): balances, FX settlement and gain/loss, profit, payout reconciliation."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict, Field

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.finance import fx, profit, rates
from storeops.stores.models import Store
from storeops.types import Money

router = APIRouter(tags=["finance"])

Reader = Annotated[Actor, Depends(require(Permission.FINANCE_READ))]
Manager = Annotated[Actor, Depends(require(Permission.FINANCE_MANAGE))]


class BalanceRead(BaseModel):
    currency: str
    paid_out: str
    sold: str
    bought: str
    refunds_paid: str
    balance: str


def _m(amount: int, currency: str) -> str:
    return str(Money(amount, currency))


@router.get("/finance/balances", response_model=list[BalanceRead])
def balances(session: DbSession, actor: Reader) -> list[BalanceRead]:
    """9.3.3 Balances per currency: paid out by platforms, sold, bought, refunds paid."""
    return [
        BalanceRead(
            currency=b.currency,
            paid_out=_m(b.paid_out, b.currency),
            sold=_m(b.sold, b.currency),
            bought=_m(b.bought, b.currency),
            refunds_paid=_m(b.refunds_paid, b.currency),
            balance=_m(b.balance, b.currency),
        )
        for b in fx.balances(session, actor=actor)
    ]


class RateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: dt.date
    base: str
    quote: str
    rate: str
    note: str = ""


@router.put("/finance/rates", status_code=status.HTTP_204_NO_CONTENT)
def set_rate(body: RateIn, session: DbSession, actor: Manager) -> None:
    """9.3.3 Record a bank's rate for a day; it overrides the ECB reference rate."""
    rates.set_manual_rate(session, actor=actor, **body.model_dump())


class SettleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: str = Field(description="foreign currency sold, decimal text")
    currency: str
    rate: str = Field(description="the bank's rate: base currency per 1 unit sold")
    channel: str = Field(min_length=1, max_length=40)
    account: Literal["corporate", "individual"]
    holder: str = Field(min_length=1, max_length=120)
    store_id: int | None = None


class SettlementRead(BaseModel):
    id: int
    settled_at: dt.datetime
    sold: str
    bought: str
    rate: str
    channel: str
    warnings: list[str] = []


@router.post(
    "/finance/fx-settlements", response_model=SettlementRead, status_code=status.HTTP_201_CREATED
)
def settle(body: SettleIn, session: DbSession, actor: Manager) -> SettlementRead:
    """9.3.3 Settle foreign currency (结汇) at the recorded rate; quota and balance checked."""
    store = (
        get_scoped(session, Store, body.store_id, actor, what="store") if body.store_id else None
    )
    result = fx.settle_fx(
        session, sold=fx.parse_money(body.amount, body.currency), rate=body.rate,
        channel=body.channel, account=body.account, holder=body.holder, actor=actor, store=store,
    )  # fmt: skip
    s = result.settlement
    return SettlementRead(
        id=s.id, settled_at=s.settled_at, sold=_m(s.sold_amount, s.sold_currency),
        bought=_m(s.bought_amount, s.bought_currency), rate=s.rate, channel=s.channel,
        warnings=list(result.warnings),
    )  # fmt: skip


class ReversalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=200)


@router.post(
    "/finance/fx-settlements/{settlement_id}/reversal",
    response_model=SettlementRead,
    status_code=status.HTTP_201_CREATED,
)
def reverse(
    settlement_id: int, body: ReversalIn, session: DbSession, actor: Manager
) -> SettlementRead:
    """9.3.3 Cancel a posted settlement by a reversal (posted records are never edited)."""
    s = fx.reverse_fx_settlement(
        session, settlement_id=settlement_id, reason=body.reason, actor=actor
    )
    return SettlementRead(
        id=s.id, settled_at=s.settled_at, sold=_m(s.sold_amount, s.sold_currency),
        bought=_m(s.bought_amount, s.bought_currency), rate=s.rate, channel=s.channel,
    )  # fmt: skip


class FxResultRead(BaseModel):
    settlement_id: int
    store_id: int | None
    payout_id: int | None
    settled_at: dt.datetime
    sold: str
    bought: str
    rate: str
    booked: str
    gain: str
    basis: str


@router.get("/finance/fx-results", response_model=list[FxResultRead])
def fx_results(session: DbSession, actor: Reader) -> list[FxResultRead]:
    """9.3.3 FX gain or loss of each settlement against the rates at order time."""
    return [
        FxResultRead(
            settlement_id=r.settlement_id,
            store_id=r.store_id,
            payout_id=r.payout_id,
            settled_at=r.settled_at,
            sold=str(r.sold),
            bought=str(r.bought),
            rate=str(r.rate),
            booked=str(r.booked),
            gain=str(r.gain),
            basis=r.basis,
        )
        for r in fx.fx_results(session, actor=actor)
    ]


class QuotaRead(BaseModel):
    holder: str
    year: int
    used: str
    quota: str
    warnings: list[str]


@router.get("/finance/fx-quota", response_model=QuotaRead)
def quota(session: DbSession, actor: Reader, holder: str, year: int) -> QuotaRead:
    """9.3.3 An individual's use of the USD 50,000 annual settlement quota."""
    use = fx.individual_quota(session, holder=holder, year=year, actor=actor)
    return QuotaRead(holder=use.holder, year=use.year, used=str(use.used), quota=str(use.quota),
                     warnings=list(use.warnings))  # fmt: skip


@router.get("/finance/profit")
def profit_table(
    session: DbSession,
    actor: Reader,
    by: Annotated[Literal["order", "sku", "store"], Query()] = "store",
) -> dict[str, Any]:
    """Profit per order, SKU or store in the base currency (minor units): sale − platform fees −
    advertising − shipping − landed cost − refunds ± FX."""
    report = profit.profit_report(session, actor=actor)
    if by == "order":
        rows: list[dict[str, Any]] = [
            {**{k: v for k, v in asdict(o).items() if k != "sku_shares"}, "profit": o.profit}
            for o in report.orders
        ]
    elif by == "sku":
        rows = [{"sku_id": k, **v} for k, v in sorted(report.by_sku().items())]
    else:
        rows = [{"store_id": k, **v} for k, v in sorted(report.by_store().items())]
    return {"base_currency": report.base_currency, "by": by, "rows": rows}


@router.get("/finance/payout-reconciliation")
def payout_reconciliation(session: DbSession, actor: Reader) -> dict[str, Any]:
    """9.3.2 Each payout against the records of its period, and the stores' totals."""
    return {
        "payouts": [
            {**asdict(c), "difference": c.difference}
            for c in profit.reconcile_payouts(session, actor=actor)
        ],
        "stores": [
            {**asdict(r), "difference": r.difference}
            for r in profit.reconcile_profit(session, actor=actor)
        ],
    }
