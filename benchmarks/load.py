"""Load benchmark: N concurrent users against a real storeops server on loopback, bounded in time.

Each virtual user loops over a mix: API reads (stores, one store, its accounts, the standard's
tasks, me), API writes (a new platform sub-account with a unique login: acknowledged writes are
counted and compared with the rows stored afterwards) and console pages (home and the task list,
with a signed-in session cookie). Reports per kind the request count, p50/p95/p99 latency, the
number of 5xx answers, and acknowledged vs stored writes. The targets of issue 11 on a 2-core
machine: API reads p95 <= 300 ms, p99 <= 1 s, zero 5xx, no lost writes.

    python benchmarks/load.py --backends sqlite --users 50 --seconds 60
    python scripts/with_postgres.py python benchmarks/load.py --backends sqlite,postgresql

Only 127.0.0.1 is ever contacted. This is an equivalent of Locust (a 50-user asyncio loop with
httpx) so that the run needs no extra dependency and stays bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import new_database_url  # noqa: E402
from tests.factories import make_company, make_member, make_store, owner_actor  # noqa: E402
from tests.security.server import running_server  # noqa: E402

from storeops.auth import service as auth_service  # noqa: E402
from storeops.auth.enums import Role  # noqa: E402
from storeops.db import make_engine, session_scope  # noqa: E402
from storeops.migrations import upgrade  # noqa: E402
from storeops.stores import service as store_service  # noqa: E402
from storeops.stores.enums import AccountKind  # noqa: E402
from storeops.stores.models import PlatformAccount  # noqa: E402

WRITE_PREFIX = "load-"


def prepare(url: str, users: int) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """A company with 5 stores, one manager per virtual user; their tokens and session cookies."""
    upgrade(url)
    engine = make_engine(url)
    tokens, cookies, parents = [], [], []
    with session_scope(engine) as session:
        company = make_company(session, name="Load Co")
        stores = [make_store(session, company=company, name=f"Load {n}") for n in range(5)]
        for store in stores:
            main = store_service.add_platform_account(
                session,
                store=store,
                actor=owner_actor(session, company),
                login=f"main-{store.id}",
                kind=AccountKind.MAIN,
            )
            parents.append((store.id, main.id))
        for _ in range(users):
            user, actor = make_member(session, company=company, role=Role.MANAGER, stores=stores)
            tokens.append(auth_service.issue_token(session, actor=actor, name="load")[1])
            cookies.append(auth_service.start_session(session, user=user))
    engine.dispose()
    return tokens, cookies, parents


async def virtual_user(
    client: httpx.AsyncClient,
    token: str,
    cookie: str,
    parents: list[tuple[int, int]],
    deadline: float,
    results: dict[str, list[float]],
    statuses: dict[str, dict[int, int]],
    acknowledged: list[str],
    rng: random.Random,
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < deadline:
        roll = rng.random()
        store_id, parent_id = rng.choice(parents)
        if roll < 0.70:
            kind = "api_read"
            path = rng.choice(
                [
                    "/api/v1/stores",
                    f"/api/v1/stores/{store_id}",
                    f"/api/v1/stores/{store_id}/accounts",
                    "/api/v1/standard/tasks?stage=3",
                    "/api/v1/me",
                ]
            )
            request = client.build_request("GET", path, headers=headers)
        elif roll < 0.90:
            kind = "api_write"
            login = f"{WRITE_PREFIX}{secrets.token_hex(8)}"
            request = client.build_request(
                "POST",
                f"/api/v1/stores/{store_id}/accounts",
                headers=headers,
                json={"login": login, "kind": "sub", "parent_id": parent_id, "purpose": "load"},
            )
        else:
            kind = "console_page"
            request = client.build_request(
                "GET", rng.choice(["/", "/standard"]), cookies={"storeops_session": cookie}
            )
        started = time.perf_counter()
        try:
            response = await client.send(request)
            status = response.status_code
        except httpx.HTTPError:
            status = 599  # no answer at all counts as a server error
        results[kind].append(time.perf_counter() - started)
        statuses[kind][status] = statuses[kind].get(status, 0) + 1
        if kind == "api_write" and status == 201:
            acknowledged.append(login)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def drive(base: str, tokens: list[str], cookies: list[str], parents, seconds: float):  # type: ignore[no-untyped-def]
    results: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, dict[int, int]] = defaultdict(dict)
    acknowledged: list[str] = []
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))
    async with httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits) as client:
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(
                virtual_user(
                    client, t, c, parents, deadline, results, statuses, acknowledged,
                    random.Random(n),
                )
                for n, (t, c) in enumerate(zip(tokens, cookies, strict=True))
            )
        )  # fmt: skip
    return results, statuses, acknowledged


def run(backend: str, users: int, seconds: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = new_database_url(backend, workdir)
        tokens, cookies, parents = prepare(url, users)
        env = {"STOREOPS_SECRET_KEY": secrets.token_hex(24)}
        with running_server(url, workdir, console=True, extra_env=env) as base:
            started = time.monotonic()
            results, statuses, acknowledged = asyncio.run(
                drive(base, tokens, cookies, parents, seconds)
            )
            elapsed = time.monotonic() - started
        engine = make_engine(url)
        with session_scope(engine) as session:
            stored = set(
                session.scalars(
                    select(PlatformAccount.login).where(
                        PlatformAccount.login.like(f"{WRITE_PREFIX}%")
                    )
                )
            )
            total_stored = session.scalar(
                select(func.count())
                .select_from(PlatformAccount)
                .where(PlatformAccount.login.like(f"{WRITE_PREFIX}%"))
            )
        engine.dispose()
    report: dict[str, object] = {
        "backend": backend,
        "users": users,
        "seconds": round(elapsed, 1),
    }
    for kind, latencies in sorted(results.items()):
        report[kind] = {
            "requests": len(latencies),
            "per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
            "statuses": dict(sorted(statuses[kind].items())),
            "server_errors": sum(n for s, n in statuses[kind].items() if s >= 500),
        }
    report["writes_acknowledged"] = len(acknowledged)
    report["writes_stored"] = total_stored
    report["acknowledged_but_missing"] = len(set(acknowledged) - stored)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    failed = False
    for backend in args.backends.split(","):
        if backend == "postgresql" and not os.environ.get("STOREOPS_TEST_POSTGRES_URL"):
            print("postgresql: skipped (run under scripts/with_postgres.py)")
            continue
        report = run(backend, args.users, args.seconds)
        print(json.dumps(report, indent=2))
        reads = report.get("api_read", {})
        assert isinstance(reads, dict)
        errors = sum(
            r["server_errors"]
            for k, r in report.items()
            if isinstance(r, dict) and "server_errors" in r
        )
        ok = (
            errors == 0
            and report["acknowledged_but_missing"] == 0
            and reads.get("p95_ms", 0) <= 300
            and reads.get("p99_ms", 0) <= 1000
        )
        print(
            f"{backend}: {'meets' if ok else 'MISSES'} the targets (p95<=300 ms, p99<=1 s, 0 5xx, 0 lost writes)"
        )
        failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
