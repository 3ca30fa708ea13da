"""2.3 Platform rules: a versioned registry per platform (2.3.1), rule changes with their diff,
affected stores and listings, and follow-up tasks (2.3.2)."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped, scoped
from storeops.auth.service import record_audit
from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Listing
from storeops.errors import InvalidInput
from storeops.market.enums import FollowUpStatus, follow_up_transition
from storeops.market.errors import DuplicateRuleSet
from storeops.market.models import FollowUpTask, PlatformRule, PlatformRuleSet
from storeops.market.schemas import (
    FollowUpRead,
    RuleChange,
    RuleImportRead,
    RuleIn,
    RuleRead,
    RuleSetIn,
    RuleSetRead,
)
from storeops.market.scoping import company_scoped, get_company_scoped
from storeops.stores.enums import Platform
from storeops.stores.models import Store
from storeops.types import utcnow

DATA_FILE = Path(__file__).parent / "data" / "rules.json"
BUNDLED_BY = "storeops bundled data"
COMPARED = (
    "category", "title", "text", "metric", "comparator", "threshold", "unit", "window_days",
    "params", "source",
)  # fmt: skip
SAMPLE_LISTINGS = 20


@lru_cache(maxsize=1)
def _bundled() -> dict[str, dict[str, Any]]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {r["platform"]: r for r in data["rule_sets"]}


def _platform(value: str) -> str:
    key = (value or "").strip().lower()
    try:
        return Platform(key).value
    except ValueError:
        options = ", ".join(p.value for p in Platform)
        raise InvalidInput(
            f"unknown platform {value!r}; choose one of: {options}", field="platform"
        ) from None


def bundled_rule_set(platform: str) -> RuleSetRead | None:
    """The rule set storeops ships for ``platform`` (id 0), if it ships one."""
    raw = _bundled().get(_platform(platform))
    if raw is None:
        return None
    data = RuleSetIn.model_validate({k: v for k, v in raw.items() if k != "note"})
    return RuleSetRead(
        id=0,
        platform=data.platform,
        version=data.version,
        effective_from=data.effective_from,
        source=data.source,
        imported_by=BUNDLED_BY,
        imported_at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC),
        rules=[RuleRead.model_validate(r.model_dump()) for r in data.rules],
    )


def _rule_read(rule: PlatformRule) -> RuleRead:
    return RuleRead(
        code=rule.code,
        category=rule.category,
        title=rule.title,
        text=rule.text,
        metric=rule.metric,
        comparator=rule.comparator,
        threshold=rule.threshold,
        unit=rule.unit,
        window_days=rule.window_days,
        params=rule.params or {},
        source=rule.source,
        source_date=rule.source_date,
    )


def _set_read(session: Session, row: PlatformRuleSet) -> RuleSetRead:
    rules = session.scalars(
        select(PlatformRule).where(PlatformRule.rule_set_id == row.id).order_by(PlatformRule.code)
    )
    return RuleSetRead(
        id=row.id,
        platform=row.platform,
        version=row.version,
        effective_from=row.effective_from,
        source=row.source,
        imported_by=row.imported_by,
        imported_at=row.imported_at,
        rules=[_rule_read(r) for r in rules],
    )


def rule_sets(session: Session, *, platform: str, actor: Actor) -> list[RuleSetRead]:
    """2.3.1 Every version of a platform's rules, newest effective first; the bundled set last."""
    actor.require(Permission.MARKET_READ)
    key = _platform(platform)
    rows = session.scalars(
        company_scoped(select(PlatformRuleSet), PlatformRuleSet, actor)
        .where(PlatformRuleSet.platform == key)
        .order_by(PlatformRuleSet.effective_from.desc(), PlatformRuleSet.id.desc())
    )
    found = [_set_read(session, r) for r in rows]
    bundled = bundled_rule_set(key)
    return [*found, bundled] if bundled else found


def current_rule_set(
    session: Session, *, platform: str, actor: Actor, on: dt.date | None = None
) -> RuleSetRead | None:
    """2.3.1 The rules of ``platform`` in force on ``on`` (default: the newest), else bundled."""
    actor.require(Permission.MARKET_READ)
    key = _platform(platform)
    stmt = company_scoped(select(PlatformRuleSet), PlatformRuleSet, actor).where(
        PlatformRuleSet.platform == key
    )
    if on is not None:
        stmt = stmt.where(PlatformRuleSet.effective_from <= on)
    row = session.scalars(
        stmt.order_by(PlatformRuleSet.effective_from.desc(), PlatformRuleSet.id.desc()).limit(1)
    ).one_or_none()
    return _set_read(session, row) if row is not None else bundled_rule_set(key)


def _check_rules(rules: list[RuleIn]) -> None:
    seen: set[str] = set()
    for rule in rules:
        code = rule.code.strip()
        if code in seen:
            raise InvalidInput(f"rule {code!r} appears twice", field="rules")
        seen.add(code)
        measured = (rule.metric, rule.comparator, rule.threshold)
        if any(v is not None for v in measured) and any(v is None for v in measured):
            raise InvalidInput(
                f"rule {code!r}: a measurable rule needs metric, comparator and threshold",
                field="rules",
            )
        if rule.threshold is not None and rule.window_days is None:
            raise InvalidInput(f"rule {code!r}: a threshold needs window_days", field="rules")
        if rule.window_days is not None and not 1 <= rule.window_days <= 365:
            raise InvalidInput(f"rule {code!r}: window_days is 1-365", field="rules")
        terms = rule.params.get("banned_title_terms")
        if terms is not None and (
            not isinstance(terms, list) or not all(isinstance(t, str) and t.strip() for t in terms)
        ):
            raise InvalidInput(
                f"rule {code!r}: banned_title_terms is a list of words", field="rules"
            )
        if rule.measurable_source_missing():
            raise InvalidInput(f"rule {code!r}: a threshold needs its source", field="rules")


def diff_rules(before: list[RuleRead], after: list[RuleIn]) -> list[RuleChange]:
    """2.3.2 Rules added, removed and changed (with the fields that changed), by rule code."""
    old = {r.code: r.model_dump(mode="json") for r in before}
    new = {r.code: RuleRead.model_validate(r.model_dump()).model_dump(mode="json") for r in after}
    changes: list[RuleChange] = []
    for code in sorted(old.keys() | new.keys()):
        if code not in old:
            changes.append(
                RuleChange(code=code, change="added", fields=[], before=None, after=new[code])
            )
        elif code not in new:
            changes.append(
                RuleChange(code=code, change="removed", fields=[], before=old[code], after=None)
            )
        else:
            fields = [f for f in COMPARED if old[code].get(f) != new[code].get(f)]
            if fields:
                changes.append(
                    RuleChange(
                        code=code,
                        change="changed",
                        fields=fields,
                        before=old[code],
                        after=new[code],
                    )
                )
    return changes


def affected_listings(
    session: Session, *, store_ids: list[int], banned_terms: list[str], actor: Actor
) -> dict[int, list[int]]:
    """Active listings of the stores whose title carries a banned term (case-insensitive)."""
    found: dict[int, list[int]] = {}
    if not banned_terms or not store_ids:
        return found
    conditions = [func.lower(Listing.title).contains(t.strip().lower()) for t in banned_terms]
    from sqlalchemy import or_

    stmt = (
        scoped(select(Listing.store_id, Listing.id), Listing, actor)
        .where(
            Listing.store_id.in_(store_ids),
            Listing.status == ListingStatus.ACTIVE,
            or_(*conditions),
        )
        .order_by(Listing.store_id, Listing.id)
    )
    for store_id, listing_id in session.execute(stmt):
        found.setdefault(int(store_id), []).append(int(listing_id))
    return found


def _describe(change: RuleChange) -> str:
    if change.change == "added":
        after = change.after or {}
        return f"new rule {change.code}: {after.get('title', '')}"
    if change.change == "removed":
        return f"rule {change.code} removed"
    before, after = change.before or {}, change.after or {}
    parts = [f"{f} {before.get(f)!r} → {after.get(f)!r}" for f in change.fields if f != "source"]
    return f"rule {change.code} changed: " + ("; ".join(parts) or "source updated")


def import_rule_set(session: Session, *, data: RuleSetIn, actor: Actor) -> RuleImportRead:
    """2.3.2 Import a new version of a platform's rules: the diff against the version before,
    the stores (and listings) it affects, and one follow-up task per store and change."""
    actor.require(Permission.MARKET_MANAGE)
    key = _platform(data.platform)
    version = data.version.strip()
    _check_rules(data.rules)
    exists = session.scalar(
        company_scoped(select(PlatformRuleSet.id), PlatformRuleSet, actor).where(
            PlatformRuleSet.platform == key, PlatformRuleSet.version == version
        )
    )
    if exists is not None:
        raise DuplicateRuleSet(
            f"{key} rules version {version!r} are already imported", field="version"
        )
    previous = current_rule_set(session, platform=key, actor=actor)
    changes = diff_rules(previous.rules if previous else [], data.rules)
    row = PlatformRuleSet(
        company_id=actor.company_id,
        platform=key,
        version=version,
        effective_from=data.effective_from,
        source=data.source.strip()[:400],
        imported_by=actor.label,
    )
    session.add(row)
    session.flush()
    for rule in data.rules:
        session.add(
            PlatformRule(
                rule_set_id=row.id,
                code=rule.code.strip(),
                category=rule.category,
                title=rule.title.strip(),
                text=rule.text,
                metric=rule.metric,
                comparator=rule.comparator,
                threshold=rule.threshold,
                unit=rule.unit,
                window_days=rule.window_days,
                params=rule.params,
                source=rule.source,
                source_date=rule.source_date,
            )
        )
    session.flush()
    stores = list(
        session.scalars(
            scoped(select(Store), Store, actor)
            .where(Store.platform == Platform(key))
            .order_by(Store.id)
        )
    )
    banned = sorted(
        {
            term
            for rule in data.rules
            for term in rule.params.get("banned_title_terms", [])
            if any(c.code == rule.code for c in changes)
        }
    )
    listings = affected_listings(
        session, store_ids=[s.id for s in stores], banned_terms=banned, actor=actor
    )
    due = max(data.effective_from, utcnow().date())
    tasks: list[FollowUpTask] = []
    for store in stores:
        for change in changes:
            detail = _describe(change)
            hits = listings.get(store.id, []) if change.change != "removed" else []
            after = change.after or {}
            if hits and after.get("params", {}).get("banned_title_terms"):
                sample = ", ".join(str(i) for i in hits[:SAMPLE_LISTINGS])
                detail += f". {len(hits)} active listing(s) carry a banned term: {sample}"
                if len(hits) > SAMPLE_LISTINGS:
                    detail += " …"
            task = FollowUpTask(
                company_id=actor.company_id,
                store_id=store.id,
                rule_set_id=row.id,
                rule_code=change.code,
                task_code="2.3.2",
                title=f"{store.name}: adjust to {key} rules {version} ({change.change} {change.code})"[
                    :300
                ],
                detail=detail,
                status=FollowUpStatus.OPEN,
                due_on=due,
            )
            session.add(task)
            tasks.append(task)
    session.flush()
    record_audit(
        session,
        action="market.rules_imported",
        actor=actor,
        target_type="platform_rule_set",
        target_id=row.id,
        changes=len(changes),
        follow_ups=len(tasks),
    )
    return RuleImportRead(
        rule_set=_set_read(session, row),
        previous_version=previous.version if previous else None,
        changes=changes,
        affected_store_ids=[s.id for s in stores],
        follow_ups=[FollowUpRead.model_validate(t) for t in tasks],
    )


def list_follow_ups(
    session: Session, *, actor: Actor, status: FollowUpStatus | None = None
) -> list[FollowUpRead]:
    """2.3.2 Follow-up tasks of the actor's stores (and company-wide ones), open first."""
    actor.require(Permission.MARKET_READ)
    stmt = company_scoped(select(FollowUpTask), FollowUpTask, actor).where(
        (FollowUpTask.store_id.is_(None)) | FollowUpTask.store_id.in_(sorted(actor.store_ids))
    )
    if status is not None:
        stmt = stmt.where(FollowUpTask.status == status)
    rows = session.scalars(stmt.order_by(FollowUpTask.status, FollowUpTask.due_on, FollowUpTask.id))
    return [FollowUpRead.model_validate(r) for r in rows]


def change_follow_up(
    session: Session, *, task_id: int, status: FollowUpStatus | str, actor: Actor
) -> FollowUpRead:
    """2.3.2 Move a follow-up task along open → in progress → done (or dismissed)."""
    actor.require(Permission.MARKET_MANAGE)
    task = get_company_scoped(session, FollowUpTask, task_id, actor, what="follow-up task")
    if task.store_id is not None:
        get_scoped(session, Store, task.store_id, actor, what="follow-up task")
    try:
        target = FollowUpStatus(status)
    except ValueError:
        options = ", ".join(s.value for s in FollowUpStatus)
        raise InvalidInput(
            f"unknown status {status!r}; choose one of: {options}", field="status"
        ) from None
    before = task.status
    task.status = follow_up_transition(task.status, target)
    if target in (FollowUpStatus.DONE, FollowUpStatus.DISMISSED):
        task.closed_at = utcnow()
    session.flush()
    record_audit(
        session,
        action="market.follow_up_changed",
        actor=actor,
        target_type="follow_up_task",
        target_id=task.id,
        before=before.value,
        after=target.value,
    )
    return FollowUpRead.model_validate(task)
