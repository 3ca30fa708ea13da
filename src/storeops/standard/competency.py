"""People against the standard: tasks each person owns and completes on time, the employee figures
of 6.1.8, competency per stage (training and on-time work) and the team's competency matrix.

Competency of a person in a stage = the mean of the components that exist: the best score of a
passed, valid training course covering the stage (0-100), and the share of their playbook items
of the stage due in the period that were done on time (× 100). Neither: no score.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission, Role
from storeops.auth.models import Membership, StoreGrant, User
from storeops.auth.scoping import Actor
from storeops.catalog.models import ListingEdit
from storeops.crm.models import Inquiry, Rfq
from storeops.orders.models import Quote
from storeops.staff.service import stage_of, trained_for, training_scores_per_stage
from storeops.standard.checks import Outcome, Status, check
from storeops.standard.enums import PlaybookStatus
from storeops.standard.figures import Window
from storeops.standard.models import PlaybookItem
from storeops.stores.models import Store


@dataclass
class PersonTasks:
    """A person's playbook items due in a period: owned, done, done on time, still open and late."""

    user_id: int
    owned: int = 0
    done: int = 0
    on_time: int = 0
    overdue: int = 0
    per_stage: dict[int, tuple[int, int]] = field(default_factory=dict)  # stage: (owned, on time)

    @property
    def on_time_percent(self) -> int | None:
        """Items done on time as a whole percentage of the items owned."""
        return round(100 * self.on_time / self.owned) if self.owned else None


def person_tasks(
    session: Session, *, actor: Actor, start: dt.date, end: dt.date, today: dt.date | None = None
) -> dict[int, PersonTasks]:
    """6.1.8 Per owner: playbook items due in ``start``..``end`` of the actor's stores and how they went."""
    actor.require(Permission.STAFF_READ)
    rows = session.execute(
        select(PlaybookItem, Store.timezone)
        .join(Store, Store.id == PlaybookItem.store_id)
        .where(
            PlaybookItem.store_id.in_(sorted(actor.store_ids)),
            PlaybookItem.owner_user_id.is_not(None),
            PlaybookItem.status != PlaybookStatus.SKIPPED,
            PlaybookItem.due_on >= start,
            PlaybookItem.due_on <= end,
        )
        .order_by(PlaybookItem.id)
    ).tuples()
    people: dict[int, PersonTasks] = {}
    counts: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    cutoff = today or end
    for item, timezone in rows:
        assert item.owner_user_id is not None
        person = people.setdefault(item.owner_user_id, PersonTasks(item.owner_user_id))
        stage = stage_of(item.task_code)
        person.owned += 1
        counts[item.owner_user_id][stage][0] += 1
        if item.status == PlaybookStatus.DONE:
            person.done += 1
            local = (
                item.completed_at.astimezone(ZoneInfo(timezone)).date()
                if item.completed_at is not None
                else None
            )
            if local is not None and local <= item.due_on:
                person.on_time += 1
                counts[item.owner_user_id][stage][1] += 1
        elif item.due_on < cutoff:
            person.overdue += 1
    for user_id, stages in counts.items():
        people[user_id].per_stage = {s: (o, t) for s, (o, t) in sorted(stages.items())}
    return people


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One person of the team competency matrix."""

    user_id: int
    name: str
    role: str
    stages: dict[int, int | None]  # stage 1-9: competency 0-100, or None without evidence
    training: dict[int, int]
    on_time: dict[int, int]
    tasks: PersonTasks


def competency_matrix(
    session: Session, *, actor: Actor, start: dt.date, end: dt.date
) -> list[MatrixRow]:
    """The team's competency per stage of the standard over a period, one row per member."""
    actor.require(Permission.STAFF_READ)
    members = session.execute(
        select(User.id, User.display_name, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.company_id == actor.company_id, User.is_active.is_(True))
        .order_by(User.id)
    ).tuples()
    training = training_scores_per_stage(session, actor=actor, on=end)
    tasks = person_tasks(session, actor=actor, start=start, end=end)
    matrix: list[MatrixRow] = []
    for user_id, name, role in members:
        person = tasks.get(user_id, PersonTasks(user_id))
        trained = training.get(user_id, {})
        on_time = {s: round(100 * t / o) for s, (o, t) in person.per_stage.items() if o}
        stages: dict[int, int | None] = {}
        for stage in range(1, 10):
            parts = [v for v in (trained.get(stage), on_time.get(stage)) if v is not None]
            stages[stage] = (
                int((Decimal(sum(parts)) / len(parts)).quantize(Decimal(1), ROUND_HALF_UP))
                if parts
                else None
            )
        matrix.append(MatrixRow(user_id, name, role.value, stages, trained, on_time, person))
    return matrix


@dataclass(frozen=True, slots=True)
class EmployeeFigures:
    """6.1.8 What one member of staff did in a period."""

    user_id: int
    listings_edited: int
    inquiries_answered: int
    mean_first_reply_minutes: int | None
    quotes_created: int
    rfqs_quoted: int


def employee_figures(
    session: Session, *, actor: Actor, start: dt.date, end: dt.date, timezone: str = "UTC"
) -> dict[int, EmployeeFigures]:
    """6.1.8 Per member: listings edited, inquiries answered and how fast, quotes, RFQs quoted (analytics registry)."""
    actor.require(Permission.STAFF_READ)
    w = Window.local(start, end, timezone)
    stores = sorted(actor.store_ids)
    edits: dict[int | None, int] = dict(
        list(session.execute(
            select(ListingEdit.user_id, func.count())
            .where(ListingEdit.store_id.in_(stores), ListingEdit.edited_on >= start,
                   ListingEdit.edited_on <= end, ListingEdit.user_id.is_not(None))
            .group_by(ListingEdit.user_id)
        ).tuples())
    )  # fmt: skip
    replies: dict[int, list[float]] = defaultdict(list)
    for user_id, received, replied in session.execute(
        select(Inquiry.replied_by_user_id, Inquiry.received_at, Inquiry.first_reply_at).where(
            Inquiry.store_id.in_(stores),
            Inquiry.first_reply_at >= w.lo,
            Inquiry.first_reply_at < w.hi,
            Inquiry.replied_by_user_id.is_not(None),
        )
    ):
        replies[user_id].append((replied - received).total_seconds() / 60)
    quotes: dict[int | None, int] = dict(
        list(session.execute(
            select(Quote.created_by_user_id, func.count())
            .where(Quote.store_id.in_(stores), Quote.created_at >= w.lo, Quote.created_at < w.hi,
                   Quote.created_by_user_id.is_not(None))
            .group_by(Quote.created_by_user_id)
        ).tuples())
    )  # fmt: skip
    rfqs: dict[int | None, int] = dict(
        list(session.execute(
            select(Rfq.quoted_by_user_id, func.count())
            .where(Rfq.store_id.in_(stores), Rfq.quoted_at >= w.lo, Rfq.quoted_at < w.hi,
                   Rfq.quoted_by_user_id.is_not(None))
            .group_by(Rfq.quoted_by_user_id)
        ).tuples())
    )  # fmt: skip
    people: set[int | None] = set(edits) | set(replies) | set(quotes) | set(rfqs)
    return {
        u: EmployeeFigures(
            user_id=u,
            listings_edited=int(edits.get(u, 0)),
            inquiries_answered=len(replies.get(u, [])),
            mean_first_reply_minutes=round(sum(replies[u]) / len(replies[u]))
            if replies.get(u)
            else None,
            quotes_created=int(quotes.get(u, 0)),
            rfqs_quoted=int(rfqs.get(u, 0)),
        )
        for u in sorted(p for p in people if p is not None)
    }


# --- 7.3.3: customer-service staff trained -------------------------------------------------------------


def customer_service_of(session: Session, store: Store) -> list[tuple[int, str]]:
    """The active customer-service members who work on the store (id, name)."""
    return [
        (int(i), str(n))
        for i, n in session.execute(
            select(User.id, User.display_name)
            .join(Membership, Membership.user_id == User.id)
            .join(StoreGrant, StoreGrant.membership_id == Membership.id)
            .where(
                Membership.company_id == store.company_id,
                Membership.role == Role.CUSTOMER_SERVICE,
                StoreGrant.store_id == store.id,
                User.is_active.is_(True),
            )
            .order_by(User.id)
        )
    ]


@check(
    "customer_service_trained",
    tasks=("7.3.3",),
    title="Customer-service staff trained",
    threshold="every customer-service member of the store holds a passed, valid training for "
    "7.3.3 at the end of the period (evidenced); some do (partly)",
    source="T/CCPITCSC 111-2022 7.3.3: 客服人员应经过培训 (training records in storeops)",
    action="Train the listed customer-service staff (a course covering 7.3.3) and record the results.",
)
def customer_service_trained(session: Session, store: Store, window: Window) -> Outcome:
    """7.3.3 The store's customer-service staff hold a passed training for 7.3.3."""
    people = customer_service_of(session, store)
    trained = trained_for(session, company_id=store.company_id, task_code="7.3.3", on=window.end)
    untrained = [name for uid, name in people if uid not in trained]
    measured = {"customer_service": len(people), "trained": len(people) - len(untrained),
                "untrained": untrained}  # fmt: skip
    if not people:
        return Outcome("missing", "no customer-service member works on the store", measured)
    status: Status = (
        "evidenced" if not untrained else "partly" if len(untrained) < len(people) else "missing"
    )
    detail = (
        f"{len(people) - len(untrained)} of {len(people)} customer-service staff trained for 7.3.3"
    )
    if untrained:
        detail += f"; not trained: {', '.join(untrained)}"
    return Outcome(status, detail, measured)
