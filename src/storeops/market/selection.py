"""1.2.1 Platform selection as pure functions: weighted multi-criteria scores of platform profiles,
the sensitivity of the winner to the weights, and a written recommendation."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storeops.errors import InvalidInput

#: The criteria of 1.2.1 (markets, fees, traffic, competition, fit with the category and with the
#: company's resources, policy and currency risk) and their default weights (sum 1).
DEFAULT_WEIGHTS: dict[str, float] = {
    "markets": 0.25,
    "fees": 0.15,
    "traffic": 0.15,
    "competition": 0.10,
    "category_fit": 0.15,
    "entry_ease": 0.10,
    "policy_currency_risk": 0.10,
}
CRITERIA = tuple(DEFAULT_WEIGHTS)
#: A commission of this percentage or more scores zero on fees.
FEE_ZERO_AT_PCT = 30.0
SENSITIVITY_FACTORS = (0.5, 1.5)


@dataclass(frozen=True, slots=True)
class Criterion:
    criterion: str
    score: float  # 0-10
    weight: float
    reason: str


@dataclass(frozen=True, slots=True)
class Scored:
    platform: str
    name: str
    total: float  # 0-10, weighted
    criteria: tuple[Criterion, ...]
    eligible: bool


@dataclass(frozen=True, slots=True)
class Sensitivity:
    criterion: str
    factor: float
    winner: str
    winner_changes: bool


@dataclass(frozen=True, slots=True)
class Selection:
    weights: dict[str, float]
    ranking: tuple[Scored, ...]
    sensitivity: tuple[Sensitivity, ...]
    robust: bool
    recommendation: str


def normalize_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """The weights scaled to sum 1; unknown criteria or negative weights are refused."""
    given = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = sorted(set(given) - set(CRITERIA))
    if unknown:
        raise InvalidInput(
            f"unknown criteria {', '.join(unknown)}; the criteria are {', '.join(CRITERIA)}",
            field="weights",
        )
    if any(w < 0 for w in given.values()):
        raise InvalidInput("weights must be zero or more", field="weights")
    full = {c: float(given.get(c, 0.0)) for c in CRITERIA}
    total = sum(full.values())
    if total <= 0:
        raise InvalidInput("at least one weight must be positive", field="weights")
    return {c: w / total for c, w in full.items()}


def _value(profile: Mapping[str, Any], fact: str) -> Any:
    entry = profile.get(fact)
    if not isinstance(entry, Mapping) or "value" not in entry:
        raise InvalidInput(f"the profile of {profile.get('key')} lacks {fact}", field=fact)
    return entry["value"]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def criterion_scores(
    profile: Mapping[str, Any], *, target_markets: Sequence[str], category: str, model: str
) -> tuple[list[tuple[str, float, str]], bool]:
    """Each criterion's 0-10 score with its reason, and whether the platform serves ``model``."""
    markets = [str(m).upper() for m in _value(profile, "markets")]
    targets = [t.strip().upper() for t in target_markets if t.strip()]
    if not targets:
        raise InvalidInput("name at least one target market", field="target_markets")
    covered = targets if "GLOBAL" in markets else [t for t in targets if t in markets]
    fees = _value(profile, "fees")
    commission = float(fees.get("commission_pct", 0))
    ratings = _value(profile, "ratings")
    strengths = [str(s).lower() for s in _value(profile, "category_strengths")]
    category_words = _words(category)
    matched = [s for s in strengths if _words(s) & category_words]
    if matched:
        category_score, category_reason = 10.0, f"strong in {', '.join(matched)}"
    elif "general" in strengths:
        category_score, category_reason = 6.0, "general merchandise platform"
    else:
        category_score, category_reason = 2.0, f"not among its strengths ({', '.join(strengths)})"
    scores = [
        (
            "markets",
            10.0 * len(covered) / len(targets),
            f"covers {len(covered)} of {len(targets)} target markets"
            + (f" ({', '.join(covered)})" if covered else ""),
        ),
        (
            "fees",
            max(0.0, 10.0 * (1 - commission / FEE_ZERO_AT_PCT)),
            f"commission about {commission:g} % (0 % scores 10, {FEE_ZERO_AT_PCT:g} % scores 0)",
        ),
        ("traffic", 2.0 * float(ratings["traffic"]), f"traffic rated {ratings['traffic']} of 5"),
        (
            "competition",
            2.0 * (6 - float(ratings["competition"])),
            f"competition rated {ratings['competition']} of 5 (less is better)",
        ),
        ("category_fit", category_score, category_reason),
        (
            "entry_ease",
            2.0 * (6 - float(ratings["entry_difficulty"])),
            f"entry difficulty rated {ratings['entry_difficulty']} of 5",
        ),
        (
            "policy_currency_risk",
            2.0 * (6 - float(ratings["policy_currency_risk"])),
            f"policy and currency risk rated {ratings['policy_currency_risk']} of 5",
        ),
    ]
    serves = model in [str(m) for m in profile.get("models", [])]
    return scores, serves


def _rank(
    profiles: Sequence[Mapping[str, Any]],
    weights: Mapping[str, float],
    *,
    target_markets: Sequence[str],
    category: str,
    model: str,
) -> list[Scored]:
    scored = []
    for profile in profiles:
        parts, serves = criterion_scores(
            profile, target_markets=target_markets, category=category, model=model
        )
        criteria = tuple(Criterion(c, s, weights[c], r) for c, s, r in parts)
        total = sum(c.score * c.weight for c in criteria) if serves else 0.0
        scored.append(
            Scored(
                platform=str(profile["key"]),
                name=str(profile.get("name", profile["key"])),
                total=total,
                criteria=criteria,
                eligible=serves,
            )
        )
    return sorted(scored, key=lambda s: (-s.total, s.platform))


def select_platforms(
    profiles: Sequence[Mapping[str, Any]],
    *,
    target_markets: Sequence[str],
    category: str,
    model: str = "b2c",
    weights: Mapping[str, float] | None = None,
) -> Selection:
    """1.2.1 Score the candidate platforms, test the winner against ±50 % on each weight, and
    write the recommendation."""
    if len(profiles) < 2:
        raise InvalidInput("compare at least two platforms", field="platforms")
    if model not in ("b2b", "b2c"):
        raise InvalidInput("the business model is b2b or b2c", field="model")
    w = normalize_weights(weights)
    ranking = _rank(profiles, w, target_markets=target_markets, category=category, model=model)
    winner = ranking[0]
    sensitivity = []
    for criterion in CRITERIA:
        for factor in SENSITIVITY_FACTORS:
            changed = dict(w)
            changed[criterion] = w[criterion] * factor
            if sum(changed.values()) <= 0:
                continue
            alt = _rank(
                profiles,
                normalize_weights(changed),
                target_markets=target_markets,
                category=category,
                model=model,
            )
            sensitivity.append(
                Sensitivity(criterion, factor, alt[0].platform, alt[0].platform != winner.platform)
            )
    robust = not any(s.winner_changes for s in sensitivity)
    return Selection(
        weights=w,
        ranking=tuple(ranking),
        sensitivity=tuple(sensitivity),
        robust=robust,
        recommendation=_recommendation(ranking, sensitivity, robust, model, category),
    )


def _recommendation(
    ranking: Sequence[Scored],
    sensitivity: Sequence[Sensitivity],
    robust: bool,
    model: str,
    category: str,
) -> str:
    winner = ranking[0]
    if not winner.eligible:
        return f"None of the candidates serves {model.upper()} sellers; widen the candidates."
    runner = ranking[1]
    best = max(winner.criteria, key=lambda c: c.score * c.weight)
    weakest = min(winner.criteria, key=lambda c: c.score)
    text = (
        f"Recommend {winner.name} for {category} ({model.upper()}): it scores "
        f"{winner.total:.1f} of 10, {winner.total - runner.total:.1f} ahead of {runner.name} "
        f"({runner.total:.1f}). Its strongest point is {best.criterion.replace('_', ' ')} "
        f"({best.reason}); its weakest is {weakest.criterion.replace('_', ' ')} "
        f"({weakest.reason})."
    )
    if robust:
        text += " The choice holds when any single weight is halved or raised by half."
    else:
        flips = sorted(
            {
                f"{'raising' if s.factor > 1 else 'halving'} the weight of "
                f"{s.criterion.replace('_', ' ')} makes {s.winner} first"
                for s in sensitivity
                if s.winner_changes
            }
        )
        text += " The choice is sensitive to the weights: " + "; ".join(flips) + "."
    excluded = [s.name for s in ranking if not s.eligible]
    if excluded:
        text += f" Not considered (no {model.upper()} selling): {', '.join(excluded)}."
    return text
