"""Status flows and kinds of the catalog."""

from __future__ import annotations

from enum import StrEnum


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
