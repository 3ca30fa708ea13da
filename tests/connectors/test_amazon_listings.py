"""The real German all-listings report: MEST dates, HTML entities, padding bytes, 40 rows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Listing, Sku
from storeops.connectors import service
from storeops.connectors.enums import ImportStatus
from storeops.connectors.errors import FileRefused
from storeops.connectors.models import ImportJob
from tests.connectors.factories import FIXTURES, amazon_store

REPORT = FIXTURES / "amazon-listings-real" / "output.tsv"


def run(session: Session, store_id: int, actor, data: bytes, **options) -> ImportJob:
    job = service.start_import(
        session,
        store_id=store_id,
        platform="amazon",
        report="listings",
        file_name="output.tsv",
        data=data,
        actor=actor,
        **options,
    )
    return service.execute_import(session, job=job, data=data, actor=actor, force=True)


def test_the_german_report_is_imported_with_its_values(session: Session) -> None:
    store, actor = amazon_store(session, site="DE", currency="EUR")
    store.timezone = "Europe/Berlin"
    job = run(session, store.id, actor, REPORT.read_bytes())
    assert job.status == ImportStatus.SUCCEEDED, job.message
    assert (job.rows_total, job.rows_imported) == (40, 40)
    assert job.encoding == "utf-8" and job.delimiter == "\t"
    assert "16 padding bytes" in job.message
    rows = session.scalars(select(Listing).where(Listing.store_id == store.id)).all()
    # 40 SKUs on 37 ASINs: three ASINs are offered under two SKUs each
    assert len(rows) == 37
    assert sorted(len(x.attributes["offers"]) for x in rows)[-4:] == [1, 2, 2, 2]
    listings = {o["seller_sku"]: x for x in rows for o in x.attributes["offers"]}
    assert len(listings) == 40
    first = listings["0J-3QVQ-PCR5"]
    assert first.external_id == "B005X64OA8"
    assert first.title.startswith("Intel Core i7-2700K Quad-Core Prozessor Boxed")
    assert first.price_amount == 14500  # "145" EUR
    assert first.status == ListingStatus.ACTIVE
    # "02/05/2020 05:18:00 MEST": 2 May 2020, 05:18 at UTC+2 → the same day in Berlin
    assert first.listed_on == dt.date(2020, 5, 2)
    offer = next(o for o in first.attributes["offers"] if o["seller_sku"] == "0J-3QVQ-PCR5")
    assert (offer["quantity"], offer["listing_id"], offer["status"]) == (6, "0502XUAPBL9", "active")
    assert listings["3B-XU8B-4Y4I"].price_amount == 4496  # "44.96"
    # "31/12/2019 02:53:37 MET" (UTC+1) is still 31 December in Berlin
    assert listings["6C-FN23-5KEO"].listed_on == dt.date(2019, 12, 31)
    entity = [x for x in listings.values() if "&" in (x.description + x.title + str(x.attributes))]
    assert entity == []  # &uuml; and friends decoded
    assert any("ü" in str(x.attributes.get("item_note", "")) + x.title for x in listings.values())
    assert all("\u00a0" not in x.title for x in listings.values())
    statuses = {x.status for x in listings.values()}
    assert statuses == {ListingStatus.ACTIVE, ListingStatus.INACTIVE}
    skus = session.scalars(select(Sku.code).where(Sku.company_id == store.company_id)).all()
    assert sorted(skus) == sorted(listings)
    assert len(skus) == 40


def test_reimporting_the_report_changes_nothing_and_a_price_change_updates_one(
    session: Session,
) -> None:
    store, actor = amazon_store(session, site="DE", currency="EUR")
    data = REPORT.read_bytes()
    run(session, store.id, actor, data)
    again = run(session, store.id, actor, data)
    assert again.counts["listings"] == {"inserted": 0, "updated": 0, "unchanged": 37}
    changed = data.replace(b"\t0J-3QVQ-PCR5\t145\t", b"\t0J-3QVQ-PCR5\t139.90\t")
    assert changed != data
    third = run(session, store.id, actor, changed)
    assert third.counts["listings"] == {"inserted": 0, "updated": 1, "unchanged": 36}
    price = session.scalar(
        select(Listing.price_amount).where(
            Listing.store_id == store.id, Listing.external_id == "B005X64OA8"
        )
    )
    assert price == 13990


def test_a_european_report_is_refused_for_a_us_store(session: Session) -> None:
    store, actor = amazon_store(session, site="US")
    with pytest.raises(FileRefused, match="MEST/MET"):
        run(session, store.id, actor, REPORT.read_bytes())
    assert session.scalars(select(Listing).where(Listing.store_id == store.id)).all() == []
