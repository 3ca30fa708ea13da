"""``/supply``: purchase orders, stock per warehouse and replenishment suggestions."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import Request, Response
from nicegui import ui
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.supply import buyer_plan as plan
from storeops.supply import service as svc
from storeops.web.access import declare_page
from storeops.web.layout import frame, heading, open_console
from storeops.web.pages.fulfilment_common import as_actor, table


def _load(session: Session, actor: Actor) -> dict[str, Any]:
    return {
        "orders": svc.list_purchase_orders(session, actor=actor),
        "buyers": [
            {
                **asdict(p),
                "expected_value": str(p.expected_value),
                "next_order_on": p.next_order_on.isoformat() if p.next_order_on else "—",
            }
            for p in plan.buyer_plans(session, actor=actor)
            if actor.can(Permission.ORDERS_READ)
        ][:100],
        "scores": [
            {
                **asdict(c),
                **{
                    k: "—" if getattr(c, k) is None else f"{getattr(c, k):.1%}"
                    for k in ("on_time_rate", "fill_rate", "pass_rate", "defect_rate")
                },
            }
            for c in svc.supplier_scorecards(session, actor=actor)
        ],
        "stock": [
            {"id": f"{w}-{s}", "warehouse": w, "sku": s, "on_hand": q}
            for w, s, q in svc.stock_levels(session, actor=actor)
        ],
        "plan": [
            {**asdict(r), "days_of_cover": "—" if r.days_of_cover is None else r.days_of_cover}
            for r in svc.replenishment(session, actor=actor)
        ],
    }


def register() -> None:
    """Add the supply page."""

    declare_page("/supply", Permission.SUPPLY_READ)

    @ui.page("/supply")
    async def supply_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        with frame(request, ctx, active="supply", title=_("Supply")):
            heading(_("Supply"), _("Purchase orders, stock per warehouse, replenishment"))
            data = await as_actor(request, _, _load)
            if data is None:
                return None
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(_("Replenishment")).classes("text-sm font-semibold px-4 pt-3")
                ui.label(
                    _("Reorder point = daily demand x lead time + z x σ x √lead time; "
                      "days of cover = on hand / daily demand (last 28 days, 95 % service).")
                ).classes("text-xs so-muted px-4")  # fmt: skip
                table([("sku", _("SKU")), ("daily_demand", _("Daily demand")),
                       ("lead_time_days", _("Lead time (days)")),
                       ("safety_stock", _("Safety stock")), ("reorder_point", _("Reorder point")),
                       ("on_hand", _("On hand")), ("on_order", _("On order")),
                       ("days_of_cover", _("Days of cover")),
                       ("suggested_order", _("Suggested order"))],
                      data["plan"], key="sku_id")  # fmt: skip
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(_("Stock per warehouse")).classes("text-sm font-semibold px-4 pt-3")
                table([("warehouse", _("Warehouse")), ("sku", _("SKU")), ("on_hand", _("On hand"))],
                      data["stock"], key="id")  # fmt: skip
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(_("Purchase orders")).classes("text-sm font-semibold px-4 pt-3")
                table([("number", _("Number")), ("supplier", _("Supplier")),
                       ("status", _("Status")), ("ordered", _("Ordered")),
                       ("received", _("Received")), ("expected_at", _("Expected"))],
                      data["orders"], key="id")  # fmt: skip
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(_("Supplier scorecards (9.2.2)")).classes(
                    "text-sm font-semibold px-4 pt-3"
                )
                table([("supplier", _("Supplier")), ("purchase_orders", _("Purchase orders")),
                       ("on_time_rate", _("On time")), ("fill_rate", _("Fill rate")),
                       ("inspections", _("Inspections")), ("pass_rate", _("Passed")),
                       ("defect_rate", _("Defect rate"))], data["scores"], key="supplier_id")  # fmt: skip
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(_("Buyers' next orders (9.2.4 / 9.2.5)")).classes(
                    "text-sm font-semibold px-4 pt-3"
                )
                table([("buyer", _("Buyer")), ("orders", _("Orders")),
                       ("last_order_on", _("Last order")), ("interval_days", _("Interval (days)")),
                       ("next_order_on", _("Next order expected")),
                       ("expected_value", _("Expected value")), ("state", _("Follow-up"))],
                      data["buyers"], key="buyer_id")  # fmt: skip
        return None
