"""Connectors: file importers for each platform's seller-centre exports and API clients (DESIGN §6)."""
