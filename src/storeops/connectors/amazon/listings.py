"""Amazon merchant listings report, all data (GET_MERCHANT_LISTINGS_ALL_DATA, "All Listings Report").

Layout: tab-separated, one row per seller SKU, 29 columns from ``item-name`` to ``status``, as in
the real German (amazon.de) report in the fixture ``amazon-listings-real/output.tsv``. Its quirks
are handled: dates are ``dd/mm/yyyy hh:mm:ss`` with the zone names MET/MEST, titles carry HTML
entities (``&uuml;``) and no-break spaces, and 16 bytes of PKCS#7 padding follow the last line.
The report carries no currency: prices are in the store's currency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Listing
from storeops.connectors.amazon.common import store_country
from storeops.connectors.amazon.orders import lock_store
from storeops.connectors.errors import FileRefused
from storeops.connectors.framework import Counts, FileImporter, ImportContext, Parsed
from storeops.connectors.linking import SeenItem, chunks, link_items
from storeops.connectors.values import (
    RowInvalid,
    clean_text,
    parse_datetime,
    parse_int,
    parse_money,
)

LISTINGS = cast(Table, Listing.__table__)
STATUS = {
    "active": ListingStatus.ACTIVE,
    "inactive": ListingStatus.INACTIVE,
    "incomplete": ListingStatus.DRAFT,
}
_EUROPEAN_ZONES = ("MET", "MEST", "CET", "CEST", "MEZ", "MESZ")
_EUROPE = frozenset(
    {"DE", "FR", "IT", "ES", "NL", "SE", "PL", "BE", "AT", "IE", "GB", "CZ", "DK", "LU", "TR"}
)


@dataclass(frozen=True, slots=True)
class ListingRow:
    row: int
    sku: str
    external_id: str
    title: str
    description: str
    price_amount: int
    quantity: int
    opened_at: dt.datetime
    status: ListingStatus
    attributes: dict[str, Any]
    zone: str


class MerchantListingsImporter(FileImporter[ListingRow]):
    """5.7 / 5.14 Amazon all-listings report → listings (and their SKUs and products)."""

    platform: ClassVar[str] = "amazon"
    report: ClassVar[str] = "listings"
    title: ClassVar[str] = "Amazon merchant listings (all data) report"
    layout: ClassVar[str] = "GET_MERCHANT_LISTINGS_ALL_DATA (tab-separated, one row per SKU)"
    required_columns: ClassVar[tuple[str, ...]] = (
        "item-name",
        "listing-id",
        "seller-sku",
        "price",
        "quantity",
        "open-date",
        "asin1",
        "status",
    )
    optional_columns: ClassVar[tuple[str, ...]] = (
        "item-description",
        "item-condition",
        "item-note",
        "fulfillment-channel",
        "merchant-shipping-group",
        "product-id",
        "product-id-type",
        "image-url",
    )

    def parse_row(
        self, row: int, cells: list[str], at: dict[str, int], ctx: ImportContext
    ) -> ListingRow:
        sku = cells[at["seller-sku"]].strip()
        if not sku:
            raise RowInvalid("seller-sku", "is empty", "")
        if len(sku) > 40:
            raise RowInvalid("seller-sku", "is longer than 40 characters", sku[:60])
        asin = cells[at["asin1"]].strip()
        listing_id = cells[at["listing-id"]].strip()
        external = asin or listing_id
        if not external:
            raise RowInvalid("asin1", "is empty and so is listing-id", "")
        if asin and (len(asin) != 10 or not asin.isalnum()):
            raise RowInvalid("asin1", "is not a 10-character ASIN", asin)
        title = clean_text(cells[at["item-name"]])
        if not title:
            raise RowInvalid("item-name", "is empty", "")
        raw_status = cells[at["status"]].strip()
        status = STATUS.get(raw_status.lower())
        if status is None:
            raise RowInvalid("status", "is not Active, Inactive or Incomplete", raw_status)
        raw_date = cells[at["open-date"]].strip()
        opened = parse_datetime(raw_date, "open-date", default_offset_minutes=None)
        zone = raw_date.rsplit(" ", 1)[-1].upper() if " " in raw_date else ""
        price = parse_money(cells[at["price"]], ctx.currency, "price", allow_negative=False)
        quantity_text = cells[at["quantity"]].strip()
        quantity = parse_int(quantity_text, "quantity") if quantity_text else 0
        extra = {
            name: clean_text(cells[at[name]])
            for name in self.optional_columns
            if name in at and name != "item-description" and cells[at[name]].strip()
        }
        description = clean_text(cells[at["item-description"]]) if "item-description" in at else ""
        return ListingRow(
            row=row,
            sku=sku,
            external_id=external,
            title=title[:400],
            description=description,
            price_amount=price,
            quantity=quantity,
            opened_at=opened,
            status=status,
            attributes={
                "seller_sku": sku,
                "listing_id": listing_id,
                "quantity": quantity,
                **{k.replace("-", "_"): v for k, v in extra.items()},
            },
            zone=zone,
        )

    def check_file(self, parsed: Parsed[ListingRow], ctx: ImportContext) -> None:
        country = store_country(ctx)
        european = sorted({r.zone for r in parsed.records if r.zone in _EUROPEAN_ZONES})
        if country is not None and european and country not in _EUROPE:
            raise FileRefused(
                f"the file's dates are in {'/'.join(european)} (a European marketplace's "
                f"report) but store {ctx.store_name!r} sells on Amazon {ctx.site}",
                field="open-date",
            )
        seen: dict[str, int] = {}
        for record in parsed.records:
            if record.sku in seen:
                raise FileRefused(
                    f"seller-sku {record.sku!r} appears in rows {seen[record.sku]} and "
                    f"{record.row}; a listings report has one row per SKU",
                    field="seller-sku",
                )
            seen[record.sku] = record.row

    def write(self, session: Session, records: Sequence[ListingRow], ctx: ImportContext) -> Counts:
        """Upsert one listing per ASIN; several seller SKUs of one ASIN are its offers."""
        counts: Counts = {}
        lock_store(session, ctx.store_id)
        zone = ZoneInfo(ctx.timezone)
        offers: dict[str, list[ListingRow]] = {}
        for r in records:
            offers.setdefault(r.external_id, []).append(r)
        externals = sorted(offers)
        before: set[str] = set()
        for part in chunks(externals):
            before.update(
                session.scalars(
                    select(Listing.external_id).where(
                        Listing.store_id == ctx.store_id, Listing.external_id.in_(part)
                    )
                )
            )
        links = link_items(
            session,
            ctx,
            (
                SeenItem(
                    r.sku,
                    r.external_id,
                    r.title,
                    r.price_amount,
                    r.opened_at.astimezone(zone).date(),
                )
                for r in records
            ),
            counts,
        )
        listing_of = {ext: links[(rows[0].sku, ext)][0] for ext, rows in offers.items()}
        current: dict[int, dict[str, Any]] = {}
        for id_part in chunks(sorted(listing_of.values())):
            query = select(
                LISTINGS.c.id,
                LISTINGS.c.title,
                LISTINGS.c.description,
                LISTINGS.c.price_amount,
                LISTINGS.c.status,
                LISTINGS.c.attributes,
                LISTINGS.c.listed_on,
            ).where(LISTINGS.c.id.in_(id_part))
            current.update({row["id"]: dict(row) for row in session.execute(query).mappings()})
        changes: list[dict[str, Any]] = []
        updated = unchanged = 0
        today = dt.datetime.now(zone).date()
        for external, rows in offers.items():
            listing_id = listing_of[external]
            have = current[listing_id]
            active = [r for r in rows if r.status == ListingStatus.ACTIVE]
            lead = min(active or rows, key=lambda r: (r.price_amount, r.row))
            status = (
                ListingStatus.ACTIVE
                if active
                else ListingStatus.INACTIVE
                if any(r.status == ListingStatus.INACTIVE for r in rows)
                else ListingStatus.DRAFT
            )
            want = {
                "title": lead.title,
                "description": lead.description,
                "price_amount": lead.price_amount,
                "status": status,
                "attributes": {
                    **(have["attributes"] or {}),
                    "imported": True,
                    "seller_sku": lead.sku,
                    "quantity": sum(r.quantity for r in rows),
                    "offers": [r.attributes | {"status": r.status.value} for r in rows],
                },
                "listed_on": min(r.opened_at for r in rows).astimezone(zone).date(),
            }
            if any(have[k] != v for k, v in want.items()):
                changes.append({"b_id": listing_id, **want, "updated_on": today})
                updated += external in before
            elif external in before:
                unchanged += 1
        if changes:
            stmt = (
                update(LISTINGS)
                .where(LISTINGS.c.id == bindparam("b_id"))
                .values({c: bindparam(c) for c in changes[0] if c != "b_id"})
            )
            session.execute(stmt, changes)
        entry = counts.setdefault("listings", {"inserted": 0, "updated": 0, "unchanged": 0})
        entry["updated"], entry["unchanged"] = updated, unchanged
        return counts
