"""Distribution checks on two simulated years: long tail, seasonality, peaks, rates sellers see.

SQLite only: timestamps are integer microseconds there (``storeops.db.UTCDateTime``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, text

from storeops.crm.pii import DEFAULT_RETENTION_DAYS
from storeops.db import make_engine
from storeops.migrations import upgrade
from storeops.simulate.generate import simulate
from storeops.simulate.scales import parse_scale


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path_factory.mktemp('realism') / 'two-years.db'}"
    upgrade(url)
    engine = make_engine(url)
    simulate(engine, seed=5, scale=parse_scale("40000"), company_name="Realism Co")
    yield engine
    engine.dispose()


def _rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _monthly(engine: Engine, store: str) -> dict[str, int]:
    rows = _rows(
        engine,
        f"""
        SELECT strftime('%Y-%m', o.placed_at / 1000000, 'unixepoch'), SUM(o.total_amount) FROM orders o JOIN stores s ON s.id = o.store_id
        WHERE s.name = '{store}' AND o.status != 'cancelled' GROUP BY 1 ORDER BY 1""",
    )
    return {str(m): int(v) for m, v in rows}  # type: ignore[call-overload]


def test_top_fifth_of_skus_brings_60_to_90_percent_of_revenue(two_years: Engine) -> None:
    for currency in ("USD", "EUR"):
        revenue = np.array(
            sorted(
                (
                    int(r[0])
                    for r in _rows(
                        two_years,
                        f"""
            SELECT SUM(line_amount) FROM order_lines WHERE currency = '{currency}' GROUP BY sku_id""",
                    )
                ),
                reverse=True,
            )
        )
        top = revenue[: max(1, len(revenue) // 5)].sum() / revenue.sum()
        assert 0.6 <= top <= 0.9, (currency, top)


def test_amazon_peaks_in_november_december_and_on_prime_day(two_years: Engine) -> None:
    months = _monthly(two_years, "Amazon US")
    for year, before in (("2024", ["2024-10"]), ("2025", ["2025-09", "2025-10"])):
        autumn = np.mean([months[m] for m in before])  # the same year's months before the peak
        assert months[f"{year}-12"] > 1.4 * autumn
        assert months[f"{year}-11"] > 1.1 * autumn
    assert months["2025-07"] > 1.2 * months["2025-06"]  # Prime Day 2025-07-08..11
    assert months["2026-07"] > 1.2 * months["2026-06"]


def test_shopee_sells_most_on_double_days(two_years: Engine) -> None:
    daily = dict(
        _rows(
            two_years,
            """
        SELECT date(o.placed_at / 1000000, 'unixepoch'), COUNT(*) FROM orders o JOIN stores s ON s.id = o.store_id
        WHERE s.name = 'Shopee Malaysia' GROUP BY 1""",
        )
    )
    average = np.mean([int(v) for v in daily.values()])  # type: ignore[call-overload]
    for day in ("2024-11-11", "2024-12-12", "2025-11-11", "2025-12-12"):
        assert int(daily[day]) > 2 * average, day  # type: ignore[call-overload]


def test_b2b_slows_down_over_chinese_new_year(two_years: Engine) -> None:
    months = _monthly(two_years, "Alibaba.com Global")
    march = months["2025-03"]
    assert months["2025-02"] < 0.75 * march


def test_ramadan_lifts_orders_from_the_middle_east(two_years: Engine) -> None:
    rows = dict(
        _rows(
            two_years,
            """
        SELECT CASE WHEN date(placed_at / 1000000, 'unixepoch') BETWEEN '2025-03-01' AND '2025-03-30' THEN 'ramadan'
                    WHEN date(placed_at / 1000000, 'unixepoch') BETWEEN '2025-05-01' AND '2025-05-30' THEN 'may' END AS period,
               COUNT(*) FROM orders WHERE country IN ('SA', 'AE', 'EG', 'MA', 'KW', 'QA', 'TR', 'IL')
        GROUP BY 1""",
        )
    )
    assert int(rows["ramadan"]) > 1.3 * int(rows["may"])  # type: ignore[call-overload]


def test_rates_are_in_the_ranges_sellers_see(two_years: Engine) -> None:
    rows = _rows(
        two_years,
        """
        SELECT s.platform,
               AVG(CASE WHEN o.status = 'cancelled' THEN 1.0 ELSE 0 END),
               AVG(CASE WHEN o.status = 'refunded' THEN 1.0 ELSE 0 END)
        FROM orders o JOIN stores s ON s.id = o.store_id GROUP BY s.platform""",
    )
    for platform, cancel, refund in rows:
        assert 0.005 <= float(cancel) <= 0.12, platform  # type: ignore[arg-type]
        assert 0.01 <= float(refund) <= 0.1, platform  # type: ignore[arg-type]
    rating = _rows(
        two_years, "SELECT AVG(rating), AVG(CASE WHEN rating <= 2 THEN 1.0 ELSE 0 END) FROM reviews"
    )[0]
    assert 3.9 <= float(rating[0]) <= 4.6  # type: ignore[arg-type]
    assert 0.03 <= float(rating[1]) <= 0.15  # type: ignore[arg-type]
    reply = _rows(
        two_years,
        """
        SELECT AVG(CASE WHEN first_reply_at IS NOT NULL AND
                   (first_reply_at - received_at) <= 24 * 3600 * 1000000 THEN 1.0 ELSE 0 END)
        FROM inquiries""",
    )[0][0]
    assert 0.8 <= float(reply) <= 0.97  # type: ignore[arg-type]  # most first replies within 24 h
    conversion = _rows(
        two_years,
        """
        SELECT CAST((SELECT COUNT(*) FROM order_lines) AS REAL) / (SELECT SUM(visitors) FROM listing_traffic_daily)""",
    )[0][0]
    assert 0.01 <= float(conversion) <= 0.15  # type: ignore[arg-type]


def test_listings_include_deliberately_incomplete_ones(two_years: Engine) -> None:
    rows = _rows(
        two_years,
        """
        SELECT SUM(CASE WHEN image_count < 3 THEN 1 ELSE 0 END), SUM(CASE WHEN video_count = 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN logistics_template IS NULL THEN 1 ELSE 0 END), COUNT(*)
        FROM listings""",
    )[0]
    few_images, no_video, no_template, total = (int(v) for v in rows)  # type: ignore[call-overload]
    assert 0 < few_images < total * 0.3
    assert 0 < no_video < total
    assert 0 < no_template < total * 0.3


def test_store_days_follow_the_store_timezone(two_years: Engine, tmp_path: Path) -> None:
    # Amazon JP orders peak in the Tokyo evening (UTC+9): 19:00-22:00 local is 10:00-13:00 UTC
    hours = dict(
        _rows(
            two_years,
            """
        SELECT CAST(strftime('%H', o.placed_at / 1000000, 'unixepoch') AS INTEGER), COUNT(*) FROM orders o JOIN stores s ON s.id = o.store_id
        WHERE s.name = 'Amazon JP' GROUP BY 1""",
        )
    )
    evening_utc = sum(int(hours.get(h, 0)) for h in (10, 11, 12))  # type: ignore[call-overload]
    night_utc = sum(int(hours.get(h, 0)) for h in (18, 19, 20))  # 03:00-05:00 in Tokyo
    assert evening_utc > 4 * night_utc


def test_contacts_are_kept_exactly_for_buyers_the_retention_rule_keeps(two_years: Engine) -> None:
    """9.3.1: a contact for every buyer with an order still open or ended (delivered, refunded,
    cancelled) within the store's retention period (its ``pii_policies`` row: 30 days on Amazon,
    else ``crm.pii.DEFAULT_RETENTION_DAYS`` = 30) of the simulated end, and for no one else; so
    the erasure job run at the end of the period has nothing to erase."""
    policies = _rows(
        two_years,
        "SELECT s.platform, p.retention_days FROM pii_policies p JOIN stores s ON s.id = p.store_id",
    )
    # a store gets a policy row only where its period differs from the default (now 30 days too)
    assert all(days != DEFAULT_RETENTION_DAYS for _platform, days in policies)
    end = _rows(two_years, "SELECT MAX(placed_at) FROM orders")[0][0]
    day = 86_400_000_000  # microseconds
    cutoff = (int(end) // day + 1) * day  # type: ignore[call-overload]  # end of the last day
    expected = {
        int(r[0])  # type: ignore[call-overload]
        for r in _rows(
            two_years,
            f"""SELECT DISTINCT o.buyer_id FROM orders o
                LEFT JOIN pii_policies p ON p.store_id = o.store_id
                WHERE o.status NOT IN ('delivered', 'cancelled', 'refunded')
                OR COALESCE(o.delivered_at, o.refunded_at, o.cancelled_at)
                   > {cutoff} - COALESCE(p.retention_days, {DEFAULT_RETENTION_DAYS}) * {day}""",
        )
    }
    contacts = {int(r[0]) for r in _rows(two_years, "SELECT buyer_id FROM buyer_contacts")}  # type: ignore[call-overload]
    buyers = int(_rows(two_years, "SELECT COUNT(*) FROM buyers")[0][0])  # type: ignore[call-overload]
    assert contacts == expected
    assert 0 < len(contacts) < buyers * 0.4  # older buyers' data would have been erased
