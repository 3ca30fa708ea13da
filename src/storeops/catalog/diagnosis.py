"""3.2.7 / 3.3.4 Product diagnosis: per listing, what holds it back (traffic, click-through,
conversion, price against competitors, reviews, content score) and the recommended action.

Benchmarks are the listing's own store in the same window: a listing is short of traffic below
half the store's median impressions, of click-through or conversion below 70 % of the store's
rate, overpriced above 115 % of the median competitor price in its category and currency.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Final

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.catalog.enums import ListingStatus
from storeops.catalog.facts import ListingActivity, listing_activity
from storeops.catalog.models import (
    CompetitorProduct,
    CompetitorSnapshot,
    Listing,
    Product,
)
from storeops.catalog.quality import check_listing_quality
from storeops.catalog.queries import visible_listings
from storeops.catalog.ratios import ctr, cvr
from storeops.catalog.zero_effect import check_window
from storeops.stores.models import Store

TRAFFIC_SHARE_OF_MEDIAN: Final = 0.5
RATE_SHARE_OF_STORE: Final = 0.7
PRICE_ABOVE_COMPETITORS: Final = 1.15
MIN_IMPRESSIONS_FOR_CTR: Final = 100
MIN_VISITORS_FOR_CVR: Final = 20
LOW_RATING: Final = 4.0
MIN_REVIEWS: Final = 3
GOOD_CONTENT: Final = 80
COMPETITOR_LOOKBACK_DAYS: Final = 90

ACTIONS: Final[dict[str, str]] = {
    "traffic": "add search keywords to the title and attributes; join ads or a promotion",
    "ctr": "improve the main image and the title; check the displayed price",
    "conversion": "improve the detail page: images, video, bullet points, price and reviews",
    "price": "review the price against competitors",
    "reviews": "answer and resolve poor reviews; check the product's quality",
    "content": "apply the fixes of the listing quality check",
}
ORDER: Final = tuple(ACTIONS)  # the funnel: a problem earlier in it is the one to fix first


class Problem(BaseModel):
    code: str
    detail: str
    action: str


class ListingDiagnosis(BaseModel):
    """3.2.7 / 3.3.4 One listing's figures in the window, its problems and the action to take."""

    listing_id: int
    store_id: int
    external_id: str
    title: str
    impressions: int
    clicks: int
    visitors: int
    orders: int
    ctr: float | None
    cvr: float | None
    price_amount: int
    currency: str
    competitor_median_price: int | None
    rating: float | None
    review_count: int
    quality_score: int | None
    problems: list[Problem]
    recommended_action: str | None


def _competitor_medians(
    session: Session, company_id: int, on: dt.date
) -> dict[tuple[int, str], int]:
    """Median latest competitor price per (category id, currency), from snapshots of the last
    ``COMPETITOR_LOOKBACK_DAYS`` days up to ``on``."""
    latest: dict[int, tuple[dt.date, int, int | None, str]] = {}
    rows = session.execute(
        select(
            CompetitorSnapshot.competitor_product_id,
            CompetitorSnapshot.observed_on,
            CompetitorSnapshot.price_amount,
            CompetitorProduct.category_id,
            CompetitorProduct.currency,
        )
        .join(CompetitorProduct, CompetitorProduct.id == CompetitorSnapshot.competitor_product_id)
        .where(
            CompetitorSnapshot.company_id == company_id,
            CompetitorSnapshot.observed_on <= on,
            CompetitorSnapshot.observed_on >= on - dt.timedelta(days=COMPETITOR_LOOKBACK_DAYS),
        )
    )
    for pid, observed, price, category, currency in rows:
        if pid not in latest or observed > latest[pid][0]:
            latest[pid] = (observed, int(price), category, currency)
    prices: dict[tuple[int, str], list[int]] = {}
    for _, price, category, currency in latest.values():
        if category is not None:
            prices.setdefault((category, currency), []).append(price)
    return {k: round(statistics.median(v)) for k, v in prices.items()}


def diagnose_listings(
    session: Session,
    *,
    actor: Actor,
    store_id: int,
    date_from: dt.date,
    date_to: dt.date,
    listing_ids: list[int] | None = None,
) -> list[ListingDiagnosis]:
    """3.2.7 / 3.3.4 Diagnose the store's active listings in the window, most problems first."""
    actor.require(Permission.CATALOG_READ)
    check_window(date_from, date_to)
    store = get_scoped(session, Store, store_id, actor, what="store")
    stmt = (
        visible_listings(select(Listing, Product.category_id), actor)
        .join(Product, Product.id == Listing.product_id)
        .where(Listing.store_id == store.id, Listing.status == ListingStatus.ACTIVE)
        .order_by(Listing.id)
    )
    rows = list(session.execute(stmt).tuples())
    activity = listing_activity(
        session, store_id=store.id, timezone=store.timezone, date_from=date_from, date_to=date_to
    )
    # store benchmarks over every active listing of the store, whoever owns it
    all_active = session.scalars(
        select(Listing.id).where(
            Listing.store_id == store.id, Listing.status == ListingStatus.ACTIVE
        )
    ).all()
    acts = [activity.get(i) or ListingActivity() for i in all_active]
    median_impressions = statistics.median([a.impressions for a in acts]) if acts else 0
    store_ctr = ctr(sum(a.clicks for a in acts), sum(a.impressions for a in acts))
    store_cvr = cvr(sum(a.orders for a in acts), sum(a.visitors for a in acts))
    medians = _competitor_medians(session, actor.company_id, date_to)
    wanted = set(listing_ids) if listing_ids is not None else None
    chosen = [(lst, cat) for lst, cat in rows if wanted is None or lst.id in wanted]
    scores = {
        q.listing_id: q.score
        for q in check_listing_quality(
            session, actor=actor, listing_ids=[lst.id for lst, _ in chosen]
        )
    }
    result = []
    for listing, category in chosen:
        a = activity.get(listing.id) or ListingActivity()
        listing_ctr, listing_cvr = ctr(a.clicks, a.impressions), cvr(a.orders, a.visitors)
        rating = round(a.rating_sum / a.review_count, 2) if a.review_count else None
        competitor = medians.get((category, listing.currency))
        problems: dict[str, str] = {}
        if a.impressions < TRAFFIC_SHARE_OF_MEDIAN * median_impressions:
            problems["traffic"] = (
                f"{a.impressions} impressions, under half the store's median of {median_impressions:g}"
            )
        if (
            a.impressions >= MIN_IMPRESSIONS_FOR_CTR
            and store_ctr
            and listing_ctr is not None
            and listing_ctr < RATE_SHARE_OF_STORE * store_ctr
        ):
            problems["ctr"] = f"click-through {listing_ctr:.2%} against the store's {store_ctr:.2%}"
        if (
            a.visitors >= MIN_VISITORS_FOR_CVR
            and store_cvr
            and listing_cvr is not None
            and listing_cvr < RATE_SHARE_OF_STORE * store_cvr
        ):
            problems["conversion"] = (
                f"conversion {listing_cvr:.2%} against the store's {store_cvr:.2%}"
            )
        if competitor and listing.price_amount > PRICE_ABOVE_COMPETITORS * competitor:
            problems["price"] = (
                f"price {listing.price_amount} is {listing.price_amount / competitor:.0%} of the "
                f"competitors' median {competitor} ({listing.currency} minor units)"
            )
        if rating is not None and a.review_count >= MIN_REVIEWS and rating < LOW_RATING:
            problems["reviews"] = f"average rating {rating} from {a.review_count} reviews"
        score = scores.get(listing.id)
        if score is not None and score < GOOD_CONTENT:
            problems["content"] = f"quality score {score} of 100"
        ordered = [
            Problem(code=c, detail=problems[c], action=ACTIONS[c]) for c in ORDER if c in problems
        ]
        result.append(
            ListingDiagnosis(
                listing_id=listing.id,
                store_id=listing.store_id,
                external_id=listing.external_id,
                title=listing.title,
                impressions=a.impressions,
                clicks=a.clicks,
                visitors=a.visitors,
                orders=a.orders,
                ctr=listing_ctr,
                cvr=listing_cvr,
                price_amount=listing.price_amount,
                currency=listing.currency,
                competitor_median_price=competitor,
                rating=rating,
                review_count=a.review_count,
                quality_score=score,
                problems=ordered,
                recommended_action=ordered[0].action if ordered else None,
            )
        )
    result.sort(key=lambda d: (-len(d.problems), d.listing_id))
    return result
