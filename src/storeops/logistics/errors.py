"""Errors of the logistics domain."""

from __future__ import annotations

from storeops.errors import Conflict, InvalidInput


class InvalidRateCard(InvalidInput):
    code = "invalid_rate_card"


class NoEligibleChannel(Conflict):
    code = "no_eligible_channel"


class ShipmentLocked(Conflict):
    """The parcel was handed over: recipient and sender can no longer change (9.1.3)."""

    code = "shipment_locked"


class InvalidAddress(InvalidInput):
    code = "invalid_address"
