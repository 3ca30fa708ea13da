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
from operator import itemgetter
from typing import Any, ClassVar, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from storeops.connectors.amazon.common import check_marketplaces, store_country
from storeops.connectors.framework import (
    Counts,
    FileImporter,
    ImportContext,
    Parsed,
    Progress,
    RowError,
)
from storeops.connectors.linking import SeenItem, anonymous_buyers, chunks, link_items, tally
from storeops.connectors.reading import Table as FileTable
from storeops.connectors.values import RowInvalid, parse_datetime, parse_int, parse_minor
from storeops.orders.enums import ORDER_TRANSITIONS, OrderKind, OrderStatus
from storeops.orders.models import Order, OrderLine
from storeops.stores.models import Store
from storeops.types import minor_unit_digits

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
LINES = cast(Table, OrderLine.__table__)
REACHABLE = {status: _reachable(status) for status in OrderStatus}


class OrderItemRow(NamedTuple):
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


_PICKED = (
    "amazon-order-id", "purchase-date", "order-status", "sales-channel", "product-name", "sku",
    "asin", "item-status", "quantity", "currency", "item-price", "shipping-price",
    "item-promotion-discount", "ship-promotion-discount", "ship-country",
)  # fmt: skip


class AllOrdersImporter(FileImporter[OrderItemRow]):
    """5.14 / 6.1.6 Amazon all-orders report → orders, order lines (and linked SKUs, listings)."""

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

    def parse(
        self, table: FileTable, ctx: ImportContext, progress: Progress | None = None
    ) -> Parsed[OrderItemRow]:
        self.digits = minor_unit_digits(ctx.currency)
        self.__dict__.pop("getter", None)
        return super().parse(table, ctx, progress)

    def parse_row(
        self, row: int, cells: list[str], at: dict[str, int], ctx: ImportContext
    ) -> OrderItemRow:
        getter = self.__dict__.get("getter")
        if getter is None:
            getter = self.getter = itemgetter(*(at[c] for c in _PICKED))
        (
            order_id, purchase, raw_status, channel, title, sku, asin, item_status, raw_quantity,
            raw_currency, raw_price, raw_shipping, raw_item_discount, raw_ship_discount, raw_country,
        ) = getter(cells)  # fmt: skip
        order_id = order_id.strip()
        if not order_id:
            raise RowInvalid("amazon-order-id", "is empty", "")
        if len(order_id) > 40:
            raise RowInvalid("amazon-order-id", "is longer than 40 characters", order_id[:60])
        status = ORDER_STATUS.get(raw_status.strip().lower())
        if status is None:
            raise RowInvalid("order-status", "is not an Amazon order status", raw_status)
        purchased = parse_datetime(purchase, "purchase-date")
        currency = raw_currency.strip().upper() or ctx.currency
        if currency != ctx.currency:
            raise RowInvalid(
                "currency", f"is not the store's currency {ctx.currency}", raw_currency
            )
        sku = sku.strip()
        if not sku:
            raise RowInvalid("sku", "is empty", "")
        if len(sku) > 40:
            raise RowInvalid("sku", "is longer than 40 characters", sku[:60])
        asin = asin.strip()
        if asin and (len(asin) != 10 or not asin.isalnum()):
            raise RowInvalid("asin", "is not a 10-character ASIN", asin)
        quantity = parse_int(raw_quantity, "quantity", maximum=1_000_000)
        country = raw_country.strip().upper()
        if not country:
            country = store_country(ctx) or ""
            if not country:
                raise RowInvalid("ship-country", "is empty", "")
        elif len(country) != 2 or not country.isalpha():
            raise RowInvalid("ship-country", "is not a two-letter country code", raw_country)
        digits = self.digits
        item_price = parse_minor(raw_price, digits, currency, "item-price", False)
        shipping = parse_minor(raw_shipping, digits, currency, "shipping-price")
        discount = abs(
            parse_minor(raw_item_discount, digits, currency, "item-promotion-discount")
        ) + abs(parse_minor(raw_ship_discount, digits, currency, "ship-promotion-discount"))
        return OrderItemRow(
            row,
            order_id,
            purchased,
            status,
            channel.strip(),
            currency,
            sku,
            asin or sku,
            title.strip(),
            quantity,
            item_price,
            shipping,
            discount,
            country,
            item_status.strip().lower() == "cancelled",
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
        lock_store(session, ctx.store_id)
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
        first_of_item: dict[tuple[str, str], OrderItemRow] = {}
        for r in records:
            first_of_item.setdefault((r.sku, r.asin), r)
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
                for r in first_of_item.values()
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
        store_orders = session.scalar(
            select(func.count()).select_from(ORDERS).where(ORDERS.c.store_id == ctx.store_id)
        )
        whole_store = bool(store_orders) and len(wanted) * 4 >= (store_orders or 0)
        existing = (
            _existing_orders(session, ctx.store_id, list(wanted), whole_store=whole_store)
            if store_orders
            else {}
        )
        last_id = session.scalar(select(func.max(ORDERS.c.id))) or 0
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
            session.execute(insert(ORDERS), new_orders)
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
        ids = {k: v["id"] for k, v in existing.items()}
        if new_orders:  # their ids: the store's orders above the highest id before the insert
            created = select(ORDERS.c.external_id, ORDERS.c.id).where(
                ORDERS.c.store_id == ctx.store_id, ORDERS.c.id > last_id
            )
            ids.update({str(e): int(i) for e, i in session.execute(created).tuples()})
        old_lines = (
            _existing_lines(
                session, ctx.store_id, [v["id"] for v in existing.values()], whole_store
            )
            if existing
            else {}
        )
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
            session.execute(delete(LINES).where(LINES.c.order_id.in_(part)))
        if line_rows:
            session.execute(insert(LINES), line_rows)
        tally(
            counts,
            "order_lines",
            inserted=len(line_rows),
            unchanged=lines_unchanged,
        )
        if replace:
            counts["order_lines"]["orders_with_lines_replaced"] = len(replace)
        return counts


def lock_store(session: Session, store_id: int) -> None:
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
    session: Session, store_id: int, external_ids: list[str], *, whole_store: bool
) -> dict[str, dict[str, Any]]:
    """The store's orders among ``external_ids`` (one scan of the store when they are most of it)."""
    cols = [ORDERS.c[name] for name in _ORDER_COLUMNS]
    found: dict[str, dict[str, Any]] = {}
    if whole_store:
        wanted = set(external_ids)
        stmt = select(*cols).where(ORDERS.c.store_id == store_id)
        for row in session.execute(stmt).mappings():
            if row["external_id"] in wanted:
                found[row["external_id"]] = dict(row)
        return found
    for part in chunks(external_ids):
        stmt = select(*cols).where(ORDERS.c.store_id == store_id, ORDERS.c.external_id.in_(part))
        for row in session.execute(stmt).mappings():
            found[row["external_id"]] = dict(row)
    return found


def _existing_lines(
    session: Session, store_id: int, order_ids: list[int], whole_store: bool
) -> dict[int, list[tuple[int, int, int, int, int]]]:
    """The lines of ``order_ids`` as sorted (listing, sku, quantity, unit price, amount)."""
    columns = (
        LINES.c.order_id,
        LINES.c.listing_id,
        LINES.c.sku_id,
        LINES.c.quantity,
        LINES.c.unit_price_amount,
        LINES.c.line_amount,
    )
    found: dict[int, list[tuple[int, int, int, int, int]]] = {}
    if whole_store:
        wanted = set(order_ids)
        stmt = (
            select(*columns)
            .join(ORDERS, ORDERS.c.id == LINES.c.order_id)
            .where(ORDERS.c.store_id == store_id)
        )
        for order_id, *line in session.execute(stmt).tuples():
            if order_id in wanted:
                found.setdefault(order_id, []).append(tuple(line))
    else:
        for part in chunks(order_ids):
            stmt = select(*columns).where(LINES.c.order_id.in_(part))
            for order_id, *line in session.execute(stmt).tuples():
                found.setdefault(order_id, []).append(tuple(line))
    for lines in found.values():
        lines.sort()
    return found
