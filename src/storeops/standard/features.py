"""The feature registry: what storeops does today for each task of the standard.

Data in ``standard/data/features.toml``: per task code a status (``working`` | ``partial`` |
``planned``), for a partial feature a note (English and Chinese) of what is missing, and where
the feature lives (console page, CLI command, API path). A task code without an entry is
``planned``. The console's stage pages, task list and home page read it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Final, Literal

from storeops.standard.catalog import StandardDataError, load_catalog

FeatureStatus = Literal["working", "partial", "planned"]
FEATURE_STATUSES: Final[tuple[FeatureStatus, ...]] = ("working", "partial", "planned")
_KEYS: Final = {"code", "status", "note_en", "note_zh", "console", "cli", "api"}


@dataclass(frozen=True, slots=True)
class Feature:
    """What storeops does for one task code."""

    code: str
    status: FeatureStatus
    note_en: str = ""
    note_zh: str = ""
    console: str | None = None
    cli: str | None = None
    api: str | None = None


def validate_features(raw: dict[str, Any]) -> dict[str, Feature]:
    """Check the registry's raw data against the task catalog and build it; every problem is named."""
    codes = {t.code for t in load_catalog().tasks}
    problems: list[str] = []
    features: dict[str, Feature] = {}
    for i, entry in enumerate(raw.get("feature", []), start=1):
        where = f"feature #{i} ({entry.get('code', '?')})"
        unknown = set(entry) - _KEYS
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        code = entry.get("code")
        if code not in codes:
            problems.append(f"{where}: {code!r} is not a task code of the catalog")
            continue
        if code in features:
            problems.append(f"{where}: task {code} is listed twice")
        status = entry.get("status")
        if status not in FEATURE_STATUSES:
            problems.append(f"{where}: status must be one of {FEATURE_STATUSES}, not {status!r}")
            continue
        note_en, note_zh = entry.get("note_en", ""), entry.get("note_zh", "")
        if status == "partial" and not (note_en and note_zh):
            problems.append(f"{where}: a partial feature needs note_en and note_zh")
        if status == "working" and not any(entry.get(k) for k in ("console", "cli", "api")):
            problems.append(f"{where}: a working feature must say where it lives")
        console = entry.get("console")
        if console is not None and not str(console).startswith("/"):
            problems.append(f"{where}: console must be a path starting with '/'")
        features[code] = Feature(
            code=code,
            status=status,
            note_en=note_en,
            note_zh=note_zh,
            console=console,
            cli=entry.get("cli"),
            api=entry.get("api"),
        )
    if problems:
        raise StandardDataError("standard/data/features.toml has problems: " + "; ".join(problems))
    return features


@lru_cache(maxsize=1)
def load_features() -> dict[str, Feature]:
    """The registry packaged with storeops, validated once, by task code."""
    source = resources.files("storeops.standard").joinpath("data").joinpath("features.toml")
    try:
        with source.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise StandardDataError(f"standard/data/features.toml is not valid TOML: {exc}") from exc
    return validate_features(raw)


def feature_of(code: str) -> Feature:
    """The feature of a task code; ``planned`` when the registry has no entry."""
    return load_features().get(code) or Feature(code=code, status="planned")


def status_counts(codes: list[str] | None = None) -> dict[FeatureStatus, int]:
    """How many of ``codes`` (default: every task of the catalog) are working, partial, planned."""
    if codes is None:
        codes = [t.code for t in load_catalog().tasks]
    counts: dict[FeatureStatus, int] = {s: 0 for s in FEATURE_STATUSES}
    for code in codes:
        counts[feature_of(code).status] += 1
    return counts
