"""Logistics (stage 9.1): channels and rate cards, shipping templates, the channel chooser."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Response, status
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from storeops.api.deps import DbSession, rate_limit, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.logistics import channels as svc
from storeops.logistics import customs, freight
from storeops.logistics import shipments as ships
from storeops.logistics.enums import BookingStatus, ServiceLevel, UndeliverableAction
from storeops.logistics.export_documents import ExportDocument, render_export_document
from storeops.logistics.models import Shipment
from storeops.logistics.schemas import (
    ChannelChoice,
    ChannelCreate,
    ChannelRead,
    RateCard,
    TemplateCreate,
    TemplateRead,
)
from storeops.logistics.shipments import ShipmentCreate, ShipmentRead
from storeops.orders.models import Order
from storeops.stores.models import Store
from storeops.types import Money

router = APIRouter(tags=["logistics"])

Reader = Annotated[Actor, Depends(require(Permission.LOGISTICS_READ))]
Manager = Annotated[Actor, Depends(require(Permission.LOGISTICS_MANAGE))]


@router.get("/logistics/channels", response_model=list[ChannelRead])
def list_channels(session: DbSession, actor: Reader) -> list[ChannelRead]:
    """9.1.1 The company's logistics channels and their terms."""
    return svc.list_channels(session, actor=actor)


@router.post("/logistics/channels", response_model=ChannelRead, status_code=status.HTTP_201_CREATED)
def add_channel(body: ChannelCreate, session: DbSession, actor: Manager) -> ChannelRead:
    """9.1.1 Record a carrier's service."""
    channel = svc.add_channel(session, data=body, actor=actor)
    return next(c for c in svc.list_channels(session, actor=actor) if c.id == channel.id)


@router.put("/logistics/channels/{channel_id}/rate-card", response_model=ChannelRead)
def set_rate_card(
    channel_id: int, body: RateCard, session: DbSession, actor: Manager
) -> ChannelRead:
    """9.1.1 Replace a channel's zones, weight bands, surcharges and restricted goods."""
    channel = svc.get_channel(session, channel_id=channel_id, actor=actor)
    svc.set_rate_card(session, channel=channel, card=body, actor=actor)
    return next(c for c in svc.list_channels(session, actor=actor) if c.id == channel.id)


@router.get("/stores/{store_id}/shipping-templates", response_model=list[TemplateRead])
def list_templates(store_id: int, session: DbSession, actor: Reader) -> list[TemplateRead]:
    """3.2.3 The store's shipping templates."""
    store = get_scoped(session, Store, store_id, actor, what="store")
    return svc.list_shipping_templates(session, store=store, actor=actor)


@router.post(
    "/stores/{store_id}/shipping-templates",
    response_model=TemplateRead,
    status_code=status.HTTP_201_CREATED,
)
def create_template(
    store_id: int, body: TemplateCreate, session: DbSession, actor: Manager
) -> TemplateRead:
    """3.2.3 Add a shipping template to the store (the default one unless told otherwise)."""
    store = get_scoped(session, Store, store_id, actor, what="store")
    template = svc.create_shipping_template(session, store=store, data=body, actor=actor)
    return next(
        t for t in svc.list_shipping_templates(session, store=store, actor=actor)
        if t.id == template.id
    )  # fmt: skip


@router.get("/orders/{order_id}/channel-choice", response_model=ChannelChoice)
def choose_channel(
    order_id: int,
    session: DbSession,
    actor: Reader,
    service: Annotated[ServiceLevel, Query(description="the buyer's selected service")] = (
        ServiceLevel.STANDARD
    ),
) -> ChannelChoice:
    """9.1.1 Rank the eligible channels for an order by service, promise and cost, with the reason."""
    order = get_scoped(session, Order, order_id, actor, what="order")
    return svc.choose_channel(session, order=order, selected_service=service, actor=actor)


# --- shipments (9.1.2-9.1.7) ---------------------------------------------------------------------


def _shipment(session: Session, shipment_id: int, actor: Actor) -> Shipment:
    return get_scoped(session, Shipment, shipment_id, actor, what="shipment")


@router.post("/shipments", response_model=ShipmentRead, status_code=status.HTTP_201_CREATED)
def create_shipment(body: ShipmentCreate, session: DbSession, actor: Manager) -> ShipmentRead:
    """9.1.3 Create a parcel's logistics order (addresses and phones validated per country)."""
    shipment = ships.create_shipment(session, data=body, actor=actor)
    return ships.shipment_read(session, shipment=shipment, actor=actor)


@router.get("/shipments/{shipment_id}", response_model=ShipmentRead)
def get_shipment(shipment_id: int, session: DbSession, actor: Reader) -> ShipmentRead:
    """A shipment; recipient masked without ``pii.read``."""
    return ships.shipment_read(
        session, shipment=_shipment(session, shipment_id, actor), actor=actor
    )


class PartiesChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recipient: ships.Address | None = None
    sender: ships.Address | None = None


@router.patch("/shipments/{shipment_id}/parties", response_model=ShipmentRead)
def change_parties(
    shipment_id: int, body: PartiesChange, session: DbSession, actor: Manager
) -> ShipmentRead:
    """9.1.3 Correct recipient or sender until the parcel is handed over."""
    shipment = _shipment(session, shipment_id, actor)
    ships.update_parties(
        session, shipment=shipment, recipient=body.recipient, sender=body.sender, actor=actor
    )
    return ships.shipment_read(session, shipment=shipment, actor=actor)


@router.post("/shipments/{shipment_id}/handover", response_model=ShipmentRead)
def hand_over(shipment_id: int, session: DbSession, actor: Manager) -> ShipmentRead:
    """9.1.3 The carrier has the parcel (in transit; parties locked)."""
    shipment = ships.hand_over(
        session, shipment=_shipment(session, shipment_id, actor), actor=actor
    )
    return ships.shipment_read(session, shipment=shipment, actor=actor)


@router.post("/shipments/{shipment_id}/shipping-notice", response_model=ShipmentRead)
def shipping_notice(shipment_id: int, session: DbSession, actor: Manager) -> ShipmentRead:
    """9.1.5 Record the shipping notice given on the platform (manual; no connector yet)."""
    shipment = ships.record_shipping_notice(
        session, shipment=_shipment(session, shipment_id, actor), actor=actor
    )
    return ships.shipment_read(session, shipment=shipment, actor=actor)


@router.post(
    "/shipments/{shipment_id}/customs-declaration",
    response_model=customs.DeclarationRead,
    status_code=status.HTTP_201_CREATED,
)
def declare(
    shipment_id: int, body: customs.DeclarationIn, session: DbSession, actor: Manager
) -> customs.DeclarationRead:
    """9.1.2 File the customs declaration; answers with the under/over-declaration warnings."""
    return customs.declare_customs(
        session, shipment=_shipment(session, shipment_id, actor), data=body, actor=actor
    )


class DeclarationCheckRead(BaseModel):
    declared: str
    sale_value: str
    ratio: str
    warnings: list[str]


@router.get("/shipments/{shipment_id}/customs-check", response_model=DeclarationCheckRead)
def customs_check(shipment_id: int, session: DbSession, actor: Reader) -> DeclarationCheckRead:
    """9.1.2 Declared value against the order's sale value (ECB rate of the shipping day)."""
    check = customs.check_shipment(
        session, shipment=_shipment(session, shipment_id, actor), actor=actor
    )
    return DeclarationCheckRead(
        declared=str(check.declared), sale_value=str(check.sale_value),
        ratio=str(check.ratio), warnings=list(check.warnings),
    )  # fmt: skip


class LabelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shipment_ids: list[int]


@router.post("/shipments/labels", response_class=Response)
def labels(body: LabelRequest, session: DbSession, actor: Manager) -> Response:
    """9.1.4 Shipping labels (PDF, Code 128 of the tracking number), one page per parcel."""
    pdf = ships.render_labels(session, shipment_ids=body.shipment_ids, actor=actor)
    return Response(pdf, media_type="application/pdf")


class LateRead(BaseModel):
    shipment_id: int
    store_id: int
    order_id: int
    tracking_number: str
    channel: str
    promised_by: dt.datetime
    delivered_at: dt.datetime | None
    days_late: int
    status: str


@router.get("/logistics/late-deliveries", response_model=list[LateRead])
def late(session: DbSession, actor: Reader, include_delivered: bool = False) -> list[LateRead]:
    """9.1.6 Parcels past their promised delivery time."""
    return [
        LateRead(**asdict(x))
        for x in ships.late_deliveries(session, actor=actor, include_delivered=include_delivered)
    ]


class UndeliverableIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: UndeliverableAction
    fee: str
    currency: str = "CNY"


@router.post("/shipments/{shipment_id}/undeliverable", response_model=ShipmentRead)
def undeliverable(
    shipment_id: int, body: UndeliverableIn, session: DbSession, actor: Manager
) -> ShipmentRead:
    """9.1.7 Return or dispose of an undeliverable parcel, with the fee."""
    shipment = ships.resolve_undeliverable(
        session, shipment=_shipment(session, shipment_id, actor), action=body.action,
        fee=Money.parse(body.fee, body.currency), actor=actor,
    )  # fmt: skip
    return ships.shipment_read(session, shipment=shipment, actor=actor)


class TrackingImportRead(BaseModel):
    added: int
    duplicates: int


@router.post(
    "/logistics/tracking-import",
    response_model=TrackingImportRead,
    dependencies=[Depends(rate_limit("import"))],
)
def tracking_import(
    session: DbSession, actor: Manager, csv_text: Annotated[str, Body(media_type="text/csv")]
) -> TrackingImportRead:
    """Import carrier scans (CSV: tracking_number, at, code, location); atomic, idempotent."""
    result = ships.import_tracking_csv(session, text=csv_text, actor=actor)
    return TrackingImportRead(added=result.added, duplicates=result.duplicates)


class EventRead(BaseModel):
    at: dt.datetime
    code: str
    location: str


@router.get("/shipments/{shipment_id}/timeline", response_model=list[EventRead])
def shipment_timeline(shipment_id: int, session: DbSession, actor: Reader) -> list[EventRead]:
    """The parcel's tracking events, oldest first."""
    events = ships.timeline(session, shipment=_shipment(session, shipment_id, actor), actor=actor)
    return [EventRead(at=e.at, code=e.code, location=e.location) for e in events]


@router.get(
    "/orders/{order_id}/export-documents/{kind}",
    response_class=Response,
    dependencies=[Depends(rate_limit("export"))],
)
def export_document(
    order_id: int,
    kind: ExportDocument,
    session: DbSession,
    actor: Reader,
    tenor_days: Annotated[int, Query(ge=0, le=360)] = 0,
) -> Response:
    """9.2.1 Commercial invoice, packing list, bill of exchange or CO application draft (PDF)."""
    order = get_scoped(session, Order, order_id, actor, what="order")
    pdf = render_export_document(
        session, order=order, kind=kind, actor=actor, tenor_days=tenor_days
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{kind.value}-{order_id}.pdf"'},
    )


# --- 9.2.3 freight bookings ----------------------------------------------------------------------


@router.post("/logistics/freight-bookings", status_code=status.HTTP_201_CREATED)
def book_freight(body: freight.BookingIn, session: DbSession, actor: Manager) -> dict[str, object]:
    """9.2.3 Record a freight booking with its customs and cargo cut-offs."""
    booking = freight.book_freight(session, data=body, actor=actor)
    return {"id": booking.id, "status": booking.status.value}


class BookingMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: BookingStatus
    at: dt.datetime | None = None


@router.post("/logistics/freight-bookings/{booking_id}/status")
def advance_booking(
    booking_id: int, body: BookingMove, session: DbSession, actor: Manager
) -> dict[str, object]:
    """9.2.3 Customs declared, departed, arrived or cancelled."""
    booking = freight.advance_booking(
        session, booking_id=booking_id, status=body.status, actor=actor, at=body.at
    )
    return {"id": booking.id, "status": booking.status.value}


@router.get("/logistics/freight-deadlines")
def freight_deadlines(
    session: DbSession, actor: Reader, within_hours: int = 48
) -> list[dict[str, object]]:
    """9.2.3 Customs and cargo cut-offs due soon or missed."""
    return [
        asdict(a) for a in freight.deadline_alerts(session, actor=actor, within_hours=within_hours)
    ]
