"""``storeops finance``: balances, FX settlement (结汇) and gain/loss, profit, reconciliation."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated

import typer

from storeops.cli.common import (
    FormatOption,
    OutputFormat,
    cli_errors,
    company_actor,
    emit,
    out,
    unit_of_work,
)
from storeops.finance import fx, profit, rates
from storeops.types import Money

app = typer.Typer(
    help="Money (stage 9.3 of the standard): balances per currency, FX settlement with the "
    "individual USD 50,000 annual quota, FX gain/loss against the rate at order time, profit "
    "per order/SKU/store, payout reconciliation.",
    no_args_is_help=True,
)
CompanyOpt = typer.Option("--company", help="Company name (default: the only company).")


@app.command("balances")
@cli_errors
def balances(
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.3.3 Balances per currency."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {"currency": b.currency, "paid_out": str(Money(b.paid_out, b.currency)),
             "sold": str(Money(b.sold, b.currency)), "bought": str(Money(b.bought, b.currency)),
             "refunds_paid": str(Money(b.refunds_paid, b.currency)),
             "balance": str(Money(b.balance, b.currency))}
            for b in fx.balances(session, actor=actor)
        ]  # fmt: skip
    emit(rows, ["currency", "paid_out", "sold", "bought", "refunds_paid", "balance"], fmt,
         title="balances")  # fmt: skip


@app.command("rate")
@cli_errors
def rate(
    day: Annotated[dt.datetime, typer.Argument(formats=["%Y-%m-%d"], help="Day of the rate.")],
    base: Annotated[str, typer.Argument(help="Currency sold, e.g. USD.")],
    quote: Annotated[str, typer.Argument(help="Currency bought, e.g. CNY.")],
    value: Annotated[str, typer.Argument(help="Units of quote per 1 base, e.g. 7.1234.")],
    note: Annotated[str, typer.Option(help="Where the rate comes from.")] = "",
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.3.3 Record a bank's rate (overrides the ECB reference rate of that day)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rates.set_manual_rate(session, day=day.date(), base=base, quote=quote, rate=value,
                              note=note, actor=actor)  # fmt: skip
    out.print(f"{base.upper()}/{quote.upper()} {value} recorded for {day:%Y-%m-%d}")


@app.command("settle")
@cli_errors
def settle(
    amount: Annotated[str, typer.Argument(help="Foreign currency to sell, e.g. 1000.00.")],
    currency: Annotated[str, typer.Argument(help="Its currency, e.g. USD.")],
    rate_: Annotated[str, typer.Option("--rate", help="The bank's rate (base per 1 unit).")],
    channel: Annotated[str, typer.Option(help="Bank or payment provider.")],
    account: Annotated[str, typer.Option(help="corporate or individual.")] = "corporate",
    holder: Annotated[str, typer.Option(help="Account holder (the person, if individual).")] = "",
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.3.3 Settle foreign currency (结汇); refuses beyond the balance or an individual's quota."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        result = fx.settle_fx(session, sold=fx.parse_money(amount, currency), rate=rate_,
                              channel=channel, account=account, holder=holder or "company",
                              actor=actor)  # fmt: skip
        s = result.settlement
        out.print(f"settlement {s.id}: sold {Money(s.sold_amount, s.sold_currency)}, bought "
                  f"{Money(s.bought_amount, s.bought_currency)} at {s.rate}")  # fmt: skip
    for warning in result.warnings:
        out.print(f"[yellow]warning:[/yellow] {warning}")


@app.command("reverse")
@cli_errors
def reverse(
    settlement_id: Annotated[int, typer.Argument()],
    reason: Annotated[str, typer.Option(help="Why the settlement is cancelled.")],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.3.3 Reverse a posted settlement (posted money is never edited)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        reversal = fx.reverse_fx_settlement(session, settlement_id=settlement_id, reason=reason,
                                            actor=actor)  # fmt: skip
        out.print(f"settlement {settlement_id} reversed by {reversal.id}")


@app.command("fx")
@cli_errors
def fx_gain_loss(
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.3.3 FX gain or loss of every settlement against the rates at order time."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {"settlement": r.settlement_id, "store": r.store_id, "payout": r.payout_id,
             "settled_at": f"{r.settled_at:%Y-%m-%d}", "sold": str(r.sold),
             "bought": str(r.bought), "rate": str(r.rate), "booked": str(r.booked),
             "gain": str(r.gain), "basis": r.basis}
            for r in fx.fx_results(session, actor=actor)
        ]  # fmt: skip
    emit(rows, ["settlement", "store", "payout", "settled_at", "sold", "bought", "rate", "booked",
                "gain", "basis"], fmt, title="FX gain/loss")  # fmt: skip


@app.command("profit")
@cli_errors
def profit_table(
    by: Annotated[str, typer.Option(help="order, sku or store.")] = "store",
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """Profit in the base currency: sale − fees − advertising − shipping − landed cost − refunds ± FX."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        report = profit.profit_report(session, actor=actor)
    cur = report.base_currency
    fields = [*profit.FIELDS, "profit"]
    if by == "order":
        source = {o.order_id: {**{f: getattr(o, f) for f in profit.FIELDS}, "profit": o.profit}
                  for o in report.orders}  # fmt: skip
    elif by == "sku":
        source = report.by_sku()
    else:
        source = report.by_store()
    rows = [
        {by: key, **{f: str(Money(v[f], cur)) for f in fields}} for key, v in sorted(source.items())
    ]
    emit(rows, [by, *fields], fmt, title=f"profit by {by} ({cur})")


@app.command("reconcile")
@cli_errors
def reconcile(
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.3.2 Payouts against the payments, fees and refunds of their periods."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [{**asdict(c), "difference": c.difference}
                for c in profit.reconcile_payouts(session, actor=actor)]  # fmt: skip
    emit(rows, ["payout_id", "store_id", "period_start", "period_end", "gross", "gross_records",
                "fees", "fees_records", "refunds", "refunds_records", "net", "currency",
                "difference"], fmt, title="payout reconciliation")  # fmt: skip
