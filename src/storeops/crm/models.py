"""ORM classes of CRM: who buys, what they ask, what they say (stage 7)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storeops.crm.enums import BuyerKind, ComplaintStatus, InquiryStatus, RfqStatus
from storeops.db import Base, str_enum


class Buyer(Base):
    """A buyer of a store. Personal data lives encrypted elsewhere; ``handle`` is pseudonymous."""

    __tablename__ = "buyers"
    __table_args__ = (UniqueConstraint("store_id", "handle"),)  # natural key of imports

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    handle: Mapped[str] = mapped_column(String(60))
    kind: Mapped[BuyerKind] = mapped_column(str_enum(BuyerKind, "buyer_kind"))
    country: Mapped[str] = mapped_column(String(2))
    source: Mapped[str] = mapped_column(String(30))  # 7.2.1 / 7.2.3 acquisition channel
    company_name: Mapped[str | None] = mapped_column(String(160))
    first_seen_at: Mapped[dt.datetime]


class Inquiry(Base):
    """7.1.1 A buyer's message about a product, with when and by whom it was first answered."""

    __tablename__ = "inquiries"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(20))  # inquiry | chat | email
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[dt.datetime]
    first_reply_at: Mapped[dt.datetime | None]
    replied_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[InquiryStatus] = mapped_column(str_enum(InquiryStatus, "inquiry_status"))


class Rfq(Base):
    """7.1.2 A public request for quotation posted by a buyer on the B2B platform."""

    __tablename__ = "rfqs"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyers.id", ondelete="SET NULL"))
    product_keyword: Mapped[str] = mapped_column(String(160))
    quantity: Mapped[int] = mapped_column(Integer)
    target_price_amount: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    country: Mapped[str] = mapped_column(String(2))
    posted_at: Mapped[dt.datetime]
    quoted_at: Mapped[dt.datetime | None]
    quoted_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[RfqStatus] = mapped_column(str_enum(RfqStatus, "rfq_status"))


class Review(Base):
    """8.3.5 / 6.2.5 A buyer's rating of an order's product."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(SmallInteger)  # 1-5
    image_count: Mapped[int] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]


class Complaint(Base):
    """8.3.4 / 6.2.5 A complaint raised by a buyer about an order."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(40))
    opened_at: Mapped[dt.datetime]
    resolved_at: Mapped[dt.datetime | None]
    status: Mapped[ComplaintStatus] = mapped_column(str_enum(ComplaintStatus, "complaint_status"))
    seller_at_fault: Mapped[bool] = mapped_column(Boolean)
