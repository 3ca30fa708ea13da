"""Inquiries with reply deadlines, replies and templates (7.1.1, 8.3.1); reviews (8.3.5)."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ConfigDict, Field

from storeops.api.deps import DbSession, rate_limit, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.crm import campaigns, pii, pipeline, service, service_desk
from storeops.crm.enums import LeadStage, RfqStatus, ServiceChannel
from storeops.crm.models import Buyer, Conversation, EmailCampaign, EmailTemplate, Prospect, Rfq
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
from storeops.types import Money, utcnow

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


# --- 7.3.1 inbox, 7.3.3 quality review -------------------------------------------------------------


class ConversationOpen(BaseModel):
    model_config = ConfigDict(extra="forbid")

    buyer_id: int
    channel: ServiceChannel
    subject: str = Field(default="", max_length=200)
    body: str = Field(min_length=1, max_length=20_000)
    order_id: int | None = None


class MessageWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=20_000)
    inbound: bool = False


class ReviewWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    politeness: int = Field(ge=1, le=5)
    accuracy: int = Field(ge=1, le=5)
    timeliness: int | None = Field(default=None, ge=1, le=5)
    comment: str = Field(default="", max_length=2000)


@router.get("/inbox")
def inbox(
    session: DbSession,
    actor: Reader,
    channel: ServiceChannel | None = None,
    open_only: bool = True,
) -> list[dict[str, Any]]:
    """7.3.1 One inbox over every channel and store: buyers waiting longest first."""
    return [
        vars(i)
        for i in service_desk.inbox(session, actor=actor, channel=channel, open_only=open_only)
    ]


@router.post("/conversations", status_code=status.HTTP_201_CREATED)
def open_conversation(body: ConversationOpen, session: DbSession, actor: Manager) -> dict[str, int]:
    """7.3.1 Record a buyer's first message on a channel."""
    made = service_desk.open_conversation(session, actor=actor, **body.model_dump())
    return {"id": made.id}


@router.post("/conversations/{conversation_id}/messages", status_code=status.HTTP_201_CREATED)
def add_message(
    conversation_id: int, body: MessageWrite, session: DbSession, actor: Manager
) -> dict[str, int]:
    """7.3.1 Add the buyer's next message or the store's answer."""
    conversation = get_scoped(session, Conversation, conversation_id, actor, what="conversation")
    made = service_desk.add_message(
        session, conversation=conversation, body=body.body, inbound=body.inbound, actor=actor
    )
    return {"id": made.id}


@router.post("/conversations/{conversation_id}/escalate")
def escalate_conversation(
    conversation_id: int, note: str, session: DbSession, actor: Manager
) -> dict[str, Any]:
    """8.3.1 Report a question upwards."""
    conversation = get_scoped(session, Conversation, conversation_id, actor, what="conversation")
    done = service_desk.escalate_conversation(
        session, conversation=conversation, note=note, actor=actor
    )
    return {"id": done.id, "escalated_at": done.escalated_at}


@router.post("/conversations/{conversation_id}/close")
def close_conversation(conversation_id: int, session: DbSession, actor: Manager) -> dict[str, str]:
    """7.3.1 Close a conversation."""
    conversation = get_scoped(session, Conversation, conversation_id, actor, what="conversation")
    return {
        "status": service_desk.close_conversation(
            session, conversation=conversation, actor=actor
        ).status.value
    }


@router.post("/conversations/{conversation_id}/review", status_code=status.HTTP_201_CREATED)
def review_conversation(
    conversation_id: int,
    body: ReviewWrite,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.STAFF_MANAGE))],
) -> dict[str, int]:
    """7.3.3 Score a conversation's politeness, accuracy and timeliness."""
    conversation = get_scoped(session, Conversation, conversation_id, actor, what="conversation")
    made = service_desk.review_conversation(
        session, conversation=conversation, actor=actor, **body.model_dump()
    )
    return {"id": made.id, "score": made.score, "timeliness": made.timeliness}


@router.get("/quality-report")
def quality_report(
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.STAFF_READ))],
    since: dt.datetime,
    until: dt.datetime,
) -> list[dict[str, Any]]:
    """7.3.3 Average service-quality scores per agent."""
    return [
        vars(r) for r in service_desk.quality_report(session, actor=actor, since=since, until=until)
    ]


# --- 7.1.2 RFQs, 7.2.1-7.2.3 prospects and leads ---------------------------------------------------


class ProspectImport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    csv: str = Field(min_length=1, max_length=5_000_000)


class LeadMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: LeadStage | None = None
    next_action: str | None = Field(default=None, max_length=200)
    next_action_on: dt.date | None = None
    group: str | None = Field(default=None, max_length=40)


class CostWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    start: dt.date
    end: dt.date
    amount: int = Field(ge=0, description="minor units")
    currency: str


@router.get("/stores/{store_id}/rfqs/screen")
def screen_rfqs(
    store_id: int,
    session: DbSession,
    actor: Reader,
    keywords: Annotated[list[str], Query()],
    min_quantity: int = 1,
    markets: Annotated[list[str] | None, Query()] = None,
    max_age_days: int = 7,
) -> list[dict[str, Any]]:
    """7.1.2 Score the store's open RFQs and recommend which to quote."""
    store = get_store(session, store_id=store_id, actor=actor)
    return [
        vars(s)
        for s in pipeline.screen_rfqs(
            session, store=store, actor=actor, keywords=keywords, min_quantity=min_quantity,
            markets=markets, max_age_days=max_age_days,
        )
    ]  # fmt: skip


@router.post("/rfqs/{rfq_id}/status")
def mark_rfq(
    rfq_id: int,
    status_value: Annotated[RfqStatus, Query(alias="status")],
    session: DbSession,
    actor: Manager,
) -> dict[str, str]:
    """7.1.2 Record an RFQ as quoted or skipped, then won or lost."""
    rfq = get_scoped(session, Rfq, rfq_id, actor, what="RFQ")
    return {
        "status": pipeline.mark_rfq(session, rfq=rfq, status=status_value, actor=actor).status.value
    }


@router.post("/stores/{store_id}/prospects/import", dependencies=[Depends(rate_limit("import"))])
def import_prospects(
    store_id: int, body: ProspectImport, session: DbSession, actor: Manager
) -> dict[str, Any]:
    """7.2.1 Import prospects from CSV (company_name, country, source, website), de-duplicated."""
    store = get_store(session, store_id=store_id, actor=actor)
    return vars(pipeline.import_prospects(session, store=store, actor=actor, csv_text=body.csv))


@router.post("/prospects/{prospect_id}/lead")
def move_lead(
    prospect_id: int, body: LeadMove, session: DbSession, actor: Manager
) -> dict[str, Any]:
    """7.2.2 Move a lead, set its next action and its group."""
    prospect = get_scoped(session, Prospect, prospect_id, actor, what="prospect")
    moved = pipeline.move_lead(
        session, prospect=prospect, actor=actor, **body.model_dump(exclude_unset=True)
    )
    return {
        "id": moved.id,
        "stage": moved.stage.value,
        "next_action": moved.next_action,
        "group": moved.group,
    }


@router.get("/stores/{store_id}/pipeline")
def lead_pipeline(store_id: int, session: DbSession, actor: Reader) -> dict[str, Any]:
    """7.2.2 Leads per stage and group; next actions due."""
    store = get_store(session, store_id=store_id, actor=actor)
    return pipeline.pipeline(session, store=store, actor=actor, today=utcnow().date())


@router.post("/stores/{store_id}/acquisition-costs", status_code=status.HTTP_201_CREATED)
def record_cost(
    store_id: int, body: CostWrite, session: DbSession, actor: Manager
) -> dict[str, int]:
    """7.2.3 Record what a channel cost over a period."""
    store = get_store(session, store_id=store_id, actor=actor)
    row = pipeline.record_acquisition_cost(
        session, store=store, actor=actor, source=body.source, start=body.start, end=body.end,
        cost=Money(body.amount, body.currency),
    )  # fmt: skip
    return {"id": row.id}


@router.get("/stores/{store_id}/conversion")
def conversion(
    store_id: int, session: DbSession, actor: Reader, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """7.2.3 Conversion rate and acquisition cost per channel."""
    store = get_store(session, store_id=store_id, actor=actor)
    return [
        {k: (str(v) if isinstance(v, Money) else v) for k, v in vars(c).items()}
        for c in pipeline.conversion_by_channel(
            session, store=store, actor=actor, start=start, end=end
        )
    ]
