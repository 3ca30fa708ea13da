"""Stores, platform accounts and sub-accounts, write-only credentials, service hours."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.stores import service
from storeops.stores.schemas import (
    AccountCreate,
    AccountRead,
    CredentialWrite,
    ServiceHoursReport,
    ServiceWindow,
    StoreCreate,
    StoreRead,
    StoreStatusChange,
)

router = APIRouter(tags=["stores"])


Reader = Annotated[Actor, Depends(require(Permission.STORE_READ))]


@router.get("/stores", response_model=list[StoreRead])
def list_stores(session: DbSession, actor: Reader) -> list[StoreRead]:
    """The stores you work on."""
    return [StoreRead.model_validate(s) for s in service.list_stores(session, actor=actor)]


@router.post("/stores", response_model=StoreRead, status_code=status.HTTP_201_CREATED)
def open_store(
    body: StoreCreate,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.STORE_CREATE))],
) -> StoreRead:
    """2.1.1 / 2.2.1 Register a store (status ``preparing``)."""
    return StoreRead.model_validate(service.open_store(session, actor=actor, data=body))


@router.get("/stores/{store_id}", response_model=StoreRead)
def get_store(store_id: int, session: DbSession, actor: Reader) -> StoreRead:
    """One of your stores."""
    return StoreRead.model_validate(service.get_store(session, store_id=store_id, actor=actor))


@router.post("/stores/{store_id}/status", response_model=StoreRead)
def change_status(
    store_id: int,
    body: StoreStatusChange,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.STORE_UPDATE))],
) -> StoreRead:
    """Move a store along preparing → active → suspended → closed."""
    store = service.get_store(session, store_id=store_id, actor=actor)
    return StoreRead.model_validate(
        service.change_store_status(session, store=store, status=body.status, actor=actor)
    )


@router.get("/stores/{store_id}/accounts", response_model=list[AccountRead])
def list_accounts(
    store_id: int,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.ACCOUNT_READ))],
) -> list[AccountRead]:
    """2.1.2 / 2.2.2 The store's platform accounts and sub-accounts (credentials never shown)."""
    store = service.get_store(session, store_id=store_id, actor=actor)
    return [
        service.account_read(a)
        for a in service.list_platform_accounts(session, store=store, actor=actor)
    ]


@router.post(
    "/stores/{store_id}/accounts", response_model=AccountRead, status_code=status.HTTP_201_CREATED
)
def add_account(
    store_id: int,
    body: AccountCreate,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.ACCOUNT_MANAGE))],
) -> AccountRead:
    """2.1.2 / 2.2.2 Record the store's account, or open a sub-account under it."""
    store = service.get_store(session, store_id=store_id, actor=actor)
    account = service.add_platform_account(
        session,
        store=store,
        actor=actor,
        login=body.login,
        kind=body.kind,
        parent_id=body.parent_id,
        purpose=body.purpose,
    )
    return service.account_read(account)


@router.put("/accounts/{account_id}/credential", status_code=status.HTTP_204_NO_CONTENT)
def set_credential(
    account_id: int,
    body: CredentialWrite,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.CREDENTIAL_WRITE))],
) -> Response:
    """Store the account's credential encrypted at rest. Write-only: no route ever returns it."""
    account = service.get_platform_account(session, account_id=account_id, actor=actor)
    service.set_account_credential(session, account=account, secret=body.secret, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/stores/{store_id}/service-hours", response_model=ServiceHoursReport)
def service_hours(store_id: int, session: DbSession, actor: Reader) -> ServiceHoursReport:
    """7.3.2 The store's service hours and whether they meet 7 days x 8 hours."""
    store = service.get_store(session, store_id=store_id, actor=actor)
    return service.service_hours_report(session, store=store, actor=actor)


@router.put("/stores/{store_id}/service-hours", response_model=ServiceHoursReport)
def set_service_hours(
    store_id: int,
    body: list[ServiceWindow],
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.SERVICE_HOURS_MANAGE))],
) -> ServiceHoursReport:
    """7.3.2 Replace the store's service hours (local time); returns the compliance report."""
    store = service.get_store(session, store_id=store_id, actor=actor)
    return service.set_service_hours(session, store=store, windows=body, actor=actor)
