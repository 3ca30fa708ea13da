"""Credentials never reach a log: every log record is redacted when it is created.

``install_log_redaction()`` wraps the logging record factory once per process, so every logger
(storeops, uvicorn, SQLAlchemy, libraries) passes through it: the message is formatted, API
tokens (``sto_…``), bearer and session values, ``password=``/``secret=`` pairs and card numbers
are replaced, and a traceback is rendered and redacted the same way before any handler sees it.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

from storeops.masking import mask_card_numbers

REDACTED = "[redacted]"

_PATTERNS = (
    re.compile(r"sto_[A-Za-z0-9_\-]{8,}"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9_\-\.=]+"),
    re.compile(r"(?i)(storeops_session=)[^;\s&]+"),
    re.compile(r"(?i)(storeops_csrf=)[^;\s&]+"),
    re.compile(
        r"(?i)((?:password|passwd|secret|token|totp_code|api_key)['\"]?\s*[:=]\s*['\"]?)[^'\"\s,&}]+"
    ),
)

_installed = False


def redact(text: str) -> str:
    """``text`` without credentials or card numbers."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + REDACTED, text)
    return mask_card_numbers(text)


def install_log_redaction() -> None:
    """Redact every log record of this process from now on (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        # Redact each text argument, keeping the arguments (some formatters, uvicorn's access
        # log, read ``record.args`` themselves); if a secret still shows once the template is
        # filled in (``"password=%s"``), keep only the redacted text.
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        try:
            formatted = record.getMessage()
        except Exception:
            formatted = str(record.msg)
            record.args = None
        cleaned = redact(formatted)
        if cleaned != formatted:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[0] is not None:
            rendered = "".join(traceback.format_exception(*record.exc_info))
            record.exc_text = redact(rendered.rstrip("\n"))
            record.exc_info = None
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
