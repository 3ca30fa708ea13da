"""Find or create the catalog and CRM rows that imported orders point at.

Reports name products by the seller's SKU and the platform's item id (ASIN, item id …) and do not
identify buyers. Imported rows link to the company's SKU with the same code and to the store's
listing with the same external id; what is missing is created once, marked as imported, in a
placeholder category ``imported`` ("Imported, uncategorised") with cost 0 until the catalog team
completes it. Buyers the platform keeps anonymous become one pseudonymous buyer per store and
ship-to country (``amazon-anon-DE``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Category, Listing, Product, Sku
from storeops.connectors.framework import ImportContext
from storeops.crm.enums import BuyerKind
from storeops.crm.models import Buyer

T = TypeVar("T")
CHUNK = 5_000
IMPORTED_CATEGORY = "imported"


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in slices of at most ``size`` (bounded IN lists on every backend)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def tally(counts: dict[str, dict[str, int]], table: str, **moves: int) -> None:
    """Add inserted/updated/unchanged numbers of ``table`` into ``counts``."""
    entry = counts.setdefault(table, {"inserted": 0, "updated": 0, "unchanged": 0})
    for key, value in moves.items():
        entry[key] = entry.get(key, 0) + value


@dataclass(frozen=True, slots=True)
class SeenItem:
    """A product as a report shows it: the seller's SKU, the platform item id, a title, a price."""

    sku: str
    external_id: str
    title: str
    price_amount: int
    seen_on: dt.date


def imported_category_id(session: Session, company_id: int) -> int:
    """The company's placeholder category for imported products (created on first use)."""
    stmt = select(Category.id).where(
        Category.company_id == company_id, Category.code == IMPORTED_CATEGORY
    )
    found = session.scalar(stmt)
    if found is None:
        session.execute(
            insert(Category),
            [
                {
                    "company_id": company_id,
                    "parent_id": None,
                    "code": IMPORTED_CATEGORY,
                    "name_zh": "导入待归类",
                    "name_en": "Imported, uncategorised",
                }
            ],
        )
        found = session.scalar(stmt)
    assert found is not None
    return int(found)


def anonymous_buyers(
    session: Session, ctx: ImportContext, first_seen: dict[str, dt.datetime], counts: Any
) -> dict[str, int]:
    """Buyer ids by ship-to country: one pseudonymous buyer per store and country."""
    handles = {f"{ctx.platform}-anon-{country}": country for country in first_seen}
    stmt = select(Buyer.handle, Buyer.id).where(
        Buyer.store_id == ctx.store_id, Buyer.handle.in_(sorted(handles))
    )
    found = {h: int(i) for h, i in session.execute(stmt).tuples()}
    missing = [
        {
            "store_id": ctx.store_id,
            "handle": handle,
            "kind": BuyerKind.CONSUMER,
            "country": country,
            "source": "marketplace",
            "company_name": None,
            "first_seen_at": first_seen[country],
        }
        for handle, country in handles.items()
        if handle not in found
    ]
    if missing:
        session.execute(insert(Buyer), missing)
        found = {h: int(i) for h, i in session.execute(stmt).tuples()}
    tally(counts, "buyers", inserted=len(missing), unchanged=len(handles) - len(missing))
    return {handles[h]: i for h, i in found.items()}


def link_items(
    session: Session, ctx: ImportContext, items: Iterable[SeenItem], counts: Any
) -> dict[tuple[str, str], tuple[int, int]]:
    """(listing id, SKU id) for every (SKU code, external id), creating what is missing."""
    by_key: dict[tuple[str, str], SeenItem] = {}
    for item in items:
        by_key.setdefault((item.sku, item.external_id), item)
    if not by_key:
        return {}
    codes = sorted({sku for sku, _ in by_key})
    externals = sorted({ext for _, ext in by_key})
    skus = _skus(session, ctx.company_id, codes)
    listings = _listings(session, ctx.store_id, externals)
    missing_codes = [c for c in codes if c not in skus]
    if missing_codes:
        products = _products(session, ctx.company_id, missing_codes)
        category_id: int | None = None
        new_products = []
        for code in missing_codes:
            if code in products:
                continue
            item = next(i for (s, _), i in by_key.items() if s == code)
            listed = listings.get(item.external_id)
            if listed is not None:
                products[code] = listed[1]
                continue
            if category_id is None:
                category_id = imported_category_id(session, ctx.company_id)
            new_products.append(
                {
                    "company_id": ctx.company_id,
                    "category_id": category_id,
                    "supplier_id": None,
                    "code": code,
                    "name_zh": item.title[:160],
                    "name_en": item.title[:200],
                    "brand": "",
                    "hs_code": "",
                    "launched_on": item.seen_on,
                    "has_battery": False,
                    "has_liquid": False,
                }
            )
        if new_products:
            session.execute(insert(Product), new_products)
            products = _products(session, ctx.company_id, missing_codes)
        tally(counts, "products", inserted=len(new_products))
        session.execute(
            insert(Sku),
            [
                {
                    "company_id": ctx.company_id,
                    "product_id": products[code],
                    "code": code,
                    "variant": "",
                    "cost_amount": 0,
                    "cost_currency": ctx.currency,
                    "weight_g": 0,
                    "length_mm": 0,
                    "width_mm": 0,
                    "height_mm": 0,
                }
                for code in missing_codes
            ],
        )
        skus = _skus(session, ctx.company_id, codes)
    tally(counts, "skus", inserted=len(missing_codes), unchanged=len(codes) - len(missing_codes))
    new_listings: list[dict[str, Any]] = []
    for external in externals:
        if external in listings:
            continue
        sku, item = next((s, i) for (s, e), i in by_key.items() if e == external)
        new_listings.append(
            {
                "store_id": ctx.store_id,
                "product_id": skus[sku][1],
                "group_id": None,
                "external_id": external,
                "title": item.title[:400],
                "bullet_points": [],
                "description": "",
                "attributes": {"imported": True, "seller_sku": sku},
                "price_amount": item.price_amount,
                "currency": ctx.currency,
                "image_count": 0,
                "video_count": 0,
                "logistics_template": None,
                "after_sales_template": None,
                "is_rts": False,
                "status": ListingStatus.ACTIVE,
                "created_by_user_id": None,
                "listed_on": item.seen_on,
                "updated_on": item.seen_on,
            }
        )
    if new_listings:
        session.execute(insert(Listing), new_listings)
        listings = _listings(session, ctx.store_id, externals)
    tally(
        counts,
        "listings",
        inserted=len(new_listings),
        unchanged=len(externals) - len(new_listings),
    )
    return {(s, e): (listings[e][0], skus[s][0]) for s, e in by_key}


def _skus(session: Session, company_id: int, codes: Sequence[str]) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for part in chunks(codes):
        stmt = select(Sku.code, Sku.id, Sku.product_id).where(
            Sku.company_id == company_id, Sku.code.in_(part)
        )
        found.update({c: (int(i), int(p)) for c, i, p in session.execute(stmt).tuples()})
    return found


def _products(session: Session, company_id: int, codes: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in chunks(codes):
        stmt = select(Product.code, Product.id).where(
            Product.company_id == company_id, Product.code.in_(part)
        )
        found.update({c: int(i) for c, i in session.execute(stmt).tuples()})
    return found


def _listings(
    session: Session, store_id: int, externals: Sequence[str]
) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for part in chunks(externals):
        stmt = select(Listing.external_id, Listing.id, Listing.product_id).where(
            Listing.store_id == store_id, Listing.external_id.in_(part)
        )
        found.update({e: (int(i), int(p)) for e, i, p in session.execute(stmt).tuples()})
    return found
