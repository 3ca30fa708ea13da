"""Every file importer by platform and report name."""

from __future__ import annotations

from typing import Any

from storeops.connectors.amazon.listings import MerchantListingsImporter
from storeops.connectors.amazon.orders import AllOrdersImporter
from storeops.connectors.amazon.returns import ReturnsImporter
from storeops.connectors.amazon.settlement import SettlementImporter
from storeops.connectors.amazon.spapi import SpApiOrdersImporter
from storeops.connectors.errors import UnknownReport
from storeops.connectors.framework import FileImporter
from storeops.connectors.ozon.postings import OzonPostingsImporter
from storeops.connectors.shopify.orders import ShopifyOrdersImporter
from storeops.connectors.wildberries.orders import WildberriesOrdersImporter
from storeops.connectors.woocommerce.orders import WooCommerceOrdersImporter

IMPORTERS: dict[tuple[str, str], type[FileImporter[Any]]] = {
    (cls.platform, cls.report): cls
    for cls in (
        AllOrdersImporter,
        MerchantListingsImporter,
        SettlementImporter,
        ReturnsImporter,
        ShopifyOrdersImporter,
        WooCommerceOrdersImporter,
        OzonPostingsImporter,
        WildberriesOrdersImporter,
        SpApiOrdersImporter,
    )
}


def importer_for(platform: str, report: str) -> FileImporter[Any]:
    """A fresh importer for ``platform``'s ``report``; ``UnknownReport`` listing what exists."""
    cls = IMPORTERS.get((platform.strip().lower(), report.strip().lower()))
    if cls is None:
        known = ", ".join(f"{p} {r}" for p, r in sorted(IMPORTERS))
        raise UnknownReport(f"no importer for {platform} {report}; known: {known}", field="report")
    return cls()


def catalogue() -> list[dict[str, str]]:
    """Platform, report, title and layout of every importer (for --help, the API and docs)."""
    return [
        {"platform": p, "report": r, "title": cls.title, "layout": cls.layout}
        for (p, r), cls in sorted(IMPORTERS.items())
    ]
