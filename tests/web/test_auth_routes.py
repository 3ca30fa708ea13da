"""Console sign-in and sign-out: plain HTML forms, CSRF-checked, no state change through GET.

The routes run on the API app without NiceGUI (``install_auth_routes``), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from storeops.api.app import create_app
from storeops.auth.models import AuditEvent, ConsoleSession, User
from storeops.auth.service import resolve_session
from storeops.config import get_settings
from storeops.db import make_engine, session_scope
from storeops.errors import NotAuthenticated
from storeops.web import install_auth_routes
from storeops.web import state as console_state
from storeops.web.auth_routes import negotiate_locale, safe_next
from storeops.web.csrf import LOGIN_CSRF_COOKIE, new_login_token, session_token
from tests.factories import PASSWORD, make_company, make_user

EMAIL = "li.lei@example.com"
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Site:
    client: TestClient
    engine: Engine
    user_id: int

    def form_token(self) -> str:
        """The token of a freshly opened sign-in form (a tab opened earlier, if signed in now)."""
        page = self.client.get("/login")
        if page.status_code == 303:  # signed in already: the page sends the browser on
            token = new_login_token(get_settings().secret_key)
            self.client.cookies.set(LOGIN_CSRF_COOKIE, token, path="/login")
            return token
        match = CSRF_FIELD.search(page.text)
        assert match is not None
        return match.group(1)

    def login(
        self, password: str = PASSWORD, *, email: str = EMAIL, next_path: str = "/"
    ) -> httpx.Response:
        token = self.form_token()
        form = {"email": email, "password": password, "csrf": token, "next": next_path}
        return self.client.post("/login", data=form)

    def audit(self, action: str) -> list[tuple[str, str | None]]:
        with session_scope(self.engine) as session:
            rows = session.execute(
                select(AuditEvent.outcome, AuditEvent.detail)
                .where(AuditEvent.action == action)
                .order_by(AuditEvent.id)
            ).all()
            return [(outcome, detail.get("reason")) for outcome, detail in rows]

    def console_sessions(self) -> int:
        with session_scope(self.engine) as session:
            return session.scalar(select(func.count()).select_from(ConsoleSession)) or 0

    def user(self) -> User:
        with session_scope(self.engine) as session:
            user = session.get(User, self.user_id)
            assert user is not None
            return user


def _site(db_url: str, base_url: str = "http://testserver") -> Iterator[Site]:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        user = make_user(session, email=EMAIL, name="Li Lei")
        make_company(session, name="Acme Trading", owner=user)
        user_id = user.id
    app = create_app(get_settings(), engine=engine, console=False)
    install_auth_routes(app)
    with TestClient(app, base_url=base_url, follow_redirects=False) as client:
        yield Site(client, engine, user_id)
    engine.dispose()


@pytest.fixture
def site(fresh_db_url: str) -> Iterator[Site]:
    yield from _site(fresh_db_url)


def _set_cookies(response: httpx.Response) -> list[str]:
    return response.headers.get_list("set-cookie")


def _session_cookie_header(response: httpx.Response) -> str:
    found = [c for c in _set_cookies(response) if c.startswith("storeops_session=")]
    assert len(found) == 1, _set_cookies(response)
    return found[0]


def _resolves(engine: Engine, raw: str) -> bool:
    try:
        with session_scope(engine) as session:
            resolve_session(session, raw)
    except NotAuthenticated:
        return False
    return True


# --- the sign-in page --------------------------------------------------------------------------


def test_login_page_is_chinese_by_default_and_for_chinese_browsers(site: Site) -> None:
    for headers in ({}, {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}):
        page = site.client.get("/login", headers=headers)
        assert page.status_code == 200
        assert '<html lang="zh-CN">' in page.text
        assert "<h2>登录</h2>" in page.text
        assert "使用工作邮箱登录 storeops 控制台。" in page.text
        assert page.headers["cache-control"] == "no-store"
        assert "form-action 'self'" in page.headers["content-security-policy"]


def test_login_page_is_english_for_english_browsers_and_on_request(site: Site) -> None:
    page = site.client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9,zh;q=0.5"})
    assert '<html lang="en">' in page.text
    assert "<h2>Sign in</h2>" in page.text
    assert "Sign in to the storeops console with your work e-mail." in page.text
    assert "登录" not in page.text.replace("中文", "")

    chosen = site.client.get("/login?lang=en", headers={"Accept-Language": "zh-CN"})
    assert "<h2>Sign in</h2>" in chosen.text
    assert any(c.startswith("storeops_lang=en;") for c in _set_cookies(chosen))
    # The remembered choice beats Accept-Language from now on.
    again = site.client.get("/login", headers={"Accept-Language": "zh-CN"})
    assert "<h2>Sign in</h2>" in again.text


def test_login_form_carries_a_signed_double_submit_token(site: Site) -> None:
    page = site.client.get("/login")
    field = CSRF_FIELD.search(page.text)
    assert field is not None
    cookie = [c for c in _set_cookies(page) if c.startswith(f"{LOGIN_CSRF_COOKIE}=")]
    assert len(cookie) == 1
    assert cookie[0].startswith(f"{LOGIN_CSRF_COOKIE}={field.group(1)};")
    assert "HttpOnly" in cookie[0]
    assert "Path=/login" in cookie[0]
    assert "SameSite=strict" in cookie[0]


# --- signing in ----------------------------------------------------------------------------------


def test_wrong_password_is_refused_with_401_no_cookie_and_a_persisted_audit_entry(
    site: Site,
) -> None:
    response = site.login("not the password")
    assert response.status_code == 401
    assert "邮箱或密码错误。" in response.text
    assert f'value="{EMAIL}"' in response.text  # the e-mail is kept, the password is not
    assert not any(c.startswith("storeops_session=") for c in _set_cookies(response))
    assert "storeops_session" not in site.client.cookies
    assert site.audit("auth.login") == [("failed", "bad_password")]
    assert site.user().failed_logins == 1
    assert site.console_sessions() == 0


def test_unknown_account_is_refused_like_a_wrong_password(site: Site) -> None:
    response = site.login(email="nobody@example.com")
    assert response.status_code == 401
    assert "邮箱或密码错误。" in response.text
    assert site.audit("auth.login") == [("failed", "unknown_account")]
    assert site.console_sessions() == 0


def test_a_locked_account_answers_423_even_with_the_right_password(
    fresh_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STOREOPS_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("STOREOPS_LOGIN_LOCKOUT_MINUTES", "15")
    get_settings.cache_clear()
    for site in _site(fresh_db_url):
        assert [site.login("wrong password").status_code for _ in range(3)] == [401, 401, 401]
        response = site.login(PASSWORD)
        assert response.status_code == 423
        assert "登录失败次数过多:该账号已锁定 15 分钟。" in response.text
        assert not any(c.startswith("storeops_session=") for c in _set_cookies(response))
        assert site.audit("auth.login") == [
            ("failed", "bad_password"),
            ("failed", "bad_password"),
            ("failed", "locked_after_failures"),
            ("locked", None),
        ]
        assert site.console_sessions() == 0


@pytest.mark.parametrize(
    ("cookie", "field"),
    [
        ("valid", "other-valid"),  # two genuine tokens that are not the same
        ("valid", ""),  # no field
        (None, "valid"),  # no cookie
        ("forged.token", "forged.token"),  # equal, but not signed by storeops
    ],
)
def test_csrf_mismatch_is_refused_with_403_and_changes_nothing(
    site: Site, cookie: str | None, field: str
) -> None:
    secret = get_settings().secret_key
    genuine = {"valid": new_login_token(secret), "other-valid": new_login_token(secret)}
    site.client.cookies.clear()
    if cookie is not None:
        site.client.cookies.set(LOGIN_CSRF_COOKIE, genuine.get(cookie, cookie), path="/login")
    form = {"email": EMAIL, "password": PASSWORD, "csrf": genuine.get(field, field)}
    response = site.client.post("/login", data=form)
    assert response.status_code == 403
    assert "登录表单已失效,请重新登录。" in response.text
    assert not any(c.startswith("storeops_session=") for c in _set_cookies(response))
    assert site.audit("auth.login") == []
    user = site.user()
    assert (user.failed_logins, user.last_login_at) == (0, None)
    assert site.console_sessions() == 0


def test_good_login_sets_an_httponly_samesite_lax_session_cookie(site: Site) -> None:
    response = site.login()
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    header = _session_cookie_header(response)
    attributes = [part.strip() for part in header.split(";")]
    assert "HttpOnly" in attributes
    assert "SameSite=lax" in attributes
    assert "Path=/" in attributes
    assert "Secure" not in attributes  # plain http
    raw = response.cookies["storeops_session"]
    assert _resolves(site.engine, raw)
    assert site.audit("auth.login") == [("ok", None)]
    assert any(
        c.startswith(f"{LOGIN_CSRF_COOKIE}=") and "Max-Age=0" in c for c in _set_cookies(response)
    )


def test_session_cookie_is_secure_over_https(fresh_db_url: str) -> None:
    for site in _site(fresh_db_url, base_url="https://testserver"):
        header = _session_cookie_header(site.login())
        assert "Secure" in [part.strip() for part in header.split(";")]


def test_login_returns_to_a_local_page_but_never_off_site(site: Site) -> None:
    assert site.login(next_path="/standard?stage=3").headers["location"] == "/standard?stage=3"
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "/logout"):
        assert site.login(next_path=target).headers["location"] == "/"


def test_the_language_chosen_on_the_sign_in_page_carries_into_the_session(site: Site) -> None:
    site.client.get("/login?lang=en")
    raw = site.login().cookies["storeops_session"]
    with session_scope(site.engine) as session:
        assert resolve_session(session, raw).locale == "en"


def test_a_signed_in_browser_skips_the_sign_in_page(site: Site) -> None:
    site.login()
    response = site.client.get("/login?next=/standard")
    assert (response.status_code, response.headers["location"]) == (303, "/standard")


def test_signing_in_again_ends_the_earlier_session_of_that_browser(site: Site) -> None:
    first = site.login().cookies["storeops_session"]
    second = site.login().cookies["storeops_session"]
    assert first != second
    assert not _resolves(site.engine, first)
    assert _resolves(site.engine, second)


# --- signing out ---------------------------------------------------------------------------------


def test_logout_by_post_ends_the_session_on_the_server(site: Site) -> None:
    raw = site.login().cookies["storeops_session"]
    token = session_token(get_settings().secret_key, raw)
    response = site.client.post("/logout", data={"csrf": token})
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    cleared = _session_cookie_header(response)
    assert "Max-Age=0" in cleared
    assert not _resolves(site.engine, raw)  # the old cookie is worthless now
    assert site.audit("auth.logout") == [("ok", None)]


def test_logout_with_a_wrong_token_is_refused_and_the_session_lives_on(site: Site) -> None:
    raw = site.login().cookies["storeops_session"]
    other = session_token(get_settings().secret_key, "another-session")
    for field in ("", other):
        response = site.client.post("/logout", data={"csrf": field})
        assert response.status_code == 403
        assert not any(c.startswith("storeops_session=") for c in _set_cookies(response))
    assert _resolves(site.engine, raw)
    assert site.audit("auth.logout") == []


def test_get_logout_does_not_sign_out(site: Site) -> None:
    raw = site.login().cookies["storeops_session"]
    response = site.client.get("/logout")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert _resolves(site.engine, raw)
    assert site.audit("auth.logout") == []


# --- helpers -------------------------------------------------------------------------------------


def test_accept_language_negotiation() -> None:
    assert negotiate_locale(None) == "zh_CN"
    assert negotiate_locale("en-GB,en;q=0.9") == "en"
    assert negotiate_locale("de-DE,de;q=0.9,en;q=0.4,zh;q=0.6") == "zh_CN"
    assert negotiate_locale("fr, en;q=0") == "zh_CN"  # q=0 means "not acceptable"
    assert negotiate_locale("zh-TW;q=0.2, en-US;q=0.8") == "en"


def test_safe_next_keeps_local_paths_only() -> None:
    assert safe_next("/stage/3") == "/stage/3"
    assert [safe_next(v) for v in (None, "", "stage", "//x", "/\\x", "/a\r\nb", "/login")] == [
        "/"
    ] * 7


def test_the_console_mounts_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine("sqlite://")
    monkeypatch.setattr(console_state, "_runtime", None)
    console_state.configure(engine=engine, settings=get_settings())
    with pytest.raises(console_state.ConsoleAlreadyMounted, match="already mounted"):
        console_state.configure(engine=engine, settings=get_settings())
