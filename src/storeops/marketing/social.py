"""5.4 Social media: posts with reach and engagement per network, compared across networks, with
KOL and paid posts apart (5.4.6 / 5.4.7)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.catalog.ratios import cpc, ratio
from storeops.catalog.zero_effect import check_window
from storeops.marketing.models import SocialPost
from storeops.stores.models import Store


class NetworkFigures(BaseModel):
    """5.4 One network (and post kind) of a store over a window."""

    network: str
    kind: str  # post | short_video | kol | paid | all
    posts: int
    impressions: int
    engagements: int
    link_clicks: int
    spend_amount: int
    currency: str
    engagement_rate: float | None  # engagements ÷ impressions
    click_rate: float | None  # link clicks ÷ impressions
    cost_per_click_amount: int | None


def compare_networks(
    session: Session, *, actor: Actor, store_id: int, date_from: dt.date, date_to: dt.date
) -> list[NetworkFigures]:
    """5.4 Posts, reach, engagement, clicks and spend per network and kind, plus each network's
    total (kind ``all``), most impressions first. Spend in the store's currency only."""
    actor.require(Permission.MARKETING_READ)
    check_window(date_from, date_to)
    store = get_scoped(session, Store, store_id, actor, what="store")
    p = SocialPost
    rows = session.execute(
        select(
            p.network,
            p.kind,
            func.count(),
            func.sum(p.impressions),
            func.sum(p.engagements),
            func.sum(p.link_clicks),
            func.sum(p.spend_amount),
        )
        .where(
            p.store_id == store.id,
            p.posted_on >= date_from,
            p.posted_on <= date_to,
            p.currency == store.currency,
        )
        .group_by(p.network, p.kind)
    ).all()
    totals: dict[str, list[int]] = {}
    result = []
    for network, kind, *values in rows:
        numbers = [int(v or 0) for v in values]
        acc = totals.setdefault(network, [0, 0, 0, 0, 0])
        for i, v in enumerate(numbers):
            acc[i] += v
        result.append(_figures(network, kind, numbers, store.currency))
    result.extend(_figures(n, "all", v, store.currency) for n, v in totals.items())
    result.sort(key=lambda f: (f.kind != "all", -f.impressions, f.network, f.kind))
    return result


def _figures(network: str, kind: str, values: list[int], currency: str) -> NetworkFigures:
    posts, impressions, engagements, clicks, spend = values
    return NetworkFigures(
        network=network,
        kind=kind,
        posts=posts,
        impressions=impressions,
        engagements=engagements,
        link_clicks=clicks,
        spend_amount=spend,
        currency=currency,
        engagement_rate=ratio(engagements, impressions),
        click_rate=ratio(clicks, impressions),
        cost_per_click_amount=cpc(spend, clicks) if spend else None,
    )
