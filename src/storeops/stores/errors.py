"""Errors of the stores domain."""

from __future__ import annotations

from storeops.errors import Conflict, DomainError


class DuplicateStore(Conflict):
    code = "duplicate_store"


class DuplicateCompany(Conflict):
    code = "duplicate_company"


class DuplicateAccount(Conflict):
    code = "duplicate_account"


class InvalidServiceHours(DomainError):
    code = "invalid_service_hours"
