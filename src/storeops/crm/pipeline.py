"""7.1.2 RFQ screening; 7.2.1 prospect import with de-duplication; 7.2.2 grouping and the lead
pipeline; 7.2.3 conversion rate and acquisition cost per channel."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.crm.enums import LeadStage, RfqStatus, lead_transition, rfq_transition
from storeops.crm.models import AcquisitionCost, Prospect, Rfq
from storeops.errors import InvalidInput
from storeops.stores.models import Store
from storeops.types import Money, normalize_country, utcnow

PROSPECT_SOURCES = ("customs", "platform", "search", "social")
_LEGAL = re.compile(
    r"\b(co|company|corp|corporation|inc|llc|ltd|limited|gmbh|ag|sa|sl|srl|sas|bv|nv|plc|pty|"
    r"spa|kg|oy|ab|as|llp|lp|trading|import|export)\b"
)


# --- 7.1.2 RFQ screening ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RfqScreen:
    """7.1.2 An open RFQ with its screening score (0-100) and the reasons."""

    rfq_id: int
    product_keyword: str
    quantity: int
    country: str
    posted_at: dt.datetime
    score: int
    recommend: str  # quote | skip
    reasons: tuple[str, ...]


def screen_rfqs(
    session: Session,
    *,
    store: Store,
    actor: Actor,
    keywords: list[str],
    min_quantity: int,
    markets: list[str] | None = None,
    max_age_days: int = 7,
    now: dt.datetime | None = None,
) -> list[RfqScreen]:
    """7.1.2 Score the store's open RFQs: product match 40, quantity at or above the MOQ 30, a
    target market 20, posted within ``max_age_days`` 10; 60 or more is worth quoting."""
    actor.require(Permission.CRM_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    moment = now or utcnow()
    wanted = [k.strip().lower() for k in keywords if k.strip()]
    if not wanted:
        raise InvalidInput("give at least one product keyword you sell", field="keywords")
    targets = {normalize_country(c) for c in markets or []}
    found = []
    for rfq in session.scalars(
        select(Rfq)
        .where(Rfq.store_id == store.id, Rfq.status == RfqStatus.OPEN)
        .order_by(Rfq.posted_at.desc())
    ):
        score, reasons = 0, []
        if any(k in rfq.product_keyword.lower() for k in wanted):
            score += 40
            reasons.append("product match")
        if rfq.quantity >= min_quantity:
            score += 30
            reasons.append(f"quantity {rfq.quantity} ≥ MOQ {min_quantity}")
        if not targets or rfq.country in targets:
            score += 20
            reasons.append("target market" if targets else "any market")
        if moment - rfq.posted_at <= dt.timedelta(days=max_age_days):
            score += 10
            reasons.append("fresh")
        found.append(
            RfqScreen(
                rfq_id=rfq.id, product_keyword=rfq.product_keyword, quantity=rfq.quantity,
                country=rfq.country, posted_at=rfq.posted_at, score=score,
                recommend="quote" if score >= 60 else "skip", reasons=tuple(reasons),
            )
        )  # fmt: skip
    return sorted(found, key=lambda s: (-s.score, s.rfq_id))


def mark_rfq(
    session: Session,
    *,
    rfq: Rfq,
    status: RfqStatus | str,
    actor: Actor,
    now: dt.datetime | None = None,
) -> Rfq:
    """7.1.2 Record the outcome of an RFQ: quoted, skipped, then won or lost."""
    actor.require(Permission.CRM_MANAGE)
    found = get_scoped(session, Rfq, rfq.id, actor, what="RFQ")
    try:
        target = RfqStatus(status)
    except ValueError:
        raise InvalidInput(f"unknown RFQ status {status!r}", field="status") from None
    found.status = rfq_transition(found.status, target)
    if target == RfqStatus.QUOTED:
        found.quoted_at = now or utcnow()
        found.quoted_by_user_id = actor.user_id
    session.flush()
    return found


# --- 7.2.1 prospects --------------------------------------------------------------------------------


def dedupe_key(company_name: str, country: str) -> str:
    """``Acme Trading Co., Ltd.`` in DE and ``ACME`` in DE give the same key: ``acme|DE``."""
    name = re.sub(r"[^\w\s]", " ", company_name.lower())
    name = _LEGAL.sub(" ", name)
    return f"{' '.join(name.split())}|{country}"


def _domain(website: str) -> str:
    text = website.strip().lower()
    if not text:
        return ""
    host = urlparse(text if "//" in text else f"//{text}").hostname or ""
    return host.removeprefix("www.")


@dataclass
class ImportResult:
    """7.2.1 What an import did: rows created, duplicates merged, and every bad row (nothing
    is written when there is one)."""

    created: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, reason


def import_prospects(
    session: Session, *, store: Store, actor: Actor, csv_text: str, now: dt.datetime | None = None
) -> ImportResult:
    """7.2.1 Import prospects from CSV (company_name, country, source, website), de-duplicated by
    normalised company name and country, or by web domain, against the store and within the file."""
    actor.require(Permission.CRM_MANAGE)
    get_scoped(session, Store, store.id, actor, what="store")
    reader = csv.DictReader(io.StringIO(csv_text))
    missing = {"company_name", "country", "source"} - set(reader.fieldnames or [])
    if missing:
        raise InvalidInput(f"the file lacks column(s): {', '.join(sorted(missing))}", field="csv")
    result = ImportResult()
    clean: list[tuple[str, str, str, str, str]] = []
    for number, row in enumerate(reader, start=2):  # row 1 is the header
        name = (row.get("company_name") or "").strip()
        if not name:
            result.errors.append((number, "company_name", "empty"))
            continue
        try:
            country = normalize_country(row.get("country") or "")
        except InvalidInput as exc:
            result.errors.append((number, "country", exc.message))
            continue
        source = (row.get("source") or "").strip().lower()
        if source not in PROSPECT_SOURCES:
            result.errors.append(
                (number, "source", f"{source!r} is not one of {', '.join(PROSPECT_SOURCES)}")
            )
            continue
        clean.append(
            (name, country, source, _domain(row.get("website") or ""), dedupe_key(name, country))
        )
    if result.errors:
        return result
    moment = now or utcnow()
    seen_keys: set[str] = set()
    seen_domains: set[str] = set()
    for name, country, source, domain, key in clean:
        conditions = [Prospect.dedupe_key == key]
        if domain:
            conditions.append(Prospect.website == domain)
        existing = session.scalar(
            select(Prospect.id).where(Prospect.store_id == store.id, or_(*conditions))
        )
        if existing is not None or key in seen_keys or (domain and domain in seen_domains):
            result.duplicates += 1
            continue
        seen_keys.add(key)
        if domain:
            seen_domains.add(domain)
        session.add(
            Prospect(
                store_id=store.id, source=source, company_name=name[:200], country=country,
                website=domain, dedupe_key=key, stage=LeadStage.NEW, imported_at=moment,
                stage_changed_at=moment,
            )
        )  # fmt: skip
        result.created += 1
    session.flush()
    return result


# --- 7.2.2 pipeline ----------------------------------------------------------------------------------


def move_lead(
    session: Session,
    *,
    prospect: Prospect,
    actor: Actor,
    stage: LeadStage | str | None = None,
    next_action: str | None = None,
    next_action_on: dt.date | None = None,
    group: str | None = None,
    now: dt.datetime | None = None,
) -> Prospect:
    """7.2.2 Move a lead along the pipeline (transition table), set its next action and group."""
    actor.require(Permission.CRM_MANAGE)
    found = get_scoped(session, Prospect, prospect.id, actor, what="prospect")
    if stage is not None:
        try:
            target = LeadStage(stage)
        except ValueError:
            options = ", ".join(s.value for s in LeadStage)
            raise InvalidInput(
                f"unknown stage {stage!r}; choose one of: {options}", field="stage"
            ) from None
        found.stage = lead_transition(found.stage, target)
        found.stage_changed_at = now or utcnow()
    if next_action is not None:
        found.next_action = next_action.strip()[:200]
        found.next_action_on = next_action_on
    if group is not None:
        found.group = group.strip()[:40]
    session.flush()
    return found


def pipeline(session: Session, *, store: Store, actor: Actor, today: dt.date) -> dict[str, object]:
    """7.2.2 Leads per stage and per group, and the next actions that are due or late."""
    actor.require(Permission.CRM_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    rows = list(session.scalars(select(Prospect).where(Prospect.store_id == store.id)))
    return {
        "by_stage": {s.value: sum(1 for p in rows if p.stage == s) for s in LeadStage},
        "by_group": {
            g: sum(1 for p in rows if p.group == g) for g in sorted({p.group for p in rows})
        },
        "actions_due": sorted(
            [
                (p.id, p.company_name, p.next_action, p.next_action_on.isoformat())
                for p in rows
                if p.next_action_on is not None
                and p.next_action_on <= today
                and p.stage not in (LeadStage.WON, LeadStage.LOST)
            ],
            key=lambda t: (t[3], t[0]),
        ),
    }


# --- 7.2.3 conversion and acquisition cost --------------------------------------------------------------


def record_acquisition_cost(
    session: Session,
    *,
    store: Store,
    actor: Actor,
    source: str,
    start: dt.date,
    end: dt.date,
    cost: Money,
) -> AcquisitionCost:
    """7.2.3 Record what a channel cost over a period."""
    actor.require(Permission.CRM_MANAGE)
    get_scoped(session, Store, store.id, actor, what="store")
    if source not in PROSPECT_SOURCES:
        raise InvalidInput(
            f"{source!r} is not one of {', '.join(PROSPECT_SOURCES)}", field="source"
        )
    if end < start:
        raise InvalidInput("the period ends before it starts", field="end")
    if cost.amount < 0:
        raise InvalidInput("a cost is not negative", field="amount")
    row = AcquisitionCost(
        store_id=store.id, source=source, period_start=start, period_end=end,
        amount=cost.amount, currency=cost.currency,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _per(cost: Money | None, count: int) -> Money | None:
    """``cost`` shared over ``count``, rounded half-up to a whole minor unit."""
    if cost is None or count == 0:
        return None
    return Money((2 * cost.amount + count) // (2 * count), cost.currency)


@dataclass(frozen=True)
class ChannelConversion:
    """7.2.3 One channel's prospects, customers won, conversion rate and costs."""

    source: str
    prospects: int
    won: int
    conversion_rate: float | None
    cost: Money | None
    cost_per_prospect: Money | None
    cost_per_customer: Money | None


def conversion_by_channel(
    session: Session, *, store: Store, actor: Actor, start: dt.date, end: dt.date
) -> list[ChannelConversion]:
    """7.2.3 Per channel: prospects imported in the period, how many were won, the conversion rate,
    the channel's cost in the period and the cost per prospect and per customer won."""
    actor.require(Permission.CRM_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    lo = dt.datetime.combine(start, dt.time(0), tzinfo=dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC)
    counts = dict(
        (src, (int(n), int(w or 0)))
        for src, n, w in session.execute(
            select(
                Prospect.source,
                func.count(),
                func.sum(case((Prospect.stage == LeadStage.WON, 1), else_=0)),
            )
            .where(
                Prospect.store_id == store.id, Prospect.imported_at >= lo, Prospect.imported_at < hi
            )
            .group_by(Prospect.source)
        )
    )
    costs: dict[str, Money] = {}
    for src, amount, currency in session.execute(
        select(AcquisitionCost.source, func.sum(AcquisitionCost.amount), AcquisitionCost.currency)
        .where(
            AcquisitionCost.store_id == store.id,
            AcquisitionCost.period_start >= start,
            AcquisitionCost.period_end <= end,
        )
        .group_by(AcquisitionCost.source, AcquisitionCost.currency)
    ):
        costs[src] = Money(int(amount), currency)
    out = []
    for source in PROSPECT_SOURCES:
        prospects, won = counts.get(source, (0, 0))
        cost = costs.get(source)
        out.append(
            ChannelConversion(
                source=source, prospects=prospects, won=won,
                conversion_rate=round(won / prospects, 4) if prospects else None, cost=cost,
                cost_per_prospect=_per(cost, prospects),
                cost_per_customer=_per(cost, won),
            )
        )  # fmt: skip
    return out
