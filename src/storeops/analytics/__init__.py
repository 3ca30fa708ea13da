"""Figures over everything storeops holds: the overview now, the metric registry and warehouse next."""
