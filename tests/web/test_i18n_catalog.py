"""Every string the console shows has a zh_CN translation, and translations keep their placeholders."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

import storeops.web
from storeops.i18n import LOCALES, catalog_files, read_catalog_file, translate

WEB_DIR = Path(storeops.web.__file__).parent
KEYWORDS = {**DEFAULT_KEYWORDS, "translate": None}
# `_("…")` / `N_("…")` / `translate("…"` with one literal: also catches calls that Babel's
# extractor cannot see, such as a call written inside an f-string.
LITERAL_CALL = re.compile(r"""\b(?:N_|_|translate)\(\s*((["'])(?:\\.|(?!\2).)*\2)\s*[,)]""")


def console_messages() -> set[str]:
    """Every msgid in the console's code: Babel's extraction plus a scan for literal calls."""
    found = {
        str(message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(WEB_DIR), method_map=[("**.py", "python")], keywords=KEYWORDS
        )
    }
    for path in WEB_DIR.rglob("*.py"):
        for match in LITERAL_CALL.finditer(path.read_text(encoding="utf-8")):
            found.add(ast.literal_eval(match.group(1)))
    return found


def po_entries(locale: str) -> dict[str, str]:
    """Every msgid of ``locale``'s ``.po`` files (translated or not), merged."""
    entries: dict[str, str] = {}
    for path in catalog_files(locale):
        assert f'"Language: {locale}\\n"' in path.read_text(encoding="utf-8"), path
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for m in catalog:
            if m.id and not m.fuzzy:
                entries.setdefault(str(m.id), str(m.string))
    return entries


def test_a_msgid_is_translated_one_way_across_files() -> None:
    for locale in LOCALES:
        seen: dict[str, tuple[str, str]] = {}
        for path in catalog_files(locale):
            for msgid, msgstr in read_catalog_file(path, locale).items():
                first = seen.setdefault(msgid, (path.name, msgstr))
                assert first[1] == msgstr, (locale, msgid, first, (path.name, msgstr))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_scan_finds_the_console_strings() -> None:
    messages = console_messages()
    # A scan that found nothing would make the next tests pass vacuously.
    assert {"Sign in", "Task list", "Planned", "Operation stages", "Sign out"} <= messages
    assert len(messages) > 100


def test_every_console_string_has_a_chinese_translation() -> None:
    zh = po_entries("zh_CN")
    missing = sorted(m for m in console_messages() if not zh.get(m, "").strip())
    assert missing == [], "msgids without a zh_CN translation:\n" + "\n".join(missing)


def test_every_console_string_is_in_the_english_catalog() -> None:
    en = po_entries("en")
    missing = sorted(m for m in console_messages() if m not in en)
    assert missing == [], "msgids missing from the en catalog:\n" + "\n".join(missing)


def test_translations_keep_their_placeholders() -> None:
    for locale in LOCALES:
        for msgid, msgstr in po_entries(locale).items():
            if msgstr:
                assert placeholders(msgstr) == placeholders(msgid), (locale, msgid, msgstr)


def test_translate_reads_the_catalogs() -> None:
    assert translate("Operation stages", "zh_CN") == "运营环节"
    assert translate("Operation stages", "en") == "Operation stages"
    assert translate("{count} tasks · planned", "zh-CN").format(count=3) == "3 项任务 · 规划中"
