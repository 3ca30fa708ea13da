"""Benchmark of ``storeops simulate``: how fast a whole company is written into SQLite and PostgreSQL.

Run it from the repository root (see ``benchmarks/README.md``)::

    .venv/bin/python benchmarks/simulate.py --scales medium,large --backends sqlite,postgresql

For every backend and scale it creates a fresh database, applies the migrations, runs the
simulation in a child process (so that the wall time and the peak resident memory of that process
are measured alone), counts the rows in the database afterwards and reports rows/s and order
lines/s, also as a ratio to a raw-insert baseline measured on the same machine in the same run.
The results are printed as a table and written as JSON to ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import psycopg
from numpy.typing import NDArray
from psycopg import sql
from rich.console import Console
from rich.table import Table
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from storeops.db import make_engine
from storeops.errors import InvalidInput
from storeops.simulate.scales import parse_scale

REPO = Path(__file__).resolve().parents[1]
RESULTS_DIR = REPO / "benchmarks" / "results"
BACKENDS = ("sqlite", "postgresql")
POSTGRES_URL_ENV = "STOREOPS_BENCH_POSTGRES_URL"

# The targets of the issue: the large scale into SQLite in under 5 minutes and under 4 GB.
TARGET_SCALE = "large"
TARGET_BACKEND = "sqlite"
TARGET_SECONDS = 300.0
TARGET_RSS_BYTES = 4_000_000_000

BASELINE_ROWS = 2_000_000
BASELINE_BATCH = 100_000  # the simulator's writer converts and sends rows in batches of this size
MB = 1_000_000

# The child process: import, simulate, report. The database URL comes through the environment so
# that a password never shows up in the process list.
CHILD_CODE = """
import json, os, sys, time
started = time.perf_counter()
from storeops.db import make_engine
from storeops.simulate.generate import simulate
from storeops.simulate.scales import parse_scale
imported = time.perf_counter()
scale_text, seed, company, out_path = sys.argv[1:5]
marks = []
def progress(label, _advance):
    marks.append([label, time.perf_counter() - imported])
engine = make_engine(os.environ["STOREOPS_DATABASE_URL"])
result = simulate(
    engine, seed=int(seed), scale=parse_scale(scale_text), company_name=company, progress=progress
)
engine.dispose()
finished = time.perf_counter()
with open(out_path, "w", encoding="utf-8") as out:
    json.dump(
        {
            "import_s": imported - started,
            "simulate_s": finished - imported,
            "simulator_seconds": result.seconds,
            "rows": result.rows,
            "marks": marks,
        },
        out,
    )
"""
MIGRATE_CODE = (
    "import os\n"
    "from storeops.migrations import upgrade\n"
    "upgrade(os.environ['STOREOPS_DATABASE_URL'])\n"
)


# --- results -------------------------------------------------------------------------------------


@dataclass
class Baseline:
    """Raw insert speed of one backend on this machine."""

    backend: str
    method: str
    rows: int
    seconds: float

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Run:
    """One simulation into one fresh database."""

    backend: str
    scale: str
    seed: int
    scale_order_lines: int
    period: str
    is_target: bool
    ok: bool = False
    error: str | None = None
    migrate_s: float = 0.0
    wall_s: float = 0.0  # the child process, from start to exit
    import_s: float = 0.0  # Python start-up excluded; imports inside the child
    simulate_s: float = 0.0  # simulate() and engine.dispose() inside the child
    peak_rss_bytes: int = 0
    order_lines: int = 0
    total_rows: int = 0
    rows_reported_by_simulator: int = 0
    rows_by_table: dict[str, int] = field(default_factory=dict)
    db_bytes: int = 0
    db_peak_bytes: int | None = None  # SQLite only: largest file + WAL seen during the run
    phases: list[tuple[str, float]] = field(default_factory=list)

    @property
    def rows_per_s(self) -> float:
        return self.total_rows / self.simulate_s if self.simulate_s > 0 else 0.0

    @property
    def order_lines_per_s(self) -> float:
        return self.order_lines / self.simulate_s if self.simulate_s > 0 else 0.0

    def verdict(self) -> str:
        """PASS/MISS against the issue's targets; ``n/a`` where they do not apply."""
        if not self.is_target:
            return "n/a"
        if not self.ok:
            return "MISS (failed)"
        misses = []
        if self.wall_s >= TARGET_SECONDS:
            misses.append(f"time {self.wall_s:.0f} s")
        if self.peak_rss_bytes >= TARGET_RSS_BYTES:
            misses.append(f"memory {self.peak_rss_bytes / MB:,.0f} MB")
        return "PASS" if not misses else "MISS (" + ", ".join(misses) + ")"


# --- the machine ---------------------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _cpu_model() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Hardware", "Processor") and value.strip():
            return value.strip()
    return platform.processor() or platform.machine()


def _ram_bytes() -> int:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return 0


def _filesystem(path: Path) -> str:
    """The filesystem type under ``path`` (``tmpfs`` would mean the databases live in RAM)."""
    best, kind = "", "unknown"
    resolved = str(path.resolve())
    for line in _read("/proc/mounts").splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mount = parts[1]
            inside = resolved == mount or resolved.startswith(mount.rstrip("/") + "/")
            if inside and len(mount) > len(best):
                best, kind = mount, parts[2]
    return kind


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def machine_info(workdir: Path) -> dict[str, Any]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "ram_bytes": _ram_bytes(),
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "sqlite": sqlite3.sqlite_version,
        "postgresql": None,  # filled in when a server is used
        "packages": {
            name: _version(name) for name in ("numpy", "sqlalchemy", "psycopg", "storeops")
        },
        "workdir": str(workdir),
        "workdir_filesystem": _filesystem(workdir),
        "load_average_at_start": list(os.getloadavg()),
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }


# --- PostgreSQL ----------------------------------------------------------------------------------


def _with_postgres_helpers() -> ModuleType:
    """``scripts/with_postgres.py``, loaded as a module so that its helpers are reused."""
    path = REPO / "scripts" / "with_postgres.py"
    spec = importlib.util.spec_from_file_location("storeops_with_postgres", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def throwaway_postgres(base: Path, console: Console) -> Iterator[str | None]:
    """A private PostgreSQL cluster for the run, started as ``scripts/with_postgres.py`` does.

    Unlike the test runner it keeps the server's default durability settings (fsync on), so
    that the figures mean what they would on a real server. Yields ``None`` when no server
    binaries are installed or the server does not start.
    """
    helpers = _with_postgres_helpers()
    pg_bin = helpers._pg_bin()
    if pg_bin is None:
        console.print(
            "[yellow]PostgreSQL skipped:[/] no server binaries (Debian: apt-get install "
            f"postgresql) and {POSTGRES_URL_ENV} is not set"
        )
        yield None
        return
    as_root = os.geteuid() == 0
    workdir = Path(tempfile.mkdtemp(prefix="storeops-bench-pg-", dir=base))
    data, log, port = workdir / "data", workdir / "server.log", helpers._free_port()
    ctl = str(pg_bin / "pg_ctl")
    started, url = False, None
    try:
        if as_root:
            shutil.chown(workdir, "postgres")
        initdb = [str(pg_bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
        subprocess.run(
            helpers._as_postgres([*initdb, "-E", "UTF8"], as_root),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1"
        subprocess.run(
            helpers._as_postgres(
                [ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"], as_root
            ),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started = True
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        console.print(f"throwaway PostgreSQL server on 127.0.0.1:{port} ({pg_bin})")
    except (OSError, subprocess.CalledProcessError) as error:
        detail = error.stderr if isinstance(error, subprocess.CalledProcessError) else None
        reason = (detail or b"").decode(errors="replace").strip() or str(error)
        console.print(
            f"[yellow]PostgreSQL skipped:[/] the throwaway server did not start: {reason}"
        )
    try:
        yield url
    finally:
        if started:
            subprocess.run(
                helpers._as_postgres([ctl, "-D", str(data), "-m", "fast", "stop"], as_root),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(workdir, ignore_errors=True)


def _sqlalchemy_url(url: str) -> URL:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _libpq_url(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def create_pg_database(server: URL, name: str) -> URL:
    with psycopg.connect(_libpq_url(server), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.set(database=name)


def drop_pg_database(server: URL, name: str) -> None:
    with psycopg.connect(_libpq_url(server), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def pg_server_version(server: URL) -> str:
    with psycopg.connect(_libpq_url(server)) as conn:
        row = conn.execute("SELECT current_setting('server_version')").fetchone()
    return str(row[0]) if row else "?"


# --- baselines -----------------------------------------------------------------------------------


def _baseline_batch(
    seed: int, start: int, stop: int
) -> tuple[list[int], list[int], NDArray[np.int64], list[str], list[int], list[str]]:
    """Rows of the baseline table's shape, as the simulator's writer prepares them (lists)."""
    rng = np.random.default_rng([seed, 99, start])
    n = stop - start
    seconds = 1_727_740_800 + rng.integers(0, 730 * 86_400, n)  # two years from 2024-10-01
    status = np.array(["paid", "shipped", "delivered", "cancelled", "refunded"], dtype=object)
    currency = np.array(["USD", "EUR", "JPY", "MYR", "THB", "GBP"], dtype=object)
    return (
        list(range(start + 1, stop + 1)),
        rng.integers(1, 9, n).tolist(),
        seconds,
        status[rng.integers(0, status.size, n)].tolist(),
        rng.integers(100, 50_000, n).tolist(),
        currency[rng.integers(0, currency.size, n)].tolist(),
    )


def _stamps(seconds: NDArray[np.int64], sqlite: bool) -> list[str]:
    raw = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
    if sqlite:
        values = np.char.add(np.char.replace(raw, "T", " "), ".000000")
    else:
        values = np.char.add(raw, "+00")
    out: list[str] = values.tolist()
    return out


def sqlite_baseline(path: Path, rows: int, seed: int) -> Baseline:
    """``executemany`` of ``rows`` rows into a 6-column table, one transaction, WAL mode."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE bench (id INTEGER PRIMARY KEY, store_id INTEGER NOT NULL, "
            "placed_at TEXT NOT NULL, status TEXT NOT NULL, amount INTEGER NOT NULL, "
            "currency TEXT NOT NULL)"
        )
        insert = "INSERT INTO bench VALUES (?, ?, ?, ?, ?, ?)"
        elapsed = 0.0
        conn.execute("BEGIN")
        for start in range(0, rows, BASELINE_BATCH):
            ids, store, seconds, status, amount, currency = _baseline_batch(
                seed, start, min(start + BASELINE_BATCH, rows)
            )
            stamps = _stamps(seconds, sqlite=True)
            began = time.perf_counter()
            conn.executemany(insert, zip(ids, store, stamps, status, amount, currency, strict=True))
            elapsed += time.perf_counter() - began
        began = time.perf_counter()
        conn.execute("COMMIT")
        elapsed += time.perf_counter() - began
    finally:
        conn.close()
    return Baseline("sqlite", "sqlite3 executemany, one transaction", rows, elapsed)


def postgres_baseline(database: URL, rows: int, seed: int) -> Baseline:
    """psycopg ``COPY ... FROM STDIN`` (``write_row``) of ``rows`` rows, one transaction."""
    with psycopg.connect(_libpq_url(database)) as conn:
        conn.execute(
            "CREATE TABLE bench (id bigint PRIMARY KEY, store_id bigint NOT NULL, "
            "placed_at timestamptz NOT NULL, status varchar(32) NOT NULL, "
            "amount bigint NOT NULL, currency varchar(3) NOT NULL)"
        )
        conn.commit()
        elapsed = 0.0
        with conn.cursor() as cursor:
            copy_sql = "COPY bench (id, store_id, placed_at, status, amount, currency) FROM STDIN"
            began = time.perf_counter()
            with cursor.copy(copy_sql) as copy:
                elapsed += time.perf_counter() - began
                for start in range(0, rows, BASELINE_BATCH):
                    ids, store, seconds, status, amount, currency = _baseline_batch(
                        seed, start, min(start + BASELINE_BATCH, rows)
                    )
                    stamps = _stamps(seconds, sqlite=False)
                    began = time.perf_counter()
                    for row in zip(ids, store, stamps, status, amount, currency, strict=True):
                        copy.write_row(row)
                    elapsed += time.perf_counter() - began
                began = time.perf_counter()
            conn.commit()
            elapsed += time.perf_counter() - began
    return Baseline("postgresql", "psycopg COPY write_row, one transaction", rows, elapsed)


# --- one simulation ------------------------------------------------------------------------------


def _child_env(url: str, data_dir: Path) -> dict[str, str]:
    return dict(os.environ, STOREOPS_DATABASE_URL=url, STOREOPS_DATA_DIR=str(data_dir))


def _count_rows(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
            return {
                name: int(conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one())  # noqa: S608
                for name in sorted(names)
            }
    finally:
        engine.dispose()


def _sqlite_bytes(path: Path) -> int:
    total = 0
    for candidate in (path, path.with_name(path.name + "-wal")):
        with contextlib.suppress(OSError):
            total += candidate.stat().st_size
    return total


def _rss_bytes(maxrss: int) -> int:
    return maxrss if sys.platform == "darwin" else maxrss * 1024  # Linux reports KiB


def _tail(path: Path, lines: int = 15) -> str:
    return "\n".join(_read(str(path)).strip().splitlines()[-lines:])


def _phases(marks: list[list[Any]]) -> list[tuple[str, float]]:
    """Seconds up to each progress report; the monthly "orders …" and "traffic …" reports summed."""
    out: dict[str, float] = {}
    previous = 0.0
    for label, at in marks:
        name = str(label)
        head = name.split(" ", 1)[0]
        if head in ("orders", "traffic"):
            name = head
        out[name] = out.get(name, 0.0) + float(at) - previous
        previous = float(at)
    return list(out.items())


def run_simulation(
    run: Run, url: str, rundir: Path, sqlite_path: Path | None, timeout: float | None
) -> None:
    """Migrate, simulate in a child process, then count what was written."""
    env = _child_env(url, rundir)
    began = time.perf_counter()
    migrated = subprocess.run(
        [sys.executable, "-c", MIGRATE_CODE],
        cwd=rundir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    run.migrate_s = time.perf_counter() - began
    if migrated.returncode != 0:
        run.error = "migrations failed: " + migrated.stderr.strip()[-2000:]
        return
    before = _count_rows(url)
    out_json, stdout, stderr = rundir / "child.json", rundir / "child.out", rundir / "child.err"
    argv = [
        sys.executable,
        "-c",
        CHILD_CODE,
        run.scale,
        str(run.seed),
        "Benchmark Co.",
        str(out_json),
    ]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        began = time.perf_counter()
        child = subprocess.Popen(argv, cwd=rundir, env=env, stdout=out, stderr=err)
        done = threading.Event()
        timed_out = threading.Event()

        def watch() -> None:
            # samples the SQLite file + WAL while the transaction grows; enforces --timeout
            while not done.wait(0.5):
                if sqlite_path is not None:
                    run.db_peak_bytes = max(run.db_peak_bytes or 0, _sqlite_bytes(sqlite_path))
                if timeout is not None and time.perf_counter() - began > timeout:
                    timed_out.set()
                    child.kill()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            # wait4 reports this child's own resource usage: ru_maxrss is its peak RSS
            _, status, usage = os.wait4(child.pid, 0)
            run.wall_s = time.perf_counter() - began
        except BaseException:
            child.kill()
            child.wait()
            raise
        finally:
            done.set()
            watcher.join()
        child.returncode = os.waitstatus_to_exitcode(status)
    run.peak_rss_bytes = _rss_bytes(usage.ru_maxrss)
    if child.returncode != 0:
        reason = (
            f"timed out after {timeout:.0f} s" if timed_out.is_set() else f"exit {child.returncode}"
        )
        run.error = f"simulation {reason}: {_tail(stderr)}"
        return
    report = json.loads(out_json.read_text(encoding="utf-8"))
    run.import_s = float(report["import_s"])
    run.simulate_s = float(report["simulate_s"])
    run.rows_reported_by_simulator = sum(int(v) for v in report["rows"].values())
    run.phases = _phases(report["marks"])
    after = _count_rows(url)
    run.rows_by_table = {
        name: count - before.get(name, 0)
        for name, count in after.items()
        if count != before.get(name, 0)
    }
    run.total_rows = sum(run.rows_by_table.values())
    run.order_lines = run.rows_by_table.get("order_lines", 0)
    if sqlite_path is not None:
        run.db_bytes = _sqlite_bytes(sqlite_path)
        run.db_peak_bytes = max(run.db_peak_bytes or 0, run.db_bytes)
    else:
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                size = conn.execute(text("SELECT pg_database_size(current_database())"))
                run.db_bytes = int(size.scalar_one())
        finally:
            engine.dispose()
    run.ok = True


# --- reporting -----------------------------------------------------------------------------------


def _int(value: float) -> str:
    return f"{value:,.0f}"


RESULT_COLUMNS = (
    "backend",
    "scale",
    "order lines",
    "rows",
    "wall s",
    "sim s",
    "rows/s",
    "× baseline",
    "lines/s",
    "peak RSS MB",
    "DB MB",
    "target",
)
TEXT_COLUMNS = ("backend", "scale", "method", "target")


def machine_lines(machine: dict[str, Any]) -> list[str]:
    """The machine and software, in three lines."""
    ram = machine["ram_bytes"] / 1e9
    packages = machine["packages"]
    commit = machine["git_commit"] or "?"
    if machine["git_uncommitted_changes"]:
        commit += " with uncommitted changes"
    return [
        f"Machine: {machine['cpu']}, {machine['cores']} cores ({machine['usable_cores']} usable), "
        f"{ram:.1f} GB RAM, {machine['os']}",
        f"Software: {machine['python']}, SQLite {machine['sqlite']}, "
        f"PostgreSQL {machine['postgresql'] or 'not used'}, numpy {packages['numpy']}, "
        f"SQLAlchemy {packages['sqlalchemy']}, psycopg {packages['psycopg']}",
        f"Databases in {machine['workdir']} ({machine['workdir_filesystem']}); load average at "
        f"start {machine['load_average_at_start'][0]:.2f}; storeops commit {commit}",
    ]


def baseline_rows(baselines: dict[str, Baseline]) -> list[list[str]]:
    return [
        [b.backend, b.method, _int(b.rows), f"{b.seconds:.2f}", _int(b.rows_per_s)]
        for b in baselines.values()
    ]


def result_rows(runs: list[Run], baselines: dict[str, Baseline]) -> list[list[str]]:
    """One row of RESULT_COLUMNS per run."""
    rows = []
    for run in runs:
        if not run.ok:
            rows.append([run.backend, run.scale, *["-"] * 9, run.verdict()])
            continue
        base = baselines.get(run.backend)
        ratio = f"{run.rows_per_s / base.rows_per_s:.3f}" if base and base.rows_per_s else "-"
        size = f"{run.db_bytes / MB:,.0f}"
        if run.db_peak_bytes and run.db_peak_bytes > run.db_bytes * 1.05:
            size += f" (peak {run.db_peak_bytes / MB:,.0f})"
        rows.append(
            [
                run.backend,
                run.scale,
                _int(run.order_lines),
                _int(run.total_rows),
                f"{run.wall_s:.1f}",
                f"{run.simulate_s:.1f}",
                _int(run.rows_per_s),
                ratio,
                _int(run.order_lines_per_s),
                _int(run.peak_rss_bytes / MB),
                size,
                run.verdict(),
            ]
        )
    return rows


def _rich_table(title: str, columns: tuple[str, ...], rows: list[list[str]]) -> Table:
    table = Table(title=title)
    for name in columns:
        table.add_column(name, justify="left" if name in TEXT_COLUMNS else "right")
    for row in rows:
        verdict = row[-1]
        if columns[-1] == "target":
            style = "green" if verdict == "PASS" else "red" if verdict.startswith("MISS") else "dim"
            row = [*row[:-1], f"[{style}]{verdict}[/]"]
        table.add_row(*row)
    return table


def _markdown_table(columns: tuple[str, ...], rows: list[list[str]]) -> str:
    align = ["---" if name in TEXT_COLUMNS else "---:" for name in columns]
    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


BASELINE_COLUMNS = ("backend", "method", "rows", "seconds", "rows/s")


def render(
    console: Console,
    machine: dict[str, Any],
    baselines: dict[str, Baseline],
    runs: list[Run],
) -> None:
    for line in machine_lines(machine):
        head, _, rest = line.partition(" ")
        console.print(f"[bold]{head}[/] {rest}", highlight=False)
    console.print(
        _rich_table(
            "Baselines (raw bulk insert, same machine, same run)",
            BASELINE_COLUMNS,
            baseline_rows(baselines),
        )
    )
    console.print(_rich_table("storeops simulate", RESULT_COLUMNS, result_rows(runs, baselines)))
    console.print(
        f"Targets (from the issue): scale [bold]{TARGET_SCALE}[/] into [bold]SQLite[/] in under "
        f"{TARGET_SECONDS / 60:.0f} minutes (wall time of the simulating process) and under "
        f"{TARGET_RSS_BYTES / 1e9:.0f} GB peak RSS; other rows are marked n/a."
    )
    target_runs = [r for r in runs if r.is_target]
    if not target_runs:
        console.print("  not measured in this run: add [bold]--scales large --backends sqlite[/]")
    for run in target_runs:
        console.print(f"  {run.backend} {run.scale}: {run.verdict()}")
    console.print(
        "rows/s and lines/s divide by [italic]sim s[/] (the simulation inside the child process); "
        "wall s is the whole child process (start-up and imports too; migrations are not "
        "included). × baseline = rows/s ÷ the backend's baseline rows/s."
    )
    for run in runs:
        if run.ok and run.phases:
            parts = " · ".join(f"{name} {seconds:.1f}" for name, seconds in run.phases)
            console.print(
                f"[dim]{run.backend} {run.scale}, seconds up to each progress report: {parts}[/]"
            )
        if run.error:
            console.print(f"[red]{run.backend} {run.scale} failed:[/] {run.error}")


def markdown(machine: dict[str, Any], baselines: dict[str, Baseline], runs: list[Run]) -> str:
    """The same results as Markdown, to paste into benchmarks/README.md."""
    return "\n\n".join(
        [
            "\n".join(f"- {line}" for line in machine_lines(machine)),
            _markdown_table(BASELINE_COLUMNS, baseline_rows(baselines)),
            _markdown_table(RESULT_COLUMNS, result_rows(runs, baselines)),
        ]
    )


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def _payload(
    args: argparse.Namespace,
    started: dt.datetime,
    machine: dict[str, Any],
    baselines: dict[str, Baseline],
    runs: list[Run],
) -> dict[str, Any]:
    return {
        "benchmark": "simulate",
        "format": 1,
        "started_at": started.isoformat(timespec="seconds"),
        "arguments": {
            "scales": args.scales,
            "backends": args.backends,
            "seed": args.seed,
            "baseline_rows": args.baseline_rows,
            "timeout": args.timeout,
        },
        "machine": machine,
        "targets": {
            "scale": TARGET_SCALE,
            "backend": TARGET_BACKEND,
            "max_wall_seconds": TARGET_SECONDS,
            "max_peak_rss_bytes": TARGET_RSS_BYTES,
        },
        "baselines": {
            name: {**asdict(b), "rows_per_s": b.rows_per_s} for name, b in baselines.items()
        },
        "runs": [
            {
                **asdict(run),
                "rows_per_s": run.rows_per_s,
                "order_lines_per_s": run.order_lines_per_s,
                "ratio_to_baseline": (
                    run.rows_per_s / baselines[run.backend].rows_per_s
                    if run.ok and run.backend in baselines
                    else None
                ),
                "target": run.verdict(),
            }
            for run in runs
        ],
    }


# --- command line --------------------------------------------------------------------------------


def _scales(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one scale")
    for name in names:
        try:
            parse_scale(name)
        except InvalidInput as error:
            raise argparse.ArgumentTypeError(str(error)) from error
    return names


def _backends(value: str) -> list[str]:
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    unknown = sorted(set(names) - set(BACKENDS))
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"backends are {', '.join(BACKENDS)}; got {value!r}")
    return names


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="benchmarks/simulate.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Measure how fast `storeops simulate` writes a whole synthetic company.\n\n"
            "For every backend x scale: a fresh database (a SQLite file in a temporary directory;\n"
            "a new database on a PostgreSQL server), the migrations, then the simulation in a\n"
            "child process whose wall time and peak resident memory (RSS) are measured alone.\n"
            "Afterwards the rows in the database are counted: rows/s and order lines/s.\n\n"
            "Baseline: before the simulations, the same run measures raw bulk inserts on this\n"
            f"machine - sqlite3 executemany of {BASELINE_ROWS:,} rows into a 6-column table in one\n"
            "transaction, and psycopg COPY of the same rows into PostgreSQL. Each simulation's\n"
            "rows/s is also given as a ratio to its backend's baseline, which compares across\n"
            "machines far better than seconds do.\n\n"
            f"Targets (from the issue): scale '{TARGET_SCALE}' into SQLite in under "
            f"{TARGET_SECONDS / 60:.0f} minutes and under {TARGET_RSS_BYTES / 1e9:.0f} GB of\n"
            "memory; the table marks that row PASS or MISS (other rows: n/a).\n\n"
            "Results: a table on the terminal and JSON in benchmarks/results/simulate-<UTC time>.json\n"
            "(git-ignored; written after every run, so an interrupted benchmark keeps what it has)."
        ),
        epilog=(
            "PostgreSQL: set STOREOPS_BENCH_POSTGRES_URL to a server URL (e.g.\n"
            "postgresql+psycopg://postgres@127.0.0.1:5432/postgres; the role needs CREATEDB) to\n"
            "use that server. Otherwise a throwaway server is started in a temporary directory\n"
            "the way scripts/with_postgres.py does (as the postgres user when run as root), with\n"
            "PostgreSQL's default durability settings; without server binaries PostgreSQL is\n"
            "skipped with a notice. The peak RSS is the simulating process only, not the server.\n\n"
            "Examples:\n"
            "  .venv/bin/python benchmarks/simulate.py                     # medium,large on both\n"
            "  .venv/bin/python benchmarks/simulate.py --scales large --backends sqlite\n"
            "  .venv/bin/python benchmarks/simulate.py --scales tiny,small   # a quick check\n"
            "  .venv/bin/python benchmarks/simulate.py --scales 200000 --backends sqlite"
        ),
    )
    parser.add_argument(
        "--scales",
        type=_scales,
        default=["medium", "large"],
        metavar="LIST",
        help="comma-separated scales: tiny, small, medium, large or a number of order lines "
        "(default: medium,large)",
    )
    parser.add_argument(
        "--backends",
        type=_backends,
        default=list(BACKENDS),
        metavar="LIST",
        help="comma-separated: sqlite, postgresql (default: sqlite,postgresql)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="simulation seed; the same seed, the same rows (default: 1)",
    )
    parser.add_argument(
        "--baseline-rows",
        type=int,
        default=BASELINE_ROWS,
        metavar="N",
        help=f"rows of each baseline insert (default: {BASELINE_ROWS:,}; keep it for comparable figures)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()),
        metavar="DIR",
        help="where the temporary databases go (default: the system temp directory). It must "
        "have room for the largest database (about 9 GB for large on SQLite), and it should "
        "not be tmpfs if you want disk figures",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="kill a simulation that runs longer than this and record it as failed (default: none)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the SQLite files (and the databases on a STOREOPS_BENCH_POSTGRES_URL server) "
        "for inspection; a throwaway PostgreSQL server is always removed",
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="also print the results as Markdown tables, ready to paste into benchmarks/README.md",
    )
    parser.add_argument(
        "--results-dir",
        type=Path,
        default=RESULTS_DIR,
        metavar="DIR",
        help="where the JSON results go (default: benchmarks/results)",
    )
    return parser


def _target_period() -> tuple[int, dt.date, dt.date]:
    target = parse_scale(TARGET_SCALE)
    return target.order_lines, target.start, target.end


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)  # piped into a file: keep every column readable
    started = dt.datetime.now(dt.UTC)
    args.workdir.mkdir(parents=True, exist_ok=True)
    rundir_root = Path(tempfile.mkdtemp(prefix="storeops-bench-", dir=args.workdir))
    json_path = args.results_dir / f"simulate-{started:%Y%m%dT%H%M%SZ}.json"
    machine = machine_info(args.workdir)
    load = machine["load_average_at_start"][0]
    if load > 0.5 * (machine["usable_cores"] or 1):
        console.print(
            f"[yellow]warning:[/] load average {load:.2f} on {machine['usable_cores']} cores: "
            "something else is running, so the figures (and baselines) will be low"
        )
    baselines: dict[str, Baseline] = {}
    runs: list[Run] = []
    target = _target_period()

    def new_run(backend: str, scale_text: str) -> Run:
        scale = parse_scale(scale_text)
        return Run(
            backend=backend,
            scale=scale_text,
            seed=args.seed,
            scale_order_lines=scale.order_lines,
            period=f"{scale.start} to {scale.end}",
            is_target=backend == TARGET_BACKEND
            and (scale.order_lines, scale.start, scale.end) == target,
        )

    def save() -> None:
        write_json(json_path, _payload(args, started, machine, baselines, runs))

    try:
        with contextlib.ExitStack() as stack:
            server: URL | None = None
            if "postgresql" in args.backends:
                external = os.environ.get(POSTGRES_URL_ENV)
                if external:
                    server = _sqlalchemy_url(external)
                    console.print(f"PostgreSQL server from {POSTGRES_URL_ENV}: {server!r}")
                else:
                    found = stack.enter_context(throwaway_postgres(args.workdir, console))
                    server = _sqlalchemy_url(found) if found else None
                if server is not None:
                    machine["postgresql"] = pg_server_version(server)
            backends = [b for b in args.backends if b != "postgresql" or server is not None]

            console.print(f"measuring baselines ({args.baseline_rows:,} rows each) …")
            if "sqlite" in backends:
                path = rundir_root / "baseline.db"
                baselines["sqlite"] = sqlite_baseline(path, args.baseline_rows, args.seed)
                for leftover in (path, path.with_name(path.name + "-wal")):
                    leftover.unlink(missing_ok=True)
            if "postgresql" in backends and server is not None:
                name = f"storeops_bench_baseline_{secrets.token_hex(3)}"
                database = create_pg_database(server, name)
                try:
                    baselines["postgresql"] = postgres_baseline(
                        database, args.baseline_rows, args.seed
                    )
                finally:
                    drop_pg_database(server, name)

            for backend in backends:
                for scale_text in args.scales:
                    run = new_run(backend, scale_text)
                    runs.append(run)
                    console.print(f"simulating {scale_text} into {backend} …")
                    rundir = rundir_root / f"{backend}-{scale_text}"
                    rundir.mkdir()
                    if backend == "sqlite":
                        db_path = rundir / "storeops.db"
                        url = f"sqlite:///{db_path}"
                        run_simulation(run, url, rundir, db_path, args.timeout)
                        if not args.keep:
                            for leftover in rundir.glob("storeops.db*"):
                                leftover.unlink()
                    else:
                        assert server is not None
                        name = f"storeops_bench_{scale_text}_{secrets.token_hex(3)}".lower()
                        database = create_pg_database(server, name)
                        try:
                            url = database.render_as_string(hide_password=False)
                            run_simulation(run, url, rundir, None, args.timeout)
                        finally:
                            if not args.keep or os.environ.get(POSTGRES_URL_ENV) is None:
                                drop_pg_database(server, name)
                    save()
                    if run.ok:
                        console.print(
                            f"  {run.total_rows:,} rows in {run.wall_s:.1f} s, "
                            f"peak RSS {run.peak_rss_bytes / MB:,.0f} MB"
                        )
                    else:
                        console.print(f"  [red]failed[/]: {run.error}")
    finally:
        if args.keep:
            console.print(f"kept the run directories in {rundir_root}")
        else:
            shutil.rmtree(rundir_root, ignore_errors=True)
    save()
    render(console, machine, baselines, runs)
    if args.markdown:
        console.print("\nMarkdown (for benchmarks/README.md):\n")
        print(markdown(machine, baselines, runs), flush=True)
    console.print(f"JSON: {json_path}")
    return 0 if all(run.ok for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
