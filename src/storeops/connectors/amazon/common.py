"""What Amazon's reports share: marketplaces by sales channel and their countries."""

from __future__ import annotations

from storeops.connectors.errors import FileRefused
from storeops.connectors.framework import ImportContext

# sales-channel / marketplace-name as reports print them → the marketplace's country
MARKETPLACE_COUNTRY: dict[str, str] = {
    "amazon.com": "US", "amazon.ca": "CA", "amazon.com.mx": "MX", "amazon.com.br": "BR",
    "amazon.co.uk": "GB", "amazon.de": "DE", "amazon.fr": "FR", "amazon.it": "IT",
    "amazon.es": "ES", "amazon.nl": "NL", "amazon.se": "SE", "amazon.pl": "PL",
    "amazon.com.be": "BE", "amazon.com.tr": "TR", "amazon.ae": "AE", "amazon.sa": "SA",
    "amazon.eg": "EG", "amazon.in": "IN", "amazon.co.jp": "JP", "amazon.com.au": "AU",
    "amazon.sg": "SG", "amazon.ie": "IE",
}  # fmt: skip
_SITE_ALIASES = {"UK": "GB"}


def store_country(ctx: ImportContext) -> str | None:
    """The country of the store's site (``DE`` for site DE, ``GB`` for UK), if it is one."""
    site = ctx.site.strip().upper()
    site = _SITE_ALIASES.get(site, site)
    return site if len(site) == 2 and site.isalpha() else None


def check_marketplaces(channels: set[str], ctx: ImportContext, column: str) -> None:
    """``FileRefused`` when the file's Amazon marketplaces are not the store's site."""
    expected = store_country(ctx)
    if expected is None:
        return
    foreign = sorted(
        c for c in channels if MARKETPLACE_COUNTRY.get(c.lower(), expected) != expected
    )
    if foreign:
        raise FileRefused(
            f"the file is for {', '.join(foreign)} but store {ctx.store_name!r} sells on "
            f"Amazon {ctx.site}; import it into that marketplace's store",
            field=column,
            marketplaces=foreign,
        )
