from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from storeops.config import DEFAULT_SECRET_KEY, InsecureSecretKey, Settings
from storeops.crypto import CannotDecrypt, decrypt, encrypt, token_digest
from storeops.db import UTCDateTime, make_engine


def test_server_refuses_the_default_secret_outside_demo_mode() -> None:
    with pytest.raises(InsecureSecretKey, match="STOREOPS_SECRET_KEY is the published default"):
        Settings(secret_key=DEFAULT_SECRET_KEY, demo=False).require_server_secret()
    Settings(secret_key=DEFAULT_SECRET_KEY, demo=True).require_server_secret()
    Settings(secret_key="x" * 40, demo=False).require_server_secret()


def test_default_database_is_sqlite_under_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=None)
    assert settings.effective_database_url == f"sqlite:///{tmp_path.resolve() / 'storeops.db'}"


def test_encryption_round_trips_and_binds_key_and_purpose(monkeypatch: pytest.MonkeyPatch) -> None:
    from storeops.config import get_settings

    ciphertext = encrypt("Amz-refresh-token-123", purpose="platform-credential")
    assert "Amz-refresh-token-123" not in ciphertext
    assert decrypt(ciphertext, purpose="platform-credential") == "Amz-refresh-token-123"
    with pytest.raises(CannotDecrypt, match="was STOREOPS_SECRET_KEY changed"):
        decrypt(ciphertext, purpose="buyer-pii")
    monkeypatch.setenv("STOREOPS_SECRET_KEY", "another-secret-key-of-enough-length")
    get_settings.cache_clear()
    with pytest.raises(CannotDecrypt):
        decrypt(ciphertext, purpose="platform-credential")


def test_token_digest_is_sha256_hex() -> None:
    assert token_digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_utc_column_refuses_naive_and_returns_aware() -> None:
    from sqlalchemy.dialects import postgresql, sqlite

    column = UTCDateTime()
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        with pytest.raises(ValueError, match="naive datetime"):
            column.process_bind_param(dt.datetime(2024, 1, 1), dialect)  # noqa: DTZ001
    shanghai = dt.datetime(2024, 1, 1, 8, 0, 0, 250, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    utc = dt.datetime(2024, 1, 1, 0, 0, 0, 250, tzinfo=dt.UTC)
    assert column.process_bind_param(shanghai, postgresql.dialect()) == utc
    # SQLite: whole microseconds since the epoch, worked out by hand: 2024-01-01 is day 19,723
    stored = column.process_bind_param(shanghai, sqlite.dialect())
    assert stored == 19_723 * 86_400 * 1_000_000 + 250
    assert column.process_result_value(stored, sqlite.dialect()) == utc
    naive_from_driver = dt.datetime(2024, 1, 1, 0)  # noqa: DTZ001
    assert column.process_result_value(naive_from_driver, postgresql.dialect()) == dt.datetime(
        2024, 1, 1, tzinfo=dt.UTC
    )


def test_sqlite_keeps_utc_timestamps_as_integers(tmp_path: Path) -> None:
    from sqlalchemy import Column, Integer, MetaData, Table, insert, select

    engine = make_engine(f"sqlite:///{tmp_path / 'stamps.db'}")
    table = Table(
        "stamps", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime())
    )
    table.create(engine)
    moment = dt.datetime(2025, 7, 8, 9, 30, 15, 123456, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, at=moment))
        raw = conn.exec_driver_sql(
            "SELECT at, typeof(at), datetime(at / 1000000, 'unixepoch') FROM stamps"
        ).one()
        assert raw[1:] == ("integer", "2025-07-08 09:30:15")
        assert conn.execute(select(table.c.at)).scalar() == moment
        later = conn.execute(
            select(table.c.id).where(table.c.at > moment - dt.timedelta(microseconds=1))
        )
        assert later.scalars().all() == [1]
    engine.dispose()


def test_new_sqlite_databases_use_16k_pages(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pages.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA page_size")).scalar() == 16384
    engine.dispose()
