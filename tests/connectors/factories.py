"""Builders for connector tests: stores on a site, Amazon flat files built cell by cell."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from storeops.auth.scoping import Actor
from storeops.stores.enums import Platform
from storeops.stores.models import Company, Store
from tests.factories import make_company, make_store, owner_actor

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
if not FIXTURES.is_dir():  # a worktree under /work/wt/<issue>/
    FIXTURES = Path("/work/shared/fixtures")

ALL_ORDERS_HEADER = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "url",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
]


def order_row(
    order_id: str,
    *,
    sku: str = "SKU-1",
    asin: str = "B000000001",
    status: str = "Shipped",
    item_status: str = "Shipped",
    quantity: str = "1",
    price: str = "19.99",
    shipping: str = "0.00",
    item_discount: str = "",
    ship_discount: str = "",
    currency: str = "USD",
    channel: str = "Amazon.com",
    purchased: str = "2024-03-01T10:00:00+00:00",
    country: str = "US",
    name: str = "Widget",
) -> list[str]:
    values = dict.fromkeys(ALL_ORDERS_HEADER, "")
    values.update(
        {
            "amazon-order-id": order_id,
            "purchase-date": purchased,
            "last-updated-date": purchased,
            "order-status": status,
            "fulfillment-channel": "Amazon",
            "sales-channel": channel,
            "product-name": name,
            "sku": sku,
            "asin": asin,
            "item-status": item_status,
            "quantity": quantity,
            "currency": currency,
            "item-price": price,
            "shipping-price": shipping,
            "item-promotion-discount": item_discount,
            "ship-promotion-discount": ship_discount,
            "ship-country": country,
        }
    )
    return [values[h] for h in ALL_ORDERS_HEADER]


def tsv(header: Sequence[str], rows: Sequence[Sequence[str]], *, encoding: str = "utf-8") -> bytes:
    lines = ["\t".join(header), *("\t".join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def amazon_store(
    session: Session,
    *,
    company: Company | None = None,
    site: str = "US",
    currency: str = "USD",
    platform: Platform = Platform.AMAZON,
) -> tuple[Store, Actor]:
    company = company or make_company(session)
    store = make_store(session, company=company, platform=platform, currency=currency)
    store.site = site
    session.flush()
    return store, owner_actor(session, company)
