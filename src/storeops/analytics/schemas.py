"""Pydantic shapes of the analytics API: metric definitions and computed reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from storeops.analytics.metrics import MetricReport
from storeops.analytics.registry import METRICS, RANKINGS


class MetricDefinition(BaseModel):
    """A metric or ranking of the registry."""

    slug: str
    kind: str  # metric | ranking
    name_en: str
    name_zh: str
    unit: str
    formula: str
    grain: str
    by: list[str]
    task_codes: list[str]


class FigureRead(BaseModel):
    """One value: money as an exact decimal string in major units, ratios as 0..1 strings."""

    metric: str
    name: str
    name_zh: str
    unit: str
    group: str | None
    value: int | str | None
    currency: str | None
    display: str
    reason: str | None


class RankRowRead(BaseModel):
    metric: str
    rank: int
    key: str
    label: str
    value: int | str | None
    share: str | None
    display: str


class MetricReportRead(BaseModel):
    """The figures of one store for one period."""

    store_id: int
    store_name: str
    currency: str
    timezone: str
    start: dt.date
    end: dt.date
    by: str | None
    figures: list[FigureRead]
    rankings: dict[str, list[RankRowRead]]

    @classmethod
    def of(cls, report: MetricReport) -> MetricReportRead:
        return cls(
            store_id=report.store_id,
            store_name=report.store_name,
            currency=report.currency,
            timezone=report.timezone,
            start=report.start,
            end=report.end,
            by=report.by,
            figures=[FigureRead(**f.as_dict()) for f in report.figures],
            rankings={
                k: [RankRowRead(**r.as_dict()) for r in v] for k, v in report.rankings.items()
            },
        )


def definitions() -> list[MetricDefinition]:
    """Every metric and ranking of the registry."""
    out: list[MetricDefinition] = [
        MetricDefinition(
            slug=m.slug,
            kind="metric",
            name_en=m.name_en,
            name_zh=m.name_zh,
            unit=m.unit.value,
            formula=m.formula,
            grain=m.grain.value,
            by=sorted(m.dims()),
            task_codes=list(m.task_codes),
        )
        for m in METRICS
    ]
    out += [
        MetricDefinition(
            slug=r.slug,
            kind="ranking",
            name_en=r.name_en,
            name_zh=r.name_zh,
            unit=r.unit.value,
            formula=r.formula,
            grain=r.key,
            by=[],
            task_codes=list(r.task_codes),
        )
        for r in RANKINGS
    ]
    return out


def as_rows(items: list[MetricDefinition]) -> list[dict[str, Any]]:
    return [i.model_dump() for i in items]
