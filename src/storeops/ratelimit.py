"""Request-rate limits: N requests per minute per caller, answered 429 with ``Retry-After``.

Framework-free (the API's ``rate_limit`` dependency and the console's sign-in use it). A sliding
window per (bucket, caller) kept in the process (one server process per database is the
embedded deployment; several workers each enforce the limit, so a multi-worker deployment should
put the same limit in its reverse proxy). Routes declare a limit with a dependency::

    @router.post("/imports", dependencies=[Depends(rate_limit("import"))])  # storeops.api.deps

and the access-matrix test requires one on every route whose path says import or export.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from storeops.errors import DomainError

#: Requests per minute per caller, by bucket (``STOREOPS_RATE_LIMIT_<BUCKET>`` overrides).
DEFAULT_LIMITS: dict[str, int] = {"login": 20, "import": 10, "export": 30}


class RateLimited(DomainError):
    """Too many requests of one kind from one caller in the last minute."""

    code = "rate_limited"
    kind = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, retry_after_seconds=retry_after)
        self.retry_after = retry_after


class SlidingWindow:
    """At most ``limit`` events per ``window`` seconds per key (thread-safe)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> int:
        """Count one event for ``key``; 0 if allowed, else the seconds to wait."""
        at = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= at - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return max(1, math.ceil(events[0] + self.window - at))
            events.append(at)
            if len(self._events) > 100_000:  # forget idle callers rather than grow without end
                self._events = {k: v for k, v in self._events.items() if v}
            return 0


_windows: dict[tuple[int, str], SlidingWindow] = {}
_windows_lock = threading.Lock()


def limit_for(bucket: str) -> int:
    """The configured requests per minute of ``bucket``."""
    import os

    configured = os.environ.get(f"STOREOPS_RATE_LIMIT_{bucket.upper()}")
    return int(configured) if configured else DEFAULT_LIMITS.get(bucket, 60)


def window(app_id: int, bucket: str) -> SlidingWindow:
    """The window of ``bucket`` in one app (each app, e.g. each test's, has its own)."""
    with _windows_lock:
        key = (app_id, bucket)
        if key not in _windows:
            _windows[key] = SlidingWindow(limit_for(bucket))
        return _windows[key]


def check_rate(scope_id: int, bucket: str, caller: str) -> None:
    """Count one request of ``caller`` in ``bucket``; ``RateLimited`` when over the limit."""
    wait = window(scope_id, bucket).hit(caller)
    if wait:
        raise RateLimited(
            f"too many {bucket} requests: at most {limit_for(bucket)} a minute; "
            f"try again in {wait} seconds",
            retry_after=wait,
        )
