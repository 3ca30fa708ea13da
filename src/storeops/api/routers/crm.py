"""Inquiries with reply deadlines, replies and templates (7.1.1, 8.3.1); reviews (8.3.5)."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ConfigDict, Field

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.crm import campaigns, pii, service
from storeops.crm.models import Buyer, EmailCampaign, EmailTemplate
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
from storeops.errors import NotFound
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


# --- 7.1.3 e-mail campaigns -----------------------------------------------------------------------


class EmailTemplateWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=50_000)


class CampaignWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    template_id: int
    segment: dict[str, Any] = Field(default_factory=dict)


class CampaignSend(BaseModel):
    model_config = ConfigDict(extra="forbid")

    smtp_host: str
    smtp_port: int = Field(ge=1, le=65535)
    sender: str
    starttls: bool = False
    base_url: str = Field(description="public URL of this storeops for the tracked links")


MarketingManager = Annotated[Actor, Depends(require(Permission.MARKETING_MANAGE))]
MarketingReader = Annotated[Actor, Depends(require(Permission.MARKETING_READ))]


@router.post("/stores/{store_id}/email-templates", status_code=status.HTTP_201_CREATED)
def add_email_template(
    store_id: int, body: EmailTemplateWrite, session: DbSession, actor: MarketingManager
) -> dict[str, int]:
    """7.1.3 Add a marketing e-mail template."""
    store = get_store(session, store_id=store_id, actor=actor)
    made = campaigns.add_email_template(session, store=store, actor=actor, **body.model_dump())
    return {"id": made.id}


@router.post("/stores/{store_id}/campaigns", status_code=status.HTTP_201_CREATED)
def create_campaign(
    store_id: int, body: CampaignWrite, session: DbSession, actor: MarketingManager
) -> dict[str, Any]:
    """7.1.3 Create a campaign for a segment."""
    store = get_store(session, store_id=store_id, actor=actor)
    template = get_scoped(session, EmailTemplate, body.template_id, actor, what="e-mail template")
    made = campaigns.create_campaign(
        session, store=store, actor=actor, name=body.name, template=template, segment=body.segment
    )
    return {"id": made.id, "segment": made.segment, "links": made.links}


@router.post("/campaigns/{campaign_id}/send")
def send_campaign(
    campaign_id: int, body: CampaignSend, session: DbSession, actor: MarketingManager
) -> dict[str, Any]:
    """7.1.3 Send the campaign through an SMTP server."""
    campaign = get_scoped(session, EmailCampaign, campaign_id, actor, what="campaign")
    stats = campaigns.send_campaign(
        session,
        campaign=campaign,
        actor=actor,
        smtp=campaigns.SmtpServer(
            host=body.smtp_host, port=body.smtp_port, sender=body.sender, starttls=body.starttls
        ),
        base_url=body.base_url,
    )
    return vars(stats)


@router.get("/campaigns/{campaign_id}/stats")
def campaign_stats(campaign_id: int, session: DbSession, actor: MarketingReader) -> dict[str, Any]:
    """7.1.3 Recipients, deliveries, bounces, opens, clicks, unsubscribes."""
    campaign = get_scoped(session, EmailCampaign, campaign_id, actor, what="campaign")
    return vars(campaigns.campaign_stats(session, campaign=campaign, actor=actor))


#: Opened from recipients' mail programs: no token, the message token is the credential.
tracking_router = APIRouter(tags=["mail tracking"])
_PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


@tracking_router.get("/mail/o/{token}", include_in_schema=False)
def track_open(token: str, session: DbSession) -> Response:
    """7.1.3 Count an open (answers a 1x1 GIF, also for unknown tokens)."""
    with contextlib.suppress(NotFound):
        campaigns.record_open(session, token=token)
    return Response(_PIXEL, media_type="image/gif", headers={"Cache-Control": "no-store"})


@tracking_router.get("/mail/c/{token}/{link}", include_in_schema=False)
def track_click(token: str, link: int, session: DbSession) -> RedirectResponse:
    """7.1.3 Count a click and go on to the campaign's link number ``link``."""
    return RedirectResponse(
        campaigns.record_click(session, token=token, link=link), status_code=302
    )


@tracking_router.api_route("/mail/u/{token}", methods=["GET", "POST"], include_in_schema=False)
def track_unsubscribe(token: str, session: DbSession) -> Response:
    """7.1.3 Unsubscribe (one click)."""
    campaigns.unsubscribe(session, token=token)
    return Response("You are unsubscribed.", media_type="text/plain")


TRACKING_PATHS = frozenset(
    {"/api/v1/mail/o/{token}", "/api/v1/mail/c/{token}/{link}", "/api/v1/mail/u/{token}"}
)
