"""Platforms, business models and the store status flow."""

from __future__ import annotations

from enum import StrEnum

from storeops.errors import IllegalTransition


class Platform(StrEnum):
    ALIBABA_COM = "alibaba_com"
    AMAZON = "amazon"
    ALIEXPRESS = "aliexpress"
    EBAY = "ebay"
    WISH = "wish"
    JOOM = "joom"
    SHOPEE = "shopee"
    LAZADA = "lazada"
    JUMIA = "jumia"
    OZON = "ozon"
    COUPANG = "coupang"
    WILDBERRIES = "wildberries"
    TIKTOK_SHOP = "tiktok_shop"
    SHOPIFY = "shopify"
    WOOCOMMERCE = "woocommerce"
    OTHER = "other"


class BusinessModel(StrEnum):
    B2B = "b2b"
    B2C = "b2c"


class StoreStatus(StrEnum):
    PREPARING = "preparing"  # 1.2.2 / 2.1.1 documents being gathered, not yet approved
    ACTIVE = "active"
    SUSPENDED = "suspended"  # by the platform (account health) or by the company
    CLOSED = "closed"


class AccountKind(StrEnum):
    MAIN = "main"
    SUB = "sub"


STORE_TRANSITIONS: dict[StoreStatus, frozenset[StoreStatus]] = {
    StoreStatus.PREPARING: frozenset({StoreStatus.ACTIVE, StoreStatus.CLOSED}),
    StoreStatus.ACTIVE: frozenset({StoreStatus.SUSPENDED, StoreStatus.CLOSED}),
    StoreStatus.SUSPENDED: frozenset({StoreStatus.ACTIVE, StoreStatus.CLOSED}),
    StoreStatus.CLOSED: frozenset(),
}


def transition(current: StoreStatus, target: StoreStatus) -> StoreStatus:
    """``target`` if the store status flow allows ``current → target``; ``IllegalTransition`` otherwise."""
    if target not in STORE_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in STORE_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} store cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target
