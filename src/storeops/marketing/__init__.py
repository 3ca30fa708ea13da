"""Promotions, paid ads, live streams, social media, and the traffic they bring (stage 5)."""
