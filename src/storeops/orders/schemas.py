"""Pydantic shapes of the orders domain, shared by the API, the console and the CLI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from storeops.crm.enums import ReviewCause
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


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    store_id: int
    external_id: str
    buyer_id: int
    kind: OrderKind
    status: OrderStatus
    country: str
    currency: str
    total_amount: int
    placed_at: dt.datetime
    paid_at: dt.datetime | None
    shipped_at: dt.datetime | None
    delivered_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    refunded_at: dt.datetime | None


class OrderStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: OrderStatus
    note: str = Field(default="", max_length=2000)


class TimelineEntry(BaseModel):
    """8.3.2 One step of an order's life as the buyer could follow it."""

    at: dt.datetime
    kind: str
    detail: str = ""


class RefundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(gt=0, description="minor units of the order's currency")
    reason: str = Field(min_length=1, max_length=40)


class RefundRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    reason: str
    amount: int
    currency: str
    requested_at: dt.datetime
    resolved_at: dt.datetime | None
    status: RefundStatus


class DisputeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=40)


class DisputeMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: DisputeStatus
    seller_responsible: bool | None = None


class DisputeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    reason: str
    opened_at: dt.datetime
    escalated_at: dt.datetime | None
    arbitrated_at: dt.datetime | None
    closed_at: dt.datetime | None
    seller_responsible: bool | None
    status: DisputeStatus


class DisputeSummary(BaseModel):
    """6.1.7 Disputes of a store: how far they went and who was responsible."""

    store_id: int
    total: int
    by_status: dict[str, int]
    escalated: int
    arbitrated: int
    decided: int
    seller_responsible: int
    seller_responsible_rate: float | None


class AfterSalesCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: AfterSalesKind
    reason: str = Field(min_length=1, max_length=200)
    amount: int | None = Field(default=None, gt=0)


class AfterSalesDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accept: bool
    resolution: str = Field(default="", max_length=2000)


class AfterSalesRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    kind: AfterSalesKind
    status: AfterSalesStatus
    reason: str
    amount: int | None
    currency: str
    opened_at: dt.datetime
    respond_by: dt.datetime
    resolve_by: dt.datetime
    responded_at: dt.datetime | None
    closed_at: dt.datetime | None
    refund_request_id: int | None
    resolution: str


class ComplaintHandle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cause: str = Field(min_length=1, max_length=2000)
    handling: str = Field(min_length=1, max_length=2000)
    basis: str = Field(min_length=1, max_length=2000, description="law or platform rule")


class ReviewReplyWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=5000)


class ReviewTagsWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    causes: list[ReviewCause] = Field(min_length=1)


class ImprovementTaskRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    store_id: int
    listing_id: int
    cause: ReviewCause
    review_count: int
    opened_at: dt.datetime
    status: str
    action: str
    closed_at: dt.datetime | None


class ImprovementClose(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: str = Field(min_length=1, max_length=2000)


class ExportQuoteCreate(BaseModel):
    """8.1.5 Costing inputs: amounts in major units of the base currency, rates as fractions."""

    model_config = ConfigDict(extra="forbid")

    buyer_id: int
    product_name: str = Field(min_length=1, max_length=200)
    incoterm: str = Field(default="FOB", description="EXW, FOB, CFR, CIF or DDP")
    language: str = Field(default="en", max_length=8, description="the buyer's language")
    base_currency: str = "CNY"
    quote_currency: str = "USD"
    fx_rate: Decimal = Field(description="base units per one unit of the quote currency")
    purchase_cost: Decimal = Field(description="per unit, VAT included")
    vat_rate: Decimal = Decimal("0.13")
    rebate_rate: Decimal = Decimal("0.13")
    packing_per_unit: Decimal = Decimal(0)
    inland_freight_per_shipment: Decimal = Decimal(0)
    port_charges_per_shipment: Decimal = Decimal(0)
    freight_per_shipment: Decimal = Decimal(0)
    insurance_rate: Decimal = Decimal(0)
    insurance_markup: Decimal = Decimal("0.10")
    commission_rate: Decimal = Decimal(0)
    target_margin: Decimal = Decimal("0.10")
    duty_rate: Decimal = Decimal(0)
    import_vat_rate: Decimal = Decimal(0)
    delivery_per_shipment: Decimal = Decimal(0)
    quantities: list[int] = Field(min_length=1, max_length=10)
    valid_days: int = Field(default=30, ge=1, le=365)
    inquiry_id: int | None = None


class QuoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    store_id: int
    buyer_id: int
    incoterm: str
    currency: str
    amount: int
    created_at: dt.datetime
    valid_until: dt.datetime
    status: QuoteStatus


class QuoteCostingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    quote_id: int
    product_name: str
    language: str
    base_currency: str
    fx_rate: Decimal
    inputs: dict[str, Any]
    prices: list[dict[str, Any]]


class QuoteMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: QuoteStatus


class ContractCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(gt=0)
    terms: str = Field(min_length=1, max_length=20_000)
    deposit_pct: int = Field(default=30, ge=0, le=100)
    incoterm: str | None = None


class ContractRevise(BaseModel):
    model_config = ConfigDict(extra="forbid")

    terms: str | None = Field(default=None, max_length=20_000)
    quantity: int | None = Field(default=None, gt=0)
    unit_price_amount: int | None = Field(default=None, gt=0, description="minor units")
    deposit_pct: int | None = Field(default=None, ge=0, le=100)


class ContractMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: ContractStatus


class ContractRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    store_id: int
    quote_id: int | None
    buyer_id: int
    order_id: int | None
    number: str
    status: ContractStatus
    current_version: int
    created_at: dt.datetime
    sent_at: dt.datetime | None
    buyer_signed_at: dt.datetime | None
    signed_at: dt.datetime | None


class ContractVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    incoterm: str
    currency: str
    quantity: int
    unit_price_amount: int
    amount: int
    deposit_pct: int
    terms: str
    created_at: dt.datetime


class TradeAssuranceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ship_by: dt.date
    balance_days_after_shipment: int = Field(default=0, ge=0, le=365)


class MilestoneRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    seq: int
    name: str
    due_on: dt.date
    amount: int
    currency: str
    status: MilestoneStatus
    done_at: dt.datetime | None
