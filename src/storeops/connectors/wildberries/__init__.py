"""Wildberries: statistics API payloads (orders)."""
