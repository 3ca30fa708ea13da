"""Hypothesis: any file yields rows or typed row errors, never an unhandled exception."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from storeops.connectors import service
from storeops.connectors.enums import ImportStatus
from storeops.connectors.errors import FileRefused
from storeops.connectors.export import FORMULA_STARTS, defuse, errors_csv
from storeops.connectors.framework import ImportContext
from storeops.connectors.jsonfiles import JsonImporter
from storeops.connectors.reading import read_table
from storeops.connectors.registry import IMPORTERS, importer_for
from tests.connectors.factories import amazon_store

CTX = ImportContext(
    company_id=1,
    store_id=1,
    store_name="S",
    platform="amazon",
    site="US",
    currency="USD",
    timezone="America/Los_Angeles",
)
CELL_CHARS = st.characters(blacklist_characters="\t\r\n", blacklist_categories=("Cs",))
PLAUSIBLE = st.sampled_from(
    [
        "", "0", "1", "-1", "19.99", "1,234.56", "1.234,56", "1e309", "NaN", "abc", "Infinity",
        "2024-03-01T10:00:00+00:00", "2024-02-30T10:00:00Z", "02/05/2020 05:18:00 MEST",
        "31/12/2019 02:53:37 MET", "13/13/2020 10:00:00 XYZ", "2023-01-01 00:00:00 UTC",
        "Shipped", "Cancelled", "Pending", "Active", "Inactive", "Order", "Refund", "USD", "EUR",
        "US", "DE", "Amazon.com", "Amazon.de", "B000000001", "SKU-1", "=1+1", "@cmd", "&uuml;",
        "99999999999999999999", "0.001", " 5 ", "\u00a0",
    ]
)  # fmt: skip
CELL = st.one_of(PLAUSIBLE, st.text(CELL_CHARS, max_size=12))
TABLE_REPORTS = sorted(k for k, cls in IMPORTERS.items() if not issubclass(cls, JsonImporter))
JSON_REPORTS = sorted(k for k, cls in IMPORTERS.items() if issubclass(cls, JsonImporter))
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), PLAUSIBLE, st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(
                ["id", "currency", "created_at", "financial_status", "line_items", "sku",
                 "price", "quantity", "product_id", "shipping_address", "country_code",
                 "total_line_items_price", "cancelled_at", "shipping_lines", "title"]
            ),
            inner,
            max_size=8,
        ),
    ),
    max_leaves=25,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(JSON_REPORTS), st.lists(JSON_VALUES, max_size=5))
def test_any_json_payload_parses_into_records_and_item_errors(
    report: tuple[str, str], items: list[object]
) -> None:
    importer = importer_for(*report)
    assert isinstance(importer, JsonImporter)
    try:
        parsed = importer.parse_payload({"orders": items}, CTX)
    except FileRefused as refused:
        message = refused.message
        assert message
        return
    assert parsed.rows_total == len(items)
    assert all(1 <= e.row <= len(items) and e.reason for e in parsed.errors)


@st.composite
def report_files(draw: st.DrawFn) -> tuple[str, str, bytes, int]:
    platform, report = draw(st.sampled_from(TABLE_REPORTS))
    importer = importer_for(platform, report)
    header = list(importer.required_columns) + list(
        draw(st.lists(st.sampled_from(["x-extra", "note", "zz"]), max_size=2, unique=True))
    )
    header = draw(st.permutations(header))
    rows = draw(
        st.lists(
            st.lists(CELL, min_size=len(header) - 1, max_size=len(header) + 1),
            min_size=1,
            max_size=8,
        )
    )
    text = "\n".join(["\t".join(header), *("\t".join(r) for r in rows)]) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    return platform, report, text.encode(encoding), len(rows)


@settings(max_examples=300, deadline=None)
@given(report_files())
def test_any_report_file_parses_into_records_and_row_errors(
    sample: tuple[str, str, bytes, int],
) -> None:
    platform, report, data, count = sample
    importer = importer_for(platform, report)
    try:
        parsed = importer.parse(read_table(data, "f.tsv"), CTX)
    except FileRefused as refused:
        message = refused.message
        assert message
        return
    assert parsed.rows_total == count
    for error in parsed.errors:
        assert error.reason and 2 <= error.row <= count + 1
    # every row is either a record or a row error
    records_rows = {getattr(r, "row", None) for r in parsed.records}
    assert records_rows.isdisjoint(parsed.bad_rows)
    assert len(records_rows | parsed.bad_rows) <= count


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["x.csv", "x.xlsx", "x.txt", "x"]))
def test_arbitrary_bytes_are_read_or_refused_with_a_reason(data: bytes, name: str) -> None:
    try:
        table = read_table(data, name)
        rows = list(table.rows)
    except FileRefused as refused:
        message = refused.message
        assert message
        return
    assert all(isinstance(c, str) for _, cells in rows for c in cells)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sample=report_files())
def test_a_generated_file_imports_or_is_rejected_and_never_crashes(
    session: Session, sample: tuple[str, str, bytes, int]
) -> None:
    platform, report, data, _count = sample
    store, actor = amazon_store(session)
    savepoint = session.begin_nested()
    try:
        job = service.start_import(
            session,
            store_id=store.id,
            platform=platform,
            report=report,
            file_name="f.tsv",
            data=data,
            actor=actor,
        )
        try:
            service.execute_import(session, job=job, data=data, actor=actor)
        except FileRefused:
            return
        assert job.status in (ImportStatus.SUCCEEDED, ImportStatus.REJECTED)
        if job.status == ImportStatus.REJECTED:
            assert job.errors and all(e["reason"] for e in job.errors)
    finally:
        savepoint.rollback()


@given(st.text(max_size=30))
def test_exported_cells_never_start_a_formula(text: str) -> None:
    cell = defuse(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (text, "'" + text)


@settings(max_examples=100)
@given(st.lists(st.text(CELL_CHARS, max_size=10), min_size=2, max_size=2))
def test_error_csv_cells_are_defused_and_round_trip(cells: list[str]) -> None:
    body = errors_csv(
        ["a", "b"], [{"row": 2, "column": "a", "reason": "bad", "value": None, "cells": cells}]
    )
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][3:] == [defuse(c) for c in cells]
    assert not any(c.startswith(FORMULA_STARTS) for row in rows for c in row)
