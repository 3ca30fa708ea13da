"""Payments, platform fees, payouts, FX settlement, refunds and tax rebates (stage 9.3)."""
