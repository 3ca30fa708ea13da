"""The metric registry: every figure of clause 6 declared once and defined as Ibis expressions.

A **measure** is one Ibis aggregate over one warehouse table (a *source*), already filtered to one
store and a range of store-local days. A **metric** is a measure (a count or an amount) or the
ratio of two measures, possibly from different sources (conversion rate = paid orders / store
visitors). Ratios are divided in Python with exact decimals, so a zero denominator becomes "—"
with a reason instead of NaN or a division error. A **ranking** groups one measure by a key
(traffic source, listing, country, status) and orders it, ties broken by the key.

Because every measure is an Ibis expression, the same registry runs on any backend Ibis
supports (DuckDB by default; Spark, Trino, ClickHouse … on Parquet copies of the facts). Trap for
other engines: Ibis compiles ``nunique`` to an approximate function on ClickHouse; keep the
golden tests of ``tests/analytics`` when pointing it elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import ibis.expr.types as ir

from storeops.errors import InvalidInput


class Unit(StrEnum):
    COUNT = "count"
    MONEY = "money"  # minor units of the store's currency
    PERCENT = "percent"  # a ratio shown as a percentage
    MULTIPLE = "multiple"  # a ratio shown as "× n" (ROAS)


class Grain(StrEnum):
    """What one row of the metric's source is."""

    ORDER = "order"
    LINE = "order line"
    DAY = "store day"
    LISTING_DAY = "listing day by traffic source"
    KEYWORD_DAY = "ad keyword day"
    EVENT = "event (refund, dispute, review, complaint, shipment, inquiry, buyer)"
    BUYER = "buyer"


@dataclass(frozen=True, slots=True)
class MeasureContext:
    """What a measure may depend on besides its table: the store's currency."""

    currency: str


Expr = Callable[[ir.Table, MeasureContext], ir.Scalar]


@dataclass(frozen=True, slots=True)
class Source:
    """A warehouse table or view the measures aggregate, and the dimensions it can be cut by."""

    table: str
    dims: dict[str, str] = field(default_factory=dict)  # --by name -> column


SOURCES: dict[str, Source] = {
    "daily_orders": Source("daily_orders", {"country": "country", "source": "traffic_source"}),
    "orders": Source("fact_orders", {"country": "country", "source": "traffic_source"}),
    "lines": Source(
        "fact_order_lines",
        {"country": "country", "source": "traffic_source", "sku": "sku_id"},
    ),
    "traffic": Source("ops_listing_traffic_daily", {"source": "source"}),
    "visitors": Source("ops_visitor_country_daily", {"country": "country"}),
    "refunds": Source("v_refunds"),
    "disputes": Source("v_disputes"),
    "reviews": Source("v_reviews"),
    "complaints": Source("v_complaints"),
    "shipments": Source("v_shipments"),
    "inquiries": Source("v_inquiries"),
    "buyers": Source("v_buyers", {"country": "country", "source": "source"}),
    "ads": Source("v_ads"),
    "search": Source("ops_search_term_daily"),
    "videos": Source("ops_video_daily"),
    "quotes": Source("v_quotes"),
}

BY_TIME = ("day", "week", "month")
BY_CHOICES = (*BY_TIME, "country", "source", "sku")


@dataclass(frozen=True, slots=True)
class Measure:
    """One aggregate over one source."""

    source: str
    expr: Expr


def _count(source: str) -> Measure:
    return Measure(source, lambda t, c: t.count())


def _sum(source: str, column: str) -> Measure:
    return Measure(source, lambda t, c: t[column].sum())


def _count_where(source: str, column: str) -> Measure:
    return Measure(source, lambda t, c: t.count(where=t[column]))


def _money(source: str, column: str, currency: str = "currency") -> Measure:
    """A sum of amounts in the store's currency (rows in another currency are left out)."""
    return Measure(source, lambda t, c: t[column].sum(where=t[currency] == c.currency))


MEASURES: dict[str, Measure] = {
    # orders (6.1.6), from the daily rollup
    "orders": _sum("daily_orders", "orders"),
    "drafted_amount": _money("daily_orders", "drafted_amount"),
    "paid_orders": _sum("daily_orders", "paid_orders"),
    "paid_amount": _money("daily_orders", "paid_amount"),
    "received_orders": _sum("daily_orders", "received_orders"),
    "received_amount": _money("daily_orders", "received_amount"),
    # buyers need distinct counts: the order facts
    "paying_buyers": Measure("orders", lambda t, c: t.buyer_id.nunique(where=t.is_paid)),
    "orders_paid_amount": Measure(
        "orders", lambda t, c: t.total_amount.sum(where=t.is_paid & (t.currency == c.currency))
    ),
    "orders_paid": _count_where("orders", "is_paid"),
    "units_paid": Measure("lines", lambda t, c: t.quantity.sum(where=t.is_paid)),
    # traffic (6.1.3, 6.2.1, 6.2.4)
    "visits": _sum("visitors", "visits"),
    "visitors": _sum("visitors", "visitors"),
    "new_visitors": _sum("visitors", "new_visitors"),
    "impressions": _sum("traffic", "impressions"),
    "clicks": _sum("traffic", "clicks"),
    "page_views": _sum("traffic", "page_views"),
    "add_to_cart": _sum("traffic", "add_to_cart"),
    "favourites": _sum("traffic", "favourites"),
    # after-sales (6.1.7)
    "refund_requests": _count("refunds"),
    "disputes": _count("disputes"),
    "escalated_disputes": _count_where("disputes", "escalated"),
    "arbitrated_disputes": _count_where("disputes", "arbitrated"),
    "seller_responsible_disputes": _count_where("disputes", "seller_at_fault"),
    "delivered_shipments": _count_where("shipments", "delivered"),
    "late_deliveries": Measure("shipments", lambda t, c: t.count(where=t.delivered & t.late)),
    # risk (6.2.5)
    "reviews": _count("reviews"),
    "reviews_with_images": Measure("reviews", lambda t, c: t.count(where=t.image_count > 0)),
    "positive_reviews": Measure("reviews", lambda t, c: t.count(where=t.rating >= 4)),
    "negative_reviews": Measure("reviews", lambda t, c: t.count(where=t.rating <= 2)),
    "complaints": _count("complaints"),
    # ads (5.2, 6.1.9)
    "ad_impressions": _sum("ads", "impressions"),
    "ad_clicks": _sum("ads", "clicks"),
    "ad_spend": _money("ads", "spend_amount"),
    "ad_sales": _money("ads", "sales_amount"),
    "ad_orders": _sum("ads", "orders"),
    # B2B and customers (6.1.3, 6.1.9, 6.1.10)
    "inquiries": _count("inquiries"),
    "inquiries_replied_in_24h": _count_where("inquiries", "replied_in_24h"),
    "new_buyers": _count("buyers"),
    "quotes": _count("quotes"),
    "approved_quotes": _count_where("quotes", "approved"),
    "promotion_orders": Measure(
        "orders", lambda t, c: t.count(where=t.is_paid & t.promotion_id.notnull())
    ),
    "promotion_amount": Measure(
        "orders",
        lambda t, c: t.total_amount.sum(
            where=t.is_paid & t.promotion_id.notnull() & (t.currency == c.currency)
        ),
    ),
    # search terms (6.1.4, 6.1.8, 6.2.2)
    "search_impressions": _sum("search", "impressions"),
    "search_clicks": _sum("search", "clicks"),
    # videos (6.1.5)
    "video_impressions": _sum("videos", "impressions"),
    "video_plays": _sum("videos", "plays"),
    "video_effective_plays": _sum("videos", "effective_plays"),
    "video_viewers": _sum("videos", "viewers"),
    "video_complete_plays": _sum("videos", "complete_plays"),
    "video_clicks": _sum("videos", "clicks"),
    "video_watch_seconds": _sum("videos", "watch_seconds"),
}


@dataclass(frozen=True, slots=True)
class Metric:
    """A figure of the standard: declared once, computed from one or two measures."""

    slug: str
    name_en: str
    name_zh: str
    unit: Unit
    formula: str
    grain: Grain
    task_codes: tuple[str, ...]
    numerator: str
    denominator: str | None = None
    empty_reason: str = ""  # why the value is "—" when the denominator is zero

    @property
    def measures(self) -> tuple[str, ...]:
        return (
            (self.numerator,)
            if self.denominator is None
            else (
                self.numerator,
                self.denominator,
            )
        )

    def dims(self) -> frozenset[str]:
        """The --by choices this metric supports: time always, others if every source has them."""
        shared: set[str] | None = None
        for name in self.measures:
            have = set(SOURCES[MEASURES[name].source].dims)
            shared = have if shared is None else shared & have
        return frozenset(BY_TIME) | frozenset(shared or ())


def _m(
    slug: str,
    en: str,
    zh: str,
    unit: Unit,
    formula: str,
    grain: Grain,
    codes: str,
    numerator: str,
    denominator: str | None = None,
    empty: str = "",
) -> Metric:
    return Metric(
        slug, en, zh, unit, formula, grain, tuple(codes.split()), numerator, denominator, empty
    )


C, M, P, X = Unit.COUNT, Unit.MONEY, Unit.PERCENT, Unit.MULTIPLE
O, L, D, LD, KD, E = (  # noqa: E741 - short aliases keep the table readable
    Grain.ORDER,
    Grain.LINE,
    Grain.DAY,
    Grain.LISTING_DAY,
    Grain.KEYWORD_DAY,
    Grain.EVENT,
)

METRICS: tuple[Metric, ...] = (
    # traffic
    _m("visits", "Store visits", "店铺访问次数", C, "sum of daily store visits", D, "6.1.3 6.2.1", "visits"),
    _m("visitors", "Store visitors", "访客数", C, "sum of daily unique store visitors", D, "6.1.3 6.2.1 6.2.4", "visitors"),
    _m("new_visitors", "New visitors", "新访客数", C, "sum of daily first-time visitors", D, "6.2.4 6.1.9", "new_visitors"),
    _m("impressions", "Impressions", "曝光量", C, "sum of listing impressions", LD, "6.2.1 6.2.2", "impressions"),
    _m("clicks", "Clicks", "点击量", C, "sum of listing clicks", LD, "6.2.1 6.2.2", "clicks"),
    _m("page_views", "Page views", "浏览量", C, "sum of listing page views", LD, "6.2.1 6.2.2", "page_views"),
    _m("ctr", "Click-through rate", "点击率", P, "clicks ÷ impressions", LD, "6.2.1 6.2.2", "clicks", "impressions", "no impressions in the period"),
    _m("add_to_cart", "Add-to-cart", "加购数", C, "sum of listing add-to-cart events", LD, "6.2.4", "add_to_cart"),
    _m("favourites", "Favourites", "收藏数", C, "sum of listings added to favourites", LD, "6.2.4", "favourites"),
    _m("conversion_rate", "Conversion rate", "转化率", P, "paid orders ÷ store visitors", D, "6.1.3 6.2.1 6.2.4", "orders_paid", "visitors", "no visitors in the period"),
    # transactions (6.1.6)
    _m("orders_drafted", "Orders placed (drafted)", "起草订单个数", C, "orders placed in the period, whatever became of them", O, "6.1.6 6.2.4", "orders"),
    _m("orders_drafted_amount", "Amount of orders placed", "起草订单金额", M, "total of orders placed", O, "6.1.6", "drafted_amount"),
    _m("orders_paid", "Paid orders", "支付订单个数", C, "orders placed in the period that were paid", O, "6.1.6 6.2.1", "paid_orders"),
    _m("orders_paid_amount", "Paid order amount", "支付订单金额", M, "total of paid orders", O, "6.1.6 6.2.1", "paid_amount"),
    _m("orders_received", "Received orders", "实收订单个数", C, "paid orders neither cancelled nor refunded", O, "6.1.6", "received_orders"),
    _m("orders_received_amount", "Received order amount", "实收订单金额", M, "total of received orders", O, "6.1.6", "received_amount"),
    _m("amount_per_order", "Amount per order", "笔单价", M, "paid order amount ÷ paid orders", O, "6.1.6", "paid_amount", "paid_orders", "no paid orders in the period"),
    _m("paying_buyers", "Paying buyers", "支付买家数", C, "distinct buyers of paid orders", O, "6.1.6", "paying_buyers"),
    _m("amount_per_buyer", "Amount per buyer", "客单价", M, "paid order amount ÷ paying buyers", O, "6.1.6 7.2.3", "orders_paid_amount", "paying_buyers", "no paying buyers in the period"),
    _m("units_sold", "Units sold", "销量", C, "units on paid order lines", L, "6.1.3 6.2.2", "units_paid"),
    # after-sales (6.1.7)
    _m("refund_requests", "Refund requests", "退款申请量", C, "refund requests made in the period", E, "6.1.7 8.3.3", "refund_requests"),
    _m("refund_request_rate", "Refund request rate", "退款申请率", P, "refund requests ÷ paid orders of the period", E, "6.1.7", "refund_requests", "paid_orders", "no paid orders in the period"),
    _m("disputes", "Disputes", "纠纷数", C, "disputes opened in the period", E, "6.1.7", "disputes"),
    _m("dispute_escalation_rate", "Dispute escalation rate", "纠纷升级率", P, "disputes escalated to the platform ÷ disputes opened", E, "6.1.7", "escalated_disputes", "disputes", "no disputes in the period"),
    _m("dispute_arbitration_rate", "Dispute arbitration rate", "纠纷升级仲裁率", P, "disputes arbitrated ÷ disputes opened", E, "6.1.7", "arbitrated_disputes", "disputes", "no disputes in the period"),
    _m("seller_responsible_disputes", "Seller-responsible disputes", "纠纷有责判定量", C, "disputes judged the seller's fault", E, "6.1.7", "seller_responsible_disputes"),
    _m("seller_responsible_dispute_rate", "Seller-responsible dispute rate", "纠纷有责率", P, "disputes judged the seller's fault ÷ disputes opened", E, "6.1.7", "seller_responsible_disputes", "disputes", "no disputes in the period"),
    _m("late_delivery_rate", "Late delivery rate", "延迟送达率", P, "shipments delivered after the promised time ÷ shipments delivered (by shipping day)", E, "9.1.5 6.1.7", "late_deliveries", "delivered_shipments", "no delivered shipments in the period"),
    # risk (6.2.5)
    _m("reviews", "Reviews", "买家评价数", C, "reviews written in the period", E, "6.2.5 8.3.5", "reviews"),
    _m("reviews_with_images", "Reviews with images", "评价上传图片数", C, "reviews with at least one image", E, "6.2.5", "reviews_with_images"),
    _m("positive_review_rate", "Positive review rate", "好评率", P, "reviews rated 4–5 ÷ reviews", E, "6.2.5", "positive_reviews", "reviews", "no reviews in the period"),
    _m("negative_review_rate", "Negative review rate", "差评率", P, "reviews rated 1–2 ÷ reviews", E, "6.2.5", "negative_reviews", "reviews", "no reviews in the period"),
    _m("complaints", "Complaints", "发起投诉数", C, "complaints opened in the period", E, "6.2.5 8.3.4", "complaints"),
    _m("complaint_rate", "Complaint rate", "投诉率", P, "complaints ÷ paid orders of the period", E, "6.2.5", "complaints", "paid_orders", "no paid orders in the period"),
    # ads
    _m("ad_impressions", "Ad impressions", "广告曝光量", C, "sum of ad keyword impressions", KD, "5.2.3 6.1.9", "ad_impressions"),
    _m("ad_clicks", "Ad clicks", "广告点击量", C, "sum of ad keyword clicks", KD, "5.2.3 6.1.9", "ad_clicks"),
    _m("ad_spend", "Ad spend", "广告花费", M, "sum of ad spend", KD, "5.2.3 6.1.3 6.1.9", "ad_spend"),
    _m("ad_sales", "Ad-attributed sales", "广告销售额", M, "sales the platform attributes to ads", KD, "5.2.3 6.1.9", "ad_sales"),
    _m("cpc", "Cost per click", "平均点击花费", M, "ad spend ÷ ad clicks", KD, "5.2.3 6.1.9", "ad_spend", "ad_clicks", "no ad clicks in the period"),
    _m("acos", "ACoS", "广告销售成本比", P, "ad spend ÷ ad-attributed sales", KD, "5.2.3 6.1.3", "ad_spend", "ad_sales", "no ad-attributed sales in the period"),
    _m("roas", "ROAS (return on ad spend)", "广告支出回报率", X, "ad-attributed sales ÷ ad spend", KD, "5.2.3 6.1.3", "ad_sales", "ad_spend", "no ad spend in the period"),
    # B2B and customers
    _m("inquiries", "Inquiries", "询盘个数", C, "inquiries and chats received in the period", E, "6.1.3 6.1.8 7.1.1", "inquiries"),
    _m("new_buyers", "New buyers", "新增客户数", C, "buyers first seen in the period", E, "6.1.9 6.1.10 7.2.3", "new_buyers"),
    _m("inquiry_conversion_rate", "Business-opportunity conversion", "商机转化率", P, "paid orders ÷ inquiries of the period", E, "6.1.3", "orders_paid", "inquiries", "no inquiries in the period"),
    _m("inquiry_reply_24h_rate", "Inquiries answered within 24 h", "询盘24小时回复率", P, "inquiries first answered within 24 hours ÷ inquiries received", E, "6.1.8 7.1.1", "inquiries_replied_in_24h", "inquiries", "no inquiries in the period"),
    _m("quotes", "Quotes", "报价数", C, "quotes created in the period", E, "6.1.8 8.1.5", "quotes"),
    _m("approved_quotes", "Approved quotes", "审核通过报价量", C, "quotes of the period approved or accepted", E, "6.1.8", "approved_quotes"),
    _m("promotion_orders", "Paid orders from promotions", "活动订单数", C, "paid orders placed under a promotion", O, "6.1.9 6.2.4 5.1.2", "promotion_orders"),
    _m("promotion_amount", "Paid amount from promotions", "活动销售额", M, "total of paid orders placed under a promotion", O, "6.1.9 6.2.4", "promotion_amount"),
    _m("search_impressions", "Search impressions", "产品搜索曝光量", C, "impressions of listings in search results", LD, "6.1.4 6.1.8 6.2.2", "search_impressions"),
    _m("search_clicks", "Search clicks", "产品搜索点击", C, "clicks on listings from search results", LD, "6.1.4 6.1.8 6.2.2", "search_clicks"),
    _m("search_ctr", "Search click-through rate", "搜索点击率", P, "search clicks ÷ search impressions", LD, "6.1.4 6.2.2", "search_clicks", "search_impressions", "no search impressions in the period"),
    _m("video_plays", "Video plays", "视频播放次数", C, "plays of the store's videos", D, "6.1.5", "video_plays"),
    _m("video_effective_plays", "Effective video plays", "有效播放次数", C, "plays long enough to count as effective", D, "6.1.5", "video_effective_plays"),
    _m("video_viewers", "Video viewers", "播放人数", C, "sum of daily video viewers", D, "6.1.5", "video_viewers"),
    _m("video_complete_plays", "Complete video plays", "完整播放次数", C, "plays to the end", D, "6.1.5", "video_complete_plays"),
    _m("video_click_rate", "Video click-through rate", "视频点击率", P, "clicks from videos ÷ video plays", D, "6.1.5", "video_clicks", "video_plays", "no video plays in the period"),
    _m("video_complete_rate", "Video completion rate", "视频完播率", P, "complete plays ÷ plays", D, "6.1.5", "video_complete_plays", "video_plays", "no video plays in the period"),
    _m("video_watch_seconds_per_play", "Watch time per play (s)", "平均播放时长（秒）", C, "watch seconds ÷ plays, rounded to a second", D, "6.1.5", "video_watch_seconds", "video_plays", "no video plays in the period"),
)  # fmt: skip
METRICS_BY_SLUG: dict[str, Metric] = {m.slug: m for m in METRICS}


@dataclass(frozen=True, slots=True)
class Ranking:
    """A measure grouped by a key and ordered largest first, ties broken by the key."""

    slug: str
    name_en: str
    name_zh: str
    unit: Unit
    formula: str
    task_codes: tuple[str, ...]
    source: str
    key: str
    value: Expr
    limit: int = 10


RANKINGS: tuple[Ranking, ...] = (
    Ranking("traffic_source_top", "Traffic sources, top", "流量来源TOP", Unit.COUNT,
            "listing visitors by traffic source", ("6.1.3", "6.1.9", "6.2.2"), "traffic", "source",
            lambda t, c: t.visitors.sum()),
    Ranking("product_ranking", "Product ranking by paid amount", "店铺商品榜", Unit.MONEY,
            "paid line amount by listing", ("6.1.3", "6.2.1", "6.2.2"), "lines", "listing_id",
            lambda t, c: t.line_amount.sum(where=t.is_paid & (t.currency == c.currency))),
    Ranking("buyer_countries", "Paid orders by buyer country", "进店买家所在国及地区", Unit.COUNT,
            "paid orders by the buyer's country", ("6.1.3", "7.2.3"), "orders", "country",
            lambda t, c: t.count(where=t.is_paid), limit=20),
    Ranking("orders_by_status", "Orders by status", "订单状态分布", Unit.COUNT,
            "orders placed in the period by their current status", ("6.1.6", "8.2.4"), "orders",
            "status", lambda t, c: t.count()),
    Ranking("new_buyers_by_source", "New buyers by acquisition source", "客户来源", Unit.COUNT,
            "buyers first seen in the period by source", ("6.1.10", "7.2.3"), "buyers", "source",
            lambda t, c: t.count()),
    Ranking("ad_keywords_top", "Ad keywords by attributed sales", "关键词效果", Unit.MONEY,
            "ad-attributed sales by keyword", ("5.2.3", "6.1.9"), "ads", "keyword",
            lambda t, c: t.sales_amount.sum(where=t.currency == c.currency)),
    Ranking("search_terms_top", "Search terms by clicks", "热门搜索词", Unit.COUNT,
            "search clicks by keyword", ("6.1.4", "6.2.2"), "search", "keyword",
            lambda t, c: t.clicks.sum()),
)  # fmt: skip
RANKINGS_BY_SLUG: dict[str, Ranking] = {r.slug: r for r in RANKINGS}


def resolve(slugs: list[str] | None) -> tuple[list[Metric], list[Ranking]]:
    """The metrics and rankings named by ``slugs`` (all when empty); unknown slugs raise."""
    if not slugs:
        return list(METRICS), list(RANKINGS)
    unknown = [s for s in slugs if s not in METRICS_BY_SLUG and s not in RANKINGS_BY_SLUG]
    if unknown:
        raise InvalidInput(
            f"unknown metric {', '.join(unknown)}: see `storeops metrics list` for the "
            f"{len(METRICS) + len(RANKINGS)} defined ones",
            field="metric",
        )
    seen: list[str] = list(dict.fromkeys(slugs))
    return (
        [METRICS_BY_SLUG[s] for s in seen if s in METRICS_BY_SLUG],
        [RANKINGS_BY_SLUG[s] for s in seen if s in RANKINGS_BY_SLUG],
    )


def group_key(t: ir.Table, by: str | None, source: str) -> ir.Value | None:
    """The grouping column of ``by`` on a source's table (``None``: one group)."""
    if by is None:
        return None
    if by == "day":
        return t.day
    if by == "week":
        return t.day.truncate("W")  # weeks start on Monday
    if by == "month":
        return t.day.truncate("M")
    column = SOURCES[source].dims.get(by)
    return t[column] if column else None
