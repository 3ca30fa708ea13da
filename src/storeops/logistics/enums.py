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
