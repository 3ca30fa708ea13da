"""``storeops market``: concentration, import with row errors, report, selection, rules, health."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from storeops.cli.main import app
from tests.market.test_research import SEARCH_CSV, sales_csv

runner = CliRunner()


def _init() -> None:
    result = runner.invoke(
        app,
        ["init", "--admin", "boss@acme.example", "--company", "ACME", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output


def test_concentration_needs_no_database() -> None:
    result = runner.invoke(app, ["market", "concentration", "A=30", "B=30", "C=20", "D=20",
                                 "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert (body["hhi"], body["cr4"], body["reading"]) == (2600.0, 100.0, "highly_concentrated")
    bad = runner.invoke(app, ["market", "concentration", "A30"])
    assert bad.exit_code == 2
    assert "'A30' is not FIRM=SALES" in bad.output


def test_import_report_select_rules_and_health(fresh_db_url: str, tmp_path: Path) -> None:
    _init()
    bad = tmp_path / "bad.csv"
    bad.write_text("period,seller,brand,price,units\n2025-01,A,X,1.00,-1\n")
    refused = runner.invoke(app, ["market", "import", "sales", str(bad), "--category", "Earbuds",
                                  "--market", "US", "--currency", "USD"])  # fmt: skip
    assert refused.exit_code == 2
    assert "row 2, units: -1 is negative" in refused.output
    sales = tmp_path / "sales.csv"
    sales.write_text(sales_csv())
    done = runner.invoke(app, ["market", "import", "sales", str(sales), "--category", "Earbuds",
                               "--market", "US", "--currency", "USD"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "imported 96 sales row(s) into dataset 1 (24 month(s), 0 earlier row(s) replaced)" in (
        done.output
    )
    search = tmp_path / "search.csv"
    search.write_text(SEARCH_CSV)
    assert runner.invoke(app, ["market", "import", "search-terms", str(search), "--category",
                               "Earbuds", "--market", "US", "--currency", "USD"]).exit_code == 0  # fmt: skip
    report = runner.invoke(app, ["market", "report", "1"])
    assert report.exit_code == 0, report.output
    assert "1.1.1 Market size, last 12 months: 13000.00 USD, 468 units" in report.output
    assert "CR4 100.0 %, CR8 100.0 %, HHI 2,600: highly concentrated" in report.output
    assert (
        "1.1.4 Turning points (3-month average, moves of 10 % or more): peak 2025-01, trough 2025-10"
        in report.output
    )
    assert "1.1.4 Hot search attributes: wireless, waterproof (rising)" in report.output

    select = runner.invoke(app, ["market", "select", "-p", "amazon", "-p", "shopee", "-p", "ebay",
                                 "-m", "US", "-m", "MY", "--category", "phone accessories"])  # fmt: skip
    assert select.exit_code == 0, select.output
    assert "Recommend " in select.output

    store = runner.invoke(app, ["store", "add", "--name", "Amazon US", "--platform", "amazon",
                                "--model", "b2c", "--site", "US", "--currency", "USD",
                                "--timezone", "UTC"])  # fmt: skip
    assert store.exit_code == 0, store.output
    health = runner.invoke(app, ["market", "health", "1", "--as-of", "2026-06-30", "--format",
                                 "json"])  # fmt: skip
    assert health.exit_code == 0, health.output
    rows = json.loads(health.output)
    assert {r["rule"]: r["status"] for r in rows}["odr"] == "no_data"

    rule_file = tmp_path / "rules.json"
    rule_file.write_text(json.dumps({
        "platform": "amazon", "version": "2026-12", "effective_from": "2026-12-01",
        "source": "notice", "rules": [{"code": "odr", "category": "operation",
        "title": "ODR below 0.8 %", "metric": "order_defect_rate", "comparator": "lt",
        "threshold": 0.8, "unit": "%", "window_days": 60, "source": "notice"}],
    }))  # fmt: skip
    imported = runner.invoke(app, ["market", "rules-import", str(rule_file)])
    assert imported.exit_code == 0, imported.output
    assert "imported amazon rules 2026-12 (before: bundled-2024-06)" in imported.output
    # odr changed, the six other bundled rules removed: one task each for the one store
    assert "1 store(s) affected, 7 follow-up task(s) opened" in imported.output
    tasks = runner.invoke(app, ["market", "follow-ups", "--format", "json"])
    assert len(json.loads(tasks.output)) == 7
    again = runner.invoke(app, ["market", "rules-import", str(rule_file)])
    assert again.exit_code == 4
    assert "already imported" in again.output
