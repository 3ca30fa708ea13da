"""Account health (2.3.1): store metrics over hand-built orders, the projection of the breach date,
and the rule registry's change flow (2.3.2) with its diff, affected stores and listings, tasks."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Category, Listing, Product
from storeops.crm.enums import BuyerKind, InquiryStatus
from storeops.crm.models import Buyer, Inquiry, Review
from storeops.errors import IllegalTransition, NotFound, PermissionDenied
from storeops.logistics.enums import ShipmentStatus
from storeops.logistics.models import LogisticsChannel, Shipment, TrackingEvent
from storeops.market import health, rules
from storeops.market.enums import Comparator, FollowUpStatus, HealthMetric, RuleCategory
from storeops.market.errors import DuplicateRuleSet
from storeops.market.models import FollowUpTask
from storeops.market.schemas import RuleIn, RuleSetIn
from storeops.orders.enums import DisputeStatus, OrderKind, OrderStatus
from storeops.orders.models import Dispute, Order
from storeops.stores.enums import Platform
from storeops.stores.models import Store
from tests.factories import make_company, make_member, make_store, owner_actor

UTC = dt.UTC
_n = itertools.count(1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), UTC)


class Shop:
    """Builds orders, shipments, reviews and inquiries of one store by hand."""

    def __init__(self, session: Session, store: Store) -> None:
        self.session, self.store = session, store
        self.buyer = Buyer(
            store_id=store.id, handle=f"B{next(_n)}", kind=BuyerKind.CONSUMER, country="US",
            source="marketplace", first_seen_at=at(dt.date(2026, 1, 1)),
        )  # fmt: skip
        session.add(self.buyer)
        self.channel = LogisticsChannel(
            company_id=store.company_id, carrier="C", service_name=f"S{next(_n)}", kind="line",
            transit_min_days=3, transit_max_days=9, tracking_prefix="XX",
        )  # fmt: skip
        session.add(self.channel)
        session.flush()

    def order(
        self,
        paid: dt.datetime,
        *,
        ship_after_days: float | None = 1,
        cancelled: dt.datetime | None = None,
        refunded: dt.datetime | None = None,
        tracked: bool = True,
    ) -> Order:
        shipped = paid + dt.timedelta(days=ship_after_days) if ship_after_days is not None else None
        status = (
            OrderStatus.CANCELLED
            if cancelled
            else OrderStatus.SHIPPED
            if shipped
            else OrderStatus.PAID
        )
        order = Order(
            store_id=self.store.id, external_id=f"O{next(_n)}", buyer_id=self.buyer.id,
            kind=OrderKind.RETAIL, status=status, country="US", currency="USD",
            subtotal_amount=1000, shipping_amount=0, discount_amount=0, total_amount=1000,
            traffic_source="search", placed_at=paid, paid_at=paid, shipped_at=shipped,
            cancelled_at=cancelled, refunded_at=refunded,
        )  # fmt: skip
        self.session.add(order)
        self.session.flush()
        if shipped is not None:
            shipment = Shipment(
                store_id=self.store.id, order_id=order.id, channel_id=self.channel.id,
                tracking_number=f"XX{order.id}", destination_country="US", weight_g=100,
                declared_value_amount=1000, declared_currency="USD", hs_code="85183000",
                fee_amount=100, fee_currency="CNY", shipped_at=shipped,
                promised_by=shipped + dt.timedelta(days=9), status=ShipmentStatus.IN_TRANSIT,
            )  # fmt: skip
            self.session.add(shipment)
            self.session.flush()
            if tracked:
                self.session.add(
                    TrackingEvent(
                        store_id=self.store.id, shipment_id=shipment.id, at=shipped,
                        code="accepted", location="Shenzhen",
                    )
                )  # fmt: skip
        return order

    def review(self, order: Order, rating: int, when: dt.datetime) -> None:
        self.session.add(
            Review(
                store_id=self.store.id, order_id=order.id, listing_id=self.listing().id,
                buyer_id=self.buyer.id, rating=rating, image_count=0, text="", created_at=when,
            )
        )  # fmt: skip

    def dispute(self, order: Order, when: dt.datetime) -> None:
        self.session.add(
            Dispute(
                store_id=self.store.id, order_id=order.id, reason="not_received", opened_at=when,
                status=DisputeStatus.OPEN,
            )
        )  # fmt: skip

    def inquiry(self, received: dt.datetime, reply_after_hours: float | None) -> None:
        reply = (
            received + dt.timedelta(hours=reply_after_hours)
            if reply_after_hours is not None
            else None
        )
        self.session.add(
            Inquiry(
                store_id=self.store.id, buyer_id=self.buyer.id, channel="chat", language="en",
                subject="?", received_at=received, first_reply_at=reply,
                status=InquiryStatus.REPLIED if reply else InquiryStatus.OPEN,
            )
        )  # fmt: skip

    _listing: Listing | None = None

    def listing(self, title: str = "Wireless earbuds") -> Listing:
        if self._listing is None or title != "Wireless earbuds":
            category = Category(
                company_id=self.store.company_id,
                code=f"c{next(_n)}",
                name_zh="耳机",
                name_en="Audio",
            )
            self.session.add(category)
            self.session.flush()
            product = Product(
                company_id=self.store.company_id, category_id=category.id, code=f"P{next(_n)}",
                name_zh="耳机", name_en="Earbuds", brand="X", hs_code="85183000",
                launched_on=dt.date(2026, 1, 1),
            )  # fmt: skip
            self.session.add(product)
            self.session.flush()
            listing = Listing(
                store_id=self.store.id, product_id=product.id, external_id=f"L{next(_n)}",
                title=title, bullet_points=[], description="", attributes={}, price_amount=1999,
                currency="USD", image_count=5, video_count=0, status=ListingStatus.ACTIVE,
                listed_on=dt.date(2026, 1, 1), updated_on=dt.date(2026, 1, 1),
            )  # fmt: skip
            self.session.add(listing)
            self.session.flush()
            if title != "Wireless earbuds":
                return listing
            self._listing = listing
        return self._listing


def utc_store(session: Session, company: object, platform: Platform = Platform.AMAZON) -> Store:
    return make_store(session, company=company, platform=platform, timezone="UTC")  # type: ignore[arg-type]


# --- pure: slope and projection --------------------------------------------------------------


def test_slope_and_projection_by_hand() -> None:
    assert health.slope_per_day([(-14, 1.0), (-7, 2.0), (0, 3.0)]) == pytest.approx(1 / 7)
    assert health.slope_per_day([(0, 1.0)]) is None
    day = dt.date(2026, 6, 30)
    # 2 % rising 0.1 point a day reaches 4 % in 20 days; "< 4" breaches on the day it hits 4
    assert health.projected_breach(2.0, 0.1, Comparator.LT, 4.0, day) == dt.date(2026, 7, 20)
    # 2 → 4 at 0.15 a day: 13.3 days, so day 14
    assert health.projected_breach(2.0, 0.15, Comparator.LT, 4.0, day) == dt.date(2026, 7, 14)
    # "≤ 7": 5 + 0.5 × 4 = 7 still complies on day 4, breaches on day 5
    assert health.projected_breach(5.0, 0.5, Comparator.LE, 7.0, day) == dt.date(2026, 7, 5)
    # "> 95": 99 falling 0.5 a day reaches 95 on day 8
    assert health.projected_breach(99.0, -0.5, Comparator.GT, 95.0, day) == dt.date(2026, 7, 8)
    assert health.projected_breach(2.0, -0.1, Comparator.LT, 4.0, day) is None  # improving
    assert health.projected_breach(5.0, 0.1, Comparator.LT, 4.0, day) is None  # already breached
    assert health.projected_breach(2.0, 0.001, Comparator.LT, 4.0, day) is None  # 2000 days away


# --- store metrics -------------------------------------------------------------------------------


def test_store_metrics_on_hand_built_orders(session: Session) -> None:
    company = make_company(session)
    store = utc_store(session, company)
    shop = Shop(session, store)
    june10 = at(dt.date(2026, 6, 10))
    shipped = [shop.order(june10, ship_after_days=1) for _ in range(8)]
    shipped += [shop.order(june10, ship_after_days=3) for _ in range(2)]  # late: > 2 days
    shipped[9].refunded_at = at(dt.date(2026, 6, 20))
    shop.order(at(dt.date(2026, 5, 20)), ship_after_days=11)  # paid before the window
    june15 = at(dt.date(2026, 6, 15))
    for _ in range(2):
        shop.order(june15, ship_after_days=None, cancelled=june15 + dt.timedelta(hours=2))
    shop.dispute(shipped[0], at(dt.date(2026, 6, 25)))
    shop.review(shipped[1], 1, at(dt.date(2026, 6, 20)))
    shop.review(shipped[2], 5, at(dt.date(2026, 6, 20)))
    shop.order(june10, ship_after_days=1, tracked=False)  # 11th shipment, no tracking event
    june20 = at(dt.date(2026, 6, 20))
    for hours in (2, 23, 30, None):
        shop.inquiry(june20, hours)
    shop.inquiry(at(dt.date(2026, 6, 30), 12), None)  # less than 24 h before the end: not counted
    session.flush()
    end = dt.date(2026, 6, 30)

    def pct(metric: HealthMetric, window: int = 30) -> tuple[int, int]:
        ratio = health.measure(session, store, metric, end, window)
        return ratio.numerator, ratio.denominator

    # 13 orders paid in June (10 + 2 cancelled + 1 untracked); dispute + 1-star review
    assert pct(HealthMetric.ORDER_DEFECT_RATE) == (2, 13)
    # 11 shipped in June (the May order shipped on 31 May), 2 of them 3 days after payment
    assert pct(HealthMetric.LATE_SHIPMENT_RATE) == (2, 11)
    assert pct(HealthMetric.PRE_FULFILMENT_CANCEL_RATE) == (2, 13)
    assert pct(HealthMetric.NON_FULFILMENT_RATE) == (3, 13)  # 2 cancelled + 1 refunded
    assert pct(HealthMetric.VALID_TRACKING_RATE) == (10, 11)
    assert pct(HealthMetric.RESPONSE_WITHIN_24H_RATE) == (2, 4)
    # a 7-day window ending 30 June holds only the inquiries
    assert pct(HealthMetric.LATE_SHIPMENT_RATE, 7) == (0, 0)

    actor = owner_actor(session, company)
    latest = health.account_health(session, store_id=store.id, actor=actor)
    assert latest.as_of == dt.date(2026, 6, 15)  # the last day with a paid order
    report = health.account_health(session, store_id=store.id, actor=actor, as_of=end)
    assert report.rule_set_version == "bundled-2024-06"
    checks = {c.rule_code: c for c in report.checks}
    assert set(checks) == {"odr", "late_shipment", "pre_fulfilment_cancel", "valid_tracking",
                           "response_24h"}  # fmt: skip
    odr = checks["odr"]
    # 60 days to 30 June: 14 paid orders (the May one too), 2 defects by then
    assert (odr.numerator, odr.denominator) == (2, 14)
    assert odr.value == pytest.approx(100 * 2 / 14)
    assert odr.status == "breached"
    assert len(odr.trend) == 8


def test_projected_breach_of_a_rising_late_shipment_rate(session: Session) -> None:
    company = make_company(session)
    store = utc_store(session, company)
    shop = Shop(session, store)
    day = dt.date(2026, 5, 2)
    while day <= dt.date(2026, 6, 30):
        late = (day.month == 5 and day.day % 10 == 0) or (day.month == 6 and day.day % 5 == 0)
        for i in range(10):
            shop.order(at(day), ship_after_days=3 if late and i == 0 else 1)
        day += dt.timedelta(days=1)
    session.flush()
    report = health.account_health(session, store_id=store.id, actor=owner_actor(session, company))
    assert report.as_of == dt.date(2026, 6, 30)
    late = next(c for c in report.checks if c.rule_code == "late_shipment")
    # shipped 1-30 June: on time, orders paid 31 May-29 June less the 5 late ones of 5, 10, 15,
    # 20 and 25 June (295); late, those 5 and the one paid 30 May (shipped 2 June): 6 of 301
    assert (late.numerator, late.denominator) == (6, 301)
    # a week earlier (shipped 25 May-23 June): on time 300 - 5, late 30 May-20 June: 5 of 300
    assert (late.trend[-2].numerator, late.trend[-2].denominator) == (5, 300)
    # five weeks earlier (shipped up to 26 May): paid 2-25 May, 240 orders, 2 late (10, 20 May)
    assert (late.trend[-6].numerator, late.trend[-6].denominator) == (2, 240)
    assert late.slope_per_day is not None and late.slope_per_day > 0
    expected = health.projected_breach(
        late.value or 0, late.slope_per_day, Comparator.LT, 4.0, report.as_of
    )
    assert late.projected_breach_on == expected
    assert late.projected_breach_on is not None
    assert late.status == "at_risk"


def test_health_is_scoped_to_the_actors_stores(session: Session) -> None:
    company, other = make_company(session), make_company(session)
    store = utc_store(session, company)
    with pytest.raises(NotFound, match=f"store {store.id} not found"):
        health.account_health(session, store_id=store.id, actor=owner_actor(session, other))
    _, cs = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
    with pytest.raises(PermissionDenied):
        health.account_health(session, store_id=store.id, actor=cs)


# --- rule changes (2.3.2) ------------------------------------------------------------------------


def test_a_rule_change_shows_the_diff_lists_stores_and_listings_and_opens_tasks(
    session: Session,
) -> None:
    company = make_company(session)
    ali1 = utc_store(session, company, Platform.ALIEXPRESS)
    ali2 = utc_store(session, company, Platform.ALIEXPRESS)
    utc_store(session, company, Platform.AMAZON)  # not affected
    actor = owner_actor(session, company)
    shop = Shop(session, ali1)
    flagged = shop.listing("Earbuds Best Seller wireless")
    shop.listing("Earbuds plain")
    bundled = rules.bundled_rule_set("aliexpress")
    assert bundled is not None
    new_rules = [RuleIn.model_validate(r.model_dump()) for r in bundled.rules]
    new_rules[0] = new_rules[0].model_copy(update={"threshold": 95.0})  # response_24h 90 → 95
    new_rules.append(
        RuleIn(
            code="odr", category=RuleCategory.OPERATION, title="Dispute rate below 1 %",
            metric=HealthMetric.ORDER_DEFECT_RATE, comparator=Comparator.LT, threshold=1.0,
            unit="%", window_days=60, source="seller notice 2026-11",
        )
    )  # fmt: skip
    new_rules = [r for r in new_rules if r.code != "title_words"]
    new_rules.append(
        RuleIn(
            code="title_words_2026", category=RuleCategory.PRODUCT_COMPLIANCE,
            title="No promotional claims in titles", params={"banned_title_terms": ["best seller"]},
            source="seller notice 2026-11",
        )
    )  # fmt: skip
    result = rules.import_rule_set(
        session,
        data=RuleSetIn(
            platform="AliExpress",
            version="2026-12",
            effective_from=dt.date(2026, 12, 1),
            source="seller notice 2026-11",
            rules=new_rules,
        ),
        actor=actor,
    )
    assert result.previous_version == "bundled-2024-06"
    assert [(c.code, c.change, c.fields) for c in result.changes] == [
        ("odr", "added", []),
        ("response_24h", "changed", ["threshold"]),
        ("title_words", "removed", []),
        ("title_words_2026", "added", []),
    ]
    assert result.affected_store_ids == [ali1.id, ali2.id]
    assert len(result.follow_ups) == 2 * 4
    titled = [
        t for t in result.follow_ups if t.store_id == ali1.id and t.rule_code == "title_words_2026"
    ]
    assert titled[0].detail.endswith(f"1 active listing(s) carry a banned term: {flagged.id}")
    changed = next(t for t in result.follow_ups if t.rule_code == "response_24h")
    assert changed.detail == "rule response_24h changed: threshold 90.0 → 95.0"
    assert changed.due_on == dt.date(2026, 12, 1)
    assert {t.status for t in result.follow_ups} == {FollowUpStatus.OPEN}
    # the new version is in force from its effective date only
    assert (
        rules.current_rule_set(
            session, platform="aliexpress", actor=actor, on=dt.date(2026, 11, 30)
        ).version
        == "bundled-2024-06"
    )  # type: ignore[union-attr]
    assert [s.version for s in rules.rule_sets(session, platform="aliexpress", actor=actor)] == [
        "2026-12",
        "bundled-2024-06",
    ]
    with pytest.raises(DuplicateRuleSet):
        rules.import_rule_set(
            session,
            data=RuleSetIn(platform="aliexpress", version="2026-12",
                           effective_from=dt.date(2026, 12, 1), rules=new_rules),
            actor=actor,
        )  # fmt: skip
    # the follow-up flow
    task = result.follow_ups[0]
    done = rules.change_follow_up(session, task_id=task.id, status="done", actor=actor)
    assert done.status == FollowUpStatus.DONE
    with pytest.raises(IllegalTransition):
        rules.change_follow_up(session, task_id=task.id, status="open", actor=actor)
    open_tasks = rules.list_follow_ups(session, actor=actor, status=FollowUpStatus.OPEN)
    assert len(open_tasks) == 7


def test_bad_rule_sets_write_nothing(session: Session) -> None:
    company = make_company(session)
    actor = owner_actor(session, company)
    half = RuleIn(
        code="x", category=RuleCategory.OPERATION, title="x",
        metric=HealthMetric.ORDER_DEFECT_RATE, threshold=1.0, window_days=30, source="s",
    )  # fmt: skip
    with pytest.raises(Exception, match="needs metric, comparator and threshold"):
        rules.import_rule_set(
            session,
            data=RuleSetIn(platform="amazon", version="v", effective_from=dt.date(2026, 1, 1),
                           rules=[half]),
            actor=actor,
        )  # fmt: skip
    with pytest.raises(Exception, match="unknown platform"):
        rules.import_rule_set(
            session,
            data=RuleSetIn(platform="mars", version="v", effective_from=dt.date(2026, 1, 1),
                           rules=[half.model_copy(update={"comparator": Comparator.LT})]),
            actor=actor,
        )  # fmt: skip
    assert session.scalar(select(func.count()).select_from(FollowUpTask)) == 0
