"""Buyers, leads, inquiries and RFQs, reviews and complaints (stage 7)."""
