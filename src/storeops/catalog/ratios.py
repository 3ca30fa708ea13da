"""Ratios the catalog and marketing reports share, each defined once here.

These are analytics metrics (CTR, CVR, ACoS, ROAS …); the metric registry in ``analytics`` is the
place they should end up, at which point these become thin wrappers around it.
"""

from __future__ import annotations


def ratio(numerator: int, denominator: int, digits: int = 4) -> float | None:
    """``numerator / denominator`` rounded, or ``None`` when the denominator is 0."""
    if denominator == 0:
        return None
    return round(numerator / denominator, digits)


def ctr(clicks: int, impressions: int) -> float | None:
    """Click-through rate: clicks ÷ impressions."""
    return ratio(clicks, impressions)


def cvr(orders: int, visitors_or_clicks: int) -> float | None:
    """Conversion rate: orders ÷ visitors (listings) or ÷ clicks (ads)."""
    return ratio(orders, visitors_or_clicks)


def per_day(total: int, days: int) -> float:
    """A total as a daily average, 2 decimals (0 for an empty period)."""
    return round(total / days, 2) if days > 0 else 0.0


def cpc(spend: int, clicks: int) -> int | None:
    """Cost per click in minor units (rounded half up), or ``None`` without clicks."""
    if clicks == 0:
        return None
    return (2 * spend + clicks) // (2 * clicks)


def acos(spend: int, sales: int) -> float | None:
    """Advertising cost of sales: ad spend ÷ ad-attributed sales (same currency)."""
    return ratio(spend, sales)


def roas(spend: int, sales: int) -> float | None:
    """Return on ad spend: ad-attributed sales ÷ ad spend."""
    return ratio(sales, spend, digits=2)
