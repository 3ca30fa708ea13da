"""ORM classes of supply: warehouses, purchase orders with receipts, stock movements."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storeops.db import Base, str_enum
from storeops.supply.enums import MovementKind, PurchaseStatus, WarehouseKind

_ID = BigInteger().with_variant(Integer, "sqlite")


class Warehouse(Base):
    """A place stock is held: own, overseas, or a platform's fulfilment centre."""

    __tablename__ = "warehouses"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[WarehouseKind] = mapped_column(str_enum(WarehouseKind, "warehouse_kind"))
    country: Mapped[str] = mapped_column(String(2))


class PurchaseOrder(Base):
    """9.2.2 / 1.1.9 An order to a supplier."""

    __tablename__ = "purchase_orders"
    __table_args__ = (UniqueConstraint("company_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[PurchaseStatus] = mapped_column(str_enum(PurchaseStatus, "purchase_status"))
    created_at: Mapped[dt.datetime]
    ordered_at: Mapped[dt.datetime | None]
    expected_at: Mapped[dt.datetime | None]


class PurchaseOrderLine(Base):
    """One SKU of a purchase order, with what has been received."""

    __tablename__ = "purchase_order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    purchase_order_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True
    )
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_cost_amount: Mapped[int] = mapped_column(BigInteger)
    received_quantity: Mapped[int] = mapped_column(Integer)


class StockMovement(Base):
    """One movement of stock in a warehouse (+ in, − out); stock on hand is their sum."""

    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_warehouse_id_sku_id", "warehouse_id", "sku_id"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"))
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    kind: Mapped[MovementKind] = mapped_column(str_enum(MovementKind, "movement_kind"))
    at: Mapped[dt.datetime]
    purchase_order_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("purchase_order_lines.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(String(200))


class QualityInspection(Base):
    """9.2.2 An inspection of goods of a purchase order (验货): sample, defects, verdict."""

    __tablename__ = "quality_inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    purchase_order_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True
    )
    inspected_at: Mapped[dt.datetime]
    sample_size: Mapped[int] = mapped_column(Integer)
    defects: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool] = mapped_column(Boolean)
    inspector: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(String(400))
