"""7.1.3 E-mail marketing to visitors and buyers: templates, segments, sending through an SMTP
server, unsubscribe, and bounce / open / click counts.

Every message carries a token. Links in the text are rewritten to ``{base_url}/api/v1/mail/c/
{token}/{n}`` (the n-th link of the campaign: a click can only lead to a link the campaign holds,
so the tracker is no open redirect), an invisible image ``…/mail/o/{token}`` counts the open, and
``…/mail/u/{token}`` unsubscribes (also announced in ``List-Unsubscribe``). A recipient refused by
the server (5xx at RCPT) is a bounce.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from html import escape
from typing import Any

from sqlalchemy import column, func, select, table
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.auth.service import record_audit
from storeops.crm.enums import BuyerKind
from storeops.crm.models import (
    Buyer,
    BuyerContact,
    CampaignMessage,
    EmailCampaign,
    EmailTemplate,
    EmailUnsubscribe,
)
from storeops.crm.pii import PURPOSE
from storeops.crypto import decrypt
from storeops.errors import Conflict, InvalidInput, NotFound
from storeops.stores.models import Store
from storeops.types import normalize_country, utcnow

_orders = table("orders", column("buyer_id"), column("paid_at"))
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_PLACEHOLDERS = frozenset({"name", "store"})
TRACK_PREFIX = "/api/v1/mail"


@dataclass(frozen=True)
class SmtpServer:
    """Where to hand the e-mails over: host, port, sender, optional STARTTLS and login."""

    host: str
    port: int
    sender: str
    sender_name: str = ""
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0


@dataclass(frozen=True)
class CampaignStats:
    """7.1.3 How a campaign did."""

    campaign_id: int
    recipients: int
    delivered: int
    bounced: int
    opened: int
    clicked: int
    unsubscribed: int
    open_rate: float | None
    click_rate: float | None


def add_email_template(
    session: Session, *, store: Store, actor: Actor, name: str, subject: str, body: str
) -> EmailTemplate:
    """7.1.3 A marketing e-mail template ({name}, {store}; every http(s) link is tracked)."""
    actor.require(Permission.MARKETING_MANAGE)
    get_scoped(session, Store, store.id, actor, what="store")
    clean = {"name": name.strip(), "subject": subject.strip(), "body": body.strip()}
    for field, value in clean.items():
        if not value:
            raise InvalidInput(f"the template's {field} is empty", field=field)
    for text in (clean["subject"], clean["body"]):
        names = {n for n in re.findall(r"\{(\w*)\}", text)}
        if names - _PLACEHOLDERS:
            raise InvalidInput(
                f"unknown placeholder(s) {sorted(names - _PLACEHOLDERS)}; use {{name}} or {{store}}",
                field="body",
            )
    if session.scalar(
        select(EmailTemplate.id).where(
            EmailTemplate.store_id == store.id, EmailTemplate.name == clean["name"]
        )
    ):
        raise Conflict(f"the store already has an e-mail template {clean['name']!r}", field="name")
    template = EmailTemplate(store_id=store.id, **clean)
    session.add(template)
    session.flush()
    return template


def _segment(segment: dict[str, Any]) -> dict[str, Any]:
    allowed = {"countries", "sources", "kind", "min_orders"}
    unknown = sorted(set(segment) - allowed)
    if unknown:
        raise InvalidInput(
            f"unknown segment rule(s) {unknown}; use {sorted(allowed)}", field="segment"
        )
    out: dict[str, Any] = {}
    if segment.get("countries"):
        out["countries"] = sorted({normalize_country(c) for c in segment["countries"]})
    if segment.get("sources"):
        out["sources"] = sorted({str(s).strip().lower() for s in segment["sources"]})
    if segment.get("kind"):
        try:
            out["kind"] = BuyerKind(segment["kind"]).value
        except ValueError:
            raise InvalidInput("kind is consumer or business", field="segment") from None
    if segment.get("min_orders"):
        out["min_orders"] = int(segment["min_orders"])
    return out


def create_campaign(
    session: Session,
    *,
    store: Store,
    actor: Actor,
    name: str,
    template: EmailTemplate,
    segment: dict[str, Any],
) -> EmailCampaign:
    """7.1.3 A campaign (draft): a template for a segment (countries, sources, kind, min_orders)."""
    actor.require(Permission.MARKETING_MANAGE)
    get_scoped(session, Store, store.id, actor, what="store")
    found = get_scoped(session, EmailTemplate, template.id, actor, what="e-mail template")
    if found.store_id != store.id:
        raise NotFound(f"e-mail template {template.id} not found")
    if not name.strip():
        raise InvalidInput("name the campaign", field="name")
    campaign = EmailCampaign(
        store_id=store.id,
        template_id=found.id,
        name=name.strip(),
        segment=_segment(segment),
        links=list(dict.fromkeys(_URL.findall(found.body))),
        status="draft",
    )
    session.add(campaign)
    session.flush()
    return campaign


def audience(session: Session, *, campaign: EmailCampaign) -> list[tuple[Buyer, str]]:
    """The segment's buyers with an e-mail on record, not erased and not unsubscribed."""
    seg = campaign.segment
    stmt = (
        select(Buyer, BuyerContact.email_ciphertext)
        .join(BuyerContact, BuyerContact.buyer_id == Buyer.id)
        .where(
            Buyer.store_id == campaign.store_id,
            BuyerContact.email_ciphertext.is_not(None),
            BuyerContact.erased_at.is_(None),
            ~Buyer.id.in_(
                select(EmailUnsubscribe.buyer_id).where(
                    EmailUnsubscribe.store_id == campaign.store_id
                )
            ),
        )
        .order_by(Buyer.id)
    )
    if seg.get("countries"):
        stmt = stmt.where(Buyer.country.in_(seg["countries"]))
    if seg.get("sources"):
        stmt = stmt.where(Buyer.source.in_(seg["sources"]))
    if seg.get("kind"):
        stmt = stmt.where(Buyer.kind == BuyerKind(seg["kind"]))
    if seg.get("min_orders"):
        paid = (
            select(_orders.c.buyer_id)
            .where(_orders.c.paid_at.is_not(None))
            .group_by(_orders.c.buyer_id)
            .having(func.count() >= seg["min_orders"])
        )
        stmt = stmt.where(Buyer.id.in_(paid))
    return [(b, decrypt(c, purpose=PURPOSE)) for b, c in session.execute(stmt) if c]


def _render(
    template: EmailTemplate,
    campaign: EmailCampaign,
    buyer: Buyer,
    store: Store,
    token: str,
    base_url: str,
) -> tuple[str, str, str]:
    values = {"name": buyer.company_name or "", "store": store.name}
    subject = template.subject.format_map(values)
    text = template.body.format_map(values)
    base = base_url.rstrip("/") + TRACK_PREFIX
    index = {url: n for n, url in enumerate(campaign.links)}

    def tracked(url: str) -> str:
        return f"{base}/c/{token}/{index[url]}" if url in index else url

    unsubscribe = f"{base}/u/{token}"
    plain = _URL.sub(lambda m: tracked(m.group(0)), text) + f"\n\n--\nUnsubscribe: {unsubscribe}\n"
    html_body = _URL.sub(
        lambda m: f'<a href="{escape(tracked(m.group(0)))}">{escape(m.group(0))}</a>',
        escape(text).replace("\n", "<br>\n"),
    )
    html = (
        f'<html><body><p>{html_body}</p><p style="font-size:11px">'
        f'<a href="{escape(unsubscribe)}">Unsubscribe</a></p>'
        f'<img src="{escape(base)}/o/{token}" width="1" height="1" alt=""></body></html>'
    )
    return subject, plain, html


def send_campaign(
    session: Session,
    *,
    campaign: EmailCampaign,
    actor: Actor,
    smtp: SmtpServer,
    base_url: str,
    now: dt.datetime | None = None,
) -> CampaignStats:
    """7.1.3 Send a draft campaign to its segment through ``smtp``; refused recipients are bounces."""
    actor.require(Permission.MARKETING_MANAGE)
    found = get_scoped(session, EmailCampaign, campaign.id, actor, what="campaign")
    if found.status != "draft":
        raise Conflict(f"campaign {found.id} was already sent", field="status")
    store = get_scoped(session, Store, found.store_id, actor, what="store")
    template = session.get(EmailTemplate, found.template_id)
    assert template is not None
    moment = now or utcnow()
    recipients = audience(session, campaign=found)
    with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
        if smtp.starttls:
            client.starttls()
        if smtp.username:
            client.login(smtp.username, smtp.password or "")
        for buyer, address in recipients:
            token = secrets.token_urlsafe(18)
            subject, plain, html = _render(template, found, buyer, store, token, base_url)
            message = EmailMessage()
            message["From"] = formataddr((smtp.sender_name or store.name, smtp.sender))
            message["To"] = address
            message["Subject"] = subject
            message["Message-ID"] = make_msgid(domain=smtp.sender.split("@")[-1])
            message["List-Unsubscribe"] = f"<{base_url.rstrip('/')}{TRACK_PREFIX}/u/{token}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            message.set_content(plain)
            message.add_alternative(html, subtype="html")
            status, detail = "sent", ""
            try:
                refused = client.send_message(message)
                if refused:
                    status, detail = "bounced", str(next(iter(refused.values())))[:200]
            except smtplib.SMTPRecipientsRefused as exc:
                code, reason = next(iter(exc.recipients.values()))
                status, detail = "bounced", f"{code} {reason.decode(errors='replace')}"[:200]
            session.add(
                CampaignMessage(
                    store_id=found.store_id, campaign_id=found.id, buyer_id=buyer.id, token=token,
                    status=status, detail=detail, sent_at=moment, clicks=0,
                )
            )  # fmt: skip
    found.status = "sent"
    found.sent_at = moment
    session.flush()
    record_audit(
        session, action="campaign.sent", actor=actor, target_type="campaign", target_id=found.id
    )
    return campaign_stats(session, campaign=found, actor=actor)


def _message(session: Session, token: str) -> CampaignMessage:
    found = session.scalars(
        select(CampaignMessage).where(CampaignMessage.token == token)
    ).one_or_none()
    if found is None:
        raise NotFound("no such message")
    return found


def record_open(session: Session, *, token: str, now: dt.datetime | None = None) -> None:
    """7.1.3 The tracking image of a message was loaded (the first time counts)."""
    found = _message(session, token)
    if found.opened_at is None:
        found.opened_at = now or utcnow()
    session.flush()


def record_click(session: Session, *, token: str, link: int, now: dt.datetime | None = None) -> str:
    """7.1.3 A tracked link was followed: count it (a click implies an open) and return the URL."""
    found = _message(session, token)
    campaign = session.get(EmailCampaign, found.campaign_id)
    if campaign is None or not 0 <= link < len(campaign.links):
        raise NotFound("no such link")
    moment = now or utcnow()
    found.clicks += 1
    found.clicked_at = found.clicked_at or moment
    found.opened_at = found.opened_at or moment
    session.flush()
    return campaign.links[link]


def unsubscribe(session: Session, *, token: str, now: dt.datetime | None = None) -> None:
    """7.1.3 The recipient of a message asks for no more marketing e-mail from the store."""
    found = _message(session, token)
    exists = session.scalar(
        select(EmailUnsubscribe.id).where(
            EmailUnsubscribe.store_id == found.store_id, EmailUnsubscribe.buyer_id == found.buyer_id
        )
    )
    if exists is None:
        session.add(
            EmailUnsubscribe(
                store_id=found.store_id, buyer_id=found.buyer_id, at=now or utcnow(),
                campaign_id=found.campaign_id,
            )
        )  # fmt: skip
    session.flush()


def campaign_stats(session: Session, *, campaign: EmailCampaign, actor: Actor) -> CampaignStats:
    """7.1.3 Recipients, deliveries, bounces, opens, clicks and unsubscribes of a campaign."""
    actor.require(Permission.MARKETING_READ)
    found = get_scoped(session, EmailCampaign, campaign.id, actor, what="campaign")
    rows = list(
        session.scalars(select(CampaignMessage).where(CampaignMessage.campaign_id == found.id))
    )
    delivered = [m for m in rows if m.status == "sent"]
    opened = sum(1 for m in delivered if m.opened_at is not None)
    clicked = sum(1 for m in delivered if m.clicked_at is not None)
    unsubscribed = (
        session.scalar(
            select(func.count())
            .select_from(EmailUnsubscribe)
            .where(EmailUnsubscribe.campaign_id == found.id)
        )
        or 0
    )
    return CampaignStats(
        campaign_id=found.id,
        recipients=len(rows),
        delivered=len(delivered),
        bounced=len(rows) - len(delivered),
        opened=opened,
        clicked=clicked,
        unsubscribed=int(unsubscribed),
        open_rate=round(opened / len(delivered), 4) if delivered else None,
        click_rate=round(clicked / len(delivered), 4) if delivered else None,
    )


def list_campaigns(session: Session, *, store: Store, actor: Actor) -> list[EmailCampaign]:
    """7.1.3 The store's campaigns, newest first."""
    actor.require(Permission.MARKETING_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    return list(
        session.scalars(
            select(EmailCampaign)
            .where(EmailCampaign.store_id == store.id)
            .order_by(EmailCampaign.id.desc())
        )
    )
