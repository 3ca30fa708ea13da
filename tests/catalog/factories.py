"""Typed builders for catalog records: categories, products, media, groups, listings, facts."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy.orm import Session

from storeops.catalog.enums import ListingStatus, MediaKind
from storeops.catalog.models import (
    Category,
    Certificate,
    Listing,
    MediaAsset,
    Product,
    ProductGroup,
)
from storeops.crm.enums import BuyerKind, InquiryStatus
from storeops.crm.models import Buyer, Inquiry
from storeops.marketing.enums import TrafficSource
from storeops.marketing.models import ListingTrafficDaily
from storeops.orders.enums import OrderKind, OrderStatus
from storeops.orders.models import Order, OrderLine
from storeops.stores.models import Company, Store

_seq = itertools.count(1)

GOOD_BULLETS = [f"Benefit number {i} explained in a full sentence" for i in range(1, 6)]
GOOD_DESCRIPTION = "A complete description of the product. " * 4  # 156 characters
GOOD_ATTRIBUTES: dict[str, Any] = {
    "brand": "Acme",
    "material": "ABS",
    "colour": "black",
    "weight_g": 120,
    "origin": "CN",
}


def make_category(session: Session, *, company: Company, code: str = "PHONE_ACC") -> Category:
    category = Category(company_id=company.id, code=f"{code}", name_zh=code, name_en=code.title())
    session.add(category)
    session.flush()
    return category


def make_product(
    session: Session, *, company: Company, category: Category, code: str | None = None
) -> Product:
    product = Product(
        company_id=company.id,
        category_id=category.id,
        code=code or f"P{next(_seq):05d}",
        name_zh="产品",
        name_en="Magnetic Phone Holder",
        brand="Acme",
        hs_code="85299000",
        launched_on=dt.date(2025, 1, 1),
    )
    session.add(product)
    session.flush()
    return product


def make_image(
    session: Session, *, company: Company, product: Product, width: int, height: int
) -> MediaAsset:
    asset = MediaAsset(
        company_id=company.id,
        product_id=product.id,
        kind=MediaKind.IMAGE,
        name=f"img-{next(_seq)}.jpg",
        width_px=width,
        height_px=height,
        size_bytes=200_000,
        created_on=dt.date(2025, 1, 1),
    )
    session.add(asset)
    session.flush()
    return asset


def make_group(
    session: Session, *, store: Store, name: str = "Group", owner_user_id: int | None = None
) -> ProductGroup:
    group = ProductGroup(store_id=store.id, name=name, owner_user_id=owner_user_id)
    session.add(group)
    session.flush()
    return group


def make_listing(session: Session, *, store: Store, product: Product, **fields: Any) -> Listing:
    """A complete listing (it passes every rule) unless ``fields`` say otherwise."""
    values: dict[str, Any] = {
        "external_id": f"X{next(_seq):08d}",
        "title": "Acme Magnetic Phone Holder for Car Dashboard, 360 Degree Rotation, Strong Magnet",
        "bullet_points": list(GOOD_BULLETS),
        "description": GOOD_DESCRIPTION,
        "attributes": dict(GOOD_ATTRIBUTES),
        "price_amount": 1999,
        "currency": store.currency,
        "image_count": 7,
        "video_count": 1,
        "logistics_template": "US-standard",
        "after_sales_template": "30-day returns",
        "status": ListingStatus.ACTIVE,
        "listed_on": dt.date(2025, 6, 1),
        "updated_on": dt.date(2025, 6, 1),
    }
    values.update(fields)
    listing = Listing(store_id=store.id, product_id=product.id, **values)
    session.add(listing)
    session.flush()
    return listing


def make_traffic(
    session: Session, *, listing: Listing, day: dt.date, impressions: int, clicks: int = 0
) -> None:
    session.add(
        ListingTrafficDaily(
            store_id=listing.store_id,
            listing_id=listing.id,
            day=day,
            source=TrafficSource.ORGANIC_SEARCH,
            impressions=impressions,
            clicks=clicks,
            visitors=clicks,
            page_views=clicks,
            add_to_cart=0,
            favourites=0,
        )
    )
    session.flush()


def _buyer(session: Session, store: Store) -> Buyer:
    buyer = Buyer(
        store_id=store.id,
        handle=f"B{next(_seq)}",
        kind=BuyerKind.CONSUMER,
        country="US",
        source="marketplace",
        first_seen_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )
    session.add(buyer)
    session.flush()
    return buyer


def make_order(session: Session, *, listing: Listing, placed_at: dt.datetime) -> Order:
    store = session.get(Store, listing.store_id)
    assert store is not None
    order = Order(
        store_id=store.id,
        external_id=f"O{next(_seq)}",
        buyer_id=_buyer(session, store).id,
        kind=OrderKind.RETAIL,
        status=OrderStatus.PAID,
        country="US",
        currency=store.currency,
        subtotal_amount=1999,
        shipping_amount=0,
        discount_amount=0,
        total_amount=1999,
        traffic_source="organic_search",
        placed_at=placed_at,
    )
    session.add(order)
    session.flush()
    from storeops.catalog.models import Sku

    sku = Sku(
        company_id=store.company_id,
        product_id=listing.product_id,
        code=f"SKU{next(_seq)}",
        variant="Black",
        cost_amount=500,
        cost_currency="CNY",
        weight_g=100,
        length_mm=10,
        width_mm=10,
        height_mm=10,
    )
    session.add(sku)
    session.flush()
    session.add(
        OrderLine(
            order_id=order.id,
            store_id=store.id,
            listing_id=listing.id,
            sku_id=sku.id,
            quantity=1,
            unit_price_amount=1999,
            line_amount=1999,
            currency=store.currency,
        )
    )
    session.flush()
    return order


def make_inquiry(session: Session, *, listing: Listing, received_at: dt.datetime) -> Inquiry:
    store = session.get(Store, listing.store_id)
    assert store is not None
    inquiry = Inquiry(
        store_id=store.id,
        buyer_id=_buyer(session, store).id,
        listing_id=listing.id,
        channel="inquiry",
        language="en",
        subject="Price for 500 pcs?",
        received_at=received_at,
        status=InquiryStatus.OPEN,
    )
    session.add(inquiry)
    session.flush()
    return inquiry


def make_certificate(
    session: Session,
    *,
    company: Company,
    product: Product,
    kind: str,
    market: str,
    issued_on: dt.date,
    expires_on: dt.date | None,
) -> Certificate:
    cert = Certificate(
        company_id=company.id,
        product_id=product.id,
        kind=kind,
        market=market,
        number=f"{kind}-{next(_seq)}",
        issued_on=issued_on,
        expires_on=expires_on,
    )
    session.add(cert)
    session.flush()
    return cert


def make_site_store(
    session: Session,
    *,
    company: Company,
    site: str,
    platform: str = "amazon",
    currency: str = "USD",
    timezone: str = "America/Los_Angeles",
) -> Store:
    """A store on ``platform`` for ``site`` (the shared ``make_store`` always sells to the US)."""
    from storeops.stores import service as store_service
    from storeops.stores.schemas import StoreCreate
    from tests.factories import owner_actor

    return store_service.open_store(
        session,
        actor=owner_actor(session, company),
        data=StoreCreate(
            name=f"{platform} {site} {next(_seq)}",
            platform=platform,
            business_model="b2c",
            site=site,
            currency=currency,
            timezone=timezone,
            opened_on=dt.date(2024, 1, 1),
        ),
    )
