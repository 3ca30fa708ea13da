"""OZON: Seller API payloads (FBS postings)."""
