"""The simulator: deterministic on both databases, consistent, realistic, and refusing bad input."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, Table, func, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from storeops.auth.models import User
from storeops.auth.scoping import system_actor
from storeops.catalog.launch_plan import launch_plan_report
from storeops.catalog.models import LaunchPlanWeek, Listing
from storeops.catalog.zero_effect import find_zero_effect_listings
from storeops.crm.models import Inquiry
from storeops.crypto import decrypt
from storeops.db import make_engine
from storeops.errors import InvalidInput
from storeops.finance.models import FxRate, FxSettlement
from storeops.logistics.channels import choose_channel
from storeops.logistics.enums import ServiceLevel
from storeops.logistics.models import ChannelProfile, TrackingEvent
from storeops.market.security import security_review
from storeops.marketing.models import ListingTrafficDaily
from storeops.migrations import upgrade
from storeops.orders.models import Order, OrderLine
from storeops.simulate.fingerprint import content_hash
from storeops.simulate.generate import SimulationResult, Simulator, _external_ids, simulate
from storeops.simulate.scales import parse_scale
from storeops.simulate.world import STORES
from storeops.simulate.writer import BrokenReferences
from storeops.staff.service import trained_for, training_records
from storeops.stores.errors import DuplicateCompany
from storeops.stores.models import Company, Store
from tests.conftest import new_database_url

TINY = parse_scale("tiny")


def _new_database(tmp: Path, backend: str) -> Engine:
    url = new_database_url(backend, tmp)
    upgrade(url)
    return make_engine(url)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def tiny(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, SimulationResult]]:
    engine = _new_database(tmp_path_factory.mktemp("sim"), request.param)
    result = simulate(engine, seed=11, scale=TINY, company_name="Tiny Co")
    yield engine, result
    engine.dispose()


def _one(engine: Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def _all(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_same_seed_gives_identical_rows_on_sqlite_and_postgresql(
    tiny: tuple[Engine, SimulationResult], tmp_path: Path
) -> None:
    engine, result = tiny
    again = _new_database(tmp_path, "sqlite")
    second = simulate(again, seed=11, scale=TINY, company_name="Tiny Co")
    assert second.rows == result.rows
    assert content_hash(again) == content_hash(engine)
    other_seed = _new_database(tmp_path, "sqlite")
    simulate(other_seed, seed=12, scale=TINY, company_name="Tiny Co")
    assert content_hash(other_seed)["orders"] != content_hash(engine)["orders"]
    for e in (again, other_seed):
        e.dispose()


def _clear_contacts(engine: Engine) -> list[tuple[object, ...]]:
    fields = ("name", "email", "phone", "address")
    rows = _all(
        engine,
        "SELECT id, buyer_id, country, postcode_prefix, "
        + ", ".join(f"{f}_ciphertext" for f in fields)
        + " FROM buyer_contacts ORDER BY id",
    )
    return [(*r[:4], *(decrypt(str(v), purpose="buyer-pii") for v in r[4:])) for r in rows]


def test_buyer_contacts_decrypt_to_the_same_values_on_both_databases(
    tiny: tuple[Engine, SimulationResult], tmp_path: Path
) -> None:
    """Ciphertexts differ between runs (random IV, timestamp: not in ``content_hash``), the
    decrypted contacts do not."""
    engine, result = tiny
    again = _new_database(tmp_path, "sqlite")
    simulate(again, seed=11, scale=TINY, company_name="Tiny Co")
    mine, theirs = _clear_contacts(engine), _clear_contacts(again)
    assert len(mine) == result.rows["buyer_contacts"] > 100
    assert mine == theirs
    cipher = "SELECT name_ciphertext FROM buyer_contacts ORDER BY id"
    assert _one(engine, cipher) != _one(again, cipher)  # random by design: why the hash skips it
    de = [r for r in mine if r[2] == "DE"]
    jp = [r for r in mine if r[2] == "JP"]
    assert de and jp
    assert all(str(r[7]).endswith(", DE") and str(r[6]).startswith("+49 ") for r in de)
    assert all(str(r[7]).startswith("〒") and str(r[6]).startswith("+81 ") for r in jp)
    assert all(r[3] == str(r[7]).split("〒")[1][:3] for r in jp)  # postcode prefix kept in clear
    assert all("@" in str(r[5]) for r in mine)
    again.dispose()


def test_every_platform_model_and_many_countries_are_present(
    tiny: tuple[Engine, SimulationResult],
) -> None:
    engine, result = tiny
    platforms = {
        r[0]
        for r in _all(
            engine, "SELECT DISTINCT s.platform FROM orders o JOIN stores s ON s.id = o.store_id"
        )
    }
    assert platforms == {"alibaba_com", "amazon", "aliexpress", "shopee", "ebay"}
    assert {r[0] for r in _all(engine, "SELECT DISTINCT business_model FROM stores")} == {
        "b2b",
        "b2c",
    }
    assert _one(engine, "SELECT COUNT(DISTINCT country) FROM orders") >= 40  # type: ignore[operator]
    assert {r[0] for r in _all(engine, "SELECT DISTINCT currency FROM orders")} == {
        "USD",
        "EUR",
        "JPY",
        "MYR",
        "THB",
        "GBP",
    }
    assert {r[0] for r in _all(engine, "SELECT DISTINCT timezone FROM stores")} >= {
        "Asia/Shanghai",
        "America/Los_Angeles",
        "Asia/Tokyo",
    }
    for table in (
        "inquiries",
        "quotes",
        "contracts",
        "rfqs",
        "showcase_slots",
        "reviews",
        "disputes",
        "refund_requests",
        "shipments",
        "tracking_events",
        "payouts",
        "fx_settlements",
        "live_streams",
        "social_posts",
        "ad_keyword_daily",
        "listing_traffic_daily",
        "search_term_daily",
        "video_daily",
        "competitor_snapshots",
        "certificates",
        "listing_edits",
    ):
        assert result.rows[table] > 0, table


def test_orders_add_up_and_move_forward_in_time(tiny: tuple[Engine, SimulationResult]) -> None:
    engine, _ = tiny
    assert (
        _one(
            engine,
            """
        SELECT COUNT(*) FROM orders o
        WHERE o.total_amount != o.subtotal_amount + o.shipping_amount - o.discount_amount
           OR o.subtotal_amount != (SELECT SUM(l.line_amount) FROM order_lines l WHERE l.order_id = o.id)""",
        )
        == 0
    )
    assert (
        _one(
            engine,
            "SELECT COUNT(*) FROM order_lines WHERE line_amount != unit_price_amount * quantity",
        )
        == 0
    )
    assert (
        _one(
            engine,
            """
        SELECT COUNT(*) FROM orders WHERE paid_at < placed_at OR shipped_at < paid_at
           OR delivered_at < shipped_at OR refunded_at < shipped_at""",
        )
        == 0
    )
    assert (
        _one(
            engine,
            """
        SELECT COUNT(*) FROM orders WHERE (status = 'delivered' AND delivered_at IS NULL)
           OR (status = 'shipped' AND (shipped_at IS NULL OR delivered_at IS NOT NULL))
           OR (status = 'paid' AND (paid_at IS NULL OR shipped_at IS NOT NULL))
           OR (status = 'draft' AND paid_at IS NOT NULL)
           OR (status = 'cancelled' AND cancelled_at IS NULL)
           OR (status = 'refunded' AND refunded_at IS NULL)""",
        )
        == 0
    )
    # every record of an order lives in the order's store
    for table in ("order_lines", "shipments", "payments", "refund_requests", "disputes", "reviews"):
        assert (
            _one(
                engine,
                f"SELECT COUNT(*) FROM {table} x JOIN orders o ON o.id = x.order_id WHERE x.store_id != o.store_id",
            )
            == 0
        ), table
    assert (
        _one(
            engine,
            "SELECT COUNT(*) FROM order_lines l JOIN listings g ON g.id = l.listing_id WHERE g.store_id != l.store_id",
        )
        == 0
    )
    assert (
        _one(
            engine,
            "SELECT COUNT(*) FROM orders o JOIN buyers b ON b.id = o.buyer_id WHERE b.store_id != o.store_id OR b.country != o.country",
        )
        == 0
    )
    assert (
        _one(
            engine,
            "SELECT COUNT(*) FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.shipped_at IS NULL",
        )
        == 0
    )
    assert (
        _one(
            engine,
            "SELECT COUNT(*) FROM reviews r JOIN orders o ON o.id = r.order_id WHERE o.delivered_at IS NULL OR r.created_at < o.delivered_at",
        )
        == 0
    )
    assert (
        _one(
            engine,
            """
        SELECT COUNT(*) FROM orders o WHERE (SELECT COALESCE(SUM(p.amount), 0) FROM payments p WHERE p.order_id = o.id) > o.total_amount""",
        )
        == 0
    )


def test_inquiries_are_consistent_with_replies_and_listings(
    tiny: tuple[Engine, SimulationResult],
) -> None:
    """A converted inquiry was replied to; nobody asks about a listing before it is listed."""
    engine, _ = tiny
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                Inquiry.status, Inquiry.first_reply_at, Inquiry.received_at, Listing.listed_on
            ).join(Listing, Listing.id == Inquiry.listing_id)
        ).all()
    converted = [r for r in rows if r.status == "converted"]
    assert len(converted) > 20
    assert all(r.first_reply_at is not None and r.first_reply_at > r.received_at for r in converted)
    assert all(r.received_at.date() >= r.listed_on for r in rows)
    assert any(r.first_reply_at is None for r in rows)  # the planted unanswered 2 % are still there


def test_amazon_order_numbers_are_unique_beyond_ten_million_orders() -> None:
    ids = np.array([1, 10_000_001, 20_000_001, 9_999_999, 123_456_789_012], dtype=np.int64)
    numbers = _external_ids(STORES[1], ids, seed=11)
    assert STORES[1].platform.value == "amazon"
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"\d{3}-\d{7}-\d{7}", n) for n in numbers)
    many = np.arange(1, 30_000_001, 9_973, dtype=np.int64)  # spans three "wraps" of 10**7
    assert len(set(_external_ids(STORES[1], many, seed=11))) == many.size


def test_platform_accounts_have_exactly_the_planted_weak_ones(
    tiny: tuple[Engine, SimulationResult],
) -> None:
    """2.1.2 / 2.2.2: the security review at the simulated end flags the three planted accounts
    (``PLANTED_WEAK_ACCOUNTS``) and nothing else; every store has one main account."""
    engine, result = tiny
    end = TINY.end
    weak: dict[tuple[str, str], list[str]] = {}
    with Session(engine) as session:
        actor = system_actor(session, result.company_id, label="test")
        stores = session.execute(select(Store.id, Store.name).order_by(Store.id)).all()
        assert len(stores) == 8
        for store_id, name in stores:
            review = security_review(session, store_id=store_id, actor=actor, as_of=end)
            assert [a.kind for a in review.accounts].count("main") == 1
            assert len(review.accounts) >= 2 and review.store_findings == []
            for account in review.accounts:
                if account.weak:
                    weak[(name, account.login.split(".")[0])] = account.findings
    assert set(weak) == {
        ("Amazon DE", "seller"),
        ("AliExpress", "staff12"),
        ("Shopee Thailand", "staff11"),
    }
    assert weak[("Amazon DE", "seller")] == ["two-factor authentication is off"]
    assert weak[("AliExpress", "staff12")] == [
        "two-factor authentication is off",
        "password last changed 400 days ago (more than 90)",
    ]
    assert weak[("Shopee Thailand", "staff11")] == [
        "password last changed 250 days ago (more than 90)"
    ]


def test_staff_training_leaves_one_customer_service_person_untrained(
    tiny: tuple[Engine, SimulationResult],
) -> None:
    """7.3.3: at the simulated end, the customer-service staff trained for 7.3.3 are Huang Li and
    Wu Jun (Wu Jun failed once, 45-64, then passed 14 days later); Zhou Ting is planted
    untrained; the trainee failed the listing course."""
    engine, result = tiny
    with Session(engine) as session:
        names = dict(session.execute(select(User.id, User.display_name)).tuples().all())
        trained = trained_for(session, company_id=result.company_id, task_code="7.3.3", on=TINY.end)
        cs_trained = {names[u] for u in trained} - {"王芳 Wang Fang"}
        assert cs_trained == {"黄丽 Huang Li", "吴俊 Wu Jun"}
        actor = system_actor(session, result.company_id, label="test")
        rows = training_records(session, actor=actor)
    by_person: dict[str, list[tuple[str, int, bool]]] = {}
    for r in sorted(rows, key=lambda r: (r.taken_on, r.id)):
        by_person.setdefault(names[r.user_id], []).append((r.course_code, r.score, r.passed))
    assert "周婷 Zhou Ting" in by_person  # trained for something (personal data), but not CS
    assert all(code != "CS-101" for code, _, _ in by_person["周婷 Zhou Ting"])
    wu = [(s, p) for code, s, p in by_person["吴俊 Wu Jun"] if code == "CS-101"]
    assert len(wu) == 2 and not wu[0][1] and wu[0][0] < 70 and wu[1][1] and wu[1][0] >= 70
    assert [(c, p) for c, _, p in by_person["冯雪 Feng Xue"]] == [("LST-101", False)]
    assert all(p == (s >= 65 if c == "ADS-101" else s >= (80 if c == "PII-101" else 70))
               for recs in by_person.values() for c, s, p in recs)  # fmt: skip


def test_planted_zero_effect_listings_are_found(tiny: tuple[Engine, SimulationResult]) -> None:
    """3.2.6: two live listings in each of Amazon US, AliExpress, Shopee MY and eBay UK had no
    impression, click, inquiry or order in the last 30 days (they had traffic before)."""
    engine, result = tiny
    window_from, window_to = TINY.end - dt.timedelta(days=29), TINY.end
    with Session(engine) as session:
        actor = system_actor(session, result.company_id, label="test")
        found = find_zero_effect_listings(
            session, actor=actor, date_from=window_from, date_to=window_to
        )
        names = dict(session.execute(select(Store.id, Store.name)).tuples().all())
        found_ids = {f.listing_id for f in found}
        planted: dict[str, list[int]] = {}
        for f in found:
            before = session.scalar(
                select(func.sum(ListingTrafficDaily.impressions)).where(
                    ListingTrafficDaily.listing_id == f.listing_id,
                    ListingTrafficDaily.day < window_from - dt.timedelta(days=30),
                )
            )
            if before:  # live and seen before, silent now
                planted.setdefault(names[f.store_id], []).append(f.listing_id)
    assert {k: len(v) for k, v in planted.items()} == {
        "Amazon US": 2, "AliExpress": 2, "Shopee Malaysia": 2, "eBay UK": 2
    }  # fmt: skip
    assert set().union(*planted.values()) <= found_ids


def test_launch_plans_are_short_of_plan_in_some_weeks(
    tiny: tuple[Engine, SimulationResult],
) -> None:
    """3.2.1 / 3.3.1: the last 13 full weeks planned per store; planned = launched, or 1-2 more
    (about a third of the weeks, which the report shows behind plan)."""
    engine, result = tiny
    with Session(engine) as session:
        actor = system_actor(session, result.company_id, label="test")
        weeks = session.execute(
            select(LaunchPlanWeek.store_id, func.min(LaunchPlanWeek.week_start),
                   func.max(LaunchPlanWeek.week_start), func.count())
            .group_by(LaunchPlanWeek.store_id)
        ).all()  # fmt: skip
        assert len(weeks) == 8
        gaps: list[int] = []
        for store_id, first, last, count in weeks:
            # Shopee Thailand opens during the period: only the weeks since it opened
            assert (
                first.weekday() == 0 and 0 < count <= 13 and (last - first).days == (count - 1) * 7
            )
            assert last + dt.timedelta(days=6) <= TINY.end
            report = launch_plan_report(
                session, actor=actor, store_id=store_id, week_from=first, week_to=last,
                today=TINY.end + dt.timedelta(days=1),
            )  # fmt: skip
            gaps += [w.gap for w in report.weeks if w.gap is not None]
    assert sorted(c for *_, c in weeks)[1:] == [13] * 7 and len(gaps) == sum(c for *_, c in weeks)
    assert all(g in (0, -1, -2) for g in gaps)
    assert 0.2 < sum(g < 0 for g in gaps) / len(gaps) < 0.5


def test_rate_cards_let_the_channel_chooser_price_simulated_orders(
    tiny: tuple[Engine, SimulationResult],
) -> None:
    """9.1.1: every channel has a rate card; the chooser finds a priced channel for the first
    orders of every store, and FBA's price of a light Amazon US parcel is what its card says."""
    engine, result = tiny
    with Session(engine) as session:
        actor = system_actor(session, result.company_id, label="test")
        assert session.scalar(select(func.count()).select_from(ChannelProfile)) == 9
        chosen: dict[str, int] = {}
        fba_checked = 0
        for store_id, name in session.execute(select(Store.id, Store.name)).tuples():
            orders = session.scalars(
                select(Order).where(Order.store_id == store_id).order_by(Order.id).limit(5)
            ).all()
            for order in orders:
                choice = choose_channel(
                    session, order=order, selected_service=ServiceLevel.STANDARD, actor=actor
                )
                if choice.chosen_channel_id is not None:
                    chosen[name] = chosen.get(name, 0) + 1
                parcel = choice.parcel
                if name != "Amazon US" or parcel.actual_weight_g > 2000:
                    continue
                fba = next(o for o in choice.options if "Fulfilled by Amazon" in o.channel)
                assert fba.eligible and fba.rank == 1  # cheapest standard channel to the US
                # FBA card, zone americas: 8.00 CNY + 15 CNY/kg x 1.1, volumetric /6000, 10 g steps
                dim = -(-parcel.volume_cm3 * 1000 // 6000)
                assert fba.dim_weight_g is not None and abs(fba.dim_weight_g - dim) <= 1
                grams = -(-max(parcel.actual_weight_g, fba.dim_weight_g) // 10) * 10
                assert fba.chargeable_weight_g == grams
                assert fba.total_minor == 800 + round(1650 * grams / 1000)
                fba_checked += 1
        assert len(chosen) == 8 and sum(chosen.values()) >= 30 and fba_checked >= 1


def test_money_follows_each_currencys_minor_units(tiny: tuple[Engine, SimulationResult]) -> None:
    engine, _ = tiny
    # yen have no minor unit and baht are quoted whole: amounts are whole numbers of the major unit
    assert (
        _one(
            engine,
            "SELECT COUNT(*) FROM order_lines WHERE currency = 'THB' AND unit_price_amount % 100 != 0",
        )
        == 0
    )
    jpy = _one(engine, "SELECT AVG(unit_price_amount) FROM order_lines WHERE currency = 'JPY'")
    usd = _one(
        engine,
        "SELECT AVG(unit_price_amount) FROM order_lines l JOIN stores s ON s.id = l.store_id WHERE s.name = 'Amazon US'",
    )
    assert 500 < float(jpy) < 20_000  # type: ignore[arg-type]  # yen, not hundredths of yen
    assert 500 < float(usd) < 20_000  # type: ignore[arg-type]  # cents: 5 to 200 dollars


def test_fx_settlements_use_the_ecb_rate_of_the_day(tiny: tuple[Engine, SimulationResult]) -> None:
    engine, _ = tiny
    with engine.connect() as conn:
        reference = {
            (r.day, r.base): r.rate
            for r in conn.execute(
                select(FxRate.day, FxRate.base, FxRate.rate).where(FxRate.quote == "CNY")
            )
        }
        settlements = list(conn.execute(select(FxSettlement)))
    assert settlements
    for row in settlements:
        day_rate = reference[(row.settled_at.date(), row.sold_currency)]
        rate = Decimal(row.rate)
        assert Decimal("0.99") * day_rate < rate < day_rate  # the bank keeps a spread
        digits = 0 if row.sold_currency == "JPY" else 2
        expected = Decimal(row.sold_amount).scaleb(-digits) * rate * 100
        assert abs(row.bought_amount - expected) <= 1
        assert row.bought_currency == "CNY"


def test_an_existing_company_name_is_refused_and_nothing_is_written(
    tiny: tuple[Engine, SimulationResult],
) -> None:
    engine, result = tiny
    before = _one(engine, "SELECT COUNT(*) FROM orders")
    with pytest.raises(DuplicateCompany, match="a company named 'Tiny Co' already exists"):
        simulate(engine, seed=99, scale=TINY, company_name="Tiny Co")
    assert _one(engine, "SELECT COUNT(*) FROM orders") == before
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Company)).scalar() == 1
    assert result.total_rows > 50_000


def test_indexes_and_foreign_keys_are_back_after_the_load(
    tiny: tuple[Engine, SimulationResult],
) -> None:
    engine, _ = tiny
    inspector = inspect(engine)
    for model in (Order, OrderLine, TrackingEvent):
        table = model.__table__
        assert isinstance(table, Table)
        expected = {index.name for index in table.indexes}
        assert expected <= {index["name"] for index in inspector.get_indexes(table.name)}, (
            table.name
        )
        declared = {fk.name for fk in table.foreign_key_constraints}
        assert declared == {fk["name"] for fk in inspector.get_foreign_keys(table.name)}, table.name
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_failure_midway_leaves_nothing_behind(tmp_path: Path, backend: str) -> None:
    engine = _new_database(tmp_path, backend)

    def explode(label: str, _advance: float) -> None:
        if label.startswith("orders"):
            raise RuntimeError("killed mid-run")

    with pytest.raises(RuntimeError, match="killed mid-run"):
        simulate(engine, seed=1, scale=TINY, company_name="Crash Co", progress=explode)
    assert _one(engine, "SELECT COUNT(*) FROM companies") == 0
    assert _one(engine, "SELECT COUNT(*) FROM products") == 0
    assert {fk["name"] for fk in inspect(engine).get_foreign_keys("order_lines")} == {
        fk.name for fk in OrderLine.__table__.foreign_key_constraints
    }
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_broken_reference_made_during_the_load_is_caught_and_nothing_is_written(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """References are checked once after the load (SQLite: foreign_key_check; PostgreSQL: keys
    added back), so a row pointing nowhere must still abort the whole run."""
    engine = _new_database(tmp_path, backend)
    payouts = Simulator._payouts

    def break_a_reference(self: Simulator, *args: Any) -> None:
        payouts(self, *args)
        self.conn.exec_driver_sql(
            "UPDATE order_lines SET order_id = -1 WHERE id = (SELECT MIN(id) FROM order_lines)"
        )

    monkeypatch.setattr(Simulator, "_payouts", break_a_reference)
    expected = BrokenReferences if backend == "sqlite" else IntegrityError
    with pytest.raises(expected, match="order_lines|fk_order_lines_order_id"):
        simulate(engine, seed=1, scale=TINY, company_name="Broken Co")
    assert _one(engine, "SELECT COUNT(*) FROM companies") == 0
    assert _one(engine, "SELECT COUNT(*) FROM order_lines") == 0
    if backend == "sqlite":
        with engine.connect() as conn:  # the load's settings are back
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


@pytest.mark.parametrize(
    ("value", "start", "end", "message"),
    [
        ("huge", None, None, "unknown scale 'huge'"),
        ("50", None, None, "order lines must be between 200 and 100,000,000"),
        (
            "tiny",
            dt.date(2025, 3, 1),
            dt.date(2025, 1, 1),
            "--to 2025-01-01 is before --from 2025-03-01",
        ),
        ("tiny", dt.date(2025, 1, 1), dt.date(2025, 1, 10), "at least 28 days"),
        ("tiny", dt.date(2012, 1, 1), dt.date(2012, 6, 1), "between 2019 and 2030"),
    ],
)
def test_bad_scales_and_dates_are_refused(
    value: str, start: dt.date | None, end: dt.date | None, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_scale(value, start, end)


def test_named_and_numeric_scales() -> None:
    assert (TINY.order_lines, TINY.days, TINY.end) == (2_500, 120, dt.date(2026, 9, 30))
    small = parse_scale("small")
    assert (small.order_lines, small.start, small.end) == (
        30_000,
        dt.date(2024, 10, 1),
        dt.date(2026, 9, 30),
    )
    assert parse_scale("large").order_lines == 10_000_000
    custom = parse_scale("5000", dt.date(2025, 1, 1))
    assert (custom.order_lines, custom.end) == (5_000, dt.date(2026, 12, 31))


def test_cli_simulate_reports_counts_and_refuses_bad_scale(fresh_db_url: str) -> None:
    from storeops.cli.main import app

    runner = CliRunner()
    bad = runner.invoke(app, ["simulate", "--scale", "huge"])
    assert bad.exit_code == 2
    assert "error: unknown scale 'huge'" in bad.output
    if not fresh_db_url.startswith("sqlite"):
        return  # the PostgreSQL path is covered by the fixtures above
    good = runner.invoke(
        app,
        [
            "simulate",
            "--scale",
            "400",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--company",
            "CLI Co",
        ],
    )
    assert good.exit_code == 0, good.output
    assert "simulated 'CLI Co' (2025-01-01 to 2025-03-31)" in good.output
    assert "order_lines" in good.output
