"""The assessment of a store against T/CCPITCSC 111-2022: findings, scores, report, comparison."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.standard.assessment import assess_store, compare
from storeops.standard.checks import registered_checks
from storeops.standard.report import report_html, report_pdf
from storeops.standard.schemas import CheckRead
from storeops.stores.service import get_store

router = APIRouter(prefix="/assessment", tags=["assessment"])

Assessor = Annotated[Actor, Depends(require(Permission.ASSESSMENT_RUN))]
From = Annotated[dt.date, Query(alias="from", description="first day, store's timezone")]
To = Annotated[dt.date, Query(alias="to", description="last day, inclusive")]


@router.get("/checks", response_model=list[CheckRead])
def checks(actor: Assessor) -> list[CheckRead]:
    """The automated checks: task codes, threshold and its source, recommended action."""
    return [
        CheckRead(id=c.id, task_codes=list(c.task_codes), title=c.title, threshold=c.threshold,
                  source=c.source, action=c.action, applies_to=c.applies_to)
        for c in registered_checks()
    ]  # fmt: skip


@router.get("/stores/{store_id}")
def assess(
    store_id: int, start: From, end: To, session: DbSession, actor: Assessor
) -> dict[str, Any]:
    """A finding for each task, scores per stage and overall, the top gaps (the JSON report)."""
    store = get_store(session, store_id=store_id, actor=actor)
    return assess_store(session, store=store, actor=actor, start=start, end=end).as_dict()


@router.get("/stores/{store_id}/report.html")
def report_as_html(
    store_id: int, start: From, end: To, session: DbSession, actor: Assessor
) -> Response:
    """The assessment report as HTML."""
    store = get_store(session, store_id=store_id, actor=actor)
    assessment = assess_store(session, store=store, actor=actor, start=start, end=end)
    return Response(report_html(assessment), media_type="text/html; charset=utf-8")


@router.get("/stores/{store_id}/report.pdf")
def report_as_pdf(
    store_id: int, start: From, end: To, session: DbSession, actor: Assessor
) -> Response:
    """The assessment report as PDF."""
    store = get_store(session, store_id=store_id, actor=actor)
    assessment = assess_store(session, store=store, actor=actor, start=start, end=end)
    name = f"assessment-{store.id}-{start}-{end}.pdf"
    return Response(report_pdf(assessment), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/stores/{store_id}/compare")
def compare_periods(
    store_id: int,
    start: From,
    end: To,
    before_from: Annotated[dt.date, Query(description="first day of the earlier period")],
    before_to: Annotated[dt.date, Query(description="last day of the earlier period")],
    session: DbSession,
    actor: Assessor,
) -> dict[str, Any]:
    """What improved and what worsened between an earlier period and this one."""
    store = get_store(session, store_id=store_id, actor=actor)
    before = assess_store(session, store=store, actor=actor, start=before_from, end=before_to)
    after = assess_store(session, store=store, actor=actor, start=start, end=end)
    return compare(before, after)
