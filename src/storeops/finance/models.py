"""ORM classes of money movements (stage 9.3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storeops.db import Base

_ID = BigInteger().with_variant(Integer, "sqlite")


class Payment(Base):
    """9.3.1 / 9.3.2 Money a buyer paid for an order, by method."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    received_at: Mapped[dt.datetime]


class PlatformFee(Base):
    """9.3.2 A fee the platform or payment provider charged (commission, fulfilment, payment …)."""

    __tablename__ = "platform_fees"
    __table_args__ = (Index("ix_platform_fees_store_id_charged_at", "store_id", "charged_at"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("payouts.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(30))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    charged_at: Mapped[dt.datetime]


class Payout(Base):
    """9.3.2 A settlement the platform paid out to the seller's collection account."""

    __tablename__ = "payouts"
    __table_args__ = (UniqueConstraint("store_id", "external_id"),)  # natural key of imports

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(60))  # settlement id on the platform
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    gross_amount: Mapped[int] = mapped_column(BigInteger)
    fees_amount: Mapped[int] = mapped_column(BigInteger)
    refunds_amount: Mapped[int] = mapped_column(BigInteger)
    net_amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    paid_at: Mapped[dt.datetime]


class FxSettlement(Base):
    """9.3.3 Foreign currency sold for the company's base currency (结汇), at a recorded rate."""

    __tablename__ = "fx_settlements"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    store_id: Mapped[int | None] = mapped_column(
        ForeignKey("stores.id", ondelete="SET NULL"), index=True
    )
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("payouts.id", ondelete="SET NULL"))
    settled_at: Mapped[dt.datetime]
    sold_amount: Mapped[int] = mapped_column(BigInteger)
    sold_currency: Mapped[str] = mapped_column(String(3))
    bought_amount: Mapped[int] = mapped_column(BigInteger)
    bought_currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[str] = mapped_column(String(24))  # exact decimal text: bought per 1 sold
    channel: Mapped[str] = mapped_column(String(40))


class FxRate(Base):
    """A reference exchange rate of one day (ECB reference rates, cross-computed)."""

    __tablename__ = "fx_rates"
    __table_args__ = (UniqueConstraint("day", "base", "quote"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Numeric(20, 10))
