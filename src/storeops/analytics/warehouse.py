"""The analytics warehouse: a DuckDB file filled from the ops database through Arrow (ADBC).

The ops database (SQLite or PostgreSQL) stays the source of truth; the warehouse is derived and
can be rebuilt at any time. ``sync_warehouse`` copies only what is new or changed since the last
watermark of each table; ``rebuild_warehouse`` starts from an empty file. Both end in the same
tables (``tests/analytics/test_warehouse.py`` checks it on both backends).

Layout (see ``docs/analytics.md``):

* ``ops_<table>``: typed mirrors of the ops tables the metrics read, every timestamp a DuckDB
  ``TIMESTAMP`` holding UTC (SQLite stores microseconds since the epoch, PostgreSQL
  ``timestamptz``: both arrive as the same type).
* ``fact_orders``: one row per order, with the store-local day it was placed, its line count
  and units, and flags from refunds, disputes and shipments.
* ``fact_order_lines``: one row per order line, with its order's day, status and dimensions.
* ``daily_orders``: orders and amounts per store, local day, country and traffic source.
* views ``v_*``: refunds, disputes, reviews, complaints, shipments, inquiries with local days.

Incremental rules, per table (``TABLES``): rows with an id above the last synced id are new;
rows whose change timestamps (e.g. ``paid_at``, ``resolved_at``) are at or after the table's
watermark are changed; daily tables re-read a restatement window of their last
``RESTATEMENT_DAYS`` days, as platforms restate recent days. Small tables are re-read whole.
Rows deleted from the ops database disappear only on ``rebuild`` (documented limitation).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa
from sqlalchemy.engine import make_url

from storeops.errors import DomainError, InvalidInput

Kind = Literal["int", "str", "ts", "date", "bool"]
Mode = Literal["full", "append", "changed", "daily"]

RESTATEMENT_DAYS = 3
# bump when the warehouse's tables change shape: an older file is then refused until rebuilt
SCHEMA_VERSION = "1"
# Changes are looked for among orders placed in the last CHANGE_WINDOW_DAYS before the watermark
# (and their refunds, disputes, complaints, shipments): through the primary key and the order-id
# indexes instead of a scan of every order. Later changes to older orders need a rebuild.
CHANGE_WINDOW_DAYS = 180
_DUCK_TYPES: dict[str, str] = {
    "int": "BIGINT",
    "str": "VARCHAR",
    "ts": "TIMESTAMP",
    "date": "DATE",
    "bool": "BOOLEAN",
}
# SQLite's ADBC driver infers a column's type from the first batch: one batch per table keeps a
# nullable text column whose first rows are NULL from failing later with a type mismatch.
_SQLITE_BATCH_ROWS = 1 << 30


class WarehouseError(DomainError):
    """The warehouse cannot do what was asked (not synced, other source, locked)."""

    code = "warehouse_error"
    kind = "conflict"


@dataclass(frozen=True, slots=True)
class SourceTable:
    """One ops table mirrored into the warehouse and how its changes are found."""

    name: str
    columns: tuple[tuple[str, Kind], ...]
    mode: Mode
    changed_by: tuple[str, ...] = ()  # timestamp columns marking a change (mode "changed")
    day_column: str = "day"  # mode "daily"
    local_day_of: str | None = None  # a timestamp column: its store-local date becomes ``day``
    order_anchor: str | None = None  # the column holding the order id (changes looked up by it)

    @property
    def target(self) -> str:
        return f"ops_{self.name}"


def _cols(spec: str) -> tuple[tuple[str, Kind], ...]:
    out: list[tuple[str, Kind]] = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        out.append((name, kind or "int"))  # type: ignore[arg-type]
    return tuple(out)


TABLES: tuple[SourceTable, ...] = (
    SourceTable(
        "stores",
        _cols(
            "id company_id name:str platform:str business_model:str site:str currency:str "
            "timezone:str"
        ),
        "full",
    ),
    SourceTable(
        "listings",
        _cols(
            "id store_id product_id title:str price_amount currency:str status:str "
            "video_count image_count listed_on:date updated_on:date"
        ),
        "full",
    ),
    SourceTable("ad_campaigns", _cols("id store_id name:str kind:str currency:str"), "full"),
    SourceTable(
        "buyers",
        _cols("id store_id kind:str country:str source:str first_seen_at:ts"),
        "append",
        local_day_of="first_seen_at",
    ),
    SourceTable(
        "orders",
        _cols(
            "id store_id external_id:str buyer_id kind:str status:str country:str currency:str "
            "subtotal_amount shipping_amount discount_amount total_amount traffic_source:str "
            "promotion_id live_stream_id placed_at:ts paid_at:ts shipped_at:ts delivered_at:ts "
            "cancelled_at:ts refunded_at:ts"
        ),
        "changed",
        changed_by=(
            "placed_at",
            "paid_at",
            "shipped_at",
            "delivered_at",
            "cancelled_at",
            "refunded_at",
        ),
        order_anchor="id",
    ),
    SourceTable(
        "order_lines",
        _cols(
            "id order_id store_id listing_id sku_id quantity unit_price_amount line_amount currency:str"
        ),
        "append",
    ),
    SourceTable(
        "refund_requests",
        _cols(
            "id store_id order_id reason:str amount currency:str requested_at:ts resolved_at:ts "
            "status:str"
        ),
        "changed",
        changed_by=("requested_at", "resolved_at"),
        local_day_of="requested_at",
        order_anchor="order_id",
    ),
    SourceTable(
        "disputes",
        _cols(
            "id store_id order_id reason:str opened_at:ts escalated_at:ts arbitrated_at:ts "
            "closed_at:ts seller_responsible:bool status:str"
        ),
        "changed",
        changed_by=("opened_at", "escalated_at", "arbitrated_at", "closed_at"),
        local_day_of="opened_at",
        order_anchor="order_id",
    ),
    SourceTable(
        "reviews",
        _cols("id store_id order_id listing_id buyer_id rating image_count created_at:ts"),
        "append",
        local_day_of="created_at",
    ),
    SourceTable(
        "complaints",
        _cols(
            "id store_id order_id buyer_id reason:str opened_at:ts resolved_at:ts status:str "
            "seller_at_fault:bool"
        ),
        "changed",
        changed_by=("opened_at", "resolved_at"),
        local_day_of="opened_at",
        order_anchor="order_id",
    ),
    SourceTable(
        "shipments",
        _cols("id store_id order_id shipped_at:ts promised_by:ts delivered_at:ts status:str"),
        "changed",
        changed_by=("shipped_at", "delivered_at"),
        local_day_of="shipped_at",
        order_anchor="order_id",
    ),
    SourceTable(
        "inquiries",
        _cols(
            "id store_id buyer_id listing_id channel:str received_at:ts first_reply_at:ts "
            "replied_by_user_id status:str"
        ),
        "changed",
        changed_by=("received_at", "first_reply_at"),
        local_day_of="received_at",
    ),
    SourceTable(
        "listing_traffic_daily",
        _cols(
            "id store_id listing_id day:date source:str impressions clicks visitors page_views "
            "add_to_cart favourites"
        ),
        "daily",
    ),
    SourceTable(
        "visitor_country_daily",
        _cols("id store_id day:date country:str visits visitors new_visitors"),
        "daily",
    ),
    SourceTable(
        "ad_keyword_daily",
        _cols(
            "id store_id campaign_id day:date keyword:str impressions clicks spend_amount orders "
            "sales_amount"
        ),
        "daily",
    ),
    SourceTable(
        "search_term_daily",
        _cols("id store_id listing_id day:date keyword:str impressions clicks"),
        "daily",
    ),
    SourceTable(
        "video_daily",
        _cols(
            "id store_id asset_id day:date impressions plays effective_plays viewers "
            "complete_plays clicks watch_seconds"
        ),
        "daily",
    ),
    # quote statuses change without a timestamp: re-read whole (B2B volumes are small)
    SourceTable(
        "quotes",
        _cols(
            "id store_id buyer_id inquiry_id rfq_id created_by_user_id currency:str amount "
            "created_at:ts status:str"
        ),
        "full",
        local_day_of="created_at",
    ),
)
TABLES_BY_NAME = {t.name: t for t in TABLES}


@dataclass(slots=True)
class TableSync:
    """What one sync did to one table."""

    table: str
    rows_read: int
    seconds: float


@dataclass(slots=True)
class SyncReport:
    """What a sync or rebuild did."""

    path: Path
    full: bool
    tables: list[TableSync] = field(default_factory=list)
    orders_refreshed: int = 0
    facts_seconds: float = 0.0
    commit_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def rows_read(self) -> int:
        return sum(t.rows_read for t in self.tables)


def default_warehouse_path() -> Path:
    """``warehouse.duckdb`` in the data directory."""
    from storeops.config import get_settings

    return get_settings().data_dir / "warehouse.duckdb"


def _source_fingerprint(url: str) -> str:
    """A stable id of the ops database (URL without the password), so a warehouse is not mixed."""
    parsed = make_url(url)
    plain = parsed.set(password=None).render_as_string(hide_password=True)
    return hashlib.sha256(plain.encode()).hexdigest()[:16]


# --- reading the ops database ----------------------------------------------------------------


class _Source:
    """An ADBC connection to the ops database and the SQL dialect details it needs."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.backend = parsed.get_backend_name()
        if self.backend == "sqlite":
            import adbc_driver_sqlite.dbapi as sqlite_adbc

            path = parsed.database
            if not path or path == ":memory:":
                raise InvalidInput("the warehouse needs a SQLite file, not an in-memory database")
            if not Path(path).exists():
                raise InvalidInput(f"no ops database at {path}; run `storeops init` first")
            self.conn: Any = sqlite_adbc.connect(f"file:{path}?mode=ro", autocommit=True)
        elif self.backend == "postgresql":
            import adbc_driver_postgresql.dbapi as pg_adbc

            uri = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
            self.conn = pg_adbc.connect(uri, autocommit=True)
        else:
            raise InvalidInput(f"the warehouse reads SQLite or PostgreSQL, not {self.backend}")

    def close(self) -> None:
        self.conn.close()

    def ts_literal(self, value: dt.datetime) -> str:
        """A timestamp literal comparable with a ``UTCDateTime`` column on this backend."""
        from storeops.db import epoch_microseconds

        aware = value.replace(tzinfo=dt.UTC)
        if self.backend == "sqlite":
            return str(epoch_microseconds(aware))
        return f"TIMESTAMPTZ '{aware.isoformat()}'"

    def date_literal(self, value: dt.date) -> str:
        return f"'{value.isoformat()}'" if self.backend == "sqlite" else f"DATE '{value}'"

    def read(self, sql: str) -> pa.Table:
        cursor = self.conn.cursor()
        try:
            if self.backend == "sqlite":
                from adbc_driver_sqlite import StatementOptions

                cursor.adbc_statement.set_options(
                    **{StatementOptions.BATCH_ROWS.value: str(_SQLITE_BATCH_ROWS)}
                )
            cursor.execute(sql)
            table: pa.Table = cursor.fetch_arrow_table()
            return table
        finally:
            cursor.close()


def _select_sql(spec: SourceTable, where: str) -> str:
    names = ", ".join(name for name, _ in spec.columns)
    return f"SELECT {names} FROM {spec.name}{where}"


def _cast_sql(spec: SourceTable, backend: str) -> str:
    """The DuckDB select list turning a staged Arrow table into the warehouse column types."""
    parts: list[str] = []
    for name, kind in spec.columns:
        if kind == "ts" and backend == "sqlite":
            parts.append(f"make_timestamp(CAST({name} AS BIGINT)) AS {name}")
        elif kind == "ts":
            parts.append(f"CAST({name} AS TIMESTAMP) AS {name}")
        elif kind in {"date", "str"}:
            # through VARCHAR: an all-NULL SQLite column arrives as int64
            parts.append(f"CAST(CAST({name} AS VARCHAR) AS {_DUCK_TYPES[kind]}) AS {name}")
        else:
            parts.append(f"CAST({name} AS {_DUCK_TYPES[kind]}) AS {name}")
    return ", ".join(parts)


# --- the warehouse file ------------------------------------------------------------------------


def connect_warehouse(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to the warehouse file, its session time zone set to UTC."""
    if read_only and not path.exists():
        raise WarehouseError(
            f"no warehouse at {path}: run `storeops warehouse sync` first", field="warehouse"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        raise WarehouseError(f"cannot open the warehouse at {path}: {exc}") from None
    _run(con, "SET TimeZone = 'UTC'")
    return con


def _create_schema(con: duckdb.DuckDBPyConnection) -> None:
    _run(
        con,
        "CREATE TABLE IF NOT EXISTS _sync_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    )
    _run(
        con,
        "CREATE TABLE IF NOT EXISTS _sync_state (table_name VARCHAR PRIMARY KEY, max_id BIGINT, "
        "max_change TIMESTAMP, max_day DATE, synced_at TIMESTAMP)",
    )
    for spec in TABLES:
        cols = ", ".join(f"{n} {_DUCK_TYPES[k]}" for n, k in spec.columns)
        if spec.local_day_of:
            cols += ", day DATE"
        _run(con, f"CREATE TABLE IF NOT EXISTS {spec.target} ({cols})")
    _run(con, _FACT_ORDERS_DDL)
    _run(con, _FACT_LINES_DDL)
    _run(con, _DAILY_ORDERS_DDL)
    for ddl in _VIEWS:
        _run(con, ddl)


_LOCAL_DAY = "CAST(timezone(s.timezone, CAST({col} AS TIMESTAMPTZ)) AS DATE)"

_FACT_ORDERS_DDL = """
CREATE TABLE IF NOT EXISTS fact_orders (
    order_id BIGINT, store_id BIGINT, buyer_id BIGINT, kind VARCHAR, status VARCHAR,
    country VARCHAR, currency VARCHAR, traffic_source VARCHAR, promotion_id BIGINT,
    total_amount BIGINT, subtotal_amount BIGINT, discount_amount BIGINT,
    placed_at TIMESTAMP, paid_at TIMESTAMP, day DATE, paid_day DATE,
    is_paid BOOLEAN, is_received BOOLEAN, line_count BIGINT, units BIGINT,
    refund_requested BOOLEAN, disputed BOOLEAN, shipped BOOLEAN, late_delivery BOOLEAN
)"""

_FACT_ORDERS_SELECT = f"""
SELECT o.id, o.store_id, o.buyer_id, o.kind, o.status, o.country, o.currency, o.traffic_source,
    o.promotion_id, o.total_amount, o.subtotal_amount, o.discount_amount, o.placed_at, o.paid_at,
    {_LOCAL_DAY.format(col="o.placed_at")} AS day,
    {_LOCAL_DAY.format(col="o.paid_at")} AS paid_day,
    o.paid_at IS NOT NULL AS is_paid,
    o.paid_at IS NOT NULL AND o.status NOT IN ('cancelled', 'refunded') AS is_received,
    coalesce(l.line_count, 0), coalesce(l.units, 0),
    r.order_id IS NOT NULL, d.order_id IS NOT NULL, sh.order_id IS NOT NULL,
    coalesce(sh.late, false)
FROM ops_orders o
JOIN ops_stores s ON s.id = o.store_id
LEFT JOIN (SELECT order_id, count(*) AS line_count, sum(quantity) AS units
           FROM ops_order_lines WHERE order_id IN (SELECT order_id FROM _affected)
           GROUP BY order_id) l ON l.order_id = o.id
LEFT JOIN (SELECT DISTINCT order_id FROM ops_refund_requests
           WHERE order_id IN (SELECT order_id FROM _affected)) r ON r.order_id = o.id
LEFT JOIN (SELECT DISTINCT order_id FROM ops_disputes
           WHERE order_id IN (SELECT order_id FROM _affected)) d ON d.order_id = o.id
LEFT JOIN (SELECT order_id, bool_or(delivered_at > promised_by) AS late FROM ops_shipments
           WHERE order_id IN (SELECT order_id FROM _affected) GROUP BY order_id) sh
       ON sh.order_id = o.id
WHERE o.id IN (SELECT order_id FROM _affected)
"""

_FACT_LINES_DDL = """
CREATE TABLE IF NOT EXISTS fact_order_lines (
    line_id BIGINT, order_id BIGINT, store_id BIGINT, listing_id BIGINT, sku_id BIGINT,
    quantity BIGINT, line_amount BIGINT, currency VARCHAR, day DATE, status VARCHAR,
    is_paid BOOLEAN, country VARCHAR, traffic_source VARCHAR, buyer_id BIGINT
)"""

_FACT_LINES_SELECT = """
SELECT l.id, l.order_id, l.store_id, l.listing_id, l.sku_id, l.quantity, l.line_amount,
    l.currency, f.day, f.status, f.is_paid, f.country, f.traffic_source, f.buyer_id
FROM ops_order_lines l JOIN fact_orders f ON f.order_id = l.order_id
WHERE l.order_id IN (SELECT order_id FROM _affected)
"""

_DAILY_ORDERS_DDL = """
CREATE TABLE IF NOT EXISTS daily_orders (
    store_id BIGINT, day DATE, country VARCHAR, traffic_source VARCHAR, currency VARCHAR,
    orders BIGINT, drafted_amount BIGINT, paid_orders BIGINT, paid_amount BIGINT,
    received_orders BIGINT, received_amount BIGINT, units BIGINT
)"""

_DAILY_ORDERS_SELECT = """
SELECT store_id, day, country, traffic_source, currency, count(*),
    sum(total_amount), count(*) FILTER (WHERE is_paid),
    coalesce(sum(total_amount) FILTER (WHERE is_paid), 0),
    count(*) FILTER (WHERE is_received),
    coalesce(sum(total_amount) FILTER (WHERE is_received), 0),
    sum(units)
FROM fact_orders f SEMI JOIN _affected_days a ON a.store_id = f.store_id AND a.day = f.day
GROUP BY ALL
"""

# the store-local ``day`` of events is computed once, at sync (time zone conversion per row
# at query time cost 270 ms for 0.8M shipments); the views only name and derive flags
_VIEWS = (
    "CREATE OR REPLACE VIEW v_refunds AS SELECT * FROM ops_refund_requests",
    """CREATE OR REPLACE VIEW v_disputes AS
    SELECT *, escalated_at IS NOT NULL AS escalated, arbitrated_at IS NOT NULL AS arbitrated,
        coalesce(seller_responsible, false) AS seller_at_fault
    FROM ops_disputes""",
    "CREATE OR REPLACE VIEW v_reviews AS SELECT * FROM ops_reviews",
    "CREATE OR REPLACE VIEW v_complaints AS SELECT * FROM ops_complaints",
    """CREATE OR REPLACE VIEW v_shipments AS
    SELECT *, delivered_at IS NOT NULL AS delivered,
        coalesce(delivered_at > promised_by, false) AS late
    FROM ops_shipments""",
    """CREATE OR REPLACE VIEW v_inquiries AS
    SELECT *, coalesce(first_reply_at <= received_at + INTERVAL 24 HOUR, false) AS replied_in_24h
    FROM ops_inquiries""",
    """CREATE OR REPLACE VIEW v_quotes AS
    SELECT *, status IN ('approved', 'accepted') AS approved FROM ops_quotes""",
    "CREATE OR REPLACE VIEW v_buyers AS SELECT * FROM ops_buyers",
    """CREATE OR REPLACE VIEW v_ads AS
    SELECT a.*, c.currency, c.kind AS campaign_kind
    FROM ops_ad_keyword_daily a JOIN ops_ad_campaigns c ON c.id = a.campaign_id""",
)

# tables whose rows point at orders: a new or changed row refreshes that order's facts
_ORDER_CHILDREN = ("order_lines", "refund_requests", "disputes", "shipments")


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> None:
    """Execute a statement and consume its result (DuckDB 2 refuses new work before that)."""
    con.execute(sql, params).fetchall()


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """The first row of a query (all rows fetched, so the connection is free again)."""
    rows = con.execute(sql, params).fetchall()
    return rows[0] if rows else None


@contextmanager
def _staged(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[None]:
    con.register(name, table)
    try:
        yield
    finally:
        con.unregister(name)


def _state(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, Any, Any]:
    row = _one(
        con, "SELECT max_id, max_change, max_day FROM _sync_state WHERE table_name = ?", [table]
    )
    return (row[0] or 0, row[1], row[2]) if row else (0, None, None)


def _queries(
    spec: SourceTable, source: _Source, con: duckdb.DuckDBPyConnection, min_order: int | None
) -> list[str] | None:
    """The ops-side reads of new and changed rows, each able to use an index; ``None``: all."""
    if spec.mode == "full":
        return None
    max_id, max_change, max_day = _state(con, spec.name)
    if not max_id:
        return None
    queries = [_select_sql(spec, f" WHERE id > {int(max_id)}")]
    if spec.mode == "changed" and max_change is not None:
        literal = source.ts_literal(max_change)
        changed = " OR ".join(f"{col} >= {literal}" for col in spec.changed_by)
        changed = f"id <= {int(max_id)} AND ({changed})"  # new rows come with the first read
        if spec.order_anchor and min_order is not None:
            changed = f"{spec.order_anchor} >= {int(min_order)} AND {changed}"
        queries.append(_select_sql(spec, f" WHERE {changed}"))
    if spec.mode == "daily" and max_day is not None:
        since = source.date_literal(max_day - dt.timedelta(days=RESTATEMENT_DAYS))
        stores = [int(r[0]) for r in con.execute("SELECT id FROM ops_stores").fetchall()]
        where = f"{spec.day_column} >= {since}"
        if stores:  # the (store_id, day) indexes serve this form
            where = f"store_id IN ({', '.join(map(str, stores))}) AND {where}"
        queries.append(_select_sql(spec, f" WHERE {where}"))
    return queries


def _window_start_order(con: duckdb.DuckDBPyConnection) -> int | None:
    """The lowest id among orders placed within the change window of the orders' watermark."""
    _, max_change, _ = _state(con, "orders")
    if max_change is None:
        return None
    since = max_change - dt.timedelta(days=CHANGE_WINDOW_DAYS)
    row = _one(con, "SELECT min(id) FROM ops_orders WHERE placed_at >= ?", [since])
    return int(row[0]) if row and row[0] is not None else None


def _record_state(con: duckdb.DuckDBPyConnection, spec: SourceTable) -> None:
    change = "NULL"
    if spec.mode == "changed":
        change = "(SELECT max(greatest({})) FROM {})".format(
            ", ".join(spec.changed_by), spec.target
        )
    day = f"(SELECT max({spec.day_column}) FROM {spec.target})" if spec.mode == "daily" else "NULL"
    _run(
        con,
        f"INSERT OR REPLACE INTO _sync_state SELECT ?, (SELECT max(id) FROM {spec.target}), "
        f"{change}, {day}, now()::TIMESTAMP",
        [spec.name],
    )


def _sync_table(
    con: duckdb.DuckDBPyConnection, source: _Source, spec: SourceTable, min_order: int | None
) -> tuple[TableSync, list[pa.Table]]:
    started = time.perf_counter()
    queries = _queries(spec, source, con, min_order)
    if queries is None:
        _run(con, f"DELETE FROM {spec.target}")
    parts = [source.read(q) for q in (queries or [_select_sql(spec, "")])]
    for staged in parts:
        if not staged.num_rows:
            continue
        with _staged(con, "_staged", staged):
            if queries is not None:  # a changed row replaces its earlier copy
                _run(con, f"DELETE FROM {spec.target} WHERE id IN (SELECT id FROM _staged)")
            typed = f"SELECT {_cast_sql(spec, source.backend)} FROM _staged"
            if spec.local_day_of:
                day = _LOCAL_DAY.format(col=f"x.{spec.local_day_of}")
                typed = f"SELECT x.*, {day} FROM ({typed}) x JOIN ops_stores s ON s.id = x.store_id"
            _run(con, f"INSERT INTO {spec.target} {typed}")
    _record_state(con, spec)
    rows = sum(p.num_rows for p in parts)
    return TableSync(spec.name, rows, time.perf_counter() - started), parts


def _refresh_facts(con: duckdb.DuckDBPyConnection, affected: pa.Table | None) -> int:
    """Recompute the facts of the affected orders (all of them when ``affected`` is None)."""
    _run(con, "DROP TABLE IF EXISTS _affected")
    _run(con, "DROP TABLE IF EXISTS _affected_days")
    if affected is None:
        _run(con, "CREATE TEMP TABLE _affected AS SELECT id AS order_id FROM ops_orders")
    else:
        with _staged(con, "_affected_arrow", affected):
            _run(
                con, "CREATE TEMP TABLE _affected AS SELECT DISTINCT order_id FROM _affected_arrow"
            )
    count = _one(con, "SELECT count(*) FROM _affected")
    n = int(count[0]) if count else 0
    if n == 0:
        return 0
    # the days an order was on before and after the change both need their rollup recomputed
    _run(
        con,
        "CREATE TEMP TABLE _affected_days AS SELECT DISTINCT store_id, day FROM fact_orders "
        "WHERE order_id IN (SELECT order_id FROM _affected)",
    )
    _run(con, "DELETE FROM fact_order_lines WHERE order_id IN (SELECT order_id FROM _affected)")
    _run(con, "DELETE FROM fact_orders WHERE order_id IN (SELECT order_id FROM _affected)")
    _run(con, f"INSERT INTO fact_orders {_FACT_ORDERS_SELECT}")
    _run(con, f"INSERT INTO fact_order_lines {_FACT_LINES_SELECT}")
    _run(
        con,
        "INSERT INTO _affected_days SELECT DISTINCT store_id, day FROM fact_orders "
        "WHERE order_id IN (SELECT order_id FROM _affected)",
    )
    _run(
        con,
        "DELETE FROM daily_orders d USING _affected_days a "
        "WHERE d.store_id = a.store_id AND d.day = a.day",
    )
    _run(con, f"INSERT INTO daily_orders {_DAILY_ORDERS_SELECT}")
    return n


def sync_warehouse(url: str, path: Path | None = None, *, full: bool = False) -> SyncReport:
    """Bring the warehouse up to date with the ops database at ``url`` (new and changed rows).

    ``full=True`` rebuilds it from an empty file. A warehouse filled from another database is
    refused (rebuild it instead). Everything happens in one DuckDB transaction.
    """
    target = path or default_warehouse_path()
    started = time.perf_counter()
    fingerprint = _source_fingerprint(url)
    if full and target.exists():
        target.unlink()
        Path(f"{target}.wal").unlink(missing_ok=True)
    source = _Source(url)
    con = connect_warehouse(target)
    report = SyncReport(path=target, full=full)
    try:
        _create_schema(con)
        known = _one(con, "SELECT value FROM _sync_meta WHERE key = 'source'")
        if known and known[0] != fingerprint:
            raise WarehouseError(
                f"the warehouse at {target} was filled from another database; "
                "run `storeops warehouse rebuild` to start it again from this one"
            )
        first = known is None
        version = _one(con, "SELECT value FROM _sync_meta WHERE key = 'schema'")
        if not first and (version is None or version[0] != SCHEMA_VERSION):
            raise WarehouseError(
                f"the warehouse at {target} was made by another version of storeops; "
                "run `storeops warehouse rebuild`"
            )
        _run(con, "BEGIN TRANSACTION")
        _run(con, "INSERT OR REPLACE INTO _sync_meta VALUES ('source', ?)", [fingerprint])
        _run(con, "INSERT OR REPLACE INTO _sync_meta VALUES ('schema', ?)", [SCHEMA_VERSION])
        touched: list[pa.Table] = []
        min_order = _window_start_order(con)
        for spec in TABLES:
            table_sync, parts = _sync_table(con, source, spec, min_order)
            report.tables.append(table_sync)
            for staged in parts:
                if staged.num_rows and spec.name == "orders":
                    touched.append(staged.select(["id"]).rename_columns(["order_id"]))
                elif staged.num_rows and spec.name in _ORDER_CHILDREN:
                    touched.append(staged.select(["order_id"]))
        facts_started = time.perf_counter()
        if first:
            report.orders_refreshed = _refresh_facts(con, None)
        elif touched:
            affected = pa.concat_tables(
                [t.cast(pa.schema([("order_id", pa.int64())])) for t in touched]
            )
            report.orders_refreshed = _refresh_facts(con, affected)
        report.facts_seconds = time.perf_counter() - facts_started
        commit_started = time.perf_counter()
        _run(con, "COMMIT")
        report.commit_seconds = time.perf_counter() - commit_started
    except BaseException:
        with suppress(duckdb.Error):
            _run(con, "ROLLBACK")
        raise
    finally:
        con.close()
        source.close()
    report.seconds = time.perf_counter() - started
    return report


def rebuild_warehouse(url: str, path: Path | None = None) -> SyncReport:
    """Throw the warehouse away and fill it again from the ops database."""
    return sync_warehouse(url, path, full=True)


def table_rows(path: Path, tables: Sequence[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``tables``, sorted: for comparing two warehouses (tests, checks)."""
    con = connect_warehouse(path, read_only=True)
    try:
        return {
            name: sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr)
            for name in tables
        }
    finally:
        con.close()
