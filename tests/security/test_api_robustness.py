"""Rate limits (429 with Retry-After) on sign-in, import and export; error answers that never leak
a stack trace; unreadable and out-of-range input answered in the API's error shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient

from storeops.api.app import API_PREFIX, PUBLIC_PATHS, api_routes, create_app
from storeops.api.deps import RateLimit, rate_limit
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from storeops.ratelimit import SlidingWindow
from tests.factories import make_company, make_member
from tests.security.test_access_matrix import route_permission
from tests.web.test_auth_routes import Site, _site

PLANTED = "sto_PLANTEDsecretTOKENvalue0123456789"


def _has_rate_limit(route: object) -> bool:
    stack = [route.dependant]  # type: ignore[attr-defined]
    while stack:
        node = stack.pop()
        if isinstance(node.call, RateLimit):
            return True
        stack.extend(node.dependencies)
    return False


def test_every_import_and_export_route_is_rate_limited() -> None:
    """Routes the other areas add later are caught here by their path."""
    unlimited = [
        path
        for path, route in api_routes()
        if ("import" in path or "export" in path) and not _has_rate_limit(route)
    ]
    assert unlimited == [], 'add dependencies=[Depends(rate_limit("import" | "export"))]'


def test_sliding_window_counts_per_caller_and_frees_up_after_a_minute() -> None:
    window = SlidingWindow(limit=3, window=60)
    assert [window.hit("a", now=t) for t in (0, 1, 2)] == [0, 0, 0]
    assert window.hit("a", now=10) == 50  # the first event leaves the window at t=60
    assert window.hit("b", now=10) == 0
    assert window.hit("a", now=60.5) == 0


def _extra_router() -> APIRouter:
    router = APIRouter()

    @router.get("/test-export", dependencies=[Depends(rate_limit("export"))])
    def export() -> dict[str, str]:
        return {"ok": "yes"}

    @router.get("/test-boom")
    def boom() -> None:
        raise RuntimeError(f"boom with a planted credential {PLANTED} in /srv/app/secret.py")

    return router


@pytest.fixture
def client(
    fresh_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TestClient, str, str]]:
    monkeypatch.setenv("STOREOPS_RATE_LIMIT_EXPORT", "3")
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session)
        tokens = []
        for _ in range(2):
            _user, actor = make_member(session, company=company, role=Role.VIEWER)
            tokens.append(auth_service.issue_token(session, actor=actor, name="t")[1])
    app = create_app(get_settings(), engine=engine, console=False)
    app.include_router(_extra_router(), prefix=API_PREFIX)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client, tokens[0], tokens[1]
    engine.dispose()


def test_export_is_limited_per_caller_with_429_and_retry_after(
    client: tuple[TestClient, str, str],
) -> None:
    c, first, second = client
    h1, h2 = ({"Authorization": f"Bearer {t}"} for t in (first, second))
    assert [c.get(f"{API_PREFIX}/test-export", headers=h1).status_code for _ in range(3)] == [
        200
    ] * 3
    limited = c.get(f"{API_PREFIX}/test-export", headers=h1)
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.json()["error"]["code"] == "rate_limited"
    assert limited.json()["error"]["message"].startswith("too many export requests: at most 3")
    assert c.get(f"{API_PREFIX}/test-export", headers=h2).status_code == 200


def test_an_internal_error_leaks_no_stack_trace_and_no_secret(
    client: tuple[TestClient, str, str], caplog: pytest.LogCaptureFixture
) -> None:
    c, _first, _second = client
    response = c.get(f"{API_PREFIX}/test-boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "internal_error"
    for leak in ("Traceback", "RuntimeError", "boom", PLANTED, "/srv/app", ".py", 'File "'):
        assert leak not in response.text
    reference = error["message"].rsplit(" ", 1)[-1]
    assert any(reference in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("post", "/stores", {"content": b"{not json"}, 422, "invalid_input"),
        ("get", "/stores/" + "9" * 30, {}, 404, "not_found"),
        ("get", "/stores/-1", {}, 404, "not_found"),
        ("delete", "/stores", {}, 405, "http_405"),
    ],
)
def test_bad_requests_get_the_error_shape(
    client: tuple[TestClient, str, str],
    method: str,
    path: str,
    kwargs: dict[str, object],
    status: int,
    code: str,
) -> None:
    c, token, _ = client
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    response = c.request(method.upper(), f"{API_PREFIX}{path}", headers=headers, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    if status == 405:
        assert response.headers["allow"] == "GET, POST"


def test_public_paths_are_only_health_and_the_mail_tracking_links() -> None:
    """Public: liveness, and the e-mail open/click/unsubscribe links (7.1.3), whose credential is
    the message token in their path; nothing else."""
    from storeops.api.routers.crm import TRACKING_PATHS

    assert {f"{API_PREFIX}/health", *TRACKING_PATHS} == PUBLIC_PATHS
    assert all("{token}" in path for path in TRACKING_PATHS)
    assert all(route_permission(r)[0] for p, r in api_routes() if p not in PUBLIC_PATHS)


@pytest.fixture
def site(fresh_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    monkeypatch.setenv("STOREOPS_RATE_LIMIT_LOGIN", "3")
    yield from _site(fresh_db_url)


def test_sign_in_is_rate_limited_per_address(site: Site) -> None:
    statuses = [site.login("wrong password").status_code for _ in range(3)]
    limited = site.login("wrong password")
    assert statuses == [401, 401, 401]
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert "登录尝试过于频繁" in limited.text
