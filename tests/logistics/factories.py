"""Typed builders for fulfilment and money tests: SKUs, orders with lines, channels."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy.orm import Session

from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Category, Listing, Product, Sku
from storeops.crm.enums import BuyerKind
from storeops.crm.models import Buyer
from storeops.orders.enums import OrderKind, OrderStatus
from storeops.orders.models import Order, OrderLine
from storeops.stores.models import Store

_seq = itertools.count(1)
T0 = dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.UTC)


def make_sku(
    session: Session,
    *,
    store: Store,
    weight_g: int = 300,
    dims_mm: tuple[int, int, int] = (200, 150, 100),
    cost: int = 2000,
    cost_currency: str = "CNY",
    battery: bool = False,
    liquid: bool = False,
    hs_code: str = "8517620000",
    name: str = "Bluetooth speaker",
) -> tuple[Sku, Listing]:
    n = next(_seq)
    category = Category(company_id=store.company_id, code=f"C{n}", name_zh="类目", name_en="Cat")
    session.add(category)
    session.flush()
    product = Product(
        company_id=store.company_id,
        category_id=category.id,
        code=f"P{n}",
        name_zh="产品",
        name_en=name,
        brand="Acme",
        hs_code=hs_code,
        launched_on=dt.date(2024, 1, 1),
        has_battery=battery,
        has_liquid=liquid,
    )
    session.add(product)
    session.flush()
    sku = Sku(
        company_id=store.company_id,
        product_id=product.id,
        code=f"SKU-{n}",
        variant="black",
        cost_amount=cost,
        cost_currency=cost_currency,
        weight_g=weight_g,
        length_mm=dims_mm[0],
        width_mm=dims_mm[1],
        height_mm=dims_mm[2],
    )
    listing = Listing(
        store_id=store.id,
        product_id=product.id,
        external_id=f"L{n}",
        title=name,
        bullet_points=[],
        description="",
        attributes={},
        price_amount=1999,
        currency=store.currency,
        image_count=5,
        video_count=0,
        status=ListingStatus.ACTIVE,
        listed_on=dt.date(2024, 1, 1),
        updated_on=dt.date(2024, 1, 1),
    )
    session.add_all([sku, listing])
    session.flush()
    return sku, listing


def make_order(
    session: Session,
    *,
    store: Store,
    lines: list[tuple[Sku, Listing, int, int]],
    country: str = "US",
    shipping: int = 0,
    placed_at: dt.datetime = T0,
    status: OrderStatus = OrderStatus.PAID,
) -> Order:
    """An order with ``lines`` of (sku, listing, quantity, unit price in minor units)."""
    n = next(_seq)
    buyer = Buyer(
        store_id=store.id,
        handle=f"buyer{n}",
        kind=BuyerKind.CONSUMER,
        country=country,
        source="organic",
        first_seen_at=placed_at,
    )
    session.add(buyer)
    session.flush()
    subtotal = sum(q * p for _s, _l, q, p in lines)
    order = Order(
        store_id=store.id,
        external_id=f"O-{n}",
        buyer_id=buyer.id,
        kind=OrderKind.RETAIL,
        status=status,
        country=country,
        currency=store.currency,
        subtotal_amount=subtotal,
        shipping_amount=shipping,
        discount_amount=0,
        total_amount=subtotal + shipping,
        traffic_source="search",
        placed_at=placed_at,
        paid_at=placed_at + dt.timedelta(minutes=5),
    )
    session.add(order)
    session.flush()
    session.add_all(
        OrderLine(
            order_id=order.id,
            store_id=store.id,
            listing_id=listing.id,
            sku_id=sku.id,
            quantity=q,
            unit_price_amount=p,
            line_amount=q * p,
            currency=store.currency,
        )
        for sku, listing, q, p in lines
    )
    session.flush()
    return order
