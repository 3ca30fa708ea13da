"""ORM classes of orders and B2B deals (stage 8)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storeops.db import Base, str_enum
from storeops.orders.enums import (
    AfterSalesKind,
    AfterSalesStatus,
    ContractStatus,
    DisputeStatus,
    MilestoneStatus,
    OrderKind,
    OrderStatus,
    QuoteStatus,
    RefundStatus,
)

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


class OrderEvent(Base):
    """8.3.2 One thing that happened to an order, recorded by storeops (status moves, notes, cases).

    Together with the order's own timestamps, its refunds, disputes, cases, complaints, reviews and
    the parcel's tracking scans it makes the timeline a buyer could follow end to end.
    """

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[dt.datetime]
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")


class AfterSalesCase(Base):
    """8.3.3 A return, refund, replacement or partial refund with the platform's deadlines."""

    __tablename__ = "after_sales_cases"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AfterSalesKind] = mapped_column(str_enum(AfterSalesKind, "after_sales_kind"))
    status: Mapped[AfterSalesStatus] = mapped_column(
        str_enum(AfterSalesStatus, "after_sales_status")
    )
    reason: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int | None] = mapped_column(BigInteger)  # refund kinds, order currency
    currency: Mapped[str] = mapped_column(String(3))
    opened_at: Mapped[dt.datetime]
    respond_by: Mapped[dt.datetime]
    resolve_by: Mapped[dt.datetime]
    responded_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    refund_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("refund_requests.id", ondelete="SET NULL")
    )
    resolution: Mapped[str] = mapped_column(Text, default="")


class QuoteCosting(Base):
    """8.1.5 The export costing behind a quote: its inputs, the day's FX rate and every price."""

    __tablename__ = "quote_costings"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"), unique=True)
    product_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    base_currency: Mapped[str] = mapped_column(String(3))
    fx_rate: Mapped[Any] = mapped_column(Numeric(20, 10))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    prices: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # one entry per quantity break
    created_at: Mapped[dt.datetime]


class DealContract(Base):
    """8.1.6 An online sales contract drawn from a quote, with its signature status."""

    __tablename__ = "deal_contracts"
    __table_args__ = (UniqueConstraint("store_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id", ondelete="SET NULL"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    number: Mapped[str] = mapped_column(String(40))
    status: Mapped[ContractStatus] = mapped_column(str_enum(ContractStatus, "contract_status"))
    current_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None]
    buyer_signed_at: Mapped[dt.datetime | None]
    signed_at: Mapped[dt.datetime | None]


class ContractVersion(Base):
    """8.1.6 One version of a contract's terms; a change of terms is a new version."""

    __tablename__ = "contract_versions"
    __table_args__ = (UniqueConstraint("contract_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("deal_contracts.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    incoterm: Mapped[str] = mapped_column(String(3))
    currency: Mapped[str] = mapped_column(String(3))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_amount: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    deposit_pct: Mapped[int] = mapped_column(Integer)
    terms: Mapped[str] = mapped_column(Text)  # payment, delivery, packing, inspection, disputes
    created_at: Mapped[dt.datetime]
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class TradeAssuranceMilestone(Base):
    """8.2.1 A milestone of a Trade Assurance order: deposit, shipment, balance …"""

    __tablename__ = "ta_milestones"
    __table_args__ = (UniqueConstraint("order_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(80))
    due_on: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)  # money due at this milestone (0: none)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[MilestoneStatus] = mapped_column(str_enum(MilestoneStatus, "milestone_status"))
    done_at: Mapped[dt.datetime | None]


class VisitPlan(Base):
    """8.1.2 A plan to receive a visiting buyer: date, visitors, agenda, checklist, outcome."""

    __tablename__ = "visit_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id", ondelete="CASCADE"))
    visit_on: Mapped[dt.date] = mapped_column(Date)
    visitors: Mapped[int] = mapped_column(Integer)
    agenda: Mapped[str] = mapped_column(Text)
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{"item": …, "done": bool}]
    status: Mapped[str] = mapped_column(String(16))  # planned | done | cancelled
    outcome: Mapped[str] = mapped_column(Text, default="")


class FactoryAudit(Base):
    """8.1.3 A buyer's audit of the factory: agenda, checklist, findings, result."""

    __tablename__ = "factory_audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id", ondelete="CASCADE"))
    audit_on: Mapped[dt.date] = mapped_column(Date)
    site: Mapped[str] = mapped_column(String(200))
    agenda: Mapped[str] = mapped_column(Text)
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON
    )  # finding, severity, action, closed
    result: Mapped[str | None] = mapped_column(String(16))  # passed | conditional | failed


class NegotiationEntry(Base):
    """8.1.4 One round of a negotiation: topic, our and their position, outcome, next step."""

    __tablename__ = "negotiation_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id", ondelete="CASCADE"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime]
    topic: Mapped[str] = mapped_column(String(20))
    our_position: Mapped[str] = mapped_column(Text)
    their_position: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ExportServiceUse(Base):
    """8.2.2 A platform export service used for an order: customs, certificate of origin, rebate …"""

    __tablename__ = "export_service_uses"
    __table_args__ = (UniqueConstraint("order_id", "service"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    service: Mapped[str] = mapped_column(String(30))
    provider: Mapped[str] = mapped_column(String(120))
    reference: Mapped[str] = mapped_column(String(80), default="")
    requested_at: Mapped[dt.datetime]
    done_at: Mapped[dt.datetime | None]
    fee_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    fee_currency: Mapped[str] = mapped_column(String(3))


class PurchaseContract(Base):
    """8.2.3 A purchase contract with a supplier, linked to the sales contract it serves."""

    __tablename__ = "purchase_contracts"
    __table_args__ = (UniqueConstraint("store_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    sales_contract_id: Mapped[int] = mapped_column(
        ForeignKey("deal_contracts.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    number: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_cost_amount: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    delivery_by: Mapped[dt.date] = mapped_column(Date)
    signed_at: Mapped[dt.datetime]
