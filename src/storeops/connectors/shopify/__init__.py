"""Shopify: REST Admin API payloads (orders, products)."""
