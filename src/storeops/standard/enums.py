"""Status of a playbook item and its transition table."""

from __future__ import annotations

from enum import StrEnum

from storeops.errors import IllegalTransition


class PlaybookStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"  # not applicable this period, with a reason


PLAYBOOK_TRANSITIONS: dict[PlaybookStatus, frozenset[PlaybookStatus]] = {
    PlaybookStatus.OPEN: frozenset({PlaybookStatus.DONE, PlaybookStatus.SKIPPED}),
    PlaybookStatus.DONE: frozenset({PlaybookStatus.OPEN}),
    PlaybookStatus.SKIPPED: frozenset({PlaybookStatus.OPEN}),
}


def playbook_transition(current: PlaybookStatus, target: PlaybookStatus) -> PlaybookStatus:
    """``target`` if a playbook item may move there from ``current``; ``IllegalTransition`` otherwise."""
    if target not in PLAYBOOK_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in PLAYBOOK_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} playbook item cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target
