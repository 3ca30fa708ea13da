"""Benchmark of the analytics path: dashboard figures via the registry vs hand-written DuckDB SQL vs
pandas, and the incremental warehouse sync.

Run it from the repository root::

    .venv/bin/python benchmarks/analytics.py --scale medium
    .venv/bin/python benchmarks/analytics.py --scale large --workdir /var/tmp/bench

Steps (all in one run, on one machine):

1. Simulate a company at ``--scale`` into a SQLite file in ``--workdir`` (kept and reused by later
   runs with the same scale; every run works on a copy), and rebuild the warehouse from it.
2. For the store with the most orders and its last two years: the B2C overview of the console
   (16 figures, 3 rankings) computed (a) through the metric registry (Ibis on DuckDB), (b) by the
   same figures written by hand in DuckDB SQL over the same warehouse tables, (c) with pandas on
   the ops tables loaded into memory. Each cold (first run on a new connection) and warm (median
   of ``--repeat`` runs); the three results are checked to be equal before any time is printed.
   Also the whole dashboard page (five reports: period, previous, last year, two daily series).
3. Incremental sync: ``--new-lines`` new order lines (with their orders) are written to the ops
   database, then ``storeops warehouse sync`` is timed.

Targets of issue 4: registry within 1.5x of hand-written DuckDB, at least 10x faster than pandas,
a dashboard page under 1 s warm, 100k new lines synced in under 5 s. Results go to
``benchmarks/results/analytics-<scale>-<time>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import time
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from rich.console import Console
from rich.table import Table
from sqlalchemy import text
from sqlalchemy.orm import Session

from storeops.analytics.metrics import compute_metrics, open_warehouse
from storeops.analytics.warehouse import _Source, rebuild_warehouse, sync_warehouse
from storeops.auth.scoping import system_actor
from storeops.db import make_engine
from storeops.migrations import upgrade
from storeops.simulate.generate import simulate
from storeops.simulate.scales import parse_scale
from storeops.web.pages.analytics import B2C_OVERVIEW

REPO = Path(__file__).resolve().parents[1]
RESULTS_DIR = REPO / "benchmarks" / "results"
RANKINGS = ("traffic_source_top", "buyer_countries", "product_ranking")
out = Console()


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


# --- (a) the registry ----------------------------------------------------------------------------


def registry_figures(
    engine: Any, warehouse: Path, store_id: int, company_id: int, start: dt.date, end: dt.date
) -> tuple[float, float, dict[str, Any], float]:
    """Cold, warm, the values, and the warm time of the whole dashboard page (five reports)."""
    with Session(engine) as session:
        actor = system_actor(session, company_id)
        with open_warehouse(warehouse) as reader:

            def run() -> dict[str, Any]:
                report = compute_metrics(
                    session, actor=actor, reader=reader, store_id=store_id, start=start,
                    end=end, metrics=[*B2C_OVERVIEW, *RANKINGS],
                )  # fmt: skip
                values: dict[str, Any] = {f.metric.slug: f.value for f in report.figures}
                for slug, rows in report.rankings.items():
                    values[slug] = [(r.key, r.value) for r in rows]
                return values

            cold, values = _timed(run)
            warm = statistics.median(_timed(run)[0] for _ in range(ARGS.repeat))

            def page() -> None:
                from storeops.analytics.metrics import previous_period

                before = previous_period(start, end)
                for a, b, metrics, by in (
                    (start, end, [*B2C_OVERVIEW, *RANKINGS], None),
                    (*before, list(B2C_OVERVIEW), None),
                    (start.replace(year=start.year - 1), end.replace(year=end.year - 1), list(B2C_OVERVIEW), None),
                    (start, end, ["orders_paid_amount", "orders_paid"], "day"),
                    (*before, ["orders_paid_amount", "orders_paid"], "day"),
                ):  # fmt: skip
                    compute_metrics(
                        session, actor=actor, reader=reader, store_id=store_id, start=a, end=b,
                        metrics=metrics, by=by,
                    )  # fmt: skip

            page()
            page_warm = statistics.median(_timed(page)[0] for _ in range(ARGS.repeat))
    return cold, warm, values, page_warm


# --- (b) the same figures by hand in DuckDB SQL --------------------------------------------------

HAND_SQL = {
    "daily": """SELECT sum(paid_orders), sum(paid_amount) FILTER (WHERE currency = $cur)
        FROM daily_orders WHERE store_id = $s AND day BETWEEN $a AND $b""",
    "orders": """SELECT count(*) FILTER (WHERE is_paid),
            count(DISTINCT buyer_id) FILTER (WHERE is_paid),
            sum(total_amount) FILTER (WHERE is_paid AND currency = $cur)
        FROM fact_orders WHERE store_id = $s AND day BETWEEN $a AND $b""",
    "traffic": """SELECT sum(impressions), sum(clicks), sum(add_to_cart), sum(favourites)
        FROM ops_listing_traffic_daily WHERE store_id = $s AND day BETWEEN $a AND $b""",
    "visitors": """SELECT sum(visitors) FROM ops_visitor_country_daily
        WHERE store_id = $s AND day BETWEEN $a AND $b""",
    "refunds": "SELECT count(*) FROM v_refunds WHERE store_id = $s AND day BETWEEN $a AND $b",
    "reviews": """SELECT count(*), count(*) FILTER (WHERE rating >= 4),
            count(*) FILTER (WHERE rating <= 2)
        FROM v_reviews WHERE store_id = $s AND day BETWEEN $a AND $b""",
    "complaints": "SELECT count(*) FROM v_complaints WHERE store_id = $s AND day BETWEEN $a AND $b",
    "shipments": """SELECT count(*) FILTER (WHERE delivered), count(*) FILTER (WHERE delivered AND late)
        FROM v_shipments WHERE store_id = $s AND day BETWEEN $a AND $b""",
    "ads": """SELECT sum(spend_amount) FILTER (WHERE currency = $cur),
            sum(sales_amount) FILTER (WHERE currency = $cur)
        FROM v_ads WHERE store_id = $s AND day BETWEEN $a AND $b""",
    "sources": """SELECT source, sum(visitors) AS v FROM ops_listing_traffic_daily
        WHERE store_id = $s AND day BETWEEN $a AND $b GROUP BY source""",
    "countries": """SELECT country, count(*) FILTER (WHERE is_paid) AS v FROM fact_orders
        WHERE store_id = $s AND day BETWEEN $a AND $b GROUP BY country""",
    "products": """SELECT listing_id, sum(line_amount) FILTER (WHERE is_paid AND currency = $cur) AS v
        FROM fact_order_lines WHERE store_id = $s AND day BETWEEN $a AND $b GROUP BY listing_id""",
}


def _ratio(n: int, d: int) -> Decimal | None:
    return None if not d else Decimal(n) / Decimal(d)


def _avg(n: int, d: int) -> int | None:
    return None if not d else int((Decimal(n) / Decimal(d)).quantize(Decimal(1), ROUND_HALF_EVEN))


def _top(pairs: list[tuple[Any, Any]], limit: int = 10) -> list[tuple[str, int]]:
    kept = [(str(k), int(v)) for k, v in pairs if v]
    kept.sort(key=lambda kv: (-kv[1], kv[0]))
    return kept[:limit]


def figures_from(parts: dict[str, Any]) -> dict[str, Any]:
    """The overview's values from the raw aggregates (shared by the hand SQL and pandas)."""
    z = lambda v: int(v or 0)  # noqa: E731
    paid_orders, paid_amount = z(parts["daily"][0]), z(parts["daily"][1])
    o_paid, buyers, o_amount = (z(v) for v in parts["orders"])
    imp, clicks, cart, fav = (z(v) for v in parts["traffic"])
    visitors = z(parts["visitors"][0])
    refunds = z(parts["refunds"][0])
    reviews, positive, negative = (z(v) for v in parts["reviews"])
    complaints = z(parts["complaints"][0])
    delivered, late = (z(v) for v in parts["shipments"])
    spend, sales = (z(v) for v in parts["ads"])
    return {
        "visitors": visitors,
        "conversion_rate": _ratio(o_paid, visitors),
        "orders_paid": paid_orders,
        "orders_paid_amount": paid_amount,
        "amount_per_order": _avg(paid_amount, paid_orders),
        "amount_per_buyer": _avg(o_amount, buyers),
        "ctr": _ratio(clicks, imp),
        "add_to_cart": cart,
        "favourites": fav,
        "refund_request_rate": _ratio(refunds, paid_orders),
        "positive_review_rate": _ratio(positive, reviews),
        "negative_review_rate": _ratio(negative, reviews),
        "complaint_rate": _ratio(complaints, paid_orders),
        "late_delivery_rate": _ratio(late, delivered),
        "acos": _ratio(spend, sales),
        "roas": _ratio(sales, spend),
        "traffic_source_top": _top(parts["sources"]),
        "buyer_countries": _top(parts["countries"], 20),
        "product_ranking": _top(parts["products"]),
    }


def hand_sql_figures(
    warehouse: Path, store_id: int, currency: str, start: dt.date, end: dt.date
) -> tuple[float, float, dict[str, Any]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    params = {"s": store_id, "a": start, "b": end, "cur": currency}

    def run() -> dict[str, Any]:
        parts: dict[str, Any] = {}
        for name, sql in HAND_SQL.items():
            used = {k: v for k, v in params.items() if f"${k}" in sql}
            rows = con.execute(sql, used).fetchall()
            parts[name] = rows if name in {"sources", "countries", "products"} else rows[0]
        return figures_from(parts)

    try:
        cold, values = _timed(run)
        warm = statistics.median(_timed(run)[0] for _ in range(ARGS.repeat))
    finally:
        con.close()
    return cold, warm, values


# --- (c) pandas on the ops tables ----------------------------------------------------------------

PANDAS_TABLES = {
    "orders": "id, store_id, buyer_id, status, country, currency, total_amount, placed_at, paid_at",
    "order_lines": "order_id, store_id, listing_id, line_amount, currency",
    "listing_traffic_daily": "store_id, day, source, impressions, clicks, visitors, add_to_cart, favourites",
    "visitor_country_daily": "store_id, day, visitors",
    "refund_requests": "store_id, requested_at",
    "reviews": "store_id, rating, created_at",
    "complaints": "store_id, opened_at",
    "shipments": "store_id, shipped_at, promised_by, delivered_at",
    "ad_keyword_daily": "store_id, campaign_id, day, spend_amount, sales_amount",
    "ad_campaigns": "id, currency",
}


def load_pandas(url: str) -> dict[str, pd.DataFrame]:
    source = _Source(url)
    try:
        return {
            name: source.read(f"SELECT {cols} FROM {name}").to_pandas()
            for name, cols in PANDAS_TABLES.items()
        }
    finally:
        source.close()


def _local_day(series: pd.Series, tz: str) -> pd.Series:
    stamps = (
        pd.to_datetime(series, unit="us", utc=True)
        if series.dtype.kind in "iuf"
        else pd.to_datetime(series, utc=True)
    )
    return stamps.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()


def pandas_figures(
    frames: dict[str, pd.DataFrame],
    store_id: int,
    currency: str,
    tz: str,
    start: dt.date,
    end: dt.date,
) -> tuple[float, float, dict[str, Any]]:
    a, b = pd.Timestamp(start), pd.Timestamp(end)

    def run() -> dict[str, Any]:
        parts: dict[str, Any] = {}
        o = frames["orders"]
        o = o[o.store_id == store_id]
        day = _local_day(o.placed_at, tz)
        o = o[(day >= a) & (day <= b)]
        paid = o[o.paid_at.notna()]
        same = paid.currency == currency
        parts["daily"] = (len(paid), paid.total_amount[same].sum())
        parts["orders"] = (len(paid), paid.buyer_id.nunique(), paid.total_amount[same].sum())
        t = frames["listing_traffic_daily"]
        t = t[t.store_id == store_id]
        tday = pd.to_datetime(t.day)
        t = t[(tday >= a) & (tday <= b)]
        parts["traffic"] = (
            t.impressions.sum(),
            t.clicks.sum(),
            t.add_to_cart.sum(),
            t.favourites.sum(),
        )
        parts["sources"] = list(t.groupby("source").visitors.sum().items())
        v = frames["visitor_country_daily"]
        v = v[v.store_id == store_id]
        vday = pd.to_datetime(v.day)
        parts["visitors"] = (v[(vday >= a) & (vday <= b)].visitors.sum(),)

        def events(name: str, column: str) -> pd.DataFrame:
            f = frames[name]
            f = f[f.store_id == store_id]
            d = _local_day(f[column], tz)
            return f[(d >= a) & (d <= b)]

        parts["refunds"] = (len(events("refund_requests", "requested_at")),)
        r = events("reviews", "created_at")
        parts["reviews"] = (len(r), int((r.rating >= 4).sum()), int((r.rating <= 2).sum()))
        parts["complaints"] = (len(events("complaints", "opened_at")),)
        s = events("shipments", "shipped_at")
        delivered = s[s.delivered_at.notna()]
        parts["shipments"] = (
            len(delivered),
            int((delivered.delivered_at > delivered.promised_by).sum()),
        )
        ads = frames["ad_keyword_daily"]
        ads = ads[ads.store_id == store_id].merge(
            frames["ad_campaigns"], left_on="campaign_id", right_on="id"
        )
        aday = pd.to_datetime(ads.day)
        ads = ads[(aday >= a) & (aday <= b) & (ads.currency == currency)]
        parts["ads"] = (ads.spend_amount.sum(), ads.sales_amount.sum())
        parts["countries"] = list(paid.groupby("country").size().items())
        lines = frames["order_lines"]
        lines = lines[lines.store_id == store_id].merge(
            paid[["id"]], left_on="order_id", right_on="id"
        )
        lines = lines[lines.currency == currency]
        parts["products"] = list(lines.groupby("listing_id").line_amount.sum().items())
        return figures_from(parts)

    cold, values = _timed(run)
    warm = statistics.median(_timed(run)[0] for _ in range(ARGS.repeat))
    return cold, warm, values


# --- incremental sync ----------------------------------------------------------------------------


def add_order_lines(engine: Any, backend: str, lines: int) -> tuple[int, int]:
    """Copy the newest orders (with their lines) as new orders a day later: ``lines`` lines."""
    with engine.begin() as conn:
        max_order = conn.execute(text("SELECT max(id) FROM orders")).scalar_one()
        max_line = conn.execute(text("SELECT max(id) FROM order_lines")).scalar_one()
        edge = conn.execute(
            text("SELECT order_id FROM order_lines ORDER BY id DESC LIMIT 1 OFFSET :n"),
            {"n": lines - 1},
        ).scalar_one()
        shift = "+ 86400000000" if backend == "sqlite" else "+ interval '1 day'"
        cols = (
            "store_id, buyer_id, kind, status, country, currency, subtotal_amount, shipping_amount, "
            "discount_amount, total_amount, traffic_source, promotion_id, live_stream_id"
        )
        stamps = (
            "placed_at",
            "paid_at",
            "shipped_at",
            "delivered_at",
            "cancelled_at",
            "refunded_at",
        )
        shifted = ", ".join(f"{c} {shift}" for c in stamps)
        conn.execute(
            text(
                f"INSERT INTO orders (id, external_id, {cols}, {', '.join(stamps)}) "
                f"SELECT id + :off, 'BENCH-' || id, {cols}, {shifted} FROM orders WHERE id >= :edge"
            ),
            {"off": max_order, "edge": edge},
        )
        result = conn.execute(
            text(
                "INSERT INTO order_lines (id, order_id, store_id, listing_id, sku_id, quantity, "
                "unit_price_amount, line_amount, currency) SELECT id + :loff, order_id + :off, "
                "store_id, listing_id, sku_id, quantity, unit_price_amount, line_amount, currency "
                "FROM order_lines WHERE order_id >= :edge"
            ),
            {"loff": max_line, "off": max_order, "edge": edge},
        )
        orders = max_order - edge + 1
        return orders, int(result.rowcount)


# --- main ----------------------------------------------------------------------------------------


def main() -> None:
    workdir: Path = ARGS.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    scale = parse_scale(ARGS.scale)
    base = workdir / f"ops-{ARGS.scale}.db"
    if not base.exists():
        url = f"sqlite:///{base}"
        upgrade(url)
        engine = make_engine(url)
        seconds, _ = _timed(lambda: simulate(engine, seed=1, scale=scale, company_name="Bench Co"))
        engine.dispose()
        out.print(f"simulated {ARGS.scale} into {base} in {seconds:.1f} s")
    work = workdir / f"ops-{ARGS.scale}-work.db"
    shutil.copyfile(base, work)
    url = f"sqlite:///{work}"
    engine = make_engine(url)
    warehouse = workdir / f"warehouse-{ARGS.scale}.duckdb"
    rebuild_s, report = _timed(lambda: rebuild_warehouse(url, warehouse))
    out.print(f"warehouse rebuilt: {report.rows_read:,} rows in {rebuild_s:.1f} s")

    with engine.connect() as conn:
        store_id, company_id, currency, tz = conn.execute(
            text(
                "SELECT s.id, s.company_id, s.currency, s.timezone FROM stores s "
                "JOIN orders o ON o.store_id = s.id GROUP BY s.id, s.company_id, s.currency, "
                "s.timezone ORDER BY count(*) DESC LIMIT 1"
            )
        ).one()
        lines_of_store = conn.execute(
            text("SELECT count(*) FROM order_lines WHERE store_id = :s"), {"s": store_id}
        ).scalar_one()
    con = duckdb.connect(str(warehouse), read_only=True)
    end = con.execute("SELECT max(day) FROM fact_orders WHERE store_id = ?", [store_id]).fetchall()[
        0
    ][0]
    con.close()
    start = end.replace(year=end.year - 2) + dt.timedelta(days=1)
    out.print(f"store {store_id} ({lines_of_store:,} order lines), {start} – {end}")

    reg_cold, reg_warm, reg_values, page_warm = registry_figures(
        engine, warehouse, store_id, company_id, start, end
    )
    sql_cold, sql_warm, sql_values = hand_sql_figures(warehouse, store_id, currency, start, end)
    load_s, frames = _timed(lambda: load_pandas(url))
    pd_cold, pd_warm, pd_values = pandas_figures(frames, store_id, currency, tz, start, end)
    for name, values in (("hand-written SQL", sql_values), ("pandas", pd_values)):
        if values != reg_values:
            diff = {
                k: (reg_values.get(k), values.get(k))
                for k in reg_values
                if reg_values.get(k) != values.get(k)
            }
            raise SystemExit(f"{name} disagrees with the registry: {diff}")
    out.print("the three implementations give the same figures")

    orders_added, lines_added = add_order_lines(engine, "sqlite", ARGS.new_lines)
    sync_s, synced = _timed(lambda: sync_warehouse(url, warehouse))
    engine.dispose()

    load = os.getloadavg()
    table = Table(
        title=f"analytics benchmark, scale {ARGS.scale} (load average {load[0]:.1f} on "
        f"{os.cpu_count()} CPUs)"
    )
    for column in ("what", "cold s", "warm s", "ratio (warm)"):
        table.add_column(column)
    table.add_row("registry (Ibis on DuckDB)", f"{reg_cold:.3f}", f"{reg_warm:.3f}", "1.00")
    table.add_row(
        "hand-written DuckDB SQL",
        f"{sql_cold:.3f}",
        f"{sql_warm:.3f}",
        f"registry / SQL = {reg_warm / sql_warm:.2f}",
    )
    table.add_row(
        "pandas (data in memory)",
        f"{pd_cold:.3f}",
        f"{pd_warm:.3f}",
        f"pandas / registry = {pd_warm / reg_warm:.1f}",
    )
    table.add_row("pandas: loading the tables", f"{load_s:.3f}", "", "")
    table.add_row("dashboard page (5 reports)", "", f"{page_warm:.3f}", "target < 1 s")
    table.add_row(
        f"sync of {lines_added:,} new lines ({orders_added:,} orders)",
        f"{sync_s:.3f}",
        "",
        "target < 5 s",
    )
    out.print(table)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {
        "scale": ARGS.scale,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average": load},
        "store_order_lines": lines_of_store,
        "period": [start.isoformat(), end.isoformat()],
        "warehouse_rebuild_s": rebuild_s,
        "registry": {"cold_s": reg_cold, "warm_s": reg_warm},
        "hand_sql": {"cold_s": sql_cold, "warm_s": sql_warm},
        "pandas": {"cold_s": pd_cold, "warm_s": pd_warm, "load_s": load_s},
        "ratio_registry_to_sql_warm": reg_warm / sql_warm,
        "ratio_pandas_to_registry_warm": pd_warm / reg_warm,
        "dashboard_page_warm_s": page_warm,
        "incremental_sync": {"lines": lines_added, "orders": orders_added, "seconds": sync_s,
                             "rows_read": synced.rows_read},
    }  # fmt: skip
    path = RESULTS_DIR / f"analytics-{ARGS.scale}-{stamp}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    out.print(f"written to {path.relative_to(REPO)}")


parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument(
    "--scale",
    default="small",
    help="simulator scale: tiny, small, medium, large or a number of order lines",
)
parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench")
parser.add_argument("--repeat", type=int, default=5, help="warm runs (the median is reported)")
parser.add_argument(
    "--new-lines", type=int, default=100_000, help="order lines added before the incremental sync"
)
ARGS = parser.parse_args() if __name__ == "__main__" else parser.parse_args([])

if __name__ == "__main__":
    main()
