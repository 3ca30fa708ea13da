"""A real storeops server (uvicorn on loopback) in a subprocess, for the fuzz, fault and load runs."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(
    db_url: str,
    workdir: Path,
    *,
    console: bool = False,
    extra_env: dict[str, str] | None = None,
    log_level: str = "warning",
) -> Iterator[str]:
    """Start ``create_app`` (the API alone unless ``console``) on a free port; yields its URL."""
    port = free_port()
    env = {
        **os.environ,
        "STOREOPS_DATABASE_URL": db_url,
        "STOREOPS_SECRET_KEY": os.environ.get("STOREOPS_SECRET_KEY", secrets.token_hex(20)),
        "STOREOPS_DATA_DIR": str(workdir),
        **(extra_env or {}),
    }
    env.pop("STOREOPS_DEMO", None)
    factory = "storeops.api.app:create_app" if console else "storeops.api.app:create_api_app"
    log = workdir / f"server-{port}.log"
    command = [
        sys.executable, "-m", "uvicorn", "--factory", factory,
        "--host", "127.0.0.1", "--port", str(port), "--log-level", log_level,
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=workdir, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"server exited with {server.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
