"""5.4 Social posts compared across networks, KOL and paid posts apart."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from storeops.marketing.models import SocialPost
from storeops.marketing.social import compare_networks
from tests.factories import make_company, make_store, owner_actor


def test_networks_compared_with_rates_and_cost_per_click(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    day = dt.date(2026, 9, 10)
    for network, kind, imp, eng, clicks, spend in (
        ("tiktok", "short_video", 10000, 800, 120, 0),
        ("tiktok", "kol", 30000, 2100, 300, 15000),
        ("instagram", "post", 4000, 200, 20, 0),
        ("instagram", "post", 6000, 300, 40, 0),
    ):
        session.add(
            SocialPost(
                store_id=store.id,
                network=network,
                posted_on=day,
                kind=kind,
                impressions=imp,
                engagements=eng,
                link_clicks=clicks,
                spend_amount=spend,
                currency="USD",
            )
        )
    session.add(
        SocialPost(
            store_id=store.id,
            network="tiktok",
            posted_on=day - dt.timedelta(days=30),
            kind="post",
            impressions=99,
            engagements=9,
            link_clicks=9,
            spend_amount=0,
            currency="USD",
        )
    )  # before the window
    session.flush()
    rows = compare_networks(
        session,
        actor=owner_actor(session, company),
        store_id=store.id,
        date_from=dt.date(2026, 9, 1),
        date_to=dt.date(2026, 9, 30),
    )
    assert [
        (
            r.network,
            r.kind,
            r.posts,
            r.impressions,
            r.engagement_rate,
            r.click_rate,
            r.cost_per_click_amount,
        )
        for r in rows
    ] == [
        ("tiktok", "all", 2, 40000, 0.0725, 0.0105, 36),  # 15000 / 420 = 35.7 → 36
        ("instagram", "all", 2, 10000, 0.05, 0.006, None),
        ("tiktok", "kol", 1, 30000, 0.07, 0.01, 50),
        ("instagram", "post", 2, 10000, 0.05, 0.006, None),  # ties on impressions: by network
        ("tiktok", "short_video", 1, 10000, 0.08, 0.012, None),
    ]
