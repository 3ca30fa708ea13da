"""``storeops warehouse``, ``storeops metrics`` and ``storeops clv``: the analytics commands."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from storeops.cli.common import (
    FormatOption,
    OutputFormat,
    cli_errors,
    company_actor,
    emit,
    fail,
    out,
    unit_of_work,
)

WarehouseOption = typer.Option(
    "--warehouse",
    "-w",
    help="The DuckDB warehouse file (default: warehouse.duckdb in the data directory).",
)

warehouse_app = typer.Typer(
    help="The analytics warehouse (a DuckDB file derived from the ops database): sync or rebuild.",
    no_args_is_help=True,
)


def _print_sync(report: object) -> None:
    from storeops.analytics.warehouse import SyncReport

    assert isinstance(report, SyncReport)
    verb = "rebuilt" if report.full else "synced"
    out.print(
        f"{verb} {report.path}: {report.rows_read:,} rows read, "
        f"{report.orders_refreshed:,} orders refreshed in {report.seconds:.2f} s"
    )
    for table in report.tables:
        if table.rows_read:
            out.print(f"  {table.table}: {table.rows_read:,} rows ({table.seconds:.2f} s)")


@warehouse_app.command("sync")
@cli_errors
def warehouse_sync(warehouse: Annotated[Path | None, WarehouseOption] = None) -> None:
    """Copy what is new or changed in the ops database since the last sync into the warehouse.

    Only rows added or changed since each table's watermark are read (daily traffic and ad
    tables also re-read their last 3 days). The first sync fills an empty warehouse.
    """
    from storeops.analytics.warehouse import sync_warehouse
    from storeops.config import get_settings

    _print_sync(sync_warehouse(get_settings().effective_database_url, warehouse))


@warehouse_app.command("rebuild")
@cli_errors
def warehouse_rebuild(warehouse: Annotated[Path | None, WarehouseOption] = None) -> None:
    """Throw the warehouse away and fill it again from the ops database.

    Needed after rows were deleted in the ops database or a store's timezone changed; gives
    the same tables as a series of syncs otherwise.
    """
    from storeops.analytics.warehouse import rebuild_warehouse
    from storeops.config import get_settings

    _print_sync(rebuild_warehouse(get_settings().effective_database_url, warehouse))


# --- metrics -------------------------------------------------------------------------------------

metrics_app = typer.Typer(
    help="The standard's figures (clause 6) from the warehouse: list them, compute them.",
    no_args_is_help=True,
)

CompanyOption = typer.Option(
    "--company", "-c", help="Company name (needed only when there are several)."
)
FIGURE_COLUMNS = ["metric", "group", "display", "value", "unit", "currency", "reason"]


class By(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    country = "country"
    source = "source"
    sku = "sku"


@metrics_app.command("list")
@cli_errors
def metrics_list(fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE) -> None:
    """Every metric and ranking of the registry, with its formula, unit and task codes."""
    from storeops.analytics.registry import METRICS, RANKINGS

    rows: list[dict[str, Any]] = [
        {
            "slug": m.slug,
            "kind": "metric",
            "name": m.name_en,
            "name_zh": m.name_zh,
            "unit": m.unit.value,
            "formula": m.formula,
            "grain": m.grain.value,
            "by": sorted(m.dims()),
            "task_codes": list(m.task_codes),
        }
        for m in METRICS
    ]
    rows += [
        {
            "slug": r.slug,
            "kind": "ranking",
            "name": r.name_en,
            "name_zh": r.name_zh,
            "unit": r.unit.value,
            "formula": r.formula,
            "grain": r.key,
            "by": [],
            "task_codes": list(r.task_codes),
        }
        for r in RANKINGS
    ]
    emit(
        rows,
        ["slug", "kind", "name", "name_zh", "unit", "formula", "task_codes"]
        if fmt == OutputFormat.TABLE
        else list(rows[0]),
        fmt,
        title="metrics",
    )


@metrics_app.command("compute")
@cli_errors
def metrics_compute(
    store: Annotated[
        int, typer.Option("--store", "-s", help="Store id (see `storeops store list`).")
    ],
    start: Annotated[
        dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First day (store-local).")
    ],
    end: Annotated[
        dt.datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day, included.")
    ],
    metric: Annotated[
        list[str] | None,
        typer.Option("--metric", "-m", help="A metric or ranking slug; repeat. Default: all."),
    ] = None,
    by: Annotated[By | None, typer.Option(help="Break the figures down.")] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
    warehouse: Annotated[Path | None, WarehouseOption] = None,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """Compute figures of one store for a period of store-local days, from the warehouse.

    Example: `storeops metrics compute --store 2 --from 2026-09-01 --to 2026-09-30 -m orders_paid
    -m conversion_rate --by week --format csv`. Run `storeops warehouse sync` first to include
    the latest orders. Values that cannot be computed show "—" and the reason.
    """
    from storeops.analytics.metrics import compute_metrics, open_warehouse

    with unit_of_work() as session, open_warehouse(warehouse) as reader:
        actor = company_actor(session, company)
        report = compute_metrics(
            session,
            actor=actor,
            reader=reader,
            store_id=store,
            start=start.date(),
            end=end.date(),
            metrics=metric,
            by=by.value if by else None,
        )
    if fmt == OutputFormat.JSON:
        payload = {
            "store": {
                "id": report.store_id,
                "name": report.store_name,
                "currency": report.currency,
                "timezone": report.timezone,
            },
            "from": report.start.isoformat(),
            "to": report.end.isoformat(),
            "by": report.by,
            "figures": [f.as_dict() for f in report.figures],
            "rankings": {k: [r.as_dict() for r in v] for k, v in report.rankings.items()},
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    rows = [f.as_dict() for f in report.figures]
    for ranked in report.rankings.values():
        for r in ranked:
            row = r.as_dict()
            rows.append(
                {
                    "metric": row["metric"],
                    "group": f"#{row['rank']} {row['label']}",
                    "display": row["display"],
                    "value": row["value"],
                    "unit": r.ranking.unit.value,
                    "currency": r.currency,
                    "reason": None,
                }
            )
    columns = (
        FIGURE_COLUMNS
        if by or fmt != OutputFormat.TABLE
        else [c for c in FIGURE_COLUMNS if c not in {"group", "value", "currency"}]
    )
    if fmt == OutputFormat.TABLE and report.rankings:
        columns = ["metric", "group", "display", "reason"]
    title = f"{report.store_name}: {report.start} – {report.end}" + (
        f" by {by.value}" if by else ""
    )
    emit(rows, columns, fmt, title=title)


# --- customer lifetime value ---------------------------------------------------------------------

clv_app = typer.Typer(
    help="9.2.5 Customer lifetime value: BG/NBD and Gamma-Gamma models of repeat purchases.",
    no_args_is_help=True,
)


class ClvFormat(StrEnum):
    table = "table"
    json = "json"


class ClvPeriod(StrEnum):
    week = "week"
    day = "day"


@clv_app.command("fit")
@cli_errors
def clv_fit(
    transactions: Annotated[
        Path, typer.Option("--transactions", "-t", help="CSV file, one row per purchase.")
    ],
    customer_col: Annotated[str, typer.Option(help="Column holding the customer id.")],
    date_col: Annotated[
        str, typer.Option(help="Column holding the date (YYYY-MM-DD or YYYYMMDD).")
    ],
    amount_col: Annotated[str, typer.Option(help="Column holding the amount of the purchase.")],
    observation_end: Annotated[
        dt.datetime,
        typer.Option(formats=["%Y-%m-%d"], help="Last day observed; later purchases are left out."),
    ],
    period: Annotated[
        ClvPeriod, typer.Option(help="Time unit of recency and age.")
    ] = ClvPeriod.week,
    fmt: Annotated[
        ClvFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ClvFormat.table,
    predict: Annotated[
        float, typer.Option(min=0, help="Forecast this many periods ahead (0: no forecast).")
    ] = 0,
    top: Annotated[int, typer.Option(min=1, help="Customers to list in the forecast.")] = 10,
) -> None:
    """9.2.5 Fit BG/NBD (r, alpha, a, b) and Gamma-Gamma (p, q, gamma) to a transaction file.

    Purchases on one day count once; `x` is the number of repeat purchase days, recency and the
    customer's age are measured from the first purchase, in weeks or days. Example (the CDNOW
    sample of Fader, Hardie & Lee 2005 gives r=0.243, alpha=4.414, a=0.793, b=2.426):
    `storeops clv fit -t cdnow.csv --customer-col customer --date-col date --amount-col amount
    --observation-end 1997-09-30 --period week --format json`.
    """
    from dataclasses import asdict

    from storeops.analytics.clv import (
        fit_bgnbd,
        fit_gamma_gamma,
        forecast,
        read_transactions,
        summarize,
    )

    rows = read_transactions(
        transactions, customer_col=customer_col, date_col=date_col, amount_col=amount_col
    )
    summary = summarize(rows, observation_end=observation_end.date(), period=period.value)
    bgnbd = fit_bgnbd(summary)
    spend = fit_gamma_gamma(summary)
    result: dict[str, Any] = {
        "period": period.value,
        "observation_end": observation_end.date().isoformat(),
        "transactions": len(rows),
        "customers": len(summary.customers),
        "repeat_customers": spend.customers,
        "r": bgnbd.r,
        "alpha": bgnbd.alpha,
        "a": bgnbd.a,
        "b": bgnbd.b,
        "log_likelihood": bgnbd.log_likelihood,
        "p": spend.p,
        "q": spend.q,
        "gamma": spend.gamma,
        "gamma_gamma_log_likelihood": spend.log_likelihood,
    }
    outlook = forecast(summary, bgnbd, spend, predict)[:top] if predict else []
    if fmt == ClvFormat.json:
        if predict:
            result["forecast_periods"] = predict
            result["top_customers"] = [asdict(c) for c in outlook]
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    rows_out = [
        {"parameter": k, "value": f"{v:.6g}" if isinstance(v, float) else str(v)}
        for k, v in result.items()
    ]
    emit(rows_out, ["parameter", "value"], OutputFormat.TABLE, title="BG/NBD + Gamma-Gamma")
    if outlook:
        emit(
            [{k: f"{v:.4g}" if isinstance(v, float) else v for k, v in asdict(c).items()}
             for c in outlook],
            list(asdict(outlook[0])),
            OutputFormat.TABLE,
            title=f"top {len(outlook)} customers over the next {predict:g} {period.value}s",
        )  # fmt: skip


@warehouse_app.command("export-parquet")
@cli_errors
def warehouse_export_parquet(
    directory: Annotated[Path, typer.Argument(help="Where to write <table>.parquet files.")],
    warehouse: Annotated[Path | None, WarehouseOption] = None,
) -> None:
    """Write the tables the metric registry reads as Parquet, for Spark, Trino, ClickHouse …"""
    from storeops.analytics.distributed import export_parquet
    from storeops.analytics.warehouse import default_warehouse_path

    counts = export_parquet(warehouse or default_warehouse_path(), directory)
    for name, rows in counts.items():
        out.print(f"{directory / (name + '.parquet')}: {rows:,} rows")


@metrics_app.command("rfm")
@cli_errors
def metrics_rfm(
    store: Annotated[int, typer.Option("--store", "-s", help="Store id.")],
    start: Annotated[
        dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First day (store-local).")
    ],
    end: Annotated[
        dt.datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day, included.")
    ],
    buyers: Annotated[int, typer.Option(min=0, help="Also list this many best-scored buyers.")] = 0,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
    warehouse: Annotated[Path | None, WarehouseOption] = None,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """7.2.3 RFM segments of the store's paying buyers (recency, frequency, monetary scores)."""
    from dataclasses import asdict

    from storeops.analytics.metrics import open_warehouse
    from storeops.analytics.rfm import buyer_rfm, rfm_segments

    with unit_of_work() as session, open_warehouse(warehouse) as reader:
        actor = company_actor(session, company)
        args: dict[str, Any] = {
            "actor": actor, "reader": reader, "store_id": store, "start": start.date(),
            "end": end.date(),
        }  # fmt: skip
        segments = rfm_segments(session, **args)
        scored = buyer_rfm(session, limit=buyers, **args) if buyers else []
    if buyers:
        rows = [asdict(b) for b in scored]
        emit(rows, list(rows[0]) if rows else ["buyer_id"], fmt, title="buyers by RFM")
        return
    emit(
        [{"segment": k, "buyers": v} for k, v in segments.items()],
        ["segment", "buyers"],
        fmt,
        title="RFM segments",
    )


@clv_app.command("store")
@cli_errors
def clv_store(
    store: Annotated[int, typer.Option("--store", "-s", help="Store id.")],
    start: Annotated[
        dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First day of orders.")
    ],
    end: Annotated[
        dt.datetime,
        typer.Option("--to", formats=["%Y-%m-%d"], help="Observation end (store-local day)."),
    ],
    period: Annotated[ClvPeriod, typer.Option(help="Time unit.")] = ClvPeriod.week,
    predict: Annotated[float, typer.Option(min=0, help="Periods to forecast.")] = 0,
    top: Annotated[int, typer.Option(min=1, help="Customers to list.")] = 10,
    fmt: Annotated[
        ClvFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ClvFormat.table,
    warehouse: Annotated[Path | None, WarehouseOption] = None,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """9.2.5 Fit BG/NBD and Gamma-Gamma to a store's own paid orders (from the warehouse)."""
    from dataclasses import asdict

    from storeops.analytics.clv import fit_bgnbd, fit_gamma_gamma, forecast, summarize
    from storeops.analytics.metrics import open_warehouse
    from storeops.analytics.rfm import store_transactions

    with unit_of_work() as session, open_warehouse(warehouse) as reader:
        actor = company_actor(session, company)
        rows = store_transactions(
            session, actor=actor, reader=reader, store_id=store, start=start.date(), end=end.date()
        )
    if not rows:
        raise fail("the store has no paid orders in the period", 2)
    summary = summarize(rows, observation_end=end.date(), period=period.value)
    bgnbd, spend = fit_bgnbd(summary), fit_gamma_gamma(summary)
    result: dict[str, Any] = {
        "store": store, "period": period.value, "orders": len(rows),
        "customers": len(summary.customers), "repeat_customers": spend.customers,
        **{k: v for k, v in asdict(bgnbd).items()},
        "p": spend.p, "q": spend.q, "gamma": spend.gamma,
        "gamma_gamma_log_likelihood": spend.log_likelihood,
    }  # fmt: skip
    outlook = []
    if predict and spend.q <= 1:
        # Gamma-Gamma's mean spend p·gamma/(q − 1) is undefined: fit shown, no value forecast
        result["top_customers"] = []
        result["spend_note"] = (
            f"— no value forecast: the fitted q = {spend.q:.3g} is at most 1, so the mean spend "
            "per purchase is undefined (too few repeat buyers or too skewed spend)"
        )
    elif predict:
        outlook = forecast(summary, bgnbd, spend, predict)[:top]
        result["top_customers"] = [asdict(c) for c in outlook]
    if fmt == ClvFormat.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    flat = [
        {"parameter": k, "value": f"{v:.6g}" if isinstance(v, float) else str(v)}
        for k, v in result.items()
        if k != "top_customers"
    ]
    emit(flat, ["parameter", "value"], OutputFormat.TABLE, title="BG/NBD + Gamma-Gamma")
    if outlook:
        rows_out = [
            {k: f"{v:.4g}" if isinstance(v, float) else v for k, v in asdict(c).items()}
            for c in outlook
        ]
        emit(rows_out, list(rows_out[0]), OutputFormat.TABLE, title="top customers (buyer ids)")
