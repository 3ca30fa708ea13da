"""Shopify orders from REST Admin API payloads (``GET /admin/api/…/orders.json`` or ``order.json``).

Layout followed: the Order resource of Shopify's REST Admin API, as in the fixtures
``shopify/order.json`` and ``shopify/orders.json`` (Shopify's own Python library's test payloads).
Each line item becomes an order line keyed by its SKU (its variant id when the SKU is blank) and
its product id as the listing; the order's subtotal is ``total_line_items_price`` and must equal
the sum of its line items, the discount is ``total_discounts``, shipping the sum of
``shipping_lines``; taxes are not part of storeops' order totals. Buyers stay pseudonymous (one
per ship-to country), as for the marketplaces.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.orm import Session

from storeops.connectors.amazon.orders import AllOrdersImporter, OrderItemRow
from storeops.connectors.framework import Counts, ImportContext, Parsed
from storeops.connectors.jsonfiles import JsonImporter, field, text_of
from storeops.connectors.values import RowInvalid, parse_datetime, parse_int, parse_money
from storeops.orders.enums import OrderStatus

FINANCIAL_STATUS = {
    "pending": OrderStatus.DRAFT,
    "authorized": OrderStatus.PAID,
    "partially_paid": OrderStatus.PAID,
    "paid": OrderStatus.PAID,
    "partially_refunded": OrderStatus.PAID,
    "refunded": OrderStatus.REFUNDED,
    "voided": OrderStatus.CANCELLED,
}


class ShopifyOrdersImporter(JsonImporter[OrderItemRow]):
    """5.14 / 6.1.6 Shopify orders payload → orders and order lines."""

    platform: ClassVar[str] = "shopify"
    report: ClassVar[str] = "orders"
    title: ClassVar[str] = "Shopify orders (REST Admin API JSON)"
    layout: ClassVar[str] = "Order resource of the Shopify REST Admin API (orders.json, order.json)"
    list_keys: ClassVar[tuple[str, ...]] = ("orders", "order")

    def parse_item(
        self, number: int, item: dict[str, Any], ctx: ImportContext
    ) -> list[OrderItemRow]:
        order_id = text_of(field(item, "id"), "id", 40)
        currency = text_of(field(item, "currency"), "currency", 3).upper()
        if currency != ctx.currency:
            raise RowInvalid("currency", f"is not the store's currency {ctx.currency}", currency)
        placed = parse_datetime(text_of(field(item, "created_at"), "created_at", 40), "created_at")
        raw_status = text_of(field(item, "financial_status"), "financial_status", 40)
        status = FINANCIAL_STATUS.get(raw_status)
        if status is None:
            raise RowInvalid("financial_status", "is not a Shopify financial status", raw_status)
        if item.get("cancelled_at"):
            status = OrderStatus.CANCELLED
        elif status == OrderStatus.PAID and item.get("fulfillment_status") == "fulfilled":
            status = OrderStatus.SHIPPED
        lines = item.get("line_items")
        if not isinstance(lines, list) or not lines:
            raise RowInvalid("line_items", "is missing or empty: the order has no line items", None)
        country = text_of(
            field(item, "shipping_address.country_code", required=False),
            "shipping_address.country_code",
            2,
        ).upper()
        if not country:
            country = text_of(
                field(item, "billing_address.country_code", required=False),
                "billing_address.country_code",
                2,
            ).upper()
        if not country:
            raise RowInvalid("shipping_address.country_code", "is missing", None)
        shipping = sum(
            parse_money(str(s.get("price") or "0"), currency, "shipping_lines.price")
            for s in item.get("shipping_lines") or []
            if isinstance(s, dict)
        )
        discount = parse_money(str(item.get("total_discounts") or "0"), currency, "total_discounts")
        rows: list[OrderItemRow] = []
        for i, line in enumerate(lines):
            path = f"line_items[{i}]"
            if not isinstance(line, dict):
                raise RowInvalid(path, "is not an object", None)
            quantity = parse_int(
                str(line.get("quantity", "")), f"{path}.quantity", maximum=1_000_000
            )
            unit = parse_money(
                str(line.get("price", "")), currency, f"{path}.price", allow_negative=False
            )
            sku = text_of(line.get("sku"), f"{path}.sku", 40) or text_of(
                line.get("variant_id"), f"{path}.variant_id", 40
            )
            if not sku:
                raise RowInvalid(f"{path}.sku", "is empty and so is variant_id", None)
            product = text_of(line.get("product_id"), f"{path}.product_id", 40) or sku
            rows.append(
                OrderItemRow(
                    number, order_id, placed, status, "shopify", currency, sku, product,
                    text_of(line.get("title"), f"{path}.title", 400), quantity, unit * quantity,
                    shipping if i == 0 else 0, discount if i == 0 else 0, country, False,
                )
            )  # fmt: skip
        declared = parse_money(
            str(field(item, "total_line_items_price")), currency, "total_line_items_price"
        )
        summed = sum(r.item_price for r in rows)
        if declared != summed:
            raise RowInvalid(
                "total_line_items_price",
                f"is not the sum of the line items ({summed / 10**2:.2f})"
                if currency not in ("JPY", "KRW")
                else f"is not the sum of the line items ({summed})",
                str(item.get("total_line_items_price")),
            )
        return rows

    def check_file(self, parsed: Parsed[OrderItemRow], ctx: ImportContext) -> None:
        """Orders are whole: nothing else to check across items."""

    def write(self, session: Session, records: Any, ctx: ImportContext) -> Counts:
        return AllOrdersImporter().write(session, records, ctx)
