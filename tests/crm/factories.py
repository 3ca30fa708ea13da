"""Typed builders of CRM records for tests."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy.orm import Session

from storeops.crm.enums import BuyerKind, InquiryStatus
from storeops.crm.models import Buyer, Inquiry
from storeops.stores.models import Store

_seq = itertools.count(1)


def make_buyer(
    session: Session,
    *,
    store: Store,
    country: str = "US",
    source: str = "marketplace",
    company_name: str | None = None,
) -> Buyer:
    buyer = Buyer(
        store_id=store.id,
        handle=f"B-{next(_seq):06d}",
        kind=BuyerKind.CONSUMER,
        country=country,
        source=source,
        company_name=company_name,
        first_seen_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    session.add(buyer)
    session.flush()
    return buyer


def make_inquiry(
    session: Session,
    *,
    store: Store,
    buyer: Buyer,
    received_at: dt.datetime,
    first_reply_at: dt.datetime | None = None,
    language: str = "en",
    subject: str = "Is this in stock?",
) -> Inquiry:
    inquiry = Inquiry(
        store_id=store.id,
        buyer_id=buyer.id,
        channel="chat",
        language=language,
        subject=subject,
        received_at=received_at,
        first_reply_at=first_reply_at,
        status=InquiryStatus.OPEN if first_reply_at is None else InquiryStatus.REPLIED,
    )
    session.add(inquiry)
    session.flush()
    return inquiry
