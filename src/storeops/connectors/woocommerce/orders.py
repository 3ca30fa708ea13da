"""WooCommerce orders from REST API v3 payloads (``GET /wp-json/wc/v3/orders``, ``…/orders/<id>``).

Layout followed: the order properties of WooCommerce's REST API v3 documentation, whose JSON
response examples are in the fixture ``woocommerce/_orders.md``. A line item's SKU is its ``sku``,
or ``product-<product_id>[-<variation_id>]`` when blank; its listing is the product id. Subtotal =
the line items' ``subtotal`` (before coupons), discount = ``discount_total``, shipping =
``shipping_total``; the payload's ``total`` must reconcile with them plus ``total_tax`` and fee
lines. ``date_created_gmt`` is UTC.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.orm import Session

from storeops.connectors.amazon.orders import AllOrdersImporter, OrderItemRow
from storeops.connectors.framework import Counts, ImportContext, Parsed
from storeops.connectors.jsonfiles import JsonImporter, field, text_of
from storeops.connectors.values import RowInvalid, parse_datetime, parse_int, parse_money
from storeops.orders.enums import OrderStatus

STATUS = {
    "pending": OrderStatus.DRAFT,
    "on-hold": OrderStatus.DRAFT,
    "checkout-draft": OrderStatus.DRAFT,
    "processing": OrderStatus.PAID,
    "completed": OrderStatus.SHIPPED,
    "cancelled": OrderStatus.CANCELLED,
    "failed": OrderStatus.CANCELLED,
    "refunded": OrderStatus.REFUNDED,
}


class WooCommerceOrdersImporter(JsonImporter[OrderItemRow]):
    """5.14 / 6.1.6 WooCommerce orders payload → orders and order lines."""

    platform: ClassVar[str] = "woocommerce"
    report: ClassVar[str] = "orders"
    title: ClassVar[str] = "WooCommerce orders (REST API v3 JSON)"
    layout: ClassVar[str] = "Order properties of the WooCommerce REST API v3"
    list_keys: ClassVar[tuple[str, ...]] = ("orders", "order")

    def parse_item(
        self, number: int, item: dict[str, Any], ctx: ImportContext
    ) -> list[OrderItemRow]:
        order_id = text_of(field(item, "id"), "id", 40)
        currency = text_of(field(item, "currency"), "currency", 3).upper()
        if currency != ctx.currency:
            raise RowInvalid("currency", f"is not the store's currency {ctx.currency}", currency)
        created = text_of(field(item, "date_created_gmt"), "date_created_gmt", 40)
        placed = parse_datetime(created, "date_created_gmt")
        raw_status = text_of(field(item, "status"), "status", 40)
        status = STATUS.get(raw_status)
        if status is None:
            raise RowInvalid("status", "is not a WooCommerce order status", raw_status)
        lines = item.get("line_items")
        if not isinstance(lines, list) or not lines:
            raise RowInvalid("line_items", "is missing or empty: the order has no line items", None)
        country = ""
        for path in ("shipping.country", "billing.country"):
            country = text_of(field(item, path, required=False), path, 2).upper()
            if country:
                break
        if not country:
            raise RowInvalid("shipping.country", "is missing (and so is billing.country)", None)

        def money(value: Any, path: str) -> int:
            return parse_money(
                text_of(value if value is not None else "0", path, 30), currency, path
            )

        shipping = money(item.get("shipping_total"), "shipping_total")
        discount = money(item.get("discount_total"), "discount_total")
        rows: list[OrderItemRow] = []
        for i, line in enumerate(lines):
            path = f"line_items[{i}]"
            if not isinstance(line, dict):
                raise RowInvalid(path, "is not an object", None)
            quantity = parse_int(
                str(line.get("quantity", "")), f"{path}.quantity", maximum=1_000_000
            )
            amount = money(line.get("subtotal"), f"{path}.subtotal")
            if amount < 0:
                raise RowInvalid(f"{path}.subtotal", "is negative", str(line.get("subtotal")))
            product = text_of(line.get("product_id"), f"{path}.product_id", 30)
            if not product:
                raise RowInvalid(f"{path}.product_id", "is missing", None)
            variation = text_of(line.get("variation_id"), f"{path}.variation_id", 30)
            sku = text_of(line.get("sku"), f"{path}.sku", 40) or (
                f"product-{product}" + (f"-{variation}" if variation not in ("", "0") else "")
            )
            rows.append(
                OrderItemRow(
                    number, order_id, placed, status, "woocommerce", currency, sku, product,
                    text_of(line.get("name"), f"{path}.name", 400), quantity, amount,
                    shipping if i == 0 else 0, discount if i == 0 else 0, country, False,
                )
            )  # fmt: skip
        fees = sum(
            money(f.get("total"), "fee_lines.total")
            for f in item.get("fee_lines") or []
            if isinstance(f, dict)
        )
        expected = (
            sum(r.item_price for r in rows)
            - discount
            + shipping
            + money(item.get("total_tax"), "total_tax")
            + fees
        )
        total = money(field(item, "total"), "total")
        if total != expected:
            raise RowInvalid(
                "total",
                "does not reconcile with line subtotals - discount + shipping + tax + fees",
                str(item.get("total")),
            )
        return rows

    def check_file(self, parsed: Parsed[OrderItemRow], ctx: ImportContext) -> None:
        """Orders are whole: nothing else to check across items."""

    def write(self, session: Session, records: Any, ctx: ImportContext) -> Counts:
        return AllOrdersImporter().write(session, records, ctx)
