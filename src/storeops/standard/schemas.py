"""Pydantic views of the task catalog, as the API returns them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from storeops.standard.catalog import AppliesTo, Cadence, Catalog, Task
from storeops.standard.enums import PlaybookStatus


class StageRead(BaseModel):
    """One of the 9 operation stages of Table 1."""

    model_config = ConfigDict(from_attributes=True)

    number: int = Field(ge=1, le=9, examples=[3])
    name_zh: str = Field(examples=["产品呈现"])
    name_en: str = Field(examples=["Product presentation"])
    note: str | None = None


class WorkItemRead(BaseModel):
    """A work item of Table 1 (e.g. 3.2 产品上架、管理与优化 B2B)."""

    model_config = ConfigDict(from_attributes=True)

    code: str = Field(examples=["3.2"])
    stage: int = Field(ge=1, le=9)
    name_zh: str
    name_en: str
    applies_to: AppliesTo
    note: str | None = None


class StageWithWorkItems(StageRead):
    """A stage and its work items."""

    work_items: list[WorkItemRead]


class StepRead(BaseModel):
    """A workflow step of clause 5 (a box of Figure A.1)."""

    model_config = ConfigDict(from_attributes=True)

    code: str = Field(examples=["5.13"])
    order: int = Field(ge=1, description="position in the flow of Figure A.1")
    title_zh: str = Field(examples=["物流甄选"])
    title_en: str = Field(examples=["Logistics selection"])
    text_zh: str
    applies_to: AppliesTo
    note: str | None = None


class TaskRead(BaseModel):
    """A task code of Table 1 with its requirement text and storeops' reading of it."""

    model_config = ConfigDict(from_attributes=True)

    code: str = Field(examples=["3.2.6"])
    stage: int = Field(ge=1, le=9)
    work_item: str = Field(examples=["3.2"])
    title_zh: str = Field(examples=["零效果产品管理"])
    title_en: str = Field(examples=["Manage zero-effect products"])
    requirement_zh: str = Field(description="the requirement text as printed in the standard")
    applies_to: AppliesTo
    cadence: Cadence
    steps: list[str] = Field(description="codes of the clause 5 workflow steps", examples=[["5.7"]])
    note: str | None = None
    duplicate_of: str | None = None


class TaskDetail(TaskRead):
    """A task with its stage, work item and workflow steps spelled out."""

    stage_name_zh: str
    stage_name_en: str
    work_item_name_zh: str
    work_item_name_en: str
    workflow_steps: list[StepRead]

    @classmethod
    def of(cls, task: Task, catalog: Catalog) -> TaskDetail:
        """The detail view of ``task`` as found in ``catalog``."""
        stage = catalog.stage(task.stage)
        work_item = catalog.work_item(task.work_item)
        return cls(
            **TaskRead.model_validate(task).model_dump(),
            stage_name_zh=stage.name_zh,
            stage_name_en=stage.name_en,
            work_item_name_zh=work_item.name_zh,
            work_item_name_en=work_item.name_en,
            workflow_steps=[StepRead.model_validate(s) for s in catalog.steps_of(task)],
        )


# --- playbook ---------------------------------------------------------------------------------------


class EvidenceRead(BaseModel):
    """A record or link that shows a task done; ``auto`` when storeops found it itself."""

    kind: str
    ref: str
    label: str
    auto: bool


class PlaybookItemRead(BaseModel):
    """One task of a store's playbook for one period."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    store_id: int
    task_code: str = Field(examples=["7.1.1"])
    cadence: Cadence
    period_start: dt.date = Field(description="first day of the period, store's timezone")
    due_on: dt.date = Field(description="due date, store's timezone")
    owner_user_id: int | None
    status: PlaybookStatus
    completed_at: dt.datetime | None
    completed_by_user_id: int | None
    evidence: list[EvidenceRead]
    note: str


class DueItemRead(PlaybookItemRead):
    """An item of the "today" view: due today (0), overdue (> 0) or due soon (< 0)."""

    store_name: str
    overdue_days: int


class ItemDone(BaseModel):
    """Mark an item done: links to what shows it (required unless storeops found evidence)."""

    model_config = ConfigDict(extra="forbid")

    evidence: list[str] = Field(default_factory=list, max_length=20)
    note: str = Field(default="", max_length=2000)


class ItemSkip(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class ItemAssign(BaseModel):
    model_config = ConfigDict(extra="forbid")

    owner_user_id: int


class StepProgressRead(BaseModel):
    """Progress of one step of the clause 5 workflow for a store."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    order: int
    title_zh: str
    title_en: str
    applies: bool
    tasks: int
    done: int
    overdue: int
    percent: int


class CheckRead(BaseModel):
    """An automated check of the assessment: what it measures, against what, and why."""

    id: str
    task_codes: list[str]
    title: str
    threshold: str
    source: str
    action: str
    applies_to: AppliesTo
