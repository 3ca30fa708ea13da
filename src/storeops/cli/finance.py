"""``storeops finance``: balances, FX settlement (结汇) and gain/loss, profit, reconciliation."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path
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
from storeops.finance import fx, profit, rates, rebates, reports
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


@app.command("payments")
@cli_errors
def payments(
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.3.1 Payments per store, method and currency."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [{"store": t.store_id, "method": t.key, "count": t.count,
                 "amount": str(Money(t.amount, t.currency))}
                for t in reports.payments_by_method(session, actor=actor)]  # fmt: skip
    emit(rows, ["store", "method", "count", "amount"], fmt, title="payments")


@app.command("fees")
@cli_errors
def fees(
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.3.2 Platform fees per store, kind and currency."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [{"store": t.store_id, "kind": t.key, "count": t.count,
                 "amount": str(Money(t.amount, t.currency))}
                for t in reports.fees_by_type(session, actor=actor)]  # fmt: skip
    emit(rows, ["store", "kind", "count", "amount"], fmt, title="fees")


@app.command("ageing")
@cli_errors
def ageing(
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.3.2 Receivables ageing (buyers' unpaid balances; payments not yet paid out)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        summary = reports.ageing_summary(reports.receivables(session, actor=actor))
    buckets = [label for *_x, label in reports.AGE_BUCKETS]
    rows = [{"kind": k, "currency": c, **{b: str(Money(v[b], c)) for b in buckets}}
            for (k, c), v in sorted(summary.items())]  # fmt: skip
    emit(rows, ["kind", "currency", *buckets], fmt, title="receivables ageing")


@app.command("declaration")
@cli_errors
def declaration(
    start: Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="First day (UTC).")],
    end: Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="Last day (UTC).")],
    output: Annotated[Path, typer.Option("--out", help="File to write (.csv or .xml).")],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.3.6 Export the payment records of a period for the payment information declaration."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = reports.payment_declaration_rows(session, actor=actor, start=start.date(),
                                                end=end.date())  # fmt: skip
    if output.suffix.lower() == ".xml":
        output.write_text(reports.payment_declaration_xml(rows, start=start.date(), end=end.date()),
                          encoding="utf-8")  # fmt: skip
    else:
        output.write_text(reports.payment_declaration_csv(rows), encoding="utf-8")
    out.print(f"{len(rows)} payment(s) written to {output}")


@app.command("refund")
@cli_errors
def refund(
    request_id: Annotated[int, typer.Argument(help="An approved refund request.")],
    source: Annotated[str, typer.Option(help="balance or deposit.")] = "balance",
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.3.4 Pay an approved refund from the store balance or its deposit."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        paid = reports.pay_refund(session, refund_request_id=request_id, source=source,
                                  actor=actor)  # fmt: skip
        out.print(f"refund {Money(paid.amount, paid.currency)} paid from the {paid.source}")


@app.command("rebate-rate")
@cli_errors
def rebate_rate(
    hs_prefix: Annotated[str, typer.Argument(help="HS code prefix, e.g. 8518.")],
    rate: Annotated[str, typer.Argument(help="Rebate rate, e.g. 0.13.")],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.3.5 Keep the rebate rate of an HS code prefix."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rebates.set_rebate_rate(session, hs_prefix=hs_prefix, rate=rate, actor=actor)
    out.print(f"rebate rate of HS {hs_prefix}: {rate}")


@app.command("rebate")
@cli_errors
def rebate(
    file: Annotated[Path, typer.Option("--file", help="JSON rebate case (docs/finance.md).")],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.3.5 Open an export tax rebate case and compute the rebate."""
    data = rebates.RebateCaseIn.model_validate_json(file.read_text(encoding="utf-8"))
    with unit_of_work() as session:
        actor = company_actor(session, company)
        case, warnings = rebates.open_rebate_case(session, data=data, actor=actor)
        out.print(f"rebate case {case.id}: {Money(case.rebate_cny, 'CNY')} at {case.rebate_rate}, "
                  f"declare by {case.deadline}")  # fmt: skip
    for warning in warnings:
        out.print(f"[yellow]warning:[/yellow] {warning}")


@app.command("rebates")
@cli_errors
def rebate_list(
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.3.5 Rebate cases, nearest deadline first."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [{"id": c.id, "declaration_no": c.declaration_no, "hs_code": c.hs_code,
                 "fob": str(Money(c.fob_cny, "CNY")), "rebate": str(Money(c.rebate_cny, "CNY")),
                 "rate": c.rebate_rate, "deadline": c.deadline.isoformat(),
                 "status": c.status.value}
                for c in rebates.list_rebate_cases(session, actor=actor)]  # fmt: skip
    emit(rows, ["id", "declaration_no", "hs_code", "fob", "rebate", "rate", "deadline", "status"],
         fmt, title="rebate cases")  # fmt: skip
