"""5.2 Paid ads (P4P / sponsored products): campaigns, ad groups and keyword bids; keyword and
campaign figures from the daily keyword stats; the wasteful-keyword rule, bid suggestions and
budget pacing.

Figures over a window (days as the platform reports them, the store's calendar):
spend, impressions, clicks, orders, sales; CTR = clicks ÷ impressions; CPC = spend ÷ clicks;
CVR = orders ÷ clicks; ACoS = spend ÷ sales; ROAS = sales ÷ spend (``catalog.ratios``).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Final, Literal

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped, scoped
from storeops.catalog.ratios import acos, cpc, ctr, cvr, roas
from storeops.catalog.zero_effect import check_window
from storeops.errors import InvalidInput
from storeops.marketing.models import AdCampaign, AdGroup, AdKeyword, AdKeywordDaily
from storeops.stores.models import Store

DEFAULT_TARGET_ACOS: Final = 0.30
DEFAULT_MIN_CLICKS: Final = 10  # fewer clicks without an order is too little data to judge
HIGH_ACOS_FACTOR: Final = 1.2  # ACoS above 120 % of target: lower the bid
LOW_ACOS_FACTOR: Final = 0.8  # ACoS under 80 % of target: there is room to raise it
MAX_BID_CUT: Final = 0.5  # never suggest less than half the current bid
MAX_BID_RAISE: Final = 1.2  # nor more than 120 % of it
PACING_UNDER: Final = 0.8
MATCH_TYPES: Final = ("exact", "phrase", "broad")

Suggestion = Literal["pause", "lower", "raise", "keep", "watch"]


def _round(value: float) -> int:
    return math.floor(value + 0.5)


class KeywordPerformance(BaseModel):
    """5.2.3 One keyword of a campaign over a window, with the rule's verdict and a bid suggestion."""

    campaign_id: int
    campaign_name: str
    keyword: str
    currency: str
    impressions: int
    clicks: int
    spend_amount: int
    orders: int
    sales_amount: int
    ctr: float | None
    cpc_amount: int | None
    cvr: float | None
    acos: float | None
    roas: float | None
    bid_amount: int | None  # the bid recorded in storeops, if the keyword is registered
    wasteful: bool
    suggestion: Suggestion
    suggested_bid_amount: int | None
    reason: str


class CampaignPacing(BaseModel):
    """5.2.3 A campaign's spend against its budget over a window, and its figures."""

    campaign_id: int
    name: str
    kind: str
    currency: str
    daily_budget_amount: int
    days_live: int
    budget_amount: int
    spend_amount: int
    pacing: float | None
    days_over_budget: int
    state: Literal["under", "on_track", "over", "not_live"]
    impressions: int
    clicks: int
    orders: int
    sales_amount: int
    ctr: float | None
    cpc_amount: int | None
    cvr: float | None
    acos: float | None
    roas: float | None


def _suggest(
    *,
    clicks: int,
    spend: int,
    orders: int,
    sales: int,
    base_bid: int | None,
    target_acos: float,
    min_clicks: int,
    currency: str,
) -> tuple[bool, Suggestion, int | None, str]:
    """The wasteful-keyword rule and the bid suggestion for one keyword's figures."""
    if orders == 0:
        if spend > 0 and clicks >= min_clicks:
            return (
                True,
                "pause",
                None,
                f"spent {spend} {currency} minor units on {clicks} clicks without an order",
            )
        return False, "watch", None, f"{clicks} clicks without an order: too little data"
    keyword_acos = acos(spend, sales)
    if keyword_acos is None or base_bid is None:
        return False, "keep", base_bid, "no sales amount to judge the cost of sales"
    if keyword_acos > target_acos * HIGH_ACOS_FACTOR:
        bid = max(_round(base_bid * target_acos / keyword_acos), _round(base_bid * MAX_BID_CUT))
        return False, "lower", bid, f"ACoS {keyword_acos:.0%} above the {target_acos:.0%} target"
    if keyword_acos < target_acos * LOW_ACOS_FACTOR:
        bid = min(_round(base_bid * target_acos / keyword_acos), _round(base_bid * MAX_BID_RAISE))
        return (
            False,
            "raise",
            bid,
            f"ACoS {keyword_acos:.0%} well under the {target_acos:.0%} target",
        )
    return False, "keep", base_bid, f"ACoS {keyword_acos:.0%} near the {target_acos:.0%} target"


def keyword_performance(
    session: Session,
    *,
    actor: Actor,
    store_id: int,
    date_from: dt.date,
    date_to: dt.date,
    target_acos: float = DEFAULT_TARGET_ACOS,
    min_clicks: int = DEFAULT_MIN_CLICKS,
) -> list[KeywordPerformance]:
    """5.2.3 Every keyword of the store's campaigns in the window, most spend first, with the
    wasteful-keyword rule (spend, at least ``min_clicks`` clicks, no order) and bid suggestions
    towards ``target_acos`` (from the recorded bid, else the keyword's actual CPC)."""
    actor.require(Permission.MARKETING_READ)
    check_window(date_from, date_to)
    if not 0 < target_acos < 5:
        raise InvalidInput(
            "target ACoS must be between 0 and 5 (e.g. 0.3 for 30 %)", field="target_acos"
        )
    if min_clicks < 1:
        raise InvalidInput("min_clicks must be at least 1", field="min_clicks")
    store = get_scoped(session, Store, store_id, actor, what="store")
    d = AdKeywordDaily
    rows = session.execute(
        select(
            d.campaign_id,
            d.keyword,
            func.sum(d.impressions),
            func.sum(d.clicks),
            func.sum(d.spend_amount),
            func.sum(d.orders),
            func.sum(d.sales_amount),
        )
        .where(d.store_id == store.id, d.day >= date_from, d.day <= date_to)
        .group_by(d.campaign_id, d.keyword)
    ).all()
    campaigns = {
        c.id: c
        for c in session.scalars(
            scoped(select(AdCampaign), AdCampaign, actor).where(AdCampaign.store_id == store.id)
        )
    }
    bids = {
        (k.campaign_id, k.text.lower()): k.bid_amount
        for k in session.scalars(
            select(AdKeyword).where(AdKeyword.store_id == store.id, AdKeyword.paused.is_(False))
        )
    }
    result = []
    for campaign_id, keyword, imp, clicks, spend, orders, sales in rows:
        campaign = campaigns[campaign_id]
        imp, clicks, spend, orders, sales = (
            int(x or 0) for x in (imp, clicks, spend, orders, sales)
        )
        bid = bids.get((campaign_id, keyword.lower()))
        keyword_cpc = cpc(spend, clicks)
        wasteful, suggestion, new_bid, reason = _suggest(
            clicks=clicks,
            spend=spend,
            orders=orders,
            sales=sales,
            base_bid=bid if bid is not None else keyword_cpc,
            target_acos=target_acos,
            min_clicks=min_clicks,
            currency=campaign.currency,
        )
        result.append(
            KeywordPerformance(
                campaign_id=campaign_id,
                campaign_name=campaign.name,
                keyword=keyword,
                currency=campaign.currency,
                impressions=imp,
                clicks=clicks,
                spend_amount=spend,
                orders=orders,
                sales_amount=sales,
                ctr=ctr(clicks, imp),
                cpc_amount=keyword_cpc,
                cvr=cvr(orders, clicks),
                acos=acos(spend, sales),
                roas=roas(spend, sales),
                bid_amount=bid,
                wasteful=wasteful,
                suggestion=suggestion,
                suggested_bid_amount=new_bid,
                reason=reason,
            )
        )
    result.sort(key=lambda k: (-k.spend_amount, k.campaign_id, k.keyword))
    return result


def campaign_pacing(
    session: Session, *, actor: Actor, store_id: int, date_from: dt.date, date_to: dt.date
) -> list[CampaignPacing]:
    """5.2.3 Budget pacing per campaign: spend ÷ (daily budget × days live in the window), the
    days that spent more than the daily budget, and the campaign's figures."""
    actor.require(Permission.MARKETING_READ)
    check_window(date_from, date_to)
    store = get_scoped(session, Store, store_id, actor, what="store")
    d = AdKeywordDaily
    daily = session.execute(
        select(
            d.campaign_id,
            d.day,
            func.sum(d.impressions),
            func.sum(d.clicks),
            func.sum(d.spend_amount),
            func.sum(d.orders),
            func.sum(d.sales_amount),
        )
        .where(d.store_id == store.id, d.day >= date_from, d.day <= date_to)
        .group_by(d.campaign_id, d.day)
    ).all()
    per_campaign: dict[int, list[tuple[int, int, int, int, int]]] = {}
    for campaign_id, _day, imp, clicks, spend, orders, sales in daily:
        per_campaign.setdefault(campaign_id, []).append(
            tuple(int(x or 0) for x in (imp, clicks, spend, orders, sales))  # type: ignore[arg-type]
        )
    result = []
    for campaign in session.scalars(
        scoped(select(AdCampaign), AdCampaign, actor)
        .where(AdCampaign.store_id == store.id)
        .order_by(AdCampaign.id)
    ):
        first = max(date_from, campaign.starts_on)
        last = min(date_to, campaign.ends_on) if campaign.ends_on else date_to
        days_live = max((last - first).days + 1, 0)
        days = per_campaign.get(campaign.id, [])
        imp, clicks, spend, orders, sales = (sum(x[i] for x in days) for i in range(5))
        budget = campaign.daily_budget_amount * days_live
        pacing = round(spend / budget, 4) if budget else None
        state: Literal["under", "on_track", "over", "not_live"]
        if days_live == 0:
            state = "not_live"
        elif pacing is not None and pacing > 1:
            state = "over"
        elif pacing is not None and pacing < PACING_UNDER:
            state = "under"
        else:
            state = "on_track"
        result.append(
            CampaignPacing(
                campaign_id=campaign.id,
                name=campaign.name,
                kind=campaign.kind.value,
                currency=campaign.currency,
                daily_budget_amount=campaign.daily_budget_amount,
                days_live=days_live,
                budget_amount=budget,
                spend_amount=spend,
                pacing=pacing,
                days_over_budget=sum(1 for x in days if x[2] > campaign.daily_budget_amount),
                state=state,
                impressions=imp,
                clicks=clicks,
                orders=orders,
                sales_amount=sales,
                ctr=ctr(clicks, imp),
                cpc_amount=cpc(spend, clicks),
                cvr=cvr(orders, clicks),
                acos=acos(spend, sales),
                roas=roas(spend, sales),
            )
        )
    return result


def create_ad_group(
    session: Session, *, actor: Actor, campaign_id: int, name: str, default_bid_amount: int
) -> AdGroup:
    """5.2.2 Add an ad group with a default bid (minor units of the campaign's currency)."""
    actor.require(Permission.MARKETING_MANAGE)
    campaign = get_scoped(session, AdCampaign, campaign_id, actor, what="campaign")
    clean = name.strip()
    if not clean:
        raise InvalidInput("the ad group name is empty", field="name")
    if default_bid_amount <= 0:
        raise InvalidInput("the default bid must be positive", field="default_bid_amount")
    if session.scalar(
        select(AdGroup.id).where(AdGroup.campaign_id == campaign.id, AdGroup.name == clean)
    ):
        raise InvalidInput(f"the campaign already has an ad group named {clean!r}", field="name")
    group = AdGroup(
        store_id=campaign.store_id,
        campaign_id=campaign.id,
        name=clean[:120],
        default_bid_amount=default_bid_amount,
    )
    session.add(group)
    session.flush()
    return group


def add_ad_keyword(
    session: Session,
    *,
    actor: Actor,
    ad_group_id: int,
    text: str,
    match_type: str = "exact",
    bid_amount: int | None = None,
) -> AdKeyword:
    """5.2.2 Bid on a keyword in an ad group (the group's default bid unless given)."""
    actor.require(Permission.MARKETING_MANAGE)
    group = get_scoped(session, AdGroup, ad_group_id, actor, what="ad group")
    clean = " ".join(text.split()).lower()
    if not clean:
        raise InvalidInput("the keyword is empty", field="text")
    if match_type not in MATCH_TYPES:
        raise InvalidInput(
            f"unknown match type {match_type!r}; choose one of: {', '.join(MATCH_TYPES)}",
            field="match_type",
        )
    bid = group.default_bid_amount if bid_amount is None else bid_amount
    if bid <= 0:
        raise InvalidInput("the bid must be positive", field="bid_amount")
    keyword = AdKeyword(
        store_id=group.store_id,
        campaign_id=group.campaign_id,
        ad_group_id=group.id,
        text=clean[:160],
        match_type=match_type,
        bid_amount=bid,
    )
    session.add(keyword)
    session.flush()
    return keyword


def set_keyword_bid(
    session: Session, *, actor: Actor, keyword_id: int, bid_amount: int | None, paused: bool = False
) -> AdKeyword:
    """5.2.3 Change a keyword's bid, or pause it (``paused=True``)."""
    actor.require(Permission.MARKETING_MANAGE)
    keyword = get_scoped(session, AdKeyword, keyword_id, actor, what="keyword")
    if bid_amount is not None:
        if bid_amount <= 0:
            raise InvalidInput("the bid must be positive", field="bid_amount")
        keyword.bid_amount = bid_amount
    keyword.paused = paused
    session.flush()
    return keyword
