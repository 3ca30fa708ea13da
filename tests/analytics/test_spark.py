"""The distributed path: the registry on PySpark (local mode) gives DuckDB's figures exactly."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from storeops.analytics.distributed import export_parquet, spark_reader
from storeops.analytics.metrics import MetricReport, compute_metrics, open_warehouse
from storeops.analytics.rfm import rfm_segments
from storeops.analytics.warehouse import sync_warehouse
from storeops.auth.scoping import system_actor
from storeops.db import make_engine
from storeops.migrations import upgrade
from tests.analytics.dataset import END, START, build


def _spark(tmp: Path) -> Any:
    # CI sets STOREOPS_REQUIRE_SPARK=1: there a missing PySpark or Java fails instead of skipping
    required = os.environ.get("STOREOPS_REQUIRE_SPARK") == "1"
    try:
        pyspark = importlib.import_module("pyspark.sql")
    except ImportError:
        if required:
            pytest.fail("PySpark is required (pip install -e '.[spark]')")
        pytest.skip("PySpark is not installed (pip install -e '.[spark]')")
    if shutil.which("java") is None:
        if required:
            pytest.fail("Java is required for the Spark test (openjdk-17-jre-headless)")
        pytest.skip("no Java runtime (apt-get install -y openjdk-17-jre-headless)")
    return (
        pyspark.SparkSession.builder.master("local[2]")
        .appName("storeops-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", str(tmp / "spark-warehouse"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    session = _spark(tmp_path_factory.mktemp("spark"))
    yield session
    session.stop()


def _table(report: MetricReport) -> tuple[list[Any], dict[str, Any]]:
    figures = [(f.metric.slug, f.group, f.value, f.reason) for f in report.figures]
    rankings = {k: [r.as_dict() for r in v] for k, v in report.rankings.items()}
    return figures, rankings


def test_spark_gives_duckdbs_figures(spark: Any, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    upgrade(url)
    engine = make_engine(url)
    data = build(engine)
    warehouse = tmp_path / "warehouse.duckdb"
    sync_warehouse(url, warehouse)
    counts = export_parquet(warehouse, tmp_path / "parquet")
    assert counts["fact_orders"] == 8  # the 8 hand-built orders
    on_spark = spark_reader(spark, tmp_path / "parquet")
    with Session(engine) as session:
        actor = system_actor(session, data.company_id)
        for by in (None, "week", "country"):
            args: dict[str, Any] = {
                "actor": actor, "store_id": data.store_id, "start": START, "end": END, "by": by,
            }  # fmt: skip
            with open_warehouse(warehouse) as duck:
                expected = _table(compute_metrics(session, reader=duck, **args))
            assert _table(compute_metrics(session, reader=on_spark, **args)) == expected
        with open_warehouse(warehouse) as duck:
            segments = rfm_segments(
                session, actor=actor, reader=duck, store_id=data.store_id, start=START, end=END
            )
        assert (
            rfm_segments(
                session, actor=actor, reader=on_spark, store_id=data.store_id, start=START, end=END
            )
            == segments
        )
        empty = compute_metrics(
            session, reader=on_spark, actor=actor, store_id=data.store_id,
            start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 7), metrics=["ctr", "orders_paid"],
        )  # fmt: skip
        assert [(f.value, f.reason) for f in empty.figures] == [
            (None, "no impressions in the period"),
            (0, None),
        ]
    engine.dispose()
