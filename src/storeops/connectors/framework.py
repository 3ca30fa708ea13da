"""The connector protocol and the parse loop every file importer shares.

An importer names its platform, report and required columns, turns one row into a typed record
(``parse_row``, raising ``RowInvalid``), checks the whole file once every row is read
(``check_file``: the marketplace, the currency, the settlement …) and writes the records with bulk
statements (``write``). The framework reads the file, reports every bad row with its row number,
column and reason, and decides — before anything is written — whether the import goes ahead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from sqlalchemy.orm import Session

from storeops.connectors.errors import FileRefused
from storeops.connectors.reading import Table
from storeops.connectors.values import RowInvalid

R = TypeVar("R")
Counts = dict[str, dict[str, int]]
Progress = Callable[[int], None]
PROGRESS_EVERY = 20_000


@dataclass(frozen=True, slots=True)
class RowError:
    """A bad row: its number in the file (the header is row 1), the column and the reason."""

    row: int
    column: str | None
    reason: str
    value: str | None = None
    cells: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The error as stored on the job and shown by the API."""
        return {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
            "value": self.value,
            "cells": list(self.cells),
        }

    def __str__(self) -> str:
        where = f", column {self.column}" if self.column else ""
        shown = f" ({self.value!r})" if self.value not in (None, "") else ""
        return f"row {self.row}{where}: {self.reason}{shown}"


@dataclass(frozen=True, slots=True)
class ImportContext:
    """The store a file goes into, as importers need it."""

    company_id: int
    store_id: int
    store_name: str
    platform: str
    site: str
    currency: str
    timezone: str


@dataclass
class Parsed(Generic[R]):
    """Every row of a file read: the good ones as records, the bad ones as errors."""

    records: list[R] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_total: int = 0
    bad_rows: set[int] = field(default_factory=set)

    def fail(self, error: RowError) -> None:
        """Record ``error`` (a row may have several)."""
        self.errors.append(error)
        self.bad_rows.add(error.row)


class Connector(Protocol[R]):
    """What a file importer provides."""

    platform: ClassVar[str]
    report: ClassVar[str]
    title: ClassVar[str]
    layout: ClassVar[str]  # the layout and source followed, for docs and --help
    required_columns: ClassVar[tuple[str, ...]]

    def parse(self, table: Table, ctx: ImportContext, progress: Progress | None) -> Parsed[R]: ...

    def validate(self, session: Session, parsed: Parsed[R], ctx: ImportContext) -> None: ...

    def write(self, session: Session, records: Sequence[R], ctx: ImportContext) -> Counts: ...


class FileImporter(Generic[R]):
    """Base of the delimited/XLSX importers: header check, row loop, whole-file check."""

    platform: ClassVar[str]
    report: ClassVar[str]
    title: ClassVar[str]
    layout: ClassVar[str] = ""
    required_columns: ClassVar[tuple[str, ...]] = ()
    optional_columns: ClassVar[tuple[str, ...]] = ()
    at: dict[str, int]

    def check_header(self, header: list[str]) -> dict[str, int]:
        """Column positions by name; ``FileRefused`` naming the missing required columns."""
        index = {name: i for i, name in enumerate(header)}
        lowered = {name.lower(): i for i, name in enumerate(header)}
        positions: dict[str, int] = {}
        missing: list[str] = []
        for column in self.required_columns:
            found = index.get(column, lowered.get(column.lower()))
            if found is None:
                missing.append(column)
            else:
                positions[column] = found
        if missing:
            raise FileRefused(
                f"this is not a {self.title} file: the header lacks {', '.join(missing)}",
                field="header",
                missing=missing,
            )
        for column in self.optional_columns:
            found = index.get(column, lowered.get(column.lower()))
            if found is not None:
                positions[column] = found
        return positions

    def parse_row(self, row: int, cells: list[str], at: dict[str, int], ctx: ImportContext) -> R:
        """Row number ``row`` as a record; raise ``RowInvalid`` for a bad cell."""
        raise NotImplementedError

    def check_file(self, parsed: Parsed[R], ctx: ImportContext) -> None:
        """Whole-file checks once every row is read (override; raise ``FileRefused``)."""

    def validate(self, session: Session, parsed: Parsed[R], ctx: ImportContext) -> None:
        """Checks against the database before anything is written (override; ``parsed.fail``).

        For example: a return must name an order storeops already has.
        """

    def parse(
        self, table: Table, ctx: ImportContext, progress: Progress | None = None
    ) -> Parsed[R]:
        """Every row of ``table`` parsed: records for good rows, errors for bad ones."""
        at = self.check_header(table.header)
        self.at = at
        width = len(table.header)
        parsed: Parsed[R] = Parsed()
        parse_row = self.parse_row
        records = parsed.records
        count = 0
        for number, cells in table.rows:
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
            if len(cells) != width:
                if len(cells) < width:
                    parsed.fail(
                        RowError(
                            number,
                            None,
                            f"has {len(cells)} cells but the header has {width} columns",
                            None,
                            tuple(cells),
                        )
                    )
                    continue
                if any(c.strip() for c in cells[width:]):
                    parsed.fail(
                        RowError(
                            number,
                            None,
                            f"has {len(cells)} cells but the header has {width} columns",
                            None,
                            tuple(cells),
                        )
                    )
                    continue
                cells = cells[:width]
            try:
                records.append(parse_row(number, cells, at, ctx))
            except RowInvalid as bad:
                parsed.fail(RowError(number, bad.column, bad.reason, bad.value, tuple(cells)))
        parsed.rows_total = count
        if progress is not None:
            progress(count)
        if count == 0:
            raise FileRefused("the file has a header but no data rows", field="file")
        self.check_file(parsed, ctx)
        return parsed

    def write(self, session: Session, records: Sequence[R], ctx: ImportContext) -> Counts:
        """Write the records with bulk statements; the counts per table."""
        raise NotImplementedError
