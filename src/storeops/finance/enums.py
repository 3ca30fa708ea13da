"""Statuses of money records with their transition tables."""

from __future__ import annotations

from enum import StrEnum

from storeops.errors import IllegalTransition


class RebateStatus(StrEnum):
    """9.3.5 draft (documents being gathered) → filed → approved → paid; or rejected."""

    DRAFT = "draft"
    FILED = "filed"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


REBATE_TRANSITIONS: dict[RebateStatus, frozenset[RebateStatus]] = {
    RebateStatus.DRAFT: frozenset({RebateStatus.FILED}),
    RebateStatus.FILED: frozenset({RebateStatus.APPROVED, RebateStatus.REJECTED}),
    RebateStatus.APPROVED: frozenset({RebateStatus.PAID}),
    RebateStatus.PAID: frozenset(),
    RebateStatus.REJECTED: frozenset({RebateStatus.DRAFT}),
}


def rebate_transition(current: RebateStatus, target: RebateStatus) -> RebateStatus:
    """``target`` if a rebate case may move there from ``current``; ``IllegalTransition`` otherwise."""
    if target not in REBATE_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in REBATE_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} rebate case cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target
