"""The console: NiceGUI pages mounted on the FastAPI app, with plain-HTML sign-in and sign-out.

``mount_console(app, settings)`` is called by ``storeops.api.app.create_app`` once the API routes
are in. ``install_auth_routes(app)`` registers /login and /logout alone (tests use it without
NiceGUI).
"""

from __future__ import annotations

from fastapi import FastAPI

from storeops.config import Settings
from storeops.web.auth_routes import install_auth_routes
from storeops.web.state import ConsoleAlreadyMounted, configure

__all__ = ["ConsoleAlreadyMounted", "install_auth_routes", "mount_console"]


def mount_console(app: FastAPI, settings: Settings) -> None:
    """Mount the console at / on ``app``; once per process (``ConsoleAlreadyMounted`` otherwise)."""
    from nicegui import ui

    from storeops.web.pages import register_pages

    configure(engine=app.state.engine, settings=settings)
    install_auth_routes(app)  # before the mount at /, which would otherwise answer these paths
    register_pages()
    ui.run_with(
        app,
        mount_path="/",
        storage_secret=settings.secret_key,
        session_middleware_kwargs={"session_cookie": "storeops_ui", "same_site": "lax"},
        title="storeops",
        favicon="🏬",
        show_welcome_message=False,
        reconnect_timeout=10.0,
    )
