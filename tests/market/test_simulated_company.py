"""Stages 1 and 2 on the simulator's company: a category analysed with CR4/HHI and turning points,
three platforms scored, account health with a projected breach, and a rule change that finds the
listings the simulator planted with banned title words and opens tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, or_, select

from storeops.auth.scoping import system_actor
from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Category, Listing, Product
from storeops.db import make_engine, session_scope
from storeops.market import health, platforms, research, rules
from storeops.market.enums import Comparator
from storeops.market.metrics import read_hhi
from storeops.market.models import MarketSale
from storeops.market.schemas import RuleIn, RuleSetIn, SelectionRequest
from storeops.migrations import upgrade
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Order, OrderLine
from storeops.simulate.generate import simulate
from storeops.simulate.scales import parse_scale
from storeops.stores.enums import Platform
from storeops.stores.models import Company, Store
from tests.conftest import new_database_url


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, int]]:
    url = new_database_url("sqlite", tmp_path_factory.mktemp("simmarket"))
    upgrade(url)
    engine = make_engine(url)
    simulate(engine, seed=11, scale=parse_scale("small"), company_name="Sim Market Co")
    with session_scope(engine) as session:
        company_id = int(session.scalar(select(Company.id)) or 0)
    yield engine, company_id
    engine.dispose()


def test_a_category_analysed_with_concentration_and_turning_points(
    company: tuple[Engine, int],
) -> None:
    engine, company_id = company
    with session_scope(engine) as session:
        actor = system_actor(session, company_id)
        results = research.import_company_market(session, actor=actor, category_code="AUTO")
        dataset_id = results[0].dataset_id
        assert [r.kind for r in results] == ["sales", "search_terms"]
        # the company's own USD sales of the category, summed independently of the importer
        category_id = session.scalar(select(Category.id).where(Category.code == "AUTO"))
        own = session.scalar(
            select(func.sum(OrderLine.line_amount))
            .join(Order, Order.id == OrderLine.order_id)
            .join(Listing, Listing.id == OrderLine.listing_id)
            .join(Product, Product.id == Listing.product_id)
            .where(
                Product.category_id == category_id,
                OrderLine.currency == "USD",
                Order.paid_at.is_not(None),
                Order.status.not_in([OrderStatus.CANCELLED, OrderStatus.DRAFT]),
            )
        )
        imported_own = session.scalar(
            select(func.sum(MarketSale.revenue_amount)).where(
                MarketSale.dataset_id == dataset_id, MarketSale.seller == "Sim Market Co"
            )
        )
        assert own is not None and own > 0
        assert imported_own == own
        report = research.market_report(session, dataset_id=dataset_id, actor=actor)
    assert report.months >= 24
    seller = report.concentration_by_seller
    assert seller is not None and seller.firms >= 2
    assert 0 < seller.hhi <= 10000
    assert seller.cr4 >= seller.shares[0].share_pct
    assert seller.reading == read_hhi(seller.hhi)
    assert report.turning_points, "the simulated seasons and events give turning points"
    assert all(report.first_period <= t.period <= report.last_period for t in report.turning_points)  # type: ignore[operator]
    assert report.best_price_band is not None
    assert report.hot_attributes


def test_three_platforms_scored_with_a_recommendation(company: tuple[Engine, int]) -> None:
    engine, company_id = company
    with session_scope(engine) as session:
        actor = system_actor(session, company_id)
        run = platforms.run_platform_selection(
            session,
            request=SelectionRequest(
                platforms=["amazon", "shopee", "tiktok_shop"],
                target_markets=["US", "MY", "TH"],
                category="car accessories",
            ),
            actor=actor,
        )
    assert len(run.scores) == 3
    assert run.recommendation.startswith("Recommend ")


def test_account_health_projects_a_breach(company: tuple[Engine, int]) -> None:
    engine, company_id = company
    with session_scope(engine) as session:
        actor = system_actor(session, company_id)
        store_ids = session.scalars(select(Store.id).order_by(Store.id)).all()
        reports = [health.account_health(session, store_id=s, actor=actor) for s in store_ids]
    checks = [c for r in reports for c in r.checks]
    assert {c.status for c in checks} >= {"ok", "breached"}
    projected = [c for c in checks if c.projected_breach_on is not None]
    assert projected, "some metric of the simulated stores is heading for its threshold"
    for c in projected:
        assert c.value is not None and c.slope_per_day is not None
        report = next(r for r in reports if c in r.checks)
        assert c.projected_breach_on == health.projected_breach(
            c.value, c.slope_per_day, c.comparator, c.threshold, report.as_of
        )
    # Amazon's late-shipment and tracking rules count seller-fulfilled orders: all simulated
    # Amazon orders are FBA
    amazon = next(r for r in reports if r.platform == "amazon")
    tracking = next(c for c in amazon.checks if c.rule_code == "valid_tracking")
    assert (tracking.denominator, tracking.status) == (0, "no_data")


def test_a_rule_change_finds_the_planted_banned_title_words_and_opens_tasks(
    company: tuple[Engine, int],
) -> None:
    engine, company_id = company
    terms = ["best seller", "free shipping", "100% guaranteed", "hot sale"]
    with session_scope(engine) as session:
        actor = system_actor(session, company_id)
        store_id = session.scalar(select(Store.id).where(Store.platform == Platform.ALIEXPRESS))
        expected = session.scalar(
            select(func.count())
            .select_from(Listing)
            .where(
                Listing.store_id == store_id,
                Listing.status == ListingStatus.ACTIVE,
                or_(*(func.lower(Listing.title).contains(t) for t in terms)),
            )
        )
        result = rules.import_rule_set(
            session,
            data=RuleSetIn(
                platform="aliexpress",
                version="2026-12",
                effective_from=dt.date(2026, 12, 1),
                source="test notice",
                rules=[
                    RuleIn(
                        code="title_words_v2",
                        category="product_compliance",  # type: ignore[arg-type]
                        title="No promotional claims in titles",
                        params={"banned_title_terms": terms},
                        source="test notice",
                    ),
                    RuleIn(
                        code="response_24h",
                        category="transaction",  # type: ignore[arg-type]
                        title="Messages answered within 24 hours (95 % or more)",
                        metric="response_within_24h_rate",
                        comparator=Comparator.GE,  # type: ignore[arg-type]
                        threshold=95.0,
                        unit="%",
                        window_days=30,
                        source="test notice",
                    ),
                ],
            ),
            actor=actor,
        )
    assert expected and expected > 0  # the simulator plants banned words in 3-7 % of titles
    assert result.affected_store_ids == [store_id]
    titled = next(t for t in result.follow_ups if t.rule_code == "title_words_v2")
    assert f"{expected} active listing(s) carry a banned term" in titled.detail
    assert {c.code: c.change for c in result.changes} == {
        "response_24h": "changed",
        "title_words": "removed",
        "title_words_v2": "added",
    }
    assert len(result.follow_ups) == 3


def test_competitors_of_a_simulated_category(company: tuple[Engine, int]) -> None:
    from storeops.market.competitors import competitor_analysis

    engine, company_id = company
    with session_scope(engine) as session:
        actor = system_actor(session, company_id)
        result = competitor_analysis(
            session, actor=actor, category_code="AUTO",
            period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 9, 30),
        )  # fmt: skip
    assert result.own_platforms == sorted(["alibaba_com", "amazon", "aliexpress", "shopee", "ebay"])
    assert result.competitors
    for row in result.competitors:
        assert (row.platform in result.own_platforms) == (row.classification != "indirect")
        if row.classification != "potential":
            assert row.products_in_category > 0
            assert row.avg_price is not None  # weekly snapshots in the period
    assert result.own_monthly_units > 0


def test_supply_chain_of_the_simulated_company(company: tuple[Engine, int]) -> None:
    from storeops.market.supply_chain import supply_chain_analysis

    engine, company_id = company
    with session_scope(engine) as session:
        actor = system_actor(session, company_id)
        start, end = dt.date(2026, 7, 1), dt.date(2026, 9, 30)
        result = supply_chain_analysis(session, actor=actor, period_start=start, period_end=end)
        sold = session.scalar(
            select(func.sum(OrderLine.quantity))
            .join(Order, Order.id == OrderLine.order_id)
            .where(
                Order.paid_at >= dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
                Order.paid_at < dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
                Order.status.not_in([OrderStatus.CANCELLED, OrderStatus.DRAFT]),
            )
        )
    assert result.total_units == sold
    assert sum(r.units for r in result.suppliers) == sold  # every simulated product has a supplier
    assert result.concentration is not None and result.concentration.firms == 6
    assert result.weighted_lead_time_days is not None


def test_product_plan_from_the_simulated_buyers(company: tuple[Engine, int]) -> None:
    from storeops.market import development
    from storeops.market.schemas import PlanCreate

    engine, company_id = company
    with session_scope(engine) as session:
        actor = system_actor(session, company_id)
        dataset_id = research.import_company_market(session, actor=actor, category_code="AUDIO")[
            0
        ].dataset_id
        needs = development.buyer_needs(
            session, actor=actor, category_code="AUDIO",
            since=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )  # fmt: skip
        plan = development.draw_up_plan(
            session, data=PlanCreate(dataset_id=dataset_id, category_code="AUDIO"), actor=actor
        )
    assert needs["quality"] > 0  # the simulator's complaints include quality problems
    assert any(i.action == "improve" for i in plan.items)
