"""Run a command with a throwaway PostgreSQL server for the test suite.

If ``STOREOPS_TEST_POSTGRES_URL`` is already set, the command runs against that server. Otherwise,
when PostgreSQL's server binaries are installed (Debian: ``apt-get install postgresql``), a
private cluster is created in a temporary directory on a free port, the command runs with
``STOREOPS_TEST_POSTGRES_URL`` pointing at it, and the cluster is stopped and removed afterwards
(also when the command fails). As root, the server runs as the ``postgres`` user, since
PostgreSQL refuses to run as root. Without the binaries, the PostgreSQL half of the suite is
skipped with a notice, unless ``STOREOPS_REQUIRE_POSTGRES=1`` (set by CI) makes that an error.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def _pg_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(argv: list[str], as_root: bool) -> list[str]:
    if not as_root:
        return argv
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{a}'" for a in argv)]


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: with_postgres.py COMMAND [ARGS...]", file=sys.stderr)
        return 2
    if os.environ.get("STOREOPS_TEST_POSTGRES_URL"):
        return subprocess.call(argv)
    pg_bin = _pg_bin()
    if pg_bin is None:
        if os.environ.get("STOREOPS_REQUIRE_POSTGRES") == "1":
            print(
                "error: PostgreSQL server binaries not found and STOREOPS_REQUIRE_POSTGRES=1",
                file=sys.stderr,
            )
            return 2
        print(
            "notice: PostgreSQL is not installed; the PostgreSQL half of the suite is skipped",
            file=sys.stderr,
        )
        return subprocess.call(argv)
    as_root = os.geteuid() == 0
    workdir = Path(tempfile.mkdtemp(prefix="storeops-pg-"))
    data, log, port = workdir / "data", workdir / "server.log", _free_port()
    if as_root:
        shutil.chown(workdir, "postgres")
    subprocess.run(
        _as_postgres(
            [
                str(pg_bin / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
            ],
            as_root,
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = (
        f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    )
    ctl = str(pg_bin / "pg_ctl")
    subprocess.run(
        _as_postgres([ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"], as_root),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        env = dict(
            os.environ,
            STOREOPS_TEST_POSTGRES_URL=f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres",
        )
        print(f"PostgreSQL test server on 127.0.0.1:{port}", file=sys.stderr)
        return subprocess.call(argv, env=env)
    finally:
        subprocess.run(
            _as_postgres([ctl, "-D", str(data), "-m", "fast", "stop"], as_root),
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
