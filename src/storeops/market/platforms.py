"""Platform profiles (bundled, editable, versioned per company) and 1.2.1 platform selection."""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.auth.service import record_audit
from storeops.errors import InvalidInput
from storeops.market import selection as scoring
from storeops.market.errors import UnknownPlatform
from storeops.market.models import PlatformProfileVersion, PlatformSelection
from storeops.market.schemas import (
    CriterionScore,
    PlatformProfileRead,
    PlatformScore,
    SelectionRead,
    SelectionRequest,
    SensitivityRow,
)
from storeops.market.scoping import company_scoped, get_company_scoped

DATA_FILE = Path(__file__).parent / "data" / "platforms.json"
BUNDLED_BY = "storeops bundled data"
FACTS = (
    "markets",
    "business_model",
    "fees",
    "settlement",
    "logistics",
    "category_strengths",
    "entry_requirements",
    "ratings",
)
STATUSES = ("published", "to_verify", "editorial")
RATINGS = ("traffic", "competition", "entry_difficulty", "policy_currency_risk")


@lru_cache(maxsize=1)
def bundled_profiles() -> dict[str, dict[str, Any]]:
    """The profiles shipped with storeops, by platform key (file order)."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {p["key"]: p for p in data["platforms"]}


def platform_keys() -> list[str]:
    """Every platform and social channel with a profile."""
    return list(bundled_profiles())


def _check_key(platform: str) -> str:
    key = (platform or "").strip().lower()
    if key not in bundled_profiles():
        raise UnknownPlatform(
            f"no profile for platform {platform!r}; choose one of: {', '.join(platform_keys())}",
            field="platform",
        )
    return key


def validate_facts(key: str, facts: dict[str, Any]) -> dict[str, Any]:
    """A profile's facts checked: every fact has a value, a source, a date and a status."""
    clean: dict[str, Any] = {}
    for fact in FACTS:
        entry = facts.get(fact)
        if not isinstance(entry, dict) or "value" not in entry:
            raise InvalidInput(f"{fact}: needs a value", field=fact)
        source = str(entry.get("source", "")).strip()
        if not source:
            raise InvalidInput(f"{fact}: every figure needs its source", field=fact)
        try:
            as_of = dt.date.fromisoformat(str(entry.get("as_of", "")))
        except ValueError:
            raise InvalidInput(
                f"{fact}: as_of must be the date of the information (YYYY-MM-DD)", field=fact
            ) from None
        status = entry.get("status", "to_verify")
        if status not in STATUSES:
            raise InvalidInput(f"{fact}: status is one of {', '.join(STATUSES)}", field=fact)
        clean[fact] = {
            "value": entry["value"],
            "source": source,
            "as_of": as_of.isoformat(),
            "status": status,
        }
    markets = clean["markets"]["value"]
    if not isinstance(markets, list) or not markets:
        raise InvalidInput("markets: a list of country codes or 'global'", field="markets")
    fees = clean["fees"]["value"]
    try:
        commission = float(fees["commission_pct"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput("fees: needs commission_pct, a number", field="fees") from None
    if not 0 <= commission <= 100:
        raise InvalidInput("fees: commission_pct is between 0 and 100", field="fees")
    ratings = clean["ratings"]["value"]
    for rating in RATINGS:
        value = ratings.get(rating) if isinstance(ratings, dict) else None
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidInput(f"ratings: {rating} is a whole number 1-5", field="ratings")
    for listed in ("logistics", "category_strengths", "entry_requirements"):
        if not isinstance(clean[listed]["value"], list):
            raise InvalidInput(f"{listed}: a list", field=listed)
    base = bundled_profiles()[key]
    return {
        "key": key,
        "name": base["name"],
        "group": base["group"],
        "models": base["models"],
        **clean,
    }


def _latest(session: Session, actor: Actor) -> dict[str, PlatformProfileVersion]:
    newest = (
        company_scoped(
            select(
                PlatformProfileVersion.platform,
                func.max(PlatformProfileVersion.version).label("version"),
            ),
            PlatformProfileVersion,
            actor,
        )
        .group_by(PlatformProfileVersion.platform)
        .subquery()
    )
    stmt = company_scoped(select(PlatformProfileVersion), PlatformProfileVersion, actor).join(
        newest,
        (newest.c.platform == PlatformProfileVersion.platform)
        & (newest.c.version == PlatformProfileVersion.version),
    )
    return {row.platform: row for row in session.scalars(stmt)}


def _bundled_read(key: str) -> PlatformProfileRead:
    return PlatformProfileRead(
        platform=key,
        version=0,
        facts=copy.deepcopy(bundled_profiles()[key]),
        note="as shipped with storeops",
        changed_by=BUNDLED_BY,
        changed_at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC),
    )


def _read(row: PlatformProfileVersion) -> PlatformProfileRead:
    return PlatformProfileRead(
        platform=row.platform,
        version=row.version,
        facts=row.facts,
        note=row.note,
        changed_by=row.changed_by,
        changed_at=row.changed_at,
    )


def list_profiles(session: Session, *, actor: Actor) -> list[PlatformProfileRead]:
    """1.2.1 The current profile of every platform: the company's latest version, else bundled."""
    actor.require(Permission.MARKET_READ)
    latest = _latest(session, actor)
    return [_read(latest[k]) if k in latest else _bundled_read(k) for k in platform_keys()]


def get_profile(session: Session, *, platform: str, actor: Actor) -> PlatformProfileRead:
    """The current profile of one platform."""
    actor.require(Permission.MARKET_READ)
    key = _check_key(platform)
    latest = _latest(session, actor)
    return _read(latest[key]) if key in latest else _bundled_read(key)


def profile_history(session: Session, *, platform: str, actor: Actor) -> list[PlatformProfileRead]:
    """Every version of a platform's profile, newest first; version 0 is the bundled one."""
    actor.require(Permission.MARKET_READ)
    key = _check_key(platform)
    rows = session.scalars(
        company_scoped(select(PlatformProfileVersion), PlatformProfileVersion, actor)
        .where(PlatformProfileVersion.platform == key)
        .order_by(PlatformProfileVersion.version.desc())
    )
    return [*(_read(r) for r in rows), _bundled_read(key)]


def update_profile(
    session: Session, *, platform: str, facts: dict[str, Any], note: str, actor: Actor
) -> PlatformProfileRead:
    """1.2.1 Record a new version of a platform's profile (figures with source and date)."""
    actor.require(Permission.MARKET_MANAGE)
    key = _check_key(platform)
    if not note.strip():
        raise InvalidInput("say why the profile changed", field="note")
    clean = validate_facts(key, facts)
    current = session.scalar(
        company_scoped(
            select(func.max(PlatformProfileVersion.version)), PlatformProfileVersion, actor
        ).where(PlatformProfileVersion.platform == key)
    )
    row = PlatformProfileVersion(
        company_id=actor.company_id,
        platform=key,
        version=int(current or 0) + 1,
        facts=clean,
        note=note.strip()[:400],
        changed_by=actor.label,
    )
    session.add(row)
    session.flush()
    record_audit(
        session,
        action="market.platform_profile_changed",
        actor=actor,
        target_type="platform_profile",
        target_id=row.id,
        platform=key,
        version=row.version,
    )
    return _read(row)


def _selection_read(
    row_id: int | None, created_at: dt.datetime | None, title: str, result: scoring.Selection
) -> SelectionRead:
    return SelectionRead(
        id=row_id,
        title=title,
        weights=result.weights,
        scores=[
            PlatformScore(
                platform=s.platform,
                total=round(s.total, 4),
                rank=i + 1,
                criteria=[
                    CriterionScore(
                        criterion=c.criterion,
                        score=round(c.score, 4),
                        weight=round(c.weight, 4),
                        reason=c.reason,
                    )
                    for c in s.criteria
                ],
            )
            for i, s in enumerate(result.ranking)
        ],
        sensitivity=[
            SensitivityRow(
                criterion=s.criterion,
                change=f"x{s.factor:g}",
                winner=s.winner,
                winner_changes=s.winner_changes,
            )
            for s in result.sensitivity
        ],
        robust=result.robust,
        recommendation=result.recommendation,
        created_at=created_at,
    )


def run_platform_selection(
    session: Session, *, request: SelectionRequest, actor: Actor
) -> SelectionRead:
    """1.2.1 Score candidate platforms for the company (weighted criteria, sensitivity to the
    weights, written recommendation) and keep the run as evidence."""
    actor.require(Permission.MARKET_MANAGE)
    keys = []
    for platform in request.platforms:
        key = _check_key(platform)
        if key in keys:
            raise InvalidInput(f"{key} is named twice", field="platforms")
        keys.append(key)
    current = {p.platform: p.facts for p in list_profiles(session, actor=actor)}
    result = scoring.select_platforms(
        [current[k] for k in keys],
        target_markets=request.target_markets,
        category=request.category,
        model=request.model,
        weights=request.weights,
    )
    read = _selection_read(None, None, request.title, result)
    row = PlatformSelection(
        company_id=actor.company_id,
        title=request.title.strip() or "Platform selection",
        inputs=request.model_dump(mode="json"),
        result=read.model_dump(mode="json"),
        recommendation=result.recommendation,
        created_by=actor.label,
    )
    session.add(row)
    session.flush()
    record_audit(
        session,
        action="market.platform_selection",
        actor=actor,
        target_type="platform_selection",
        target_id=row.id,
    )
    return read.model_copy(update={"id": row.id, "created_at": row.created_at})


def list_selections(session: Session, *, actor: Actor) -> list[SelectionRead]:
    """1.2.1 The company's platform selection runs, newest first."""
    actor.require(Permission.MARKET_READ)
    rows = session.scalars(
        company_scoped(select(PlatformSelection), PlatformSelection, actor).order_by(
            PlatformSelection.id.desc()
        )
    )
    return [
        SelectionRead.model_validate({**r.result, "id": r.id, "created_at": r.created_at})
        for r in rows
    ]


def get_selection(session: Session, *, selection_id: int, actor: Actor) -> SelectionRead:
    """One platform selection run of the company."""
    actor.require(Permission.MARKET_READ)
    row = get_company_scoped(
        session, PlatformSelection, selection_id, actor, what="platform selection"
    )
    return SelectionRead.model_validate({**row.result, "id": row.id, "created_at": row.created_at})
