"""The feature registry (``standard/data/features.toml``) against the catalog and the console."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from storeops.standard.catalog import StandardDataError, load_catalog
from storeops.standard.features import (
    feature_of,
    load_features,
    status_counts,
    validate_features,
)


def test_every_task_code_of_the_registry_is_in_the_catalog() -> None:
    codes = {t.code for t in load_catalog().tasks}
    features = load_features()
    assert features, "the registry is empty"
    assert set(features) <= codes


def test_working_features_say_where_they_live_and_partial_ones_what_is_missing() -> None:
    for feature in load_features().values():
        if feature.status == "working":
            assert feature.console or feature.cli or feature.api, feature.code
        if feature.status == "partial":
            assert feature.note_en and feature.note_zh, feature.code
        if feature.cli:
            assert feature.cli.startswith("storeops "), feature.code
        if feature.api:
            assert re.match(r"^((GET|POST|PUT|PATCH|DELETE) )?/api/v1", feature.api), feature.code


def test_a_task_without_an_entry_is_planned_and_counts_add_up() -> None:
    catalog = load_catalog()
    unlisted = [t.code for t in catalog.tasks if t.code not in load_features()]
    assert unlisted, "every task has a feature: then 'planned' would never show"
    assert feature_of(unlisted[0]).status == "planned"
    counts = status_counts()
    assert sum(counts.values()) == len(catalog.tasks)
    listed = load_features().values()
    assert counts["working"] == sum(1 for f in listed if f.status == "working")
    assert counts["partial"] == sum(1 for f in listed if f.status == "partial")
    assert counts["planned"] == len(unlisted)


def test_bad_entries_are_refused_with_their_problem_named() -> None:
    raw = {
        "feature": [
            {"code": "99.9.9", "status": "working", "api": "/api/v1/x"},
            {"code": "3.2.6", "status": "done", "console": "/catalog/zero-effect"},
            {"code": "3.3.2", "status": "partial", "note_en": "only English"},
            {"code": "7.1.1", "status": "working"},
        ]
    }
    with pytest.raises(StandardDataError) as err:
        validate_features(raw)
    message = str(err.value)
    assert "'99.9.9' is not a task code" in message
    assert "status must be one of" in message
    assert "(3.3.2): a partial feature needs note_en and note_zh" in message
    assert "(7.1.1): a working feature must say where it lives" in message


_ROUTES = """
from nicegui import app
from storeops.web.pages import register_pages
register_pages()
for route in app.routes:
    print(getattr(route, "path", ""))
"""


def test_every_console_path_of_the_registry_is_a_registered_console_page() -> None:
    # The pages register into NiceGUI's process-wide app: list them in a fresh interpreter.
    done = subprocess.run(
        [sys.executable, "-c", _ROUTES], capture_output=True, text=True, timeout=300, check=True
    )
    routes = {line for line in done.stdout.splitlines() if line and "_nicegui" not in line}
    assert "/standard" in routes  # the listing works at all
    patterns = [re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", r) + "$") for r in routes]
    consoles = {f.console for f in load_features().values() if f.console}
    unknown = {c for c in consoles if not any(p.match(c) for p in patterns)}
    assert not unknown, f"not a console page: {sorted(unknown)}"
