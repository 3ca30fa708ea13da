"""Shipment statuses and what happens to an undeliverable parcel."""

from __future__ import annotations

from enum import StrEnum


class ShipmentStatus(StrEnum):
    CREATED = "created"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    UNDELIVERABLE = "undeliverable"


class UndeliverableAction(StrEnum):
    """9.1.7 Return the parcel, or dispose of it abroad."""

    RETURN = "return"
    DISPOSE = "dispose"


class ServiceLevel(StrEnum):
    """The delivery speed a buyer picks at checkout, and the speed class of a channel (9.1.1)."""

    ECONOMY = "economy"
    STANDARD = "standard"
    EXPEDITED = "expedited"


SERVICE_RANK: dict[ServiceLevel, int] = {
    ServiceLevel.ECONOMY: 0,
    ServiceLevel.STANDARD: 1,
    ServiceLevel.EXPEDITED: 2,
}


SHIPMENT_TRANSITIONS: dict[ShipmentStatus, frozenset[ShipmentStatus]] = {
    ShipmentStatus.CREATED: frozenset({ShipmentStatus.IN_TRANSIT}),
    ShipmentStatus.IN_TRANSIT: frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.UNDELIVERABLE}),
    ShipmentStatus.DELIVERED: frozenset(),
    ShipmentStatus.UNDELIVERABLE: frozenset(),
}


def shipment_transition(current: ShipmentStatus, target: ShipmentStatus) -> ShipmentStatus:
    """``target`` if a shipment may move there from ``current``; ``IllegalTransition`` otherwise."""
    from storeops.errors import IllegalTransition

    if target not in SHIPMENT_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in SHIPMENT_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} shipment cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target


class Handover(StrEnum):
    """9.1.3 How the parcel reaches the carrier."""

    PICKUP = "pickup"
    DROP_OFF = "drop_off"  # brought to the consolidation warehouse


class BookingStatus(StrEnum):
    """9.2.3 A freight booking: booked → customs declared (报关) → departed → arrived; cancelled."""

    BOOKED = "booked"
    DECLARED = "declared"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"


BOOKING_TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    BookingStatus.BOOKED: frozenset({BookingStatus.DECLARED, BookingStatus.CANCELLED}),
    BookingStatus.DECLARED: frozenset({BookingStatus.DEPARTED, BookingStatus.CANCELLED}),
    BookingStatus.DEPARTED: frozenset({BookingStatus.ARRIVED}),
    BookingStatus.ARRIVED: frozenset(),
    BookingStatus.CANCELLED: frozenset(),
}


def booking_transition(current: BookingStatus, target: BookingStatus) -> BookingStatus:
    """``target`` if a booking may move there from ``current``; ``IllegalTransition`` otherwise."""
    from storeops.errors import IllegalTransition

    if target not in BOOKING_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in BOOKING_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} booking cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target
