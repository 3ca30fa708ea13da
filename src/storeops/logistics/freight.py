"""9.2.3 International freight for B2B orders: bookings with the forwarder and the customs and
cargo cut-offs to meet, with alerts before they pass."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped, scoped
from storeops.errors import InvalidInput
from storeops.logistics.enums import BookingStatus, booking_transition
from storeops.logistics.models import FreightBooking
from storeops.orders.models import Order
from storeops.types import utcnow


class BookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_id: int
    forwarder: str = Field(min_length=1, max_length=120)
    mode: str = Field(pattern="^(sea|air|express|rail)$")
    booking_no: str = Field(min_length=1, max_length=40)
    vessel_or_flight: str = ""
    port_of_loading: str = Field(min_length=1, max_length=60)
    port_of_discharge: str = Field(min_length=1, max_length=60)
    customs_cutoff_at: dt.datetime
    cargo_cutoff_at: dt.datetime
    etd: dt.datetime
    eta: dt.datetime


def book_freight(session: Session, *, data: BookingIn, actor: Actor) -> FreightBooking:
    """9.2.3 Record a booking; the cut-offs must come before departure and arrival after it."""
    actor.require(Permission.LOGISTICS_MANAGE)
    order = get_scoped(session, Order, data.order_id, actor, what="order")
    times = (data.customs_cutoff_at, data.cargo_cutoff_at, data.etd, data.eta)
    if any(t.tzinfo is None for t in times):
        raise InvalidInput("give every time with its UTC offset", field="etd")
    if not (data.customs_cutoff_at <= data.etd and data.cargo_cutoff_at <= data.etd):
        raise InvalidInput("the cut-offs must be before the departure", field="customs_cutoff_at")
    if data.eta <= data.etd:
        raise InvalidInput("the arrival must be after the departure", field="eta")
    booking = FreightBooking(
        store_id=order.store_id, order_id=order.id, forwarder=data.forwarder.strip(),
        mode=data.mode, booking_no=data.booking_no.strip(),
        vessel_or_flight=data.vessel_or_flight.strip(), port_of_loading=data.port_of_loading,
        port_of_discharge=data.port_of_discharge, customs_cutoff_at=data.customs_cutoff_at,
        cargo_cutoff_at=data.cargo_cutoff_at, etd=data.etd, eta=data.eta,
        status=BookingStatus.BOOKED,
    )  # fmt: skip
    session.add(booking)
    session.flush()
    return booking


def advance_booking(
    session: Session,
    *,
    booking_id: int,
    status: BookingStatus,
    actor: Actor,
    at: dt.datetime | None = None,
) -> FreightBooking:
    """9.2.3 Customs declared (报关), departed, arrived or cancelled."""
    actor.require(Permission.LOGISTICS_MANAGE)
    booking = get_scoped(session, FreightBooking, booking_id, actor, what="booking")
    booking.status = booking_transition(booking.status, status)
    when = at or utcnow()
    if status == BookingStatus.DECLARED:
        booking.declared_at = when
    elif status == BookingStatus.DEPARTED:
        booking.departed_at = when
    elif status == BookingStatus.ARRIVED:
        booking.arrived_at = when
    session.flush()
    return booking


@dataclass(frozen=True, slots=True)
class DeadlineAlert:
    booking_id: int
    order_id: int
    booking_no: str
    deadline: str  # customs_cutoff | cargo_cutoff
    due_at: dt.datetime
    hours_left: float  # negative: missed


def deadline_alerts(
    session: Session, *, actor: Actor, now: dt.datetime | None = None, within_hours: int = 48
) -> list[DeadlineAlert]:
    """9.2.3 Customs cut-offs of bookings not yet declared, and cargo cut-offs of bookings not yet
    departed, due within ``within_hours`` or already missed; soonest first."""
    actor.require(Permission.LOGISTICS_READ)
    now = now or utcnow()
    horizon = now + dt.timedelta(hours=within_hours)
    out = []
    for b in session.scalars(
        scoped(select(FreightBooking), FreightBooking, actor).where(
            FreightBooking.status.in_([BookingStatus.BOOKED, BookingStatus.DECLARED])
        )
    ):
        pending = [("cargo_cutoff", b.cargo_cutoff_at)]
        if b.status == BookingStatus.BOOKED:
            pending.insert(0, ("customs_cutoff", b.customs_cutoff_at))
        for name, due in pending:
            if due <= horizon:
                out.append(DeadlineAlert(b.id, b.order_id, b.booking_no, name, due,
                                         round((due - now).total_seconds() / 3600, 1)))  # fmt: skip
    out.sort(key=lambda a: (a.due_at, a.booking_id))
    return out
