"""5.2 Paid ads: keyword figures, the wasteful-keyword rule, bid suggestions, budget pacing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.errors import InvalidInput, NotFound, PermissionDenied
from storeops.marketing.ads import (
    add_ad_keyword,
    campaign_pacing,
    create_ad_group,
    keyword_performance,
    set_keyword_bid,
)
from tests.factories import make_company, make_member, make_store, owner_actor
from tests.marketing.factories import add_day, make_campaign

D1, D2, D3 = dt.date(2026, 9, 1), dt.date(2026, 9, 2), dt.date(2026, 9, 3)


def _world(session: Session):  # type: ignore[no-untyped-def]
    company = make_company(session)
    store = make_store(session, company=company)
    campaign = make_campaign(session, store=store, daily_budget=5000)  # 50.00 USD a day
    # "phone holder": 2 days, 2000 impressions, 40 clicks, 4000 spend, 4 orders, 8000 sales
    add_day(
        session,
        campaign=campaign,
        keyword="phone holder",
        day=D1,
        impressions=1000,
        clicks=20,
        spend=2000,
        orders=2,
        sales=4000,
    )
    add_day(
        session,
        campaign=campaign,
        keyword="phone holder",
        day=D2,
        impressions=1000,
        clicks=20,
        spend=2000,
        orders=2,
        sales=4000,
    )
    # "car mount": 12 clicks, 1500 spend, no order → wasteful
    add_day(
        session,
        campaign=campaign,
        keyword="car mount",
        day=D1,
        impressions=600,
        clicks=12,
        spend=1500,
    )
    # "magnet": 3 clicks, no order → too little data
    add_day(
        session, campaign=campaign, keyword="magnet", day=D2, impressions=300, clicks=3, spend=300
    )
    # "holder stand": cheap sales, ACoS 10 % → raise
    add_day(
        session,
        campaign=campaign,
        keyword="holder stand",
        day=D3,
        impressions=500,
        clicks=10,
        spend=1000,
        orders=3,
        sales=10000,
    )
    # day 3 also overspends: 1000 + 4600 = 5600 > 5000
    add_day(
        session,
        campaign=campaign,
        keyword="cable",
        day=D3,
        impressions=900,
        clicks=46,
        spend=4600,
        orders=5,
        sales=15000,
    )
    return company, store, campaign


def test_keyword_figures_rule_and_suggestions(session: Session) -> None:
    company, store, campaign = _world(session)
    actor = owner_actor(session, company)
    group = create_ad_group(
        session, actor=actor, campaign_id=campaign.id, name="Holders", default_bid_amount=100
    )
    add_ad_keyword(session, actor=actor, ad_group_id=group.id, text="Phone  Holder", bid_amount=120)
    rows = keyword_performance(session, actor=actor, store_id=store.id, date_from=D1, date_to=D3)
    by = {r.keyword: r for r in rows}
    ph = by["phone holder"]
    assert (ph.impressions, ph.clicks, ph.spend_amount, ph.orders, ph.sales_amount) == (
        2000,
        40,
        4000,
        4,
        8000,
    )
    assert (ph.ctr, ph.cpc_amount, ph.cvr, ph.acos, ph.roas) == (0.02, 100, 0.1, 0.5, 2.0)
    # ACoS 50 % > 36 %: lower the recorded bid 120 × 0.30 / 0.50 = 72 (not under half: 60)
    assert (ph.bid_amount, ph.suggestion, ph.suggested_bid_amount) == (120, "lower", 72)
    cm = by["car mount"]
    assert (cm.wasteful, cm.suggestion, cm.suggested_bid_amount) == (True, "pause", None)
    assert cm.reason == "spent 1500 USD minor units on 12 clicks without an order"
    assert (cm.acos, cm.roas, cm.cvr) == (None, 0.0, 0.0)
    assert (by["magnet"].wasteful, by["magnet"].suggestion) == (False, "watch")
    hs = by["holder stand"]
    # no recorded bid: from its CPC 100; ACoS 10 % < 24 %: 100 × 0.3 / 0.1 = 300, capped at 120
    assert (hs.acos, hs.suggestion, hs.suggested_bid_amount) == (0.1, "raise", 120)
    cable = by["cable"]  # ACoS 4600 / 15000 = 30.67 %: within 24-36 %
    assert (cable.suggestion, cable.suggested_bid_amount) == ("keep", 100)
    assert [r.keyword for r in rows] == [
        "cable",
        "phone holder",
        "car mount",
        "holder stand",
        "magnet",
    ]
    wasteful = [r.keyword for r in rows if r.wasteful]
    assert wasteful == ["car mount"]
    # with a threshold of 15 clicks, 12 clicks are too little data
    strict = keyword_performance(
        session, actor=actor, store_id=store.id, date_from=D1, date_to=D3, min_clicks=15
    )
    assert not any(r.wasteful for r in strict)


def test_budget_pacing(session: Session) -> None:
    company, store, _campaign = _world(session)
    idle = make_campaign(session, store=store, name="Later", starts_on=dt.date(2026, 10, 1))
    (pacing, later) = campaign_pacing(
        session, actor=owner_actor(session, company), store_id=store.id, date_from=D1, date_to=D3
    )
    # spend 2000 + 2000 + 1500 + 300 + 1000 + 4600 = 11400 of 3 × 5000; day 3 spent 5600
    assert (pacing.spend_amount, pacing.budget_amount, pacing.pacing) == (11400, 15000, 0.76)
    assert (pacing.days_over_budget, pacing.state) == (1, "under")
    assert (pacing.clicks, pacing.orders, pacing.sales_amount) == (111, 12, 33000)
    assert (later.campaign_id, later.days_live, later.state, later.pacing) == (
        idle.id,
        0,
        "not_live",
        None,
    )


def test_refusals_and_scoping(session: Session) -> None:
    company, store, campaign = _world(session)
    other = make_store(session, company=company)
    _, cs = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
    with pytest.raises(PermissionDenied, match="marketing.read"):
        keyword_performance(session, actor=cs, store_id=store.id, date_from=D1, date_to=D3)
    _, marketer = make_member(session, company=company, role=Role.MARKETING, stores=[other])
    with pytest.raises(NotFound, match=f"store {store.id} not found"):
        keyword_performance(session, actor=marketer, store_id=store.id, date_from=D1, date_to=D3)
    with pytest.raises(NotFound, match=f"campaign {campaign.id} not found"):
        create_ad_group(
            session, actor=marketer, campaign_id=campaign.id, name="X", default_bid_amount=10
        )
    actor = owner_actor(session, company)
    group = create_ad_group(
        session, actor=actor, campaign_id=campaign.id, name="G", default_bid_amount=80
    )
    keyword = add_ad_keyword(session, actor=actor, ad_group_id=group.id, text="car mount")
    assert (keyword.bid_amount, keyword.match_type) == (80, "exact")
    with pytest.raises(InvalidInput, match="unknown match type 'fuzzy'"):
        add_ad_keyword(session, actor=actor, ad_group_id=group.id, text="x", match_type="fuzzy")
    paused = set_keyword_bid(
        session, actor=actor, keyword_id=keyword.id, bid_amount=None, paused=True
    )
    assert paused.paused and paused.bid_amount == 80
    with pytest.raises(InvalidInput, match="target ACoS"):
        keyword_performance(
            session, actor=actor, store_id=store.id, date_from=D1, date_to=D3, target_acos=0
        )
