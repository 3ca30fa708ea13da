"""The standard T/CCPITCSC 111-2022 as data: its 127 tasks and the 18 workflow steps of clause 5."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from storeops.api.deps import require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.standard.catalog import load_catalog
from storeops.standard.schemas import (
    StageWithWorkItems,
    StepRead,
    TaskDetail,
    TaskRead,
    WorkItemRead,
)

router = APIRouter(prefix="/standard", tags=["standard"])

Reader = Annotated[Actor, Depends(require(Permission.STANDARD_READ))]


@router.get("/tasks", response_model=list[TaskRead])
def list_tasks(
    actor: Reader,
    stage: Annotated[int | None, Query(ge=1, le=9, description="operation stage, 1-9")] = None,
    model: Annotated[
        Literal["b2b", "b2c"] | None,
        Query(description='tasks a b2b or b2c store does ("both" tasks included)'),
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=100, description="code prefix (3.2) or text in the title or requirement"),
    ] = None,
) -> list[TaskRead]:
    """The tasks of Table 1, in code order, filtered by stage, business model and text."""
    tasks = load_catalog().filter(stage=stage, model=model, text=q)
    return [TaskRead.model_validate(t) for t in tasks]


@router.get("/tasks/{code}", response_model=TaskDetail)
def get_task(code: str, actor: Reader) -> TaskDetail:
    """One task with its requirement text, stage, work item and workflow steps (404 if unknown)."""
    catalog = load_catalog()
    return TaskDetail.of(catalog.task(code), catalog)


@router.get("/steps", response_model=list[StepRead])
def list_steps(actor: Reader) -> list[StepRead]:
    """The 18 workflow steps of clause 5, in the order of Figure A.1."""
    return [StepRead.model_validate(s) for s in load_catalog().steps]


@router.get("/stages", response_model=list[StageWithWorkItems])
def list_stages(actor: Reader) -> list[StageWithWorkItems]:
    """The 9 operation stages of Table 1 with their work items."""
    catalog = load_catalog()
    return [
        StageWithWorkItems(
            number=stage.number,
            name_zh=stage.name_zh,
            name_en=stage.name_en,
            note=stage.note,
            work_items=[
                WorkItemRead.model_validate(w)
                for w in catalog.work_items
                if w.stage == stage.number
            ],
        )
        for stage in catalog.stages
    ]
