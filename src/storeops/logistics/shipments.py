"""9.1.3 shipments with validated parties, 9.1.4 labels, 9.1.5 shipping notices, 9.1.6 late
delivery alerts, 9.1.7 undeliverable parcels, and the tracking timeline."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from html import escape
from typing import Any

import barcode
import phonenumbers
from barcode.writer import SVGWriter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped, scoped
from storeops.errors import Conflict, InvalidInput
from storeops.logistics.channels import _promised_days, channel_label, get_channel, order_parcel
from storeops.logistics.enums import (
    Handover,
    ServiceLevel,
    ShipmentStatus,
    UndeliverableAction,
    shipment_transition,
)
from storeops.logistics.errors import InvalidAddress, ShipmentLocked
from storeops.logistics.models import (
    LogisticsChannel,
    Shipment,
    ShipmentParties,
    TrackingEvent,
)
from storeops.orders.models import Order
from storeops.types import Money, normalize_country, utcnow

# Postcode formats of the main destination countries; other countries' postcodes are kept as
# given (required only where listed here).
POSTCODE_FORMATS: dict[str, str] = {
    "US": r"\d{5}(-\d{4})?", "CA": r"[A-Z]\d[A-Z] ?\d[A-Z]\d", "GB": r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}",
    "DE": r"\d{5}", "FR": r"\d{5}", "ES": r"\d{5}", "IT": r"\d{5}", "NL": r"\d{4} ?[A-Z]{2}",
    "PL": r"\d{2}-\d{3}", "JP": r"\d{3}-?\d{4}", "KR": r"\d{5}", "CN": r"\d{6}", "AU": r"\d{4}",
    "MY": r"\d{5}", "TH": r"\d{5}", "SG": r"\d{6}", "ID": r"\d{5}", "PH": r"\d{4}",
    "VN": r"\d{6}", "RU": r"\d{6}", "BR": r"\d{5}-?\d{3}", "MX": r"\d{5}", "SA": r"\d{5}",
}  # fmt: skip


class Address(BaseModel):
    """A recipient or sender: name, phone and postal address."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    phone: str = Field(min_length=3, max_length=40)
    line1: str = Field(min_length=1, max_length=200)
    line2: str = ""
    city: str = Field(min_length=1, max_length=80)
    region: str = ""
    postcode: str = ""
    country: str = Field(min_length=2, max_length=2)


def validate_address(address: Address, *, who: str) -> dict[str, str]:
    """9.1.3 The address normalised (country code, E.164 phone, postcode), or ``InvalidAddress``
    naming the field: the phone must be a valid number of the address's country (``phonenumbers``),
    the postcode must match the country's format where storeops knows it."""
    country = normalize_country(address.country)
    try:
        number = phonenumbers.parse(address.phone, country)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidAddress(
            f"{who} phone {address.phone!r} is not a valid phone number in {country}",
            field=f"{who}.phone",
        )
    postcode = address.postcode.strip().upper()
    pattern = POSTCODE_FORMATS.get(country)
    if pattern is not None and not re.fullmatch(pattern, postcode):
        raise InvalidAddress(
            f"{who} postcode {address.postcode!r} does not match the format of {country}",
            field=f"{who}.postcode",
        )
    return {
        "name": address.name.strip(),
        "phone": phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        "line1": address.line1.strip(),
        "line2": address.line2.strip(),
        "city": address.city.strip(),
        "region": address.region.strip(),
        "postcode": postcode,
        "country": country,
    }


class ShipmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_id: int
    channel_id: int
    handover: Handover = Handover.DROP_OFF
    warehouse: str = Field(default="", max_length=120)
    recipient: Address
    sender: Address
    service: ServiceLevel = ServiceLevel.STANDARD


def create_shipment(session: Session, *, data: ShipmentCreate, actor: Actor) -> Shipment:
    """9.1.3 Create the logistics order of a parcel: channel, parties checked, pickup or drop-off.

    The parcel's weight comes from the order's SKUs; the promise from the store's default shipping
    template for the buyer's service, or the channel's longest transit without one. ``shipped_at``
    holds the creation time until the parcel is handed over.
    """
    actor.require(Permission.LOGISTICS_MANAGE)
    order = get_scoped(session, Order, data.order_id, actor, what="order")
    channel = get_channel(session, channel_id=data.channel_id, actor=actor)
    recipient = validate_address(data.recipient, who="recipient")
    sender = validate_address(data.sender, who="sender")
    if recipient["country"] != order.country:
        raise InvalidAddress(
            f"the recipient is in {recipient['country']} but the order ships to {order.country}",
            field="recipient.country",
        )
    if data.handover == Handover.DROP_OFF and not data.warehouse.strip():
        raise InvalidInput("name the consolidation warehouse for a drop-off", field="warehouse")
    parcel = order_parcel(session, order=order)
    now = utcnow()
    days = _promised_days(session, store_id=order.store_id, level=data.service)
    promised = (order.paid_at or order.placed_at) + dt.timedelta(
        days=days if days is not None else channel.transit_max_days
    )
    shipment = Shipment(
        store_id=order.store_id,
        order_id=order.id,
        channel_id=channel.id,
        tracking_number="pending",
        destination_country=order.country,
        weight_g=parcel.actual_weight_g,
        declared_value_amount=0,
        declared_currency=order.currency,
        hs_code="",
        fee_amount=0,
        fee_currency="CNY",
        shipped_at=now,
        promised_by=promised,
        status=ShipmentStatus.CREATED,
    )
    session.add(shipment)
    session.flush()
    shipment.tracking_number = f"{channel.tracking_prefix}{shipment.id:010d}CN"
    session.add(
        ShipmentParties(
            store_id=order.store_id,
            shipment_id=shipment.id,
            handover=data.handover,
            warehouse=data.warehouse.strip(),
            recipient=recipient,
            sender=sender,
        )
    )
    session.flush()
    return shipment


def _parties(session: Session, shipment: Shipment) -> ShipmentParties:
    parties = session.scalars(
        select(ShipmentParties).where(ShipmentParties.shipment_id == shipment.id)
    ).one_or_none()
    if parties is None:
        raise Conflict(
            f"shipment {shipment.id} has no recorded recipient (imported from the platform)"
        )
    return parties


def update_parties(
    session: Session,
    *,
    shipment: Shipment,
    recipient: Address | None,
    sender: Address | None,
    actor: Actor,
) -> ShipmentParties:
    """9.1.3 Correct the recipient or sender of a parcel that has not been handed over."""
    actor.require(Permission.LOGISTICS_MANAGE)
    shipment = get_scoped(session, Shipment, shipment.id, actor, what="shipment")
    parties = _parties(session, shipment)
    if parties.handed_over_at is not None:
        raise ShipmentLocked(
            f"shipment {shipment.id} was handed over on {parties.handed_over_at:%Y-%m-%d}; "
            "ask the carrier to change the address"
        )
    new_recipient = validate_address(recipient, who="recipient") if recipient else None
    new_sender = validate_address(sender, who="sender") if sender else None
    if new_recipient is not None:
        parties.recipient = new_recipient
    if new_sender is not None:
        parties.sender = new_sender
    session.flush()
    return parties


def hand_over(session: Session, *, shipment: Shipment, actor: Actor) -> Shipment:
    """9.1.3 The carrier has the parcel (picked up or dropped off): in transit, parties locked."""
    actor.require(Permission.LOGISTICS_MANAGE)
    shipment = get_scoped(session, Shipment, shipment.id, actor, what="shipment")
    parties = _parties(session, shipment)
    shipment.status = shipment_transition(shipment.status, ShipmentStatus.IN_TRANSIT)
    now = utcnow()
    parties.handed_over_at = now
    shipment.shipped_at = now
    session.add(
        TrackingEvent(
            store_id=shipment.store_id, shipment_id=shipment.id, at=now, code="accepted",
            location=parties.warehouse or parties.sender["city"],
        )
    )  # fmt: skip
    session.flush()
    return shipment


def record_shipping_notice(session: Session, *, shipment: Shipment, actor: Actor) -> Shipment:
    """9.1.5 Record that the shipping notice (carrier, tracking number) was filled in on the
    platform. Recorded as ``manual``: no platform connector exists yet to send it by API."""
    actor.require(Permission.LOGISTICS_MANAGE)
    shipment = get_scoped(session, Shipment, shipment.id, actor, what="shipment")
    parties = _parties(session, shipment)
    if parties.handed_over_at is None:
        raise Conflict("hand the parcel over to the carrier before notifying the platform")
    parties.notice_sent_at = utcnow()
    parties.notice_via = "manual"
    session.flush()
    return shipment


# --- 9.1.4 labels --------------------------------------------------------------------------------


def code128_svg(text: str) -> str:
    """A Code 128 barcode of ``text`` as an SVG element (no XML prologue)."""
    buffer = io.BytesIO()
    barcode.get("code128", text, writer=SVGWriter()).write(
        buffer, options={"module_height": 14.0, "module_width": 0.3, "write_text": False}
    )
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]


def _label_html(shipment: Shipment, parties: ShipmentParties, channel: LogisticsChannel) -> str:
    r, s = parties.recipient, parties.sender

    def block(title: str, p: dict[str, Any]) -> str:
        lines = [p["name"], p["line1"], p.get("line2", ""),
                 " ".join(x for x in (p["postcode"], p["city"], p.get("region", "")) if x),
                 p["country"], p["phone"]]  # fmt: skip
        body = "<br>".join(escape(x) for x in lines if x)
        return f'<div class="block"><b>{title}</b><br>{body}</div>'

    return (
        '<section class="label">'
        f'<div class="carrier">{escape(channel_label(channel))}</div>'
        f"{block('FROM', s)}{block('TO', r)}"
        f'<div class="barcode">{code128_svg(shipment.tracking_number)}</div>'
        f'<div class="tracking">{escape(shipment.tracking_number)}</div>'
        f'<div class="meta">Order {shipment.order_id} · {shipment.weight_g} g · '
        f"{escape(parties.handover.value)}</div></section>"
    )


LABEL_CSS = """
@page { size: 100mm 150mm; margin: 5mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; font-size: 9pt; }
.label { page-break-after: always; }
.carrier { font-size: 12pt; font-weight: bold; border-bottom: 1px solid #000; margin-bottom: 2mm; }
.block { margin-bottom: 3mm; }
.barcode svg { width: 88mm; height: 22mm; }
.tracking { font-size: 14pt; font-weight: bold; text-align: center; letter-spacing: 1px; }
.meta { margin-top: 2mm; font-size: 8pt; }
"""


def render_labels(session: Session, *, shipment_ids: list[int], actor: Actor) -> bytes:
    """9.1.4 Shipping labels as one PDF, one 100x150 mm page per parcel, each with a Code 128
    barcode of its tracking number (batch printing); records when each label was printed."""
    from weasyprint import HTML

    actor.require(Permission.LOGISTICS_MANAGE)
    if not shipment_ids:
        raise InvalidInput("choose at least one shipment", field="shipment_ids")
    pages = []
    now = utcnow()
    for sid in shipment_ids:
        shipment = get_scoped(session, Shipment, sid, actor, what="shipment")
        parties = _parties(session, shipment)
        channel = session.get_one(LogisticsChannel, shipment.channel_id)
        pages.append(_label_html(shipment, parties, channel))
        parties.label_printed_at = now
    session.flush()
    html = f"<html><head><style>{LABEL_CSS}</style></head><body>{''.join(pages)}</body></html>"
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


# --- 9.1.6 delivery promise ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LateDelivery:
    """9.1.6 A parcel past its promised delivery time."""

    shipment_id: int
    store_id: int
    order_id: int
    tracking_number: str
    channel: str
    promised_by: dt.datetime
    delivered_at: dt.datetime | None
    days_late: int
    status: str


def late_deliveries(
    session: Session,
    *,
    actor: Actor,
    now: dt.datetime | None = None,
    include_delivered: bool = False,
) -> list[LateDelivery]:
    """9.1.6 Parcels not delivered by their promise (open ones first; delivered late on request).

    days late = whole days from the promise to the delivery, or to ``now`` while still open.
    """
    actor.require(Permission.LOGISTICS_READ)
    now = now or utcnow()
    late_open = (Shipment.status == ShipmentStatus.IN_TRANSIT) & (Shipment.promised_by < now)
    cond = late_open
    if include_delivered:
        cond = late_open | (
            (Shipment.status == ShipmentStatus.DELIVERED)
            & (Shipment.delivered_at > Shipment.promised_by)
        )
    rows = session.execute(
        scoped(select(Shipment, LogisticsChannel), Shipment, actor)
        .join(LogisticsChannel, LogisticsChannel.id == Shipment.channel_id)
        .where(cond)
        .order_by(Shipment.promised_by, Shipment.id)
    ).all()
    out = []
    for s, c in rows:
        end = s.delivered_at if s.status == ShipmentStatus.DELIVERED else now
        assert end is not None
        out.append(
            LateDelivery(
                shipment_id=s.id, store_id=s.store_id, order_id=s.order_id,
                tracking_number=s.tracking_number, channel=channel_label(c),
                promised_by=s.promised_by, delivered_at=s.delivered_at,
                days_late=(end - s.promised_by).days, status=s.status.value,
            )
        )  # fmt: skip
    return out


# --- 9.1.7 undeliverable parcels -----------------------------------------------------------------


def resolve_undeliverable(
    session: Session,
    *,
    shipment: Shipment,
    action: UndeliverableAction,
    fee: Money,
    actor: Actor,
) -> Shipment:
    """9.1.7 Decide what happens to a parcel that could not be delivered: return it or dispose of
    it abroad, and record the fee the carrier charges for that (in the shipment's fee currency)."""
    actor.require(Permission.LOGISTICS_MANAGE)
    shipment = get_scoped(session, Shipment, shipment.id, actor, what="shipment")
    if shipment.status == ShipmentStatus.IN_TRANSIT:
        shipment.status = shipment_transition(shipment.status, ShipmentStatus.UNDELIVERABLE)
    elif shipment.status != ShipmentStatus.UNDELIVERABLE:
        raise Conflict(f"a {shipment.status.value} shipment is not undeliverable")
    if shipment.undeliverable_action is not None:
        raise Conflict(
            f"shipment {shipment.id} was already resolved ({shipment.undeliverable_action.value})"
        )
    if fee.currency != shipment.fee_currency:
        raise InvalidInput(
            f"the fee must be in {shipment.fee_currency}, the currency of the shipping fee",
            field="fee",
        )
    if fee.amount < 0:
        raise InvalidInput("the fee is negative", field="fee")
    shipment.undeliverable_action = action
    shipment.undeliverable_fee_amount = fee.amount
    session.flush()
    return shipment


# --- tracking ------------------------------------------------------------------------------------

TRACKING_COLUMNS = ("tracking_number", "at", "code", "location")
DELIVERED_CODES = frozenset({"delivered"})


@dataclass(frozen=True, slots=True)
class TrackingImport:
    added: int
    duplicates: int
    errors: tuple[str, ...]


def import_tracking_csv(session: Session, *, text: str, actor: Actor) -> TrackingImport:
    """Import carrier scans (CSV: tracking_number, at (ISO 8601 with offset), code, location)
    into the shipments' timelines. All rows are checked first; one bad row writes nothing.
    Re-importing a file adds nothing (same shipment, time and code). A ``delivered`` scan marks
    an in-transit shipment delivered."""
    actor.require(Permission.LOGISTICS_MANAGE)
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in TRACKING_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(f"the file lacks column(s): {', '.join(missing)}", field="file")
    parsed: list[tuple[int, str, dt.datetime, str, str]] = []
    errors: list[str] = []
    numbers: dict[str, Shipment | None] = {}
    for row_no, row in enumerate(reader, start=2):
        number = (row["tracking_number"] or "").strip()
        if number not in numbers:
            numbers[number] = session.scalars(
                scoped(select(Shipment), Shipment, actor).where(Shipment.tracking_number == number)
            ).first()
        shipment = numbers[number]
        if shipment is None:
            errors.append(f"row {row_no}, tracking_number: no shipment {number!r}")
            continue
        try:
            at = dt.datetime.fromisoformat((row["at"] or "").strip())
        except ValueError:
            errors.append(f"row {row_no}, at: {row['at']!r} is not an ISO 8601 time")
            continue
        if at.tzinfo is None:
            errors.append(f"row {row_no}, at: {row['at']!r} has no UTC offset")
            continue
        code = (row["code"] or "").strip().lower()
        if not code:
            errors.append(f"row {row_no}, code: empty")
            continue
        parsed.append(
            (shipment.id, number, at.astimezone(dt.UTC), code, (row["location"] or "")[:80])
        )
    if errors:
        raise InvalidInput("; ".join(errors[:20]), field="file", errors=errors)
    added = duplicates = 0
    for sid, _number, at, code, location in parsed:
        exists = session.scalar(
            select(TrackingEvent.id).where(
                TrackingEvent.shipment_id == sid, TrackingEvent.at == at, TrackingEvent.code == code
            )
        )
        if exists:
            duplicates += 1
            continue
        shipment = session.get_one(Shipment, sid)
        session.add(
            TrackingEvent(store_id=shipment.store_id, shipment_id=sid, at=at, code=code,
                          location=location)
        )  # fmt: skip
        if code in DELIVERED_CODES and shipment.status == ShipmentStatus.IN_TRANSIT:
            shipment.status = shipment_transition(shipment.status, ShipmentStatus.DELIVERED)
            shipment.delivered_at = at
        added += 1
        session.flush()
    return TrackingImport(added=added, duplicates=duplicates, errors=())


def timeline(session: Session, *, shipment: Shipment, actor: Actor) -> list[TrackingEvent]:
    """The shipment's scans, oldest first."""
    actor.require(Permission.LOGISTICS_READ)
    shipment = get_scoped(session, Shipment, shipment.id, actor, what="shipment")
    return list(
        session.scalars(
            select(TrackingEvent)
            .where(TrackingEvent.shipment_id == shipment.id)
            .order_by(TrackingEvent.at, TrackingEvent.id)
        )
    )


class ShipmentRead(BaseModel):
    """A shipment as the API shows it; names and phones masked without ``pii.read``."""

    id: int
    store_id: int
    order_id: int
    channel_id: int
    tracking_number: str
    destination_country: str
    weight_g: int
    status: ShipmentStatus
    shipped_at: dt.datetime
    promised_by: dt.datetime
    delivered_at: dt.datetime | None
    declared_value: str
    hs_code: str
    undeliverable_action: UndeliverableAction | None
    undeliverable_fee: str | None
    shipping_fee: str | None = None  # the carrier's fee: shown only with finance.read
    handover: Handover | None = None
    warehouse: str | None = None
    recipient: dict[str, str] | None = None
    sender: dict[str, str] | None = None
    handed_over_at: dt.datetime | None = None
    label_printed_at: dt.datetime | None = None
    notice_sent_at: dt.datetime | None = None


def _mask(party: dict[str, str]) -> dict[str, str]:
    return {**party, "name": party["name"][:1] + "***", "phone": "***" + party["phone"][-2:],
            "line1": "***", "line2": ""}  # fmt: skip


def shipment_read(session: Session, *, shipment: Shipment, actor: Actor) -> ShipmentRead:
    """The shipment with its parties (masked unless the actor may read personal data)."""
    actor.require(Permission.LOGISTICS_READ)
    shipment = get_scoped(session, Shipment, shipment.id, actor, what="shipment")
    parties = session.scalars(
        select(ShipmentParties).where(ShipmentParties.shipment_id == shipment.id)
    ).one_or_none()
    read = ShipmentRead(
        id=shipment.id, store_id=shipment.store_id, order_id=shipment.order_id,
        channel_id=shipment.channel_id, tracking_number=shipment.tracking_number,
        destination_country=shipment.destination_country, weight_g=shipment.weight_g,
        status=shipment.status, shipped_at=shipment.shipped_at, promised_by=shipment.promised_by,
        delivered_at=shipment.delivered_at,
        declared_value=str(Money(shipment.declared_value_amount, shipment.declared_currency)),
        hs_code=shipment.hs_code, undeliverable_action=shipment.undeliverable_action,
        undeliverable_fee=None if shipment.undeliverable_fee_amount is None
        else str(Money(shipment.undeliverable_fee_amount, shipment.fee_currency)),
    )  # fmt: skip
    if actor.can(Permission.FINANCE_READ):
        read.shipping_fee = str(Money(shipment.fee_amount, shipment.fee_currency))
    if parties is not None:
        see = actor.can(Permission.PII_READ)
        read.handover = parties.handover
        read.warehouse = parties.warehouse
        read.recipient = parties.recipient if see else _mask(parties.recipient)
        read.sender = parties.sender
        read.handed_over_at = parties.handed_over_at
        read.label_printed_at = parties.label_printed_at
        read.notice_sent_at = parties.notice_sent_at
    return read
