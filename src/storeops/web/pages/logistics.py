"""``/logistics``: channels and their terms, and the channel chooser for an order (9.1.1)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from nicegui import ui
from sqlalchemy.orm import Session

from storeops.auth.scoping import Actor, get_scoped
from storeops.logistics import channels as svc
from storeops.logistics.enums import ServiceLevel
from storeops.logistics.schemas import ChannelChoice, ChannelRead
from storeops.orders.models import Order
from storeops.web.layout import frame, heading, open_console
from storeops.web.pages.fulfilment_common import as_actor, table


def _channel_rows(channels: list[ChannelRead]) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "channel": f"{c.carrier} · {c.service_name}",
            "kind": c.kind,
            "days": f"{c.transit_min_days}–{c.transit_max_days}",
            "level": c.service_level.value if c.service_level else "—",
            "zones": "; ".join(f"{z}: {', '.join(cs)}" for z, cs in c.zones.items()) or "—",
            "restricted": ", ".join(
                w for w, ok in (("battery", c.allows_battery), ("liquid", c.allows_liquid)) if ok
            )
            or "—",
        }
        for c in channels
    ]


def register() -> None:
    """Add the logistics page."""

    @ui.page("/logistics")
    async def logistics_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        with frame(request, ctx, active="logistics", title=_("Logistics")):
            heading(
                _("Logistics"),
                _("9.1 Fulfilment: channels, rate cards and the channel chooser"),
            )
            channels = await as_actor(request, _, lambda s, a: svc.list_channels(s, actor=a))
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(_("Logistics channels")).classes("text-sm font-semibold px-4 pt-3")
                table(
                    [("id", _("Id")), ("channel", _("Channel")), ("kind", _("Kind")),
                     ("days", _("Transit days")), ("level", _("Service level")),
                     ("zones", _("Zones")), ("restricted", _("Carries"))],
                    _channel_rows(channels or []),
                    key="id",
                )  # fmt: skip
            with ui.card().classes("so-card w-full p-4").props("flat"):
                ui.label(_("Choose a channel for an order")).classes("text-sm font-semibold")
                with ui.row().classes("items-end gap-3"):
                    order_input = ui.number(_("Order id"), min=1, format="%d").props(
                        "dense outlined"
                    )
                    service = (
                        ui.select(
                            {lv.value: lv.value for lv in ServiceLevel},
                            value=ServiceLevel.STANDARD.value,
                            label=_("Buyer's selected service"),
                        )
                        .props("dense outlined")
                        .classes("w-48")
                    )
                    button = ui.button(_("Rank channels")).props("no-caps color=primary")
                result = ui.column().classes("w-full gap-2")

                async def rank() -> None:
                    if not order_input.value:
                        ui.notify(_("Enter an order id."), type="warning")
                        return
                    order_id = int(order_input.value)
                    level = ServiceLevel(service.value)

                    def work(s: Session, a: Actor) -> ChannelChoice:
                        order = get_scoped(s, Order, order_id, a, what="order")
                        return svc.choose_channel(s, order=order, selected_service=level, actor=a)

                    choice = await as_actor(request, _, work)
                    result.clear()
                    if choice is None:
                        return
                    with result:
                        ui.label(choice.explanation).classes("text-sm so-explanation")
                        table(
                            [("rank", _("Rank")), ("channel", _("Channel")),
                             ("level", _("Service level")), ("weight", _("Chargeable g")),
                             ("total", _("Cost")), ("days", _("Transit days")),
                             ("why", _("Why"))],
                            [{"rank": o.rank or "—", "id": o.channel_id, "channel": o.channel,
                              "level": o.service_level.value if o.service_level else "—",
                              "weight": o.chargeable_weight_g or "—", "total": o.total or "—",
                              "days": f"{o.transit_min_days}–{o.transit_max_days}",
                              "why": "; ".join(o.reasons)} for o in choice.options],
                            key="id",
                        )  # fmt: skip

                button.on_click(rank)
        return None
