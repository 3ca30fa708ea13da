"""ORM classes of logistics (stage 9.1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storeops.db import Base, str_enum
from storeops.logistics.enums import (
    BookingStatus,
    Handover,
    ServiceLevel,
    ShipmentStatus,
    UndeliverableAction,
)

_ID = BigInteger().with_variant(Integer, "sqlite")


class LogisticsChannel(Base):
    """9.1.1 A carrier's service: postal, express or dedicated line, with its transit-time range."""

    __tablename__ = "logistics_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    carrier: Mapped[str] = mapped_column(String(60))
    service_name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))  # postal | express | line | platform
    transit_min_days: Mapped[int] = mapped_column(Integer)
    transit_max_days: Mapped[int] = mapped_column(Integer)
    tracking_prefix: Mapped[str] = mapped_column(String(8))


class Shipment(Base):
    """9.1.3 A parcel of an order: channel, declared value (9.1.2), promise and delivery."""

    __tablename__ = "shipments"
    __table_args__ = (Index("ix_shipments_store_id_shipped_at", "store_id", "shipped_at"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("logistics_channels.id"))
    tracking_number: Mapped[str] = mapped_column(String(40))
    destination_country: Mapped[str] = mapped_column(String(2))
    weight_g: Mapped[int] = mapped_column(Integer)
    declared_value_amount: Mapped[int] = mapped_column(BigInteger)
    declared_currency: Mapped[str] = mapped_column(String(3))
    hs_code: Mapped[str] = mapped_column(String(12))
    fee_amount: Mapped[int] = mapped_column(BigInteger)
    fee_currency: Mapped[str] = mapped_column(String(3))
    shipped_at: Mapped[dt.datetime]
    promised_by: Mapped[dt.datetime]
    delivered_at: Mapped[dt.datetime | None]
    status: Mapped[ShipmentStatus] = mapped_column(str_enum(ShipmentStatus, "shipment_status"))
    undeliverable_action: Mapped[UndeliverableAction | None] = mapped_column(
        str_enum(UndeliverableAction, "undeliverable_action")
    )
    undeliverable_fee_amount: Mapped[int | None] = mapped_column(BigInteger)


class TrackingEvent(Base):
    """One scan of a parcel on its way (the shipment's timeline, 8.3.2)."""

    __tablename__ = "tracking_events"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    shipment_id: Mapped[int] = mapped_column(
        ForeignKey("shipments.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime]
    code: Mapped[str] = mapped_column(String(24))
    location: Mapped[str] = mapped_column(String(80))


class ChannelProfile(Base):
    """9.1.1 The terms of a channel: speed class, chargeable-weight rule, surcharges, restrictions.

    Rates are in ``currency`` (the company's base currency, so that channels compare directly).
    ``dim_divisor_cm3_per_kg`` 0 means the channel charges actual weight only.
    """

    __tablename__ = "logistics_channel_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("logistics_channels.id", ondelete="CASCADE"), unique=True
    )
    service_level: Mapped[ServiceLevel] = mapped_column(str_enum(ServiceLevel, "service_level"))
    currency: Mapped[str] = mapped_column(String(3))
    dim_divisor_cm3_per_kg: Mapped[int] = mapped_column(Integer)
    weight_step_g: Mapped[int] = mapped_column(Integer)
    max_weight_g: Mapped[int] = mapped_column(Integer)
    fuel_surcharge_bp: Mapped[int] = mapped_column(Integer)  # basis points of the freight
    battery_surcharge_amount: Mapped[int] = mapped_column(BigInteger)
    allows_battery: Mapped[bool] = mapped_column(Boolean)
    allows_liquid: Mapped[bool] = mapped_column(Boolean)


class ChannelZone(Base):
    """9.1.1 A country a channel serves, in one of the channel's rate zones."""

    __tablename__ = "logistics_channel_zones"
    __table_args__ = (UniqueConstraint("channel_id", "country"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int] = mapped_column(ForeignKey("logistics_channels.id", ondelete="CASCADE"))
    zone: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))


class ChannelRate(Base):
    """9.1.1 One weight band of a zone: freight = fixed fee + price per kg x chargeable kg."""

    __tablename__ = "logistics_channel_rates"
    __table_args__ = (UniqueConstraint("channel_id", "zone", "max_weight_g"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("logistics_channels.id", ondelete="CASCADE"), index=True
    )
    zone: Mapped[str] = mapped_column(String(20))
    max_weight_g: Mapped[int] = mapped_column(Integer)
    per_kg_amount: Mapped[int] = mapped_column(BigInteger)
    fixed_amount: Mapped[int] = mapped_column(BigInteger)


class ShippingTemplate(Base):
    """3.2.3 A store's shipping template: which channels it offers buyers, and what it promises."""

    __tablename__ = "shipping_templates"
    __table_args__ = (UniqueConstraint("store_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    is_default: Mapped[bool] = mapped_column(Boolean)


class ShippingTemplateRule(Base):
    """3.2.3 One service a template offers: level, channel, promised delivery days, buyer price."""

    __tablename__ = "shipping_template_rules"
    __table_args__ = (UniqueConstraint("template_id", "service_level", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("shipping_templates.id", ondelete="CASCADE"), index=True
    )
    service_level: Mapped[ServiceLevel] = mapped_column(str_enum(ServiceLevel, "service_level"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("logistics_channels.id", ondelete="CASCADE"))
    promised_days: Mapped[int] = mapped_column(Integer)
    buyer_price_amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class ShipmentParties(Base):
    """9.1.3 Recipient, sender and handover of a shipment; editable until ``handed_over_at``.

    9.1.4 / 9.1.5: when its label was printed and when the shipping notice went to the platform.
    """

    __tablename__ = "shipment_parties"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    shipment_id: Mapped[int] = mapped_column(
        ForeignKey("shipments.id", ondelete="CASCADE"), unique=True
    )
    handover: Mapped[Handover] = mapped_column(str_enum(Handover, "handover"))
    warehouse: Mapped[str] = mapped_column(String(120))
    recipient: Mapped[dict[str, Any]] = mapped_column(JSON)
    sender: Mapped[dict[str, Any]] = mapped_column(JSON)
    handed_over_at: Mapped[dt.datetime | None]
    label_printed_at: Mapped[dt.datetime | None]
    notice_sent_at: Mapped[dt.datetime | None]
    notice_via: Mapped[str | None] = mapped_column(String(20))  # manual | api


class CustomsDeclaration(Base):
    """9.1.2 The export declaration of a parcel, with the checks' warnings when it was filed."""

    __tablename__ = "customs_declarations"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    shipment_id: Mapped[int] = mapped_column(
        ForeignKey("shipments.id", ondelete="CASCADE"), unique=True
    )
    currency: Mapped[str] = mapped_column(String(3))
    total_amount: Mapped[int] = mapped_column(BigInteger)
    sale_value_amount: Mapped[int] = mapped_column(BigInteger)  # order value in ``currency``
    ratio: Mapped[str] = mapped_column(String(12))  # declared / sale value, exact text
    warnings: Mapped[list[str]] = mapped_column(JSON)
    declared_at: Mapped[dt.datetime]


class CustomsDeclarationLine(Base):
    """9.1.2 One kind of goods in a declaration."""

    __tablename__ = "customs_declaration_lines"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("customs_declarations.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(String(200))
    hs_code: Mapped[str] = mapped_column(String(12))
    quantity: Mapped[int] = mapped_column(Integer)
    value_amount: Mapped[int] = mapped_column(BigInteger)


class FreightBooking(Base):
    """9.2.3 Space booked with a forwarder for a B2B order, with its customs and cargo deadlines."""

    __tablename__ = "freight_bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    forwarder: Mapped[str] = mapped_column(String(120))
    mode: Mapped[str] = mapped_column(String(10))  # sea | air | express | rail
    booking_no: Mapped[str] = mapped_column(String(40))
    vessel_or_flight: Mapped[str] = mapped_column(String(80))
    port_of_loading: Mapped[str] = mapped_column(String(60))
    port_of_discharge: Mapped[str] = mapped_column(String(60))
    customs_cutoff_at: Mapped[dt.datetime]  # 截关: customs declaration and inspection done by
    cargo_cutoff_at: Mapped[dt.datetime]  # 截港/截仓: cargo at the terminal or warehouse by
    etd: Mapped[dt.datetime]
    eta: Mapped[dt.datetime]
    status: Mapped[BookingStatus] = mapped_column(str_enum(BookingStatus, "booking_status"))
    declared_at: Mapped[dt.datetime | None]
    departed_at: Mapped[dt.datetime | None]
    arrived_at: Mapped[dt.datetime | None]
