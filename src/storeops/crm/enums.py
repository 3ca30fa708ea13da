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


class ServiceChannel(StrEnum):
    """7.3.1 The channels a store serves buyers on."""

    PHONE = "phone"
    CHAT = "chat"
    VOICE = "voice"
    VIDEO = "video"
    SOCIAL = "social"
    EMAIL = "email"
    OTHER = "other"


class ConversationStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class LeadStage(StrEnum):
    """7.2.2 Where a prospect stands in the pipeline."""

    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    SAMPLE = "sample"
    NEGOTIATING = "negotiating"
    WON = "won"
    LOST = "lost"


LEAD_TRANSITIONS: dict[LeadStage, frozenset[LeadStage]] = {
    LeadStage.NEW: frozenset({LeadStage.CONTACTED, LeadStage.LOST}),
    LeadStage.CONTACTED: frozenset({LeadStage.QUALIFIED, LeadStage.LOST}),
    LeadStage.QUALIFIED: frozenset({LeadStage.SAMPLE, LeadStage.NEGOTIATING, LeadStage.LOST}),
    LeadStage.SAMPLE: frozenset({LeadStage.NEGOTIATING, LeadStage.LOST}),
    LeadStage.NEGOTIATING: frozenset({LeadStage.WON, LeadStage.LOST}),
    LeadStage.WON: frozenset(),
    LeadStage.LOST: frozenset({LeadStage.CONTACTED}),  # revived
}


def lead_transition(current: LeadStage, target: LeadStage) -> LeadStage:
    """``target`` if a lead may move there; ``IllegalTransition`` otherwise."""
    if target not in LEAD_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in LEAD_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} lead cannot become {target.value} (allowed: {allowed})",
            field="stage",
        )
    return target


RFQ_TRANSITIONS: dict[RfqStatus, frozenset[RfqStatus]] = {
    RfqStatus.OPEN: frozenset({RfqStatus.QUOTED, RfqStatus.SKIPPED}),
    RfqStatus.QUOTED: frozenset({RfqStatus.WON, RfqStatus.LOST}),
    RfqStatus.SKIPPED: frozenset(),
    RfqStatus.WON: frozenset(),
    RfqStatus.LOST: frozenset(),
}


def rfq_transition(current: RfqStatus, target: RfqStatus) -> RfqStatus:
    """``target`` if an RFQ may move there; ``IllegalTransition`` otherwise."""
    if target not in RFQ_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in RFQ_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} RFQ cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target
