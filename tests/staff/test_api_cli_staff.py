"""Staff through the API and the command line."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.cli.main import app as cli
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from tests.factories import make_company, make_member, make_store


def test_staff_api_and_cli(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session, name="Alpha")
        store = make_store(session, company=company, timezone="UTC")
        cs, _ = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
        _, manager = make_member(session, company=company, role=Role.MANAGER, stores=[store])
        _, viewer = make_member(session, company=company, role=Role.VIEWER, stores=[store])
        tokens = {
            "manager": auth_service.issue_token(session, actor=manager, name="t")[1],
            "viewer": auth_service.issue_token(session, actor=viewer, name="t")[1],
        }
        cs_id, cs_email = cs.id, cs.email
    h = {"Authorization": f"Bearer {tokens['manager']}"}
    with TestClient(create_app(get_settings(), engine=engine, console=False)) as client:
        made = client.post(f"{API_PREFIX}/staff/courses", headers=h,
                           json={"code": "CS-101", "title": "Service", "task_codes": ["7.3.3"],
                                 "pass_score": 70})  # fmt: skip
        assert made.status_code == 201, made.text
        refused = client.post(f"{API_PREFIX}/staff/training",
                              headers={"Authorization": f"Bearer {tokens['viewer']}"},
                              json={"user_id": cs_id, "course_code": "CS-101", "score": 80,
                                    "taken_on": "2026-03-01"})  # fmt: skip
        assert refused.status_code == 403
        done = client.post(f"{API_PREFIX}/staff/training", headers=h,
                           json={"user_id": cs_id, "course_code": "CS-101", "score": 80,
                                 "taken_on": "2026-03-01"})  # fmt: skip
        assert done.status_code == 201 and done.json()["passed"] is True
        matrix = client.get(f"{API_PREFIX}/staff/matrix?from=2026-03-01&to=2026-03-31", headers=h)
        row = next(r for r in matrix.json() if r["user_id"] == cs_id)
        assert row["stages"]["7"] == 80 and row["stages"]["1"] is None
    engine.dispose()
    runner = CliRunner()
    result = runner.invoke(cli, ["staff", "train", cs_email, "--course", "CS-101", "--score", "65",
                                 "--on", "2026-03-05", "--company", "Alpha"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"{cs_email}: CS-101 65 (failed)" in result.output
    result = runner.invoke(cli, ["staff", "matrix", "--from", "2026-03-01", "--to", "2026-03-31",
                                 "--company", "Alpha", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = {r["user_id"]: r for r in json.loads(result.stdout)}
    assert rows[cs_id]["s7"] == 80  # the failed 65 does not lower the best passed score
    result = runner.invoke(cli, ["staff", "train", "nobody@example.com", "--course", "CS-101",
                                 "--score", "65", "--on", "2026-03-05", "--company", "Alpha"])  # fmt: skip
    assert result.exit_code == 3 and "user 'nobody@example.com' not found" in result.output
