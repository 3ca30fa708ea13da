"""The console's pages, one module per area; ``register_pages`` adds them to NiceGUI."""

from __future__ import annotations

from storeops.web.pages import catalog, home, marketing, stage, standard


def register_pages() -> None:
    """Register every console page (NiceGUI keeps pages process-wide)."""
    home.register()
    standard.register()
    stage.register()
    catalog.register()
    marketing.register()
