"""ORM classes of CRM: who buys, what they ask, what they say (stage 7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storeops.crm.enums import (
    BuyerKind,
    ComplaintStatus,
    ConversationStatus,
    ImprovementStatus,
    InquiryStatus,
    LeadStage,
    ReviewCause,
    RfqStatus,
    ServiceChannel,
)
from storeops.db import Base, str_enum
from storeops.types import utcnow

_ID = BigInteger().with_variant(Integer, "sqlite")


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


class ReplyPolicy(Base):
    """7.1.1 A store's reply deadline: the platform's calendar limit and its own service-hours target.

    An inquiry is due at whichever comes first: ``platform_deadline_minutes`` of clock time after it
    arrived, or ``working_target_minutes`` of the store's service hours (7.3.2) after it arrived.
    """

    __tablename__ = "reply_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), unique=True, index=True
    )
    platform_deadline_minutes: Mapped[int] = mapped_column(Integer)
    working_target_minutes: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InquiryReply(Base):
    """7.1.1 / 8.3.1 A reply sent to an inquiry, as recorded in storeops."""

    __tablename__ = "inquiry_replies"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    inquiry_id: Mapped[int] = mapped_column(
        ForeignKey("inquiries.id", ondelete="CASCADE"), index=True
    )
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("reply_templates.id", ondelete="SET NULL")
    )
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[dt.datetime]
    sent_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)  # 8.3.1 handed upwards


class ReplyTemplate(Base):
    """7.1.1 A canned reply in one language; placeholders {buyer}, {subject}, {store}."""

    __tablename__ = "reply_templates"
    __table_args__ = (UniqueConstraint("store_id", "name", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReviewReply(Base):
    """8.3.5 The store's public reply to a review."""

    __tablename__ = "review_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), unique=True
    )
    body: Mapped[str] = mapped_column(Text)
    replied_at: Mapped[dt.datetime]
    replied_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class ReviewTag(Base):
    """8.3.5 A cause tagged on a review (a review may carry several)."""

    __tablename__ = "review_tags"
    __table_args__ = (UniqueConstraint("review_id", "cause"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    cause: Mapped[ReviewCause] = mapped_column(str_enum(ReviewCause, "review_cause"))
    tagged_at: Mapped[dt.datetime]


class ImprovementTask(Base):
    """8.3.5 A cause that recurs on one listing's reviews, turned into a task on the product."""

    __tablename__ = "improvement_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    cause: Mapped[ReviewCause] = mapped_column(str_enum(ReviewCause, "review_cause"))
    review_count: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[dt.datetime]
    status: Mapped[ImprovementStatus] = mapped_column(
        str_enum(ImprovementStatus, "improvement_status")
    )
    action: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[dt.datetime | None]


class ComplaintHandling(Base):
    """8.3.4 How a complaint was handled: the cause found, what was done, and on what basis."""

    __tablename__ = "complaint_handlings"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    cause: Mapped[str] = mapped_column(Text)
    handling: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text)  # the law or platform rule relied on
    handled_at: Mapped[dt.datetime]
    handled_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class BuyerContact(Base):
    """A buyer's personal data, encrypted at rest (authenticated encryption, key outside the DB).

    Every ``*_ciphertext`` is ``storeops.crypto.encrypt(value, purpose="buyer-pii")``. After the
    retention period the ciphertexts are set to NULL and ``erased_at`` is stamped; ``country`` and
    the truncated ``postcode_prefix`` stay for statistics.
    """

    __tablename__ = "buyer_contacts"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int] = mapped_column(
        ForeignKey("buyers.id", ondelete="CASCADE"), unique=True, index=True
    )
    name_ciphertext: Mapped[str | None] = mapped_column(Text)
    email_ciphertext: Mapped[str | None] = mapped_column(Text)
    phone_ciphertext: Mapped[str | None] = mapped_column(Text)
    address_ciphertext: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    postcode_prefix: Mapped[str] = mapped_column(String(4), default="")
    updated_at: Mapped[dt.datetime]
    erased_at: Mapped[dt.datetime | None]


class PiiPolicy(Base):
    """9.3.1 How long a store keeps buyers' personal data after their last delivery."""

    __tablename__ = "pii_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), unique=True, index=True
    )
    retention_days: Mapped[int] = mapped_column(Integer)


class EmailTemplate(Base):
    """7.1.3 A marketing e-mail: subject and text with {name} and {store}; links are tracked."""

    __tablename__ = "email_templates"
    __table_args__ = (UniqueConstraint("store_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EmailCampaign(Base):
    """7.1.3 A campaign: a template sent to a segment of the store's buyers."""

    __tablename__ = "email_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("email_templates.id"))
    name: Mapped[str] = mapped_column(String(120))
    segment: Mapped[dict[str, Any]] = mapped_column(JSON)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16))  # draft | sent
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


class CampaignMessage(Base):
    """7.1.3 One e-mail of a campaign to one buyer, with its delivery, open and click."""

    __tablename__ = "campaign_messages"
    __table_args__ = (UniqueConstraint("campaign_id", "buyer_id"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("email_campaigns.id", ondelete="CASCADE"), index=True
    )
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(16))  # sent | bounced
    detail: Mapped[str] = mapped_column(String(200), default="")
    sent_at: Mapped[dt.datetime]
    opened_at: Mapped[dt.datetime | None]
    clicked_at: Mapped[dt.datetime | None]
    clicks: Mapped[int] = mapped_column(Integer, default=0)


class EmailUnsubscribe(Base):
    """7.1.3 A buyer who asked to receive no more marketing e-mail from the store."""

    __tablename__ = "email_unsubscribes"
    __table_args__ = (UniqueConstraint("store_id", "buyer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime]
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("email_campaigns.id", ondelete="SET NULL")
    )


class Conversation(Base):
    """7.3.1 One thread with a buyer on one service channel, linked to the buyer and an order."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    channel: Mapped[ServiceChannel] = mapped_column(str_enum(ServiceChannel, "service_channel"))
    subject: Mapped[str] = mapped_column(String(200))
    status: Mapped[ConversationStatus] = mapped_column(
        str_enum(ConversationStatus, "conversation_status")
    )
    assigned_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    opened_at: Mapped[dt.datetime]
    closed_at: Mapped[dt.datetime | None]
    escalated_at: Mapped[dt.datetime | None]  # 8.3.1 handed to a manager
    escalation_note: Mapped[str] = mapped_column(Text, default="")


class ConversationMessage(Base):
    """7.3.1 One message of a conversation: from the buyer (in) or from the store (out)."""

    __tablename__ = "conversation_messages"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    inbound: Mapped[bool] = mapped_column(Boolean)
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime]
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class QualityReview(Base):
    """7.3.3 A review of a conversation's service quality: politeness, accuracy, timeliness 1-5."""

    __tablename__ = "quality_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    agent_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewer_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    politeness: Mapped[int] = mapped_column(SmallInteger)
    accuracy: Mapped[int] = mapped_column(SmallInteger)
    timeliness: Mapped[int] = mapped_column(SmallInteger)
    score: Mapped[int] = mapped_column(SmallInteger)  # 0-100
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[dt.datetime]


class Prospect(Base):
    """7.2.1 A prospective buyer found in customs data, on a platform, by search or on social media."""

    __tablename__ = "prospects"
    __table_args__ = (UniqueConstraint("store_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))  # customs | platform | search | social
    company_name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    website: Mapped[str] = mapped_column(String(200), default="")
    dedupe_key: Mapped[str] = mapped_column(String(250))
    group: Mapped[str] = mapped_column(String(40), default="")  # 7.2.2 grouping
    stage: Mapped[LeadStage] = mapped_column(str_enum(LeadStage, "lead_stage"))
    next_action: Mapped[str] = mapped_column(String(200), default="")
    next_action_on: Mapped[dt.date | None] = mapped_column(Date)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyers.id", ondelete="SET NULL"))
    imported_at: Mapped[dt.datetime]
    stage_changed_at: Mapped[dt.datetime]


class AcquisitionCost(Base):
    """7.2.3 What a channel cost over a period (fees, ads, data subscriptions, trade shows)."""

    __tablename__ = "acquisition_costs"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
