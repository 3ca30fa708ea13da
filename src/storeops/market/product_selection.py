"""1.1.8 Product selection scoring: keyword demand, competition, margin after fees and shipping,
seasonality risk and compliance risk, weighted, explainable and comparable across candidates.
Pure functions: amounts are integer minor units of one currency."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storeops.errors import InvalidInput

DEFAULT_WEIGHTS: dict[str, float] = {
    "demand": 0.25,
    "competition": 0.20,
    "margin": 0.30,
    "seasonality_risk": 0.10,
    "compliance_risk": 0.15,
}
FULL_DEMAND_SEARCHES = 100_000  # monthly searches that score 10 (log scale: 10 → 2, 1000 → 6)
FULL_COMPETITION_RATIO = 1_000  # searches per competing listing that score 10 (log scale)
FULL_MARGIN_PCT = 40.0  # margin after fees and shipping that scores 10; 0 % or less scores 0
FULL_SEASONALITY = 1.0  # seasonal strength (max - min monthly index) that scores 0
RISK_POINTS = {"certificate": 2, "battery": 3, "liquid": 2}


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    monthly_searches: int
    competing_listings: int
    price: int  # selling price, minor units
    unit_cost: int  # purchase cost landed in the same currency
    shipping_cost: int  # per unit
    fee_pct: float  # platform commission and payment fees, percent of the price
    seasonality_strength: float = 0.0  # max - min seasonal index of the category (0 = flat)
    certificates_needed: int = 0
    has_battery: bool = False
    has_liquid: bool = False


@dataclass(frozen=True, slots=True)
class ProductCriterion:
    criterion: str
    score: float
    weight: float
    reason: str


@dataclass(frozen=True, slots=True)
class ScoredProduct:
    name: str
    total: float
    rank: int
    margin: int  # minor units per unit sold
    margin_pct: float
    criteria: tuple[ProductCriterion, ...]


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    given = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = sorted(set(given) - set(DEFAULT_WEIGHTS))
    if unknown:
        raise InvalidInput(
            f"unknown criteria {', '.join(unknown)}; the criteria are {', '.join(DEFAULT_WEIGHTS)}",
            field="weights",
        )
    if any(w < 0 for w in given.values()) or sum(given.values()) <= 0:
        raise InvalidInput("weights are zero or more and not all zero", field="weights")
    total = sum(given.values())
    return {c: given.get(c, 0.0) / total for c in DEFAULT_WEIGHTS}


def _check(c: Candidate) -> None:
    if not c.name.strip():
        raise InvalidInput("a candidate has no name", field="name")
    for field in ("monthly_searches", "competing_listings", "price", "unit_cost", "shipping_cost",
                  "certificates_needed"):  # fmt: skip
        if getattr(c, field) < 0:
            raise InvalidInput(f"{c.name}: {field} must be zero or more", field=field)
    if c.price <= 0:
        raise InvalidInput(f"{c.name}: the price must be positive", field="price")
    if not 0 <= c.fee_pct < 100:
        raise InvalidInput(f"{c.name}: fee_pct is a percentage below 100", field="fee_pct")


def criteria(c: Candidate) -> tuple[list[tuple[str, float, str]], int, float]:
    """Each criterion's 0-10 score and reason, the margin per unit and the margin percentage."""
    _check(c)
    demand = 10 * min(1.0, math.log10(c.monthly_searches + 1) / math.log10(FULL_DEMAND_SEARCHES))
    ratio = c.monthly_searches / (c.competing_listings + 1)
    competition = 10 * min(1.0, math.log10(ratio + 1) / math.log10(FULL_COMPETITION_RATIO))
    fees = round(c.price * c.fee_pct / 100)
    margin = c.price - c.unit_cost - c.shipping_cost - fees
    margin_pct = 100 * margin / c.price
    margin_score = 10 * min(1.0, max(0.0, margin_pct / FULL_MARGIN_PCT))
    season = 10 * (1 - min(1.0, max(0.0, c.seasonality_strength) / FULL_SEASONALITY))
    points = (
        RISK_POINTS["certificate"] * c.certificates_needed
        + RISK_POINTS["battery"] * c.has_battery
        + RISK_POINTS["liquid"] * c.has_liquid
    )
    compliance = float(max(0, 10 - points))
    risks = [f"{c.certificates_needed} certificate(s)"]
    if c.has_battery:
        risks.append("battery")
    if c.has_liquid:
        risks.append("liquid")
    return (
        [
            ("demand", demand, f"{c.monthly_searches:,} searches a month"),
            (
                "competition",
                competition,
                f"{ratio:,.0f} searches per competing listing ({c.competing_listings:,} listings)",
            ),
            (
                "margin",
                margin_score,
                f"margin {margin_pct:.1f} % after {c.fee_pct:g} % fees and shipping",
            ),
            (
                "seasonality_risk",
                season,
                f"seasonal swing {c.seasonality_strength:.2f} (max - min monthly index)",
            ),
            ("compliance_risk", compliance, f"{points} risk point(s): {', '.join(risks)}"),
        ],
        margin,
        margin_pct,
    )


def score_products(
    candidates: Sequence[Candidate], *, weights: Mapping[str, float] | None = None
) -> list[ScoredProduct]:
    """1.1.8 Score and rank candidates; every score says why (ties by name)."""
    if not candidates:
        raise InvalidInput("no candidates to score", field="candidates")
    names = [c.name.strip().lower() for c in candidates]
    if len(set(names)) != len(names):
        raise InvalidInput("two candidates have the same name", field="candidates")
    w = _weights(weights)
    scored = []
    for c in candidates:
        parts, margin, margin_pct = criteria(c)
        crit = tuple(ProductCriterion(n, s, w[n], r) for n, s, r in parts)
        scored.append((sum(x.score * x.weight for x in crit), c.name, margin, margin_pct, crit))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [
        ScoredProduct(name=n, total=t, rank=i + 1, margin=m, margin_pct=mp, criteria=cr)
        for i, (t, n, m, mp, cr) in enumerate(scored)
    ]
