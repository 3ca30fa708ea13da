"""Inquiries with reply deadlines, replies and templates (7.1.1, 8.3.1); reviews (8.3.5)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.crm import pii, service
from storeops.crm.models import Buyer
from storeops.crm.schemas import (
    ContactRead,
    ContactWrite,
    InquiryCreate,
    InquiryReport,
    InquirySla,
    ReplyCreate,
    ReplyPolicyRead,
    ReplyPolicyWrite,
    ReplyRead,
    RetentionWrite,
    TemplateRead,
    TemplateWrite,
)
from storeops.stores.service import get_store

router = APIRouter(tags=["crm"])

Reader = Annotated[Actor, Depends(require(Permission.CRM_READ))]
Manager = Annotated[Actor, Depends(require(Permission.CRM_MANAGE))]


@router.get("/stores/{store_id}/inquiries", response_model=list[InquirySla])
def list_inquiries(
    store_id: int,
    session: DbSession,
    actor: Reader,
    unanswered: bool = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[InquirySla]:
    """7.1.1 The store's inquiries, newest first, with deadline and first-reply times."""
    store = get_store(session, store_id=store_id, actor=actor)
    return service.list_inquiries(
        session, store=store, actor=actor, unanswered_only=unanswered, limit=limit
    )


@router.post(
    "/stores/{store_id}/inquiries", response_model=InquirySla, status_code=status.HTTP_201_CREATED
)
def record_inquiry(
    store_id: int, body: InquiryCreate, session: DbSession, actor: Manager
) -> InquirySla:
    """7.1.1 Record an inquiry (status open)."""
    store = get_store(session, store_id=store_id, actor=actor)
    inquiry = service.record_inquiry(session, store=store, actor=actor, data=body)
    return service.inquiry_sla(session, inquiry=inquiry, actor=actor)


@router.get("/stores/{store_id}/inquiries/overdue", response_model=list[InquirySla])
def overdue_queue(store_id: int, session: DbSession, actor: Reader) -> list[InquirySla]:
    """7.1.1 Unanswered inquiries past their deadline, the longest overdue first."""
    store = get_store(session, store_id=store_id, actor=actor)
    return service.overdue_queue(session, store=store, actor=actor)


@router.get("/stores/{store_id}/inquiries/report", response_model=InquiryReport)
def inquiry_report(
    store_id: int, session: DbSession, actor: Reader, since: dt.datetime, until: dt.datetime
) -> InquiryReport:
    """7.1.1 Reply performance of the inquiries received in a period."""
    store = get_store(session, store_id=store_id, actor=actor)
    return service.inquiry_report(session, store=store, actor=actor, since=since, until=until)


@router.get("/inquiries/{inquiry_id}", response_model=InquirySla)
def get_inquiry(inquiry_id: int, session: DbSession, actor: Reader) -> InquirySla:
    """One inquiry with its deadline."""
    inquiry = service.get_inquiry(session, inquiry_id=inquiry_id, actor=actor)
    return service.inquiry_sla(session, inquiry=inquiry, actor=actor)


@router.get("/inquiries/{inquiry_id}/replies", response_model=list[ReplyRead])
def list_replies(inquiry_id: int, session: DbSession, actor: Reader) -> list[ReplyRead]:
    """The replies recorded for an inquiry."""
    inquiry = service.get_inquiry(session, inquiry_id=inquiry_id, actor=actor)
    return [
        ReplyRead.model_validate(r)
        for r in service.inquiry_replies(session, inquiry=inquiry, actor=actor)
    ]


@router.post(
    "/inquiries/{inquiry_id}/replies", response_model=ReplyRead, status_code=status.HTTP_201_CREATED
)
def reply(inquiry_id: int, body: ReplyCreate, session: DbSession, actor: Manager) -> ReplyRead:
    """7.1.1 / 8.3.1 Reply (free text or a template in the buyer's language), or escalate."""
    inquiry = service.get_inquiry(session, inquiry_id=inquiry_id, actor=actor)
    return ReplyRead.model_validate(
        service.reply_inquiry(
            session,
            inquiry=inquiry,
            actor=actor,
            body=body.body,
            template=body.template,
            escalate=body.escalate,
        )
    )


@router.get("/stores/{store_id}/reply-policy", response_model=ReplyPolicyRead)
def get_policy(store_id: int, session: DbSession, actor: Reader) -> ReplyPolicyRead:
    """7.1.1 The store's reply deadline (its own or its platform's default)."""
    store = get_store(session, store_id=store_id, actor=actor)
    return service.reply_policy(session, store=store, actor=actor)


@router.put("/stores/{store_id}/reply-policy", response_model=ReplyPolicyRead)
def set_policy(
    store_id: int, body: ReplyPolicyWrite, session: DbSession, actor: Manager
) -> ReplyPolicyRead:
    """7.1.1 Set the platform deadline (clock minutes) and service-hours target (working minutes)."""
    store = get_store(session, store_id=store_id, actor=actor)
    return service.set_reply_policy(
        session,
        store=store,
        actor=actor,
        platform_deadline_minutes=body.platform_deadline_minutes,
        working_target_minutes=body.working_target_minutes,
    )


@router.get("/stores/{store_id}/reply-templates", response_model=list[TemplateRead])
def list_templates(store_id: int, session: DbSession, actor: Reader) -> list[TemplateRead]:
    """7.1.1 The store's reply templates."""
    store = get_store(session, store_id=store_id, actor=actor)
    return [
        TemplateRead.model_validate(t)
        for t in service.list_reply_templates(session, store=store, actor=actor)
    ]


@router.post(
    "/stores/{store_id}/reply-templates",
    response_model=TemplateRead,
    status_code=status.HTTP_201_CREATED,
)
def add_template(
    store_id: int, body: TemplateWrite, session: DbSession, actor: Manager
) -> TemplateRead:
    """7.1.1 Add a reply template in one language."""
    store = get_store(session, store_id=store_id, actor=actor)
    return TemplateRead.model_validate(
        service.add_reply_template(session, store=store, actor=actor, data=body)
    )


# --- buyers' personal data (9.3.1) ----------------------------------------------------------------


@router.get("/stores/{store_id}/buyers", response_model=list[ContactRead])
def list_buyers(
    store_id: int,
    session: DbSession,
    actor: Reader,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> list[ContactRead]:
    """The store's buyers with their contact: clear with ``pii.read``, masked otherwise."""
    store = get_store(session, store_id=store_id, actor=actor)
    return [
        ContactRead.model_validate(v)
        for v in pii.list_buyer_contacts(session, store=store, actor=actor, limit=limit)
    ]


@router.put("/buyers/{buyer_id}/contact", response_model=ContactRead)
def set_contact(
    buyer_id: int, body: ContactWrite, session: DbSession, actor: Manager
) -> ContactRead:
    """Store a buyer's name, e-mail, phone and address (encrypted at rest)."""
    buyer = get_scoped(session, Buyer, buyer_id, actor, what="buyer")
    pii.set_buyer_contact(session, buyer=buyer, actor=actor, **body.model_dump())
    return ContactRead.model_validate(pii.buyer_contact(session, buyer_id=buyer.id, actor=actor))


@router.put("/stores/{store_id}/pii-retention", response_model=RetentionWrite)
def set_retention(
    store_id: int, body: RetentionWrite, session: DbSession, actor: Manager
) -> RetentionWrite:
    """9.3.1 Days after the last delivery that buyers' personal data is kept."""
    store = get_store(session, store_id=store_id, actor=actor)
    return RetentionWrite(days=pii.set_retention(session, store=store, days=body.days, actor=actor))


@router.post("/pii/erase-expired")
def erase_expired(session: DbSession, actor: Manager) -> dict[str, int]:
    """9.3.1 Erase personal data past its retention (the daily job, run now)."""
    return {"erased": pii.erase_expired_contacts(session, actor=actor)}
