"""9.1.2-9.1.7: customs checks, parties, labels, late deliveries, undeliverables, tracking."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from storeops.logistics import channels as ch
from storeops.logistics import customs
from storeops.logistics import shipments as svc
from storeops.logistics.enums import Handover, ShipmentStatus, UndeliverableAction
from storeops.logistics.errors import InvalidAddress, ShipmentLocked
from storeops.logistics.models import TrackingEvent
from storeops.logistics.schemas import ChannelCreate
from storeops.types import Money
from tests.factories import make_company, make_store, owner_actor
from tests.logistics.factories import make_order, make_sku

RECIPIENT = svc.Address(name="Jane Roe", phone="(201) 555-0123", line1="1 Main St",
                        city="Newark", region="NJ", postcode="07102", country="US")  # fmt: skip
SENDER = svc.Address(name="Ningbo Trading", phone="010 1234 5678", line1="8 Haishu Rd",
                     city="Ningbo", postcode="315000", country="CN")  # fmt: skip


@pytest.fixture
def world(session: Session):
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    channel = ch.add_channel(session, actor=actor, data=ChannelCreate(
        carrier="China Post", service_name="ePacket", kind="postal", transit_min_days=10,
        transit_max_days=25, tracking_prefix="LX"))  # fmt: skip
    sku, listing = make_sku(session, store=store, weight_g=300)
    order = make_order(session, store=store, lines=[(sku, listing, 2, 1999)])
    return store, actor, channel, order


def _ship(session: Session, actor, channel, order):
    return svc.create_shipment(session, actor=actor, data=svc.ShipmentCreate(
        order_id=order.id, channel_id=channel.id, handover=Handover.DROP_OFF,
        warehouse="Yiwu consolidation warehouse", recipient=RECIPIENT, sender=SENDER))  # fmt: skip


def test_hs_code_format() -> None:
    assert customs.normalize_hs_code("8517.62.00.00") == "8517620000"
    assert customs.normalize_hs_code("851762") == "851762"
    for bad in ("85176", "851762000", "7712345678", "9912345678", "ABCDEF"):
        with pytest.raises(InvalidInput):
            customs.normalize_hs_code(bad)


def test_declared_value_checks_with_hand_worked_ratios() -> None:
    sale = Money(3998, "USD")
    assert customs.check_declared_value(Money(3998, "USD"), sale).warnings == ()
    under = customs.check_declared_value(Money(2000, "USD"), sale)
    assert under.ratio == Decimal("0.5003")  # 20.00 / 39.98
    assert under.warnings[0].startswith("under-declared: 20.00 USD is 50% of the sale value")
    over = customs.check_declared_value(Money(6000, "USD"), sale)
    assert over.ratio == Decimal("1.5008") and over.warnings[0].startswith("over-declared")
    # the edges: 80 % and 120 % are still fine
    assert customs.check_declared_value(Money(31984, "USD"), Money(39980, "USD")).warnings == ()
    assert customs.check_declared_value(Money(47976, "USD"), Money(39980, "USD")).warnings == ()
    with pytest.raises(InvalidInput, match="above zero"):
        customs.check_declared_value(Money(0, "USD"), sale)


def test_sale_value_converts_at_the_ecb_rate(session: Session, world) -> None:
    *_x, order = world
    # ECB 2024-01-02: EUR/USD 1.0956, EUR/CNY 7.8264 → USD/CNY 7.143483;
    # 39.98 x 7.143483 = 285.5964 → 285.60 CNY
    value = customs.sale_value_in(order=order, currency="CNY", day=dt.date(2024, 1, 2))
    assert value == Money(28560, "CNY")


def test_shipment_parties_declaration_and_lock(session: Session, world) -> None:
    _store, actor, channel, order = world
    shipment = _ship(session, actor, channel, order)
    assert shipment.tracking_number == f"LX{shipment.id:010d}CN"
    assert shipment.weight_g == 600 and shipment.status == ShipmentStatus.CREATED
    parties = svc._parties(session, shipment)
    assert parties.recipient["phone"] == "+12015550123"
    # the order was paid 5 min after T0; without a template the promise is the channel's 25 days
    assert shipment.promised_by == order.paid_at + dt.timedelta(days=25)
    read = customs.declare_customs(session, shipment=shipment, actor=actor, data=customs.DeclarationIn(
        currency="USD", lines=[customs.DeclarationLineIn(
            description="Bluetooth speaker", hs_code="8518.22.00.00", quantity=2, value="20.00")]))  # fmt: skip
    assert read.ratio == "0.5003" and read.warnings[0].startswith("under-declared")
    assert shipment.declared_value_amount == 2000 and shipment.hs_code == "8518220000"
    with pytest.raises(Conflict):
        customs.declare_customs(session, shipment=shipment, actor=actor, data=customs.DeclarationIn(
            currency="USD", lines=[customs.DeclarationLineIn(
                description="x y", hs_code="851822", quantity=1, value="1")]))  # fmt: skip
    moved = RECIPIENT.model_copy(update={"line1": "2 Broad St"})
    svc.update_parties(session, shipment=shipment, recipient=moved, sender=None, actor=actor)
    assert parties.recipient["line1"] == "2 Broad St"
    svc.hand_over(session, shipment=shipment, actor=actor)
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    with pytest.raises(ShipmentLocked):
        svc.update_parties(
            session, shipment=shipment, recipient=RECIPIENT, sender=None, actor=actor
        )
    with pytest.raises(IllegalTransition):
        svc.hand_over(session, shipment=shipment, actor=actor)
    svc.record_shipping_notice(session, shipment=shipment, actor=actor)
    assert parties.notice_via == "manual" and parties.notice_sent_at is not None


def test_bad_phone_or_postcode_is_refused_and_nothing_is_written(session: Session, world) -> None:
    _s, actor, channel, order = world
    from storeops.logistics.models import Shipment

    before = session.scalar(select(func.count()).select_from(Shipment))
    with pytest.raises(InvalidAddress, match="recipient phone"):
        svc.create_shipment(session, actor=actor, data=svc.ShipmentCreate(
            order_id=order.id, channel_id=channel.id, warehouse="W",
            recipient=RECIPIENT.model_copy(update={"phone": "12345"}), sender=SENDER))  # fmt: skip
    with pytest.raises(InvalidAddress, match="postcode"):
        svc.create_shipment(session, actor=actor, data=svc.ShipmentCreate(
            order_id=order.id, channel_id=channel.id, warehouse="W",
            recipient=RECIPIENT.model_copy(update={"postcode": "ABC"}), sender=SENDER))  # fmt: skip
    assert session.scalar(select(func.count()).select_from(Shipment)) == before


def test_labels_pdf_has_one_page_per_parcel_with_the_tracking_number(
    session: Session, world
) -> None:
    store, actor, channel, order = world
    sku, listing = make_sku(session, store=store)
    second = make_order(session, store=store, lines=[(sku, listing, 1, 999)])
    a = _ship(session, actor, channel, order)
    b = _ship(session, actor, channel, second)
    pdf = svc.render_labels(session, shipment_ids=[a.id, b.id], actor=actor)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    first, last = (p.extract_text() for p in reader.pages)
    assert a.tracking_number in first and "Jane Roe" in first and "China Post · ePacket" in first
    assert b.tracking_number in last
    assert svc._parties(session, a).label_printed_at is not None
    svg = svc.code128_svg(a.tracking_number)
    assert svg.startswith("<svg") and svg.count("<rect") > 20


def test_late_deliveries_and_undeliverables(session: Session, world) -> None:
    _s, actor, channel, order = world
    shipment = _ship(session, actor, channel, order)
    svc.hand_over(session, shipment=shipment, actor=actor)
    promised = shipment.promised_by
    assert svc.late_deliveries(session, actor=actor, now=promised - dt.timedelta(hours=1)) == []
    late = svc.late_deliveries(session, actor=actor, now=promised + dt.timedelta(days=3, hours=2))
    assert [(x.shipment_id, x.days_late) for x in late] == [(shipment.id, 3)]
    with pytest.raises(InvalidInput, match="CNY"):
        svc.resolve_undeliverable(session, shipment=shipment, action=UndeliverableAction.RETURN,
                                  fee=Money(3500, "USD"), actor=actor)  # fmt: skip
    svc.resolve_undeliverable(session, shipment=shipment, action=UndeliverableAction.DISPOSE,
                              fee=Money(1200, "CNY"), actor=actor)  # fmt: skip
    assert shipment.status == ShipmentStatus.UNDELIVERABLE
    assert (shipment.undeliverable_action, shipment.undeliverable_fee_amount) == ("dispose", 1200)
    with pytest.raises(Conflict):
        svc.resolve_undeliverable(session, shipment=shipment, action=UndeliverableAction.RETURN,
                                  fee=Money(1, "CNY"), actor=actor)  # fmt: skip


def test_tracking_import_is_atomic_and_idempotent(session: Session, world) -> None:
    _s, actor, channel, order = world
    shipment = _ship(session, actor, channel, order)
    svc.hand_over(session, shipment=shipment, actor=actor)
    n = shipment.tracking_number
    bad = f"tracking_number,at,code,location\n{n},2025-03-05T10:00:00+08:00,departed,Shenzhen\nNOPE,2025-03-06T10:00:00Z,x,y\n"
    with pytest.raises(InvalidInput, match="row 3, tracking_number"):
        svc.import_tracking_csv(session, text=bad, actor=actor)
    assert len(svc.timeline(session, shipment=shipment, actor=actor)) == 1  # the hand-over scan
    good = (f"tracking_number,at,code,location\n{n},2099-03-05T10:00:00+08:00,departed_origin,Shenzhen\n"
            f"{n},2099-03-20T15:00:00Z,delivered,Newark US\n")  # fmt: skip
    first = svc.import_tracking_csv(session, text=good, actor=actor)
    again = svc.import_tracking_csv(session, text=good, actor=actor)
    assert (first.added, first.duplicates, again.added, again.duplicates) == (2, 0, 0, 2)
    events = svc.timeline(session, shipment=shipment, actor=actor)
    assert [e.code for e in events][-2:] == ["departed_origin", "delivered"]
    assert events[-2].at == dt.datetime(2099, 3, 5, 2, 0, tzinfo=dt.UTC)
    assert shipment.status == ShipmentStatus.DELIVERED
    other = owner_actor(session, make_company(session))
    with pytest.raises(NotFound):
        svc.timeline(session, shipment=shipment, actor=other)
    assert session.scalar(select(func.count()).where(TrackingEvent.shipment_id == shipment.id)) == 3
