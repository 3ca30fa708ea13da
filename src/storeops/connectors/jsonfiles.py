"""JSON payload importers (API responses saved to a file or pulled by a client).

The "rows" of a payload are the items of its list (``orders``, ``products`` …), numbered from 1;
a bad item is reported with its number, the JSON field and the reason, like a bad CSV row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from storeops.connectors.errors import FileRefused
from storeops.connectors.framework import FileImporter, ImportContext, Parsed, RowError
from storeops.connectors.values import RowInvalid

R = TypeVar("R")
MAX_JSON_BYTES = 256 * 1024**2


def read_json(data: bytes, name: str) -> Any:
    """The JSON document in ``data``; ``FileRefused`` when it is not one."""
    if not data.strip():
        raise FileRefused(f"{name} is empty", field="file")
    if len(data) > MAX_JSON_BYTES:
        raise FileRefused(f"{name} is larger than {MAX_JSON_BYTES // 1024**2} MiB", field="file")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FileRefused(f"{name} is not a JSON document: {exc}", field="file") from None


class JsonImporter(FileImporter[R]):
    """Base of payload importers: find the item list, parse each item, same checks as files."""

    file_kind: ClassVar[str] = "json"
    list_keys: ClassVar[tuple[str, ...]] = ()  # {"orders": [...]} or {"order": {...}} or [...]

    def items(self, payload: Any) -> list[Any]:
        """The items of the payload: a top-level list, or the list/object under a known key."""
        if isinstance(payload, list):
            return payload
        if isinstance(payload, dict):
            for key in self.list_keys:
                if key in payload:
                    found = payload[key]
                    return found if isinstance(found, list) else [found]
            if "id" in payload:  # one bare resource, as a "retrieve" endpoint answers
                return [payload]
        raise FileRefused(
            f"this is not a {self.title} payload: expected a list or one of "
            f"{', '.join(self.list_keys)}",
            field="file",
        )

    def parse_item(self, number: int, item: dict[str, Any], ctx: ImportContext) -> list[R]:
        """The records of one item; raise ``RowInvalid`` naming the JSON field."""
        raise NotImplementedError

    def parse_payload(
        self, payload: Any, ctx: ImportContext, progress: Callable[[int], None] | None = None
    ) -> Parsed[R]:
        """Every item parsed; then the whole-payload check."""
        items = self.items(payload)
        parsed: Parsed[R] = Parsed()
        for number, item in enumerate(items, start=1):
            cells = (json.dumps(item, ensure_ascii=False, default=str)[:4000],)
            if not isinstance(item, dict):
                parsed.fail(RowError(number, None, "is not a JSON object", None, cells))
                continue
            try:
                parsed.records.extend(self.parse_item(number, item, ctx))
            except RowInvalid as bad:
                parsed.fail(RowError(number, bad.column, bad.reason, bad.value, cells))
        parsed.rows_total = len(items)
        if progress is not None:
            progress(len(items))
        if not items:
            raise FileRefused("the payload has no items", field="file")
        self.check_file(parsed, ctx)
        return parsed


def field(item: dict[str, Any], path: str, *, required: bool = True) -> Any:
    """``item``'s value at a dotted ``path``; ``RowInvalid`` naming the path when required and missing."""
    value: Any = item
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if required and value in (None, ""):
        raise RowInvalid(path, "is missing", None)
    return value


def text_of(value: Any, path: str, limit: int) -> str:
    """A scalar JSON value as stripped text of at most ``limit`` characters."""
    if isinstance(value, dict | list):
        raise RowInvalid(path, "is not a single value", json.dumps(value)[:80])
    result = "" if value is None else str(value).strip()
    if len(result) > limit:
        raise RowInvalid(path, f"is longer than {limit} characters", result[:80])
    return result
