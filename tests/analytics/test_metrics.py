"""Every registry metric on the hand-built "Hand Shop" (tests/analytics/dataset.py), by hand.

The dataset is written to a real database (SQLite and PostgreSQL), synced into a warehouse and
computed through the registry: the same path as `storeops metrics compute`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storeops.analytics.metrics import MetricReport, compute_metrics, open_warehouse, order_rows
from storeops.analytics.registry import METRICS, RANKINGS
from storeops.analytics.rfm import buyer_rfm, rfm_segments, store_transactions
from storeops.analytics.warehouse import sync_warehouse
from storeops.auth.enums import Role
from storeops.auth.scoping import Actor, system_actor
from storeops.db import make_engine
from storeops.errors import InvalidInput, NotFound, PermissionDenied
from storeops.migrations import upgrade
from tests.analytics.dataset import END, START, HandShop, build
from tests.conftest import new_database_url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, HandShop, Path]]:
    directory = tmp_path_factory.mktemp("hand")
    url = new_database_url(request.param, directory)
    upgrade(url)
    engine = make_engine(url)
    data = build(engine)
    warehouse = directory / "warehouse.duckdb"
    sync_warehouse(url, warehouse)
    yield engine, data, warehouse
    engine.dispose()


def _compute(
    shop: tuple[Engine, HandShop, Path],
    start: dt.date = START,
    end: dt.date = END,
    *,
    metrics: list[str] | None = None,
    by: str | None = None,
    actor: Actor | None = None,
    store_id: int | None = None,
) -> MetricReport:
    engine, data, warehouse = shop
    with Session(engine) as session, open_warehouse(warehouse) as reader:
        return compute_metrics(
            session,
            actor=actor or system_actor(session, data.company_id),
            reader=reader,
            store_id=store_id or data.store_id,
            start=start,
            end=end,
            metrics=metrics,
            by=by,
        )


def _pct(numerator: int, denominator: int) -> Decimal:
    return Decimal(numerator) / Decimal(denominator)


def test_every_metric_of_the_period_worked_out_by_hand(
    shop: tuple[Engine, HandShop, Path],
) -> None:
    report = _compute(shop)
    expected: dict[str, int | Decimal] = {
        # traffic: visitor rows 03-01 US (70 visits, 60 visitors, 45 new), 03-03 DE (30, 15, 10)
        "visits": 70 + 30,
        "visitors": 60 + 15,
        "new_visitors": 45 + 10,
        # listing traffic in the period: A 03-01, A 03-03, B 03-03 (B on 03-08 is outside)
        "impressions": 1000 + 500 + 300,
        "clicks": 50 + 25 + 15,
        "page_views": 60 + 30 + 12,
        "ctr": _pct(90, 1800),
        "add_to_cart": 5 + 2 + 1,
        "favourites": 2 + 1 + 0,
        "conversion_rate": _pct(3, 75),  # orders 1, 2, 3 paid / 75 visitors
        # orders 1-5 are in the period; 7 is 03-08 local time, 6 in February
        "orders_drafted": 5,
        "orders_drafted_amount": 3000 + 5000 + 2000 + 4000 + 1000,
        "orders_paid": 3,
        "orders_paid_amount": 3000 + 5000 + 2000,
        "orders_received": 2,  # 1 delivered, 3 shipped; 2 was refunded
        "orders_received_amount": 3000 + 2000,
        "amount_per_order": 3333,  # 10000 / 3 = 3333.33 cents, half-even to 3333
        "paying_buyers": 2,  # ann (1, 2) and bob (3)
        "amount_per_buyer": 5000,  # 10000 / 2
        "units_sold": 2 + 1 + 5 + 2,
        "refund_requests": 1,
        "refund_request_rate": _pct(1, 3),
        "disputes": 2,
        "dispute_escalation_rate": _pct(1, 2),
        "dispute_arbitration_rate": _pct(1, 2),
        "seller_responsible_disputes": 1,
        "seller_responsible_dispute_rate": _pct(1, 2),
        # shipped in the period: 1 (on time), 2 (delivered 03-12, promised 03-09), 3 (in transit)
        "late_delivery_rate": _pct(1, 2),
        "reviews": 2,  # 03-04 (5 stars, 2 images) and 03-06 (2 stars); 02-27 is outside
        "reviews_with_images": 1,
        "positive_review_rate": _pct(1, 2),
        "negative_review_rate": _pct(1, 2),
        "complaints": 1,
        "complaint_rate": _pct(1, 3),
        "ad_impressions": 2000 + 1000,
        "ad_clicks": 40 + 10,
        "ad_spend": 2000 + 1000,
        "ad_sales": 8000 + 4000,
        "cpc": 60,  # 3000 cents / 50 clicks
        "acos": _pct(3000, 12000),
        "roas": Decimal(4),
        "inquiries": 3,  # 03-02, 03-06 23:30 and 03-07 23:59 local time
        "new_buyers": 3,  # ann, bob, cat; dan was first seen in February
        "inquiry_conversion_rate": _pct(3, 3),  # 3 paid orders / 3 inquiries
        "inquiry_reply_24h_rate": _pct(1, 3),  # answered after 2 h; after 30 h; never
        "quotes": 3,  # 03-02 approved, 03-04 accepted, 03-06 rejected (02-20 is outside)
        "approved_quotes": 2,
        "promotion_orders": 1,  # order 3; order 4 had the coupon too but was never paid
        "promotion_amount": 2000,
        "search_impressions": 400 + 100,
        "search_clicks": 20 + 30,
        "search_ctr": _pct(50, 500),
        "video_plays": 100 + 50,
        "video_effective_plays": 70 + 40,
        "video_viewers": 80 + 45,
        "video_complete_plays": 30 + 20,
        "video_click_rate": _pct(8 + 2, 150),
        "video_complete_rate": _pct(50, 150),
        "video_watch_seconds_per_play": 23,  # 3500 s / 150 plays = 23.3, rounded
    }
    assert {m.slug for m in METRICS} == set(expected)
    got = {f.metric.slug: f.value for f in report.figures}
    assert got == expected
    assert all(f.group is None for f in report.figures)
    assert report.figure("amount_per_order").display == "33.33 USD"
    assert report.figure("ctr").display == "5.00 %"
    assert report.figure("roas").display == "4.00×"
    assert report.figure("orders_drafted_amount").as_dict()["value"] == "150.00"


def test_rankings_break_ties_by_key(shop: tuple[Engine, HandShop, Path]) -> None:
    _, data, _ = shop
    report = _compute(shop, metrics=[r.slug for r in RANKINGS])
    rows = {slug: [(r.key, r.value) for r in ranked] for slug, ranked in report.rankings.items()}
    assert rows["traffic_source_top"] == [("organic_search", 40 + 10), ("paid", 20)]
    assert [r.share for r in report.rankings["traffic_source_top"]] == [
        Decimal("0.714286"),
        Decimal("0.285714"),
    ]
    # listing A: order 1 (2 x 10.00) + order 2 (5 x 10.00); B: order 1 (10.00) + order 3 (20.00)
    assert rows["product_ranking"] == [(str(data.listing_a), 7000), (str(data.listing_b), 3000)]
    assert [r.label for r in report.rankings["product_ranking"]] == ["Thing A", "Thing B"]
    assert rows["buyer_countries"] == [("US", 3)]
    assert rows["orders_by_status"] == [
        ("cancelled", 1),
        ("delivered", 1),
        ("draft", 1),
        ("refunded", 1),
        ("shipped", 1),
    ]
    assert rows["new_buyers_by_source"] == [("marketplace", 2), ("ads", 1)]
    assert rows["ad_keywords_top"] == [("thing", 8000), ("gizmo", 4000)]
    assert rows["search_terms_top"] == [("gadget", 30), ("thing", 20)]


def test_breakdowns_by_day_week_country_and_sku(shop: tuple[Engine, HandShop, Path]) -> None:
    by_day = _compute(shop, metrics=["orders_paid", "orders_drafted"], by="day")
    assert {(f.group, f.value) for f in by_day.figures if f.metric.slug == "orders_paid"} == {
        ("2025-03-01", 1),
        ("2025-03-03", 2),
        ("2025-03-05", 0),  # order 4 (cancelled unpaid) makes the day appear
        ("2025-03-06", 0),
    }
    by_week = _compute(shop, metrics=["orders_drafted"], by="week")
    # 2025-03-01 is a Saturday: its week starts on Monday 02-24; orders 2-5 fall in the next
    assert [(f.group, f.value) for f in by_week.figures] == [("2025-02-24", 1), ("2025-03-03", 4)]
    by_country = _compute(shop, metrics=["conversion_rate", "refund_request_rate"], by="country")
    conversion = {
        f.group: f.value for f in by_country.figures if f.metric.slug == "conversion_rate"
    }
    assert conversion == {"DE": Decimal(0), "US": _pct(3, 60)}
    refund = by_country.figure("refund_request_rate")
    assert refund.value is None and refund.display == "—"
    assert refund.reason == "not broken down by country: its data has no country"
    by_sku = _compute(shop, metrics=["units_sold"], by="sku")
    assert sorted(f.value for f in by_sku.figures) == [3, 7]  # B: 1 + 2; A: 2 + 5


def test_empty_period_gives_zero_counts_and_dashes_with_reasons(
    shop: tuple[Engine, HandShop, Path],
) -> None:
    report = _compute(shop, dt.date(2024, 1, 1), dt.date(2024, 1, 7))
    assert report.value("orders_paid") == 0
    assert report.value("orders_paid_amount") == 0
    for slug, reason in (
        ("ctr", "no impressions in the period"),
        ("amount_per_order", "no paid orders in the period"),
        ("conversion_rate", "no visitors in the period"),
        ("positive_review_rate", "no reviews in the period"),
        ("roas", "no ad spend in the period"),
    ):
        figure = report.figure(slug)
        assert (figure.value, figure.display, figure.reason) == (None, "—", reason)
        assert figure.as_dict()["value"] is None


def test_previous_period_and_other_stores_are_kept_apart(
    shop: tuple[Engine, HandShop, Path],
) -> None:
    _, data, _ = shop
    before = _compute(shop, dt.date(2025, 2, 22), dt.date(2025, 2, 28))
    assert before.value("orders_paid") == 1  # order 6
    assert before.value("orders_paid_amount") == 7000
    assert before.value("positive_review_rate") == Decimal(1)  # the 4-star review of 02-27
    other = _compute(shop, store_id=data.other_store_id, metrics=["orders_paid_amount"])
    assert other.value("orders_paid_amount") == 99900


def test_rfm_scores_and_segments(shop: tuple[Engine, HandShop, Path]) -> None:
    engine, data, warehouse = shop
    with Session(engine) as session, open_warehouse(warehouse) as reader:
        actor = system_actor(session, data.company_id)
        scores = buyer_rfm(
            session, actor=actor, reader=reader, store_id=data.store_id, start=START, end=END
        )
        segments = rfm_segments(
            session, actor=actor, reader=reader, store_id=data.store_id, start=START, end=END
        )
    # ann: orders 1 and 2 (last 03-03, 80.00); bob: order 3 (03-03, 20.00); both 4 days ago.
    # R ties share rank 0 -> 5; M ranks bob 0 -> 1, ann 1 of n-1=1 -> 1 + min(4, 5) = 5
    assert [(s.buyer_id, s.recency_days, s.frequency, s.monetary, s.r, s.f, s.m, s.segment) for s in scores] == [
        (data.buyers["ann"], 4, 2, 8000, 5, 2, 5, "promising"),
        (data.buyers["bob"], 4, 1, 2000, 5, 1, 1, "new"),
    ]  # fmt: skip
    assert segments == {
        "champions": 0,
        "loyal": 0,
        "promising": 1,
        "new": 1,
        "at_risk": 0,
        "lost": 0,
        "needs_attention": 0,
    }


def test_a_stores_paid_orders_become_clv_transactions(
    shop: tuple[Engine, HandShop, Path],
) -> None:
    engine, data, warehouse = shop
    with Session(engine) as session, open_warehouse(warehouse) as reader:
        rows = store_transactions(
            session, actor=system_actor(session, data.company_id), reader=reader,
            store_id=data.store_id, start=START, end=END,
        )  # fmt: skip
    ann, bob = str(data.buyers["ann"]), str(data.buyers["bob"])
    # paid orders 1 (ann, 03-01, 30.00), 2 (ann, 03-03, 50.00), 3 (bob, 03-03, 20.00)
    assert rows == [
        (ann, dt.date(2025, 3, 1), Decimal("30.00")),
        (ann, dt.date(2025, 3, 3), Decimal("50.00")),
        (bob, dt.date(2025, 3, 3), Decimal("20.00")),
    ]


def test_drill_down_lists_the_orders_of_the_period_newest_first(
    shop: tuple[Engine, HandShop, Path],
) -> None:
    engine, data, warehouse = shop
    with Session(engine) as session, open_warehouse(warehouse) as reader:
        actor = system_actor(session, data.company_id)
        args: dict[str, Any] = {
            "actor": actor, "reader": reader, "store_id": data.store_id, "start": START, "end": END,
        }  # fmt: skip
        every = order_rows(session, **args)
        paid = order_rows(session, paid_only=True, limit=2, **args)
    assert [(o.external_id, o.status, str(o.amount), o.line_count, o.units) for o in every] == [
        ("O5", "draft", "10.00 USD", 1, 1),
        ("O4", "cancelled", "40.00 USD", 1, 4),
        ("O3", "shipped", "20.00 USD", 1, 2),
        ("O2", "refunded", "50.00 USD", 1, 5),
        ("O1", "delivered", "30.00 USD", 2, 3),
    ]
    assert [o.external_id for o in paid] == ["O3", "O2"]
    assert every[-1].day == dt.date(2025, 3, 1)


def test_bad_requests_are_refused_with_a_clear_message(
    shop: tuple[Engine, HandShop, Path],
) -> None:
    engine, data, _ = shop
    with pytest.raises(InvalidInput, match="unknown metric gmv_magic"):
        _compute(shop, metrics=["gmv_magic"])
    with pytest.raises(InvalidInput, match="starts .* after it ends"):
        _compute(shop, END, START)
    with pytest.raises(InvalidInput, match="cannot break figures down by 'colour'"):
        _compute(shop, by="colour")
    with Session(engine) as session:
        owner = system_actor(session, data.company_id)
    only_other = Actor(
        company_id=data.company_id,
        role=Role.OPERATOR,
        store_ids=frozenset({data.other_store_id}),
        permissions=owner.permissions,
    )
    with pytest.raises(NotFound, match=f"store {data.store_id} not found"):
        _compute(shop, actor=only_other)
    with pytest.raises(NotFound, match="store 987654 not found"):
        _compute(shop, store_id=987654)
    no_analytics = Actor(
        company_id=data.company_id,
        role=Role.OPERATOR,
        store_ids=frozenset({data.store_id}),
        permissions=frozenset(),
    )
    with pytest.raises(PermissionDenied):
        _compute(shop, actor=no_analytics)


def test_prepared_statements_give_what_ibis_gives_directly(
    shop: tuple[Engine, HandShop, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cached, parameterised SQL equals running every Ibis expression as it is (any backend)."""
    from storeops.analytics import metrics as metrics_module

    for by in (None, "day", "country"):
        prepared = _compute(shop, by=by)
        monkeypatch.setattr(metrics_module, "PREPARE", False)
        direct = _compute(shop, by=by)
        monkeypatch.setattr(metrics_module, "PREPARE", True)
        assert [(f.metric.slug, f.group, f.value, f.reason) for f in prepared.figures] == [
            (f.metric.slug, f.group, f.value, f.reason) for f in direct.figures
        ]
        assert {k: [r.as_dict() for r in v] for k, v in prepared.rankings.items()} == {
            k: [r.as_dict() for r in v] for k, v in direct.rankings.items()
        }
    # another store and period reuse the compiled SQL with other parameters
    _, data, _ = shop
    other = _compute(shop, store_id=data.other_store_id, metrics=["orders_paid_amount"])
    assert other.value("orders_paid_amount") == 99900
