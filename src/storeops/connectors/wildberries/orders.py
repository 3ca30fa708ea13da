"""Wildberries orders from the statistics API (``GET /api/v1/supplier/orders``), saved as JSON.

Layout followed: the ``OrdersItem`` schema and response example of Wildberries' own OpenAPI spec
``wildberries/12-reports.yaml`` ("Отчёты"). Each item is one ordered unit, keyed by ``srid``; it
becomes an order of one line: the seller's ``supplierArticle`` as SKU, ``nmId`` as listing, the
price after the seller's discount (``priceWithDisc``, whole roubles) as the line amount (the
buyer's further SPP discount is Wildberries' own and not the seller's revenue). ``date`` is Moscow
time (UTC+3) without an offset in the API; ``isCancel`` marks cancelled orders.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.orm import Session

from storeops.connectors.amazon.common import store_country
from storeops.connectors.amazon.orders import AllOrdersImporter, OrderItemRow
from storeops.connectors.framework import Counts, ImportContext, Parsed
from storeops.connectors.jsonfiles import JsonImporter, field, text_of
from storeops.connectors.values import RowInvalid, parse_datetime, parse_money
from storeops.orders.enums import OrderStatus

MOSCOW_MINUTES = 180
COUNTRY = {
    "Россия": "RU", "Беларусь": "BY", "Казахстан": "KZ", "Армения": "AM", "Кыргызстан": "KG",
    "Киргизия": "KG", "Узбекистан": "UZ", "Грузия": "GE", "Таджикистан": "TJ",
}  # fmt: skip


class WildberriesOrdersImporter(JsonImporter[OrderItemRow]):
    """5.14 / 6.1.6 Wildberries statistics orders → orders of one line each."""

    platform: ClassVar[str] = "wildberries"
    report: ClassVar[str] = "orders"
    title: ClassVar[str] = "Wildberries orders (statistics API JSON)"
    layout: ClassVar[str] = "OrdersItem of GET /api/v1/supplier/orders (statistics API)"

    def parse_item(
        self, number: int, item: dict[str, Any], ctx: ImportContext
    ) -> list[OrderItemRow]:
        srid = text_of(field(item, "srid"), "srid", 40)
        placed = parse_datetime(
            text_of(field(item, "date"), "date", 40),
            "date",
            default_offset_minutes=MOSCOW_MINUTES,
        )
        article = text_of(field(item, "supplierArticle"), "supplierArticle", 40)
        nm_id = text_of(field(item, "nmId"), "nmId", 40)
        raw_price = field(item, "priceWithDisc")
        if isinstance(raw_price, bool) or not isinstance(raw_price, int | float | str):
            raise RowInvalid("priceWithDisc", "is not a number", str(raw_price)[:40])
        amount = parse_money(str(raw_price), ctx.currency, "priceWithDisc", allow_negative=False)
        raw_country = text_of(item.get("countryName"), "countryName", 60)
        country = COUNTRY.get(raw_country) or store_country(ctx) or "RU"
        cancelled = item.get("isCancel") is True
        status = OrderStatus.CANCELLED if cancelled else OrderStatus.PAID
        title = " ".join(text_of(item.get(k), k, 120) for k in ("brand", "subject") if item.get(k))
        return [
            OrderItemRow(
                number, srid, placed, status, "wildberries", ctx.currency, article, nm_id,
                title or article, 1, amount, 0, 0, country, False,
            )
        ]  # fmt: skip

    def check_file(self, parsed: Parsed[OrderItemRow], ctx: ImportContext) -> None:
        """Every item is its own order: nothing to check across items."""

    def write(self, session: Session, records: Any, ctx: ImportContext) -> Counts:
        return AllOrdersImporter().write(session, records, ctx)
