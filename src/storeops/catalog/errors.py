"""Errors of the catalog domain."""

from __future__ import annotations

from storeops.errors import DomainError


class RuleDataError(DomainError):
    """A packaged rule file (listing quality, certificate requirements) is malformed."""

    code = "catalog_rule_data_invalid"


class NoQualityRules(DomainError):
    """The platform of a store has no listing quality rules yet."""

    code = "no_quality_rules"
