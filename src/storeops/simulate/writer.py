"""Bulk writes for the simulator: executemany on SQLite, COPY on PostgreSQL, never an ORM object per row.

Columns arrive as NumPy arrays (or lists) with a few wrappers for the types that each backend
spells differently: ``Stamp`` (UTC epoch seconds), ``Day`` (days since 1970-01-01) and ``Json``.
Everything is written inside the caller's transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Table, text
from sqlalchemy.schema import AddConstraint, DropConstraint

BATCH_ROWS = 100_000


class BrokenReferences(RuntimeError):
    """Rows written by a bulk load refer to rows that do not exist (a simulator bug)."""

    def __init__(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        super().__init__(f"{table}: rows refer to missing rows (table, rowid, parent, key): {rows}")
        self.table = table
        self.rows = rows


@dataclass(frozen=True, slots=True)
class Stamp:
    """UTC timestamps as int64 epoch seconds; ``missing`` marks NULLs."""

    seconds: NDArray[np.int64]
    missing: NDArray[np.bool_] | None = None


@dataclass(frozen=True, slots=True)
class Day:
    """Dates as days since 1970-01-01; ``missing`` marks NULLs."""

    days: NDArray[np.int64]
    missing: NDArray[np.bool_] | None = None


@dataclass(frozen=True, slots=True)
class Json:
    """Python values stored as JSON text."""

    values: Sequence[Any]


@dataclass(frozen=True, slots=True)
class Nullable:
    """An int array with NULLs where ``missing`` is true."""

    values: NDArray[np.int64]
    missing: NDArray[np.bool_]


Column = NDArray[Any] | Sequence[Any] | Stamp | Day | Json | Nullable


def _with_nulls(values: NDArray[Any], missing: NDArray[np.bool_] | None) -> list[Any]:
    return _with_nulls_list(values.tolist(), missing)


def _with_nulls_list(out: list[Any], missing: NDArray[np.bool_] | None) -> list[Any]:
    if missing is not None and missing.any():
        for index in np.flatnonzero(missing).tolist():
            out[index] = None
    return out


@lru_cache(maxsize=2)
def _times_of_day(suffix: str) -> tuple[str, ...]:
    return tuple(
        f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000{suffix}" for s in range(86_400)
    )


def _timestamps(seconds: NDArray[np.int64]) -> list[str]:
    """UTC epoch seconds as ``timestamptz`` text for PostgreSQL's COPY, with an explicit ``+00``
    offset (never the server's session time zone)."""
    if seconds.size == 0:
        return []
    days = seconds // 86_400
    first = int(days.min())
    labels = np.datetime_as_string(np.arange(first, int(days.max()) + 1).astype("datetime64[D]"))
    day_text = [f"{label} " for label in labels.tolist()]
    clock = _times_of_day("+00")
    return [
        day_text[d] + clock[t]
        for d, t in zip((days - first).tolist(), (seconds % 86_400).tolist(), strict=True)
    ]


class BulkWriter:
    """Writes column batches into tables through the connection's DBAPI connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.rows_written: dict[str, int] = {}
        if self.dialect == "sqlite":
            # a bigger page cache keeps the indexes of large tables in memory while loading
            connection.exec_driver_sql("PRAGMA cache_size = -524288")  # 512 MiB
            connection.exec_driver_sql("PRAGMA temp_store = MEMORY")

    def _convert(self, column: Column, start: int, stop: int) -> list[Any]:
        if isinstance(column, Stamp):
            miss = None if column.missing is None else column.missing[start:stop]
            if self.dialect == "sqlite":  # db.UTCDateTime: integer microseconds since the epoch
                return _with_nulls(column.seconds[start:stop] * 1_000_000, miss)
            return _with_nulls_list(_timestamps(column.seconds[start:stop]), miss)
        if isinstance(column, Day):
            raw = np.datetime_as_string(column.days[start:stop].astype("datetime64[D]"))
            miss = None if column.missing is None else column.missing[start:stop]
            return _with_nulls(raw, miss)
        if isinstance(column, Json):
            return [json.dumps(v, ensure_ascii=False) for v in column.values[start:stop]]
        if isinstance(column, Nullable):
            return _with_nulls(column.values[start:stop], column.missing[start:stop])
        if isinstance(column, np.ndarray):
            part = column[start:stop]
            if part.dtype == np.bool_ and self.dialect == "sqlite":
                return part.astype(np.int8).tolist()  # type: ignore[no-any-return]
            return part.tolist()  # type: ignore[no-any-return]
        return list(column[start:stop])

    def write(self, table: Table, columns: dict[str, Column]) -> int:
        """Insert the rows given column-wise; returns how many were written."""
        names = list(columns)
        lengths = {len(_length_of(c)) for c in columns.values()}
        if len(lengths) != 1:
            raise ValueError(f"{table.name}: columns have different lengths {sorted(lengths)}")
        total = lengths.pop()
        for start in range(0, total, BATCH_ROWS):
            stop = min(start + BATCH_ROWS, total)
            values = [self._convert(columns[n], start, stop) for n in names]
            self._insert(table, names, zip(*values, strict=True))
        self.rows_written[table.name] = self.rows_written.get(table.name, 0) + total
        return total

    def _insert(self, table: Table, names: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
        driver = self.connection.connection.driver_connection
        assert driver is not None
        if self.dialect == "sqlite":
            placeholders = ", ".join("?" for _ in names)
            sql = f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({placeholders})'  # noqa: S608
            cursor = driver.cursor()
            cursor.executemany(sql, rows)
            cursor.close()
        elif self.dialect == "postgresql":
            with driver.cursor() as cursor:
                copy_sql = f'COPY "{table.name}" ({", ".join(names)}) FROM STDIN'
                with cursor.copy(copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
        else:  # pragma: no cover - other backends take the portable path
            self.connection.execute(
                table.insert(), [dict(zip(names, r, strict=True)) for r in rows]
            )

    @contextmanager
    def indexes_deferred(self, tables: Sequence[Table]) -> Iterator[None]:
        """Drop plain indexes (and PostgreSQL foreign keys) while loading; restore them afterwards.

        Building an index once over sorted data is several times faster than updating it on every
        insert. Unique constraints stay in place, so natural keys are checked during the load.
        DDL is transactional on SQLite and PostgreSQL: a failure restores the indexes too.
        """
        dropped = [index for table in tables for index in table.indexes if not index.unique]
        for index in dropped:
            index.drop(self.connection)
        # PostgreSQL checks a foreign key per inserted row through a trigger; adding the key back
        # after the load validates all rows in one join instead (same guarantee, one pass)
        keys = (
            [fk for table in tables for fk in table.foreign_key_constraints]
            if self.dialect == "postgresql"
            else []
        )
        for fk in keys:
            self.connection.execute(DropConstraint(fk))
        yield
        for index in dropped:
            index.create(self.connection)
        for fk in keys:
            self.connection.execute(AddConstraint(fk))

    def check_references(self, table_names: Sequence[str]) -> None:
        """On SQLite with foreign keys off for the load, check every reference of these tables.

        Raises :class:`BrokenReferences` naming the first offending rows, so the caller's
        transaction rolls back and nothing is written. A no-op where the database checked each
        row itself (foreign keys on, or PostgreSQL, where the keys are added back after the load).
        """
        if self.dialect != "sqlite":
            return
        if self.connection.exec_driver_sql("PRAGMA foreign_keys").scalar():
            return
        for name in table_names:
            broken = self.connection.exec_driver_sql(
                f'PRAGMA foreign_key_check("{name}")'
            ).fetchmany(5)
            if broken:
                raise BrokenReferences(name, [tuple(row) for row in broken])

    def reset_sequences(self, tables: Sequence[Table]) -> None:
        """After explicit ids on PostgreSQL, move each id sequence past the largest id."""
        if self.dialect != "postgresql":
            return
        for table in tables:
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608
                    f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                )
            )


def _length_of(column: Column) -> Sequence[Any] | NDArray[Any]:
    if isinstance(column, Stamp):
        return column.seconds
    if isinstance(column, Day):
        return column.days
    if isinstance(column, Json):
        return column.values
    if isinstance(column, Nullable):
        return column.values
    return column
