"""Inquiries and their reply deadlines, replies and reply templates (7.1.1, 8.3.1)."""

from __future__ import annotations

import datetime as dt
import statistics
import string
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.auth.service import record_audit
from storeops.crm.enums import InquiryStatus, inquiry_transition
from storeops.crm.errors import DuplicateTemplate, TemplateNotFound
from storeops.crm.models import Buyer, Inquiry, InquiryReply, ReplyPolicy, ReplyTemplate
from storeops.crm.schemas import (
    InquiryCreate,
    InquiryReport,
    InquirySla,
    ReplyPolicyRead,
    TemplateWrite,
)
from storeops.crm.working_time import Window, add_working_minutes, working_minutes
from storeops.errors import InvalidInput, NotFound
from storeops.stores.enums import Platform
from storeops.stores.models import ServiceHours, Store
from storeops.types import utcnow

#: 7.1.1 Clock time within which each platform expects a first reply to a buyer's message (the
#: limit its response-rate metric counts); a store's own policy overrides it.
PLATFORM_DEADLINE_MINUTES: dict[Platform, int] = {
    Platform.ALIBABA_COM: 24 * 60,
    Platform.AMAZON: 24 * 60,
    Platform.ALIEXPRESS: 24 * 60,
    Platform.EBAY: 24 * 60,
    Platform.SHOPEE: 12 * 60,
    Platform.LAZADA: 12 * 60,
    Platform.TIKTOK_SHOP: 12 * 60,
}
DEFAULT_DEADLINE_MINUTES = 24 * 60
#: The store's own target in minutes of its service hours (7.3.2), unless its policy says otherwise.
DEFAULT_WORKING_TARGET_MINUTES = 4 * 60
FALLBACK_LANGUAGE = "en"
_PLACEHOLDERS = frozenset({"buyer", "subject", "store"})


def _now(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise InvalidInput("a moment needs a timezone (UTC)", field="now")
    return now


def _store(session: Session, store: Store, actor: Actor) -> Store:
    return get_scoped(session, Store, store.id, actor, what="store")


# --- reply policy ---------------------------------------------------------------------------------


def _policy_row(session: Session, store_id: int) -> ReplyPolicy | None:
    return session.scalars(
        select(ReplyPolicy).where(ReplyPolicy.store_id == store_id)
    ).one_or_none()


def _policy_read(store: Store, row: ReplyPolicy | None) -> ReplyPolicyRead:
    if row is None:
        return ReplyPolicyRead(
            store_id=store.id,
            platform=store.platform.value,
            platform_deadline_minutes=PLATFORM_DEADLINE_MINUTES.get(
                store.platform, DEFAULT_DEADLINE_MINUTES
            ),
            working_target_minutes=DEFAULT_WORKING_TARGET_MINUTES,
            is_default=True,
        )
    return ReplyPolicyRead(
        store_id=store.id,
        platform=store.platform.value,
        platform_deadline_minutes=row.platform_deadline_minutes,
        working_target_minutes=row.working_target_minutes,
        is_default=False,
    )


def reply_policy(session: Session, *, store: Store, actor: Actor) -> ReplyPolicyRead:
    """7.1.1 The store's reply deadline: its own policy, or its platform's default."""
    actor.require(Permission.CRM_READ)
    _store(session, store, actor)
    return _policy_read(store, _policy_row(session, store.id))


def set_reply_policy(
    session: Session,
    *,
    store: Store,
    actor: Actor,
    platform_deadline_minutes: int,
    working_target_minutes: int | None,
) -> ReplyPolicyRead:
    """7.1.1 Set the store's reply deadline (clock minutes) and service-hours target (working minutes)."""
    actor.require(Permission.CRM_MANAGE)
    _store(session, store, actor)
    if platform_deadline_minutes < 1:
        raise InvalidInput(
            "the platform deadline must be at least one minute", field="platform_deadline_minutes"
        )
    if working_target_minutes is not None and working_target_minutes < 1:
        raise InvalidInput(
            "the service-hours target must be at least one minute", field="working_target_minutes"
        )
    row = _policy_row(session, store.id)
    if row is None:
        row = ReplyPolicy(store_id=store.id, platform_deadline_minutes=platform_deadline_minutes)
        session.add(row)
    row.platform_deadline_minutes = platform_deadline_minutes
    row.working_target_minutes = working_target_minutes
    row.updated_at = utcnow()
    session.flush()
    record_audit(
        session,
        action="reply_policy.changed",
        actor=actor,
        target_type="store",
        target_id=store.id,
    )
    return _policy_read(store, row)


def service_windows(session: Session, store_id: int) -> list[Window]:
    """The store's 7.3.2 service hours as ``(weekday, opens_minute, closes_minute)``."""
    rows = session.execute(
        select(ServiceHours.weekday, ServiceHours.opens_minute, ServiceHours.closes_minute).where(
            ServiceHours.store_id == store_id
        )
    )
    return [(int(w), int(o), int(c)) for w, o, c in rows]


class _Clock:
    """Deadlines and reply times of one store's inquiries."""

    def __init__(self, store: Store, policy: ReplyPolicyRead, windows: Sequence[Window]) -> None:
        self.timezone = store.timezone
        self.policy = policy
        self.windows = list(windows)

    def due_at(self, received_at: dt.datetime) -> dt.datetime:
        due = received_at + dt.timedelta(minutes=self.policy.platform_deadline_minutes)
        if self.policy.working_target_minutes is not None:
            working_due = add_working_minutes(
                self.windows, self.timezone, received_at, self.policy.working_target_minutes
            )
            if working_due is not None and working_due < due:
                due = working_due
        return due

    def sla(self, inquiry: Inquiry, now: dt.datetime) -> InquirySla:
        due = self.due_at(inquiry.received_at)
        replied = inquiry.first_reply_at
        reply_minutes = working = None
        if replied is not None:
            reply_minutes = (replied - inquiry.received_at).total_seconds() / 60
            working = working_minutes(self.windows, self.timezone, inquiry.received_at, replied)
        moment = replied if replied is not None else now
        late = max((moment - due).total_seconds() / 60, 0.0)
        return InquirySla(
            id=inquiry.id,
            store_id=inquiry.store_id,
            buyer_id=inquiry.buyer_id,
            subject=inquiry.subject,
            language=inquiry.language,
            channel=inquiry.channel,
            status=inquiry.status,
            received_at=inquiry.received_at,
            first_reply_at=replied,
            due_at=due,
            reply_minutes=None if reply_minutes is None else round(reply_minutes, 2),
            reply_working_minutes=None if working is None else round(working, 2),
            overdue=late > 0,
            overdue_minutes=round(late, 2),
        )


def _clock(session: Session, store: Store) -> _Clock:
    return _Clock(
        store,
        _policy_read(store, _policy_row(session, store.id)),
        service_windows(session, store.id),
    )


# --- inquiries ------------------------------------------------------------------------------------


def record_inquiry(session: Session, *, store: Store, actor: Actor, data: InquiryCreate) -> Inquiry:
    """7.1.1 Record a buyer's inquiry that arrived outside an import (status: open)."""
    actor.require(Permission.CRM_MANAGE)
    _store(session, store, actor)
    buyer = session.get(Buyer, data.buyer_id)
    if buyer is None or buyer.store_id != store.id:
        raise NotFound(f"buyer {data.buyer_id} not found", field="buyer_id")
    subject = data.subject.strip()
    if not subject:
        raise InvalidInput("the inquiry's subject is empty", field="subject")
    received = _now(data.received_at)
    inquiry = Inquiry(
        store_id=store.id,
        buyer_id=buyer.id,
        listing_id=data.listing_id,
        channel=data.channel.strip().lower() or "inquiry",
        language=data.language.strip().lower(),
        subject=subject,
        quantity=data.quantity,
        received_at=received,
        first_reply_at=None,
        status=InquiryStatus.OPEN,
    )
    session.add(inquiry)
    session.flush()
    return inquiry


def get_inquiry(session: Session, *, inquiry_id: int, actor: Actor) -> Inquiry:
    """One inquiry of the actor's stores; ``NotFound`` otherwise."""
    actor.require(Permission.CRM_READ)
    return get_scoped(session, Inquiry, inquiry_id, actor, what="inquiry")


def inquiry_sla(
    session: Session, *, inquiry: Inquiry, actor: Actor, now: dt.datetime | None = None
) -> InquirySla:
    """7.1.1 One inquiry's deadline, first-reply time (clock and service hours) and lateness."""
    actor.require(Permission.CRM_READ)
    store = get_scoped(session, Store, inquiry.store_id, actor, what="store")
    return _clock(session, store).sla(inquiry, _now(now))


def list_inquiries(
    session: Session,
    *,
    store: Store,
    actor: Actor,
    now: dt.datetime | None = None,
    since: dt.datetime | None = None,
    unanswered_only: bool = False,
    limit: int = 500,
) -> list[InquirySla]:
    """7.1.1 The store's inquiries, newest first, each with its deadline and reply times."""
    actor.require(Permission.CRM_READ)
    _store(session, store, actor)
    moment = _now(now)
    stmt = select(Inquiry).where(Inquiry.store_id == store.id, Inquiry.received_at <= moment)
    if since is not None:
        stmt = stmt.where(Inquiry.received_at >= since)
    if unanswered_only:
        stmt = stmt.where(Inquiry.first_reply_at.is_(None))
    stmt = stmt.order_by(Inquiry.received_at.desc(), Inquiry.id.desc()).limit(limit)
    clock = _clock(session, store)
    return [clock.sla(i, moment) for i in session.scalars(stmt)]


def overdue_queue(
    session: Session, *, store: Store, actor: Actor, now: dt.datetime | None = None
) -> list[InquirySla]:
    """7.1.1 Unanswered inquiries past their deadline, the longest overdue first."""
    actor.require(Permission.CRM_READ)
    _store(session, store, actor)
    moment = _now(now)
    stmt = select(Inquiry).where(
        Inquiry.store_id == store.id,
        Inquiry.first_reply_at.is_(None),
        Inquiry.received_at <= moment,
        Inquiry.status.in_([InquiryStatus.OPEN]),
    )
    clock = _clock(session, store)
    found = [s for s in (clock.sla(i, moment) for i in session.scalars(stmt)) if s.overdue]
    return sorted(found, key=lambda s: (s.due_at, s.id))


def inquiry_report(
    session: Session,
    *,
    store: Store,
    actor: Actor,
    since: dt.datetime,
    until: dt.datetime,
) -> InquiryReport:
    """7.1.1 Reply performance of inquiries received in ``[since, until)``, judged at ``until``."""
    actor.require(Permission.CRM_READ)
    _store(session, store, actor)
    if until <= since:
        raise InvalidInput("the period ends before it starts", field="until")
    stmt = select(Inquiry).where(
        Inquiry.store_id == store.id, Inquiry.received_at >= since, Inquiry.received_at < until
    )
    clock = _clock(session, store)
    slas = [clock.sla(i, until) for i in session.scalars(stmt)]
    answered = [s for s in slas if s.first_reply_at is not None and s.first_reply_at <= until]
    on_time = [s for s in answered if not s.overdue]
    unanswered = [s for s in slas if s.first_reply_at is None or s.first_reply_at > until]
    working = [s.reply_working_minutes for s in answered if s.reply_working_minutes is not None]
    return InquiryReport(
        store_id=store.id,
        inquiries=len(slas),
        answered=len(answered),
        answered_on_time=len(on_time),
        unanswered=len(unanswered),
        overdue_unanswered=sum(1 for s in unanswered if until > s.due_at),
        on_time_rate=round(len(on_time) / len(slas), 4) if slas else None,
        median_reply_working_minutes=round(statistics.median(working), 2) if working else None,
    )


# --- replies and templates ------------------------------------------------------------------------


class _Fill(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _check_template_body(body: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(body) if name is not None}
    except ValueError as exc:
        raise InvalidInput(f"the template is malformed: {exc}", field="body") from None
    unknown = sorted(names - _PLACEHOLDERS)
    if unknown:
        raise InvalidInput(
            f"unknown placeholder(s) {', '.join('{' + n + '}' for n in unknown)}; "
            "use {buyer}, {subject} or {store}",
            field="body",
        )


def add_reply_template(
    session: Session, *, store: Store, actor: Actor, data: TemplateWrite
) -> ReplyTemplate:
    """7.1.1 Add a reply template in one language (placeholders {buyer}, {subject}, {store})."""
    actor.require(Permission.CRM_MANAGE)
    _store(session, store, actor)
    name, language, body = data.name.strip(), data.language.strip().lower(), data.body.strip()
    if not name or not body:
        raise InvalidInput(
            "a template needs a name and a body", field="name" if not name else "body"
        )
    _check_template_body(body)
    exists = session.scalar(
        select(ReplyTemplate.id).where(
            ReplyTemplate.store_id == store.id,
            ReplyTemplate.name == name,
            ReplyTemplate.language == language,
        )
    )
    if exists is not None:
        raise DuplicateTemplate(
            f"the store already has a template {name!r} in {language!r}", field="name"
        )
    template = ReplyTemplate(store_id=store.id, name=name, language=language, body=body)
    session.add(template)
    session.flush()
    return template


def list_reply_templates(session: Session, *, store: Store, actor: Actor) -> list[ReplyTemplate]:
    """7.1.1 The store's reply templates by name and language."""
    actor.require(Permission.CRM_READ)
    _store(session, store, actor)
    return list(
        session.scalars(
            select(ReplyTemplate)
            .where(ReplyTemplate.store_id == store.id)
            .order_by(ReplyTemplate.name, ReplyTemplate.language)
        )
    )


def pick_template(session: Session, *, store_id: int, name: str, language: str) -> ReplyTemplate:
    """The template ``name`` in ``language``, else in English; ``TemplateNotFound`` otherwise."""
    rows = {
        t.language: t
        for t in session.scalars(
            select(ReplyTemplate).where(
                ReplyTemplate.store_id == store_id, ReplyTemplate.name == name.strip()
            )
        )
    }
    chosen = rows.get(language.lower()) or rows.get(FALLBACK_LANGUAGE)
    if chosen is None:
        raise TemplateNotFound(
            f"no template {name!r} in {language!r} or {FALLBACK_LANGUAGE!r}", field="template"
        )
    return chosen


def render_template(template: ReplyTemplate, values: dict[str, Any]) -> str:
    """The template's body with its placeholders filled (unknown ones left as written)."""
    return string.Formatter().vformat(
        template.body, (), _Fill({k: str(v) for k, v in values.items()})
    )


def reply_inquiry(
    session: Session,
    *,
    inquiry: Inquiry,
    actor: Actor,
    body: str | None = None,
    template: str | None = None,
    escalate: bool = False,
    now: dt.datetime | None = None,
) -> InquiryReply:
    """7.1.1 / 8.3.1 Reply to an inquiry (free text or a template in the buyer's language).

    The first reply sets ``first_reply_at`` and moves an open inquiry to ``replied``; ``escalate``
    records that the question was handed upwards (8.3.1) and leaves the inquiry open.
    """
    actor.require(Permission.CRM_MANAGE)
    found = get_scoped(session, Inquiry, inquiry.id, actor, what="inquiry")
    store = get_scoped(session, Store, found.store_id, actor, what="store")
    moment = _now(now)
    if moment < found.received_at:
        raise InvalidInput("a reply cannot precede the inquiry", field="now")
    chosen: ReplyTemplate | None = None
    if template:
        chosen = pick_template(session, store_id=store.id, name=template, language=found.language)
        buyer = session.get(Buyer, found.buyer_id)
        text = render_template(
            chosen,
            {
                "buyer": (buyer.company_name or buyer.handle) if buyer else "",
                "subject": found.subject,
                "store": store.name,
            },
        )
        if body and body.strip():
            text = text + "\n\n" + body.strip()
    else:
        text = (body or "").strip()
    if not text:
        raise InvalidInput("the reply is empty: write a text or choose a template", field="body")
    if found.status in {InquiryStatus.CONVERTED, InquiryStatus.CLOSED}:
        inquiry_transition(found.status, InquiryStatus.REPLIED)  # raises: nothing to answer
    reply = InquiryReply(
        store_id=store.id,
        inquiry_id=found.id,
        template_id=chosen.id if chosen else None,
        language=chosen.language if chosen else found.language,
        body=text,
        sent_at=moment,
        sent_by_user_id=actor.user_id,
        escalated=escalate,
    )
    session.add(reply)
    if not escalate and found.first_reply_at is None:
        found.first_reply_at = moment
        found.replied_by_user_id = actor.user_id
        if found.status == InquiryStatus.OPEN:
            found.status = inquiry_transition(found.status, InquiryStatus.REPLIED)
    session.flush()
    record_audit(
        session,
        action="inquiry.escalated" if escalate else "inquiry.replied",
        actor=actor,
        target_type="inquiry",
        target_id=found.id,
    )
    return reply


def inquiry_replies(session: Session, *, inquiry: Inquiry, actor: Actor) -> list[InquiryReply]:
    """The replies recorded for an inquiry, oldest first."""
    actor.require(Permission.CRM_READ)
    found = get_scoped(session, Inquiry, inquiry.id, actor, what="inquiry")
    return list(
        session.scalars(
            select(InquiryReply)
            .where(InquiryReply.inquiry_id == found.id)
            .order_by(InquiryReply.sent_at, InquiryReply.id)
        )
    )
