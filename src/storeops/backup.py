"""Backups of the ops database and their verified restore.

- SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot while
  the server keeps running.
- PostgreSQL: ``pg_dump --format=custom`` on a snapshot exported by a REPEATABLE READ transaction,
  in which the row counts and content hash are computed too, so the manifest describes exactly
  what was dumped; ``pg_restore --single-transaction --exit-on-error`` restores it.

Every backup gets a manifest beside it (``FILE.manifest.json``: backend, row counts per table, a
SHA-256 content hash). ``restore`` refuses a database that is not empty, restores, recomputes the
counts and the hash of the restored database and raises ``BackupMismatch`` unless both match.
Passwords go to the tools through the environment (``PGPASSWORD``), never on their command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.engine import URL, make_url

from storeops.db import Base, make_engine
from storeops.errors import Conflict, DomainError, InvalidInput

MANIFEST_SUFFIX = ".manifest.json"


class BackupFailed(DomainError):
    code = "backup_failed"


class BackupMismatch(DomainError):
    """The restored database differs from the backup's manifest."""

    code = "backup_mismatch"
    kind = "conflict"


class TargetNotEmpty(Conflict):
    code = "restore_target_not_empty"


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Row counts per table and one SHA-256 over every row of every table."""

    row_counts: dict[str, int]
    content_hash: str

    @property
    def total_rows(self) -> int:
        return sum(self.row_counts.values())


@dataclass(frozen=True, slots=True)
class Manifest:
    backend: str
    created_at: str
    fingerprint: Fingerprint

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            backend=data["backend"],
            created_at=data["created_at"],
            fingerprint=Fingerprint(**data["fingerprint"]),
        )


def _normal(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if hasattr(value, "value"):  # enums
        return str(value.value)
    return str(value)


def fingerprint(connection: Connection) -> Fingerprint:
    """Counts and content hash of every storeops table (rows in primary-key order)."""
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    present = set(inspect(connection).get_table_names())
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        rows = 0
        digest.update(f"\x1d{table.name}".encode())
        for row in connection.execution_options(yield_per=20_000).execute(
            select(table).order_by(*order)
        ):
            digest.update("\x1f".join(_normal(v) for v in row).encode())
            digest.update(b"\x1e")
            rows += 1
        counts[table.name] = rows
    return Fingerprint(row_counts=counts, content_hash=digest.hexdigest())


def engine_fingerprint(engine: Engine) -> Fingerprint:
    """``fingerprint`` of the database behind ``engine``."""
    with engine.connect() as connection:
        return fingerprint(connection)


def manifest_path(file: Path) -> Path:
    return file.with_name(file.name + MANIFEST_SUFFIX)


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise InvalidInput("backups need a database file, not an in-memory database")
    return Path(url.database)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise BackupFailed(
        f"{name} not found: install the PostgreSQL client (apt-get install postgresql-client)"
    )


def _pg_args(url: URL) -> tuple[list[str], dict[str, str]]:
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise BackupFailed(f"{tool} failed: {result.stderr.strip()[-500:]}")


def backup(database_url: str, file: Path) -> Manifest:
    """Write a consistent backup of ``database_url`` to ``file`` and its manifest beside it."""
    url = make_url(database_url)
    file = file.resolve()
    if file.exists():
        raise Conflict(f"{file} exists already: choose a new file name", field="file")
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(file.name + ".partial")
    created = dt.datetime.now(dt.UTC).isoformat()
    try:
        if url.get_backend_name() == "sqlite":
            source = sqlite3.connect(_sqlite_path(url))
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
            copy = make_engine(f"sqlite:///{partial}")
            try:
                found = engine_fingerprint(copy)
            finally:
                copy.dispose()
            backend = "sqlite"
        elif url.get_backend_name() == "postgresql":
            found = _pg_backup(url, database_url, partial)
            backend = "postgresql"
        else:
            raise InvalidInput(f"cannot back up a {url.get_backend_name()} database")
        partial.replace(file)  # only a complete backup ever carries the final name
    finally:
        partial.unlink(missing_ok=True)
    manifest = Manifest(backend=backend, created_at=created, fingerprint=found)
    manifest_path(file).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def _pg_backup(url: URL, database_url: str, partial: Path) -> Fingerprint:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                args, env = _pg_args(url)
                _run(
                    [
                        _pg_tool("pg_dump"),
                        *args,
                        "--format=custom",
                        "--no-owner",
                        f"--snapshot={snapshot}",
                        "--file",
                        str(partial),
                        str(url.database),
                    ],
                    env,
                )
                return fingerprint(connection)
    finally:
        engine.dispose()


def _is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return not inspect(connection).get_table_names()


def restore(file: Path, database_url: str) -> Fingerprint:
    """Restore ``file`` into the empty database ``database_url`` and verify it against the manifest."""
    file = file.resolve()
    if not file.is_file():
        raise InvalidInput(f"no backup at {file}", field="file")
    manifest_file = manifest_path(file)
    if not manifest_file.is_file():
        raise InvalidInput(f"the manifest {manifest_file.name} is missing beside the backup")
    manifest = Manifest.read(manifest_file)
    url = make_url(database_url)
    if url.get_backend_name() != manifest.backend:
        raise InvalidInput(
            f"this is a {manifest.backend} backup; restore it into a {manifest.backend} database"
        )
    engine = make_engine(database_url)
    try:
        if not _is_empty(engine):
            raise TargetNotEmpty(
                "the target database is not empty: restore into a new, empty database"
            )
        if manifest.backend == "sqlite":
            engine.dispose()
            source = sqlite3.connect(file)
            target = sqlite3.connect(_sqlite_path(url))
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            args, env = _pg_args(url)
            _run(
                [
                    _pg_tool("pg_restore"),
                    *args,
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    "--dbname",
                    str(url.database),
                    str(file),
                ],
                env,
            )
        restored = engine_fingerprint(engine)
    finally:
        engine.dispose()
    if restored != manifest.fingerprint:
        differing = sorted(
            name
            for name in set(restored.row_counts) | set(manifest.fingerprint.row_counts)
            if restored.row_counts.get(name) != manifest.fingerprint.row_counts.get(name)
        )
        raise BackupMismatch(
            "the restored database differs from the backup: "
            + (f"row counts of {', '.join(differing)}" if differing else "content hash")
        )
    return restored
