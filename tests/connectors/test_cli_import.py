"""``storeops import``: exit codes, error files, dry runs, idempotency; ``storeops import-jobs``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from storeops.cli.main import app
from storeops.db import get_engine, session_scope
from storeops.orders.models import Order
from storeops.stores.models import Store
from tests.connectors.factories import ALL_ORDERS_HEADER, order_row, tsv

runner = CliRunner()


def _store() -> int:
    result = runner.invoke(
        app,
        ["init", "--admin", "boss@acme.example", "--company", "ACME", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        [
            "store",
            "add",
            "--name",
            "Amazon US",
            "--platform",
            "amazon",
            "--model",
            "b2c",
            "--site",
            "US",
            "--currency",
            "USD",
            "--timezone",
            "America/Los_Angeles",
        ],
    )
    assert result.exit_code == 0, result.output
    with session_scope(get_engine()) as session:
        return int(session.scalar(select(Store.id)))


def _orders() -> int:
    with session_scope(get_engine()) as session:
        return int(session.scalar(select(func.count()).select_from(Order)) or 0)


def test_import_dry_run_then_real_then_again(fresh_db_url: str, tmp_path: Path) -> None:
    store_id = _store()
    path = tmp_path / "orders.txt"
    path.write_bytes(tsv(ALL_ORDERS_HEADER, [order_row("111-1"), order_row("111-2")]))
    base = ["import", "amazon", "all-orders", str(path), "--store", str(store_id), "-f", "json"]
    dry = runner.invoke(app, [*base, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["counts"]["orders"]["inserted"] == 2
    assert _orders() == 0
    real = runner.invoke(app, base)
    assert real.exit_code == 0, real.output
    assert json.loads(real.stdout)["status"] == "succeeded"
    again = runner.invoke(app, base)
    assert json.loads(again.stdout)["status"] == "skipped"
    assert _orders() == 2
    listing = runner.invoke(app, ["import-jobs", "list", "-f", "json"])
    assert [j["status"] for j in json.loads(listing.stdout)] == [
        "skipped",
        "succeeded",
        "succeeded",
    ]


def test_bad_rows_exit_2_list_each_row_and_write_an_escaped_error_file(
    fresh_db_url: str, tmp_path: Path
) -> None:
    store_id = _store()
    path = tmp_path / "orders.txt"
    path.write_bytes(
        tsv(ALL_ORDERS_HEADER, [order_row("111-1"), order_row("=HYPERLINK(1)", quantity="x")])
    )
    result = runner.invoke(
        app, ["import", "amazon", "all-orders", str(path), "--store", str(store_id)]
    )
    assert result.exit_code == 2
    assert "row 3, column quantity: is not a whole number" in result.output
    assert _orders() == 0
    error_file = tmp_path / "orders.errors.csv"
    rows = list(csv.reader(io.StringIO(error_file.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:4] == ["error_row", "error_column", "error_reason", "amazon-order-id"]
    assert rows[1][:4] == ["3", "quantity", "is not a whole number ('x')", "'=HYPERLINK(1)"]
    partial = runner.invoke(
        app, ["import", "amazon", "all-orders", str(path), "--store", str(store_id), "--partial"]
    )
    assert partial.exit_code == 0, partial.output
    assert _orders() == 1


def test_wrong_file_type_is_refused_with_its_reason(fresh_db_url: str, tmp_path: Path) -> None:
    store_id = _store()
    path = tmp_path / "orders.xlsx"
    path.write_bytes(b"%PDF-1.4 not a sheet")
    result = runner.invoke(
        app, ["import", "amazon", "all-orders", str(path), "--store", str(store_id)]
    )
    assert result.exit_code == 2
    assert "is a PDF document" in result.output


def test_a_mapping_profile_is_saved_and_used_from_the_cli(
    fresh_db_url: str, tmp_path: Path
) -> None:
    store_id = _store()
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps(
            {
                "order_id": {"column": "order"},
                "placed_at": {"column": "date"},
                "sku": {"column": "sku"},
                "quantity": {"column": "qty"},
                "line_amount": {"column": "amount"},
            }
        )
    )
    saved = runner.invoke(app, ["import-jobs", "profile-add", "mine", str(profile)])
    assert saved.exit_code == 0, saved.output
    path = tmp_path / "x.csv"
    path.write_text("order,date,sku,qty,amount\nX-1,2024-03-01T10:00:00+00:00,S,2,9.98\n")
    result = runner.invoke(
        app, ["import", "amazon", "mapping:mine", str(path), "--store", str(store_id), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["orders"]["inserted"] == 1
    listed = runner.invoke(app, ["import-jobs", "profiles", "-f", "json"])
    assert [p["name"] for p in json.loads(listed.stdout)] == ["mine"]
