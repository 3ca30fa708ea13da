"""Alembic migrations, shipped inside the package so ``storeops init`` can upgrade any install."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from storeops.db import Base

MIGRATIONS_DIR = Path(__file__).parent


def import_models() -> type[Base]:
    """Import every domain's models so that ``Base.metadata`` knows all tables."""
    import storeops.auth.models
    import storeops.catalog.models
    import storeops.connectors.models
    import storeops.crm.models
    import storeops.finance.models
    import storeops.logistics.models
    import storeops.market.models
    import storeops.marketing.models
    import storeops.orders.models
    import storeops.staff.models
    import storeops.standard.models
    import storeops.stores.models
    import storeops.supply.models  # noqa: F401

    return Base


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the database at ``url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Create or upgrade the schema of the database at ``url``."""
    command.upgrade(alembic_config(url), revision)


def check(url: str) -> None:
    """Fail if the models have changes that no migration captures (``alembic check``)."""
    command.check(alembic_config(url))
