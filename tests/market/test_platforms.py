"""Platform profiles (bundled, versioned per company) and 1.2.1 platform selection, with the
weighted totals worked out by hand."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.errors import InvalidInput, NotFound, PermissionDenied
from storeops.market import platforms
from storeops.market.models import PlatformProfileVersion
from storeops.market.schemas import SelectionRequest
from storeops.market.selection import select_platforms
from tests.factories import make_company, make_member, owner_actor

STANDARD_PLATFORMS = {
    "alibaba_com", "amazon", "aliexpress", "ebay", "wish", "joom", "shopee", "lazada", "jumia",
    "ozon", "coupang", "wildberries", "tiktok_shop", "facebook", "youtube", "instagram", "tiktok",
}  # fmt: skip


def fact(value: Any) -> dict[str, Any]:
    return {"value": value, "source": "test", "as_of": "2026-01-01", "status": "published"}


def profile(
    key: str,
    *,
    markets: list[str],
    commission: float,
    traffic: int,
    competition: int,
    entry: int,
    risk: int,
    strengths: list[str],
    models: tuple[str, ...] = ("b2c",),
) -> dict[str, Any]:
    return {
        "key": key,
        "name": key.upper(),
        "models": list(models),
        "markets": fact(markets),
        "fees": fact({"commission_pct": commission}),
        "category_strengths": fact(strengths),
        "ratings": fact(
            {
                "traffic": traffic,
                "competition": competition,
                "entry_difficulty": entry,
                "policy_currency_risk": risk,
            }
        ),
    }


P1 = profile("p1", markets=["US", "DE"], commission=15, traffic=5, competition=5, entry=4, risk=2,
             strengths=["audio", "general"])  # fmt: skip
P2 = profile("p2", markets=["US"], commission=6, traffic=3, competition=2, entry=2, risk=2,
             strengths=["home"])  # fmt: skip


def test_weighted_scores_by_hand() -> None:
    result = select_platforms([P2, P1], target_markets=["us", "DE"], category="Audio earbuds")
    # P1: markets 10, fees 10 × (1 − 15/30) = 5, traffic 10, competition 2, category 10, entry 4,
    #     risk 8 → .25·10 + .15·5 + .15·10 + .10·2 + .15·10 + .10·4 + .10·8 = 7.65
    # P2: 5, 8, 6, 8, 2, 8, 8 → 1.25 + 1.2 + .9 + .8 + .3 + .8 + .8 = 6.05
    assert [(s.platform, round(s.total, 6)) for s in result.ranking] == [("p1", 7.65), ("p2", 6.05)]
    p2 = {c.criterion: c for c in result.ranking[1].criteria}
    assert p2["markets"].reason == "covers 1 of 2 target markets (US)"
    assert p2["category_fit"].score == 2
    assert result.robust
    assert result.recommendation.startswith(
        "Recommend P1 for Audio earbuds (B2C): it scores 7.7 of 10, 1.6 ahead of P2 (6.0)."
    )
    assert "holds when any single weight is halved or raised by half" in result.recommendation


def test_sensitivity_finds_the_weights_that_flip_the_winner() -> None:
    p4 = copy.deepcopy(P1)
    p4["key"], p4["name"] = "p4", "P4"
    p4["fees"] = fact({"commission_pct": 0})
    p4["ratings"]["value"]["traffic"] = 3
    result = select_platforms([P1, p4], target_markets=["US", "DE"], category="audio")
    # P4 = 7.65 + .15 × (10 − 5) − .15 × (10 − 6) = 7.80
    assert [(s.platform, round(s.total, 6)) for s in result.ranking] == [("p4", 7.8), ("p1", 7.65)]
    flips = {(s.criterion, s.factor) for s in result.sensitivity if s.winner_changes}
    # traffic × 1.5: P1 (7.65 + .75) / 1.075 = 7.81 > P4 (7.8 + .45) / 1.075 = 7.67
    # fees × 0.5:    P1 (7.65 − .375) / .925 = 7.86 > P4 (7.8 − .75) / .925 = 7.62
    assert ("traffic", 1.5) in flips
    assert ("fees", 0.5) in flips
    assert not result.robust
    assert "raising the weight of traffic makes p1 first" in result.recommendation
    assert "halving the weight of fees makes p1 first" in result.recommendation


def test_a_platform_that_does_not_serve_the_model_is_not_considered() -> None:
    b2b_only = profile("b2b", markets=["US"], commission=0, traffic=5, competition=1, entry=1,
                       risk=1, strengths=["general"], models=("b2b",))  # fmt: skip
    result = select_platforms([b2b_only, P2], target_markets=["US"], category="home")
    assert result.ranking[0].platform == "p2"
    assert result.ranking[1].total == 0
    assert "Not considered (no B2C selling): B2B." in result.recommendation


def test_weights_are_checked_and_normalised() -> None:
    with pytest.raises(InvalidInput, match="unknown criteria"):
        select_platforms([P1, P2], target_markets=["US"], category="x", weights={"luck": 1})
    with pytest.raises(InvalidInput, match="at least one weight"):
        select_platforms([P1, P2], target_markets=["US"], category="x", weights={"fees": 0})
    only_fees = select_platforms([P1, P2], target_markets=["US"], category="x", weights={"fees": 5})
    assert only_fees.weights["fees"] == 1
    assert only_fees.ranking[0].platform == "p2"  # 8 on fees against 5


def test_every_platform_the_standard_names_has_a_sourced_profile() -> None:
    bundled = platforms.bundled_profiles()
    assert set(bundled) == STANDARD_PLATFORMS
    for key, data in bundled.items():
        clean = platforms.validate_facts(key, data)
        for name in platforms.FACTS:
            assert clean[name]["source"], (key, name)
            assert clean[name]["as_of"], (key, name)


def test_profiles_are_versioned_per_company(session: Session) -> None:
    company, other = make_company(session), make_company(session)
    actor = owner_actor(session, company)
    assert platforms.get_profile(session, platform="shopee", actor=actor).version == 0
    facts = copy.deepcopy(platforms.bundled_profiles()["shopee"])
    facts["fees"]["value"]["commission_pct"] = 9.5
    facts["fees"]["as_of"] = "2026-10-01"
    updated = platforms.update_profile(
        session, platform="Shopee", facts=facts, note="new commission table", actor=actor
    )
    assert (updated.version, updated.facts["fees"]["value"]["commission_pct"]) == (1, 9.5)
    history = platforms.profile_history(session, platform="shopee", actor=actor)
    assert [h.version for h in history] == [1, 0]
    # the other company still sees the bundled profile
    assert (
        platforms.get_profile(session, platform="shopee", actor=owner_actor(session, other)).facts[
            "fees"
        ]["value"]["commission_pct"]
        == 8
    )
    bad = copy.deepcopy(facts)
    bad["fees"]["source"] = ""
    with pytest.raises(InvalidInput, match="every figure needs its source"):
        platforms.update_profile(session, platform="shopee", facts=bad, note="x", actor=actor)
    with pytest.raises(InvalidInput, match="no profile for platform"):
        platforms.get_profile(session, platform="myspace", actor=actor)
    _, viewer = make_member(session, company=company, role=Role.MARKETING)
    _, cs = make_member(session, company=company, role=Role.CUSTOMER_SERVICE)
    with pytest.raises(PermissionDenied):
        platforms.update_profile(session, platform="shopee", facts=facts, note="x", actor=cs)
    assert session.scalar(select(func.count()).select_from(PlatformProfileVersion)) == 1
    assert platforms.get_profile(session, platform="shopee", actor=viewer).version == 1


def test_selection_run_on_three_bundled_platforms_is_kept(session: Session) -> None:
    company, other = make_company(session), make_company(session)
    actor = owner_actor(session, company)
    run = platforms.run_platform_selection(
        session,
        request=SelectionRequest(
            platforms=["amazon", "shopee", "ebay"],
            target_markets=["US", "MY"],
            category="phone accessories",
        ),
        actor=actor,
    )
    assert run.id is not None
    assert {s.platform for s in run.scores} == {"amazon", "shopee", "ebay"}
    assert [s.rank for s in run.scores] == [1, 2, 3]
    assert run.recommendation.startswith("Recommend ")
    assert len(run.sensitivity) == 14  # 7 criteria × (halved, raised by half)
    kept = platforms.list_selections(session, actor=actor)
    assert [k.id for k in kept] == [run.id]
    assert kept[0].recommendation == run.recommendation
    with pytest.raises(NotFound):
        platforms.get_selection(session, selection_id=run.id, actor=owner_actor(session, other))
