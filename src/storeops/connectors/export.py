"""Error files: the bad rows of an import as CSV or XLSX, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with an
apostrophe so that Excel, LibreOffice and Google Sheets show it as text instead of running it as a
formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ERROR_COLUMNS = ("error_row", "error_column", "error_reason")


def defuse(value: Any) -> str:
    """``value`` as text that no spreadsheet evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def error_rows(header: Sequence[str], errors: Sequence[dict[str, Any]]) -> list[list[str]]:
    """The header plus error columns, then one line per error with the row's original cells."""
    width = len(header)
    lines = [[*ERROR_COLUMNS, *header]]
    for error in errors:
        cells = list(error.get("cells") or [])
        cells = (cells + [""] * width)[: max(width, len(cells))]
        reason = error["reason"]
        if error.get("value") not in (None, ""):
            reason = f"{reason} ({error['value']!r})"
        lines.append([str(error["row"]), error.get("column") or "", reason, *cells])
    return [[defuse(c) for c in line] for line in lines]


def errors_csv(header: Sequence[str], errors: Sequence[dict[str, Any]]) -> bytes:
    """The error file as UTF-8 CSV with a BOM (so Excel reads it as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(error_rows(header, errors))
    return buffer.getvalue().encode("utf-8-sig")


def errors_xlsx(header: Sequence[str], errors: Sequence[dict[str, Any]]) -> bytes:
    """The error file as an XLSX workbook; every cell is a string cell."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("errors")
    for line in error_rows(header, errors):
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
