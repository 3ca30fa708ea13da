"""The one ASGI app: the REST API under /api/v1 and the NiceGUI console at /."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import Engine

from storeops import __version__
from storeops.api import errors
from storeops.api.routers import (
    analytics,
    assessment,
    auth,
    catalog,
    crm,
    finance,
    imports,
    logistics,
    market,
    marketing,
    orders,
    playbook,
    staff,
    standard,
    stores,
    supply,
)
from storeops.config import Settings, get_settings
from storeops.db import make_engine
from storeops.logsafe import install_log_redaction

API_PREFIX = "/api/v1"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

#: The console's policy: everything from this origin only. NiceGUI (Vue compiling its templates in
#: the browser, inline start-up scripts and styles) needs 'unsafe-eval' and 'unsafe-inline' for
#: scripts; nothing may be framed, loaded from elsewhere, or posted elsewhere. Checked in Chromium
#: by tests/security/test_console_headers_browser.py. The sign-in page sets a stricter one.
CONSOLE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: Static files of the console (no personal data): cacheable.
STATIC_PREFIXES = ("/_nicegui/", "/favicon")


meta_router = APIRouter(tags=["meta"])


@meta_router.get("/health")
def health() -> dict[str, str]:
    """Liveness: no authentication, no data."""
    return {"status": "ok", "version": __version__}


DOMAIN_ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    stores.router,
    standard.router,
    analytics.router,
    playbook.router,
    assessment.router,
    staff.router,
    crm.router,
    orders.router,
    crm.tracking_router,
    imports.router,
    logistics.router,
    finance.router,
    supply.router,
    market.router,
    catalog.router,
    marketing.router,
)
PUBLIC_PATHS = frozenset({f"{API_PREFIX}/health", *crm.TRACKING_PATHS})


def api_routes() -> Iterator[tuple[str, APIRoute]]:
    """Every API route with its full path: the route table that permission tests walk."""
    for router in (meta_router, *DOMAIN_ROUTERS):
        for route in router.routes:
            if isinstance(route, APIRoute):
                yield f"{API_PREFIX}{route.path}", route


def api_router() -> APIRouter:
    """Every domain router under one prefix."""
    router = APIRouter(prefix=API_PREFIX, responses=errors.ERROR_RESPONSES)
    for domain_router in (meta_router, *DOMAIN_ROUTERS):
        router.include_router(domain_router)
    return router


def create_app(
    settings: Settings | None = None, *, engine: Engine | None = None, console: bool = True
) -> FastAPI:
    """The storeops app for ``settings`` (default: the environment's).

    ``console=False`` gives the API alone (tests of the API build many apps; NiceGUI's console is
    process-global and mounted once).
    """
    settings = settings or get_settings()
    install_log_redaction()
    if console:
        settings.require_server_secret()
    app = FastAPI(
        title="storeops",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.effective_database_url)
    errors.install(app)
    app.include_router(api_router())

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        path = request.url.path
        if request.url.scheme == "https":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if path.startswith(API_PREFIX):
            response.headers.setdefault("Cache-Control", "no-store")
        elif not path.startswith(STATIC_PREFIXES):
            # console pages show names, e-mails and buyers' data: never kept by a cache
            response.headers["Cache-Control"] = "no-store"
            response.headers.setdefault("Content-Security-Policy", CONSOLE_CSP)
        return response

    if console:
        from storeops.web import mount_console

        mount_console(app, settings)
    return app


def create_api_app() -> FastAPI:
    """The API alone for the environment's settings (``uvicorn --factory``; fuzz and load runs)."""
    return create_app(console=False)
