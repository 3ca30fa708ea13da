"""Benchmark of the Amazon all-orders importer: rows/s into SQLite and PostgreSQL, next to DuckDB.

Run it from the repository root (see ``benchmarks/README.md``)::

    .venv/bin/python benchmarks/import_orders.py --rows 1000000 --backends sqlite,postgresql

1. Simulates a ``tiny`` company (the simulator's catalog, prices, statuses and Amazon order ids)
   and writes an all-orders flat file of ``--rows`` rows in Amazon's layout from its Amazon US
   store's order lines, repeating them under new order ids until the file is long enough.
2. Baseline: DuckDB's CSV reader parses the same file (``read_csv``, every column as text, and
   again with type detection) in the same run.
3. For each backend: a fresh migrated database with one Amazon US store; the file is imported
   through the real job boundary (``storeops.connectors.jobs.run_import``: read, validate every
   row, link SKUs/listings/buyers, bulk Core inserts, job record) and timed; then the same file is
   imported again (recognised by its SHA-256: skipped) and once more with ``force`` (every row read
   and validated and compared with the database; nothing to write).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from storeops.auth.scoping import system_actor
from storeops.connectors.jobs import run_import
from storeops.db import make_engine, session_scope
from storeops.migrations import upgrade

HEADER = (
    "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\t"
    "fulfillment-channel\tsales-channel\torder-channel\turl\tship-service-level\tproduct-name\t"
    "sku\tasin\titem-status\tquantity\tcurrency\titem-price\titem-tax\tshipping-price\t"
    "shipping-tax\tgift-wrap-price\tgift-wrap-tax\titem-promotion-discount\t"
    "ship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\t"
    "promotion-ids\tis-business-order\tpurchase-order-number\tprice-designation"
)
STATUS = {
    "draft": "Pending",
    "paid": "Unshipped",
    "shipped": "Shipped",
    "delivered": "Shipped - Delivered to Buyer",
    "cancelled": "Cancelled",
    "refunded": "Shipped",
}
console = Console(width=150)


def simulated_lines(workdir: Path) -> list[dict[str, Any]]:
    """The order lines of the simulated Amazon US store, with what the report prints."""
    from storeops.simulate.generate import simulate
    from storeops.simulate.scales import parse_scale

    url = f"sqlite:///{workdir / 'sim.db'}"
    upgrade(url)
    engine = make_engine(url)
    simulate(engine, seed=1, scale=parse_scale("tiny"), company_name="Bench Co")
    query = text(
        """
        SELECT o.external_id, o.status, o.placed_at, o.shipping_amount, s.code AS sku,
               l.external_id AS asin, l.title, ol.quantity, ol.line_amount
        FROM order_lines ol JOIN orders o ON o.id = ol.order_id
        JOIN stores st ON st.id = o.store_id JOIN skus s ON s.id = ol.sku_id
        JOIN listings l ON l.id = ol.listing_id
        WHERE st.platform = 'amazon' AND st.site = 'US' ORDER BY o.id, ol.id
        """
    )
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    engine.dispose()
    return rows


def write_file(path: Path, lines: list[dict[str, Any]], rows: int) -> None:
    """An all-orders flat file of ``rows`` rows: the simulated lines under fresh order ids."""
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        written = 0
        copy = 0
        while written < rows:
            shipping_done: set[str] = set()
            for line in lines:
                if written >= rows:
                    break
                order_id = f"{line['external_id'][:3]}-{copy:03d}{line['external_id'][7:]}"
                placed = (epoch + dt.timedelta(microseconds=line["placed_at"])).isoformat()
                status = STATUS[line["status"]]
                shipping = 0 if order_id in shipping_done else line["shipping_amount"]
                shipping_done.add(order_id)
                cancelled = status == "Cancelled"
                cells = [
                    order_id, "", placed, placed, status, "Amazon", "Amazon.com", "", "",
                    "Standard", line["title"][:120].replace("\t", " "), line["sku"],
                    "B0" + line["asin"][-8:],  # the simulator's listing ids are 12 characters
                    "Cancelled" if cancelled else "Shipped", str(line["quantity"]), "USD",
                    f"{line['line_amount'] / 100:.2f}", "0.00", f"{shipping / 100:.2f}", "0.00",
                    "", "", "", "", "Seattle", "WA", "98101", "US", "", "false", "", "",
                ]  # fmt: skip
                out.write("\t".join(cells) + "\n")
                written += 1
            copy += 1


def duckdb_parse(path: Path) -> dict[str, float]:
    """Seconds DuckDB takes to parse the file: all columns as text, and with type detection."""
    import duckdb

    timings = {}
    for label, options in (("all_varchar", "all_varchar=true"), ("typed", "")):
        conn = duckdb.connect()
        conn.execute("SET threads = 1")  # one core, like the importer: a like-for-like baseline
        start = time.perf_counter()
        extra = f", {options}" if options else ""
        source = f"read_csv('{path}', delim='\t', header=true, quote=''{extra})"
        count = conn.execute(f"SELECT count(*) FROM (SELECT * FROM {source})").fetchone()  # noqa: S608
        timings[label] = time.perf_counter() - start
        assert count is not None
        conn.close()
    return timings


def prepare(url: str) -> tuple[int, int]:
    """A migrated database with one company and an Amazon US store."""
    from storeops.auth.service import create_user
    from storeops.stores.enums import BusinessModel, Platform
    from storeops.stores.schemas import StoreCreate
    from storeops.stores.service import create_company, open_store

    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        owner = create_user(
            session,
            email="bench@example.com",
            display_name="Bench",
            password=secrets.token_urlsafe(16),
        )
        company = create_company(session, name="Bench importer", owner=owner)
        actor = system_actor(session, company.id)
        store = open_store(
            session,
            actor=actor,
            data=StoreCreate(
                name="Amazon US", platform=Platform.AMAZON, business_model=BusinessModel.B2C,
                site="US", currency="USD", timezone="America/Los_Angeles",
            ),
        )  # fmt: skip
        ids = company.id, store.id
    engine.dispose()
    return ids


def measure(url: str, path: Path) -> dict[str, Any]:
    """First import, same-file re-import and forced re-import of ``path`` into ``url``."""
    from storeops.orders.models import Order, OrderLine

    company_id, store_id = prepare(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        actor = system_actor(session, company_id, label="bench")
    data = path.read_bytes()
    results: dict[str, Any] = {}
    for label, force in (("first", False), ("same file again", False), ("forced re-check", True)):
        start, cpu = time.perf_counter(), time.process_time()
        job = run_import(
            engine, actor=actor, store_id=store_id, platform="amazon", report="all-orders",
            file_name=path.name, data=data, force=force,
        )  # fmt: skip
        results[label] = {
            "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - cpu,
            "status": job.status.value,
            "rows": job.rows_total,
            "counts": job.counts,
        }
        r = results[label]
        console.print(
            f"  {url.split(':')[0]} {label}: {r['seconds']:.1f} s wall, {r['cpu_seconds']:.1f} s CPU,"
            f" {job.status.value}, load {os.getloadavg()[0]:.1f}"
        )
    with session_scope(engine) as session:
        results["orders"] = session.scalar(select(func.count()).select_from(Order))
        results["order_lines"] = session.scalar(select(func.count()).select_from(OrderLine))
    engine.dispose()
    return results


def postgres_url(base: str) -> str:
    name = f"storeops_bench_{secrets.token_hex(3)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="storeops-import-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    console.print(f"storeops {commit}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    start = time.perf_counter()
    lines = simulated_lines(workdir)
    path = workdir / "all-orders.txt"
    write_file(path, lines, args.rows)
    console.print(
        f"file: {args.rows:,} rows from {len(lines):,} simulated Amazon US lines, "
        f"{path.stat().st_size / 1024**2:.0f} MiB, made in {time.perf_counter() - start:.1f} s"
    )
    duck = duckdb_parse(path)
    console.print(f"DuckDB: {', '.join(f'{k} {v:.2f} s' for k, v in duck.items())}")
    table = Table(title=f"Amazon all-orders import, {args.rows:,} rows")
    for column in ("what", "seconds", "rows/s", "CPU s", "rows/CPU-s", "status", "notes"):
        table.add_column(column)
    for label, seconds in duck.items():
        cells = [f"{seconds:.2f}", f"{args.rows / seconds:,.0f}", "", "", "", ""]
        table.add_row(f"DuckDB read_csv ({label}, 1 thread)", *cells)
    for backend in args.backends.split(","):
        if backend == "sqlite":
            url = f"sqlite:///{workdir / f'import-{secrets.token_hex(3)}.db'}"
        else:
            base = os.environ.get("STOREOPS_TEST_POSTGRES_URL") or os.environ.get(
                "STOREOPS_BENCH_POSTGRES_URL"
            )
            if not base:
                console.print("[yellow]no PostgreSQL URL (run under scripts/with_postgres.py)")
                continue
            url = postgres_url(base)
        results = measure(url, path)
        first = results["first"]["seconds"]
        for label in ("first", "same file again", "forced re-check"):
            r = results[label]
            notes = "" if label == "first" else f"{first / r['seconds']:.1f}x faster than first"
            if label == "first":
                notes = f"{results['orders']:,} orders, {results['order_lines']:,} lines"
            table.add_row(
                f"{backend}: {label}", f"{r['seconds']:.2f}",
                f"{r['rows'] / r['seconds']:,.0f}" if r["rows"] else "-",
                f"{r['cpu_seconds']:.2f}",
                f"{r['rows'] / r['cpu_seconds']:,.0f}" if r["rows"] and r["cpu_seconds"] else "-",
                r["status"], notes,
            )  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
