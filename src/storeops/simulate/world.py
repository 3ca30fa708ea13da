"""The fixed facts of the simulated world: stores, markets, categories, events, channels.

Every number here is a parameter of the simulation; ``simulate/README.md`` explains where each
comes from. Rates are fractions (0.05 = 5 %).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from storeops.stores.enums import BusinessModel, Platform


@dataclass(frozen=True)
class StoreSpec:
    """One simulated store and the behaviour of its buyers."""

    key: str
    name: str
    platform: Platform
    model: BusinessModel
    site: str
    currency: str
    timezone: str
    share: float  # share of the company's order lines
    countries: dict[str, float]  # buyer country -> weight
    lines_per_order: float  # mean lines per order (geometric)
    qty_mean: float  # mean units per line
    price_factor: float  # listing price = cost-based price x factor (currency-adjusted)
    conversion: float  # visitors -> orders
    cancel_rate: float
    refund_rate: float
    dispute_rate: float  # share of refunds that become disputes
    review_rate: float
    complaint_rate: float
    commission: float  # platform commission on the order total
    fulfilment_fee: float  # per order, in store currency major units (0 when seller ships)
    payout_days: int
    events: tuple[str, ...]  # keys of EVENTS that lift this store's demand
    inquiry_per_order: float  # buyer messages / inquiries per order


# Buyer countries of AliExpress-like cross-border retail: 40+ markets (weights ~ public
# AliExpress traffic shares by country, rounded).
GLOBAL_RETAIL_COUNTRIES: dict[str, float] = {
    "US": 9, "ES": 8, "FR": 7, "BR": 7, "KR": 6, "PL": 5, "IL": 4, "NL": 3, "DE": 4, "GB": 3,
    "IT": 3, "CL": 2, "MX": 3, "SA": 3, "AE": 2, "CA": 2, "AU": 2, "BE": 1.5, "CZ": 1.2,
    "PT": 1.2, "UA": 1.2, "JP": 1, "SE": 0.8, "CH": 0.8, "AT": 0.8, "HU": 0.7, "RO": 0.8,
    "GR": 0.6, "SK": 0.5, "LT": 0.4, "LV": 0.3, "EE": 0.3, "NO": 0.5, "DK": 0.5, "FI": 0.4,
    "IE": 0.5, "NZ": 0.5, "CO": 0.8, "PE": 0.6, "KZ": 0.8, "EG": 0.7, "MA": 0.6, "TR": 0.8,
    "KW": 0.3, "QA": 0.2, "TH": 0.5, "MY": 0.5, "PH": 0.5, "SG": 0.4,
}  # fmt: skip

B2B_COUNTRIES: dict[str, float] = {
    "US": 18, "GB": 6, "DE": 6, "AU": 5, "CA": 4, "FR": 4, "IN": 5, "AE": 4, "SA": 3, "BR": 4,
    "MX": 3, "NG": 3, "ZA": 2, "KE": 1.5, "PK": 2, "BD": 1.5, "VN": 2, "ID": 2, "PH": 2, "TH": 1.5,
    "MY": 1.5, "SG": 1, "JP": 2, "KR": 2, "IT": 2, "ES": 2, "NL": 2, "PL": 1.5, "TR": 2, "EG": 1.5,
    "CL": 1, "CO": 1, "PE": 0.8, "AR": 0.8, "IL": 1, "NZ": 1, "SE": 0.8, "RU": 1.5, "UA": 0.8,
    "MA": 0.7, "GH": 0.8,
}  # fmt: skip

MENA = frozenset({"SA", "AE", "EG", "MA", "KW", "QA", "TR", "JO", "BH", "OM"})
# Where Ramadan and Eid move retail demand: the Middle East and North Africa, and the
# Muslim-majority markets of South and South-East Asia.
RAMADAN_MARKETS = MENA | {"MY", "ID", "PK", "BD"}

STORES: tuple[StoreSpec, ...] = (
    StoreSpec(
        key="alibaba",
        name="Alibaba.com Global",
        platform=Platform.ALIBABA_COM,
        model=BusinessModel.B2B,
        site="global",
        currency="USD",
        timezone="Asia/Shanghai",
        share=0.02,
        countries=B2B_COUNTRIES,
        lines_per_order=1.6,
        qty_mean=180.0,
        price_factor=0.55,
        conversion=0.004,
        cancel_rate=0.05,
        refund_rate=0.03,
        dispute_rate=0.35,
        review_rate=0.25,
        complaint_rate=0.01,
        commission=0.0,
        fulfilment_fee=0.0,
        payout_days=7,
        events=("canton_fair", "sep_expo", "march_expo"),
        inquiry_per_order=9.0,
    ),
    StoreSpec(
        key="amazon_us",
        name="Amazon US",
        platform=Platform.AMAZON,
        model=BusinessModel.B2C,
        site="US",
        currency="USD",
        timezone="America/Los_Angeles",
        share=0.34,
        countries={"US": 1.0},
        lines_per_order=1.15,
        qty_mean=1.15,
        price_factor=1.0,
        conversion=0.11,
        cancel_rate=0.015,
        refund_rate=0.06,
        dispute_rate=0.08,
        review_rate=0.06,
        complaint_rate=0.004,
        commission=0.15,
        fulfilment_fee=4.2,
        payout_days=14,
        events=("prime_day", "prime_big_deal", "bfcm", "christmas"),
        inquiry_per_order=0.03,
    ),
    StoreSpec(
        key="amazon_de",
        name="Amazon DE",
        platform=Platform.AMAZON,
        model=BusinessModel.B2C,
        site="DE",
        currency="EUR",
        timezone="Europe/Berlin",
        share=0.12,
        countries={"DE": 8, "AT": 1.2, "FR": 0.4, "NL": 0.3, "BE": 0.2, "LU": 0.05},
        lines_per_order=1.12,
        qty_mean=1.12,
        price_factor=0.95,
        conversion=0.10,
        cancel_rate=0.015,
        refund_rate=0.09,
        dispute_rate=0.08,
        review_rate=0.05,
        complaint_rate=0.004,
        commission=0.15,
        fulfilment_fee=3.6,
        payout_days=14,
        events=("prime_day", "prime_big_deal", "bfcm", "christmas"),
        inquiry_per_order=0.03,
    ),
    StoreSpec(
        key="amazon_jp",
        name="Amazon JP",
        platform=Platform.AMAZON,
        model=BusinessModel.B2C,
        site="JP",
        currency="JPY",
        timezone="Asia/Tokyo",
        share=0.06,
        countries={"JP": 1.0},
        lines_per_order=1.1,
        qty_mean=1.1,
        price_factor=1.0,
        conversion=0.12,
        cancel_rate=0.01,
        refund_rate=0.04,
        dispute_rate=0.06,
        review_rate=0.04,
        complaint_rate=0.003,
        commission=0.15,
        fulfilment_fee=430.0,
        payout_days=14,
        events=("prime_day", "bfcm", "christmas", "new_year_jp"),
        inquiry_per_order=0.02,
    ),
    StoreSpec(
        key="aliexpress",
        name="AliExpress",
        platform=Platform.ALIEXPRESS,
        model=BusinessModel.B2C,
        site="global",
        currency="USD",
        timezone="Asia/Shanghai",
        share=0.24,
        countries=GLOBAL_RETAIL_COUNTRIES,
        lines_per_order=1.25,
        qty_mean=1.3,
        price_factor=0.7,
        conversion=0.035,
        cancel_rate=0.04,
        refund_rate=0.07,
        dispute_rate=0.25,
        review_rate=0.09,
        complaint_rate=0.01,
        commission=0.08,
        fulfilment_fee=0.0,
        payout_days=7,
        events=("ae_anniversary", "singles_day", "bfcm", "ramadan", "christmas"),
        inquiry_per_order=0.08,
    ),
    StoreSpec(
        key="shopee_my",
        name="Shopee Malaysia",
        platform=Platform.SHOPEE,
        model=BusinessModel.B2C,
        site="MY",
        currency="MYR",
        timezone="Asia/Kuala_Lumpur",
        share=0.1,
        countries={"MY": 1.0},
        lines_per_order=1.3,
        qty_mean=1.4,
        price_factor=0.6,
        conversion=0.045,
        cancel_rate=0.06,
        refund_rate=0.03,
        dispute_rate=0.2,
        review_rate=0.2,
        complaint_rate=0.008,
        commission=0.12,
        fulfilment_fee=0.0,
        payout_days=7,
        events=("double_day", "ten_ten", "singles_day", "twelve_twelve", "ramadan"),
        inquiry_per_order=0.12,
    ),
    StoreSpec(
        key="shopee_th",
        name="Shopee Thailand",
        platform=Platform.SHOPEE,
        model=BusinessModel.B2C,
        site="TH",
        currency="THB",
        timezone="Asia/Bangkok",
        share=0.07,
        countries={"TH": 1.0},
        lines_per_order=1.3,
        qty_mean=1.4,
        price_factor=0.6,
        conversion=0.045,
        cancel_rate=0.07,
        refund_rate=0.03,
        dispute_rate=0.2,
        review_rate=0.22,
        complaint_rate=0.008,
        commission=0.12,
        fulfilment_fee=0.0,
        payout_days=7,
        events=("double_day", "ten_ten", "singles_day", "twelve_twelve"),
        inquiry_per_order=0.12,
    ),
    StoreSpec(
        key="ebay_uk",
        name="eBay UK",
        platform=Platform.EBAY,
        model=BusinessModel.B2C,
        site="UK",
        currency="GBP",
        timezone="Europe/London",
        share=0.05,
        countries={"GB": 10, "IE": 0.6},
        lines_per_order=1.1,
        qty_mean=1.1,
        price_factor=0.85,
        conversion=0.05,
        cancel_rate=0.02,
        refund_rate=0.05,
        dispute_rate=0.15,
        review_rate=0.1,
        complaint_rate=0.006,
        commission=0.128,
        fulfilment_fee=0.0,
        payout_days=7,
        events=("bfcm", "christmas", "boxing_day"),
        inquiry_per_order=0.1,
    ),
)

# Local-currency price per 1 USD of list price, before rounding (purchasing-power adjusted and
# rounded to how each market prices: JPY in whole yen, THB in baht).
PRICE_PER_USD: dict[str, float] = {
    "USD": 1.0,
    "EUR": 0.95,
    "JPY": 150.0,
    "MYR": 4.5,
    "THB": 34.0,
    "GBP": 0.8,
}


@dataclass(frozen=True)
class Event:
    """A recurring sales peak: (month, day) start, length in days, demand multiplier."""

    key: str
    name: str
    month: int
    day: int
    days: int
    lift: float
    discount_pct: int
    lead_in_days: int = 0


EVENTS: dict[str, Event] = {
    e.key: e
    for e in (
        Event("prime_day", "Prime Day", 7, 11, 2, 3.2, 20, 3),
        Event("prime_big_deal", "Prime Big Deal Days", 10, 8, 2, 1.9, 15),
        Event("bfcm", "Black Friday / Cyber Monday", 11, 0, 5, 2.6, 25, 5),  # day 0: computed
        Event("christmas", "Christmas shopping", 12, 1, 20, 1.45, 10),
        Event("boxing_day", "Boxing Day", 12, 26, 2, 1.8, 20),
        Event("new_year_jp", "Hatsuuri New Year sale", 1, 1, 4, 1.7, 15),
        Event("singles_day", "11.11", 11, 11, 1, 4.5, 30, 4),
        Event("twelve_twelve", "12.12", 12, 12, 1, 3.5, 25, 3),
        Event("double_day", "Shopee 9.9 Super Shopping Day", 9, 9, 1, 3.0, 20, 2),
        Event("ten_ten", "Shopee 10.10 Brands Festival", 10, 10, 1, 2.6, 20, 2),
        Event("ae_anniversary", "AliExpress anniversary sale", 3, 27, 5, 2.0, 20),
        Event("ramadan", "Ramadan", 0, 0, 30, 1.6, 10),  # dates from RAMADAN_START
        Event("canton_fair", "Canton Fair (autumn) sourcing", 10, 15, 20, 1.5, 0),
        Event("sep_expo", "Alibaba.com September sourcing festival", 9, 1, 30, 1.6, 5),
        Event("march_expo", "Alibaba.com March Expo", 3, 1, 31, 1.5, 5),
    )
}

# First day of Ramadan (Saudi calendar) for the years a simulation may cover.
RAMADAN_START: dict[int, dt.date] = {
    2019: dt.date(2019, 5, 6), 2020: dt.date(2020, 4, 24), 2021: dt.date(2021, 4, 13),
    2022: dt.date(2022, 4, 2), 2023: dt.date(2023, 3, 23), 2024: dt.date(2024, 3, 11),
    2025: dt.date(2025, 3, 1), 2026: dt.date(2026, 2, 18), 2027: dt.date(2027, 2, 8),
    2028: dt.date(2028, 1, 28), 2029: dt.date(2029, 1, 16), 2030: dt.date(2030, 1, 6),
}  # fmt: skip


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name_zh: str
    name_en: str
    hs_code: str
    nouns: tuple[str, ...]
    adjectives: tuple[str, ...]
    cost_cny: tuple[float, float]  # purchase cost range per unit
    weight_g: tuple[int, int]
    battery_share: float = 0.0
    liquid_share: float = 0.0
    certificates: tuple[str, ...] = ()
    season_peak_month: int | None = None  # summer/winter goods
    variants: tuple[str, ...] = field(default=("Black", "White", "Blue", "Pink", "Grey"))


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "PHONE_ACC",
        "手机配件",
        "Phone accessories",
        "852990",
        (
            "Phone Case",
            "Screen Protector",
            "Magnetic Car Mount",
            "USB-C Cable",
            "Phone Ring Holder",
        ),
        ("Shockproof", "Slim", "Magnetic", "Braided", "Clear"),
        (3, 25),
        (30, 180),
        certificates=("CE", "FCC", "RoHS"),
    ),
    CategorySpec(
        "AUDIO",
        "音频设备",
        "Audio",
        "851830",
        ("Wireless Earbuds", "Bluetooth Speaker", "Over-Ear Headphones", "Sleep Headband"),
        ("Noise Cancelling", "Waterproof", "Sports", "Bass Boost", "Mini"),
        (25, 160),
        (80, 600),
        battery_share=0.9,
        certificates=("CE", "FCC", "UKCA", "RoHS"),
    ),
    CategorySpec(
        "HOME_KITCHEN",
        "家居厨房",
        "Home & kitchen",
        "392410",
        (
            "Silicone Spatula Set",
            "Vacuum Storage Bag",
            "Drawer Organizer",
            "Oil Sprayer Bottle",
            "Reusable Food Wrap",
        ),
        ("Food-Grade", "Stackable", "Heat-Resistant", "Eco-Friendly"),
        (4, 40),
        (100, 900),
        certificates=("LFGB", "FDA"),
    ),
    CategorySpec(
        "LED",
        "LED照明",
        "LED lighting",
        "940540",
        ("LED Strip Lights", "Solar Garden Light", "Motion Sensor Night Light", "Desk Lamp"),
        ("Smart", "Dimmable", "RGB", "Rechargeable", "Warm White"),
        (8, 90),
        (120, 1200),
        battery_share=0.4,
        certificates=("CE", "FCC", "RoHS", "UKCA"),
        season_peak_month=12,
    ),
    CategorySpec(
        "OUTDOOR",
        "户外运动",
        "Outdoor & sports",
        "950691",
        ("Resistance Bands Set", "Camping Lantern", "Hiking Backpack", "Yoga Mat", "Water Bottle"),
        ("Lightweight", "Foldable", "Non-Slip", "Insulated", "Heavy-Duty"),
        (10, 120),
        (150, 1500),
        battery_share=0.1,
        certificates=("CE",),
        season_peak_month=6,
    ),
    CategorySpec(
        "PET",
        "宠物用品",
        "Pet supplies",
        "420100",
        (
            "Cat Scratcher",
            "Dog Harness",
            "Pet Water Fountain",
            "Slow Feeder Bowl",
            "Pet Hair Remover",
        ),
        ("Durable", "Adjustable", "Quiet", "Washable", "Reflective"),
        (6, 80),
        (80, 1500),
        certificates=("CE",),
    ),
    CategorySpec(
        "BEAUTY",
        "美容工具",
        "Beauty tools",
        "851631",
        ("Hair Straightener", "Makeup Brush Set", "Facial Cleansing Brush", "Nail Drill Kit"),
        ("Professional", "Portable", "Ionic", "Soft", "Cordless"),
        (8, 120),
        (80, 800),
        battery_share=0.3,
        liquid_share=0.05,
        certificates=("CE", "FCC", "UKCA", "CPSIA"),
    ),
    CategorySpec(
        "TOYS",
        "玩具",
        "Toys & games",
        "950300",
        ("Building Blocks Set", "RC Car", "Magnetic Tiles", "Plush Toy", "Puzzle Cube"),
        ("Educational", "Kids", "STEM", "Creative", "Giant"),
        (6, 150),
        (100, 1600),
        battery_share=0.25,
        certificates=("CE", "CPC", "EN71", "UKCA"),
        season_peak_month=12,
    ),
    CategorySpec(
        "BAGS",
        "箱包",
        "Bags & luggage",
        "420292",
        ("Travel Organizer", "Crossbody Bag", "Laptop Backpack", "Packing Cubes"),
        ("Waterproof", "Anti-Theft", "Lightweight", "Large-Capacity"),
        (12, 110),
        (150, 1300),
    ),
    CategorySpec(
        "AUTO",
        "汽车用品",
        "Car accessories",
        "870899",
        ("Tire Inflator", "Car Vacuum Cleaner", "Seat Gap Filler", "Dash Cam"),
        ("Portable", "Cordless", "Universal", "HD", "Compact"),
        (15, 200),
        (200, 1800),
        battery_share=0.5,
        certificates=("CE", "FCC", "E-mark"),
    ),
)

TRAFFIC_SOURCE_SHARE: dict[str, dict[str, float]] = {
    # share of visitors by source, per platform (organic search dominates marketplaces)
    "default": {"organic_search": 0.52, "category": 0.2, "paid": 0.18, "off_platform": 0.07, "live_stream": 0.03},
    "alibaba_com": {"organic_search": 0.45, "category": 0.15, "paid": 0.3, "off_platform": 0.05, "live_stream": 0.05},
    "shopee": {"organic_search": 0.4, "category": 0.25, "paid": 0.15, "off_platform": 0.08, "live_stream": 0.12},
    "aliexpress": {"organic_search": 0.45, "category": 0.25, "paid": 0.15, "off_platform": 0.1, "live_stream": 0.05},
}  # fmt: skip

CHANNELS: tuple[tuple[str, str, str, int, int, str], ...] = (
    # carrier, service, kind, transit min, max days, tracking prefix
    ("Amazon", "Fulfilled by Amazon", "platform", 1, 3, "TBA"),
    ("Cainiao", "AliExpress Standard Shipping", "line", 7, 20, "LP"),
    ("Cainiao", "Cainiao Super Economy", "postal", 15, 40, "LP"),
    ("Shopee", "Shopee Logistics Service (SLS)", "platform", 5, 12, "SPX"),
    ("China Post", "ePacket", "postal", 10, 25, "LX"),
    ("Yanwen", "Yanwen Special Line", "line", 8, 18, "UC"),
    ("DHL", "DHL Express Worldwide", "express", 3, 6, "DHL"),
    ("FedEx", "FedEx International Priority", "express", 3, 5, "FX"),
    ("COSCO", "Sea freight LCL", "sea", 25, 45, "COSU"),
)

STORE_CHANNELS: dict[str, tuple[int, ...]] = {
    # indexes into CHANNELS per store key, first is the default
    "alibaba": (6, 7, 8),
    "amazon_us": (0,),
    "amazon_de": (0,),
    "amazon_jp": (0,),
    "aliexpress": (1, 2, 4, 5),
    "shopee_my": (3,),
    "shopee_th": (3,),
    "ebay_uk": (5, 4, 6),
}

STAFF: tuple[tuple[str, str, str], ...] = (
    # display name, role, stores (keys, comma-separated; * for all)
    ("王芳 Wang Fang", "manager", "*"),
    ("李强 Li Qiang", "operator", "amazon_us,amazon_de,amazon_jp"),
    ("张敏 Zhang Min", "operator", "aliexpress,ebay_uk"),
    ("陈静 Chen Jing", "operator", "alibaba"),
    ("刘洋 Liu Yang", "operator", "alibaba"),
    ("赵磊 Zhao Lei", "marketing", "*"),
    ("黄丽 Huang Li", "customer_service", "amazon_us,amazon_de,amazon_jp,ebay_uk"),
    ("周婷 Zhou Ting", "customer_service", "aliexpress,shopee_my,shopee_th"),
    ("吴俊 Wu Jun", "customer_service", "alibaba"),
    ("孙悦 Sun Yue", "finance", "*"),
    ("郑浩 Zheng Hao", "operator", "shopee_my,shopee_th"),
    ("冯雪 Feng Xue", "trainee", "aliexpress"),
)
