"""Purchase order statuses and stock movement kinds."""

from __future__ import annotations

from enum import StrEnum

from storeops.errors import IllegalTransition


class WarehouseKind(StrEnum):
    OWN = "own"  # the company's domestic warehouse
    OVERSEAS = "overseas"  # 海外仓
    PLATFORM = "platform"  # a platform's fulfilment centre (FBA …)


class PurchaseStatus(StrEnum):
    DRAFT = "draft"
    ORDERED = "ordered"
    PARTLY_RECEIVED = "partly_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


PURCHASE_TRANSITIONS: dict[PurchaseStatus, frozenset[PurchaseStatus]] = {
    PurchaseStatus.DRAFT: frozenset({PurchaseStatus.ORDERED, PurchaseStatus.CANCELLED}),
    PurchaseStatus.ORDERED: frozenset(
        {PurchaseStatus.PARTLY_RECEIVED, PurchaseStatus.RECEIVED, PurchaseStatus.CANCELLED}
    ),
    PurchaseStatus.PARTLY_RECEIVED: frozenset(
        {PurchaseStatus.PARTLY_RECEIVED, PurchaseStatus.RECEIVED}
    ),
    PurchaseStatus.RECEIVED: frozenset(),
    PurchaseStatus.CANCELLED: frozenset(),
}


def purchase_transition(current: PurchaseStatus, target: PurchaseStatus) -> PurchaseStatus:
    """``target`` if a purchase order may move there from ``current``; ``IllegalTransition`` otherwise."""
    if target not in PURCHASE_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in PURCHASE_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} purchase order cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target


class MovementKind(StrEnum):
    RECEIPT = "receipt"  # from a purchase order
    SHIPMENT = "shipment"  # out to a buyer
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    ADJUSTMENT = "adjustment"  # stock count difference, damage
