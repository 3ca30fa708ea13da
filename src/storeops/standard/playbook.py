"""The playbook: the standard's tasks instantiated for one store, with cadence, owner, due date,
status and evidence; a "today" view per person; the clause 5 workflow's progress.

Periods and due dates are dates in the store's timezone. A task's cadence comes from the task
catalog (``data/tasks.toml``): once, daily, weekly, monthly, quarterly get one item per period;
event-driven cadences (per order, per inquiry, per listing, per campaign, ongoing) get one item per
month, a monthly review that the records of that month evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission, Role
from storeops.auth.models import Membership, StoreGrant, User
from storeops.auth.scoping import Actor, get_scoped, scoped
from storeops.auth.service import record_audit
from storeops.catalog.models import ListingEdit, ShowcaseSlot
from storeops.crm.models import Inquiry, Rfq
from storeops.errors import InvalidInput, NotFound
from storeops.finance.models import FxSettlement, Payout
from storeops.logistics.models import Shipment
from storeops.marketing.models import LiveStream, Promotion, SocialPost
from storeops.orders.models import Contract, Quote, RefundRequest
from storeops.standard.catalog import Model, Task, covers, load_catalog
from storeops.standard.enums import PlaybookStatus, playbook_transition
from storeops.standard.figures import Window
from storeops.standard.models import PlaybookItem
from storeops.stores.models import PlatformAccount, ServiceHours, Store
from storeops.types import utcnow

PERIODIC: Final = frozenset({"once", "daily", "weekly", "monthly", "quarterly"})
#: Days after the store opened by which a one-off task is due.
ONCE_DUE_DAYS: Final = 30

#: Which role owns a task by default, by code prefix (longest prefix wins).
OWNER_ROLE: Final[dict[str, Role]] = {
    "1": Role.MANAGER,
    "2": Role.OPERATOR,
    "3": Role.OPERATOR,
    "4": Role.OPERATOR,
    "5": Role.MARKETING,
    "6": Role.MANAGER,
    "7": Role.CUSTOMER_SERVICE,
    "7.2": Role.MARKETING,
    "7.3.3": Role.MANAGER,
    "8": Role.OPERATOR,
    "8.3": Role.CUSTOMER_SERVICE,
    "9": Role.OPERATOR,
    "9.3": Role.FINANCE,
}


def owner_role(code: str) -> Role:
    """The role that owns task ``code`` by default."""
    parts = code.split(".")
    for n in range(len(parts), 0, -1):
        role = OWNER_ROLE.get(".".join(parts[:n]))
        if role is not None:
            return role
    return Role.MANAGER


def store_today(store: Store, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the store's timezone."""
    return (now or utcnow()).astimezone(ZoneInfo(store.timezone)).date()


def period_of(cadence: str, day: dt.date, opened_on: dt.date | None) -> tuple[dt.date, dt.date]:
    """The period (first day, due date) of ``cadence`` that contains ``day``."""
    if cadence == "once":
        start = opened_on or day
        return start, start + dt.timedelta(days=ONCE_DUE_DAYS)
    if cadence == "daily":
        return day, day
    if cadence == "weekly":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if cadence == "quarterly":
        first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return first, _month_end(dt.date(first.year, first.month + 2, 1))
    first = day.replace(day=1)  # monthly and the event-driven cadences
    return first, _month_end(first)


def _month_end(first: dt.date) -> dt.date:
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


# --- automatic evidence ---------------------------------------------------------------------------

Probe = Callable[[Session, Store, Window], list[dict[str, Any]]]
_PROBES: dict[str, Probe] = {}


def evidence_probe(*codes: str) -> Callable[[Probe], Probe]:
    """Register a function that finds the records evidencing tasks ``codes`` in a window."""

    def register(probe: Probe) -> Probe:
        for code in codes:
            _PROBES[code] = probe
        return probe

    return register


def probed_task_codes() -> tuple[str, ...]:
    """The task codes whose evidence storeops finds automatically."""
    from storeops.standard.catalog import code_key

    return tuple(sorted(_PROBES, key=code_key))


def probe_evidence(
    session: Session, store: Store, code: str, window: Window
) -> list[dict[str, Any]] | None:
    """The records evidencing task ``code`` in ``window``; ``None`` if storeops cannot see any for it."""
    probe = _PROBES.get(code)
    return None if probe is None else probe(session, store, window)


def _found(kind: str, count: int, label: str, ref: str) -> list[dict[str, Any]]:
    if count <= 0:
        return []
    return [{"kind": kind, "ref": ref, "label": label.format(count=count), "auto": True}]


def _count(session: Session, model: Any, *conditions: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0)


@evidence_probe("7.1.1", "8.3.1")
def _replied_inquiries(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """7.1.1 / 8.3.1 Inquiries answered in the window."""
    n = _count(session, Inquiry, Inquiry.store_id == store.id,
               Inquiry.first_reply_at >= w.lo, Inquiry.first_reply_at < w.hi)  # fmt: skip
    return _found(
        "inquiries", n, "{count} inquiries answered", f"/api/v1/playbook/stores/{store.id}"
    )


@evidence_probe("7.1.2")
def _quoted_rfqs(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """7.1.2 RFQs quoted in the window."""
    n = _count(session, Rfq, Rfq.store_id == store.id, Rfq.quoted_at >= w.lo, Rfq.quoted_at < w.hi)
    return _found("rfqs", n, "{count} RFQs quoted", f"store:{store.id}:rfqs")


@evidence_probe("3.2.7", "3.3.4")
def _listing_edits(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """3.2.7 / 3.3.4 Listings edited in the window."""
    n = _count(session, ListingEdit, ListingEdit.store_id == store.id,
               ListingEdit.edited_on >= w.start, ListingEdit.edited_on <= w.end)  # fmt: skip
    return _found("listing_edits", n, "{count} listing edits", f"store:{store.id}:listing_edits")


@evidence_probe("3.2.5")
def _showcase(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """3.2.5 Showcase slots filled during the window."""
    n = _count(session, ShowcaseSlot, ShowcaseSlot.store_id == store.id,
               ShowcaseSlot.since <= w.end,
               (ShowcaseSlot.until.is_(None)) | (ShowcaseSlot.until >= w.start))  # fmt: skip
    return _found(
        "showcase_slots", n, "{count} showcase slots filled", f"store:{store.id}:showcase"
    )


@evidence_probe("5.1.2")
def _promotions(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """5.1.2 Promotions running during the window."""
    n = _count(session, Promotion, Promotion.store_id == store.id,
               Promotion.starts_on <= w.end, Promotion.ends_on >= w.start)  # fmt: skip
    return _found("promotions", n, "{count} promotions set up", f"store:{store.id}:promotions")


@evidence_probe("5.3.9")
def _live_streams(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """5.3.9 Live streams hosted in the window."""
    n = _count(session, LiveStream, LiveStream.store_id == store.id,
               LiveStream.starts_at >= w.lo, LiveStream.starts_at < w.hi)  # fmt: skip
    return _found(
        "live_streams", n, "{count} live streams hosted", f"store:{store.id}:live_streams"
    )


@evidence_probe("5.4.2")
def _social_posts(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """5.4.2 Social media posts published in the window."""
    n = _count(session, SocialPost, SocialPost.store_id == store.id,
               SocialPost.posted_on >= w.start, SocialPost.posted_on <= w.end)  # fmt: skip
    return _found("social_posts", n, "{count} social posts", f"store:{store.id}:social_posts")


@evidence_probe("8.1.5")
def _quotes(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """8.1.5 Quotes written in the window."""
    n = _count(
        session,
        Quote,
        Quote.store_id == store.id,
        Quote.created_at >= w.lo,
        Quote.created_at < w.hi,
    )
    return _found("quotes", n, "{count} quotes", f"store:{store.id}:quotes")


@evidence_probe("8.1.6", "8.2.3")
def _contracts(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """8.1.6 / 8.2.3 Contracts signed in the window."""
    n = _count(session, Contract, Contract.store_id == store.id,
               Contract.signed_at >= w.lo, Contract.signed_at < w.hi)  # fmt: skip
    return _found("contracts", n, "{count} contracts signed", f"store:{store.id}:contracts")


@evidence_probe("9.1.1", "9.1.2", "9.1.3", "9.1.5")
def _shipments(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """9.1.1-9.1.5 Parcels shipped in the window (with channel, declaration and tracking)."""
    n = _count(session, Shipment, Shipment.store_id == store.id,
               Shipment.shipped_at >= w.lo, Shipment.shipped_at < w.hi)  # fmt: skip
    return _found("shipments", n, "{count} parcels shipped", f"store:{store.id}:shipments")


@evidence_probe("8.3.3", "9.3.4")
def _refunds(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """8.3.3 / 9.3.4 Refund requests resolved in the window."""
    n = _count(session, RefundRequest, RefundRequest.store_id == store.id,
               RefundRequest.resolved_at >= w.lo, RefundRequest.resolved_at < w.hi)  # fmt: skip
    return _found("refunds", n, "{count} refund requests resolved", f"store:{store.id}:refunds")


@evidence_probe("9.3.2")
def _payouts(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """9.3.2 Payouts received in the window."""
    n = _count(
        session, Payout, Payout.store_id == store.id, Payout.paid_at >= w.lo, Payout.paid_at < w.hi
    )
    return _found("payouts", n, "{count} payouts", f"store:{store.id}:payouts")


@evidence_probe("9.3.3")
def _fx_settlements(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """9.3.3 Foreign exchange settled in the window."""
    n = _count(session, FxSettlement, FxSettlement.store_id == store.id,
               FxSettlement.settled_at >= w.lo, FxSettlement.settled_at < w.hi)  # fmt: skip
    return _found("fx_settlements", n, "{count} FX settlements", f"store:{store.id}:fx")


@evidence_probe("7.3.2")
def _service_hours(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """7.3.2 Service hours are defined for the store."""
    n = _count(session, ServiceHours, ServiceHours.store_id == store.id)
    return _found(
        "service_hours", n, "{count} service windows", f"/api/v1/stores/{store.id}/service-hours"
    )


@evidence_probe("2.1.2", "2.2.2")
def _accounts(session: Session, store: Store, w: Window) -> list[dict[str, Any]]:
    """2.1.2 / 2.2.2 Seller-centre accounts are recorded."""
    n = _count(session, PlatformAccount, PlatformAccount.store_id == store.id,
               PlatformAccount.is_active.is_(True))  # fmt: skip
    return _found(
        "platform_accounts", n, "{count} platform accounts", f"/api/v1/stores/{store.id}/accounts"
    )


# --- building the playbook -------------------------------------------------------------------------


def applicable_tasks(store: Store) -> tuple[Task, ...]:
    """The tasks of the standard a store of this business model does."""
    return tuple(t for t in load_catalog().tasks if t.concerns(store_model(store)))


def store_model(store: Store) -> Model:
    """The store's business model as the task catalog names it."""
    return "b2b" if store.business_model.value == "b2b" else "b2c"


def default_owners(session: Session, store: Store) -> dict[Role, int]:
    """The member (lowest user id) of each role who works on the store."""
    rows = session.execute(
        select(Membership.role, Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(
            StoreGrant,
            (StoreGrant.membership_id == Membership.id) & (StoreGrant.store_id == store.id),
        )
        .where(
            Membership.company_id == store.company_id,
            User.is_active.is_(True),
            (StoreGrant.id.is_not(None)) | (Membership.role == Role.OWNER),
        )
        .order_by(Membership.user_id)
    ).all()
    owners: dict[Role, int] = {}
    for role, user_id in rows:
        owners.setdefault(role, user_id)
    return owners


def _owner_for(code: str, owners: dict[Role, int]) -> int | None:
    for role in (owner_role(code), Role.MANAGER, Role.OWNER):
        if role in owners:
            return owners[role]
    return None


def generate_playbook(
    session: Session, *, store: Store, actor: Actor, on: dt.date | None = None
) -> list[PlaybookItem]:
    """Instantiate the store's applicable tasks for the periods containing ``on`` (store-local today).

    Existing items are kept (their owner, status and evidence untouched); new ones get the
    default owner. Automatic evidence is then attached to every item of those periods.
    """
    actor.require(Permission.PLAYBOOK_MANAGE)
    get_scoped(session, Store, store.id, actor, what="store")
    day = on or store_today(store)
    owners = default_owners(session, store)
    existing = {
        (i.task_code, i.period_start): i
        for i in session.scalars(select(PlaybookItem).where(PlaybookItem.store_id == store.id))
    }
    items: list[PlaybookItem] = []
    for task in applicable_tasks(store):
        start, due = period_of(task.cadence, day, store.opened_on)
        item = existing.get((task.code, start))
        if item is None:
            item = PlaybookItem(
                store_id=store.id,
                task_code=task.code,
                cadence=task.cadence,
                period_start=start,
                due_on=due,
                owner_user_id=_owner_for(task.code, owners),
                status=PlaybookStatus.OPEN,
                evidence=[],
                note="",
            )
            session.add(item)
        items.append(item)
    session.flush()
    for item in items:
        _attach_evidence(session, store, item, day)
    session.flush()
    record_audit(session, action="playbook.generated", actor=actor, target_type="store",
                 target_id=store.id, on=day.isoformat())  # fmt: skip
    return items


def _attach_evidence(session: Session, store: Store, item: PlaybookItem, today: dt.date) -> None:
    """Replace the item's automatic evidence with what the records of its period show."""
    probe = _PROBES.get(item.task_code)
    if probe is None:
        return
    end = min(item.due_on, today) if item.cadence != "once" else today
    window = Window.local(item.period_start, end, store.timezone)
    found = probe(session, store, window)
    manual = [e for e in item.evidence or [] if not e.get("auto")]
    item.evidence = manual + found
    if found and item.status == PlaybookStatus.OPEN:
        item.status = PlaybookStatus.DONE
        # the records lie inside the period: the task was done by its end at the latest
        item.completed_at = min(utcnow(), window.hi - dt.timedelta(microseconds=1))
        item.note = item.note or "evidenced automatically"


def list_items(
    session: Session,
    *,
    store: Store,
    actor: Actor,
    on: dt.date | None = None,
    status: str | None = None,
) -> list[PlaybookItem]:
    """The store's playbook items of the periods containing ``on`` (default: all), in code order."""
    actor.require(Permission.PLAYBOOK_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    stmt = scoped(select(PlaybookItem), PlaybookItem, actor).where(
        PlaybookItem.store_id == store.id
    )
    if on is not None:
        stmt = stmt.where(
            PlaybookItem.period_start <= on,
            (PlaybookItem.due_on >= on) | (PlaybookItem.cadence == "once"),
        )
    if status is not None:
        stmt = stmt.where(PlaybookItem.status == _status(status))
    from storeops.standard.catalog import code_key

    rows = list(session.scalars(stmt))
    return sorted(rows, key=lambda i: (code_key(i.task_code), i.period_start))


def _status(value: str) -> PlaybookStatus:
    try:
        return PlaybookStatus(value.strip().lower())
    except ValueError:
        options = ", ".join(s.value for s in PlaybookStatus)
        raise InvalidInput(
            f"unknown status {value!r}; choose one of: {options}", field="status"
        ) from None


@dataclass(frozen=True, slots=True)
class DueItem:
    """An open item of someone's "today" view."""

    item: PlaybookItem
    store_name: str
    overdue_days: int  # 0: due today; > 0: overdue by that many days; < 0: due later


def due_items(
    session: Session,
    *,
    actor: Actor,
    user_id: int | None = None,
    now: dt.datetime | None = None,
    within_days: int = 0,
) -> list[DueItem]:
    """The open items of ``user_id`` (default: the actor) due by today + ``within_days`` in each store's timezone."""
    actor.require(Permission.PLAYBOOK_READ)
    stmt = (
        scoped(select(PlaybookItem, Store), PlaybookItem, actor)
        .join(Store, Store.id == PlaybookItem.store_id)
        .where(PlaybookItem.status == PlaybookStatus.OPEN)
    )
    who = user_id if user_id is not None else actor.user_id
    if who is not None:
        stmt = stmt.where(PlaybookItem.owner_user_id == who)
    found: list[DueItem] = []
    from storeops.standard.catalog import code_key

    for item, store in session.execute(stmt).tuples():
        today = store_today(store, now)
        late = (today - item.due_on).days
        if late >= -within_days:
            found.append(DueItem(item=item, store_name=store.name, overdue_days=late))
    return sorted(found, key=lambda d: (-d.overdue_days, d.store_name, code_key(d.item.task_code)))


def get_item(session: Session, *, item_id: int, actor: Actor) -> PlaybookItem:
    """One playbook item of the actor's stores; ``NotFound`` otherwise."""
    actor.require(Permission.PLAYBOOK_READ)
    return get_scoped(session, PlaybookItem, item_id, actor, what="playbook item")


def complete_item(
    session: Session,
    *,
    item: PlaybookItem,
    actor: Actor,
    evidence: Sequence[str] = (),
    note: str = "",
) -> PlaybookItem:
    """Mark a playbook item done, with links to the records that show it (by hand)."""
    actor.require(Permission.PLAYBOOK_MANAGE)
    get_scoped(session, PlaybookItem, item.id, actor, what="playbook item")
    links = [e.strip() for e in evidence if e and e.strip()]
    if not links and not any(e.get("auto") for e in item.evidence or []):
        raise InvalidInput(
            f"task {item.task_code}: give at least one evidence link (a record, a document, a URL)",
            field="evidence",
        )
    if any(len(link) > 500 for link in links):
        raise InvalidInput("an evidence link is longer than 500 characters", field="evidence")
    item.status = playbook_transition(item.status, PlaybookStatus.DONE)
    item.evidence = list(item.evidence or []) + [
        {"kind": "link", "ref": link, "label": link, "auto": False} for link in links
    ]
    item.completed_at = utcnow()
    item.completed_by_user_id = actor.user_id
    if note.strip():
        item.note = note.strip()[:2000]
    session.flush()
    record_audit(session, action="playbook.done", actor=actor, target_type="playbook_item",
                 target_id=item.id)  # fmt: skip
    return item


def skip_item(session: Session, *, item: PlaybookItem, actor: Actor, reason: str) -> PlaybookItem:
    """Mark a playbook item not applicable for its period, with the reason."""
    actor.require(Permission.PLAYBOOK_MANAGE)
    get_scoped(session, PlaybookItem, item.id, actor, what="playbook item")
    if not reason.strip():
        raise InvalidInput("say why the task does not apply in this period", field="reason")
    item.status = playbook_transition(item.status, PlaybookStatus.SKIPPED)
    item.note = reason.strip()[:2000]
    session.flush()
    return item


def reopen_item(session: Session, *, item: PlaybookItem, actor: Actor) -> PlaybookItem:
    """Reopen a done or skipped item (its evidence given by hand is kept)."""
    actor.require(Permission.PLAYBOOK_MANAGE)
    get_scoped(session, PlaybookItem, item.id, actor, what="playbook item")
    item.status = playbook_transition(item.status, PlaybookStatus.OPEN)
    item.completed_at = None
    item.completed_by_user_id = None
    session.flush()
    return item


def assign_item(
    session: Session, *, item: PlaybookItem, actor: Actor, owner_user_id: int
) -> PlaybookItem:
    """Give a playbook item to a member of the company who works on its store."""
    actor.require(Permission.PLAYBOOK_MANAGE)
    store = get_scoped(session, Store, item.store_id, actor, what="store")
    if owner_user_id not in default_owners_all(session, store):
        raise NotFound(f"user {owner_user_id} not found", field="owner_user_id")
    item.owner_user_id = owner_user_id
    session.flush()
    return item


def default_owners_all(session: Session, store: Store) -> set[int]:
    """Ids of every active member who works on the store (owners included)."""
    rows = session.scalars(
        select(Membership.user_id)
        .outerjoin(
            StoreGrant,
            (StoreGrant.membership_id == Membership.id) & (StoreGrant.store_id == store.id),
        )
        .where(
            Membership.company_id == store.company_id,
            (StoreGrant.id.is_not(None)) | (Membership.role == Role.OWNER),
        )
    )
    return set(rows)


# --- workflow progress --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepProgress:
    """How far a store is with one step of the clause 5 workflow in the current periods."""

    code: str
    order: int
    title_zh: str
    title_en: str
    applies: bool
    tasks: int
    done: int
    overdue: int

    @property
    def percent(self) -> int:
        """Done items as a whole percentage of the step's tasks."""
        return round(100 * self.done / self.tasks) if self.tasks else 0


def workflow_progress(
    session: Session, *, store: Store, actor: Actor, on: dt.date | None = None
) -> list[StepProgress]:
    """Per step of Figure A.1: tasks of the store's model, items done and overdue in the current periods."""
    day = on or store_today(store)
    items = {i.task_code: i for i in list_items(session, store=store, actor=actor, on=day)}
    catalog = load_catalog()
    model = store_model(store)
    progress: list[StepProgress] = []
    for step in catalog.steps:
        tasks = [t for t in catalog.tasks_of_step(step.code) if t.concerns(model)]
        done = sum(
            1 for t in tasks if t.code in items and items[t.code].status != PlaybookStatus.OPEN
        )
        overdue = sum(
            1
            for t in tasks
            if t.code in items
            and items[t.code].status == PlaybookStatus.OPEN
            and items[t.code].due_on < day
        )
        progress.append(
            StepProgress(
                code=step.code,
                order=step.order,
                title_zh=step.title_zh,
                title_en=step.title_en,
                applies=covers(step.applies_to, model),
                tasks=len(tasks),
                done=done,
                overdue=overdue,
            )
        )
    return progress
