"""OZON FBS postings from Seller API payloads (``/v3/posting/fbs/list``,
``/v3/posting/fbs/unfulfilled/list``), saved as JSON.

Layout followed: the responses of the Ozon Seller API as the Go client ``diPhantxm/ozon-api-client``
mocks them in the fixtures ``ozon/fbs_get_fbs_shipments_list_response.json`` and
``ozon/fbs_list_unprocessed_shipments_response.json`` (``result.postings[]``). A posting (one
shipment of an order) is a storeops order keyed by ``posting_number``; its products are lines
keyed by the seller's ``offer_id`` with the Ozon ``sku`` as listing; ``price`` is per unit.
Postings carry no shipping charge or discount; the buyer's country is the store's site (Russia
when the site is not a country).
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.orm import Session

from storeops.connectors.amazon.common import store_country
from storeops.connectors.amazon.orders import AllOrdersImporter, OrderItemRow
from storeops.connectors.errors import FileRefused
from storeops.connectors.framework import Counts, ImportContext, Parsed
from storeops.connectors.jsonfiles import JsonImporter, field, text_of
from storeops.connectors.values import RowInvalid, parse_datetime, parse_int, parse_money
from storeops.orders.enums import OrderStatus

STATUS = {
    "acceptance_in_progress": OrderStatus.PAID,
    "awaiting_approve": OrderStatus.PAID,
    "awaiting_registration": OrderStatus.PAID,
    "awaiting_packaging": OrderStatus.PAID,
    "awaiting_deliver": OrderStatus.PAID,
    "awaiting_verification": OrderStatus.PAID,
    "sent_by_seller": OrderStatus.SHIPPED,
    "driver_pickup": OrderStatus.SHIPPED,
    "delivering": OrderStatus.SHIPPED,
    "arbitration": OrderStatus.SHIPPED,
    "client_arbitration": OrderStatus.SHIPPED,
    "delivered": OrderStatus.DELIVERED,
    "cancelled": OrderStatus.CANCELLED,
    "not_accepted": OrderStatus.CANCELLED,
}


class OzonPostingsImporter(JsonImporter[OrderItemRow]):
    """5.14 / 6.1.6 OZON FBS postings payload → orders and order lines."""

    platform: ClassVar[str] = "ozon"
    report: ClassVar[str] = "postings"
    title: ClassVar[str] = "OZON FBS postings (Seller API JSON)"
    layout: ClassVar[str] = "Ozon Seller API /v3/posting/fbs/list and /unfulfilled/list responses"

    def items(self, payload: Any) -> list[Any]:
        result = payload.get("result") if isinstance(payload, dict) else None
        postings = result.get("postings") if isinstance(result, dict) else None
        if not isinstance(postings, list):
            raise FileRefused(
                f"this is not a {self.title} payload: expected result.postings", field="file"
            )
        return postings

    def parse_item(
        self, number: int, item: dict[str, Any], ctx: ImportContext
    ) -> list[OrderItemRow]:
        posting = text_of(field(item, "posting_number"), "posting_number", 40)
        raw_status = text_of(field(item, "status"), "status", 40)
        status = STATUS.get(raw_status)
        if status is None:
            raise RowInvalid("status", "is not an OZON posting status", raw_status)
        placed = parse_datetime(
            text_of(field(item, "in_process_at"), "in_process_at", 40), "in_process_at"
        )
        products = item.get("products")
        if not isinstance(products, list) or not products:
            raise RowInvalid("products", "is missing or empty", None)
        country = store_country(ctx) or "RU"
        rows: list[OrderItemRow] = []
        for i, product in enumerate(products):
            path = f"products[{i}]"
            if not isinstance(product, dict):
                raise RowInvalid(path, "is not an object", None)
            currency = text_of(product.get("currency_code"), f"{path}.currency_code", 3).upper()
            if currency != ctx.currency:
                raise RowInvalid(
                    f"{path}.currency_code", f"is not the store's currency {ctx.currency}", currency
                )
            quantity = parse_int(
                str(product.get("quantity", "")), f"{path}.quantity", maximum=1_000_000
            )
            unit = parse_money(
                text_of(product.get("price"), f"{path}.price", 30),
                currency,
                f"{path}.price",
                allow_negative=False,
            )
            offer = text_of(product.get("offer_id"), f"{path}.offer_id", 40)
            if not offer:
                raise RowInvalid(f"{path}.offer_id", "is empty", None)
            sku = text_of(product.get("sku"), f"{path}.sku", 40) or offer
            rows.append(
                OrderItemRow(
                    number, posting, placed, status, "ozon", currency, offer, sku,
                    text_of(product.get("name"), f"{path}.name", 400), quantity, unit * quantity,
                    0, 0, country, False,
                )
            )  # fmt: skip
        return rows

    def check_file(self, parsed: Parsed[OrderItemRow], ctx: ImportContext) -> None:
        """Postings are whole: nothing else to check across items."""

    def write(self, session: Session, records: Any, ctx: ImportContext) -> Counts:
        return AllOrdersImporter().write(session, records, ctx)
