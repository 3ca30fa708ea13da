"""Sign-in and sign-out of the console: plain HTML forms, no state change through GET.

``GET /login`` renders the form with a signed double-submit CSRF token; ``POST /login`` checks the
token, then the password (``attempt_login`` commits its failure counter and audit entry before the
refusal is raised), and on success sets the ``storeops_session`` cookie (HttpOnly, SameSite=Lax,
Secure over https) and redirects to the console. ``POST /logout`` ends the session on the server.
These routes live on the main FastAPI app, so they work (and are tested) without NiceGUI.
"""

from __future__ import annotations

from html import escape
from typing import Final
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from storeops.auth.service import attempt_login, end_session, resolve_session, start_session
from storeops.config import Settings
from storeops.db import session_scope
from storeops.errors import DomainError, NotAuthenticated
from storeops.i18n import DEFAULT_LOCALE, LOCALES
from storeops.ratelimit import RateLimited, check_rate
from storeops.web.context import set_locale_of_new_session
from storeops.web.csrf import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    login_form_accepted,
    login_token_valid,
    new_login_token,
    session_form_accepted,
)
from storeops.web.labels import translator
from storeops.web.login_page import render_login_page

SESSION_COOKIE: Final = "storeops_session"
LANG_COOKIE: Final = "storeops_lang"
LOGIN_PATH: Final = "/login"
LOGOUT_PATH: Final = "/logout"
#: How long a browser remembers its language choice.
LANG_COOKIE_MAX_AGE: Final = 365 * 24 * 3600


def negotiate_locale(accept_language: str | None) -> str:
    """The supported locale an ``Accept-Language`` header prefers most (q-values respected)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    for _quality, _position, tag in sorted(ranked):
        if tag.startswith("zh"):
            return "zh_CN"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LOCALE


def explicit_locale(request: Request) -> str | None:
    """The language this browser chose explicitly (``storeops_lang`` cookie), if any."""
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LOCALES else None


def request_locale(request: Request) -> str:
    """The sign-in page's language: the browser's explicit choice, else Accept-Language."""
    return explicit_locale(request) or negotiate_locale(request.headers.get("accept-language"))


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path of this site only (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if any(ch in value for ch in "\r\n\t\\") or value.startswith((LOGIN_PATH, LOGOUT_PATH)):
        return "/"
    return value


def login_redirect(path: str) -> RedirectResponse:
    """Send a visitor without a live session to the sign-in page, remembering where they were."""
    target = LOGIN_PATH if path in ("", "/") else f"{LOGIN_PATH}?next={quote(path, safe='/')}"
    return RedirectResponse(target, status_code=303)


def page_refused(locale: str) -> HTMLResponse:
    """The answer to a signed-in user whose role may not open a console page (403)."""
    _ = translator(locale)
    message = escape(_("Your role does not allow this page. Ask an owner of your company."))
    home = escape(_("Back to the home page"))
    return HTMLResponse(
        f'<!doctype html><html><head><meta charset="utf-8"><title>403 · storeops</title></head>'
        f'<body><p>{message}</p><p><a href="/">{home}</a></p></body></html>',
        status_code=403,
        headers={"Cache-Control": "no-store"},
    )


def database_unavailable_page(locale: str) -> HTMLResponse:
    """The answer while the database cannot be reached (503; the page works again once it is back)."""
    _ = translator(locale)
    message = escape(_("The database is unavailable right now. Try again in a few seconds."))
    return HTMLResponse(
        f'<!doctype html><html><head><meta charset="utf-8"><title>503 · storeops</title></head>'
        f"<body><p>{message}</p></body></html>",
        status_code=503,
        headers={"Cache-Control": "no-store", "Retry-After": "5"},
    )


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _set_login_csrf(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        path=LOGIN_PATH,
        httponly=True,
        samesite="strict",
        secure=_is_https(request),
    )


def _login_form(
    request: Request,
    *,
    locale: str,
    status_code: int = 200,
    error: str | None = None,
    email: str = "",
    next_path: str = "/",
    fresh_token: bool = False,
) -> HTMLResponse:
    secret = _settings(request).secret_key
    existing = request.cookies.get(LOGIN_CSRF_COOKIE)
    reuse = existing is not None and not fresh_token and login_token_valid(secret, existing)
    token = existing if reuse and existing is not None else new_login_token(secret)
    response = render_login_page(
        locale=locale,
        csrf_token=token,
        email=email,
        next_path=next_path,
        error=error,
        status_code=status_code,
    )
    _set_login_csrf(response, request, token)
    return response


def _session_is_live(engine: Engine, raw: str | None) -> bool:
    if not raw:
        return False
    try:
        with session_scope(engine) as session:
            resolve_session(session, raw)
    except NotAuthenticated:
        return False
    return True


def _refusal_message(refusal: DomainError, locale: str, settings: Settings) -> str:
    _ = translator(locale)
    if refusal.kind == "locked":
        return _("Too many failed sign-ins: this account is locked for {minutes} minutes.").format(
            minutes=settings.login_lockout_minutes
        )
    if refusal.kind == "rate_limited":
        return _(
            "Too many failed sign-ins from your network. Try again in {minutes} minutes."
        ).format(minutes=settings.login_lockout_minutes)
    if refusal.code == "second_factor_required":
        return _("Enter the 6-digit code from your authenticator app.")
    if refusal.code == "second_factor_invalid":
        return _("The authentication code is wrong or expired.")
    return _("Wrong e-mail or password.")


def _sign_in(
    engine: Engine,
    *,
    email: str,
    password: str,
    totp_code: str,
    address: str | None,
    old_session: str | None,
    locale: str | None,
) -> tuple[str | None, DomainError | None]:
    """Check the password in one unit of work; returns the new session, or the refusal."""
    raw: str | None = None
    with session_scope(engine) as session:
        attempt = attempt_login(
            session, email=email, password=password, totp_code=totp_code, address=address
        )
        if attempt.refusal is None and attempt.user is not None:
            end_session(session, old_session)  # a sign-in never inherits an earlier session
            raw = start_session(session, user=attempt.user)
            if locale is not None:
                set_locale_of_new_session(session, raw, locale)
    # Committed: the failure counter, a lock and the audit entry persist before we refuse.
    try:
        attempt.accepted()
    except DomainError as refusal:
        return None, refusal
    return raw, None


def _sign_out(engine: Engine, raw: str) -> None:
    with session_scope(engine) as session:
        end_session(session, raw)


async def login_page(request: Request) -> Response:
    """GET /login: the sign-in form (or the console, for a browser that is signed in already)."""
    locale = request_locale(request)
    chosen = request.query_params.get("lang")
    if chosen in LOCALES:
        locale = chosen
    next_path = safe_next(request.query_params.get("next"))
    raw = request.cookies.get(SESSION_COOKIE)
    if await run_in_threadpool(_session_is_live, _engine(request), raw):
        return RedirectResponse(next_path, status_code=303)
    response = _login_form(request, locale=locale, next_path=next_path)
    if chosen in LOCALES:
        response.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=LANG_COOKIE_MAX_AGE,
            path="/",
            samesite="lax",
            secure=_is_https(request),
        )
    return response


async def login_submit(request: Request) -> Response:
    """POST /login: check CSRF, then the password; set the session cookie on success."""
    try:
        address = request.client.host if request.client else "unknown"
        check_rate(id(request.app), "login", f"addr:{address}")
    except RateLimited as limited:
        _ = translator(request_locale(request))
        return PlainTextResponse(
            _("Too many sign-in attempts. Wait a minute and try again."),
            status_code=429,
            headers={"Retry-After": str(limited.retry_after), "Cache-Control": "no-store"},
        )
    form = await request.form()
    locale = request_locale(request)
    email = _field(form, "email").strip()[:254]
    next_path = safe_next(_field(form, "next"))
    settings = _settings(request)
    _ = translator(locale)
    if not login_form_accepted(
        settings.secret_key, request.cookies.get(LOGIN_CSRF_COOKIE), _field(form, CSRF_FIELD)
    ):
        return _login_form(
            request,
            locale=locale,
            status_code=403,
            email=email,
            next_path=next_path,
            error=_("This sign-in form has expired. Please sign in again."),
            fresh_token=True,
        )
    raw, refusal = await run_in_threadpool(
        _sign_in,
        _engine(request),
        email=email,
        password=_field(form, "password"),
        totp_code=_field(form, "totp")[:12],
        address=request.client.host if request.client else None,
        old_session=request.cookies.get(SESSION_COOKIE),
        locale=explicit_locale(request),
    )
    if refusal is not None or raw is None:
        refusal = refusal or NotAuthenticated("wrong e-mail or password")
        status_code = {"locked": 423, "rate_limited": 429}.get(refusal.kind, 401)
        refused = _login_form(
            request,
            locale=locale,
            status_code=status_code,
            email=email,
            next_path=next_path,
            error=_refusal_message(refusal, locale, settings),
        )
        retry_after = getattr(refusal, "retry_after", None)
        if retry_after is not None:
            refused.headers["Retry-After"] = str(int(retry_after))
        return refused
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        max_age=settings.session_absolute_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_is_https(request),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    return response


async def logout_submit(request: Request) -> Response:
    """POST /logout: end the session on the server and forget the cookie."""
    form = await request.form()
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        if not session_form_accepted(_settings(request).secret_key, raw, _field(form, CSRF_FIELD)):
            _ = translator(request_locale(request))
            return PlainTextResponse(
                _("This sign-out form is not valid. Go back, reload the page and try again."),
                status_code=403,
                headers={"Cache-Control": "no-store"},
            )
        await run_in_threadpool(_sign_out, _engine(request), raw)
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_is_https(request)
    )
    return response


async def logout_refused(request: Request) -> Response:
    """GET /logout: refused; signing out changes state, so it takes a POST (with a CSRF token)."""
    _ = translator(request_locale(request))
    return PlainTextResponse(
        _("Sign out with the button in the console; a link cannot sign you out."),
        status_code=405,
        headers={"Allow": "POST", "Cache-Control": "no-store"},
    )


def install_auth_routes(app: FastAPI) -> None:
    """Register /login and /logout on ``app`` (before the console is mounted at /)."""
    app.add_api_route(LOGIN_PATH, login_page, methods=["GET"], include_in_schema=False)
    app.add_api_route(LOGIN_PATH, login_submit, methods=["POST"], include_in_schema=False)
    app.add_api_route(LOGOUT_PATH, logout_submit, methods=["POST"], include_in_schema=False)
    app.add_api_route(LOGOUT_PATH, logout_refused, methods=["GET"], include_in_schema=False)
