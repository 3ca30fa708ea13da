"""``storeops backup FILE`` and ``storeops restore FILE``: verified backups of the ops database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storeops import backup as backups
from storeops.cli.common import cli_errors, out
from storeops.config import get_settings

DatabaseOption = typer.Option(
    "--database-url",
    help="SQLAlchemy URL of the database (default: the configured one, STOREOPS_DATABASE_URL).",
)


@cli_errors
def backup_command(
    file: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
    database_url: Annotated[str | None, DatabaseOption] = None,
) -> None:
    """Back up the database to FILE, online (SQLite backup API; pg_dump for PostgreSQL).

    Writes FILE.manifest.json beside it with the row count of every table and a content hash,
    which `storeops restore` checks after restoring.
    """
    url = database_url or get_settings().effective_database_url
    manifest = backups.backup(url, file)
    found = manifest.fingerprint
    out.print(
        f"backed up {found.total_rows} rows of {len(found.row_counts)} tables "
        f"({manifest.backend}) to {file}\ncontent hash {found.content_hash}",
        highlight=False,
    )


@cli_errors
def restore_command(
    file: Annotated[Path, typer.Argument(help="A backup written by `storeops backup`.")],
    database_url: Annotated[str | None, DatabaseOption] = None,
) -> None:
    """Restore FILE into a new, empty database and verify row counts and content hash.

    Refuses a database that already has tables. Exit code 4 if the restored data differs.
    """
    url = database_url or get_settings().effective_database_url
    restored = backups.restore(file, url)
    out.print(
        f"restored {restored.total_rows} rows of {len(restored.row_counts)} tables; "
        f"row counts and content hash {restored.content_hash[:16]}… match the backup",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``backup`` and ``restore`` to the top-level command."""
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
