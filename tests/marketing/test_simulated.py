"""The simulator's wasteful keywords are found, and its promotions get an uplift (tiny company)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlalchemy.orm import Session

from storeops.marketing.ads import campaign_pacing, keyword_performance
from storeops.marketing.promotions import promotion_uplift
from tests.catalog.test_simulated import _owner, db, sim  # noqa: F401  (fixtures)

PERIOD = (dt.date(2026, 6, 3), dt.date(2026, 9, 30))  # the tiny scale's whole period


def test_wasteful_keywords_of_the_simulator_are_found(db: Session) -> None:  # noqa: F811
    owner = _owner(db)
    found: set[tuple[int, str]] = set()
    stores = [
        r[0]
        for r in db.execute(
            text("SELECT id FROM stores WHERE company_id = :c"), {"c": owner.company_id}
        )
    ]
    for store_id in stores:
        rows = keyword_performance(
            db, actor=owner, store_id=store_id, date_from=PERIOD[0], date_to=PERIOD[1]
        )
        found |= {(r.campaign_id, r.keyword) for r in rows if r.wasteful}
    expected = {
        (int(c), str(k))
        for c, k in db.execute(
            text(
                "SELECT d.campaign_id, d.keyword FROM ad_keyword_daily d JOIN stores s ON s.id = d.store_id "
                "WHERE s.company_id = :c AND d.day BETWEEN '2026-06-03' AND '2026-09-30' "
                "GROUP BY d.campaign_id, d.keyword "
                "HAVING SUM(d.orders) = 0 AND SUM(d.spend_amount) > 0 AND SUM(d.clicks) >= 10"
            ),
            {"c": owner.company_id},
        )
    }
    assert expected, "the tiny company should have keywords that spend without orders"
    assert found == expected


def test_pacing_and_promotion_uplift_on_the_simulated_company(db: Session) -> None:  # noqa: F811
    owner = _owner(db)
    store_id = db.scalar(
        text("SELECT id FROM stores WHERE name = 'Amazon US' AND company_id = :c"),
        {"c": owner.company_id},
    )
    pacing = campaign_pacing(
        db,
        actor=owner,
        store_id=store_id,
        date_from=dt.date(2026, 9, 1),
        date_to=dt.date(2026, 9, 30),
    )
    spend = db.scalar(
        text(
            "SELECT SUM(spend_amount) FROM ad_keyword_daily WHERE store_id = :s AND day BETWEEN '2026-09-01' AND '2026-09-30'"
        ),
        {"s": store_id},
    )
    assert sum(p.spend_amount for p in pacing) == spend
    uplifts = promotion_uplift(
        db, actor=owner, store_id=store_id, date_from=PERIOD[0], date_to=PERIOD[1]
    )
    promotions = db.scalar(
        text(
            "SELECT COUNT(*) FROM promotions WHERE store_id = :s AND starts_on BETWEEN '2026-06-03' AND '2026-09-30'"
        ),
        {"s": store_id},
    )
    assert promotions and len(uplifts) == promotions
    assert all(u.during.orders > 0 for u in uplifts)


def test_social_networks_of_the_simulator_add_up(db: Session) -> None:  # noqa: F811
    from storeops.marketing.social import compare_networks

    owner = _owner(db)
    store_id = db.scalar(
        text("SELECT id FROM stores WHERE name = 'Amazon US' AND company_id = :c"),
        {"c": owner.company_id},
    )
    rows = compare_networks(
        db, actor=owner, store_id=store_id, date_from=PERIOD[0], date_to=PERIOD[1]
    )
    impressions = db.scalar(
        text("SELECT SUM(impressions) FROM social_posts WHERE store_id = :s"), {"s": store_id}
    )
    assert impressions and sum(r.impressions for r in rows if r.kind == "all") == impressions
    assert sum(r.impressions for r in rows if r.kind != "all") == impressions
