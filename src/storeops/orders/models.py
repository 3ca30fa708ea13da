"""ORM classes of orders and B2B deals (stage 8)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storeops.db import Base, str_enum
from storeops.orders.enums import DisputeStatus, OrderKind, OrderStatus, QuoteStatus, RefundStatus

_ID = BigInteger().with_variant(Integer, "sqlite")


class Order(Base):
    """An order of a store in the buyer's currency, with the times of each status it reached."""

    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_store_id_placed_at", "store_id", "placed_at"),
        UniqueConstraint("store_id", "external_id"),  # natural key of imports
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(40))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id"), index=True)
    kind: Mapped[OrderKind] = mapped_column(str_enum(OrderKind, "order_kind"))
    status: Mapped[OrderStatus] = mapped_column(str_enum(OrderStatus, "order_status"))
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_amount: Mapped[int] = mapped_column(BigInteger)
    shipping_amount: Mapped[int] = mapped_column(BigInteger)
    discount_amount: Mapped[int] = mapped_column(BigInteger)
    total_amount: Mapped[int] = mapped_column(BigInteger)
    traffic_source: Mapped[str] = mapped_column(String(20))
    promotion_id: Mapped[int | None] = mapped_column(
        ForeignKey("promotions.id", ondelete="SET NULL")
    )
    live_stream_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_streams.id", ondelete="SET NULL")
    )
    placed_at: Mapped[dt.datetime]
    paid_at: Mapped[dt.datetime | None]
    shipped_at: Mapped[dt.datetime | None]
    delivered_at: Mapped[dt.datetime | None]
    cancelled_at: Mapped[dt.datetime | None]
    refunded_at: Mapped[dt.datetime | None]


class OrderLine(Base):
    """One SKU of an order: quantity and unit price in the order's currency."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_amount: Mapped[int] = mapped_column(BigInteger)
    line_amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class RefundRequest(Base):
    """8.3.3 / 9.3.4 A buyer's request for money back, and its outcome (6.1.7)."""

    __tablename__ = "refund_requests"
    __table_args__ = (UniqueConstraint("store_id", "external_id"),)  # natural key of imports

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(60))  # platform's return/RMA id
    reason: Mapped[str] = mapped_column(String(40))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    requested_at: Mapped[dt.datetime]
    resolved_at: Mapped[dt.datetime | None]
    status: Mapped[RefundStatus] = mapped_column(str_enum(RefundStatus, "refund_status"))


class Dispute(Base):
    """6.1.7 A dispute: escalated to the platform, arbitrated, and whether the seller was at fault."""

    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    opened_at: Mapped[dt.datetime]
    escalated_at: Mapped[dt.datetime | None]
    arbitrated_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    seller_responsible: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[DisputeStatus] = mapped_column(str_enum(DisputeStatus, "dispute_status"))


class Quote(Base):
    """8.1.5 A priced offer to a B2B buyer, answering an inquiry or an RFQ."""

    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id"), index=True)
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id", ondelete="SET NULL"))
    rfq_id: Mapped[int | None] = mapped_column(ForeignKey("rfqs.id", ondelete="SET NULL"))
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    incoterm: Mapped[str] = mapped_column(String(3))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime]
    valid_until: Mapped[dt.datetime]
    status: Mapped[QuoteStatus] = mapped_column(str_enum(QuoteStatus, "quote_status"))


class Contract(Base):
    """8.1.6 / 8.2.3 A signed sales contract (with the buyer) behind a B2B order."""

    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id", ondelete="SET NULL"))
    number: Mapped[str] = mapped_column(String(40))
    incoterm: Mapped[str] = mapped_column(String(3))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    signed_at: Mapped[dt.datetime]
    deposit_pct: Mapped[int] = mapped_column(Integer)
