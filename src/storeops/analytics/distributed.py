"""The distributed path: the warehouse's tables as Parquet, and the same registry on Spark.

``export_parquet`` writes every table the registry reads to one Parquet file each; any engine
Ibis supports can then serve them. ``spark_reader`` registers them in a Spark session and
returns an Ibis backend that ``compute_metrics`` accepts like the DuckDB one (every expression is
then run through Ibis as it is, not as a DuckDB prepared statement).
``tests/analytics/test_spark.py`` checks that Spark gives DuckDB's figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ibis.backends import BaseBackend

from storeops.analytics.registry import SOURCES
from storeops.analytics.warehouse import connect_warehouse

PARQUET_TABLES: tuple[str, ...] = tuple(
    sorted({s.table for s in SOURCES.values()} | {"ops_stores", "ops_listings"})
)


def export_parquet(warehouse: Path, directory: Path) -> dict[str, int]:
    """Write the registry's tables to ``directory/<table>.parquet``; rows per table."""
    directory.mkdir(parents=True, exist_ok=True)
    con = connect_warehouse(warehouse, read_only=True)
    counts: dict[str, int] = {}
    try:
        for name in PARQUET_TABLES:
            target = (directory / f"{name}.parquet").resolve()
            con.execute(f"COPY (SELECT * FROM {name}) TO '{target}' (FORMAT parquet)").fetchall()
            counts[name] = int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])
    finally:
        con.close()
    return counts


def spark_reader(spark: Any, directory: Path) -> BaseBackend:
    """An Ibis backend over a Spark session with the exported tables as temporary views."""
    import ibis

    for name in PARQUET_TABLES:
        spark.read.parquet(str((directory / f"{name}.parquet").resolve())).createOrReplaceTempView(
            name
        )
    backend: BaseBackend = ibis.pyspark.connect(spark)
    return backend
