"""WooCommerce: REST API v3 payloads (orders)."""
