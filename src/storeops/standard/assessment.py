"""The assessment: how well a store was run by T/CCPITCSC 111-2022 over a period.

For every task of the standard a **finding** — evidenced, partly, missing or not applicable —
from the automated checks (``standard.checks``) where a task has one, otherwise from the
playbook's evidence of the period. Scores: each applicable task earns 1 (evidenced), 0.5 (partly)
or 0 (missing); a stage's score is its tasks' mean × 100; the overall score is the mean over all
applicable tasks × 100, so every task weighs the same and a stage weighs as many tasks as it has
(``WEIGHTING``). The same data and period give the same report (deterministic: no clock, no
random, ordered queries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.errors import InvalidInput
from storeops.standard.catalog import load_catalog
from storeops.standard.checks import STATUS_CREDIT, Check, Outcome, Status, registered_checks
from storeops.standard.enums import PlaybookStatus
from storeops.standard.figures import Window
from storeops.standard.models import PlaybookItem
from storeops.standard.playbook import probe_evidence, store_model
from storeops.stores.models import Store

WEIGHTING: Final = (
    "Each applicable task earns 1 (evidenced), 0.5 (partly) or 0 (missing); not applicable tasks "
    "are left out. A stage's score is the mean of its tasks x 100; the overall score is the mean of "
    "all applicable tasks x 100, i.e. the stages weighted by their number of applicable tasks. A "
    "task with automated checks takes the worst of their outcomes; other tasks are judged on the "
    "playbook's evidence for the period (all items done: evidenced; some: partly; none: missing), "
    "or, without playbook items, on the records storeops sees for the task (found: evidenced)."
)
MAX_PERIOD_DAYS: Final = 3 * 366
TOP_GAPS: Final = 10
_SEVERITY: Final[dict[str, int]] = {"missing": 0, "partly": 1, "evidenced": 2, "not_applicable": 3}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One automated check's outcome in a finding."""

    check_id: str
    title: str
    threshold: str
    source: str
    status: Status
    detail: str
    measured: dict[str, Any]
    records: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """The assessment of one task of the standard."""

    code: str
    stage: int
    title_zh: str
    title_en: str
    status: Status
    basis: str  # "automated" | "records" | "playbook" | "model"
    evidence: tuple[str, ...]
    checks: tuple[CheckResult, ...]
    action: str


@dataclass(frozen=True, slots=True)
class StageScore:
    """Score of one operation stage."""

    stage: int
    name_zh: str
    name_en: str
    applicable: int
    evidenced: int
    partly: int
    missing: int
    score: Decimal


@dataclass(frozen=True)
class Assessment:
    """A store's assessment over a period, with its findings and scores."""

    store_id: int
    store_name: str
    business_model: str
    platform: str
    start: dt.date
    end: dt.date
    standard: str
    findings: tuple[Finding, ...]
    stages: tuple[StageScore, ...]
    overall: Decimal
    weighting: str = WEIGHTING
    gaps: tuple[Finding, ...] = field(default=())

    def finding(self, code: str) -> Finding:
        """The finding of task ``code``."""
        for f in self.findings:
            if f.code == code:
                return f
        raise KeyError(code)

    def as_dict(self) -> dict[str, Any]:
        """The assessment as JSON-ready data (the ``--format json`` output)."""
        return {
            "store": {
                "id": self.store_id,
                "name": self.store_name,
                "business_model": self.business_model,
                "platform": self.platform,
            },
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "standard": self.standard,
            "scores": {
                "overall": str(self.overall),
                "stages": [
                    {
                        "stage": s.stage,
                        "name_zh": s.name_zh,
                        "name_en": s.name_en,
                        "applicable": s.applicable,
                        "evidenced": s.evidenced,
                        "partly": s.partly,
                        "missing": s.missing,
                        "score": str(s.score),
                    }
                    for s in self.stages
                ],
                "weighting": self.weighting,
            },
            "findings": [_finding_dict(f) for f in self.findings],
            "top_gaps": [
                {"code": f.code, "status": f.status, "action": f.action, "title_en": f.title_en}
                for f in self.gaps
            ],
        }


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "stage": f.stage,
        "title_zh": f.title_zh,
        "title_en": f.title_en,
        "status": f.status,
        "basis": f.basis,
        "evidence": list(f.evidence),
        "checks": [
            {
                "id": c.check_id,
                "title": c.title,
                "status": c.status,
                "detail": c.detail,
                "threshold": c.threshold,
                "source": c.source,
                "measured": c.measured,
                "records": list(c.records),
            }
            for c in f.checks
        ],
        "action": f.action,
    }


def _worst(statuses: Sequence[Status]) -> Status:
    return min(statuses, key=lambda s: _SEVERITY[s])


def _run(check: Check, session: Session, store: Store, window: Window) -> CheckResult:
    outcome: Outcome = check.measure(session, store, window)
    return CheckResult(
        check_id=check.id,
        title=check.title,
        threshold=check.threshold,
        source=check.source,
        status=outcome.status,
        detail=outcome.detail,
        measured=outcome.measured,
        records=outcome.records,
    )


def _playbook_status(items: list[PlaybookItem]) -> tuple[Status, tuple[str, ...]]:
    counted = [i for i in items if i.status != PlaybookStatus.SKIPPED]
    if items and not counted:
        return "not_applicable", tuple(f"skipped: {i.note}" for i in items[:3])
    done = [i for i in counted if i.status == PlaybookStatus.DONE]
    evidence = tuple(
        f"{i.period_start.isoformat()}: {e.get('label') or e.get('ref')}"
        for i in done
        for e in (i.evidence or [])
    )[:5]
    if counted and len(done) == len(counted):
        return "evidenced", evidence
    if done:
        return "partly", evidence
    return "missing", ()


def assess_store(
    session: Session, *, store: Store, actor: Actor, start: dt.date, end: dt.date
) -> Assessment:
    """Assess ``store`` over ``start``..``end`` (store-local dates) against every task of the standard."""
    actor.require(Permission.ASSESSMENT_RUN)
    get_scoped(session, Store, store.id, actor, what="store")
    if end < start:
        raise InvalidInput(f"the period ends ({end}) before it starts ({start})", field="to")
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise InvalidInput(f"a period is at most {MAX_PERIOD_DAYS} days", field="to")
    catalog = load_catalog()
    model = store_model(store)
    window = Window.local(start, end, store.timezone)
    by_task: dict[str, list[tuple[Check, CheckResult]]] = {}
    for chk in registered_checks():
        if not chk.concerns(model):
            continue
        result = _run(chk, session, store, window)
        for code in chk.task_codes:
            by_task.setdefault(code, []).append((chk, result))
    items: dict[str, list[PlaybookItem]] = {}
    for item in session.scalars(
        select(PlaybookItem)
        .where(
            PlaybookItem.store_id == store.id,
            (PlaybookItem.due_on >= start) | (PlaybookItem.cadence == "once"),
            PlaybookItem.period_start <= end,
        )
        .order_by(PlaybookItem.period_start, PlaybookItem.id)
    ):
        items.setdefault(item.task_code, []).append(item)
    findings: list[Finding] = []
    for task in catalog.tasks:
        if not task.concerns(model):
            findings.append(
                Finding(
                    task.code,
                    task.stage,
                    task.title_zh,
                    task.title_en,
                    "not_applicable",
                    "model",
                    (),
                    (),
                    "",
                )
            )
            continue
        checked = by_task.get(task.code, [])
        results = tuple(r for _, r in checked)
        measured = [r.status for r in results if r.status != "not_applicable"]
        if measured:
            status = _worst(measured)
            basis = "automated"
            evidence = tuple(r.detail for r in results)
            action = next((c.action for c, r in checked if r.status == status), "")
            if status == "evidenced":
                action = ""
        elif results:
            status, basis, evidence, action = (
                "not_applicable",
                "automated",
                tuple(r.detail for r in results),
                "",
            )
        elif (
            task.code not in items
            and (found := probe_evidence(session, store, task.code, window)) is not None
        ):
            # no playbook item in the period, but storeops can see the task's records itself
            status = "evidenced" if found else "missing"
            basis = "records"
            evidence = tuple(str(e["label"]) for e in found)
            action = (
                ""
                if found
                else f"Do task {task.code} ({task.title_en}); storeops found no record of it in the period."
            )
        else:
            status, evidence = _playbook_status(items.get(task.code, []))
            basis = "playbook"
            action = (
                ""
                if status in ("evidenced", "not_applicable")
                else f"Do task {task.code} ({task.title_en}) at its {task.cadence.replace('_', ' ')} "
                "cadence and attach the evidence in the playbook."
            )
        findings.append(
            Finding(
                task.code,
                task.stage,
                task.title_zh,
                task.title_en,
                status,
                basis,
                evidence,
                results,
                action,
            )
        )
    stages = tuple(_stage_score(catalog.stage(n.number).number, findings) for n in catalog.stages)
    applicable = [f for f in findings if f.status != "not_applicable"]
    overall = _score(applicable)
    gaps = sorted(
        (f for f in applicable if f.status in ("missing", "partly")),
        key=lambda f: (f.basis != "automated", _SEVERITY[f.status], _code_key(f.code)),
    )[:TOP_GAPS]
    return Assessment(
        store_id=store.id,
        store_name=store.name,
        business_model=model,
        platform=store.platform.value,
        start=start,
        end=end,
        standard=catalog.standard,
        findings=tuple(findings),
        stages=tuple(s for s in stages if s.applicable),
        overall=overall,
        gaps=tuple(gaps),
    )


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


def _score(findings: list[Finding]) -> Decimal:
    if not findings:
        return Decimal("0.0")
    credit = sum((STATUS_CREDIT[f.status] for f in findings), Decimal(0))
    return (credit * 100 / len(findings)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _stage_score(number: int, findings: list[Finding]) -> StageScore:
    stage = load_catalog().stage(number)
    mine = [f for f in findings if f.stage == number and f.status != "not_applicable"]
    return StageScore(
        stage=number,
        name_zh=stage.name_zh,
        name_en=stage.name_en,
        applicable=len(mine),
        evidenced=sum(1 for f in mine if f.status == "evidenced"),
        partly=sum(1 for f in mine if f.status == "partly"),
        missing=sum(1 for f in mine if f.status == "missing"),
        score=_score(mine),
    )


@dataclass(frozen=True, slots=True)
class Change:
    """How one task's finding moved between two assessments."""

    code: str
    before: Status
    after: Status
    direction: str  # improved | worsened


def compare(before: Assessment, after: Assessment) -> dict[str, Any]:
    """What improved and what worsened from ``before`` to ``after`` (same store, two periods)."""
    if before.store_id != after.store_id:
        raise InvalidInput("compare assessments of the same store", field="store")
    changes: list[Change] = []
    old = {f.code: f.status for f in before.findings}
    for f in after.findings:
        was = old.get(f.code)
        if was is None or was == f.status or "not_applicable" in (was, f.status):
            continue
        direction = "improved" if _SEVERITY[f.status] > _SEVERITY[was] else "worsened"
        changes.append(Change(f.code, was, f.status, direction))
    return {
        "store_id": after.store_id,
        "before": {"from": before.start.isoformat(), "to": before.end.isoformat(),
                   "overall": str(before.overall)},
        "after": {"from": after.start.isoformat(), "to": after.end.isoformat(),
                  "overall": str(after.overall)},
        "overall_change": str(after.overall - before.overall),
        "improved": [c.code for c in changes if c.direction == "improved"],
        "worsened": [c.code for c in changes if c.direction == "worsened"],
        "changes": [
            {"code": c.code, "before": c.before, "after": c.after, "direction": c.direction}
            for c in changes
        ],
        "stages": [
            {"stage": a.stage, "before": str(b.score), "after": str(a.score)}
            for a in after.stages
            for b in before.stages
            if a.stage == b.stage
        ],
    }  # fmt: skip
