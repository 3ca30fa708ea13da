"""Pydantic shapes of the CRM domain, shared by the API, the console and the CLI."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from storeops.crm.enums import InquiryStatus, ReviewCause


class InquiryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    buyer_id: int
    subject: str = Field(min_length=1, max_length=200)
    language: str = Field(default="en", min_length=2, max_length=8)
    channel: str = Field(default="inquiry", max_length=20)
    quantity: int | None = Field(default=None, ge=1)
    listing_id: int | None = None
    received_at: dt.datetime | None = None


class InquirySla(BaseModel):
    """7.1.1 One inquiry with its deadline and first-reply times."""

    id: int
    store_id: int
    buyer_id: int
    subject: str
    language: str
    channel: str
    status: InquiryStatus
    received_at: dt.datetime
    first_reply_at: dt.datetime | None
    due_at: dt.datetime
    reply_minutes: float | None = Field(description="clock minutes to the first reply")
    reply_working_minutes: float | None = Field(
        description="minutes of the store's service hours to the first reply"
    )
    overdue: bool = Field(description="unanswered past its deadline, or answered after it")
    overdue_minutes: float = Field(description="clock minutes past the deadline (0 if on time)")


class ReplyPolicyRead(BaseModel):
    store_id: int
    platform: str
    platform_deadline_minutes: int
    working_target_minutes: int | None
    is_default: bool


class ReplyPolicyWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    platform_deadline_minutes: int = Field(ge=1, le=60 * 24 * 30)
    working_target_minutes: int | None = Field(default=None, ge=1, le=60 * 24 * 30)


class ReplyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str | None = Field(default=None, max_length=10_000)
    template: str | None = Field(default=None, description="template name (buyer's language)")
    escalate: bool = Field(default=False, description="8.3.1 hand the question upwards")


class ReplyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    inquiry_id: int
    template_id: int | None
    language: str
    body: str
    sent_at: dt.datetime
    sent_by_user_id: int | None
    escalated: bool


class TemplateWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    language: str = Field(min_length=2, max_length=8)
    body: str = Field(min_length=1, max_length=10_000)


class TemplateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    store_id: int
    name: str
    language: str
    body: str


class InquiryReport(BaseModel):
    """7.1.1 A store's reply performance over a period."""

    store_id: int
    inquiries: int
    answered: int
    answered_on_time: int
    unanswered: int
    overdue_unanswered: int
    on_time_rate: float | None
    median_reply_working_minutes: float | None


class ReviewTagWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    causes: list[ReviewCause] = Field(min_length=1)


class ContactWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=500)
    postcode: str | None = Field(default=None, max_length=16)


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    buyer_id: int
    handle: str
    country: str
    postcode_prefix: str
    name: str
    email: str
    phone: str
    address: str
    masked: bool
    erased: bool


class RetentionWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: int = Field(ge=1, le=3650)
