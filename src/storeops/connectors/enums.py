"""Import job statuses and their transition table."""

from __future__ import annotations

from enum import StrEnum

from storeops.errors import IllegalTransition


class ImportStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"  # every row imported
    PARTIAL = "partial"  # --partial: good rows imported, bad rows in the error file
    REJECTED = "rejected"  # the file or some row was refused; nothing written
    FAILED = "failed"  # an unexpected error; nothing written
    ABANDONED = "abandoned"  # the process died while running; its transaction never committed
    SKIPPED = "skipped"  # the same file was already imported into the store; nothing to do


IMPORT_TRANSITIONS: dict[ImportStatus, frozenset[ImportStatus]] = {
    ImportStatus.RUNNING: frozenset(
        {
            ImportStatus.SUCCEEDED,
            ImportStatus.PARTIAL,
            ImportStatus.REJECTED,
            ImportStatus.FAILED,
            ImportStatus.ABANDONED,
            ImportStatus.SKIPPED,
        }
    ),
    ImportStatus.SUCCEEDED: frozenset(),
    ImportStatus.PARTIAL: frozenset(),
    ImportStatus.REJECTED: frozenset(),
    ImportStatus.FAILED: frozenset(),
    ImportStatus.ABANDONED: frozenset(),
    ImportStatus.SKIPPED: frozenset(),
}


def import_transition(current: ImportStatus, target: ImportStatus) -> ImportStatus:
    """``target`` if a job may move there from ``current``; ``IllegalTransition`` otherwise."""
    if target not in IMPORT_TRANSITIONS[current]:
        raise IllegalTransition(
            f"a {current.value} import job cannot become {target.value}", field="status"
        )
    return target
