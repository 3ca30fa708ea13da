"""Reading seller-centre exports safely: type sniffing, encodings, delimiters, XLSX limits.

A file is judged by its bytes, not its name: a ZIP is read as XLSX (within size and entry limits,
with no DTDs or entities in its XML), anything else binary is refused, text is decoded as UTF-8
(with or without BOM), UTF-16 with BOM, GB18030 (Chinese seller centres' GBK exports) or
Windows-1252, and split on the delimiter the header uses (tab, comma, semicolon or pipe).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from storeops.connectors.errors import FileRefused

MAX_FILE_BYTES = 2 * 1024**3  # text files are streamed; the limit only guards against mistakes
MAX_XLSX_BYTES = 100 * 1024**2
MAX_XLSX_UNCOMPRESSED = 1024**3
MAX_XLSX_ENTRIES = 2_000
MAX_XLSX_RATIO = 200  # a sheet of text compresses 10-30x; a zip bomb thousands of times
DELIMITERS = ("\t", ",", ";", "|")
_SNIFF_BYTES = 1 << 20

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or other OLE file: save it as .xlsx or CSV"),
    (b"\x1f\x8b", "a gzip archive: unpack it first"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
)


@dataclass
class Table:
    """A decoded file: its header and an iterator over (row number, cells) of the data rows."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    file_format: str
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


def strip_padding(data: bytes) -> tuple[bytes, int]:
    """``data`` without PKCS#7 padding left after its last newline (Amazon report decryption)."""
    if not data:
        return data, 0
    pad = data[-1]
    if 1 <= pad <= 16 and len(data) > pad and data[-pad:] == bytes([pad]) * pad:
        before = data[-pad - 1 : -pad]
        if before in (b"\n", b"\r"):
            return data[:-pad], pad
    return data, 0


def detect_encoding(sample: bytes) -> str:
    """The encoding of a text sample: BOMs first, then UTF-8, then GB18030 or Windows-1252."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    if _looks_chinese(sample):
        return "gb18030"
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        # bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) occur in GB18030
        return "gb18030"
    return "cp1252"


def _looks_chinese(sample: bytes) -> bool:
    """Whether the non-ASCII text of ``sample`` reads as GB2312 hanzi rather than Latin accents."""
    try:
        text = sample.decode("gb18030")
    except UnicodeDecodeError:
        return False
    wide = [c for c in text if ord(c) > 127]
    if not wide:
        return False
    common = 0
    for char in wide:
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    # Windows-1252 text read as GB18030 pairs an accent with the next ASCII letter, which gives
    # characters outside GB2312; real Chinese text is almost all inside it.
    return common >= 0.9 * len(wide)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter the header line uses most (tab wins ties: Amazon flat files are TSV)."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == "\t"))
    if counts[best] == 0:
        return "\t" if "\t" in header_line else ","
    return best


def refuse_binary(data: bytes, name: str) -> None:
    """``FileRefused`` when ``data`` is a known binary format or contains NUL bytes."""
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise FileRefused(f"{name} is {what}, not a CSV, TSV or XLSX report", field="file")
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(
            f"{name} is a binary file (it contains NUL bytes), not a CSV, TSV or XLSX report",
            field="file",
        )


def read_table(data: bytes, name: str, *, encoding: str | None = None) -> Table:
    """The header and rows of ``data``; ``FileRefused`` with the reason when it cannot be read."""
    if not data or not data.strip():
        raise FileRefused(f"{name} is empty", field="file")
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(f"{name} is larger than {MAX_FILE_BYTES // 1024**2} MiB", field="file")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return read_xlsx(data, name)
    refuse_binary(data, name)
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise FileRefused(
            f"{name} is named like an Excel workbook but is not one (no ZIP signature)",
            field="file",
        )
    return read_text(data, name, encoding=encoding)


def read_text(data: bytes, name: str, *, encoding: str | None = None) -> Table:
    """A delimited text file: encoding and delimiter detected, trailing padding dropped."""
    data, pad = strip_padding(data)
    notes = [f"{pad} padding bytes after the last line ignored"] if pad else []
    chosen = encoding or detect_encoding(data[:_SNIFF_BYTES])
    try:
        "".encode(chosen)
    except LookupError:
        raise FileRefused(f"unknown encoding {chosen!r}", field="encoding") from None
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=chosen, errors="strict", newline="")
    try:
        first = stream.readline()
        while first and not first.strip():
            first = stream.readline()
    except UnicodeDecodeError as exc:
        raise FileRefused(
            f"{name} is not valid {chosen} text ({exc.reason} at byte {exc.start})",
            field="encoding",
        ) from None
    delimiter = sniff_delimiter(first)
    quoting: Literal[0, 3] = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    header_cells = next(csv.reader([first], delimiter=delimiter, quoting=quoting), [])
    header = _clean_header(header_cells, name)
    reader = csv.reader(stream, delimiter=delimiter, quoting=quoting, strict=False)

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for cells in reader:
                number += 1
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                yield number, cells
        except UnicodeDecodeError as exc:
            raise FileRefused(
                f"{name} is not valid {chosen} text after line {number} ({exc.reason})",
                field="encoding",
            ) from None
        except csv.Error as exc:
            raise FileRefused(f"{name}: line {number + 1} cannot be read: {exc}") from None

    return Table(
        header=header,
        rows=rows(),
        file_format="csv",
        encoding=chosen,
        delimiter=delimiter,
        notes=notes,
    )


def _clean_header(cells: list[str], name: str) -> list[str]:
    header = [c.strip().lstrip("\ufeff") for c in cells]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise FileRefused(f"{name} has no header row", field="file")
    if any(not h for h in header):
        position = header.index("") + 1
        raise FileRefused(f"{name}: column {position} of the header has no name", field="header")
    seen: set[str] = set()
    for h in header:
        if h.lower() in seen:
            raise FileRefused(f"{name}: the header names column {h!r} twice", field="header")
        seen.add(h.lower())
    return header


def check_xlsx_archive(data: bytes, name: str) -> None:
    """Refuse zip bombs, oversized workbooks and XML with DTDs before anything is unzipped."""
    if len(data) > MAX_XLSX_BYTES:
        raise FileRefused(f"{name} is larger than {MAX_XLSX_BYTES // 1024**2} MiB", field="file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileRefused(f"{name} is a damaged ZIP/XLSX file", field="file") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_XLSX_ENTRIES:
            raise FileRefused(f"{name} has {len(entries)} parts; at most {MAX_XLSX_ENTRIES}")
        if "[Content_Types].xml" not in archive.namelist() or not any(
            e.filename.startswith("xl/") for e in entries
        ):
            raise FileRefused(f"{name} is a ZIP archive but not an Excel workbook", field="file")
        total = 0
        for entry in entries:
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if ratio > MAX_XLSX_RATIO and entry.file_size > 1024**2:
                raise FileRefused(
                    f"{name}: part {entry.filename} expands {ratio:.0f} times (a zip bomb?)",
                    field="file",
                )
        if total > MAX_XLSX_UNCOMPRESSED:
            raise FileRefused(
                f"{name} unpacks to {total // 1024**2} MiB; at most "
                f"{MAX_XLSX_UNCOMPRESSED // 1024**2} MiB",
                field="file",
            )
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels", ".vml")):
                continue
            with archive.open(entry) as part:
                head = part.read(65536)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise FileRefused(
                    f"{name}: part {entry.filename} declares a DTD or entities; refused",
                    field="file",
                )


def read_xlsx(data: bytes, name: str) -> Table:
    """The first worksheet of an XLSX workbook, cells as text, after the archive checks."""
    check_xlsx_archive(data, name)
    import openpyxl  # with defusedxml installed openpyxl parses through it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise FileRefused(f"{name} cannot be read as a workbook: {exc}", field="file") from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    number = 0
    header: list[str] = []
    for cells in values:
        number += 1
        texts = [_xlsx_text(c) for c in cells]
        if any(t.strip() for t in texts):
            header = _clean_header(texts, name)
            break
    if not header:
        book.close()
        raise FileRefused(f"{name} has no header row", field="file")
    start = number

    def rows() -> Iterator[tuple[int, list[str]]]:
        row_number = start
        for cells in values:
            row_number += 1
            texts = [_xlsx_text(c) for c in cells]
            if any(t.strip() for t in texts):
                yield row_number, texts
        book.close()

    return Table(header=header, rows=rows(), file_format="xlsx", encoding="xlsx")


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(repr(value)))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
