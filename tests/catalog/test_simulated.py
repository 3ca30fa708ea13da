"""The simulator's deliberately incomplete listings, zero-effect listings and missing certificates
are found by the catalog's checks (a tiny simulated company on each database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.auth.scoping import Actor, system_actor
from storeops.auth.service import actor_for
from storeops.catalog.certificates import check_listing_certificates, requirement_rules
from storeops.catalog.models import Listing, ProductGroup
from storeops.catalog.quality import check_listing_quality
from storeops.catalog.zero_effect import find_zero_effect_listings
from storeops.db import make_engine
from storeops.migrations import upgrade
from storeops.simulate.generate import simulate
from storeops.simulate.scales import parse_scale
from storeops.stores.models import Company
from tests.conftest import new_database_url

# The last week of the tiny period: every live listing has some traffic over a month, but the
# long tail goes a week without any (the simulator plants no listing that is dead for longer).
WINDOW = (dt.date(2026, 9, 24), dt.date(2026, 9, 30))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def sim(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    url = new_database_url(request.param, tmp_path_factory.mktemp("catalog-sim"))
    upgrade(url)
    engine = make_engine(url)
    simulate(engine, seed=5, scale=parse_scale("tiny"), company_name="Catalog Sim Co")
    yield engine
    engine.dispose()


@pytest.fixture
def db(sim: Engine) -> Iterator[Session]:
    with Session(sim) as session:
        yield session
        session.rollback()


def _owner(session: Session) -> Actor:
    company_id = session.scalar(select(Company.id).where(Company.name == "Catalog Sim Co"))
    assert company_id is not None
    return system_actor(session, company_id, label="test")


def _ids(session: Session, sql: str) -> set[int]:
    return {int(r[0]) for r in session.execute(text(sql))}


def test_the_planted_listing_gaps_are_found(db: Session) -> None:
    results = {r.listing_id: r for r in check_listing_quality(db, actor=_owner(db))}
    fixes = {i: {f.rule for f in r.fixes} for i, r in results.items()}
    live = "status <> 'deleted'"
    planted = {
        "empty description": (
            _ids(db, f"SELECT id FROM listings WHERE {live} AND description = ''"),
            "required_fields",
        ),
        "no logistics template": (
            _ids(db, f"SELECT id FROM listings WHERE {live} AND logistics_template IS NULL"),
            "required_fields",
        ),
        "one-word title": (
            _ids(db, f"SELECT id FROM listings WHERE {live} AND title NOT LIKE '% %'"),
            "title_length",
        ),
        "banned word": (
            _ids(
                db,
                f"SELECT id FROM listings WHERE {live} AND (title LIKE '%Free Shipping%' "
                "OR title LIKE '%Best Seller%' OR title LIKE '%Hot Sale%' "
                "OR title LIKE '%100% Guaranteed%')",
            ),
            "banned_words",
        ),
        "1-2 images": (
            _ids(db, f"SELECT id FROM listings WHERE {live} AND image_count < 3"),
            "image_count",
        ),
    }
    for gap, (ids, rule) in planted.items():
        assert ids, f"the simulator planted no listing with {gap}"
        assert all(rule in fixes[i] for i in ids), gap
    # a listing without those planted gaps is not blamed for them
    flawless = _ids(
        db,
        f"SELECT id FROM listings WHERE {live} AND description <> '' AND title LIKE '% % % %' "
        "AND logistics_template IS NOT NULL AND after_sales_template IS NOT NULL "
        "AND image_count >= 6",
    )
    full_bullets = {
        i
        for i, bullets in db.execute(select(Listing.id, Listing.bullet_points))
        if len(bullets) == 5
    }
    flawless &= full_bullets
    assert flawless
    assert all(not fixes[i] & {"required_fields", "banned_words", "bullet_count"} for i in flawless)


def test_zero_effect_listings_of_the_last_week_are_found(db: Session) -> None:
    found = find_zero_effect_listings(db, actor=_owner(db), date_from=WINDOW[0], date_to=WINDOW[1])
    ids = {f.listing_id for f in found}
    assert ids, "the simulator's long tail should leave some listings without any effect"
    # none had traffic in the window, nor an order on a UTC day certainly inside it in any timezone
    busy = _ids(
        db,
        "SELECT listing_id FROM listing_traffic_daily WHERE day BETWEEN '2026-09-24' AND "
        "'2026-09-30' AND impressions + clicks > 0",
    )
    assert not ids & busy
    ordered = {
        lid
        for lid, placed in db.execute(
            text(
                "SELECT l.listing_id, o.placed_at FROM order_lines l JOIN orders o ON o.id = l.order_id"
            )
        )
        if _in_window(placed)
    }
    assert not ids & ordered
    # and every active, long-listed listing with no traffic, inquiry or order at all is among them
    idle = _ids(
        db,
        "SELECT id FROM listings WHERE status = 'active' AND listed_on <= '2026-09-24' AND id NOT IN "
        "(SELECT listing_id FROM listing_traffic_daily WHERE day BETWEEN '2026-09-24' AND "
        "'2026-09-30' AND impressions + clicks > 0) AND id NOT IN (SELECT listing_id FROM order_lines) "
        "AND id NOT IN (SELECT listing_id FROM inquiries WHERE listing_id IS NOT NULL)",
    )
    assert idle <= ids


def _in_window(placed: object) -> bool:
    if isinstance(placed, int):  # SQLite: microseconds since the epoch
        stamp = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=placed)
    else:
        assert isinstance(placed, dt.datetime)
        stamp = placed
    return dt.date(2026, 9, 25) <= stamp.date() <= dt.date(2026, 9, 29)


def test_missing_certificates_of_the_simulator_are_found(db: Session) -> None:
    gaps = check_listing_certificates(db, actor=_owner(db), on=dt.date(2026, 9, 30))
    assert {g.problem for g in gaps} == {"missing", "expired"}
    rules = requirement_rules()
    # cross-check a sample in plain SQL: a gap really has no valid certificate of that kind/market
    for gap in gaps[:50]:
        valid = db.execute(
            text(
                "SELECT COUNT(*) FROM certificates WHERE product_id = :p AND kind = :k AND market = :m "
                "AND issued_on <= '2026-09-30' AND (expires_on IS NULL OR expires_on >= '2026-09-30')"
            ),
            {"p": gap.product_id, "k": gap.kind, "m": gap.market},
        ).scalar()
        assert valid == 0
        assert any(r.kind == gap.kind and r.market == gap.market for r in rules.requirements)


def test_a_simulated_operator_sees_only_their_groups(db: Session) -> None:
    owner = _owner(db)
    row = db.execute(
        select(ProductGroup.owner_user_id, ProductGroup.store_id)
        .where(ProductGroup.owner_user_id.is_not(None), ProductGroup.store_id.in_(owner.store_ids))
        .limit(1)
    ).one()
    actor = actor_for(db, user_id=row[0], company_id=owner.company_id)
    assert actor.role in (Role.OPERATOR, Role.MANAGER)
    seen = {r.listing_id for r in check_listing_quality(db, actor=actor)}
    allowed = set(
        db.scalars(
            select(Listing.id)
            .join(ProductGroup, ProductGroup.id == Listing.group_id)
            .where(ProductGroup.owner_user_id == row[0], Listing.status != "deleted")
        )
    )
    if actor.role == Role.OPERATOR:
        assert seen == allowed
    else:
        assert seen >= allowed


def test_showcase_placements_of_the_simulated_b2b_store_are_measured(db: Session) -> None:
    from storeops.catalog.showcase import showcase_effect

    owner = _owner(db)
    store_id = db.scalar(
        text("SELECT id FROM stores WHERE platform = 'alibaba_com' AND company_id = :c"),
        {"c": owner.company_id},
    )
    on = dt.date(2026, 9, 30)
    effects = showcase_effect(db, actor=owner, store_id=store_id, on=on, days=30)
    placed = db.scalar(
        text("SELECT COUNT(*) FROM showcase_slots WHERE store_id = :s AND since <= '2026-09-30'"),
        {"s": store_id},
    )
    assert len(effects) == placed and placed > 0
    judged = [e for e in effects if e.verdict != "too_early"]
    assert judged
    first = judged[0]
    end = min(first.until or on, on, first.since + dt.timedelta(days=29))
    clicks = db.scalar(
        text(
            "SELECT COALESCE(SUM(clicks), 0) FROM listing_traffic_daily WHERE listing_id = :l "
            "AND day >= :a AND day <= :b"
        ),
        {"l": first.listing_id, "a": first.since, "b": end},
    )
    days = (end - first.since).days + 1
    assert first.after.days == days
    assert first.after.clicks_per_day == round(clicks / days, 2)


def test_diagnosis_blames_content_for_the_planted_empty_descriptions(db: Session) -> None:
    from storeops.catalog.diagnosis import diagnose_listings

    owner = _owner(db)
    store_id = db.scalar(
        text("SELECT id FROM stores WHERE name = 'Amazon US' AND company_id = :c"),
        {"c": owner.company_id},
    )
    result = diagnose_listings(
        db, actor=owner, store_id=store_id, date_from=WINDOW[0], date_to=WINDOW[1]
    )
    assert result and any(d.problems for d in result)
    empty = _ids(
        db,
        f"SELECT id FROM listings WHERE store_id = {int(store_id)} AND status = 'active' "
        "AND description = ''",
    )
    assert empty  # seed 5 plants two in Amazon US
    by_id = {d.listing_id: d for d in result}
    for listing_id in empty:
        assert "content" in {p.code for p in by_id[listing_id].problems}


def test_competitor_history_of_the_simulator_is_complete(db: Session) -> None:
    from storeops.catalog.competitors import list_competitor_products

    owner = _owner(db)
    rows = list_competitor_products(db, actor=owner)
    counts = db.execute(
        text(
            "SELECT COUNT(DISTINCT p.id), COUNT(s.id) FROM competitor_products p "
            "LEFT JOIN competitor_snapshots s ON s.competitor_product_id = p.id "
            "WHERE p.company_id = :c"
        ),
        {"c": owner.company_id},
    ).one()
    assert (len(rows), sum(r.observations for r in rows)) == (counts[0], counts[1])
    assert counts[1] > counts[0]  # weekly history, not one row per product


def test_suppliers_and_keywords_of_the_simulator(db: Session) -> None:
    from storeops.catalog.sourcing import list_keywords, list_suppliers

    owner = _owner(db)
    suppliers = list_suppliers(db, actor=owner)
    assert len(suppliers) == 6  # tiny scale: 6 suppliers
    products = db.scalar(
        text("SELECT COUNT(*) FROM products WHERE company_id = :c AND supplier_id IS NOT NULL"),
        {"c": owner.company_id},
    )
    assert sum(s.products for s in suppliers) == products
    keywords = list_keywords(db, actor=owner, limit=5000)
    searches = [k.monthly_searches for k in keywords]
    assert searches == sorted(searches, reverse=True) and len(keywords) == db.scalar(
        text("SELECT COUNT(*) FROM keywords WHERE company_id = :c"), {"c": owner.company_id}
    )
