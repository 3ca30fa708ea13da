"""1.1.8 product selection scoring, worked out by hand."""

from __future__ import annotations

import pytest

from storeops.errors import InvalidInput
from storeops.market.product_selection import Candidate, score_products

A = Candidate(
    name="Tire inflator", monthly_searches=9999, competing_listings=9, price=2000, unit_cost=600,
    shipping_cost=300, fee_pct=15, seasonality_strength=0.5, certificates_needed=1,
    has_battery=True,
)  # fmt: skip
B = Candidate(
    name="Seat organizer", monthly_searches=99, competing_listings=0, price=1000, unit_cost=700,
    shipping_cost=200, fee_pct=10,
)  # fmt: skip


def test_scores_by_hand() -> None:
    ranked = score_products([B, A])
    a, b = ranked
    # A: demand 10·log10(10000)/5 = 8; 999.9 searches a listing → 10 (capped); margin
    #    2000 − 600 − 300 − 300 = 800 = 40 % → 10; seasonality 10·(1 − .5) = 5; risk 2 + 3 → 5
    #    .25·8 + .2·10 + .3·10 + .1·5 + .15·5 = 8.25
    assert (a.name, a.rank) == ("Tire inflator", 1)
    assert a.total == pytest.approx(8.25)
    assert (a.margin, a.margin_pct) == (800, pytest.approx(40))
    # B: demand 10·2/5 = 4; 99 a listing → 10·2/3; margin 1000 − 700 − 200 − 100 = 0 → 0;
    #    flat → 10; no risk → 10: 1 + 1.3333 + 0 + 1 + 1.5
    assert b.total == pytest.approx(1 + 0.2 * 20 / 3 + 1 + 1.5)
    reasons = {c.criterion: c.reason for c in a.criteria}
    assert reasons["margin"] == "margin 40.0 % after 15 % fees and shipping"
    assert reasons["compliance_risk"] == "5 risk point(s): 1 certificate(s), battery"


def test_weights_change_the_ranking() -> None:
    flat_first = score_products([A, B], weights={"seasonality_risk": 1, "compliance_risk": 1})
    assert flat_first[0].name == "Seat organizer"  # 10 + 10 against 5 + 5


def test_bad_candidates_are_refused() -> None:
    with pytest.raises(InvalidInput, match="same name"):
        score_products([A, A])
    with pytest.raises(InvalidInput, match="price must be positive"):
        score_products([Candidate("x", 1, 1, 0, 0, 0, 0)])
    with pytest.raises(InvalidInput, match="unknown criteria"):
        score_products([A], weights={"luck": 1})
