"""Analytics: the metric registry and a store's figures for a period (clause 6)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from storeops.analytics.metrics import compute_metrics, open_warehouse
from storeops.analytics.schemas import MetricDefinition, MetricReportRead, definitions
from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor

router = APIRouter(tags=["analytics"])

Reader = Annotated[Actor, Depends(require(Permission.ANALYTICS_READ))]


@router.get("/analytics/metrics", response_model=list[MetricDefinition])
def list_metrics(actor: Reader) -> list[MetricDefinition]:
    """Every metric and ranking: slug, names, unit, formula, grain, breakdowns, task codes."""
    return definitions()


@router.get("/analytics/stores/{store_id}/metrics", response_model=MetricReportRead)
def store_metrics(
    store_id: int,
    session: DbSession,
    actor: Reader,
    start: Annotated[dt.date, Query(alias="from", description="First store-local day.")],
    end: Annotated[dt.date, Query(alias="to", description="Last store-local day, included.")],
    metric: Annotated[
        list[str] | None, Query(description="Metric or ranking slugs; all when omitted.")
    ] = None,
    by: Annotated[
        Literal["day", "week", "month", "country", "source", "sku"] | None,
        Query(description="Break the figures down."),
    ] = None,
) -> MetricReportRead:
    """6.1.3 / 6.1.6 / 6.1.7 / 6.2.1–6.2.5 The store's figures from the analytics warehouse.

    Values that cannot be computed are ``null`` with a ``reason`` (display "—").
    """
    with open_warehouse() as reader:
        report = compute_metrics(
            session,
            actor=actor,
            reader=reader,
            store_id=store_id,
            start=start,
            end=end,
            metrics=metric,
            by=by,
        )
    return MetricReportRead.of(report)
