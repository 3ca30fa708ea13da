"""Roles and permissions: which role may do what, held as one table."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    OPERATOR = "operator"
    MARKETING = "marketing"
    CUSTOMER_SERVICE = "customer_service"
    FINANCE = "finance"
    VIEWER = "viewer"
    TRAINEE = "trainee"


class Permission(StrEnum):
    COMPANY_MANAGE = "company.manage"
    USER_READ = "user.read"
    USER_MANAGE = "user.manage"
    STORE_READ = "store.read"
    STORE_CREATE = "store.create"
    STORE_UPDATE = "store.update"
    ACCOUNT_READ = "account.read"
    ACCOUNT_MANAGE = "account.manage"
    CREDENTIAL_WRITE = "credential.write"
    SERVICE_HOURS_MANAGE = "service_hours.manage"
    STANDARD_READ = "standard.read"
    AUDIT_READ = "audit.read"
    FINANCE_READ = "finance.read"


_EVERYONE = frozenset({Permission.STORE_READ, Permission.STANDARD_READ})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.MANAGER: frozenset(Permission) - {Permission.COMPANY_MANAGE},
    Role.OPERATOR: _EVERYONE | {Permission.ACCOUNT_READ, Permission.STORE_UPDATE},
    Role.MARKETING: _EVERYONE,
    Role.CUSTOMER_SERVICE: _EVERYONE | {Permission.SERVICE_HOURS_MANAGE},
    Role.FINANCE: _EVERYONE | {Permission.ACCOUNT_READ, Permission.FINANCE_READ},
    Role.VIEWER: _EVERYONE,
    Role.TRAINEE: _EVERYONE,
}

ROLES_SEEING_ALL_STORES = frozenset({Role.OWNER})
