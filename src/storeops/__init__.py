"""storeops: the operations system for cross-border e-commerce stores (T/CCPITCSC 111-2022)."""

__version__ = "0.1.0"
