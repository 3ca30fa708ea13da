"""``/logistics``: channels and their terms, and the channel chooser for an order (9.1.1)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import Request, Response
from nicegui import ui
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.logistics import channels as svc
from storeops.logistics import customs, freight
from storeops.logistics import shipments as ships
from storeops.logistics.enums import ServiceLevel
from storeops.logistics.export_documents import ExportDocument, render_export_document
from storeops.logistics.models import Shipment
from storeops.logistics.schemas import ChannelChoice, ChannelRead
from storeops.orders.models import Order
from storeops.stores.service import list_stores
from storeops.web.access import declare_page
from storeops.web.labels import Translate
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

    declare_page("/logistics", Permission.LOGISTICS_READ)

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
            await _templates_section(request, _)
            await _late_section(request, _)
            await _freight_section(request, _)
            _labels_section(request, _)
            _shipment_section(request, _)
            _export_documents_section(request, _)
        return None


def _export_documents_section(request: Request, _: Translate) -> None:
    names = {
        ExportDocument.COMMERCIAL_INVOICE: _("Commercial invoice"),
        ExportDocument.PACKING_LIST: _("Packing list"),
        ExportDocument.BILL_OF_EXCHANGE: _("Bill of exchange"),
        ExportDocument.ORIGIN_APPLICATION: _("Certificate of origin application (draft)"),
    }
    with ui.card().classes("so-card w-full p-4").props("flat"):
        ui.label(_("Export documents (9.2.1)")).classes("text-sm font-semibold")
        with ui.row().classes("items-end gap-3"):
            order_input = ui.number(_("Order id for documents"), min=1, format="%d").props(
                "dense outlined"
            )
            kind = ui.select({k.value: v for k, v in names.items()},
                             value=ExportDocument.COMMERCIAL_INVOICE.value,
                             label=_("Document")).props("dense outlined").classes("w-72")  # fmt: skip

            async def render() -> None:
                if not order_input.value:
                    ui.notify(_("Enter an order id."), type="warning")
                    return
                order_id, chosen = int(order_input.value), ExportDocument(kind.value)

                def work(s: Session, a: Actor) -> bytes:
                    order = get_scoped(s, Order, order_id, a, what="order")
                    return render_export_document(s, order=order, kind=chosen, actor=a)

                pdf = await as_actor(request, _, work)
                if pdf is not None:
                    ui.download.content(pdf, f"{chosen.value}-{order_id}.pdf", "application/pdf")

            ui.button(_("Download PDF"), on_click=render).props("no-caps color=primary")


async def _templates_section(request: Request, _: Translate) -> None:
    def work(s: Session, a: Actor) -> list[dict[str, Any]]:
        rows = []
        for store in list_stores(s, actor=a):
            for t in svc.list_shipping_templates(s, store=store, actor=a):
                for i, r in enumerate(t.rules):
                    rows.append({"id": f"{t.id}-{i}", "store": store.name, "template": t.name,
                                 "default": "✓" if t.is_default else "",
                                 "level": r.service_level.value, "channel": r.channel,
                                 "days": r.promised_days, "price": r.buyer_price})  # fmt: skip
        return rows

    rows = await as_actor(request, _, work)
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Shipping templates (3.2.3)")).classes("text-sm font-semibold px-4 pt-3")
        table([("store", _("Store")), ("template", _("Template")), ("default", _("Default")),
               ("level", _("Service level")), ("channel", _("Channel")),
               ("days", _("Promised days")), ("price", _("Buyer pays"))],
              rows or [], key="id")  # fmt: skip


async def _late_section(request: Request, _: Translate) -> None:
    late = await as_actor(request, _, lambda s, a: ships.late_deliveries(s, actor=a))
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Late deliveries (past the promised time, not delivered)")).classes(
            "text-sm font-semibold px-4 pt-3"
        )
        table(
            [("shipment_id", _("Shipment")), ("tracking_number", _("Tracking number")),
             ("channel", _("Channel")), ("promised_by", _("Promised by")),
             ("days_late", _("Days late"))],
            [{**asdict(x), "promised_by": f"{x.promised_by:%Y-%m-%d}"} for x in late or []],
            key="shipment_id",
        )  # fmt: skip


async def _freight_section(request: Request, _: Translate) -> None:
    alerts = await as_actor(request, _, lambda s, a: freight.deadline_alerts(s, actor=a))
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Freight cut-offs in the next 48 hours or missed (9.2.3)")).classes(
            "text-sm font-semibold px-4 pt-3"
        )
        table([("booking_no", _("Booking")), ("order_id", _("Order")),
               ("deadline", _("Deadline")), ("due_at", _("Due (UTC)")),
               ("hours_left", _("Hours left"))],
              [{**asdict(x), "id": f"{x.booking_id}-{x.deadline}",
                "due_at": f"{x.due_at:%Y-%m-%d %H:%M}"} for x in alerts or []],
              key="id")  # fmt: skip


def _labels_section(request: Request, _: Translate) -> None:
    with ui.card().classes("so-card w-full p-4").props("flat"):
        ui.label(_("Print shipping labels")).classes("text-sm font-semibold")
        with ui.row().classes("items-end gap-3"):
            ids = ui.input(_("Shipment ids, separated by commas")).props("dense outlined")
            ids.classes("w-96")

            async def print_labels() -> None:
                try:
                    wanted = [int(x) for x in (ids.value or "").replace(" ", "").split(",") if x]
                except ValueError:
                    ui.notify(_("Shipment ids are whole numbers."), type="warning")
                    return
                pdf = await as_actor(
                    request, _, lambda s, a: ships.render_labels(s, shipment_ids=wanted, actor=a)
                )
                if pdf is not None:
                    ui.download.content(pdf, "labels.pdf", "application/pdf")

            ui.button(_("Download labels (PDF)"), on_click=print_labels).props(
                "no-caps color=primary"
            )


def _shipment_section(request: Request, _: Translate) -> None:
    with ui.card().classes("so-card w-full p-4").props("flat"):
        ui.label(_("Shipment: customs check and tracking")).classes("text-sm font-semibold")
        with ui.row().classes("items-end gap-3"):
            sid = ui.number(_("Shipment id"), min=1, format="%d").props("dense outlined")
            go = ui.button(_("Show")).props("no-caps color=primary")
        box = ui.column().classes("w-full gap-1")

        async def show() -> None:
            if not sid.value:
                return
            shipment_id = int(sid.value)

            def work(s: Session, a: Actor) -> tuple[Any, list[Any]]:
                shipment = get_scoped(s, Shipment, shipment_id, a, what="shipment")
                check = customs.check_shipment(s, shipment=shipment, actor=a)
                events = ships.timeline(s, shipment=shipment, actor=a)
                return check, [(e.at, e.code, e.location) for e in events]

            found = await as_actor(request, _, work)
            box.clear()
            if found is None:
                return
            check, events = found
            with box:
                ui.label(
                    _("Declared {declared} against a sale value of {sale} (ratio {ratio})").format(
                        declared=check.declared, sale=check.sale_value, ratio=check.ratio
                    )
                ).classes("text-sm so-customs")
                for warning in check.warnings:
                    ui.label(warning).classes("text-sm text-amber-800")
                table(
                    [("at", _("Time (UTC)")), ("code", _("Event")), ("location", _("Location"))],
                    [{"i": i, "at": f"{at:%Y-%m-%d %H:%M}", "code": c, "location": loc}
                     for i, (at, c, loc) in enumerate(events)],
                    key="i",
                )  # fmt: skip

        go.on_click(show)
