"""Kinds used by marketing records."""

from __future__ import annotations

from enum import StrEnum


class TrafficSource(StrEnum):
    """Where a visit came from (6.1.3 / 6.1.9 / 6.2.2)."""

    ORGANIC_SEARCH = "organic_search"
    CATEGORY = "category"  # browsing: category pages, home page, recommendations
    PAID = "paid"  # on-platform ads (P4P / sponsored products)
    OFF_PLATFORM = "off_platform"  # social media, search engines, e-mail
    LIVE_STREAM = "live_stream"


class PromotionKind(StrEnum):
    DISCOUNT = "discount"
    COUPON = "coupon"
    THRESHOLD = "threshold"  # 满减: spend X, save Y
    PLATFORM_EVENT = "platform_event"  # Prime Day, 11.11, 12.12 …


class AdKind(StrEnum):
    SPONSORED_PRODUCTS = "sponsored_products"  # P4P / 直通车 / keyword ads
    BRAND = "brand"
    DISPLAY = "display"
