"""Supply: warehouses, purchase orders and receipts, stock, replenishment."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field

from storeops.api.deps import DbSession, require
from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.supply import buyer_plan as plan
from storeops.supply import service as svc
from storeops.supply.enums import MovementKind, WarehouseKind

router = APIRouter(tags=["supply"])

Reader = Annotated[Actor, Depends(require(Permission.SUPPLY_READ))]
Manager = Annotated[Actor, Depends(require(Permission.SUPPLY_MANAGE))]


class WarehouseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=20)
    name: str = ""
    kind: WarehouseKind
    country: str


@router.post("/supply/warehouses", status_code=status.HTTP_201_CREATED)
def add_warehouse(body: WarehouseIn, session: DbSession, actor: Manager) -> dict[str, Any]:
    """Record a warehouse (own, overseas, platform fulfilment centre)."""
    w = svc.add_warehouse(session, actor=actor, **body.model_dump())
    return {"id": w.id, "code": w.code, "kind": w.kind.value}


@router.post("/supply/purchase-orders", status_code=status.HTTP_201_CREATED)
def create_po(body: svc.PurchaseOrderIn, session: DbSession, actor: Manager) -> dict[str, Any]:
    """9.2.2 Draft a purchase order to a supplier."""
    po = svc.create_purchase_order(session, data=body, actor=actor)
    return {"id": po.id, "number": po.number, "status": po.status.value}


@router.post("/supply/purchase-orders/{po_id}/place")
def place_po(po_id: int, session: DbSession, actor: Manager) -> dict[str, Any]:
    """9.2.2 Send the purchase order to the supplier."""
    po = svc.get_purchase_order(session, purchase_order_id=po_id, actor=actor)
    svc.place_purchase_order(session, po=po, actor=actor)
    return {"id": po.id, "status": po.status.value, "expected_at": po.expected_at}


class ReceiptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    warehouse_id: int
    quantities: dict[int, int] = Field(description="purchase order line id → units received")


@router.post("/supply/purchase-orders/{po_id}/receipts")
def receive(po_id: int, body: ReceiptIn, session: DbSession, actor: Manager) -> dict[str, Any]:
    """9.2.2 Receive goods of a purchase order into a warehouse."""
    po = svc.get_purchase_order(session, purchase_order_id=po_id, actor=actor)
    warehouse = svc.get_warehouse(session, warehouse_id=body.warehouse_id, actor=actor)
    moves = svc.receive_goods(session, po=po, warehouse=warehouse, quantities=body.quantities,
                              actor=actor)  # fmt: skip
    return {"status": po.status.value, "units": sum(m.quantity for m in moves)}


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    warehouse_id: int
    sku_id: int
    quantity: int
    kind: MovementKind
    note: str = ""


@router.post("/supply/stock-movements", status_code=status.HTTP_201_CREATED)
def move(body: MoveIn, session: DbSession, actor: Manager) -> dict[str, Any]:
    """Record a shipment out, a transfer or a count adjustment."""
    warehouse = svc.get_warehouse(session, warehouse_id=body.warehouse_id, actor=actor)
    m = svc.move_stock(session, warehouse=warehouse, sku_id=body.sku_id, quantity=body.quantity,
                       kind=body.kind, note=body.note, actor=actor)  # fmt: skip
    return {"id": m.id, "quantity": m.quantity}


@router.get("/supply/stock")
def stock(session: DbSession, actor: Reader) -> list[dict[str, Any]]:
    """Stock on hand per warehouse and SKU."""
    return [
        {"warehouse": w, "sku": s, "on_hand": q}
        for w, s, q in svc.stock_levels(session, actor=actor)
    ]


@router.get("/supply/replenishment")
def replenishment(
    session: DbSession,
    actor: Reader,
    today: dt.date | None = None,
    window_days: int = 28,
    service_level: float = 0.95,
    review_days: int = 7,
) -> list[dict[str, Any]]:
    """8.2.3 / 9.2.2 Days of cover and reorder suggestions (formula in docs/supply.md)."""
    return [
        asdict(r)
        for r in svc.replenishment(session, actor=actor, today=today, window_days=window_days,
                                   service_level=service_level, review_days=review_days)
    ]  # fmt: skip


class InspectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sample_size: int
    defects: int
    inspector: str
    note: str = ""


@router.post("/supply/purchase-orders/{po_id}/inspections", status_code=status.HTTP_201_CREATED)
def inspect(po_id: int, body: InspectionIn, session: DbSession, actor: Manager) -> dict[str, Any]:
    """9.2.2 Record the inspection of a purchase order's goods."""
    po = svc.get_purchase_order(session, purchase_order_id=po_id, actor=actor)
    qi = svc.record_inspection(session, po=po, actor=actor, **body.model_dump())
    return {"id": qi.id, "passed": qi.passed}


@router.get("/supply/supplier-scorecards")
def scorecards(session: DbSession, actor: Reader) -> list[dict[str, Any]]:
    """9.2.2 Suppliers' on-time rate, fill rate, inspection pass rate and defect rate."""
    return [asdict(s) for s in svc.supplier_scorecards(session, actor=actor)]


@router.get("/supply/buyer-plans")
def buyer_plans(
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.ORDERS_READ))],
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """9.2.4 / 9.2.5 Each B2B buyer's expected next order (day, value) and follow-up state."""
    return [
        {**asdict(p), "expected_value": str(p.expected_value)}
        for p in plan.buyer_plans(session, actor=actor, today=today)
    ]
