"""Alembic environment: one URL, batch mode for SQLite, the storeops metadata."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from storeops.db import make_engine
from storeops.migrations import import_models

config = context.config
target_metadata = import_models().metadata


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from storeops.config import get_settings

        url = get_settings().effective_database_url
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable, url)
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        _run(connection, url)
    engine.dispose()


def _run(connection: Connection, url: str) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
