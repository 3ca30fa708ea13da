"""7.1.1 through the REST API: record, overdue queue, reply, templates; refusals change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.config import get_settings
from storeops.crm.models import InquiryReply
from storeops.db import make_engine, session_scope
from tests.crm.factories import make_buyer
from tests.factories import make_company, make_member, make_store


@pytest.fixture
def api(fresh_db_url: str) -> Iterator[tuple[TestClient, dict[str, str], int, int]]:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session, name="Alpha")
        store = make_store(session, company=company, name="A1")
        buyer = make_buyer(session, store=store)
        tokens = {}
        for role in (Role.CUSTOMER_SERVICE, Role.VIEWER):
            _, actor = make_member(session, company=company, role=role, stores=[store])
            tokens[role.value] = auth_service.issue_token(session, actor=actor, name="t")[1]
        ids = (store.id, buyer.id)
    app = create_app(get_settings(), engine=engine, console=False)
    with TestClient(app) as client:
        yield client, tokens, *ids
    engine.dispose()


def test_inquiry_round_trip(api: tuple[TestClient, dict[str, str], int, int]) -> None:
    client, tokens, store_id, buyer_id = api
    cs = {"Authorization": f"Bearer {tokens['customer_service']}"}
    viewer = {"Authorization": f"Bearer {tokens['viewer']}"}
    two_days_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).isoformat()
    created = client.post(
        f"{API_PREFIX}/stores/{store_id}/inquiries",
        json={"buyer_id": buyer_id, "subject": "MOQ?", "received_at": two_days_ago},
        headers=cs,
    )
    assert created.status_code == 201, created.text
    inquiry_id = created.json()["id"]
    # The store has no service hours: the platform's 24 h clock deadline applies; 2 days: overdue.
    queue = client.get(f"{API_PREFIX}/stores/{store_id}/inquiries/overdue", headers=cs).json()
    assert [q["id"] for q in queue] == [inquiry_id]
    template = client.post(
        f"{API_PREFIX}/stores/{store_id}/reply-templates",
        json={"name": "moq", "language": "en", "body": "Dear {buyer}, MOQ is 100."},
        headers=cs,
    )
    assert template.status_code == 201
    refused = client.post(
        f"{API_PREFIX}/inquiries/{inquiry_id}/replies", json={"template": "moq"}, headers=viewer
    )
    assert refused.status_code == 403
    with session_scope(make_engine(get_settings().effective_database_url)) as session:
        assert session.scalar(select(func.count()).select_from(InquiryReply)) == 0
    reply = client.post(
        f"{API_PREFIX}/inquiries/{inquiry_id}/replies", json={"template": "moq"}, headers=cs
    )
    assert reply.status_code == 201
    assert reply.json()["body"].endswith("MOQ is 100.")
    assert client.get(f"{API_PREFIX}/stores/{store_id}/inquiries/overdue", headers=cs).json() == []
    one = client.get(f"{API_PREFIX}/inquiries/{inquiry_id}", headers=cs).json()
    assert (one["status"], one["overdue"]) == ("replied", True)  # answered, but late
    bad = client.put(
        f"{API_PREFIX}/stores/{store_id}/reply-policy",
        json={"platform_deadline_minutes": 0},
        headers=cs,
    )
    assert bad.status_code == 422


def test_inbox_review_prospects_over_the_api(
    api: tuple[TestClient, dict[str, str], int, int], fresh_db_url: str
) -> None:
    client, tokens, store_id, buyer_id = api
    cs = {"Authorization": f"Bearer {tokens['customer_service']}"}
    opened = client.post(
        f"{API_PREFIX}/conversations",
        json={"buyer_id": buyer_id, "channel": "video", "body": "Can you show the stitching?"},
        headers=cs,
    )
    assert opened.status_code == 201, opened.text
    cid = opened.json()["id"]
    assert [i["channel"] for i in client.get(f"{API_PREFIX}/inbox", headers=cs).json()] == ["video"]
    client.post(
        f"{API_PREFIX}/conversations/{cid}/messages", json={"body": "Sure, calling now"}, headers=cs
    )
    # customer service may not review service quality (staff.manage)
    refused = client.post(
        f"{API_PREFIX}/conversations/{cid}/review",
        json={"politeness": 5, "accuracy": 5},
        headers=cs,
    )
    assert refused.status_code == 403
    imported = client.post(
        f"{API_PREFIX}/stores/{store_id}/prospects/import",
        json={
            "csv": "company_name,country,source\nNordic Goods AB,SE,customs\nNORDIC GOODS,se,search\n"
        },
        headers=cs,
    ).json()
    assert (imported["created"], imported["duplicates"]) == (1, 1)
    stages = client.get(f"{API_PREFIX}/stores/{store_id}/pipeline", headers=cs).json()["by_stage"]
    assert stages["new"] == 1
