"""7.3.1 One inbox of conversations on every service channel; 7.3.3 service-quality review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped, scoped
from storeops.crm.enums import ConversationStatus, ServiceChannel
from storeops.crm.models import Buyer, Conversation, ConversationMessage, QualityReview
from storeops.errors import IllegalTransition, InvalidInput, NotFound
from storeops.types import utcnow

#: 7.3.3 Weights of the three criteria in the 0-100 score.
WEIGHTS = {"politeness": 30, "accuracy": 40, "timeliness": 30}
#: 7.3.3 The timeliness score a first response time suggests (minutes: score), first match wins.
TIMELINESS_STEPS = ((60, 5), (240, 4), (1440, 3), (2880, 2))


@dataclass(frozen=True)
class InboxItem:
    """7.3.1 A conversation as the inbox shows it."""

    id: int
    store_id: int
    channel: str
    buyer_id: int
    order_id: int | None
    subject: str
    status: str
    last_message_at: dt.datetime
    waiting_since: dt.datetime | None  # the oldest buyer message not answered yet
    due_at: dt.datetime | None = None  # 7.1.1 / 8.3.1 the store's reply deadline for it
    overdue: bool = False
    escalated: bool = False


@dataclass(frozen=True)
class AgentQuality:
    """7.3.3 One agent's reviewed conversations and average scores."""

    agent_user_id: int | None
    reviews: int
    politeness: float
    accuracy: float
    timeliness: float
    score: float


def _now(now: dt.datetime | None) -> dt.datetime:
    return utcnow() if now is None else now


def open_conversation(
    session: Session,
    *,
    buyer_id: int,
    channel: ServiceChannel | str,
    subject: str,
    body: str,
    actor: Actor,
    order_id: int | None = None,
    now: dt.datetime | None = None,
) -> Conversation:
    """7.3.1 Record a buyer's first message on a channel (phone, chat, voice, video, social, e-mail)."""
    actor.require(Permission.CRM_MANAGE)
    buyer = get_scoped(session, Buyer, buyer_id, actor, what="buyer")
    try:
        kind = ServiceChannel(channel)
    except ValueError:
        options = ", ".join(c.value for c in ServiceChannel)
        raise InvalidInput(
            f"unknown channel {channel!r}; choose one of: {options}", field="channel"
        ) from None
    if not body.strip():
        raise InvalidInput("the buyer's message is empty", field="body")
    moment = _now(now)
    conversation = Conversation(
        store_id=buyer.store_id, buyer_id=buyer.id, order_id=order_id, channel=kind,
        subject=subject.strip()[:200] or body.strip()[:60], status=ConversationStatus.OPEN,
        opened_at=moment,
    )  # fmt: skip
    session.add(conversation)
    session.flush()
    session.add(
        ConversationMessage(
            store_id=buyer.store_id, conversation_id=conversation.id, inbound=True,
            body=body.strip(), at=moment,
        )
    )  # fmt: skip
    session.flush()
    return conversation


def add_message(
    session: Session,
    *,
    conversation: Conversation,
    body: str,
    inbound: bool,
    actor: Actor,
    now: dt.datetime | None = None,
) -> ConversationMessage:
    """7.3.1 Add the buyer's next message (inbound) or the store's answer (outbound)."""
    actor.require(Permission.CRM_MANAGE)
    found = get_scoped(session, Conversation, conversation.id, actor, what="conversation")
    if found.status != ConversationStatus.OPEN:
        raise IllegalTransition(
            "a closed conversation takes no more messages; open a new one", field="status"
        )
    if not body.strip():
        raise InvalidInput("the message is empty", field="body")
    message = ConversationMessage(
        store_id=found.store_id, conversation_id=found.id, inbound=inbound, body=body.strip(),
        at=_now(now), by_user_id=None if inbound else actor.user_id,
    )  # fmt: skip
    if not inbound and found.assigned_user_id is None:
        found.assigned_user_id = actor.user_id
    session.add(message)
    session.flush()
    return message


def escalate_conversation(
    session: Session,
    *,
    conversation: Conversation,
    note: str,
    actor: Actor,
    now: dt.datetime | None = None,
) -> Conversation:
    """8.3.1 Report a question the agent cannot answer upwards; the inbox shows it escalated."""
    actor.require(Permission.CRM_MANAGE)
    found = get_scoped(session, Conversation, conversation.id, actor, what="conversation")
    if found.status != ConversationStatus.OPEN:
        raise IllegalTransition("a closed conversation cannot be escalated", field="status")
    if not note.strip():
        raise InvalidInput("say what needs deciding", field="note")
    found.escalated_at = _now(now)
    found.escalation_note = note.strip()
    session.flush()
    return found


def close_conversation(
    session: Session, *, conversation: Conversation, actor: Actor, now: dt.datetime | None = None
) -> Conversation:
    """7.3.1 Close a conversation."""
    actor.require(Permission.CRM_MANAGE)
    found = get_scoped(session, Conversation, conversation.id, actor, what="conversation")
    if found.status != ConversationStatus.OPEN:
        raise IllegalTransition("the conversation is already closed", field="status")
    found.status = ConversationStatus.CLOSED
    found.closed_at = _now(now)
    session.flush()
    return found


def _messages(session: Session, conversation_id: int) -> list[ConversationMessage]:
    return list(
        session.scalars(
            select(ConversationMessage)
            .where(ConversationMessage.conversation_id == conversation_id)
            .order_by(ConversationMessage.at, ConversationMessage.id)
        )
    )


def _waiting_since(messages: list[ConversationMessage]) -> dt.datetime | None:
    waiting = None
    for m in messages:
        if m.inbound and waiting is None:
            waiting = m.at
        elif not m.inbound:
            waiting = None
    return waiting


def inbox(
    session: Session,
    *,
    actor: Actor,
    channel: ServiceChannel | None = None,
    open_only: bool = True,
    limit: int = 200,
    now: dt.datetime | None = None,
) -> list[InboxItem]:
    """7.3.1 / 8.3.1 One inbox over every channel and every store of the actor, buyers waiting
    longest first, each waiting buyer with the store's reply deadline (7.1.1 policy) and whether it
    has passed."""
    actor.require(Permission.CRM_READ)
    from storeops.crm.service import _clock
    from storeops.stores.models import Store

    moment = _now(now)
    clocks: dict[int, Any] = {}
    stmt = scoped(select(Conversation), Conversation, actor)
    if channel is not None:
        stmt = stmt.where(Conversation.channel == channel)
    if open_only:
        stmt = stmt.where(Conversation.status == ConversationStatus.OPEN)
    items = []
    for c in session.scalars(stmt.order_by(Conversation.opened_at.desc()).limit(limit)):
        messages = _messages(session, c.id)
        waiting = _waiting_since(messages)
        due = None
        if waiting is not None:
            if c.store_id not in clocks:
                clocks[c.store_id] = _clock(
                    session, get_scoped(session, Store, c.store_id, actor, what="store")
                )
            due = clocks[c.store_id].due_at(waiting)
        items.append(
            InboxItem(
                id=c.id, store_id=c.store_id, channel=c.channel.value, buyer_id=c.buyer_id,
                order_id=c.order_id, subject=c.subject, status=c.status.value,
                last_message_at=messages[-1].at if messages else c.opened_at,
                waiting_since=waiting, due_at=due, overdue=due is not None and moment > due,
                escalated=c.escalated_at is not None,
            )
        )  # fmt: skip
    far_future = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda i: (i.waiting_since or far_future, i.id))


def first_response_minutes(session: Session, *, conversation: Conversation) -> float | None:
    """Minutes from the buyer's first message to the store's first answer (None: unanswered)."""
    messages = _messages(session, conversation.id)
    first_in = next((m.at for m in messages if m.inbound), None)
    first_out = next(
        (m.at for m in messages if not m.inbound and first_in and m.at >= first_in), None
    )
    if first_in is None or first_out is None:
        return None
    return (first_out - first_in).total_seconds() / 60


def suggested_timeliness(minutes: float | None) -> int:
    """7.3.3 The timeliness score a first response time suggests: ≤1 h 5, ≤4 h 4, ≤24 h 3, ≤48 h 2, else 1."""
    if minutes is None:
        return 1
    return next((score for limit, score in TIMELINESS_STEPS if minutes <= limit), 1)


def review_conversation(
    session: Session,
    *,
    conversation: Conversation,
    actor: Actor,
    politeness: int,
    accuracy: int,
    timeliness: int | None = None,
    comment: str = "",
    now: dt.datetime | None = None,
) -> QualityReview:
    """7.3.3 Score a conversation's service: politeness, accuracy and timeliness (1-5 each; timeliness
    defaults to the score the first response time suggests). The 0-100 score weighs them 30/40/30."""
    actor.require(Permission.STAFF_MANAGE)
    found = get_scoped(session, Conversation, conversation.id, actor, what="conversation")
    timely = (
        timeliness
        if timeliness is not None
        else suggested_timeliness(first_response_minutes(session, conversation=found))
    )
    scores = {"politeness": politeness, "accuracy": accuracy, "timeliness": timely}
    for name, value in scores.items():
        if not 1 <= value <= 5:
            raise InvalidInput(f"{name} is scored from 1 to 5", field=name)
    agent = session.scalar(
        select(ConversationMessage.by_user_id)
        .where(
            ConversationMessage.conversation_id == found.id, ConversationMessage.inbound.is_(False)
        )
        .order_by(ConversationMessage.at)
        .limit(1)
    )
    if agent is None and found.assigned_user_id is None:
        raise NotFound("nobody answered this conversation: there is no service to review")
    weighted = sum(WEIGHTS[k] * (v - 1) for k, v in scores.items())  # 0 … 400
    review = QualityReview(
        store_id=found.store_id, conversation_id=found.id,
        agent_user_id=agent or found.assigned_user_id, reviewer_user_id=actor.user_id,
        score=round(weighted * 100 / (4 * sum(WEIGHTS.values()))), comment=comment.strip(),
        reviewed_at=_now(now), **scores,
    )  # fmt: skip
    session.add(review)
    session.flush()
    return review


def quality_report(
    session: Session, *, actor: Actor, since: dt.datetime, until: dt.datetime
) -> list[AgentQuality]:
    """7.3.3 Average scores per agent over the reviews made in ``[since, until)``."""
    actor.require(Permission.STAFF_READ)
    rows = list(
        session.scalars(
            scoped(select(QualityReview), QualityReview, actor).where(
                QualityReview.reviewed_at >= since, QualityReview.reviewed_at < until
            )
        )
    )
    by_agent: dict[int | None, list[QualityReview]] = {}
    for r in rows:
        by_agent.setdefault(r.agent_user_id, []).append(r)

    def avg(values: list[int]) -> float:
        return round(sum(values) / len(values), 2)

    return [
        AgentQuality(
            agent_user_id=agent,
            reviews=len(rs),
            politeness=avg([r.politeness for r in rs]),
            accuracy=avg([r.accuracy for r in rs]),
            timeliness=avg([r.timeliness for r in rs]),
            score=avg([r.score for r in rs]),
        )
        for agent, rs in sorted(by_agent.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ]
