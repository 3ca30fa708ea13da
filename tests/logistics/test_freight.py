"""9.2.3 Freight bookings and their customs and cargo cut-offs."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.errors import IllegalTransition, InvalidInput, NotFound
from storeops.logistics import freight
from storeops.logistics.enums import BookingStatus
from tests.factories import make_company, make_store, owner_actor
from tests.logistics.factories import make_order, make_sku

H = dt.timedelta(hours=1)
NOW = dt.datetime(2025, 6, 2, 8, 0, tzinfo=dt.UTC)


def test_booking_deadlines_and_flow(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    sku, listing = make_sku(session, store=store)
    order = make_order(session, store=store, lines=[(sku, listing, 500, 800)])
    data = freight.BookingIn(
        order_id=order.id, forwarder="Ningbo Forwarding", mode="sea", booking_no="NGB123",
        vessel_or_flight="COSCO PRIDE 012E", port_of_loading="Ningbo", port_of_discharge="Hamburg",
        customs_cutoff_at=NOW + 30 * H, cargo_cutoff_at=NOW + 60 * H, etd=NOW + 96 * H,
        eta=NOW + 30 * 24 * H,
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="before the departure"):
        freight.book_freight(session, actor=actor,
                             data=data.model_copy(update={"cargo_cutoff_at": NOW + 100 * H}))  # fmt: skip
    booking = freight.book_freight(session, data=data, actor=actor)
    # within 48 h: only the customs cut-off (30 h left); the cargo cut-off is 60 h away
    alerts = freight.deadline_alerts(session, actor=actor, now=NOW)
    assert [(a.deadline, a.hours_left) for a in alerts] == [("customs_cutoff", 30.0)]
    # a day and a half later the customs cut-off is missed (-6 h) and the cargo one is 24 h away
    later = freight.deadline_alerts(session, actor=actor, now=NOW + 36 * H)
    assert [(a.deadline, a.hours_left) for a in later] == [("customs_cutoff", -6.0),
                                                           ("cargo_cutoff", 24.0)]  # fmt: skip
    freight.advance_booking(session, booking_id=booking.id, status=BookingStatus.DECLARED,
                            actor=actor, at=NOW + 20 * H)  # fmt: skip
    assert [a.deadline for a in freight.deadline_alerts(session, actor=actor, now=NOW + 36 * H)] == [
        "cargo_cutoff"]  # fmt: skip
    with pytest.raises(IllegalTransition):
        freight.advance_booking(session, booking_id=booking.id, status=BookingStatus.ARRIVED,
                                actor=actor)  # fmt: skip
    freight.advance_booking(session, booking_id=booking.id, status=BookingStatus.DEPARTED,
                            actor=actor)  # fmt: skip
    assert freight.deadline_alerts(session, actor=actor, now=NOW + 36 * H) == []
    other = owner_actor(session, make_company(session))
    with pytest.raises(NotFound):
        freight.advance_booking(session, booking_id=booking.id, status=BookingStatus.ARRIVED,
                                actor=other)  # fmt: skip
