"""Logistics (stage 9.1): channels and rate cards, shipping templates, the channel chooser."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.logistics import channels as svc
from storeops.logistics.enums import ServiceLevel
from storeops.logistics.schemas import (
    ChannelChoice,
    ChannelCreate,
    ChannelRead,
    RateCard,
    TemplateCreate,
    TemplateRead,
)
from storeops.orders.models import Order
from storeops.stores.models import Store

router = APIRouter(tags=["logistics"])

Reader = Annotated[Actor, Depends(require(Permission.LOGISTICS_READ))]
Manager = Annotated[Actor, Depends(require(Permission.LOGISTICS_MANAGE))]


@router.get("/logistics/channels", response_model=list[ChannelRead])
def list_channels(session: DbSession, actor: Reader) -> list[ChannelRead]:
    """9.1.1 The company's logistics channels and their terms."""
    return svc.list_channels(session, actor=actor)


@router.post("/logistics/channels", response_model=ChannelRead, status_code=status.HTTP_201_CREATED)
def add_channel(body: ChannelCreate, session: DbSession, actor: Manager) -> ChannelRead:
    """9.1.1 Record a carrier's service."""
    channel = svc.add_channel(session, data=body, actor=actor)
    return next(c for c in svc.list_channels(session, actor=actor) if c.id == channel.id)


@router.put("/logistics/channels/{channel_id}/rate-card", response_model=ChannelRead)
def set_rate_card(
    channel_id: int, body: RateCard, session: DbSession, actor: Manager
) -> ChannelRead:
    """9.1.1 Replace a channel's zones, weight bands, surcharges and restricted goods."""
    channel = svc.get_channel(session, channel_id=channel_id, actor=actor)
    svc.set_rate_card(session, channel=channel, card=body, actor=actor)
    return next(c for c in svc.list_channels(session, actor=actor) if c.id == channel.id)


@router.get("/stores/{store_id}/shipping-templates", response_model=list[TemplateRead])
def list_templates(store_id: int, session: DbSession, actor: Reader) -> list[TemplateRead]:
    """3.2.3 The store's shipping templates."""
    store = get_scoped(session, Store, store_id, actor, what="store")
    return svc.list_shipping_templates(session, store=store, actor=actor)


@router.post(
    "/stores/{store_id}/shipping-templates",
    response_model=TemplateRead,
    status_code=status.HTTP_201_CREATED,
)
def create_template(
    store_id: int, body: TemplateCreate, session: DbSession, actor: Manager
) -> TemplateRead:
    """3.2.3 Add a shipping template to the store (the default one unless told otherwise)."""
    store = get_scoped(session, Store, store_id, actor, what="store")
    template = svc.create_shipping_template(session, store=store, data=body, actor=actor)
    return next(
        t for t in svc.list_shipping_templates(session, store=store, actor=actor)
        if t.id == template.id
    )  # fmt: skip


@router.get("/orders/{order_id}/channel-choice", response_model=ChannelChoice)
def choose_channel(
    order_id: int,
    session: DbSession,
    actor: Reader,
    service: Annotated[ServiceLevel, Query(description="the buyer's selected service")] = (
        ServiceLevel.STANDARD
    ),
) -> ChannelChoice:
    """9.1.1 Rank the eligible channels for an order by service, promise and cost, with the reason."""
    order = get_scoped(session, Order, order_id, actor, what="order")
    return svc.choose_channel(session, order=order, selected_service=service, actor=actor)
