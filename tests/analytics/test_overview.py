"""Record counts per store, worked out by hand on a store with 2 listings, 3 orders, 2 buyers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from storeops.analytics.overview import store_records
from storeops.auth.enums import Role
from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Category, Listing, Product
from storeops.crm.enums import BuyerKind, InquiryStatus
from storeops.crm.models import Buyer, Inquiry
from storeops.orders.enums import OrderKind, OrderStatus
from storeops.orders.models import Order
from storeops.stores.models import Company, Store
from tests.factories import make_company, make_member, make_store, owner_actor

T0 = dt.datetime(2025, 3, 1, 8, 30, tzinfo=dt.UTC)


def _listing(
    session: Session, company: Company, store: Store, n: int, status: ListingStatus
) -> Listing:
    category = Category(company_id=company.id, code=f"C{store.id}-{n}", name_zh="类", name_en="Cat")
    session.add(category)
    session.flush()
    product = Product(
        company_id=company.id,
        category_id=category.id,
        code=f"P{store.id}-{n}",
        name_zh="品",
        name_en="Thing",
        brand="B",
        hs_code="39241000",
        launched_on=dt.date(2025, 1, 1),
    )
    session.add(product)
    session.flush()
    listing = Listing(
        store_id=store.id,
        product_id=product.id,
        external_id=f"L{n}",
        title="Thing",
        bullet_points=[],
        description="",
        attributes={},
        price_amount=1999,
        currency="USD",
        image_count=5,
        video_count=0,
        status=status,
        listed_on=dt.date(2025, 1, 2),
        updated_on=dt.date(2025, 1, 2),
    )
    session.add(listing)
    return listing


def _buyer(session: Session, store: Store, handle: str) -> Buyer:
    buyer = Buyer(
        store_id=store.id,
        handle=handle,
        kind=BuyerKind.CONSUMER,
        country="US",
        source="marketplace",
        first_seen_at=T0,
    )
    session.add(buyer)
    session.flush()
    return buyer


def _order(session: Session, store: Store, buyer: Buyer, n: int, placed: dt.datetime) -> None:
    session.add(
        Order(
            store_id=store.id,
            external_id=f"O{n}",
            buyer_id=buyer.id,
            kind=OrderKind.RETAIL,
            status=OrderStatus.PAID,
            country="US",
            currency="USD",
            subtotal_amount=1999,
            shipping_amount=0,
            discount_amount=0,
            total_amount=1999,
            traffic_source="organic_search",
            placed_at=placed,
            paid_at=placed,
        )
    )


def test_records_per_store_for_what_the_actor_sees(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company, name="Counted")
    hidden = make_store(session, company=company, name="Hidden")
    _listing(session, company, store, 1, ListingStatus.ACTIVE)
    _listing(session, company, store, 2, ListingStatus.INACTIVE)
    _listing(session, company, hidden, 3, ListingStatus.ACTIVE)
    ann, bob = _buyer(session, store, "ann"), _buyer(session, store, "bob")
    _order(session, store, ann, 1, T0)
    _order(session, store, ann, 2, T0 + dt.timedelta(days=3))
    _order(session, store, bob, 3, T0 + dt.timedelta(days=10, hours=2))
    for status in (InquiryStatus.OPEN, InquiryStatus.REPLIED):
        session.add(
            Inquiry(
                store_id=store.id,
                buyer_id=bob.id,
                channel="chat",
                language="en",
                subject="Hi?",
                received_at=T0,
                status=status,
            )
        )
    session.flush()
    _, operator = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    records = store_records(session, actor=operator)
    assert list(records) == [store.id]
    counted = records[store.id]
    assert (
        counted.listings,
        counted.active_listings,
        counted.orders,
        counted.buyers,
        counted.open_inquiries,
    ) == (2, 1, 3, 2, 1)
    assert counted.first_order_at == T0
    assert counted.last_order_at == dt.datetime(2025, 3, 11, 10, 30, tzinfo=dt.UTC)
    owner_view = store_records(session, actor=owner_actor(session, company))
    assert owner_view[hidden.id].listings == 1
    assert owner_view[hidden.id].orders == 0
    assert owner_view[hidden.id].first_order_at is None
