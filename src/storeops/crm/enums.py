"""Kinds and statuses of CRM records."""

from __future__ import annotations

from enum import StrEnum


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
