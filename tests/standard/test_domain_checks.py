"""The assessment checks that measure with the domains' own rules (``standard/domain_checks.py``):
a passing and a failing case each, on a small hand-built dataset, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from storeops.catalog.enums import ListingActionKind, ListingStatus
from storeops.catalog.zero_effect import act_on_listings
from storeops.standard import domain_checks as dc
from storeops.standard.figures import Window
from storeops.stores.enums import BusinessModel, Platform
from storeops.stores.models import Company, Store
from tests.factories import make_company, make_store, owner_actor
from tests.marketing.factories import add_day, make_campaign
from tests.standard.factories import (
    make_buyer,
    make_category,
    make_listing,
    make_order,
    make_product,
    make_sku,
)

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
LONG = "A long description of the earbuds. " * 4  # 140 characters: ≥ 100
FULL_ATTRIBUTES = {"brand": "Brand", "material": "ABS", "colour": "black", "weight_g": 50,
                   "origin": "CN"}  # fmt: skip


def _store(session: Session, **kwargs: object) -> Store:
    company = make_company(session)
    return make_store(session, company=company, timezone="UTC", **kwargs)  # type: ignore[arg-type]


def _march(store: Store) -> Window:
    return Window.local(*MARCH, store.timezone)


# --- 3.3.2 / 3.2.2: the catalog's per-platform listing quality rules ---------------------------------


def _quality_store(session: Session) -> tuple[Store, object]:
    store = _store(session)  # Amazon, B2C
    product = make_product(session, store=store, category=make_category(session, store=store))
    return store, product


def test_listing_quality_passes_when_listings_meet_the_platforms_rules(session: Session) -> None:
    store, product = _quality_store(session)
    # Amazon rules: every rule passes but image_size (10: no image in the media library) → 90
    for _ in range(2):
        make_listing(session, store=store, product=product, description=LONG,
                     attributes=FULL_ATTRIBUTES)  # fmt: skip
    make_listing(session, store=store, product=product, status=ListingStatus.DRAFT, title="x")
    outcome = dc.listing_quality_b2c(session, store, _march(store))
    assert outcome.status == "evidenced"
    assert outcome.measured == {"rules": "amazon 2026-11", "active": 2, "passing": 2,
                                "pass_score": 80, "average_score": 90,
                                "failed_rules": {}}  # fmt: skip
    assert outcome.records == ()


def test_listing_quality_fails_with_listings_under_the_pass_score(session: Session) -> None:
    store, product = _quality_store(session)
    make_listing(session, store=store, product=product, description=LONG,
                 attributes=FULL_ATTRIBUTES)  # 90  # fmt: skip
    bad = make_listing(session, store=store, product=product, title="Earbuds", description="",
                       attributes={"colour": "red"})  # fmt: skip
    # bad: required_fields 20 (description), title_length 15 (7 < 40), image_size 10,
    # description_length 5, attributes 10 → 100 - 60 = 40
    outcome = dc.listing_quality_b2c(session, store, _march(store))
    assert outcome.status == "missing"  # 1 of 2 = 50 % < 80 %
    assert outcome.measured["passing"] == 1
    assert outcome.measured["average_score"] == 65  # (90 + 40) / 2
    assert outcome.measured["failed_rules"] == {"attributes": 1, "description_length": 1,
                                                "image_size": 1, "required_fields": 1,
                                                "title_length": 1}  # fmt: skip
    assert outcome.records == (f"listing:{bad.id}",)
    assert outcome.detail.startswith(
        "1 of 2 active listings (50.0 %) score ≥ 80 on the amazon rules"
    )


def test_listing_quality_without_platform_rules_falls_back_to_the_basic_fields(
    session: Session,
) -> None:
    store = _store(session, platform=Platform.LAZADA)
    product = make_product(session, store=store, category=make_category(session, store=store))
    make_listing(session, store=store, product=product)
    bad = make_listing(session, store=store, product=product, description="")
    outcome = dc.listing_quality_b2c(session, store, _march(store))
    assert outcome.status == "missing"  # 1 of 2 complete
    assert outcome.measured["rules"] == "basic"
    assert outcome.detail.startswith("no listing quality rules for lazada; basic fields: 1 of 2")
    assert outcome.records == (f"listing:{bad.id}",)


# --- 3.2.6: the catalog's zero-effect finder and recorded listing actions -----------------------------


def _zero_effect(session: Session) -> tuple[Store, Window, int]:
    today = dt.datetime.now(dt.UTC).date()  # listing actions are recorded at the current time
    store = _store(session, platform=Platform.ALIBABA_COM, model=BusinessModel.B2B)
    product = make_product(session, store=store, category=make_category(session, store=store))
    sku = make_sku(session, product=product)
    sold = make_listing(session, store=store, product=product, listed_on=dt.date(2025, 6, 1))
    buyer = make_buyer(session, store=store)
    placed = dt.datetime.combine(today - dt.timedelta(days=10), dt.time(12), dt.UTC)
    make_order(session, store=store, buyer=buyer, placed_at=placed, listing=sold, sku=sku)
    make_listing(session, store=store, product=product, listed_on=today)  # too new to judge
    unsold = make_listing(session, store=store, product=product, listed_on=dt.date(2025, 6, 1))
    hidden = make_listing(session, store=store, product=product, listed_on=dt.date(2025, 6, 1))
    actor = owner_actor(session, session.get(Company, store.company_id))
    act_on_listings(session, actor=actor, listing_ids=[hidden.id], action=ListingActionKind.HIDE,
                    reason="no traffic in 90 days")  # fmt: skip
    return store, Window.local(today - dt.timedelta(days=30), today, "UTC"), unsold.id


def test_zero_effect_passes_when_the_zero_effect_listing_is_being_reworked(
    session: Session,
) -> None:
    store, window, unsold = _zero_effect(session)
    act_on_listings(session, actor=owner_actor(session, session.get(Company, store.company_id)), listing_ids=[unsold],
                    action=ListingActionKind.OPTIMISE, reason="new title and images")  # fmt: skip
    outcome = dc.zero_effect_check(session, store, window)
    assert outcome.status == "evidenced"
    assert outcome.measured["active"] == 3  # sold, new, unsold; the hidden one is inactive
    assert (outcome.measured["zero_effect"], outcome.measured["reworked"]) == (1, 1)
    assert outcome.measured["unhandled"] == 0
    assert outcome.measured["actions"] == {"hide": 1, "optimise": 1}
    assert outcome.records == ()


def test_zero_effect_fails_with_an_unhandled_zero_effect_listing(session: Session) -> None:
    store, window, unsold = _zero_effect(session)
    outcome = dc.zero_effect_check(session, store, window)
    assert outcome.status == "missing"  # 1 of 3 active = 33.3 % > 15 %
    assert (outcome.measured["zero_effect"], outcome.measured["unhandled"]) == (1, 1)
    assert outcome.measured["actions"] == {"hide": 1}
    assert outcome.records == (f"listing:{unsold}",)
    assert "1 hidden and 0 deleted" in outcome.detail


# --- 5.2.3: marketing's wasteful-keyword rule ------------------------------------------------------


def _ads(session: Session, *, waste_clicks: int) -> Store:
    store = _store(session)
    campaign = make_campaign(session, store=store)
    day = dt.date(2026, 3, 10)
    add_day(session, campaign=campaign, keyword="wireless earbuds", day=day, impressions=1000,
            clicks=20, spend=3000, orders=2, sales=10000)  # fmt: skip
    add_day(session, campaign=campaign, keyword="cheap earbuds", day=day, impressions=400,
            clicks=waste_clicks, spend=1200)  # fmt: skip
    add_day(session, campaign=campaign, keyword="old", day=dt.date(2026, 2, 10), impressions=400,
            clicks=50, spend=9000)  # outside the period  # fmt: skip
    return store


def test_wasteful_keywords_pass_when_no_keyword_spends_without_orders(session: Session) -> None:
    store = _ads(session, waste_clicks=9)  # 9 clicks < 10: too little data ("watch"), not wasteful
    outcome = dc.wasteful_keywords_check(session, store, _march(store))
    assert outcome.status == "evidenced"
    assert outcome.measured == {"keywords": 2, "spend": 4200, "wasteful": 0, "wasted_spend": 0,
                                "currency": "USD"}  # fmt: skip


def test_wasteful_keywords_fail_with_spend_on_a_wasteful_keyword(session: Session) -> None:
    store = _ads(session, waste_clicks=12)
    outcome = dc.wasteful_keywords_check(session, store, _march(store))
    assert outcome.status == "missing"  # 1200 of 4200 = 28.6 % > 10 %
    assert outcome.detail == (
        "1 of 2 keywords wasteful, 1200 of 4200 USD minor units of ad spend (28.6 %)"
    )
    assert len(outcome.records) == 1 and outcome.records[0].endswith(":cheap earbuds")


# --- 3.2.1 / 3.3.1: the catalog's launch plan -----------------------------------------------------


def _launches(session: Session, plans: dict[dt.date, int]) -> Store:
    from storeops.catalog.launch_plan import set_launch_week

    store = _store(session)  # B2C
    actor = owner_actor(session, session.get(Company, store.company_id))
    product = make_product(session, store=store, category=make_category(session, store=store))
    # March 2026: whole weeks start on Mondays 2, 9, 16 and 23 March (30-31 March are cut off)
    for monday, count in plans.items():
        set_launch_week(session, actor=actor, store_id=store.id, week_start=monday,
                        planned_count=count)  # fmt: skip
    for day in (dt.date(2026, 3, 3), dt.date(2026, 3, 4), dt.date(2026, 3, 10),
                dt.date(2026, 3, 17), dt.date(2026, 3, 24), dt.date(2026, 3, 31)):  # fmt: skip
        make_listing(session, store=store, product=product, listed_on=day)
    return store


def test_launch_cadence_passes_when_every_week_meets_its_plan(session: Session) -> None:
    store = _launches(session, {dt.date(2026, 3, 2): 2, dt.date(2026, 3, 9): 1,
                                dt.date(2026, 3, 16): 1, dt.date(2026, 3, 23): 1})  # fmt: skip
    outcome = dc.launch_cadence_b2c(session, store, _march(store))
    assert outcome.status == "evidenced"
    assert {k: outcome.measured[k] for k in ("weeks", "met", "behind", "no_plan", "planned",
                                              "launched")} == {
        "weeks": 4, "met": 4, "behind": 0, "no_plan": 0, "planned": 5, "launched": 5,
    }  # fmt: skip


def test_launch_cadence_fails_when_weeks_fall_behind_or_have_no_plan(session: Session) -> None:
    # week of 2 March: 2 launched of 3 (behind); 9 March: 1 of 1 (met); 16 and 23 March: no plan
    store = _launches(session, {dt.date(2026, 3, 2): 3, dt.date(2026, 3, 9): 1})
    outcome = dc.launch_cadence_b2c(session, store, _march(store))
    assert outcome.status == "missing"  # 1 of 4 weeks met < half
    assert (outcome.measured["met"], outcome.measured["behind"], outcome.measured["no_plan"]) == (
        1, 1, 2,
    )  # fmt: skip
    assert outcome.records == ("week:2026-03-02:behind", "week:2026-03-16:no_plan",
                               "week:2026-03-23:no_plan")  # fmt: skip
    assert dc.launch_cadence_b2c(session, _store(session), _march(store)).status == "missing"


# --- 2.3.1: market's account health against the platform's rules ---------------------------------


def _healthy_shop(session: Session) -> tuple[Store, list]:  # type: ignore[type-arg]
    from tests.market.test_health import Shop, at, utc_store

    store = utc_store(session, make_company(session))  # Amazon
    shop = Shop(session, store)
    orders = [shop.order(at(dt.date(2026, 6, 10)), ship_after_days=1) for _ in range(10)]
    session.flush()
    return store, [shop, orders]


JUNE = Window.local(dt.date(2026, 6, 1), dt.date(2026, 6, 30), "UTC")


def test_platform_rules_pass_when_every_measured_rule_is_met(session: Session) -> None:
    store, _ = _healthy_shop(session)
    outcome = dc.platform_rules_check(session, store, JUNE)
    assert outcome.status == "evidenced"
    rules = outcome.measured["rules"]
    # 10 orders paid 10 June, shipped the next day with tracking, no dispute, no review:
    # ODR 0/10 (60 d), late shipment 0/10 and valid tracking 10/10 (30 d); the cancel rate's 7
    # days (24-30 June) hold no order and there is no inquiry to answer: no data, not counted
    assert {code: r["value"] for code, r in rules.items()} == {
        "odr": 0.0, "late_shipment": 0.0, "pre_fulfilment_cancel": None, "valid_tracking": 100.0,
        "response_24h": None,
    }  # fmt: skip
    assert rules["response_24h"]["status"] == "no_data"
    assert outcome.detail == "3 of 3 measured rules of amazon met on 2026-06-30"


def test_platform_rules_fail_when_a_rule_is_breached(session: Session) -> None:
    from tests.market.test_health import at

    store, (shop, orders) = _healthy_shop(session)
    shop.dispute(orders[0], at(dt.date(2026, 6, 20)))  # ODR 1/10 = 10 % ≥ 1 %
    session.flush()
    outcome = dc.platform_rules_check(session, store, JUNE)
    assert outcome.status == "missing"
    assert outcome.measured["rules"]["odr"]["value"] == 10.0
    assert outcome.records == ("rule:odr",)
    assert outcome.detail == "2 of 3 measured rules of amazon met on 2026-06-30; breached: odr"
