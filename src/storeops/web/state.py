"""What the console pages share in a process: the database engine and the settings.

NiceGUI registers pages process-wide, so the console is mounted once per process and its pages
read the engine from here rather than from a request (NiceGUI's own app answers their requests).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from storeops.config import Settings


class ConsoleAlreadyMounted(RuntimeError):
    """``mount_console`` was called a second time in the same process."""


@dataclass(frozen=True, slots=True)
class ConsoleRuntime:
    """The engine and settings of the app the console is mounted on."""

    engine: Engine
    settings: Settings


_runtime: ConsoleRuntime | None = None


def configure(*, engine: Engine, settings: Settings) -> ConsoleRuntime:
    """Remember the app's engine and settings; refuses a second mount in the same process."""
    global _runtime
    if _runtime is not None:
        raise ConsoleAlreadyMounted(
            "the console is already mounted in this process: NiceGUI's pages are process-wide, "
            "so build further apps with create_app(..., console=False)"
        )
    _runtime = ConsoleRuntime(engine=engine, settings=settings)
    return _runtime


def runtime() -> ConsoleRuntime:
    """The runtime set by ``mount_console``."""
    if _runtime is None:
        raise RuntimeError(
            "the console is not mounted: call storeops.web.mount_console(app, settings)"
        )
    return _runtime
