"""Pydantic views of the task catalog, as the API returns them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from storeops.standard.catalog import AppliesTo, Cadence, Catalog, Task


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
