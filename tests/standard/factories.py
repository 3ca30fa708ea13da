"""Typed builders for the records the playbook and assessment read (hand-built small datasets)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Category, Certificate, Listing, Product, Sku
from storeops.crm.enums import BuyerKind, ComplaintStatus, InquiryStatus
from storeops.crm.models import Buyer, Complaint, Inquiry, Review
from storeops.finance.models import FxRate
from storeops.logistics.enums import ShipmentStatus
from storeops.logistics.models import LogisticsChannel, Shipment
from storeops.orders.enums import DisputeStatus, OrderKind, OrderStatus, RefundStatus
from storeops.orders.models import Dispute, Order, OrderLine, RefundRequest
from storeops.stores.models import Store

_seq = itertools.count(1)
UTC = dt.UTC


def at(day: str, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A UTC timestamp on ``day`` (YYYY-MM-DD)."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), UTC)


def make_category(session: Session, *, store: Store, code: str | None = None) -> Category:
    category = Category(company_id=store.company_id, code=code or f"C{next(_seq)}",
                        name_zh="类目", name_en="Category")  # fmt: skip
    session.add(category)
    session.flush()
    return category


def make_product(
    session: Session, *, store: Store, category: Category, code: str | None = None
) -> Product:
    product = Product(
        company_id=store.company_id,
        category_id=category.id,
        code=code or f"P{next(_seq)}",
        name_zh="产品",
        name_en="Product",
        brand="Brand",
        hs_code="85183000",
        launched_on=dt.date(2025, 1, 1),
    )
    session.add(product)
    session.flush()
    return product


GOOD_LISTING: dict[str, Any] = {
    "title": "Brand Wireless Earbuds A1, Bluetooth 5.3",
    "bullet_points": ["a", "b", "c", "d", "e"],
    "description": "A full description.",
    "attributes": {"colour": "black", "weight_g": 50, "origin": "CN"},
    "image_count": 6,
    "logistics_template": "standard",
    "after_sales_template": "30-day returns",
}


def make_listing(
    session: Session,
    *,
    store: Store,
    product: Product,
    status: ListingStatus = ListingStatus.ACTIVE,
    listed_on: dt.date = dt.date(2025, 1, 1),
    **overrides: Any,
) -> Listing:
    fields = {**GOOD_LISTING, **overrides}
    listing = Listing(
        store_id=store.id,
        product_id=product.id,
        external_id=f"X{next(_seq)}",
        price_amount=1999,
        currency=store.currency,
        video_count=0,
        is_rts=False,
        status=status,
        listed_on=listed_on,
        updated_on=listed_on,
        **fields,
    )
    session.add(listing)
    session.flush()
    return listing


def make_buyer(session: Session, *, store: Store, country: str = "US") -> Buyer:
    buyer = Buyer(store_id=store.id, handle=f"B-{next(_seq)}", kind=BuyerKind.CONSUMER,
                  country=country, source="marketplace", first_seen_at=at("2025-01-01"))  # fmt: skip
    session.add(buyer)
    session.flush()
    return buyer


def make_inquiry(
    session: Session,
    *,
    store: Store,
    buyer: Buyer,
    received_at: dt.datetime,
    reply_after: dt.timedelta | None,
) -> Inquiry:
    inquiry = Inquiry(
        store_id=store.id,
        buyer_id=buyer.id,
        channel="inquiry",
        language="en",
        subject="Price?",
        received_at=received_at,
        first_reply_at=received_at + reply_after if reply_after is not None else None,
        status=InquiryStatus.REPLIED if reply_after is not None else InquiryStatus.OPEN,
    )
    session.add(inquiry)
    session.flush()
    return inquiry


def make_order(
    session: Session,
    *,
    store: Store,
    buyer: Buyer,
    placed_at: dt.datetime,
    subtotal: int = 10000,
    country: str = "US",
    shipped: bool = True,
    listing: Listing | None = None,
    sku: Sku | None = None,
) -> Order:
    order = Order(
        store_id=store.id,
        external_id=f"O{next(_seq)}",
        buyer_id=buyer.id,
        kind=OrderKind.RETAIL,
        status=OrderStatus.SHIPPED if shipped else OrderStatus.PAID,
        country=country,
        currency=store.currency,
        subtotal_amount=subtotal,
        shipping_amount=0,
        discount_amount=0,
        total_amount=subtotal,
        traffic_source="organic_search",
        placed_at=placed_at,
        paid_at=placed_at + dt.timedelta(minutes=5),
        shipped_at=placed_at + dt.timedelta(days=1) if shipped else None,
    )
    session.add(order)
    session.flush()
    if listing is not None and sku is not None:
        session.add(OrderLine(order_id=order.id, store_id=store.id, listing_id=listing.id,
                              sku_id=sku.id, quantity=1, unit_price_amount=subtotal,
                              line_amount=subtotal, currency=store.currency))  # fmt: skip
        session.flush()
    return order


def make_sku(session: Session, *, product: Product) -> Sku:
    sku = Sku(company_id=product.company_id, product_id=product.id, code=f"S{next(_seq)}",
              variant="black", cost_amount=1000, cost_currency="CNY", weight_g=100,
              length_mm=10, width_mm=10, height_mm=10)  # fmt: skip
    session.add(sku)
    session.flush()
    return sku


def make_channel(session: Session, *, store: Store) -> LogisticsChannel:
    channel = LogisticsChannel(company_id=store.company_id, carrier="DHL", service_name="Express",
                               kind="express", transit_min_days=3, transit_max_days=6,
                               tracking_prefix="DH")  # fmt: skip
    session.add(channel)
    session.flush()
    return channel


def make_shipment(
    session: Session,
    *,
    store: Store,
    order: Order,
    channel: LogisticsChannel,
    declared: int,
    declared_currency: str = "USD",
) -> Shipment:
    assert order.shipped_at is not None
    shipment = Shipment(
        store_id=store.id,
        order_id=order.id,
        channel_id=channel.id,
        tracking_number=f"DH{next(_seq)}",
        destination_country=order.country,
        weight_g=300,
        declared_value_amount=declared,
        declared_currency=declared_currency,
        hs_code="85183000",
        fee_amount=5000,
        fee_currency="CNY",
        shipped_at=order.shipped_at,
        promised_by=order.shipped_at + dt.timedelta(days=6),
        status=ShipmentStatus.IN_TRANSIT,
    )
    session.add(shipment)
    session.flush()
    return shipment


def make_fx_rate(session: Session, *, day: dt.date, base: str, rate: str) -> FxRate:
    row = FxRate(day=day, base=base, quote="CNY", rate=Decimal(rate))
    session.add(row)
    session.flush()
    return row


def make_certificate(
    session: Session,
    *,
    product: Product,
    kind: str,
    market: str,
    expires_on: dt.date | None = dt.date(2030, 1, 1),
) -> Certificate:
    certificate = Certificate(company_id=product.company_id, product_id=product.id, kind=kind,
                              market=market, number=f"N{next(_seq)}",
                              issued_on=dt.date(2024, 1, 1), expires_on=expires_on)  # fmt: skip
    session.add(certificate)
    session.flush()
    return certificate


def make_review(session: Session, *, order: Order, listing: Listing, rating: int) -> Review:
    review = Review(store_id=order.store_id, order_id=order.id, listing_id=listing.id,
                    buyer_id=order.buyer_id, rating=rating, image_count=0, text="",
                    created_at=order.placed_at + dt.timedelta(days=5))  # fmt: skip
    session.add(review)
    session.flush()
    return review


def make_complaint(session: Session, *, order: Order) -> Complaint:
    complaint = Complaint(store_id=order.store_id, order_id=order.id, buyer_id=order.buyer_id,
                          reason="late", opened_at=order.placed_at + dt.timedelta(days=3),
                          resolved_at=None, status=ComplaintStatus.OPEN,
                          seller_at_fault=False)  # fmt: skip
    session.add(complaint)
    session.flush()
    return complaint


def make_refund(session: Session, *, order: Order) -> RefundRequest:
    refund = RefundRequest(store_id=order.store_id, order_id=order.id, reason="damaged",
                           amount=order.total_amount, currency=order.currency,
                           requested_at=order.placed_at + dt.timedelta(days=4),
                           resolved_at=None, status=RefundStatus.REQUESTED)  # fmt: skip
    session.add(refund)
    session.flush()
    return refund


def make_dispute(session: Session, *, order: Order) -> Dispute:
    dispute = Dispute(store_id=order.store_id, order_id=order.id, reason="not_received",
                      opened_at=order.placed_at + dt.timedelta(days=6), escalated_at=None,
                      arbitrated_at=None, closed_at=None, seller_responsible=None,
                      status=DisputeStatus.OPEN)  # fmt: skip
    session.add(dispute)
    session.flush()
    return dispute
