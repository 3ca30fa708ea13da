"""``storeops supply``: stock per warehouse and replenishment suggestions."""

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
    unit_of_work,
)
from storeops.supply import buyer_plan as plan
from storeops.supply import service as svc

app = typer.Typer(
    help="Supply: stock per warehouse (own, overseas, platform fulfilment centres) and "
    "replenishment — days of cover and reorder suggestions from the demand rate, the supplier's "
    "lead time and safety stock. Purchase orders and receipts are in the API and console.",
    no_args_is_help=True,
)
CompanyOpt = typer.Option("--company", help="Company name (default: the only company).")


@app.command("stock")
@cli_errors
def stock(
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """Stock on hand per warehouse and SKU."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {"warehouse": w, "sku": s, "on_hand": q}
            for w, s, q in svc.stock_levels(session, actor=actor)
        ]
    emit(rows, ["warehouse", "sku", "on_hand"], fmt, title="stock")


@app.command("replenish")
@cli_errors
def replenish(
    today: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Day of the plan (default today)."),
    ] = None,
    window_days: Annotated[int, typer.Option(help="Days of sales the demand rate uses.")] = 28,
    service_level: Annotated[
        float, typer.Option(help="Chance of no stock-out in a lead time.")
    ] = 0.95,
    review_days: Annotated[int, typer.Option(help="Days until the next review.")] = 7,
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """Days of cover and reorder suggestions (ROP = d x L + z x σ x √L)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [asdict(r) for r in svc.replenishment(
            session, actor=actor, today=today.date() if today else None, window_days=window_days,
            service_level=service_level, review_days=review_days)]  # fmt: skip
    emit(rows, ["sku", "daily_demand", "lead_time_days", "safety_stock", "reorder_point",
                "on_hand", "on_order", "days_of_cover", "suggested_order"], fmt,
         title="replenishment")  # fmt: skip


@app.command("scorecards")
@cli_errors
def scorecards(
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.2.2 Supplier scorecards: on-time delivery, fill rate, inspections, defects."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [asdict(s) for s in svc.supplier_scorecards(session, actor=actor)]
    emit(rows, ["supplier", "purchase_orders", "on_time_rate", "fill_rate", "inspections",
                "pass_rate", "defect_rate"], fmt, title="supplier scorecards")  # fmt: skip


@app.command("buyer-plan")
@cli_errors
def buyer_plan(
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.2.4 / 9.2.5 B2B buyers' expected next orders; overdue and due first (follow up)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [{**asdict(p), "expected_value": str(p.expected_value)}
                for p in plan.buyer_plans(session, actor=actor)]  # fmt: skip
    emit(rows, ["buyer", "orders", "last_order_on", "interval_days", "next_order_on",
                "expected_value", "state"], fmt, title="buyer plans")  # fmt: skip
