"""The playbook: a store's tasks of the standard with owner, due date, status and evidence."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.standard import playbook as service
from storeops.standard.schemas import (
    DueItemRead,
    ItemAssign,
    ItemDone,
    ItemSkip,
    PlaybookItemRead,
    StepProgressRead,
)
from storeops.stores.service import get_store

router = APIRouter(prefix="/playbook", tags=["playbook"])

Reader = Annotated[Actor, Depends(require(Permission.PLAYBOOK_READ))]
Manager = Annotated[Actor, Depends(require(Permission.PLAYBOOK_MANAGE))]
OnDay = Annotated[
    dt.date | None, Query(description="a day in the store's timezone (default: today there)")
]


@router.get("/stores/{store_id}", response_model=list[PlaybookItemRead])
def list_items(
    store_id: int,
    session: DbSession,
    actor: Reader,
    on: OnDay = None,
    status: Annotated[str | None, Query(description="open, done or skipped")] = None,
) -> list[PlaybookItemRead]:
    """The store's playbook items of the periods containing ``on`` (all periods without it)."""
    store = get_store(session, store_id=store_id, actor=actor)
    items = service.list_items(session, store=store, actor=actor, on=on, status=status)
    return [PlaybookItemRead.model_validate(i) for i in items]


@router.post("/stores/{store_id}/generate", response_model=list[PlaybookItemRead])
def generate(
    store_id: int, session: DbSession, actor: Manager, on: OnDay = None
) -> list[PlaybookItemRead]:
    """Instantiate the tasks that apply to the store for the periods containing ``on``, with evidence."""
    store = get_store(session, store_id=store_id, actor=actor)
    items = service.generate_playbook(session, store=store, actor=actor, on=on)
    return [PlaybookItemRead.model_validate(i) for i in items]


@router.get("/stores/{store_id}/workflow", response_model=list[StepProgressRead])
def workflow(
    store_id: int, session: DbSession, actor: Reader, on: OnDay = None
) -> list[StepProgressRead]:
    """Progress of each of the 18 steps of clause 5 (Figure A.1) for the store."""
    store = get_store(session, store_id=store_id, actor=actor)
    steps = service.workflow_progress(session, store=store, actor=actor, on=on)
    return [
        StepProgressRead(code=s.code, order=s.order, title_zh=s.title_zh, title_en=s.title_en,
                         applies=s.applies, tasks=s.tasks, done=s.done, overdue=s.overdue,
                         percent=s.percent)
        for s in steps
    ]  # fmt: skip


@router.get("/due", response_model=list[DueItemRead])
def due(
    session: DbSession,
    actor: Reader,
    user_id: Annotated[int | None, Query(description="whose items (default: yours)")] = None,
    within_days: Annotated[int, Query(ge=0, le=90, description="also items due soon")] = 0,
) -> list[DueItemRead]:
    """The "today" view: open items due today or overdue, in each store's timezone."""
    found = service.due_items(session, actor=actor, user_id=user_id, within_days=within_days)
    return [
        DueItemRead(
            **PlaybookItemRead.model_validate(d.item).model_dump(),
            store_name=d.store_name,
            overdue_days=d.overdue_days,
        )
        for d in found
    ]


@router.post("/items/{item_id}/done", response_model=PlaybookItemRead)
def done(item_id: int, body: ItemDone, session: DbSession, actor: Manager) -> PlaybookItemRead:
    """Mark an item done with links to its evidence."""
    item = service.get_item(session, item_id=item_id, actor=actor)
    service.complete_item(session, item=item, actor=actor, evidence=body.evidence, note=body.note)
    return PlaybookItemRead.model_validate(item)


@router.post("/items/{item_id}/skip", response_model=PlaybookItemRead)
def skip(item_id: int, body: ItemSkip, session: DbSession, actor: Manager) -> PlaybookItemRead:
    """Mark an item not applicable for its period, with the reason."""
    item = service.get_item(session, item_id=item_id, actor=actor)
    return PlaybookItemRead.model_validate(
        service.skip_item(session, item=item, actor=actor, reason=body.reason)
    )


@router.post("/items/{item_id}/reopen", response_model=PlaybookItemRead)
def reopen(item_id: int, session: DbSession, actor: Manager) -> PlaybookItemRead:
    """Reopen a done or skipped item."""
    item = service.get_item(session, item_id=item_id, actor=actor)
    return PlaybookItemRead.model_validate(service.reopen_item(session, item=item, actor=actor))


@router.put("/items/{item_id}/owner", response_model=PlaybookItemRead)
def assign(item_id: int, body: ItemAssign, session: DbSession, actor: Manager) -> PlaybookItemRead:
    """Give an item to a member who works on its store."""
    item = service.get_item(session, item_id=item_id, actor=actor)
    return PlaybookItemRead.model_validate(
        service.assign_item(session, item=item, actor=actor, owner_user_id=body.owner_user_id)
    )
