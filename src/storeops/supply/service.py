"""Supply (1.1.9, 8.2.3, 9.2.2): warehouses, purchase orders with receipts, stock movements, and
replenishment from the demand rate, the supplier's lead time and safety stock."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.catalog.models import Product, Sku, Supplier
from storeops.errors import Conflict, InvalidInput, NotFound
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Order, OrderLine
from storeops.supply.enums import MovementKind, PurchaseStatus, WarehouseKind, purchase_transition
from storeops.supply.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    QualityInspection,
    StockMovement,
    Warehouse,
)
from storeops.types import Money, normalize_country, normalize_currency, utcnow


def _company_row(session: Session, model: type, ident: int, actor: Actor, what: str) -> object:
    row = session.scalars(
        select(model).where(model.id == ident, model.company_id == actor.company_id)  # type: ignore[attr-defined]
    ).one_or_none()
    if row is None:
        raise NotFound(f"{what} {ident} not found")
    return row


def get_warehouse(session: Session, *, warehouse_id: int, actor: Actor) -> Warehouse:
    """A warehouse of the actor's company."""
    actor.require(Permission.SUPPLY_READ)
    row = _company_row(session, Warehouse, warehouse_id, actor, "warehouse")
    assert isinstance(row, Warehouse)
    return row


def add_warehouse(
    session: Session, *, code: str, name: str, kind: WarehouseKind, country: str, actor: Actor
) -> Warehouse:
    """Record a warehouse: own, overseas (海外仓) or a platform's fulfilment centre."""
    actor.require(Permission.SUPPLY_MANAGE)
    code = code.strip().upper()
    if not code:
        raise InvalidInput("the warehouse code is empty", field="code")
    if session.scalar(
        select(Warehouse.id).where(Warehouse.company_id == actor.company_id, Warehouse.code == code)
    ):
        raise Conflict(f"a warehouse {code} exists already", field="code")
    row = Warehouse(company_id=actor.company_id, code=code, name=name.strip() or code, kind=kind,
                    country=normalize_country(country))  # fmt: skip
    session.add(row)
    session.flush()
    return row


class PurchaseLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku_id: int
    quantity: int = Field(gt=0)
    unit_cost: str


class PurchaseOrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    supplier_id: int
    number: str = Field(min_length=1, max_length=40)
    currency: str = "CNY"
    lines: list[PurchaseLineIn] = Field(min_length=1)


def create_purchase_order(
    session: Session, *, data: PurchaseOrderIn, actor: Actor
) -> PurchaseOrder:
    """9.2.2 Draft a purchase order to a supplier."""
    actor.require(Permission.SUPPLY_MANAGE)
    _company_row(session, Supplier, data.supplier_id, actor, "supplier")
    currency = normalize_currency(data.currency)
    number = data.number.strip()
    if session.scalar(
        select(PurchaseOrder.id).where(
            PurchaseOrder.company_id == actor.company_id, PurchaseOrder.number == number
        )
    ):
        raise Conflict(f"purchase order {number} exists already", field="number")
    lines = []
    for i, line in enumerate(data.lines):
        _company_row(session, Sku, line.sku_id, actor, "SKU")
        cost = Money.parse(line.unit_cost, currency)
        if cost.amount < 0:
            raise InvalidInput(f"line {i + 1}: the unit cost is negative", field="lines")
        lines.append((line.sku_id, line.quantity, cost.amount))
    po = PurchaseOrder(company_id=actor.company_id, supplier_id=data.supplier_id, number=number,
                       currency=currency, status=PurchaseStatus.DRAFT, created_at=utcnow())  # fmt: skip
    session.add(po)
    session.flush()
    session.add_all(
        PurchaseOrderLine(company_id=actor.company_id, purchase_order_id=po.id, sku_id=s,
                          quantity=q, unit_cost_amount=c, received_quantity=0)
        for s, q, c in lines
    )  # fmt: skip
    session.flush()
    return po


def get_purchase_order(session: Session, *, purchase_order_id: int, actor: Actor) -> PurchaseOrder:
    """A purchase order of the actor's company."""
    actor.require(Permission.SUPPLY_READ)
    row = _company_row(session, PurchaseOrder, purchase_order_id, actor, "purchase order")
    assert isinstance(row, PurchaseOrder)
    return row


def place_purchase_order(session: Session, *, po: PurchaseOrder, actor: Actor) -> PurchaseOrder:
    """9.2.2 Send the order to the supplier; it is expected after the supplier's lead time."""
    actor.require(Permission.SUPPLY_MANAGE)
    po.status = purchase_transition(po.status, PurchaseStatus.ORDERED)
    supplier = session.get_one(Supplier, po.supplier_id)
    po.ordered_at = utcnow()
    po.expected_at = po.ordered_at + dt.timedelta(days=supplier.lead_time_days)
    session.flush()
    return po


def receive_goods(
    session: Session,
    *,
    po: PurchaseOrder,
    warehouse: Warehouse,
    quantities: dict[int, int],
    actor: Actor,
    at: dt.datetime | None = None,
) -> list[StockMovement]:
    """9.2.2 Receive goods of a purchase order into a warehouse (partly or fully). Receiving more
    than was ordered is refused; nothing is written then."""
    actor.require(Permission.SUPPLY_MANAGE)
    warehouse = get_warehouse(session, warehouse_id=warehouse.id, actor=actor)
    lines = {
        line.id: line
        for line in session.scalars(
            select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == po.id)
        )
    }
    if po.status not in (PurchaseStatus.ORDERED, PurchaseStatus.PARTLY_RECEIVED):
        raise Conflict(f"a {po.status.value} purchase order cannot receive goods")
    for line_id, qty in quantities.items():
        line = lines.get(line_id)
        if line is None:
            raise InvalidInput(
                f"line {line_id} is not on purchase order {po.number}", field="lines"
            )
        if qty <= 0 or line.received_quantity + qty > line.quantity:
            raise InvalidInput(
                f"line {line_id}: {qty} more would make {line.received_quantity + qty} of "
                f"{line.quantity} ordered",
                field="lines",
            )
    at = at or utcnow()
    moves = []
    for line_id, qty in quantities.items():
        line = lines[line_id]
        line.received_quantity += qty
        moves.append(StockMovement(company_id=actor.company_id, warehouse_id=warehouse.id,
                                   sku_id=line.sku_id, quantity=qty, kind=MovementKind.RECEIPT,
                                   at=at, purchase_order_line_id=line.id,
                                   note=f"PO {po.number}"))  # fmt: skip
    session.add_all(moves)
    complete = all(line.received_quantity == line.quantity for line in lines.values())
    po.status = purchase_transition(
        po.status, PurchaseStatus.RECEIVED if complete else PurchaseStatus.PARTLY_RECEIVED
    )
    session.flush()
    return moves


def move_stock(
    session: Session,
    *,
    warehouse: Warehouse,
    sku_id: int,
    quantity: int,
    kind: MovementKind,
    note: str,
    actor: Actor,
    at: dt.datetime | None = None,
) -> StockMovement:
    """Record a stock movement (shipment out, transfer, count adjustment); stock cannot go below 0."""
    actor.require(Permission.SUPPLY_MANAGE)
    warehouse = get_warehouse(session, warehouse_id=warehouse.id, actor=actor)
    _company_row(session, Sku, sku_id, actor, "SKU")
    if kind == MovementKind.RECEIPT:
        raise InvalidInput("receipts come from purchase orders (receive_goods)", field="kind")
    if quantity == 0:
        raise InvalidInput("the quantity is zero", field="quantity")
    if kind in (MovementKind.SHIPMENT, MovementKind.TRANSFER_OUT) and quantity > 0:
        quantity = -quantity
    held = on_hand(session, actor=actor, warehouse_id=warehouse.id).get(sku_id, 0)
    if held + quantity < 0:
        raise Conflict(f"only {held} on hand in {warehouse.code}; cannot take {-quantity}")
    move = StockMovement(company_id=actor.company_id, warehouse_id=warehouse.id, sku_id=sku_id,
                         quantity=quantity, kind=kind, at=at or utcnow(), note=note.strip()[:200])  # fmt: skip
    session.add(move)
    session.flush()
    return move


def transfer_stock(
    session: Session, *, source: Warehouse, target: Warehouse, sku_id: int, quantity: int,
    actor: Actor,
) -> tuple[StockMovement, StockMovement]:  # fmt: skip
    """Move stock between warehouses (e.g. own → overseas → platform fulfilment centre)."""
    if quantity <= 0:
        raise InvalidInput("transfer a positive quantity", field="quantity")
    out = move_stock(session, warehouse=source, sku_id=sku_id, quantity=quantity,
                     kind=MovementKind.TRANSFER_OUT, note=f"to {target.code}", actor=actor)  # fmt: skip
    into = move_stock(session, warehouse=target, sku_id=sku_id, quantity=quantity,
                      kind=MovementKind.TRANSFER_IN, note=f"from {source.code}", actor=actor)  # fmt: skip
    return out, into


def on_hand(session: Session, *, actor: Actor, warehouse_id: int | None = None) -> dict[int, int]:
    """Stock on hand per SKU (one warehouse, or all of the company's)."""
    actor.require(Permission.SUPPLY_READ)
    stmt = select(StockMovement.sku_id, func.sum(StockMovement.quantity)).where(
        StockMovement.company_id == actor.company_id
    )
    if warehouse_id is not None:
        stmt = stmt.where(StockMovement.warehouse_id == warehouse_id)
    return {s: int(q) for s, q in session.execute(stmt.group_by(StockMovement.sku_id))}


def stock_levels(session: Session, *, actor: Actor) -> list[tuple[str, str, int]]:
    """(warehouse code, SKU code, on hand) for every non-zero stock."""
    actor.require(Permission.SUPPLY_READ)
    rows = session.execute(
        select(Warehouse.code, Sku.code, func.sum(StockMovement.quantity))
        .join(Warehouse, Warehouse.id == StockMovement.warehouse_id)
        .join(Sku, Sku.id == StockMovement.sku_id)
        .where(StockMovement.company_id == actor.company_id)
        .group_by(Warehouse.code, Sku.code)
        .order_by(Warehouse.code, Sku.code)
    )
    return [(w, s, int(q)) for w, s, q in rows if q]


def on_order(session: Session, *, actor: Actor) -> dict[int, int]:
    """Units ordered from suppliers and not yet received, per SKU."""
    rows = session.execute(
        select(PurchaseOrderLine.sku_id,
               func.sum(PurchaseOrderLine.quantity - PurchaseOrderLine.received_quantity))
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
        .where(PurchaseOrder.company_id == actor.company_id,
               PurchaseOrder.status.in_([PurchaseStatus.ORDERED, PurchaseStatus.PARTLY_RECEIVED]))
        .group_by(PurchaseOrderLine.sku_id)
    )  # fmt: skip
    return {s: int(q) for s, q in rows}


@dataclass(frozen=True, slots=True)
class Replenishment:
    """One SKU's cover and reorder suggestion.

    daily demand d = units sold in the window / window days; σ = standard deviation of the daily
    units; lead time L = the supplier's lead time in days; safety stock SS = z x σ x √L with z the
    normal quantile of the service level; reorder point ROP = d x L + SS; days of cover =
    on hand / d; suggested order = ROP + d x review days − (on hand + on order), rounded up to the
    supplier's minimum order quantity, when on hand + on order is at or below ROP.
    """

    sku_id: int
    sku: str
    daily_demand: float
    demand_sd: float
    lead_time_days: int
    safety_stock: int
    reorder_point: int
    on_hand: int
    on_order: int
    days_of_cover: float | None
    suggested_order: int


def replenishment(
    session: Session,
    *,
    actor: Actor,
    today: dt.date | None = None,
    window_days: int = 28,
    service_level: float = 0.95,
    review_days: int = 7,
    default_lead_time_days: int = 15,
) -> list[Replenishment]:
    """8.2.3 / 9.2.2 Days of cover and reorder suggestions for every SKU with stock or sales."""
    actor.require(Permission.SUPPLY_READ)
    if not 0.5 <= service_level < 1:
        raise InvalidInput("the service level is between 0.5 and 1", field="service_level")
    if window_days < 2:
        raise InvalidInput("the demand window is at least 2 days", field="window_days")
    today = today or utcnow().date()
    start = dt.datetime.combine(today - dt.timedelta(days=window_days), dt.time(), dt.UTC)
    end = dt.datetime.combine(today, dt.time(), dt.UTC)
    daily: dict[int, list[int]] = defaultdict(lambda: [0] * window_days)
    rows = session.execute(
        select(OrderLine.sku_id, OrderLine.quantity, Order.placed_at)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.store_id.in_(sorted(actor.store_ids)), Order.placed_at >= start,
               Order.placed_at < end,
               Order.status.not_in([OrderStatus.CANCELLED, OrderStatus.DRAFT]))
    )  # fmt: skip
    for sku_id, qty, placed in rows:
        daily[sku_id][(placed.date() - start.date()).days] += qty
    stock = on_hand(session, actor=actor)
    ordered = on_order(session, actor=actor)
    z = statistics.NormalDist().inv_cdf(service_level)
    sku_ids = sorted(set(daily) | {s for s, q in stock.items() if q} | set(ordered))
    info = {
        s.id: (s.code, lead, moq)
        for s, lead, moq in session.execute(
            select(Sku, Supplier.lead_time_days, Supplier.moq)
            .join(Product, Product.id == Sku.product_id)
            .outerjoin(Supplier, Supplier.id == Product.supplier_id)
            .where(Sku.id.in_(sku_ids))
        )
    }
    out = []
    for sku_id in sku_ids:
        units = daily.get(sku_id, [0] * window_days)
        d = sum(units) / window_days
        sd = statistics.pstdev(units)
        code, lead, moq = info[sku_id]
        lead = lead or default_lead_time_days
        safety = math.ceil(z * sd * math.sqrt(lead))
        rop = math.ceil(d * lead) + safety
        held, coming = stock.get(sku_id, 0), ordered.get(sku_id, 0)
        suggest = 0
        if held + coming <= rop and d > 0:
            suggest = max(0, math.ceil(rop + d * review_days) - held - coming)
            if moq:
                suggest = max(suggest, moq)
        out.append(Replenishment(
            sku_id=sku_id, sku=code, daily_demand=round(d, 4), demand_sd=round(sd, 4),
            lead_time_days=lead, safety_stock=safety, reorder_point=rop, on_hand=held,
            on_order=coming, days_of_cover=round(held / d, 1) if d else None,
            suggested_order=suggest,
        ))  # fmt: skip
    out.sort(key=lambda r: (r.days_of_cover is None, r.days_of_cover or 0.0, r.sku))
    return out


def list_purchase_orders(session: Session, *, actor: Actor) -> list[dict[str, object]]:
    """9.2.2 The company's purchase orders with ordered and received units."""
    actor.require(Permission.SUPPLY_READ)
    rows = session.execute(
        select(PurchaseOrder, Supplier.name, func.sum(PurchaseOrderLine.quantity),
               func.sum(PurchaseOrderLine.received_quantity))
        .join(Supplier, Supplier.id == PurchaseOrder.supplier_id)
        .join(PurchaseOrderLine, PurchaseOrderLine.purchase_order_id == PurchaseOrder.id)
        .where(PurchaseOrder.company_id == actor.company_id)
        .group_by(PurchaseOrder.id, Supplier.name)
        .order_by(PurchaseOrder.id.desc())
    )  # fmt: skip
    return [
        {"id": po.id, "number": po.number, "supplier": name, "status": po.status.value,
         "ordered": int(q or 0), "received": int(r or 0),
         "expected_at": po.expected_at.date().isoformat() if po.expected_at else ""}
        for po, name, q, r in rows
    ]  # fmt: skip


# --- 9.2.2 inspections and supplier scorecards ---------------------------------------------------

# AQL-style acceptance: a lot passes when the defects found in the sample are at most this share.
ACCEPTABLE_DEFECT_SHARE = 0.025


def record_inspection(
    session: Session,
    *,
    po: PurchaseOrder,
    sample_size: int,
    defects: int,
    inspector: str,
    actor: Actor,
    note: str = "",
    at: dt.datetime | None = None,
) -> QualityInspection:
    """9.2.2 Record the inspection of a purchase order's goods; it passes when the defects are at
    most 2.5 % of the sample (the acceptance level the company follows by default)."""
    actor.require(Permission.SUPPLY_MANAGE)
    po = get_purchase_order(session, purchase_order_id=po.id, actor=actor)
    if sample_size <= 0:
        raise InvalidInput("inspect at least one unit", field="sample_size")
    if not 0 <= defects <= sample_size:
        raise InvalidInput("defects are between 0 and the sample size", field="defects")
    if not inspector.strip():
        raise InvalidInput("name the inspector", field="inspector")
    row = QualityInspection(
        company_id=actor.company_id, purchase_order_id=po.id, inspected_at=at or utcnow(),
        sample_size=sample_size, defects=defects,
        passed=defects <= ACCEPTABLE_DEFECT_SHARE * sample_size, inspector=inspector.strip(),
        note=note.strip()[:400],
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True, slots=True)
class SupplierScore:
    """9.2.2 A supplier's record: on-time delivery, fill rate, inspections and defects.

    on-time = POs whose last receipt came by the expected date / POs with receipts;
    fill rate = units received / units ordered on placed POs; pass rate = passed inspections /
    inspections; defect rate = defects / units sampled.
    """

    supplier_id: int
    supplier: str
    purchase_orders: int
    on_time_rate: float | None
    fill_rate: float | None
    inspections: int
    pass_rate: float | None
    defect_rate: float | None


def supplier_scorecards(session: Session, *, actor: Actor) -> list[SupplierScore]:
    """9.2.2 Scorecards of the company's suppliers that have purchase orders."""
    actor.require(Permission.SUPPLY_READ)
    pos = list(session.scalars(
        select(PurchaseOrder).where(PurchaseOrder.company_id == actor.company_id,
                                    PurchaseOrder.status != PurchaseStatus.DRAFT)
    ))  # fmt: skip
    names = dict(
        session.execute(select(Supplier.id, Supplier.name).where(
            Supplier.company_id == actor.company_id)).tuples().all()
    )  # fmt: skip
    last_receipt = {
        po_id: at
        for po_id, at in session.execute(
            select(PurchaseOrderLine.purchase_order_id, func.max(StockMovement.at))
            .join(StockMovement, StockMovement.purchase_order_line_id == PurchaseOrderLine.id)
            .where(PurchaseOrderLine.company_id == actor.company_id)
            .group_by(PurchaseOrderLine.purchase_order_id)
        )
    }
    units = {
        po_id: (int(q), int(r))
        for po_id, q, r in session.execute(
            select(PurchaseOrderLine.purchase_order_id, func.sum(PurchaseOrderLine.quantity),
                   func.sum(PurchaseOrderLine.received_quantity))
            .where(PurchaseOrderLine.company_id == actor.company_id)
            .group_by(PurchaseOrderLine.purchase_order_id)
        )
    }  # fmt: skip
    checks: dict[int, list[QualityInspection]] = defaultdict(list)
    for qi in session.scalars(
        select(QualityInspection).where(QualityInspection.company_id == actor.company_id)
    ):
        checks[qi.purchase_order_id].append(qi)
    by_supplier: dict[int, list[PurchaseOrder]] = defaultdict(list)
    for po in pos:
        by_supplier[po.supplier_id].append(po)
    out = []
    for supplier_id, mine in sorted(by_supplier.items()):
        delivered = [p for p in mine if p.id in last_receipt and p.expected_at is not None]
        on_time = [p for p in delivered if last_receipt[p.id] <= (p.expected_at or p.created_at)]
        placed = [p for p in mine if p.status != PurchaseStatus.CANCELLED]
        ordered = sum(units.get(p.id, (0, 0))[0] for p in placed)
        received = sum(units.get(p.id, (0, 0))[1] for p in placed)
        inspections = [qi for p in mine for qi in checks.get(p.id, [])]
        sampled = sum(qi.sample_size for qi in inspections)
        out.append(SupplierScore(
            supplier_id=supplier_id, supplier=names.get(supplier_id, str(supplier_id)),
            purchase_orders=len(mine),
            on_time_rate=round(len(on_time) / len(delivered), 4) if delivered else None,
            fill_rate=round(received / ordered, 4) if ordered else None,
            inspections=len(inspections),
            pass_rate=round(sum(qi.passed for qi in inspections) / len(inspections), 4)
            if inspections else None,
            defect_rate=round(sum(qi.defects for qi in inspections) / sampled, 4)
            if sampled else None,
        ))  # fmt: skip
    return out
