"""Translations: zh-CN and English, from Babel message catalogs in ``storeops/locale``.

The catalogs are gettext ``.po`` files read with Babel at first use, so there is no compile step
to forget. Source strings are English; ``_()`` translates into the current locale, which the
console and the API set per request with ``use_locale``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES: tuple[str, ...] = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: ContextVar[str] = ContextVar("storeops_locale", default=DEFAULT_LOCALE)


def normalize_locale(value: str | None) -> str:
    """Map ``zh``, ``zh-CN``, ``zh_cn``, ``en-US`` … onto a supported locale."""
    if not value:
        return DEFAULT_LOCALE
    lowered = value.replace("-", "_").lower()
    if lowered.startswith("zh"):
        return "zh_CN"
    if lowered.startswith("en"):
        return "en"
    return DEFAULT_LOCALE


@lru_cache(maxsize=len(LOCALES))
def catalog(locale: str) -> dict[str, str]:
    """The translated messages of ``locale`` (msgid → msgstr, untranslated ones left out)."""
    path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=locale)
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}


def translate(message: str, locale: str | None = None) -> str:
    """``message`` in ``locale`` (default: the current one); the English source if untranslated."""
    return catalog(normalize_locale(locale or _current.get())).get(message, message)


def _(message: str) -> str:
    """Translate ``message`` into the current locale."""
    return translate(message)


def current_locale() -> str:
    """The locale of the current request or command."""
    return _current.get()


@contextmanager
def use_locale(locale: str | None) -> Iterator[str]:
    """Run a block in ``locale``."""
    token = _current.set(normalize_locale(locale))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def set_locale(locale: str | None) -> str:
    """Set the current locale for the rest of this context (a request or a CLI command)."""
    _current.set(normalize_locale(locale))
    return _current.get()
