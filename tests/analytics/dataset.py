"""A hand-built store whose every figure is worked out by hand in ``test_metrics.py``.

Store "Hand Shop" sells in USD on Asia/Shanghai time (UTC+8, no daylight saving). The period
under test is 2025-03-01 .. 2025-03-07 (local days); 2025-02-22 .. 02-28 is the previous period.

Orders (local placing time, total in cents, status, buyer, country, traffic source):

| # | placed (local) | total | status | paid | buyer | country | source | lines (listing: qty × 1000) |
| 1 | 03-01 10:00 | 3000 | delivered | yes | ann | US | organic_search | A: 2, B: 1 |
| 2 | 03-03 09:00 | 5000 | refunded | yes | ann | US | paid | A: 5 |
| 3 | 03-03 12:00 | 2000 | shipped | yes | bob | US | organic_search | B: 2 |
| 4 | 03-05 08:00 | 4000 | cancelled | no | cat | DE | category | A: 4 |
| 5 | 03-06 20:00 | 1000 | draft | no | bob | US | organic_search | B: 1 |
| 6 | 02-25 11:00 | 7000 | delivered | yes | dan | GB | organic_search | A: 7 |
| 7 | 03-08 00:30 (= 03-07 16:30 UTC) | 9000 | paid | yes | cat | DE | paid | B: 9 |

Order 7 is on 03-07 in UTC but 03-08 in the store's timezone: outside the period.
A second store ("Other Shop") has one paid order of 99900 on 03-02 that must never be counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storeops.auth import service as auth_service
from storeops.catalog.enums import ListingStatus, MediaKind
from storeops.catalog.models import Category, Listing, MediaAsset, Product, Sku
from storeops.crm.enums import BuyerKind, ComplaintStatus, InquiryStatus
from storeops.crm.models import Buyer, Complaint, Inquiry, Review
from storeops.logistics.enums import ShipmentStatus
from storeops.logistics.models import LogisticsChannel, Shipment
from storeops.marketing.enums import AdKind, PromotionKind, TrafficSource
from storeops.marketing.models import (
    AdCampaign,
    AdKeywordDaily,
    ListingTrafficDaily,
    Promotion,
    SearchTermDaily,
    VideoDaily,
    VisitorCountryDaily,
)
from storeops.orders.enums import (
    DisputeStatus,
    OrderKind,
    OrderStatus,
    QuoteStatus,
    RefundStatus,
)
from storeops.orders.models import Dispute, Order, OrderLine, Quote, RefundRequest
from storeops.stores.enums import BusinessModel
from tests.factories import PASSWORD, make_company, make_store

SHANGHAI = ZoneInfo("Asia/Shanghai")
START, END = dt.date(2025, 3, 1), dt.date(2025, 3, 7)


def local(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A Shanghai wall-clock time as the UTC instant the ops database stores."""
    return dt.datetime(2025, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(dt.UTC)


@dataclass(frozen=True)
class HandShop:
    company_id: int
    store_id: int
    other_store_id: int
    listing_a: int
    listing_b: int
    buyers: dict[str, int]
    orders: dict[int, int]


def build(engine: Engine, *, owner_email: str | None = None) -> HandShop:
    """Write the dataset and commit it (the warehouse reads committed rows only)."""
    with Session(engine) as session, session.begin():
        return _build(session, owner_email)


def _build(session: Session, owner_email: str | None) -> HandShop:
    owner = None
    if owner_email is not None:
        owner = auth_service.create_user(
            session, email=owner_email, display_name="王店长", password=PASSWORD, locale="zh_CN"
        )
    company = make_company(session, name="Hand Co", owner=owner)
    store = make_store(
        session,
        company=company,
        name="Hand Shop",
        timezone="Asia/Shanghai",
        model=BusinessModel.B2C,
    )
    other = make_store(session, company=company, name="Other Shop", timezone="Asia/Shanghai")
    category = Category(company_id=company.id, code="C1", name_zh="类", name_en="Cat")
    session.add(category)
    session.flush()
    listings: list[Listing] = []
    skus: list[Sku] = []
    for code in ("A", "B"):
        product = Product(
            company_id=company.id,
            category_id=category.id,
            code=f"P{code}",
            name_zh="品",
            name_en=f"Thing {code}",
            brand="B",
            hs_code="39241000",
            launched_on=dt.date(2025, 1, 1),
        )
        session.add(product)
        session.flush()
        sku = Sku(
            company_id=company.id,
            product_id=product.id,
            code=f"S{code}",
            variant="black",
            cost_amount=100,
            cost_currency="CNY",
            weight_g=100,
            length_mm=1,
            width_mm=1,
            height_mm=1,
        )
        session.add(sku)
        for s in (store, other):
            listing = Listing(
                store_id=s.id,
                product_id=product.id,
                external_id=f"L{code}{s.id}",
                title=f"Thing {code}",
                bullet_points=[],
                description="",
                attributes={},
                price_amount=1000,
                currency="USD",
                image_count=5,
                video_count=0,
                status=ListingStatus.ACTIVE,
                listed_on=dt.date(2025, 1, 2),
                updated_on=dt.date(2025, 1, 2),
            )
            session.add(listing)
            if s is store:
                listings.append(listing)
        skus.append(sku)
    session.flush()
    a, b = listings
    sku_of = {a.id: skus[0].id, b.id: skus[1].id}

    buyers: dict[str, Buyer] = {}
    for handle, country, source, seen in (
        ("ann", "US", "marketplace", local(3, 1, 9)),
        ("bob", "US", "ads", local(3, 3, 11)),
        ("cat", "DE", "marketplace", local(3, 5, 7)),
        ("dan", "GB", "social", local(2, 25, 10)),
    ):
        buyer = Buyer(
            store_id=store.id,
            handle=handle,
            kind=BuyerKind.CONSUMER,
            country=country,
            source=source,
            first_seen_at=seen,
        )
        session.add(buyer)
        buyers[handle] = buyer
    stranger = Buyer(
        store_id=other.id,
        handle="zed",
        kind=BuyerKind.CONSUMER,
        country="US",
        source="marketplace",
        first_seen_at=local(3, 2, 8),
    )
    session.add(stranger)
    session.flush()

    orders: dict[int, Order] = {}

    def order(
        n: int,
        placed: dt.datetime,
        total: int,
        status: OrderStatus,
        buyer: Buyer,
        country: str,
        source: str,
        lines: list[tuple[Listing, int]],
        *,
        paid: bool,
        on: int | None = None,
        promotion: Promotion | None = None,
    ) -> Order:
        the_store = store.id if on is None else on
        o = Order(
            store_id=the_store,
            external_id=f"O{n}",
            buyer_id=buyer.id,
            kind=OrderKind.RETAIL,
            status=status,
            country=country,
            currency="USD",
            subtotal_amount=total,
            shipping_amount=0,
            discount_amount=0,
            total_amount=total,
            traffic_source=source,
            promotion_id=promotion.id if promotion else None,
            placed_at=placed,
            paid_at=placed + dt.timedelta(minutes=10) if paid else None,
            cancelled_at=placed + dt.timedelta(hours=1)
            if status == OrderStatus.CANCELLED
            else None,
        )
        session.add(o)
        session.flush()
        for listing, qty in lines:
            session.add(
                OrderLine(
                    order_id=o.id,
                    store_id=the_store,
                    listing_id=listing.id,
                    sku_id=sku_of.get(listing.id, skus[0].id),
                    quantity=qty,
                    unit_price_amount=1000,
                    line_amount=1000 * qty,
                    currency="USD",
                )
            )
        orders[n] = o
        return o

    ann, bob, cat, dan = (buyers[h] for h in ("ann", "bob", "cat", "dan"))
    spring = Promotion(
        store_id=store.id,
        name="Spring coupon",
        kind=PromotionKind.COUPON,
        starts_on=dt.date(2025, 3, 3),
        ends_on=dt.date(2025, 3, 5),
        discount_pct=10,
    )
    session.add(spring)
    session.flush()
    order(
        1,
        local(3, 1, 10),
        3000,
        OrderStatus.DELIVERED,
        ann,
        "US",
        "organic_search",
        [(a, 2), (b, 1)],
        paid=True,
    )
    order(2, local(3, 3, 9), 5000, OrderStatus.REFUNDED, ann, "US", "paid", [(a, 5)], paid=True)
    order(
        3,
        local(3, 3, 12),
        2000,
        OrderStatus.SHIPPED,
        bob,
        "US",
        "organic_search",
        [(b, 2)],
        paid=True,
        promotion=spring,
    )
    order(
        4,
        local(3, 5, 8),
        4000,
        OrderStatus.CANCELLED,
        cat,
        "DE",
        "category",
        [(a, 4)],
        paid=False,
        promotion=spring,
    )
    order(
        5,
        local(3, 6, 20),
        1000,
        OrderStatus.DRAFT,
        bob,
        "US",
        "organic_search",
        [(b, 1)],
        paid=False,
    )
    order(
        6,
        local(2, 25, 11),
        7000,
        OrderStatus.DELIVERED,
        dan,
        "GB",
        "organic_search",
        [(a, 7)],
        paid=True,
    )
    order(7, local(3, 8, 0, 30), 9000, OrderStatus.PAID, cat, "DE", "paid", [(b, 9)], paid=True)
    other_listing = session.query(Listing).filter(Listing.store_id == other.id).first()
    assert other_listing is not None
    order(8, local(3, 2, 12), 99900, OrderStatus.PAID, stranger, "US", "paid", [(other_listing, 1)], paid=True, on=other.id)  # fmt: skip

    # traffic: listing A 03-01 organic, A 03-03 paid, B 03-03 organic; one day outside the period
    for listing, day, source, imp, clicks, visitors, pv, cart, fav in (
        (a, 1, TrafficSource.ORGANIC_SEARCH, 1000, 50, 40, 60, 5, 2),
        (a, 3, TrafficSource.PAID, 500, 25, 20, 30, 2, 1),
        (b, 3, TrafficSource.ORGANIC_SEARCH, 300, 15, 10, 12, 1, 0),
        (b, 8, TrafficSource.ORGANIC_SEARCH, 999, 99, 99, 99, 9, 9),
    ):
        session.add(
            ListingTrafficDaily(
                store_id=store.id,
                listing_id=listing.id,
                day=dt.date(2025, 3, day),
                source=source,
                impressions=imp,
                clicks=clicks,
                visitors=visitors,
                page_views=pv,
                add_to_cart=cart,
                favourites=fav,
            )
        )
    for day, country, visits, visitors, new in ((1, "US", 70, 60, 45), (3, "DE", 30, 15, 10)):
        session.add(
            VisitorCountryDaily(
                store_id=store.id,
                day=dt.date(2025, 3, day),
                country=country,
                visits=visits,
                visitors=visitors,
                new_visitors=new,
            )
        )
    # after-sales
    session.add(
        RefundRequest(
            store_id=store.id,
            order_id=orders[2].id,
            reason="not as described",
            amount=5000,
            currency="USD",
            requested_at=local(3, 4, 10),
            resolved_at=local(3, 5, 10),
            status=RefundStatus.APPROVED,
        )
    )
    session.add(
        Dispute(
            store_id=store.id,
            order_id=orders[2].id,
            reason="not as described",
            opened_at=local(3, 5, 9),
            escalated_at=local(3, 6, 9),
            arbitrated_at=local(3, 7, 9),
            closed_at=local(3, 7, 18),
            seller_responsible=True,
            status=DisputeStatus.CLOSED,
        )
    )
    session.add(
        Dispute(
            store_id=store.id,
            order_id=orders[3].id,
            reason="late",
            opened_at=local(3, 6, 9),
            seller_responsible=None,
            status=DisputeStatus.OPEN,
        )
    )
    for o, rating, images, when in (
        (orders[1], 5, 2, local(3, 4, 9)),
        (orders[3], 2, 0, local(3, 6, 9)),
        (orders[6], 4, 1, local(2, 27, 9)),
    ):
        session.add(
            Review(
                store_id=store.id,
                order_id=o.id,
                listing_id=a.id,
                buyer_id=o.buyer_id,
                rating=rating,
                image_count=images,
                text="ok",
                created_at=when,
            )
        )
    session.add(
        Complaint(
            store_id=store.id,
            order_id=orders[3].id,
            buyer_id=bob.id,
            reason="late",
            opened_at=local(3, 6, 10),
            status=ComplaintStatus.OPEN,
            seller_at_fault=False,
        )
    )
    channel = LogisticsChannel(
        company_id=company.id,
        carrier="Post",
        service_name="Air",
        kind="postal",
        transit_min_days=5,
        transit_max_days=10,
        tracking_prefix="LX",
    )
    session.add(channel)
    session.flush()
    for o, shipped, promised, delivered, status in (
        (orders[1], local(3, 2, 9), local(3, 10, 9), local(3, 8, 9), ShipmentStatus.DELIVERED),
        (orders[2], local(3, 3, 15), local(3, 9, 9), local(3, 12, 9), ShipmentStatus.DELIVERED),
        (orders[3], local(3, 4, 9), local(3, 12, 9), None, ShipmentStatus.IN_TRANSIT),
    ):
        session.add(
            Shipment(
                store_id=store.id,
                order_id=o.id,
                channel_id=channel.id,
                tracking_number=f"LX{o.id}",
                destination_country="US",
                weight_g=100,
                declared_value_amount=1000,
                declared_currency="USD",
                hs_code="39241000",
                fee_amount=100,
                fee_currency="CNY",
                shipped_at=shipped,
                promised_by=promised,
                delivered_at=delivered,
                status=status,
            )
        )
    campaign = AdCampaign(
        store_id=store.id,
        name="SP",
        kind=AdKind.SPONSORED_PRODUCTS,
        currency="USD",
        daily_budget_amount=5000,
        starts_on=dt.date(2025, 1, 1),
    )
    session.add(campaign)
    session.flush()
    for day, keyword, imp, clicks, spend, n, sales in (
        (2, "thing", 2000, 40, 2000, 2, 8000),
        (5, "gizmo", 1000, 10, 1000, 1, 4000),
    ):
        session.add(
            AdKeywordDaily(
                store_id=store.id,
                campaign_id=campaign.id,
                day=dt.date(2025, 3, day),
                keyword=keyword,
                impressions=imp,
                clicks=clicks,
                spend_amount=spend,
                orders=n,
                sales_amount=sales,
            )
        )
    # inquiries: answered after 2 hours, after 30 hours, not at all
    for when, reply in (
        (local(3, 2, 9), local(3, 2, 11)),
        (local(3, 6, 23, 30), local(3, 8, 5, 30)),
        (local(3, 7, 23, 59), None),
    ):
        session.add(
            Inquiry(
                store_id=store.id,
                buyer_id=bob.id,
                channel="chat",
                language="en",
                subject="Hi?",
                received_at=when,
                first_reply_at=reply,
                status=InquiryStatus.REPLIED if reply else InquiryStatus.OPEN,
            )
        )
    # quotes: approved, accepted and rejected in the period; one approved in February
    for when, status in (
        (local(3, 2, 10), QuoteStatus.APPROVED),
        (local(3, 4, 10), QuoteStatus.ACCEPTED),
        (local(3, 6, 10), QuoteStatus.REJECTED),
        (local(2, 20, 10), QuoteStatus.APPROVED),
    ):
        session.add(
            Quote(
                store_id=store.id,
                buyer_id=bob.id,
                incoterm="FOB",
                currency="USD",
                amount=50000,
                created_at=when,
                valid_until=when + dt.timedelta(days=30),
                status=status,
            )
        )
    # search terms: A "thing" on 03-02, B "gadget" on 03-04, A "thing" on 02-20 (outside)
    for listing, day, keyword, imp, clicks in (
        (a, dt.date(2025, 3, 2), "thing", 400, 20),
        (b, dt.date(2025, 3, 4), "gadget", 100, 30),
        (a, dt.date(2025, 2, 20), "thing", 999, 99),
    ):
        session.add(
            SearchTermDaily(
                store_id=store.id,
                listing_id=listing.id,
                day=day,
                keyword=keyword,
                impressions=imp,
                clicks=clicks,
            )
        )
    video = MediaAsset(
        company_id=company.id,
        kind=MediaKind.VIDEO,
        name="demo.mp4",
        width_px=1280,
        height_px=720,
        duration_s=30,
        size_bytes=1000,
        created_on=dt.date(2025, 1, 1),
    )
    session.add(video)
    session.flush()
    for day, imp, plays, effective, viewers, complete, clicks, seconds in (
        (1, 300, 100, 70, 80, 30, 8, 2500),
        (5, 200, 50, 40, 45, 20, 2, 1000),
    ):
        session.add(
            VideoDaily(
                store_id=store.id,
                asset_id=video.id,
                day=dt.date(2025, 3, day),
                impressions=imp,
                plays=plays,
                effective_plays=effective,
                viewers=viewers,
                complete_plays=complete,
                clicks=clicks,
                watch_seconds=seconds,
            )
        )
    session.flush()
    return HandShop(
        company.id,
        store.id,
        other.id,
        a.id,
        b.id,
        {h: x.id for h, x in buyers.items()},
        {n: o.id for n, o in orders.items()},
    )
