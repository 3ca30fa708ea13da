"""Money (stage 9.3): balances, FX settlement and gain/loss, profit, payout reconciliation."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.finance import fx, profit, rates, rebates, reports
from storeops.finance.enums import RebateStatus
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


# --- 9.3.1 / 9.3.2 / 9.3.4 / 9.3.5 / 9.3.6 -------------------------------------------------------


@router.get("/finance/payments-by-method")
def payments_by_method(session: DbSession, actor: Reader) -> list[dict[str, Any]]:
    """9.3.1 Payments received per store, method and currency (minor units)."""
    return [asdict(t) for t in reports.payments_by_method(session, actor=actor)]


@router.get("/finance/fees-by-type")
def fees_by_type(session: DbSession, actor: Reader) -> list[dict[str, Any]]:
    """9.3.2 Platform and payment-provider fees per store, kind and currency (minor units)."""
    return [asdict(t) for t in reports.fees_by_type(session, actor=actor)]


@router.get("/finance/receivables")
def receivables(session: DbSession, actor: Reader) -> list[dict[str, Any]]:
    """9.3.2 Receivables aged in days (buyers' unpaid balances, payments not yet paid out)."""
    return [asdict(r) for r in reports.receivables(session, actor=actor)]


@router.get("/finance/payment-declaration", response_class=Response)
def payment_declaration(
    session: DbSession,
    actor: Reader,
    start: dt.date,
    end: dt.date,
    format: Annotated[Literal["csv", "xml"], Query()] = "csv",
    store_id: int | None = None,
) -> Response:
    """9.3.6 The payment records of a period for the payment information declaration."""
    rows = reports.payment_declaration_rows(
        session, actor=actor, start=start, end=end, store_id=store_id
    )
    if format == "xml":
        body = reports.payment_declaration_xml(rows, start=start, end=end)
        return Response(body, media_type="application/xml")
    return Response(reports.payment_declaration_csv(rows), media_type="text/csv; charset=utf-8")


class RefundPayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: Literal["balance", "deposit"]
    amount: str | None = None


@router.post("/finance/refund-requests/{request_id}/payment", status_code=status.HTTP_201_CREATED)
def pay_refund(
    request_id: int, body: RefundPayIn, session: DbSession, actor: Manager
) -> dict[str, Any]:
    """9.3.4 Pay an approved refund from the store balance or its deposit."""
    from storeops.orders.models import RefundRequest

    request = get_scoped(session, RefundRequest, request_id, actor, what="refund request")
    amount = Money.parse(body.amount, request.currency) if body.amount else None
    paid = reports.pay_refund(
        session, refund_request_id=request.id, source=body.source, amount=amount, actor=actor
    )
    return {"id": paid.id, "amount": str(Money(paid.amount, paid.currency)), "source": paid.source}


class RebateRead(BaseModel):
    id: int
    store_id: int
    declaration_no: str
    exported_on: dt.date
    hs_code: str
    fob_cny: str
    invoice_net_cny: str
    rebate_rate: str
    rebate_cny: str
    deadline: dt.date
    status: RebateStatus
    warnings: list[str] = []


def _rebate(case: Any, warnings: list[str] | None = None) -> RebateRead:
    return RebateRead(
        id=case.id, store_id=case.store_id, declaration_no=case.declaration_no,
        exported_on=case.exported_on, hs_code=case.hs_code, fob_cny=_m(case.fob_cny, "CNY"),
        invoice_net_cny=_m(case.invoice_net_cny, "CNY"), rebate_rate=case.rebate_rate,
        rebate_cny=_m(case.rebate_cny, "CNY"), deadline=case.deadline, status=case.status,
        warnings=warnings or [],
    )  # fmt: skip


@router.get("/finance/rebate-cases", response_model=list[RebateRead])
def rebate_cases(session: DbSession, actor: Reader) -> list[RebateRead]:
    """9.3.5 Export tax rebate cases, nearest deadline first."""
    return [_rebate(c) for c in rebates.list_rebate_cases(session, actor=actor)]


@router.post(
    "/finance/rebate-cases", response_model=RebateRead, status_code=status.HTTP_201_CREATED
)
def open_rebate_case(body: rebates.RebateCaseIn, session: DbSession, actor: Manager) -> RebateRead:
    """9.3.5 Open a rebate case; the rebate is computed from the VAT invoices and the HS rate."""
    case, warnings = rebates.open_rebate_case(session, data=body, actor=actor)
    return _rebate(case, warnings)


class RebateMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: RebateStatus
    on: dt.date | None = None


@router.post("/finance/rebate-cases/{case_id}/status", response_model=RebateRead)
def move_rebate_case(
    case_id: int, body: RebateMove, session: DbSession, actor: Manager
) -> RebateRead:
    """9.3.5 File, approve, reject or mark a rebate case paid."""
    return _rebate(
        rebates.move_rebate_case(
            session, case_id=case_id, status=body.status, actor=actor, on=body.on
        )
    )


class RebateRateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hs_prefix: str
    rate: str


@router.put("/finance/rebate-rates", status_code=status.HTTP_204_NO_CONTENT)
def set_rebate_rate(body: RebateRateIn, session: DbSession, actor: Manager) -> None:
    """9.3.5 Keep the rebate rate of an HS code prefix."""
    rebates.set_rebate_rate(session, hs_prefix=body.hs_prefix, rate=body.rate, actor=actor)
