"""The import job boundary: committed jobs, refusals recorded, crash safety, stale-job recovery."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storeops.auth.scoping import system_actor
from storeops.connectors import service
from storeops.connectors.enums import ImportStatus
from storeops.connectors.errors import FileRefused
from storeops.connectors.jobs import run_import
from storeops.connectors.models import ImportJob
from storeops.db import make_engine, session_scope
from storeops.orders.models import Order
from tests.connectors.factories import ALL_ORDERS_HEADER, amazon_store, order_row, tsv
from tests.factories import make_company


def _setup(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        company = make_company(session)
        store, _ = amazon_store(session, company=company)
        ids = company.id, store.id
    engine.dispose()
    return ids


def test_a_refused_file_leaves_a_rejected_job_and_no_data(fresh_db_url: str) -> None:
    company_id, store_id = _setup(fresh_db_url)
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        actor = system_actor(session, company_id, label="test")
    with pytest.raises(FileRefused, match="header lacks"):
        run_import(
            engine,
            actor=actor,
            store_id=store_id,
            platform="amazon",
            report="all-orders",
            file_name="x.csv",
            data=b"a,b\n1,2\n",
        )
    good = tsv(ALL_ORDERS_HEADER, [order_row("111-1")])
    job = run_import(
        engine,
        actor=actor,
        store_id=store_id,
        platform="amazon",
        report="all-orders",
        file_name="orders.txt",
        data=good,
    )
    with session_scope(engine) as session:
        jobs = session.scalars(select(ImportJob).order_by(ImportJob.id)).all()
        assert [(j.status, j.finished_at is not None) for j in jobs] == [
            (ImportStatus.REJECTED, True),
            (ImportStatus.SUCCEEDED, True),
        ]
        assert "header lacks" in jobs[0].message
        assert jobs[1].id == job.id and jobs[1].actor_label == "test"
        assert session.scalar(select(func.count()).select_from(Order)) == 1
    engine.dispose()


def test_stale_running_jobs_are_marked_abandoned(fresh_db_url: str) -> None:
    company_id, store_id = _setup(fresh_db_url)
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        actor = system_actor(session, company_id, label="test")
        dead = service.start_import(
            session,
            store_id=store_id,
            platform="amazon",
            report="all-orders",
            file_name="a.txt",
            data=b"x",
            actor=actor,
        )
        dead.pid = 2**22 + 12345  # no such process
        old = service.start_import(
            session,
            store_id=store_id,
            platform="amazon",
            report="all-orders",
            file_name="b.txt",
            data=b"y",
            actor=actor,
        )
        old.host = "another-machine"
        old.started_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=7)
        alive = service.start_import(
            session,
            store_id=store_id,
            platform="amazon",
            report="all-orders",
            file_name="c.txt",
            data=b"z",
            actor=actor,
        )
        alive.host = "another-machine"
        ids = dead.id, old.id, alive.id
    with session_scope(engine) as session:
        assert sorted(service.recover_stale_jobs(session)) == sorted(ids[:2])
    with session_scope(engine) as session:
        statuses = [session.get_one(ImportJob, i).status for i in ids]
    assert statuses == [ImportStatus.ABANDONED, ImportStatus.ABANDONED, ImportStatus.RUNNING]
    engine.dispose()


_CHILD = """
import sys
from pathlib import Path
from storeops.auth.scoping import system_actor
from storeops.connectors.jobs import run_import
from storeops.db import make_engine, session_scope
url, company_id, store_id, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
engine = make_engine(url)
with session_scope(engine) as s:
    actor = system_actor(s, company_id)
print("go", flush=True)
run_import(engine, actor=actor, store_id=store_id, platform="amazon", report="all-orders",
           file_name="big.txt", data=Path(path).read_bytes(), force=True)
print("done", flush=True)
"""


def test_killing_the_importer_at_random_points_leaves_all_or_nothing(
    fresh_db_url: str, tmp_path: Path
) -> None:
    company_id, _ = _setup(fresh_db_url)
    orders = 15_000
    rows = [
        order_row(f"111-{i:07d}", sku=f"S{i % 40}", asin=f"B{i % 40:09d}", price="9.99")
        for i in range(orders)
    ]
    path = tmp_path / "big.txt"
    path.write_bytes(tsv(ALL_ORDERS_HEADER, rows))
    engine = make_engine(fresh_db_url)
    rng = random.Random(5)
    outcomes = []
    duration = 0.0
    for attempt in range(8):
        with session_scope(engine) as session:  # a new store each run: all or nothing per run
            from storeops.stores.models import Company

            store, _actor = amazon_store(session, company=session.get_one(Company, company_id))
            store_id = store.id
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, fresh_db_url, str(company_id), str(store_id), str(path)],
            stdout=subprocess.PIPE,
            stderr=(tmp_path / "child.err").open("wb"),
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
        assert child.stdout is not None
        said = child.stdout.readline().strip()
        assert said == b"go", (tmp_path / "child.err").read_text()
        started = time.monotonic()
        if attempt == 0:  # the first run finishes: how long an import takes on this machine now
            assert child.wait() == 0
            duration = time.monotonic() - started
        else:  # the others are killed at a random point of that span
            time.sleep(rng.uniform(0.0, duration))
            child.send_signal(signal.SIGKILL)
            child.wait()
        with session_scope(engine) as session:
            count = session.scalar(
                select(func.count()).select_from(Order).where(Order.store_id == store_id)
            )
            service.recover_stale_jobs(session)
        with session_scope(engine) as session:
            running = session.scalar(
                select(func.count())
                .select_from(ImportJob)
                .where(ImportJob.status == ImportStatus.RUNNING)
            )
        assert count in (0, orders)
        assert running == 0
        outcomes.append(count)
    with session_scope(engine) as session:
        statuses = session.scalars(select(ImportJob.status)).all()
    assert set(statuses) <= {ImportStatus.ABANDONED, ImportStatus.SUCCEEDED}
    assert ImportStatus.ABANDONED in statuses, outcomes  # some runs were killed mid-import
    assert ImportStatus.SUCCEEDED in statuses, outcomes  # and some finished first
    engine.dispose()
