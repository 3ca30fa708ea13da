"""Pydantic shapes of the orders domain, shared by the API, the console and the CLI."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from storeops.crm.enums import ReviewCause
from storeops.orders.enums import (
    AfterSalesKind,
    AfterSalesStatus,
    DisputeStatus,
    OrderKind,
    OrderStatus,
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
