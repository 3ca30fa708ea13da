"""The audit-log export of who viewed or exported buyers' personal data (ids only, no PII)."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from tests.factories import make_company, make_member, make_store


def test_pii_access_export_lists_who_saw_what_in_the_company_only(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        alpha = make_company(session, name="Alpha")
        beta = make_company(session, name="Beta")
        a1 = make_store(session, company=alpha, name="A1")
        b1 = make_store(session, company=beta, name="B1")
        cs_user, cs = make_member(session, company=alpha, role=Role.CUSTOMER_SERVICE, stores=[a1])
        _owner_user, owner = make_member(session, company=alpha, role=Role.OWNER)
        _viewer_user, viewer = make_member(session, company=alpha, role=Role.VIEWER, stores=[a1])
        _b_user, b_cs = make_member(session, company=beta, role=Role.CUSTOMER_SERVICE, stores=[b1])
        auth_service.record_pii_access(
            session,
            actor=cs,
            exported=False,
            target_type="order",
            target_id=17,
            fields=["phone", "name"],
        )
        auth_service.record_pii_access(
            session, actor=cs, exported=True, target_type="=HYPERLINK(1)", records=250
        )
        auth_service.record_pii_access(
            session, actor=b_cs, exported=False, target_type="order", target_id=99
        )
        auth_service.record_audit(session, action="store.opened", actor=owner)
        tokens = {
            "owner": auth_service.issue_token(session, actor=owner, name="t")[1],
            "viewer": auth_service.issue_token(session, actor=viewer, name="t")[1],
        }
        cs_id = cs_user.id
    client = TestClient(create_app(get_settings(), engine=engine, console=False))
    path = f"{API_PREFIX}/audit/pii-access"
    h = {"Authorization": f"Bearer {tokens['owner']}"}
    listed = client.get(path, headers=h).json()
    assert [
        (e["action"], e["actor_user_id"], e["target_type"], e["target_id"]) for e in listed
    ] == [
        ("pii.viewed", cs_id, "order", "17"),
        ("pii.exported", cs_id, "=HYPERLINK(1)", None),
    ]
    assert listed[0]["detail"] == {"records": 1, "fields": ["name", "phone"]}
    exported = client.get(path, params={"format": "csv"}, headers=h)
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == [
        "id", "at", "actor_user_id", "actor_label", "action", "target_type", "target_id",
        "records", "fields",
    ]  # fmt: skip
    assert [r[4:] for r in rows[1:]] == [
        ["pii.viewed", "order", "17", "1", "name phone"],
        ["pii.exported", "'=HYPERLINK(1)", "", "250", ""],
    ]
    assert client.get(path, params={"since": "2999-01-01T00:00:00Z"}, headers=h).json() == []
    refused = client.get(path, headers={"Authorization": f"Bearer {tokens['viewer']}"})
    assert refused.status_code == 403
    with session_scope(engine) as session:
        events = auth_service.list_audit(session, actor=owner, limit=10)
        assert [e.action for e in events][:1] == ["permission.denied"]
        assert "audit.pii_access_exported" in [e.action for e in events]
    engine.dispose()
