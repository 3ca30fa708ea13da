"""A content hash of the simulated tables: equal hashes mean row-for-row identical data.

Columns ending in ``_ciphertext`` (the buyers' encrypted contacts) are left out: Fernet draws a
fresh random IV and stamps the time of encryption into every token, by design (the same plaintext
must not give the same ciphertext), so two runs never produce equal ciphertexts. Their content is
compared by decrypting instead (``tests/simulate/test_simulate.py``); the clear columns of those
rows (buyer, country, postcode prefix, times) are still hashed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, Table, select

from storeops.simulate.generate import _BULK_MODELS


def _normal(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return "1" if value else "0"
    if hasattr(value, "value"):  # enums
        return str(value.value)
    return str(value)


def content_hash(engine: Engine) -> dict[str, str]:
    """SHA-256 of every simulated table's rows (ordered by id, values normalised per type),
    without the ``*_ciphertext`` columns (random by design, see the module docstring)."""
    digests: dict[str, str] = {}
    with engine.connect() as connection:
        for model in _BULK_MODELS:
            table = model.__table__
            assert isinstance(table, Table)
            digest = hashlib.sha256()
            columns = [c for c in table.c if not c.name.endswith("_ciphertext")]
            result = connection.execution_options(yield_per=50_000).execute(
                select(*columns).order_by(table.c.id)
            )
            for row in result:
                digest.update("\x1f".join(_normal(v) for v in row).encode())
                digest.update(b"\x1e")
            digests[table.name] = digest.hexdigest()
    return digests
