"""``storeops backup`` / ``storeops restore`` on SQLite and PostgreSQL, verified by restoring into a
fresh database: equal row counts, equal content hash (ours and the simulator's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from storeops import backup as backups
from storeops.cli.main import app
from storeops.db import make_engine, session_scope
from storeops.migrations import upgrade
from storeops.orders.models import Order
from storeops.simulate.fingerprint import content_hash
from storeops.simulate.generate import simulate
from storeops.simulate.scales import parse_scale
from tests.conftest import new_database_url

runner = CliRunner()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_backup_then_restore_into_a_fresh_database_is_identical(
    backend: str, tmp_path: Path
) -> None:
    source_url = new_database_url(backend, tmp_path)
    upgrade(source_url)
    source = make_engine(source_url)
    simulate(source, seed=5, scale=parse_scale("tiny"), company_name="Backup Co")
    with session_scope(source) as session:
        orders = session.scalar(select(func.count()).select_from(Order))
    assert orders and orders > 50
    before = backups.engine_fingerprint(source)
    simulated_before = content_hash(source)

    file = tmp_path / "nightly.backup"
    result = runner.invoke(app, ["backup", str(file), "--database-url", source_url])
    assert result.exit_code == 0, result.output
    assert f"backed up {before.total_rows} rows" in result.output
    manifest = json.loads((tmp_path / "nightly.backup.manifest.json").read_text())
    assert manifest["backend"] == backend
    assert manifest["fingerprint"]["content_hash"] == before.content_hash
    assert manifest["fingerprint"]["row_counts"]["orders"] == orders
    assert not list(tmp_path.glob("*.partial"))

    # the source changes after the backup: the restore brings back the backed-up state
    with source.begin() as connection:
        connection.execute(text("DELETE FROM tracking_events"))
    target_url = new_database_url(backend, tmp_path)
    result = runner.invoke(app, ["restore", str(file), "--database-url", target_url])
    assert result.exit_code == 0, result.output
    assert "row counts and content hash" in result.output
    target = make_engine(target_url)
    try:
        after = backups.engine_fingerprint(target)
        assert after == before
        assert content_hash(target) == simulated_before
        with session_scope(target) as session:
            assert session.scalar(select(func.count()).select_from(Order)) == orders
    finally:
        target.dispose()
        source.dispose()

    # a second restore into the now non-empty database is refused, nothing written
    again = runner.invoke(app, ["restore", str(file), "--database-url", target_url])
    assert again.exit_code == 4
    assert "the target database is not empty" in again.output


def test_a_tampered_backup_is_detected(tmp_path: Path) -> None:
    url = new_database_url("sqlite", tmp_path)
    upgrade(url)
    engine = make_engine(url)
    simulate(engine, seed=5, scale=parse_scale("tiny"), company_name="Tamper Co")
    engine.dispose()
    file = tmp_path / "b.sqlite"
    backups.backup(url, file)
    tampered = make_engine(f"sqlite:///{file}")
    with tampered.begin() as connection:
        connection.execute(text("UPDATE orders SET status = 'cancelled' WHERE id = 1"))
    tampered.dispose()
    with pytest.raises(backups.BackupMismatch, match="content hash"):
        backups.restore(file, new_database_url("sqlite", tmp_path))


def test_backup_refuses_to_overwrite_and_needs_its_manifest(tmp_path: Path) -> None:
    url = new_database_url("sqlite", tmp_path)
    upgrade(url)
    file = tmp_path / "b.sqlite"
    backups.backup(url, file)
    result = runner.invoke(app, ["backup", str(file), "--database-url", url])
    assert result.exit_code == 4
    assert "exists already" in result.output
    (tmp_path / "b.sqlite.manifest.json").unlink()
    missing = runner.invoke(
        app, ["restore", str(file), "--database-url", new_database_url("sqlite", tmp_path)]
    )
    assert missing.exit_code == 2
    assert "manifest" in missing.output
