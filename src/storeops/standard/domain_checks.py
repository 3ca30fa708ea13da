"""Assessment checks that measure with the domains' own rules (each figure defined once).

The catalog's per-platform listing quality rules (3.3.2 / 3.2.2), its launch plan (3.2.1 / 3.3.1),
its zero-effect finder and recorded listing actions (3.2.6), marketing's wasteful-keyword
rule (5.2.3) and market's account health against the platform rules (2.3.1). A check runs without a user: it reads as a read-only system actor
of the store's company that sees that one store (``assessment_reader``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission, Role
from storeops.auth.scoping import Actor
from storeops.catalog.enums import ListingActionKind, ListingStatus
from storeops.catalog.launch_plan import launch_plan_report
from storeops.catalog.models import Listing, ListingAction
from storeops.catalog.quality import check_listing_quality, rules_for
from storeops.catalog.zero_effect import find_zero_effect_listings
from storeops.market.health import account_health
from storeops.marketing.ads import DEFAULT_MIN_CLICKS, keyword_performance
from storeops.standard.checks import Outcome, Status, _completeness, _ids, _pct, check
from storeops.standard.figures import Window
from storeops.stores.models import Store


def assessment_reader(store: Store) -> Actor:
    """A read-only system actor of the store's company that sees only ``store``."""
    return Actor(
        company_id=store.company_id,
        role=Role.VIEWER,
        store_ids=frozenset({store.id}),
        label="assessment",
        permissions=frozenset(
            {Permission.CATALOG_READ, Permission.MARKETING_READ, Permission.MARKET_READ}
        ),
    )


def _grade(share: Decimal, evidenced: Decimal, partly: Decimal) -> Status:
    """``evidenced`` at or above ``evidenced``, ``partly`` at or above ``partly``, else missing."""
    return "evidenced" if share >= evidenced else "partly" if share >= partly else "missing"


# --- 3.3.2 / 3.2.2 listing quality ---------------------------------------------------------------

#: A listing passes the platform's quality rules at this score (the catalog console's default
#: "below 80" filter).
QUALITY_PASS_SCORE: Final = 80
QUALITY_EVIDENCED: Final = Decimal("0.95")
QUALITY_PARTLY: Final = Decimal("0.80")


def _quality(session: Session, store: Store) -> Outcome:
    if rules_for(store.platform) is None:
        # No per-platform rule file: the basic fields common to the platforms stand in.
        basic = _completeness(session, store)
        return Outcome(
            basic.status,
            f"no listing quality rules for {store.platform}; basic fields: {basic.detail}",
            basic.measured | {"rules": "basic"},
            basic.records,
        )
    scored = [
        q
        for q in check_listing_quality(session, actor=assessment_reader(store), store_id=store.id)
        if q.status == ListingStatus.ACTIVE.value
    ]
    measured: dict[str, Any] = {
        "rules": f"{store.platform} {scored[0].rules_version}" if scored else str(store.platform),
        "active": len(scored),
        "passing": 0,
        "pass_score": QUALITY_PASS_SCORE,
    }
    if not scored:
        return Outcome("missing", "the store has no active listing", measured)
    failing = [q for q in scored if q.score < QUALITY_PASS_SCORE]
    passing = len(scored) - len(failing)
    measured["passing"] = passing
    measured["average_score"] = round(sum(q.score for q in scored) / len(scored))
    fixes: dict[str, int] = {}
    for q in failing:
        for fix in q.fixes:
            fixes[fix.rule] = fixes.get(fix.rule, 0) + 1
    measured["failed_rules"] = dict(sorted(fixes.items()))
    top = ", ".join(
        f"{k} {v}" for k, v in sorted(fixes.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
    )
    detail = (
        f"{passing} of {len(scored)} active listings ({_pct(passing, len(scored))}) score "
        f"≥ {QUALITY_PASS_SCORE} on the {store.platform} rules"
        + (f"; most failed rules: {top}" if top else "")
    )
    status = _grade(Decimal(passing) / len(scored), QUALITY_EVIDENCED, QUALITY_PARTLY)
    worst = tuple(q.listing_id for q in sorted(failing, key=lambda q: (q.score, q.listing_id)))
    return Outcome(status, detail, measured, _ids("listing", worst))


_QUALITY_THRESHOLD = (
    "≥ 95 % of active listings score ≥ 80 on the platform's listing quality rules (evidenced), "
    "≥ 80 % (partly); platforms without a rule file: the basic fields"
)
_QUALITY_SOURCE = (
    "The catalog's per-platform listing quality rules (catalog/rules/listing_quality/*.toml, each "
    "rule citing its platform guideline)"
)
_QUALITY_ACTION = (
    "Fix the listed listings on the catalog's Listing quality check page, worst first."
)


@check("listing_quality_b2c", tasks=("3.3.2",), title="Listings pass the platform's quality rules",
       threshold=_QUALITY_THRESHOLD, source=_QUALITY_SOURCE + ". T/CCPITCSC 111-2022 3.3.2",
       action=_QUALITY_ACTION, applies_to="b2c")  # fmt: skip
def listing_quality_b2c(session: Session, store: Store, window: Window) -> Outcome:
    """3.3.2 Active listings pass the platform's listing quality rules."""
    return _quality(session, store)


@check("listing_quality_b2b", tasks=("3.2.2",), title="Listings pass the platform's quality rules",
       threshold=_QUALITY_THRESHOLD, source=_QUALITY_SOURCE + ". T/CCPITCSC 111-2022 3.2.2",
       action=_QUALITY_ACTION, applies_to="b2b")  # fmt: skip
def listing_quality_b2b(session: Session, store: Store, window: Window) -> Outcome:
    """3.2.2 Active listings pass the platform's listing quality rules."""
    return _quality(session, store)


# --- 3.2.6 zero-effect products handled -------------------------------------------------------------

ZERO_EFFECT_LOOK_BACK_DAYS: Final = 90
ZERO_EFFECT_EVIDENCED: Final = Decimal("0.05")
ZERO_EFFECT_PARTLY: Final = Decimal("0.15")


@check(
    "zero_effect_handled",
    tasks=("3.2.6",),
    title="Zero-effect products handled",
    threshold="active listings with no impression, click, inquiry or order in the 90 days to the "
    "last day and no recorded rework ≤ 5 % of active listings (evidenced), ≤ 15 % (partly)",
    source="Alibaba.com's 零效果产品 (no exposure in 90 days); zero-effect as the catalog defines it "
    "(catalog/zero_effect.py); T/CCPITCSC 111-2022 3.2.6",
    action="Hide, delete or rework (optimise) the listed zero-effect listings on the catalog's "
    "Zero-effect listings page.",
    applies_to="b2b",
)
def zero_effect_check(session: Session, store: Store, window: Window) -> Outcome:
    """3.2.6 Zero-effect listings hidden, deleted or reworked (recorded listing actions)."""
    date_from = window.end - dt.timedelta(days=ZERO_EFFECT_LOOK_BACK_DAYS - 1)
    reader = assessment_reader(store)
    found = find_zero_effect_listings(
        session, actor=reader, date_from=date_from, date_to=window.end, store_id=store.id
    )
    since = dt.datetime.combine(date_from, dt.time(), dt.UTC)
    actions = session.execute(
        select(ListingAction.listing_id, ListingAction.action)
        .join(Listing, Listing.id == ListingAction.listing_id)
        .where(
            Listing.store_id == store.id, ListingAction.at >= since, ListingAction.at < window.hi
        )
    ).all()
    reworked = {lid for lid, action in actions if action == ListingActionKind.OPTIMISE}
    unhandled = [z.listing_id for z in found if z.listing_id not in reworked]
    active = session.scalar(
        select(func.count())
        .select_from(Listing)
        .where(Listing.store_id == store.id, Listing.status == ListingStatus.ACTIVE)
    )
    counts: dict[str, int] = {}
    for _lid, action in actions:
        kind = ListingActionKind(action).value
        counts[kind] = counts.get(kind, 0) + 1
    measured: dict[str, Any] = {
        "window": [date_from.isoformat(), window.end.isoformat()],
        "active": active or 0,
        "zero_effect": len(found),
        "reworked": len(found) - len(unhandled),
        "unhandled": len(unhandled),
        "actions": dict(sorted(counts.items())),
    }
    if not active:
        return Outcome("not_applicable", "the store has no active listing", measured)
    detail = (
        f"{len(unhandled)} of {active} active listings ({_pct(len(unhandled), active)}) are "
        f"zero-effect over {date_from.isoformat()}–{window.end.isoformat()} and not handled; "
        f"{len(found) - len(unhandled)} zero-effect listings are being reworked, "
        f"{counts.get('hide', 0)} hidden and {counts.get('delete', 0)} deleted in the period"
    )
    share = Decimal(len(unhandled)) / Decimal(active)
    status: Status = (
        "evidenced"
        if share <= ZERO_EFFECT_EVIDENCED
        else "partly"
        if share <= ZERO_EFFECT_PARTLY
        else "missing"
    )
    return Outcome(status, detail, measured, _ids("listing", tuple(unhandled)))


# --- 5.2.3 wasteful ad keywords ------------------------------------------------------------------

WASTE_PARTLY: Final = Decimal("0.10")


@check(
    "wasteful_keywords",
    tasks=("5.2.3",),
    title="No ad spend left on wasteful keywords",
    threshold=f"no keyword with spend, ≥ {DEFAULT_MIN_CLICKS} clicks and no order in the period "
    "(evidenced); such keywords ≤ 10 % of the ad spend (partly)",
    source="Marketing's wasteful-keyword rule (marketing/ads.py, the same as the Paid ads page). "
    "T/CCPITCSC 111-2022 5.2.3: 诊断优化付费营销",
    action="Pause or rework the listed keywords on the Paid ads page.",
)
def wasteful_keywords_check(session: Session, store: Store, window: Window) -> Outcome:
    """5.2.3 Paid-ads keywords diagnosed: spend on wasteful keywords (marketing's rule)."""
    keywords = keyword_performance(
        session,
        actor=assessment_reader(store),
        store_id=store.id,
        date_from=window.start,
        date_to=window.end,
    )
    spend = sum(k.spend_amount for k in keywords)
    wasteful = [k for k in keywords if k.wasteful]
    wasted = sum(k.spend_amount for k in wasteful)
    measured: dict[str, Any] = {
        "keywords": len(keywords),
        "spend": spend,
        "wasteful": len(wasteful),
        "wasted_spend": wasted,
        "currency": store.currency,
    }
    if spend == 0:
        return Outcome("not_applicable", "no ad spend in the period", measured)
    detail = (
        f"{len(wasteful)} of {len(keywords)} keywords wasteful, {wasted} of {spend} "
        f"{store.currency} minor units of ad spend ({_pct(wasted, spend)})"
    )
    status: Status = (
        "evidenced" if not wasteful else "partly" if wasted <= WASTE_PARTLY * spend else "missing"
    )
    records = tuple(f"keyword:{k.campaign_id}:{k.keyword}" for k in wasteful[:10])
    return Outcome(status, detail, measured, records)


# --- 3.2.1 / 3.3.1 launch cadence against the plan ------------------------------------------------


def _launch(session: Session, store: Store, window: Window) -> Outcome:
    first = window.start + dt.timedelta(days=(7 - window.start.weekday()) % 7)
    last = window.end - dt.timedelta(days=(window.end.weekday() + 1) % 7 + 6)
    measured: dict[str, Any] = {"weeks": 0, "met": 0, "behind": 0, "no_plan": 0}
    if last < first:
        return Outcome("not_applicable", "the period holds no whole week (Monday-Sunday)", measured)
    report = launch_plan_report(
        session,
        actor=assessment_reader(store),
        store_id=store.id,
        week_from=first,
        week_to=last,
        today=window.end + dt.timedelta(days=1),  # every week of the period is over
    )
    states = [w.state for w in report.weeks]
    measured = {
        "weeks": len(states),
        "met": states.count("met"),
        "behind": states.count("behind"),
        "no_plan": states.count("no_plan"),
        "planned": report.planned_total,
        "launched": report.actual_total,
        "warnings": list(report.warnings),
    }
    detail = (
        f"{measured['met']} of {len(states)} weeks met the launch plan ({report.actual_total} "
        f"launched of {report.planned_total} planned); {measured['behind']} behind, "
        f"{measured['no_plan']} without a plan"
    )
    if measured["no_plan"] == len(states):
        return Outcome("missing", "no launch plan for the weeks of the period", measured)
    met_all = measured["met"] == len(states)
    status: Status = (
        "evidenced" if met_all else "partly" if 2 * measured["met"] >= len(states) else "missing"
    )
    records = tuple(f"week:{w.week_start.isoformat()}:{w.state}" for w in report.weeks
                    if w.state != "met")[:10]  # fmt: skip
    return Outcome(status, detail, measured, records)


_LAUNCH_THRESHOLD = (
    "every whole week of the period launched at least the planned number of new listings "
    "(evidenced); at least half of the weeks (partly); weeks without a plan count as not met"
)
_LAUNCH_SOURCE = "The catalog's launch plan (catalog/launch_plan.py: planned vs listed_on per week)"
_LAUNCH_ACTION = "Plan every week's new listings on the Launch plan page and launch them on time."


@check("launch_cadence_b2b", tasks=("3.2.1",), title="New listings launched to plan",
       threshold=_LAUNCH_THRESHOLD, source=_LAUNCH_SOURCE + ". T/CCPITCSC 111-2022 3.2.1",
       action=_LAUNCH_ACTION, applies_to="b2b")  # fmt: skip
def launch_cadence_b2b(session: Session, store: Store, window: Window) -> Outcome:
    """3.2.1 New listings launched per week against the launch plan."""
    return _launch(session, store, window)


@check("launch_cadence_b2c", tasks=("3.3.1",), title="New listings launched to plan",
       threshold=_LAUNCH_THRESHOLD, source=_LAUNCH_SOURCE + ". T/CCPITCSC 111-2022 3.3.1",
       action=_LAUNCH_ACTION, applies_to="b2c")  # fmt: skip
def launch_cadence_b2c(session: Session, store: Store, window: Window) -> Outcome:
    """3.3.1 New listings launched per week against the launch plan."""
    return _launch(session, store, window)


# --- 2.3.1 account health against the platform's rules -------------------------------------------


@check(
    "platform_rule_thresholds",
    tasks=("2.3.1",),
    title="Account health within the platform's rule thresholds",
    threshold="every measurable rule of the platform met on the last day and none projected to "
    "breach within the at-risk horizon (evidenced); met but at risk (partly); any rule breached "
    "(missing)",
    source="The platform rules in force (market/rules.py, market/data/rules.json, each rule with "
    "its source) measured by market/health.py. T/CCPITCSC 111-2022 2.3.1: 平台规则解读",
    action="Work the breached and at-risk metrics on the Account health page back within the rules.",
)
def platform_rules_check(session: Session, store: Store, window: Window) -> Outcome:
    """2.3.1 The store's account health against its platform's measurable rules."""
    health = account_health(
        session, store_id=store.id, actor=assessment_reader(store), as_of=window.end
    )
    by_status: dict[str, list[str]] = {}
    for c in health.checks:
        by_status.setdefault(c.status, []).append(c.rule_code)
    measured: dict[str, Any] = {
        "rule_set": health.rule_set_version,
        "as_of": health.as_of.isoformat(),
        "rules": {c.rule_code: {"status": c.status, "value": c.value, "threshold": c.threshold,
                                "comparator": str(c.comparator)} for c in health.checks},
    }  # fmt: skip
    measured_rules = [c for c in health.checks if c.status != "no_data"]
    if not measured_rules:
        return Outcome(
            "not_applicable",
            f"no measurable rule of {store.platform} has data on {health.as_of.isoformat()}",
            measured,
        )
    breached = by_status.get("breached", [])
    at_risk = by_status.get("at_risk", [])
    detail = (
        f"{len(by_status.get('ok', []))} of {len(measured_rules)} measured rules of "
        f"{store.platform} met on {health.as_of.isoformat()}"
        + (f"; breached: {', '.join(breached)}" if breached else "")
        + (f"; at risk: {', '.join(at_risk)}" if at_risk else "")
    )
    status: Status = "missing" if breached else "partly" if at_risk else "evidenced"
    records = tuple(f"rule:{code}" for code in breached + at_risk)
    return Outcome(status, detail, measured, records)
