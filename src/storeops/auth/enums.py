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
    FINANCE_MANAGE = "finance.manage"
    # Domain areas: read = see the records, manage = create and change them.
    CATALOG_READ = "catalog.read"
    CATALOG_MANAGE = "catalog.manage"
    MARKETING_READ = "marketing.read"
    MARKETING_MANAGE = "marketing.manage"
    CRM_READ = "crm.read"
    CRM_MANAGE = "crm.manage"
    PII_READ = "pii.read"  # buyers' names, addresses, phones and e-mails unmasked
    ORDERS_READ = "orders.read"
    ORDERS_MANAGE = "orders.manage"
    LOGISTICS_READ = "logistics.read"
    LOGISTICS_MANAGE = "logistics.manage"
    SUPPLY_READ = "supply.read"
    SUPPLY_MANAGE = "supply.manage"
    MARKET_READ = "market.read"
    MARKET_MANAGE = "market.manage"
    IMPORT_RUN = "import.run"
    ANALYTICS_READ = "analytics.read"
    PLAYBOOK_READ = "playbook.read"
    PLAYBOOK_MANAGE = "playbook.manage"
    ASSESSMENT_RUN = "assessment.run"
    STAFF_READ = "staff.read"
    STAFF_MANAGE = "staff.manage"


P = Permission
_EVERYONE = frozenset({P.STORE_READ, P.STANDARD_READ, P.PLAYBOOK_READ})
_READ_OPERATIONS = frozenset(
    {P.CATALOG_READ, P.MARKETING_READ, P.ORDERS_READ, P.LOGISTICS_READ, P.ANALYTICS_READ}
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.MANAGER: frozenset(Permission) - {P.COMPANY_MANAGE},
    Role.OPERATOR: _EVERYONE
    | _READ_OPERATIONS
    | {
        P.ACCOUNT_READ,
        P.STORE_UPDATE,
        P.CATALOG_MANAGE,
        P.MARKETING_MANAGE,
        P.CRM_READ,
        P.CRM_MANAGE,
        P.ORDERS_MANAGE,
        P.LOGISTICS_MANAGE,
        P.SUPPLY_READ,
        P.SUPPLY_MANAGE,
        P.MARKET_READ,
        P.MARKET_MANAGE,
        P.IMPORT_RUN,
        P.PLAYBOOK_MANAGE,
    },
    Role.MARKETING: _EVERYONE
    | _READ_OPERATIONS
    | {P.MARKETING_MANAGE, P.MARKET_READ, P.MARKET_MANAGE, P.CRM_READ, P.PLAYBOOK_MANAGE},
    Role.CUSTOMER_SERVICE: _EVERYONE
    | {
        P.SERVICE_HOURS_MANAGE,
        P.CATALOG_READ,
        P.ORDERS_READ,
        P.ORDERS_MANAGE,
        P.LOGISTICS_READ,
        P.CRM_READ,
        P.CRM_MANAGE,
        P.PII_READ,
        P.PLAYBOOK_MANAGE,
    },
    Role.FINANCE: _EVERYONE
    | _READ_OPERATIONS
    | {
        P.ACCOUNT_READ,
        P.FINANCE_READ,
        P.FINANCE_MANAGE,
        P.SUPPLY_READ,
        P.IMPORT_RUN,
        P.PLAYBOOK_MANAGE,
    },
    Role.VIEWER: _EVERYONE | _READ_OPERATIONS,
    Role.TRAINEE: _EVERYONE | _READ_OPERATIONS,
}

ROLES_SEEING_ALL_STORES = frozenset({Role.OWNER})
