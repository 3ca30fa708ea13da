"""ORM classes of logistics (stage 9.1)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storeops.db import Base, str_enum
from storeops.logistics.enums import ShipmentStatus, UndeliverableAction

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
