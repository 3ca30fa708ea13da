"""Amazon Selling Partner API: orders and order items through ``python-amazon-sp-api``.

``OrdersPuller`` pages through ``getOrders`` and ``getOrderItems`` (``NextToken``), retrying
throttled calls (HTTP 429) with exponential backoff, and composes one JSON document
``{"orders": [order + "OrderItems"]}``. ``SpApiOrdersImporter`` imports such a document like any
other file (job record, whole-payload validation, idempotent upserts), after checking that each
order's ``OrderTotal`` reconciles with its items (prices + shipping + gift wrap + taxes −
promotion and shipping discounts). ``sync_orders`` is the job that does both.

Tested against the static sandbox examples of Amazon's own ``ordersV0`` model
(``amazon-sp-api/ordersV0.json``) served by a local fake server; not against the live API.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, ClassVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storeops.auth.scoping import Actor
from storeops.connectors.amazon.common import check_marketplaces, store_country
from storeops.connectors.amazon.orders import ORDER_STATUS, AllOrdersImporter, OrderItemRow
from storeops.connectors.framework import Counts, ImportContext, Parsed
from storeops.connectors.jsonfiles import JsonImporter, field, text_of
from storeops.connectors.models import ImportJob
from storeops.connectors.values import RowInvalid, parse_datetime, parse_int, parse_money
from storeops.errors import DomainError

_PRICE_PARTS = (
    "ItemPrice",
    "ShippingPrice",
    "GiftWrapPrice",
    "ItemTax",
    "ShippingTax",
    "GiftWrapTax",
)
_DISCOUNTS = ("PromotionDiscount", "ShippingDiscount")


class SpApiError(DomainError):
    """The Selling Partner API refused a call or kept throttling it."""

    code = "sp_api_error"


def orders_api(
    *, endpoint: str, token_url: str, refresh_token: str, client_id: str, client_secret: str
) -> Any:
    """An ``OrdersV0`` client of python-amazon-sp-api talking to ``endpoint``.

    ``token_url`` is the Login with Amazon token endpoint (``https://api.amazon.com/auth/o2/token``
    in production; a local fake server in tests).
    """
    from sp_api.api import OrdersV0
    from sp_api.auth import AccessTokenClient

    scheme, rest = token_url.split("://", 1)
    host, _, path = rest.partition("/")

    class TokenClient(AccessTokenClient):  # type: ignore[misc]
        pass

    TokenClient.scheme = f"{scheme}://"
    TokenClient.host = host
    TokenClient.path = "/" + path
    api = OrdersV0(
        refresh_token=refresh_token,
        credentials={"lwa_app_id": client_id, "lwa_client_secret": client_secret},
        auth_token_client_class=TokenClient,
    )
    api.endpoint = endpoint.rstrip("/")
    return api


@dataclass
class OrdersPuller:
    """Pulls orders with their items, honouring rate limits."""

    api: Any
    sleep: Callable[[float], None] = time.sleep
    max_retries: int = 6
    base_delay: float = 1.0
    waited: list[float] = dc_field(default_factory=list)

    def _call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        from sp_api.base import SellingApiException, SellingApiRequestThrottledException

        for attempt in range(self.max_retries + 1):
            try:
                return method(*args, **kwargs)
            except SellingApiRequestThrottledException:
                if attempt == self.max_retries:
                    raise SpApiError(
                        f"the Selling Partner API kept throttling after {attempt} retries"
                    ) from None
                delay = min(60.0, self.base_delay * 2**attempt)
                self.waited.append(delay)
                self.sleep(delay)
            except SellingApiException as exc:
                raise SpApiError(f"the Selling Partner API refused the call: {exc}") from None
        raise AssertionError("unreachable")

    def orders(self, *, created_after: str, marketplace_ids: list[str]) -> list[dict[str, Any]]:
        """Every order created after ``created_after`` (all pages)."""
        found: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"CreatedAfter": created_after, "MarketplaceIds": marketplace_ids}
        while True:
            page = self._call(self.api.get_orders, **kwargs).payload or {}
            found.extend(page.get("Orders") or [])
            token = page.get("NextToken")
            if not token:
                return found
            kwargs = {
                "NextToken": token,
                "MarketplaceIds": marketplace_ids,
                "CreatedAfter": created_after,
            }

    def items(self, order_id: str) -> list[dict[str, Any]]:
        """Every item of one order (all pages)."""
        found: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {}
        while True:
            page = self._call(self.api.get_order_items, order_id, **kwargs).payload or {}
            found.extend(page.get("OrderItems") or [])
            token = page.get("NextToken")
            if not token:
                return found
            kwargs = {"NextToken": token}

    def payload(self, *, created_after: str, marketplace_ids: list[str]) -> dict[str, Any]:
        """Orders with their items as one document that ``SpApiOrdersImporter`` imports."""
        orders = self.orders(created_after=created_after, marketplace_ids=marketplace_ids)
        return {"orders": [{**o, "OrderItems": self.items(o["AmazonOrderId"])} for o in orders]}


def _money(value: Any, path: str, currency: str) -> int:
    if value in (None, {}):
        return 0
    if not isinstance(value, dict):
        raise RowInvalid(path, "is not a Money object", str(value)[:60])
    code = str(value.get("CurrencyCode") or currency).upper()
    if code != currency:
        raise RowInvalid(f"{path}.CurrencyCode", f"is not the order's currency {currency}", code)
    return parse_money(str(value.get("Amount") or "0"), currency, f"{path}.Amount")


class SpApiOrdersImporter(JsonImporter[OrderItemRow]):
    """5.14 / 6.1.6 SP-API orders with their items → orders and order lines."""

    platform: ClassVar[str] = "amazon"
    report: ClassVar[str] = "sp-api-orders"
    title: ClassVar[str] = "Amazon SP-API orders with items (JSON)"
    layout: ClassVar[str] = "Orders API v0 Order + OrderItems, as OrdersPuller composes them"
    list_keys: ClassVar[tuple[str, ...]] = ("orders",)

    def parse_item(
        self, number: int, item: dict[str, Any], ctx: ImportContext
    ) -> list[OrderItemRow]:
        order_id = text_of(field(item, "AmazonOrderId"), "AmazonOrderId", 40)
        raw_status = text_of(field(item, "OrderStatus"), "OrderStatus", 40)
        status = ORDER_STATUS.get(raw_status.lower())
        if status is None:
            raise RowInvalid("OrderStatus", "is not an Amazon order status", raw_status)
        placed = parse_datetime(
            text_of(field(item, "PurchaseDate"), "PurchaseDate", 40), "PurchaseDate"
        )
        total = item.get("OrderTotal")
        currency = str((total or {}).get("CurrencyCode") or ctx.currency).upper()
        if currency != ctx.currency:
            raise RowInvalid(
                "OrderTotal.CurrencyCode", f"is not the store's currency {ctx.currency}", currency
            )
        items = item.get("OrderItems")
        if not isinstance(items, list) or not items:
            raise RowInvalid("OrderItems", "is missing or empty", None)
        address = item.get("ShippingAddress") or {}
        country = str(address.get("CountryCode") or store_country(ctx) or "").upper()
        if len(country) != 2:
            raise RowInvalid("ShippingAddress.CountryCode", "is missing", None)
        rows: list[OrderItemRow] = []
        charged = 0
        for i, line in enumerate(items):
            path = f"OrderItems[{i}]"
            if not isinstance(line, dict):
                raise RowInvalid(path, "is not an object", None)
            quantity = parse_int(str(line.get("QuantityOrdered", "")), f"{path}.QuantityOrdered")
            price = _money(line.get("ItemPrice"), f"{path}.ItemPrice", currency)
            shipping = _money(line.get("ShippingPrice"), f"{path}.ShippingPrice", currency)
            discount = sum(abs(_money(line.get(k), f"{path}.{k}", currency)) for k in _DISCOUNTS)
            charged += sum(_money(line.get(k), f"{path}.{k}", currency) for k in _PRICE_PARTS)
            charged -= discount
            sku = text_of(line.get("SellerSKU"), f"{path}.SellerSKU", 40)
            asin = text_of(line.get("ASIN"), f"{path}.ASIN", 10)
            if not sku:
                raise RowInvalid(f"{path}.SellerSKU", "is empty", None)
            rows.append(
                OrderItemRow(
                    number, order_id, placed, status, str(item.get("SalesChannel") or ""),
                    currency, sku, asin or sku, text_of(line.get("Title"), f"{path}.Title", 400),
                    quantity, price, shipping, discount, country, False,
                )
            )  # fmt: skip
        if total:
            declared = _money(total, "OrderTotal", currency)
            if declared != charged:
                raise RowInvalid(
                    "OrderTotal",
                    f"does not reconcile with its items (they charge {charged} minor units)",
                    str(total.get("Amount")),
                )
        return rows

    def check_file(self, parsed: Parsed[OrderItemRow], ctx: ImportContext) -> None:
        check_marketplaces(
            {r.channel for r in parsed.records if r.channel.lower().startswith("amazon.")},
            ctx,
            "SalesChannel",
        )

    def write(self, session: Session, records: Any, ctx: ImportContext) -> Counts:
        return AllOrdersImporter().write(session, records, ctx)


def sync_orders(
    engine: Engine,
    *,
    actor: Actor,
    store_id: int,
    puller: OrdersPuller,
    created_after: str,
    marketplace_ids: list[str],
) -> ImportJob:
    """5.14 Pull orders and items from the SP-API and import them as one job."""
    from storeops.connectors.jobs import run_import

    payload = puller.payload(created_after=created_after, marketplace_ids=marketplace_ids)
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return run_import(
        engine,
        actor=actor,
        store_id=store_id,
        platform="amazon",
        report="sp-api-orders",
        file_name=f"sp-api-orders-after-{created_after}.json"[:255],
        data=data,
    )
