"""Analytics: the metric registry and a store's figures for a period (clause 6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from storeops.analytics.metrics import compute_metrics, open_warehouse, order_rows
from storeops.analytics.rfm import buyer_rfm, rfm_segments
from storeops.analytics.schemas import MetricDefinition, MetricReportRead, definitions
from storeops.analytics.warehouse import sync_warehouse
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


class RfmRead(BaseModel):
    """7.2.3 Paying buyers per RFM segment, and the best-scored buyers."""

    segments: dict[str, int]
    buyers: list[dict[str, int | str]]


@router.get("/analytics/stores/{store_id}/rfm", response_model=RfmRead)
def store_rfm(
    store_id: int,
    session: DbSession,
    actor: Reader,
    start: Annotated[dt.date, Query(alias="from", description="First store-local day.")],
    end: Annotated[dt.date, Query(alias="to", description="Last store-local day, included.")],
    buyers: Annotated[int, Query(ge=0, le=1000, description="How many buyers to list.")] = 20,
) -> RfmRead:
    """7.2.3 RFM segments of the store's paying buyers over the period (ties share a bin)."""
    with open_warehouse() as reader:
        segments = rfm_segments(
            session, actor=actor, reader=reader, store_id=store_id, start=start, end=end
        )
        scored = (
            buyer_rfm(
                session, actor=actor, reader=reader, store_id=store_id, start=start, end=end,
                limit=buyers,
            )
            if buyers
            else []
        )  # fmt: skip
    return RfmRead(segments=segments, buyers=[asdict(b) for b in scored])


class SyncRead(BaseModel):
    rows_read: int
    orders_refreshed: int
    seconds: float


@router.post("/analytics/warehouse/sync", response_model=SyncRead)
def sync(
    request: Request, actor: Annotated[Actor, Depends(require(Permission.IMPORT_RUN))]
) -> SyncRead:
    """Bring the analytics warehouse up to date from this server (which also holds its lock)."""
    engine = request.app.state.engine
    report = sync_warehouse(engine.url.render_as_string(hide_password=False))
    return SyncRead(
        rows_read=report.rows_read,
        orders_refreshed=report.orders_refreshed,
        seconds=round(report.seconds, 3),
    )


class OrderRowRead(BaseModel):
    order_id: int
    external_id: str
    day: dt.date
    status: str
    country: str
    traffic_source: str
    amount: str  # exact decimal in major units
    currency: str
    line_count: int
    units: int


@router.get("/analytics/stores/{store_id}/orders", response_model=list[OrderRowRead])
def store_orders(
    store_id: int,
    session: DbSession,
    actor: Reader,
    start: Annotated[dt.date, Query(alias="from", description="First store-local day.")],
    end: Annotated[dt.date, Query(alias="to", description="Last store-local day, included.")],
    paid: Annotated[bool, Query(description="Only orders that were paid.")] = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> list[OrderRowRead]:
    """6.1.6 Drill-down: the orders of the period behind the figures, newest first."""
    with open_warehouse() as reader:
        rows = order_rows(
            session, actor=actor, reader=reader, store_id=store_id, start=start, end=end,
            paid_only=paid, limit=limit,
        )  # fmt: skip
    return [
        OrderRowRead(
            order_id=r.order_id,
            external_id=r.external_id,
            day=r.day,
            status=r.status,
            country=r.country,
            traffic_source=r.traffic_source,
            amount=str(r.amount.decimal),
            currency=r.amount.currency,
            line_count=r.line_count,
            units=r.units,
        )
        for r in rows
    ]
