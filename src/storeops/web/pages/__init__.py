"""The console's pages, one module per area; ``register_pages`` adds them to NiceGUI."""

from __future__ import annotations

from storeops.web.pages import (
    analytics,
    assessment,
    catalog,
    crm,
    deals,
    finance,
    home,
    imports,
    logistics,
    market,
    marketing,
    orders,
    playbook,
    staff,
    stage,
    standard,
    supply,
)


def register_pages() -> None:
    """Register every console page (NiceGUI keeps pages process-wide)."""
    home.register()
    standard.register()
    stage.register()
    analytics.register()
    playbook.register()
    assessment.register()
    staff.register()
    crm.register()
    crm.register_buyers()
    crm.register_service()
    orders.register()
    deals.register()
    imports.register()
    logistics.register()
    finance.register()
    supply.register()
    market.register()
    catalog.register()
    marketing.register()
