"""Translations: zh-CN and English, from Babel message catalogs in ``storeops/locale``.

The catalogs are gettext ``.po`` files read with Babel at first use, so there is no compile step
to forget. Each locale has ``messages.po`` (the shell and shared words) and may have one more
file per area (``catalog.po``, ``orders.po`` …); they are merged, and a msgid translated two
different ways in two files is an error caught by the tests. Source strings are English; ``_()`` translates into the current locale, which the
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


def catalog_files(locale: str) -> list[Path]:
    """The ``.po`` files of ``locale``: ``messages.po`` first, then the areas' files by name."""
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    return sorted(folder.glob("*.po"), key=lambda path: (path.name != "messages.po", path.name))


def read_catalog_file(path: Path, locale: str) -> dict[str, str]:
    """One ``.po`` file's translated messages (msgid → msgstr, untranslated and fuzzy left out)."""
    with path.open("rb") as handle:
        po = read_po(handle, locale=locale)
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}


@lru_cache(maxsize=len(LOCALES))
def catalog(locale: str) -> dict[str, str]:
    """The translated messages of ``locale`` from all its ``.po`` files."""
    merged: dict[str, str] = {}
    for path in catalog_files(locale):
        for msgid, msgstr in read_catalog_file(path, locale).items():
            merged.setdefault(msgid, msgstr)
    return merged


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
