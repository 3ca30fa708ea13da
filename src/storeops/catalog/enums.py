"""Status flows and kinds of the catalog."""

from __future__ import annotations

from enum import StrEnum

from storeops.errors import IllegalTransition


class ListingStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    INACTIVE = "inactive"  # hidden / delisted (3.2.6)
    DELETED = "deleted"


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


class CompetitorKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    POTENTIAL = "potential"


LISTING_TRANSITIONS: dict[ListingStatus, frozenset[ListingStatus]] = {
    ListingStatus.DRAFT: frozenset({ListingStatus.ACTIVE, ListingStatus.DELETED}),
    ListingStatus.ACTIVE: frozenset({ListingStatus.INACTIVE, ListingStatus.DELETED}),
    ListingStatus.INACTIVE: frozenset({ListingStatus.ACTIVE, ListingStatus.DELETED}),
    ListingStatus.DELETED: frozenset(),
}


def transition(current: ListingStatus, target: ListingStatus) -> ListingStatus:
    """``target`` if the listing status flow allows ``current → target``; ``IllegalTransition`` otherwise."""
    if target not in LISTING_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in LISTING_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} listing cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target


class ListingActionKind(StrEnum):
    """What an operator did to a listing from a review (3.2.6 zero-effect listings)."""

    HIDE = "hide"  # active → inactive
    DELETE = "delete"  # → deleted
    OPTIMISE = "optimise"  # kept live, queued for rework (title, images, price …)


ACTION_TARGET_STATUS: dict[ListingActionKind, ListingStatus | None] = {
    ListingActionKind.HIDE: ListingStatus.INACTIVE,
    ListingActionKind.DELETE: ListingStatus.DELETED,
    ListingActionKind.OPTIMISE: None,
}
