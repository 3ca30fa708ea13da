"""``storeops warehouse``, ``storeops metrics`` and ``storeops clv``: the analytics commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storeops.cli.common import cli_errors, out

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
