"""Computing the registry's metrics for one store and period on the warehouse.

Every query is one Ibis aggregate per source table, filtered to the store and the store-local
days of the period; ratios are divided here with exact decimals. A value that cannot be computed
(zero denominator, a breakdown the metric has no column for) is ``None`` shown as "—" with the
reason, never NaN.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend
from ibis.backends.duckdb import Backend as DuckDBBackend
from sqlalchemy.orm import Session

from storeops.analytics.registry import (
    BY_CHOICES,
    BY_TIME,
    MEASURES,
    SOURCES,
    MeasureContext,
    Metric,
    Ranking,
    Unit,
    group_key,
    resolve,
)
from storeops.analytics.warehouse import WarehouseError, default_warehouse_path
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.errors import InvalidInput
from storeops.stores.models import Store
from storeops.types import Money

DASH = "—"
MAX_PERIOD_DAYS = 6 * 366
_RATIO_PLACES = Decimal("0.000001")


@dataclass(frozen=True, slots=True)
class Figure:
    """One value of one metric (for one group of ``--by``, or the whole period)."""

    metric: Metric
    group: str | None
    value: int | Decimal | None  # counts and money: int (minor units); ratios: Decimal 0..n
    currency: str | None
    reason: str | None = None

    @property
    def display(self) -> str:
        """The value for people: "1,234", "33.33 USD", "5.00 %", "4.00×" or "—"."""
        return format_value(self.metric.unit, self.value, self.currency)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly: money in major units as an exact decimal string, ratios as 0..1."""
        return {
            "metric": self.metric.slug,
            "name": self.metric.name_en,
            "name_zh": self.metric.name_zh,
            "unit": self.metric.unit.value,
            "group": self.group,
            "value": json_value(self.metric.unit, self.value, self.currency),
            "currency": self.currency if self.metric.unit == Unit.MONEY else None,
            "display": self.display,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class RankRow:
    """One key of a ranking with its value and share of the total."""

    ranking: Ranking
    rank: int
    key: str
    label: str
    value: int
    share: Decimal | None
    currency: str | None

    @property
    def display(self) -> str:
        return format_value(self.ranking.unit, self.value, self.currency)

    def as_dict(self) -> dict[str, Any]:
        return {
            "metric": self.ranking.slug,
            "rank": self.rank,
            "key": self.key,
            "label": self.label,
            "value": json_value(self.ranking.unit, self.value, self.currency),
            "share": str(self.share) if self.share is not None else None,
            "display": self.display,
        }


@dataclass(slots=True)
class MetricReport:
    """What ``compute_metrics`` returns."""

    store_id: int
    store_name: str
    currency: str
    timezone: str
    start: dt.date
    end: dt.date
    by: str | None
    figures: list[Figure] = field(default_factory=list)
    rankings: dict[str, list[RankRow]] = field(default_factory=dict)

    def value(self, slug: str, group: str | None = None) -> int | Decimal | None:
        """The value of ``slug`` (for ``group``); ``KeyError`` if it was not computed."""
        for figure in self.figures:
            if figure.metric.slug == slug and figure.group == group:
                return figure.value
        raise KeyError((slug, group))

    def figure(self, slug: str, group: str | None = None) -> Figure:
        for figure in self.figures:
            if figure.metric.slug == slug and figure.group == group:
                return figure
        raise KeyError((slug, group))


def format_value(unit: Unit, value: int | Decimal | None, currency: str | None) -> str:
    """A value as people read it; "—" for ``None``."""
    if value is None:
        return DASH
    if unit == Unit.MONEY:
        assert currency is not None
        return str(Money(int(value), currency))
    if unit == Unit.PERCENT:
        return f"{Decimal(value) * 100:.2f} %"
    if unit == Unit.MULTIPLE:
        return f"{Decimal(value):.2f}×"
    return f"{int(value):,}"


def json_value(unit: Unit, value: int | Decimal | None, currency: str | None) -> Any:
    if value is None:
        return None
    if unit == Unit.MONEY:
        assert currency is not None
        return str(Money(int(value), currency).decimal)
    if unit in {Unit.PERCENT, Unit.MULTIPLE}:
        return str(Decimal(value).quantize(_RATIO_PLACES, rounding=ROUND_HALF_EVEN))
    return int(value)


@contextmanager
def open_warehouse(path: Path | None = None) -> Iterator[DuckDBBackend]:
    """A read-only Ibis connection to the warehouse; ``WarehouseError`` if it was never synced."""
    target = path or default_warehouse_path()
    if not target.exists():
        raise WarehouseError(
            f"no warehouse at {target}: run `storeops warehouse sync` first", field="warehouse"
        )
    try:
        con = ibis.duckdb.connect(str(target), read_only=True)
    except Exception as exc:  # duckdb.IOException: locked by a writer in another process
        raise WarehouseError(f"cannot open the warehouse at {target}: {exc}") from None
    try:
        yield con
    finally:
        con.disconnect()


def check_period(start: dt.date, end: dt.date) -> None:
    """``InvalidInput`` unless ``start <= end`` and the period is at most six years."""
    if start > end:
        raise InvalidInput(f"the period starts ({start}) after it ends ({end})", field="from")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidInput(f"a period is at most {MAX_PERIOD_DAYS} days", field="to")


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before ``start``..``end``."""
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


def latest_day(reader: BaseBackend, store_id: int) -> dt.date | None:
    """The last store-local day with an order of the store in the warehouse (dashboards end there)."""
    t = reader.table("fact_orders")
    value = t.filter(t.store_id == store_id).day.max().to_pyarrow().as_py()
    return value if isinstance(value, dt.date) else None


def _filtered(reader: BaseBackend, source: str, store_id: Any, start: Any, end: Any) -> ir.Table:
    t = reader.table(SOURCES[source].table)
    return t.filter(t.store_id == store_id, t.day >= start, t.day <= end)


# Compiling an Ibis expression costs more than running it on a dashboard's data (about 13 ms
# against 3 ms per query), and the expressions only differ in store, period and currency. So each
# one is compiled once with sentinel values that are then turned into DuckDB parameters: the
# metric is still defined once, as an Ibis expression, and runs as a prepared statement.
_SENTINEL_STORE = -900_000_000_000_000_001
_SENTINEL_START = dt.date(1901, 2, 3)
_SENTINEL_END = dt.date(1901, 2, 4)
_SENTINEL_CURRENCY = "Q9Z"
_PLACEHOLDERS = (
    (str(_SENTINEL_STORE), "$store"),
    ("MAKE_DATE(1901, 2, 3)", "$start"),
    ("MAKE_DATE(1901, 2, 4)", "$end"),
    ("'Q9Z'", "$currency"),
)
_compiled: dict[tuple[Any, ...], tuple[str, frozenset[str]]] = {}
_SENTINEL_CONTEXT = MeasureContext(currency=_SENTINEL_CURRENCY)


def _prepared(
    reader: BaseBackend,
    key: tuple[Any, ...],
    build: Callable[[ir.Table, MeasureContext], ir.Table],
    source: str,
) -> tuple[str, frozenset[str]]:
    """The DuckDB SQL of ``build`` over ``source`` with $store/$start/$end/$currency parameters."""
    found = _compiled.get(key)
    if found is None:
        t = _filtered(reader, source, _SENTINEL_STORE, _SENTINEL_START, _SENTINEL_END)
        sql = str(reader.compile(build(t, _SENTINEL_CONTEXT)))
        used: set[str] = set()
        for sentinel, placeholder in _PLACEHOLDERS:
            if sentinel in sql:
                sql = sql.replace(sentinel, placeholder)
                used.add(placeholder[1:])
        if not {"store", "start", "end"} <= used or "1901" in sql:
            raise RuntimeError(f"cannot parameterise the compiled SQL of {key}: {sql}")
        found = (sql, frozenset(used))
        _compiled[key] = found
    return found


PREPARE = True  # False: run every expression through Ibis directly (any backend; tests compare)


def _rows(
    reader: BaseBackend,
    key: tuple[Any, ...],
    build: Callable[[ir.Table, MeasureContext], ir.Table],
    source: str,
    *,
    store_id: int,
    start: dt.date,
    end: dt.date,
    currency: str,
) -> list[dict[str, Any]]:
    if not PREPARE or not isinstance(reader, DuckDBBackend):
        expr = build(_filtered(reader, source, store_id, start, end), MeasureContext(currency))
        direct: list[dict[str, Any]] = expr.to_pyarrow().to_pylist()
        return direct
    sql, used = _prepared(reader, key, build, source)
    values = {"store": store_id, "start": start, "end": end, "currency": currency}
    cursor = reader.con.cursor()
    try:
        table = cursor.execute(sql, {k: v for k, v in values.items() if k in used}).to_arrow_table()
    finally:
        cursor.close()
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def _group_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _store_in_warehouse(reader: BaseBackend, store_id: int) -> None:
    if isinstance(reader, DuckDBBackend):
        sql = "SELECT count(*) FROM ops_stores WHERE id = $id"
        found = reader.con.execute(sql, {"id": store_id}).fetchall()[0][0]
    else:
        stores = reader.table("ops_stores")
        found = stores.filter(stores.id == store_id).count().to_pyarrow().as_py()
    if not found:
        raise WarehouseError(
            f"store {store_id} is not in the warehouse yet: run `storeops warehouse sync`",
            field="store",
        )


def _measure_values(
    reader: BaseBackend,
    names: set[str],
    *,
    store_id: int,
    start: dt.date,
    end: dt.date,
    by: str | None,
    context: MeasureContext,
) -> dict[str, dict[str | None, int]]:
    """measure -> group -> value, one query per source."""
    per_source: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names):
        per_source[MEASURES[name].source].append(name)
    values: dict[str, dict[str | None, int]] = {name: {} for name in names}
    for source, measure_names in per_source.items():
        if by is not None and by not in BY_TIME and by not in SOURCES[source].dims:
            continue

        def build(
            t: ir.Table, ctx: MeasureContext, names: list[str] = measure_names, src: str = source
        ) -> ir.Table:
            aggs = {n: MEASURES[n].expr(t, ctx) for n in names}
            key = group_key(t, by, src)
            return t.aggregate(**aggs) if key is None else t.group_by(_g=key).aggregate(**aggs)

        rows = _rows(
            reader, ("measures", source, tuple(measure_names), by), build, source,
            store_id=store_id, start=start, end=end, currency=context.currency,
        )  # fmt: skip
        for row in rows:
            group = _group_text(row.pop("_g")) if by is not None else None
            for n, v in row.items():
                values[n][group] = int(v or 0)
    return values


def _figure(
    metric: Metric, group: str | None, values: dict[str, dict[str | None, int]], currency: str
) -> Figure:
    money = currency if metric.unit == Unit.MONEY else None
    numerator = values[metric.numerator].get(group, 0)
    if metric.denominator is None:
        return Figure(metric, group, numerator, money)
    denominator = values[metric.denominator].get(group, 0)
    if denominator == 0:
        return Figure(metric, group, None, money, metric.empty_reason)
    ratio = Decimal(numerator) / Decimal(denominator)
    if metric.unit in {Unit.MONEY, Unit.COUNT}:  # averages in whole minor units / whole units
        return Figure(
            metric, group, int(ratio.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)), money
        )
    return Figure(metric, group, ratio, money)


def _ranking_rows(
    reader: BaseBackend,
    ranking: Ranking,
    *,
    store_id: int,
    start: dt.date,
    end: dt.date,
    context: MeasureContext,
) -> list[RankRow]:

    def build(t: ir.Table, ctx: MeasureContext) -> ir.Table:
        return t.group_by(_k=t[ranking.key]).aggregate(_v=ranking.value(t, ctx))

    rows = _rows(
        reader, ("ranking", ranking.slug), build, ranking.source,
        store_id=store_id, start=start, end=end, currency=context.currency,
    )  # fmt: skip
    raw = [(r["_k"], int(r["_v"] or 0)) for r in rows]
    raw = [(k, v) for k, v in raw if v]
    raw.sort(key=lambda kv: (-kv[1], str(kv[0])))
    total = sum(v for _, v in raw)
    top = raw[: ranking.limit]
    labels: dict[Any, str] = {}
    if ranking.key == "listing_id" and top:
        ids = [int(k) for k, _ in top]
        if isinstance(reader, DuckDBBackend):
            found = reader.con.execute(
                "SELECT id, title FROM ops_listings WHERE id IN (SELECT unnest($ids))", {"ids": ids}
            ).fetchall()
        else:
            listings = reader.table("ops_listings")
            chosen = listings.filter(listings.id.isin(ids)).select("id", "title")
            found = [(r["id"], r["title"]) for r in chosen.to_pyarrow().to_pylist()]
        labels = {row[0]: row[1] for row in found}
    money = context.currency if ranking.unit == Unit.MONEY else None
    return [
        RankRow(
            ranking,
            i + 1,
            str(k),
            labels.get(k, str(k)),
            v,
            (Decimal(v) / Decimal(total)).quantize(_RATIO_PLACES) if total else None,
            money,
        )
        for i, (k, v) in enumerate(top)
    ]


def compute_metrics(
    session: Session,
    *,
    actor: Actor,
    reader: BaseBackend,
    store_id: int,
    start: dt.date,
    end: dt.date,
    metrics: list[str] | None = None,
    by: str | None = None,
) -> MetricReport:
    """6.1.3 / 6.1.6 / 6.1.7 / 6.1.9 / 6.2.1 / 6.2.4 / 6.2.5 The store's figures for a period.

    ``metrics`` are registry slugs (all when empty); ``by`` cuts them by day, week, month,
    country, source or sku where the metric's data has that column.
    """
    actor.require(Permission.ANALYTICS_READ)
    store = get_scoped(session, Store, store_id, actor, what="store")
    check_period(start, end)
    if by is not None and by not in BY_CHOICES:
        raise InvalidInput(
            f"cannot break figures down by {by!r}: use one of {', '.join(BY_CHOICES)}", field="by"
        )
    chosen, rankings = resolve(metrics)
    _store_in_warehouse(reader, store.id)
    context = MeasureContext(currency=store.currency)
    report = MetricReport(store.id, store.name, store.currency, store.timezone, start, end, by)
    available = [m for m in chosen if by is None or by in m.dims()]
    names = {n for m in available for n in m.measures}
    values = _measure_values(
        reader, names, store_id=store.id, start=start, end=end, by=by, context=context
    )
    for metric in chosen:
        if metric not in available:
            report.figures.append(
                Figure(metric, None, None, None, f"not broken down by {by}: its data has no {by}")
            )
            continue
        groups: set[str | None] = {None} if by is None else set()
        if by is not None:
            for name in metric.measures:
                groups |= set(values[name])
        for group in sorted(groups, key=lambda g: g or ""):
            report.figures.append(_figure(metric, group, values, store.currency))
    for ranking in rankings:
        report.rankings[ranking.slug] = _ranking_rows(
            reader, ranking, store_id=store.id, start=start, end=end, context=context
        )
    return report


@dataclass(frozen=True, slots=True)
class OrderRow:
    """One order behind the figures (drill-down)."""

    order_id: int
    external_id: str
    day: dt.date
    status: str
    country: str
    traffic_source: str
    amount: Money
    line_count: int
    units: int


def order_rows(
    session: Session,
    *,
    actor: Actor,
    reader: BaseBackend,
    store_id: int,
    start: dt.date,
    end: dt.date,
    paid_only: bool = False,
    limit: int = 200,
) -> list[OrderRow]:
    """6.1.6 / 6.2.1 The orders of the period behind the figures, newest first (drill-down)."""
    actor.require(Permission.ANALYTICS_READ)
    store = get_scoped(session, Store, store_id, actor, what="store")
    check_period(start, end)
    facts = reader.table("fact_orders")
    orders = reader.table("ops_orders").select("id", "external_id")
    t = facts.filter(facts.store_id == store.id, facts.day >= start, facts.day <= end)
    if paid_only:
        t = t.filter(t.is_paid)
    joined = t.join(orders, t.order_id == orders.id)
    chosen = joined.order_by([ibis.desc("placed_at"), ibis.desc("order_id")]).limit(limit)
    return [
        OrderRow(
            int(r["order_id"]),
            str(r["external_id"]),
            r["day"],
            str(r["status"]),
            str(r["country"]),
            str(r["traffic_source"]),
            Money(int(r["total_amount"]), r["currency"]),
            int(r["line_count"]),
            int(r["units"]),
        )
        for r in chosen.to_pyarrow().to_pylist()
    ]
