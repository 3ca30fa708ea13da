"""3.3.2 Listing quality check: per-platform rules held as data, a score and the fixes per listing.

The rules live in ``catalog/rules/listing_quality/<platform>.toml``, one file per platform, each
rule citing the platform guideline (or the storeops threshold) it comes from. A listing's score is
the share of rule weight it passes, 0-100; every failed rule becomes one fix.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.catalog.enums import ListingStatus, MediaKind
from storeops.catalog.errors import NoQualityRules, RuleDataError
from storeops.catalog.models import Listing, MediaAsset
from storeops.catalog.queries import visible_listings
from storeops.stores.models import Store

RULE_KINDS: dict[str, tuple[str, ...]] = {
    # kind → the parameters a rule of that kind must give
    "required_fields": ("fields",),
    "title_length": ("min", "max"),
    "banned_words": ("words",),
    "image_count": ("min",),
    "image_size": ("min_px",),
    "bullet_count": ("min",),
    "description_length": ("min",),
    "attributes": ("required",),
}
CHECKABLE_FIELDS = frozenset(
    {"title", "description", "bullet_points", "logistics_template", "after_sales_template"}
)


@dataclass(frozen=True)
class QualityRule:
    """One rule of a platform: what it checks, how much it weighs, where it comes from."""

    id: str
    kind: str
    weight: int
    source: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PlatformRules:
    """The listing quality rules of one platform."""

    platform: str
    version: str
    rules: tuple[QualityRule, ...]

    @property
    def total_weight(self) -> int:
        return sum(r.weight for r in self.rules)


class QualityFix(BaseModel):
    """One failed rule of a listing and what to do about it."""

    rule: str
    kind: str
    message: str
    weight: int
    source: str


class ListingQuality(BaseModel):
    """3.3.2 The quality check of one listing: score 0-100 and the fixes, worst first."""

    listing_id: int
    store_id: int
    external_id: str
    title: str
    status: str
    platform: str
    rules_version: str
    score: int
    fixes: list[QualityFix]


class RuleRead(BaseModel):
    """A rule as interfaces show it."""

    id: str
    kind: str
    weight: int
    params: dict[str, Any]
    source: str


def _parse_rule(raw: dict[str, Any], where: str) -> QualityRule:
    for key in ("id", "kind", "weight", "source"):
        if key not in raw:
            raise RuleDataError(f"{where}: a rule has no {key!r}")
    kind = str(raw["kind"])
    if kind not in RULE_KINDS:
        raise RuleDataError(f"{where}: rule {raw['id']!r} has unknown kind {kind!r}")
    params = {k: v for k, v in raw.items() if k not in ("id", "kind", "weight", "source")}
    missing = [p for p in RULE_KINDS[kind] if p not in params]
    if missing:
        raise RuleDataError(f"{where}: rule {raw['id']!r} lacks {', '.join(missing)}")
    if kind == "required_fields" and not set(params["fields"]) <= CHECKABLE_FIELDS:
        unknown = sorted(set(params["fields"]) - CHECKABLE_FIELDS)
        raise RuleDataError(f"{where}: rule {raw['id']!r} names unknown fields {unknown}")
    weight = int(raw["weight"])
    if weight <= 0:
        raise RuleDataError(f"{where}: rule {raw['id']!r} needs a positive weight")
    source = str(raw["source"]).strip()
    if not source:
        raise RuleDataError(f"{where}: rule {raw['id']!r} cites no source")
    return QualityRule(id=str(raw["id"]), kind=kind, weight=weight, source=source, params=params)


def parse_rules(text: str, where: str) -> PlatformRules:
    """Rules from the TOML ``text`` of a rule file; ``RuleDataError`` naming what is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(f"{where} is not valid TOML: {exc}") from exc
    rules = tuple(_parse_rule(r, where) for r in raw.get("rule", []))
    if not rules:
        raise RuleDataError(f"{where} has no [[rule]]")
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise RuleDataError(f"{where}: rule ids repeat")
    return PlatformRules(
        platform=str(raw.get("platform", "")), version=str(raw.get("version", "")), rules=rules
    )


def _rule_dir() -> Any:
    return resources.files("storeops.catalog").joinpath("rules").joinpath("listing_quality")


@lru_cache(maxsize=32)
def rules_for(platform: str) -> PlatformRules | None:
    """The packaged rules of ``platform`` (a ``Platform`` value), or ``None`` if it has none yet."""
    source = _rule_dir().joinpath(f"{platform}.toml")
    if not source.is_file():
        return None
    return parse_rules(source.read_text(encoding="utf-8"), f"listing_quality/{platform}.toml")


def platforms_with_rules() -> list[str]:
    """Platforms that have a rule file."""
    return sorted(
        p.name.removesuffix(".toml") for p in _rule_dir().iterdir() if p.name.endswith(".toml")
    )


def list_rules(*, platform: str, actor: Actor) -> list[RuleRead]:
    """3.3.2 The listing quality rules of ``platform`` with their sources."""
    actor.require(Permission.CATALOG_READ)
    rules = rules_for(platform)
    if rules is None:
        raise NoQualityRules(
            f"no listing quality rules for platform {platform!r}; rules exist for: "
            + ", ".join(platforms_with_rules()),
            field="platform",
        )
    return [
        RuleRead(id=r.id, kind=r.kind, weight=r.weight, params=r.params, source=r.source)
        for r in rules.rules
    ]


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return True


def _failure(rule: QualityRule, listing: Listing, smallest_image_px: int | None) -> str | None:
    """Why ``listing`` fails ``rule``, or ``None`` when it passes."""
    p = rule.params
    if rule.kind == "required_fields":
        empty = [f for f in p["fields"] if not _filled(getattr(listing, f))]
        return f"fill in the empty fields: {', '.join(empty)}" if empty else None
    if rule.kind == "title_length":
        n = len(listing.title.strip())
        if n < p["min"]:
            return f"title has {n} characters; write at least {p['min']}"
        if n > p["max"]:
            return f"title has {n} characters; shorten it to at most {p['max']}"
        return None
    if rule.kind == "banned_words":
        title = listing.title.lower()
        found = [w for w in p["words"] if w.lower() in title]
        return f"remove from the title: {', '.join(repr(w) for w in found)}" if found else None
    if rule.kind == "image_count":
        if listing.image_count < p["min"]:
            return f"{listing.image_count} images; add at least {p['min'] - listing.image_count}"
        return None
    if rule.kind == "image_size":
        if smallest_image_px is None:
            return "no images of the product in the media library to measure; upload them"
        if smallest_image_px < p["min_px"]:
            return (
                f"the smallest product image is {smallest_image_px} px on its longest side; "
                f"replace images under {p['min_px']} px"
            )
        return None
    if rule.kind == "bullet_count":
        n = len([b for b in (listing.bullet_points or []) if str(b).strip()])
        return f"{n} bullet points; write at least {p['min']}" if n < p["min"] else None
    if rule.kind == "description_length":
        n = len((listing.description or "").strip())
        return (
            f"description has {n} characters; write at least {p['min']}" if n < p["min"] else None
        )
    if rule.kind == "attributes":
        attrs = listing.attributes or {}
        missing = [a for a in p["required"] if not _filled(attrs.get(a))]
        return f"fill in the attributes: {', '.join(missing)}" if missing else None
    raise RuleDataError(f"unknown rule kind {rule.kind!r}")  # parse_rules prevents this


def evaluate_listing(
    listing: Listing, rules: PlatformRules, *, platform: str, smallest_image_px: int | None
) -> ListingQuality:
    """3.3.2 Score one listing against ``rules``: passed weight / total weight, and the fixes."""
    fixes = []
    for rule in rules.rules:
        message = _failure(rule, listing, smallest_image_px)
        if message is not None:
            fixes.append(
                QualityFix(
                    rule=rule.id,
                    kind=rule.kind,
                    message=message,
                    weight=rule.weight,
                    source=rule.source,
                )
            )
    failed = sum(f.weight for f in fixes)
    total = rules.total_weight
    score = round(100 * (total - failed) / total)
    fixes.sort(key=lambda f: (-f.weight, f.rule))
    return ListingQuality(
        listing_id=listing.id,
        store_id=listing.store_id,
        external_id=listing.external_id,
        title=listing.title,
        status=listing.status.value,
        platform=platform,
        rules_version=rules.version,
        score=score,
        fixes=fixes,
    )


def smallest_image_sizes(
    session: Session, product_ids: set[int], company_id: int
) -> dict[int, int]:
    """Per product: the longest side, in px, of its smallest library image."""
    if not product_ids:
        return {}
    longest = case(
        (MediaAsset.width_px >= MediaAsset.height_px, MediaAsset.width_px),
        else_=MediaAsset.height_px,
    )
    rows = session.execute(
        select(MediaAsset.product_id, func.min(longest))
        .where(
            MediaAsset.company_id == company_id,
            MediaAsset.kind == MediaKind.IMAGE,
            MediaAsset.product_id.in_(sorted(product_ids)),
        )
        .group_by(MediaAsset.product_id)
    )
    return {int(p): int(px) for p, px in rows}


def check_listing_quality(
    session: Session,
    *,
    actor: Actor,
    store_id: int | None = None,
    listing_ids: list[int] | None = None,
    below: int | None = None,
) -> list[ListingQuality]:
    """3.3.2 Check the quality of the actor's listings (one store, given ids, or all), worst first.

    Deleted listings are skipped; listings of platforms without a rule file are left out
    (``platforms_with_rules`` lists the covered ones). ``below`` keeps scores under that value.
    """
    actor.require(Permission.CATALOG_READ)
    stmt = (
        visible_listings(select(Listing, Store.platform), actor)
        .join(Store, Store.id == Listing.store_id)
        .where(Listing.status != ListingStatus.DELETED)
        .order_by(Listing.id)
    )
    if store_id is not None:
        stmt = stmt.where(Listing.store_id == store_id)
    if listing_ids is not None:
        stmt = stmt.where(Listing.id.in_(sorted(set(listing_ids))))
    rows = list(session.execute(stmt).tuples())
    images = smallest_image_sizes(session, {lst.product_id for lst, _ in rows}, actor.company_id)
    results = []
    for listing, platform in rows:
        rules = rules_for(platform.value)
        if rules is None:
            continue
        result = evaluate_listing(
            listing,
            rules,
            platform=platform.value,
            smallest_image_px=images.get(listing.product_id),
        )
        if below is None or result.score < below:
            results.append(result)
    results.sort(key=lambda r: (r.score, r.listing_id))
    return results
