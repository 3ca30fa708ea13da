"""Reading files safely: encodings, delimiters, padding, XLSX limits, refusals with reasons."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from storeops.connectors.errors import FileRefused
from storeops.connectors.reading import detect_encoding, read_table, strip_padding


def rows_of(
    data: bytes, name: str = "f.txt"
) -> tuple[list[str], list[tuple[int, list[str]]], str, str]:
    table = read_table(data, name)
    return table.header, list(table.rows), table.encoding, table.delimiter


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("cp1252", "cp1252")],
)
def test_encodings_are_detected_and_text_decoded(encoding: str, expected: str) -> None:
    text = "sku;name\r\nA-1;Prüfung Größe café\r\nB-2;中文商品 蓝牙耳机\r\n"
    if encoding == "cp1252":
        text = "sku;name\r\nA-1;Prüfung Größe café\r\nB-2;naïve crème brûlée\r\n"
    header, rows, found, delimiter = rows_of(text.encode(encoding))
    assert (header, found, delimiter) == (["sku", "name"], expected, ";")
    assert rows[0] == (2, ["A-1", "Prüfung Größe café"])
    assert rows[1][1][1] in ("中文商品 蓝牙耳机", "naïve crème brûlée")


def test_chinese_seller_centre_export_in_gbk_is_not_mistaken_for_windows_1252() -> None:
    sample = "订单号,商品名称,数量\n1001,无线蓝牙耳机,2\n".encode("gbk")
    assert detect_encoding(sample) == "gb18030"
    assert detect_encoding("Größe,Preis\nÜbergröße,12\n".encode("cp1252")) == "cp1252"


@pytest.mark.parametrize(
    ("delimiter", "name"), [("\t", "tab"), (",", "comma"), (";", "semicolon"), ("|", "pipe")]
)
def test_delimiters_are_detected(delimiter: str, name: str) -> None:
    data = f"a{delimiter}b{delimiter}c\n1{delimiter}2{delimiter}3\n".encode()
    header, rows, _, found = rows_of(data)
    assert (header, rows, found) == (["a", "b", "c"], [(2, ["1", "2", "3"])], delimiter), name


def test_pkcs7_padding_after_the_last_line_is_dropped() -> None:
    data = b"a\tb\n1\t2\n" + bytes([16]) * 16
    assert strip_padding(data) == (b"a\tb\n1\t2\n", 16)
    table = read_table(data, "x.tsv")
    assert list(table.rows) == [(2, ["1", "2"])]
    assert table.notes == ["16 padding bytes after the last line ignored"]


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "empty.csv", "is empty"),
        (b"  \n\n", "blank.csv", "is empty"),
        (b"%PDF-1.7 ...", "report.csv", "is a PDF document"),
        (b"\x89PNG\r\n\x1a\n...", "orders.txt", "is a PNG image"),
        (b"a,b\x00c\n", "x.csv", "NUL bytes"),
        (b"sku,name\n1,2\n", "orders.xlsx", "not one"),
        (b"sku,sku\n1,2\n", "dup.csv", "names column 'sku' twice"),
        (b"sku,,name\n1,2,3\n", "gap.csv", "column 2 of the header has no name"),
        (b"PK\x03\x04garbage", "x.xlsx", "damaged ZIP"),
        (b"a,b\n\xff\xfe\xfa,\xff\n", "x.csv", None),
    ],
)
def test_bad_files_are_refused_with_a_reason(data: bytes, name: str, reason: str | None) -> None:
    if reason is None:  # undecodable in UTF-8 but valid cp1252: read, not refused
        assert rows_of(data, name)[2] == "cp1252"
        return
    with pytest.raises(FileRefused, match=reason):
        rows_of(data, name)


def test_invalid_bytes_for_a_forced_encoding_are_refused_not_garbled() -> None:
    with pytest.raises(FileRefused, match="not valid utf-8"):
        list(read_table(b"a,b\n1,\xff\n", "x.csv", encoding="utf-8").rows)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_first_sheet_is_read_as_text() -> None:
    data = xlsx([["sku", "price", "qty"], ["A-1", 12.5, 3], [None, None, None], ["B-2", 7, 1]])
    header, rows, encoding, _ = rows_of(data, "upload.csv")  # the name does not matter
    assert (header, encoding) == (["sku", "price", "qty"], "xlsx")
    assert rows == [(2, ["A-1", "12.5", "3"]), (4, ["B-2", "7", "1"])]


def _rezip(data: bytes, replace: dict[str, bytes], *, level: int = 8) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name, content in replace.items():
            if name not in source.namelist():
                target.writestr(name, content)
    return out.getvalue()


def test_billion_laughs_inside_an_xlsx_is_refused_before_parsing() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
        b"<si><t>&lol2;</t></si></sst>"
    )
    data = _rezip(xlsx([["a"], ["b"]]), {"xl/sharedStrings.xml": laughs})
    with pytest.raises(FileRefused, match="declares a DTD or entities"):
        read_table(data, "bomb.xlsx")


def test_zip_bomb_inside_an_xlsx_is_refused_before_unzipping() -> None:
    data = _rezip(xlsx([["a"], ["b"]]), {"xl/media/bomb.bin": b"\0" * (50 * 1024**2)}, level=9)
    assert len(data) < 1024**2
    with pytest.raises(FileRefused, match="zip bomb"):
        read_table(data, "bomb.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(FileRefused, match="not an Excel workbook"):
        read_table(out.getvalue(), "orders.xlsx")
