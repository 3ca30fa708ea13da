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
