"""Test set-up: every database test runs on SQLite and on a real PostgreSQL server.

``STOREOPS_TEST_POSTGRES_URL`` (set by ``scripts/with_postgres.py``, which ``make test`` uses)
points at a server on which each test worker creates its own database. Without it the
PostgreSQL half is skipped, unless ``STOREOPS_REQUIRE_POSTGRES=1`` makes that a failure.
Each test runs inside a transaction that is rolled back.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

os.environ.setdefault("STOREOPS_SECRET_KEY", "test-" + secrets.token_urlsafe(32))
os.environ.pop("STOREOPS_DATABASE_URL", None)
os.environ.pop("STOREOPS_DEMO", None)

from storeops.config import get_settings
from storeops.db import make_engine
from storeops.migrations import upgrade

BACKENDS = ("sqlite", "postgresql")


def new_database_url(backend: str, directory: Path) -> str:
    """The URL of a new, empty database: a SQLite file in ``directory`` or a PostgreSQL database."""
    if backend == "sqlite":
        return f"sqlite:///{directory / f'db-{secrets.token_hex(4)}.db'}"
    return _postgres_url(os.environ.get("PYTEST_XDIST_WORKER", "main"))


def _postgres_url(worker: str) -> str:
    server = os.environ.get("STOREOPS_TEST_POSTGRES_URL")
    if not server:
        if os.environ.get("STOREOPS_REQUIRE_POSTGRES") == "1":
            pytest.fail("STOREOPS_REQUIRE_POSTGRES=1 but STOREOPS_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server (set STOREOPS_TEST_POSTGRES_URL or run `make test`)")
    name = f"storeops_test_{worker}_{secrets.token_hex(3)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database on each backend."""
    url = new_database_url(request.param, tmp_path_factory.mktemp("sqlite"))
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose every change is rolled back after the test (commits become savepoints)."""
    connection = engine.connect()
    outer = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("STOREOPS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(params=BACKENDS)
def fresh_db_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A new migrated database that the code under test may commit to (CLI, server tests).

    ``STOREOPS_DATABASE_URL`` points at it for the duration of the test.
    """
    from storeops.db import get_engine

    url = new_database_url(request.param, tmp_path)
    upgrade(url)
    monkeypatch.setenv("STOREOPS_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield url
    get_engine(url).dispose()
    get_engine.cache_clear()
