"""Errors of the market domain."""

from __future__ import annotations

from storeops.errors import Conflict, InvalidInput


class MarketImportInvalid(InvalidInput):
    """A market data file has bad rows; ``details["errors"]`` lists row, column and reason."""

    code = "market_import_invalid"


class DuplicateRuleSet(Conflict):
    code = "duplicate_rule_set"


class UnknownPlatform(InvalidInput):
    code = "unknown_platform"


class DuplicateIpRight(Conflict):
    code = "duplicate_ip_right"
