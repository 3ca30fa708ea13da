"""Amazon all-orders flat file (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL and the
archived-orders variant GET_FLAT_FILE_ARCHIVED_ORDERS_DATA_BY_ORDER_DATE).

Layout: Amazon's tab-separated report, one row per order item, header as in Seller Central
(Reports → Fulfillment → All Orders) and in the fixture
``amazon-reports/GET_FLAT_FILE_ARCHIVED_ORDERS_DATA_BY_ORDER_DATE.csv`` (Airbyte's copy of the
layout). ``item-price`` is the price of the row's whole quantity; promotion discounts are printed
negative. Taxes and gift wrap are not part of storeops' order totals and are not imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from storeops.connectors.amazon.common import check_marketplaces, store_country
from storeops.connectors.framework import (
    Counts,
    FileImporter,
    ImportContext,
    Parsed,
    RowError,
)
from storeops.connectors.linking import SeenItem, anonymous_buyers, chunks, link_items, tally
from storeops.connectors.values import RowInvalid, parse_datetime, parse_int, parse_money
from storeops.orders.enums import ORDER_TRANSITIONS, OrderKind, OrderStatus
from storeops.orders.models import Order, OrderLine
from storeops.stores.models import Store

# order-status of the report → storeops status
ORDER_STATUS: dict[str, OrderStatus] = {
    "pending": OrderStatus.DRAFT,
    "pending - waiting for pick up": OrderStatus.DRAFT,
    "unshipped": OrderStatus.PAID,
    "partiallyshipped": OrderStatus.PAID,
    "partially shipped": OrderStatus.PAID,
    "shipping": OrderStatus.SHIPPED,
    "shipped": OrderStatus.SHIPPED,
    "shipped - picked up": OrderStatus.SHIPPED,
    "shipped - delivered to buyer": OrderStatus.DELIVERED,
    "shipped - returned to seller": OrderStatus.SHIPPED,
    "shipped - rejected by buyer": OrderStatus.SHIPPED,
    "shipped - out for delivery": OrderStatus.SHIPPED,
    "cancelled": OrderStatus.CANCELLED,
    "canceled": OrderStatus.CANCELLED,
}


def _reachable(start: OrderStatus) -> frozenset[OrderStatus]:
    seen = {start}
    todo = [start]
    while todo:
        for nxt in ORDER_TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return frozenset(seen)


ORDERS = cast(Table, Order.__table__)
REACHABLE = {status: _reachable(status) for status in OrderStatus}


@dataclass(frozen=True, slots=True)
class OrderItemRow:
    row: int
    order_id: str
    purchased_at: dt.datetime
    status: OrderStatus
    channel: str
    currency: str
    sku: str
    asin: str
    title: str
    quantity: int
    item_price: int
    shipping_price: int
    discount: int
    country: str
    item_cancelled: bool


@dataclass
class _OrderDraft:
    rows: list[OrderItemRow]
    placed_at: dt.datetime
    status: OrderStatus
    country: str
    currency: str


class AllOrdersImporter(FileImporter[OrderItemRow]):
    """5.13 / 8.2.2 Amazon all-orders report → orders, order lines (and linked SKUs, listings)."""

    platform: ClassVar[str] = "amazon"
    report: ClassVar[str] = "all-orders"
    title: ClassVar[str] = "Amazon all-orders flat file"
    layout: ClassVar[str] = (
        "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL (tab-separated, one row per item)"
    )
    required_columns: ClassVar[tuple[str, ...]] = (
        "amazon-order-id",
        "purchase-date",
        "order-status",
        "sales-channel",
        "sku",
        "asin",
        "product-name",
        "item-status",
        "quantity",
        "currency",
        "item-price",
        "shipping-price",
        "item-promotion-discount",
        "ship-promotion-discount",
        "ship-country",
    )

    def parse_row(
        self, row: int, cells: list[str], at: dict[str, int], ctx: ImportContext
    ) -> OrderItemRow:
        order_id = cells[at["amazon-order-id"]].strip()
        if not order_id:
            raise RowInvalid("amazon-order-id", "is empty", "")
        if len(order_id) > 40:
            raise RowInvalid("amazon-order-id", "is longer than 40 characters", order_id[:60])
        raw_status = cells[at["order-status"]].strip()
        status = ORDER_STATUS.get(raw_status.lower())
        if status is None:
            raise RowInvalid("order-status", "is not an Amazon order status", raw_status)
        purchased = parse_datetime(cells[at["purchase-date"]], "purchase-date")
        currency = cells[at["currency"]].strip().upper() or ctx.currency
        if currency != ctx.currency:
            raise RowInvalid(
                "currency", f"is not the store's currency {ctx.currency}", cells[at["currency"]]
            )
        sku = cells[at["sku"]].strip()
        if not sku:
            raise RowInvalid("sku", "is empty", "")
        if len(sku) > 40:
            raise RowInvalid("sku", "is longer than 40 characters", sku[:60])
        asin = cells[at["asin"]].strip()
        if asin and (len(asin) != 10 or not asin.isalnum()):
            raise RowInvalid("asin", "is not a 10-character ASIN", asin)
        quantity = parse_int(cells[at["quantity"]], "quantity", maximum=1_000_000)
        country = cells[at["ship-country"]].strip().upper()
        if not country:
            country = store_country(ctx) or ""
            if not country:
                raise RowInvalid("ship-country", "is empty", "")
        elif len(country) != 2 or not country.isalpha():
            raise RowInvalid("ship-country", "is not a two-letter country code", country)
        item_price = parse_money(cells[at["item-price"]], currency, "item-price")
        if item_price < 0:
            raise RowInvalid("item-price", "is negative", cells[at["item-price"]])
        shipping = parse_money(cells[at["shipping-price"]], currency, "shipping-price")
        discount = abs(
            parse_money(cells[at["item-promotion-discount"]], currency, "item-promotion-discount")
        ) + abs(
            parse_money(cells[at["ship-promotion-discount"]], currency, "ship-promotion-discount")
        )
        return OrderItemRow(
            row=row,
            order_id=order_id,
            purchased_at=purchased,
            status=status,
            channel=cells[at["sales-channel"]].strip(),
            currency=currency,
            sku=sku,
            asin=asin or sku,
            title=cells[at["product-name"]].strip(),
            quantity=quantity,
            item_price=item_price,
            shipping_price=shipping,
            discount=discount,
            country=country,
            item_cancelled=cells[at["item-status"]].strip().lower() == "cancelled",
        )

    def check_file(self, parsed: Parsed[OrderItemRow], ctx: ImportContext) -> None:
        check_marketplaces(
            {r.channel for r in parsed.records if r.channel and r.channel != "Non-Amazon"},
            ctx,
            "sales-channel",
        )
        # an order whose rows disagree, or with one bad row, is left out as a whole
        first: dict[str, OrderItemRow] = {}
        for record in parsed.records:
            seen = first.setdefault(record.order_id, record)
            if seen is not record and (seen.status, seen.currency) != (
                record.status,
                record.currency,
            ):
                parsed.fail(
                    RowError(
                        record.row,
                        "order-status",
                        f"differs from row {seen.row} of the same order",
                        record.order_id,
                    )
                )
        bad_orders = {r.order_id for r in parsed.records if r.row in parsed.bad_rows}
        position = self.at["amazon-order-id"]
        for error in parsed.errors:
            if len(error.cells) > position and error.cells[position].strip():
                bad_orders.add(error.cells[position].strip())
        if bad_orders:
            for record in parsed.records:
                if record.order_id in bad_orders and record.row not in parsed.bad_rows:
                    parsed.fail(
                        RowError(
                            record.row,
                            "amazon-order-id",
                            "another row of this order is bad, so the order is left out",
                            record.order_id,
                        )
                    )
            parsed.records = [r for r in parsed.records if r.order_id not in bad_orders]

    def write(
        self, session: Session, records: Sequence[OrderItemRow], ctx: ImportContext
    ) -> Counts:
        counts: Counts = {}
        drafts: dict[str, _OrderDraft] = {}
        for r in records:
            draft = drafts.get(r.order_id)
            if draft is None:
                drafts[r.order_id] = _OrderDraft(
                    [r], r.purchased_at, r.status, r.country, r.currency
                )
            else:
                draft.rows.append(r)
                draft.placed_at = min(draft.placed_at, r.purchased_at)
        first_seen: dict[str, dt.datetime] = {}
        for draft in drafts.values():
            if draft.country not in first_seen or draft.placed_at < first_seen[draft.country]:
                first_seen[draft.country] = draft.placed_at
        buyers = anonymous_buyers(session, ctx, first_seen, counts)
        links = link_items(
            session,
            ctx,
            (
                SeenItem(
                    r.sku,
                    r.asin,
                    r.title or r.sku,
                    r.item_price // r.quantity if r.quantity else r.item_price,
                    r.purchased_at.date(),
                )
                for r in records
            ),
            counts,
        )
        # the wanted state of every order and its lines
        wanted: dict[str, tuple[dict[str, Any], list[tuple[int, int, int, int, int]]]] = {}
        for external_id, draft in drafts.items():
            lines: dict[tuple[int, int], list[int]] = {}
            shipping = discount = 0
            for r in draft.rows:
                shipping += r.shipping_price
                discount += r.discount
                if r.item_cancelled and draft.status != OrderStatus.CANCELLED:
                    continue
                listing_id, sku_id = links[(r.sku, r.asin)]
                acc = lines.setdefault((listing_id, sku_id), [0, 0])
                acc[0] += r.quantity
                acc[1] += r.item_price
            line_set = sorted(
                (listing, sku, qty, (amount // qty) if qty else amount, amount)
                for (listing, sku), (qty, amount) in lines.items()
            )
            subtotal = sum(line[4] for line in line_set)
            status = draft.status
            placed = draft.placed_at
            wanted[external_id] = (
                {
                    "status": status,
                    "country": draft.country,
                    "currency": draft.currency,
                    "subtotal_amount": subtotal,
                    "shipping_amount": shipping,
                    "discount_amount": discount,
                    "total_amount": subtotal + shipping - discount,
                    "placed_at": placed,
                    "paid_at": None if status == OrderStatus.DRAFT else placed,
                    "buyer_id": buyers[draft.country],
                },
                line_set,
            )
        _lock_store(session, ctx.store_id)
        existing = _existing_orders(session, ctx.store_id, list(wanted))
        new_orders: list[dict[str, Any]] = []
        changed_orders: list[dict[str, Any]] = []
        kept_status = 0
        unchanged = 0
        for external_id, (values, _lines) in wanted.items():
            have = existing.get(external_id)
            if have is None:
                new_orders.append(
                    {
                        "store_id": ctx.store_id,
                        "external_id": external_id,
                        "kind": OrderKind.RETAIL,
                        "traffic_source": "unknown",
                        "promotion_id": None,
                        "live_stream_id": None,
                        "shipped_at": None,
                        "delivered_at": None,
                        "refunded_at": None,
                        "cancelled_at": values["placed_at"]
                        if values["status"] == OrderStatus.CANCELLED
                        else None,
                        **values,
                    }
                )
                continue
            target = dict(values)
            if values["status"] not in REACHABLE[have["status"]]:
                # an older report cannot move an order back along its status flow
                target["status"] = have["status"]
                kept_status += 1
            differs = {k: v for k, v in target.items() if have[k] != v}
            if differs:
                if differs.get("status") == OrderStatus.CANCELLED:
                    differs["cancelled_at"] = values["placed_at"]
                changed_orders.append({"b_id": have["id"], **differs})
            else:
                unchanged += 1
        if new_orders:
            session.execute(insert(Order), new_orders)
        # updates grouped by the set of changed columns (one executemany per shape)
        shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for change in changed_orders:
            shapes.setdefault(tuple(sorted(k for k in change if k != "b_id")), []).append(change)
        for columns, rows in shapes.items():
            stmt = (
                update(ORDERS)
                .where(ORDERS.c.id == bindparam("b_id"))
                .values({c: bindparam(c) for c in columns})
            )
            session.execute(stmt, rows)
        tally(
            counts,
            "orders",
            inserted=len(new_orders),
            updated=len(changed_orders),
            unchanged=unchanged,
        )
        if kept_status:
            counts["orders"]["kept_newer_status"] = kept_status
        ids = (
            _order_ids(session, ctx.store_id, list(wanted))
            if new_orders
            else {k: v["id"] for k, v in existing.items()}
        )
        old_lines = _existing_lines(session, [v["id"] for v in existing.values()])
        replace: list[int] = []
        line_rows: list[dict[str, Any]] = []
        lines_unchanged = 0
        for external_id, (_values, wanted_lines) in wanted.items():
            order_id = ids[external_id]
            if old_lines.get(order_id, []) == wanted_lines:
                lines_unchanged += len(wanted_lines)
                continue
            if order_id in old_lines:
                replace.append(order_id)
            line_rows.extend(
                {
                    "order_id": order_id,
                    "store_id": ctx.store_id,
                    "listing_id": listing,
                    "sku_id": sku,
                    "quantity": qty,
                    "unit_price_amount": unit,
                    "line_amount": amount,
                    "currency": ctx.currency,
                }
                for listing, sku, qty, unit, amount in wanted_lines
            )
        for part in chunks(replace):
            session.execute(delete(OrderLine).where(OrderLine.order_id.in_(part)))
        if line_rows:
            session.execute(insert(OrderLine), line_rows)
        tally(
            counts,
            "order_lines",
            inserted=len(line_rows),
            unchanged=lines_unchanged,
        )
        if replace:
            counts["order_lines"]["orders_with_lines_replaced"] = len(replace)
        return counts


def _lock_store(session: Session, store_id: int) -> None:
    """Serialise imports into one store (PostgreSQL row lock; SQLite has one writer anyway)."""
    stmt = select(Store.id).where(Store.id == store_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    session.execute(stmt)


_ORDER_COLUMNS = (
    "id",
    "external_id",
    "status",
    "country",
    "currency",
    "subtotal_amount",
    "shipping_amount",
    "discount_amount",
    "total_amount",
    "placed_at",
    "paid_at",
    "buyer_id",
)


def _existing_orders(
    session: Session, store_id: int, external_ids: list[str]
) -> dict[str, dict[str, Any]]:
    table = ORDERS
    cols = [table.c[name] for name in _ORDER_COLUMNS]
    found: dict[str, dict[str, Any]] = {}
    for part in chunks(external_ids):
        stmt = select(*cols).where(table.c.store_id == store_id, table.c.external_id.in_(part))
        for row in session.execute(stmt).mappings():
            found[row["external_id"]] = dict(row)
    return found


def _order_ids(session: Session, store_id: int, external_ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in chunks(external_ids):
        stmt = select(Order.external_id, Order.id).where(
            Order.store_id == store_id, Order.external_id.in_(part)
        )
        found.update({e: int(i) for e, i in session.execute(stmt).tuples()})
    return found


def _existing_lines(
    session: Session, order_ids: list[int]
) -> dict[int, list[tuple[int, int, int, int, int]]]:
    found: dict[int, list[tuple[int, int, int, int, int]]] = {}
    for part in chunks(order_ids):
        stmt = select(
            OrderLine.order_id,
            OrderLine.listing_id,
            OrderLine.sku_id,
            OrderLine.quantity,
            OrderLine.unit_price_amount,
            OrderLine.line_amount,
        ).where(OrderLine.order_id.in_(part))
        for order_id, *line in session.execute(stmt).tuples():
            found.setdefault(int(order_id), []).append(tuple(line))  # type: ignore[arg-type]
    for lines in found.values():
        lines.sort()
    return found
