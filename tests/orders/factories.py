"""Typed builders of orders, listings and reviews for tests."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy.orm import Session

from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Category, Listing, Product
from storeops.crm.models import Buyer, Review
from storeops.orders.enums import OrderKind, OrderStatus
from storeops.orders.models import Order
from storeops.stores.models import Store

_seq = itertools.count(1)


def make_order(
    session: Session,
    *,
    store: Store,
    buyer: Buyer,
    total: int = 10_000,
    currency: str = "USD",
    status: OrderStatus = OrderStatus.PAID,
    placed_at: dt.datetime = dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC),
    delivered_at: dt.datetime | None = None,
) -> Order:
    paid = placed_at + dt.timedelta(minutes=5) if status != OrderStatus.DRAFT else None
    order = Order(
        store_id=store.id,
        external_id=f"O-{next(_seq):08d}",
        buyer_id=buyer.id,
        kind=OrderKind.RETAIL,
        status=status,
        country=buyer.country,
        currency=currency,
        subtotal_amount=total,
        shipping_amount=0,
        discount_amount=0,
        total_amount=total,
        traffic_source="organic_search",
        placed_at=placed_at,
        paid_at=paid,
        delivered_at=delivered_at,
    )
    session.add(order)
    session.flush()
    return order


def make_listing(session: Session, *, store: Store) -> Listing:
    n = next(_seq)
    category = Category(company_id=store.company_id, code=f"C{n}", name_zh="类", name_en="Cat")
    session.add(category)
    session.flush()
    product = Product(
        company_id=store.company_id,
        category_id=category.id,
        code=f"P{n}",
        name_zh="产品",
        name_en="Product",
        brand="Brand",
        hs_code="000000",
        launched_on=dt.date(2026, 1, 1),
    )
    session.add(product)
    session.flush()
    listing = Listing(
        store_id=store.id,
        product_id=product.id,
        external_id=f"L{n}",
        title="Product",
        bullet_points=[],
        description="",
        attributes={},
        price_amount=1000,
        currency=store.currency,
        image_count=1,
        video_count=0,
        status=ListingStatus.ACTIVE,
        listed_on=dt.date(2026, 1, 1),
        updated_on=dt.date(2026, 1, 1),
    )
    session.add(listing)
    session.flush()
    return listing


def make_review(
    session: Session,
    *,
    order: Order,
    listing: Listing,
    rating: int = 2,
    created_at: dt.datetime = dt.datetime(2026, 11, 10, tzinfo=dt.UTC),
) -> Review:
    review = Review(
        store_id=order.store_id,
        order_id=order.id,
        listing_id=listing.id,
        buyer_id=order.buyer_id,
        rating=rating,
        image_count=0,
        text="Broke after a week",
        created_at=created_at,
    )
    session.add(review)
    session.flush()
    return review
