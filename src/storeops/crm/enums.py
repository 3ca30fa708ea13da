"""Kinds and statuses of CRM records."""

from __future__ import annotations

from enum import StrEnum

from storeops.errors import IllegalTransition


class BuyerKind(StrEnum):
    BUSINESS = "business"
    CONSUMER = "consumer"


class InquiryStatus(StrEnum):
    OPEN = "open"
    REPLIED = "replied"
    QUOTED = "quoted"
    CONVERTED = "converted"  # led to an order
    CLOSED = "closed"


class RfqStatus(StrEnum):
    OPEN = "open"
    QUOTED = "quoted"
    SKIPPED = "skipped"
    WON = "won"
    LOST = "lost"


class ComplaintStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


INQUIRY_TRANSITIONS: dict[InquiryStatus, frozenset[InquiryStatus]] = {
    InquiryStatus.OPEN: frozenset(
        {InquiryStatus.REPLIED, InquiryStatus.QUOTED, InquiryStatus.CLOSED}
    ),
    InquiryStatus.REPLIED: frozenset(
        {InquiryStatus.QUOTED, InquiryStatus.CONVERTED, InquiryStatus.CLOSED}
    ),
    InquiryStatus.QUOTED: frozenset({InquiryStatus.CONVERTED, InquiryStatus.CLOSED}),
    InquiryStatus.CONVERTED: frozenset(),
    InquiryStatus.CLOSED: frozenset(),
}


def inquiry_transition(current: InquiryStatus, target: InquiryStatus) -> InquiryStatus:
    """``target`` if an inquiry may move there from ``current``; ``IllegalTransition`` otherwise."""
    if target not in INQUIRY_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in INQUIRY_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} inquiry cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target


class ReviewCause(StrEnum):
    """8.3.5 Why a buyer was unhappy: the tags that feed the improvement loop."""

    QUALITY = "quality"
    NOT_AS_DESCRIBED = "not_as_described"
    SIZE_FIT = "size_fit"
    DAMAGED = "damaged"
    PACKAGING = "packaging"
    LATE_DELIVERY = "late_delivery"
    SERVICE = "service"
    PRICE = "price"
    OTHER = "other"


class ImprovementStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


COMPLAINT_TRANSITIONS: dict[ComplaintStatus, frozenset[ComplaintStatus]] = {
    ComplaintStatus.OPEN: frozenset({ComplaintStatus.RESOLVED}),
    ComplaintStatus.RESOLVED: frozenset(),
}
