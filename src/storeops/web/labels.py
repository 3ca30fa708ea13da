"""Translation helpers of the console and the labels of the values it shows.

Labels are marked with ``N_`` (a Babel default keyword) so ``pybabel extract`` and the catalog
test find them, and translated where they are shown with the page's translator ``_``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Final

from storeops.auth.enums import Role
from storeops.i18n import translate
from storeops.stores.enums import BusinessModel, Platform, StoreStatus

Translate = Callable[[str], str]

#: The language switch shows each language in its own language, as is customary.
LANGUAGE_NAMES: Final[dict[str, str]] = {"zh_CN": "中文", "en": "English"}
#: The ``lang`` attribute of the page for each locale.
HTML_LANG: Final[dict[str, str]] = {"zh_CN": "zh-CN", "en": "en"}


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (it is translated where shown)."""
    return message


def translator(locale: str) -> Translate:
    """``_`` for one locale: the console passes the page's locale explicitly, never implicitly."""
    return partial(translate, locale=locale)


def pick(locale: str, zh: str, en: str) -> str:
    """The Chinese or the English text of a bilingual record (the standard's own data)."""
    return zh if locale == "zh_CN" else en


PLATFORM_LABELS: Final[dict[str, str]] = {
    Platform.ALIBABA_COM: N_("Alibaba.com"),
    Platform.AMAZON: N_("Amazon"),
    Platform.ALIEXPRESS: N_("AliExpress"),
    Platform.EBAY: N_("eBay"),
    Platform.WISH: N_("Wish"),
    Platform.JOOM: N_("Joom"),
    Platform.SHOPEE: N_("Shopee"),
    Platform.LAZADA: N_("Lazada"),
    Platform.JUMIA: N_("Jumia"),
    Platform.OZON: N_("OZON"),
    Platform.COUPANG: N_("Coupang"),
    Platform.WILDBERRIES: N_("Wildberries"),
    Platform.TIKTOK_SHOP: N_("TikTok Shop"),
    Platform.SHOPIFY: N_("Shopify"),
    Platform.WOOCOMMERCE: N_("WooCommerce"),
    Platform.OTHER: N_("Other platform"),
}

MODEL_LABELS: Final[dict[str, str]] = {
    BusinessModel.B2B: N_("B2B"),
    BusinessModel.B2C: N_("B2C"),
    "both": N_("B2B and B2C"),
}

STATUS_LABELS: Final[dict[str, str]] = {
    StoreStatus.PREPARING: N_("Preparing"),
    StoreStatus.ACTIVE: N_("Active"),
    StoreStatus.SUSPENDED: N_("Suspended"),
    StoreStatus.CLOSED: N_("Closed"),
}

#: Quasar colour of each store status badge.
STATUS_COLORS: Final[dict[str, str]] = {
    StoreStatus.PREPARING: "amber-8",
    StoreStatus.ACTIVE: "positive",
    StoreStatus.SUSPENDED: "negative",
    StoreStatus.CLOSED: "grey-6",
}

ROLE_LABELS: Final[dict[str, str]] = {
    Role.OWNER: N_("Owner"),
    Role.MANAGER: N_("Manager"),
    Role.OPERATOR: N_("Operator"),
    Role.MARKETING: N_("Marketing"),
    Role.CUSTOMER_SERVICE: N_("Customer service"),
    Role.FINANCE: N_("Finance"),
    Role.VIEWER: N_("Viewer"),
    Role.TRAINEE: N_("Trainee"),
}

CADENCE_LABELS: Final[dict[str, str]] = {
    "once": N_("Once"),
    "daily": N_("Daily"),
    "weekly": N_("Weekly"),
    "monthly": N_("Monthly"),
    "quarterly": N_("Quarterly"),
    "per_campaign": N_("Per campaign"),
    "per_order": N_("Per order"),
    "per_inquiry": N_("Per inquiry"),
    "per_listing": N_("Per listing"),
    "ongoing": N_("Ongoing"),
}

#: Quasar colour of the B2B / B2C / both badges.
MODEL_COLORS: Final[dict[str, str]] = {"b2b": "indigo-7", "b2c": "teal-7", "both": "blue-grey-6"}


def label(labels: dict[str, str], value: str, _: Translate) -> str:
    """The translated label of ``value``, or the value itself when it has none."""
    return _(labels[value]) if value in labels else value
