"""ORM classes of money movements (stage 9.3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
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

from storeops.db import Base, str_enum
from storeops.finance.enums import RebateStatus

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


class FxManualRate(Base):
    """9.3.3 A bank's rate entered by hand; it overrides the ECB reference rate of that day."""

    __tablename__ = "fx_manual_rates"
    __table_args__ = (UniqueConstraint("company_id", "day", "base", "quote"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[dt.date] = mapped_column(Date)
    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    rate: Mapped[str] = mapped_column(String(24))  # exact decimal text: quote per 1 base
    note: Mapped[str] = mapped_column(String(120))


class FxSettlementPosting(Base):
    """9.3.3 Who settled (company account or an individual's annual quota) and reversal links of
    a settlement posted through storeops. Posted settlements are never edited: a correction is a
    reversal (negative amounts) that points at the settlement it cancels."""

    __tablename__ = "fx_settlement_postings"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    settlement_id: Mapped[int] = mapped_column(
        ForeignKey("fx_settlements.id", ondelete="CASCADE"), unique=True
    )
    account: Mapped[str] = mapped_column(String(12))  # corporate | individual
    holder: Mapped[str] = mapped_column(String(120))
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("fx_settlements.id", ondelete="SET NULL"), unique=True
    )
    posted_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(String(200))


class RefundPayment(Base):
    """9.3.4 Money paid back to a buyer from the store balance or its deposit (posted, immutable;
    a correction is a negative reversal pointing at the payment it cancels)."""

    __tablename__ = "refund_payments"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    refund_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("refund_requests.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str] = mapped_column(String(10))  # balance | deposit
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    paid_at: Mapped[dt.datetime]
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("refund_payments.id", ondelete="SET NULL"), unique=True
    )


class HsRebateRate(Base):
    """9.3.5 The export VAT rebate rate of an HS code prefix, as the company keeps it up to date."""

    __tablename__ = "hs_rebate_rates"
    __table_args__ = (UniqueConstraint("company_id", "hs_prefix"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    hs_prefix: Mapped[str] = mapped_column(String(10))
    rate: Mapped[str] = mapped_column(String(8))  # e.g. "0.13"


class TaxRebateCase(Base):
    """9.3.5 An export tax rebate case: declaration, VAT invoices, FOB, rate, rebate, deadline."""

    __tablename__ = "tax_rebate_cases"
    __table_args__ = (UniqueConstraint("store_id", "declaration_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    declaration_no: Mapped[str] = mapped_column(String(18))
    exported_on: Mapped[dt.date] = mapped_column(Date)
    hs_code: Mapped[str] = mapped_column(String(12))
    fob_cny: Mapped[int] = mapped_column(BigInteger)
    vat_invoices: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    invoice_net_cny: Mapped[int] = mapped_column(BigInteger)
    rebate_rate: Mapped[str] = mapped_column(String(8))
    rebate_cny: Mapped[int] = mapped_column(BigInteger)
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[RebateStatus] = mapped_column(str_enum(RebateStatus, "rebate_status"))
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)


# Posted money records refuse edits and deletes from here on (see immutability.py).
from storeops.finance import immutability as _immutability  # noqa: E402, F401
