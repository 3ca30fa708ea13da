"""The figures the assessment's checks measure, each computed by one small query.

Each function takes the session, the store and a ``Window`` (UTC bounds of store-local dates)
and returns a frozen dataclass of integers. They read the domain tables directly; the caller
(``standard.checks``) has already checked the actor's permission and scope. Functions marked
"analytics registry" compute a metric the analytics registry should own later (DESIGN §4): the
check will then read it from there.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Certificate, Listing, Product
from storeops.crm.models import Complaint, Inquiry, Review
from storeops.finance.models import FxRate
from storeops.logistics.models import Shipment
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Dispute, Order, OrderLine, RefundRequest
from storeops.stores.models import PlatformAccount, ServiceHours, Store
from storeops.types import minor_unit_digits


@dataclass(frozen=True, slots=True)
class Window:
    """Store-local dates ``start``..``end`` (inclusive) and their UTC bounds ``[lo, hi)``."""

    start: dt.date
    end: dt.date
    lo: dt.datetime
    hi: dt.datetime

    @classmethod
    def local(cls, start: dt.date, end: dt.date, timezone: str) -> Window:
        """The window of ``start``..``end`` in ``timezone``."""
        tz = ZoneInfo(timezone)
        lo = dt.datetime.combine(start, dt.time(), tz).astimezone(dt.UTC)
        hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz).astimezone(dt.UTC)
        return cls(start=start, end=end, lo=lo, hi=hi)

    @property
    def days(self) -> int:
        """Number of days in the window."""
        return (self.end - self.start).days + 1


# --- 7.3.2 service hours --------------------------------------------------------------------------


def service_minutes_per_weekday(session: Session, store: Store) -> tuple[int, ...]:
    """7.3.2 Minutes of customer service per weekday (Monday first), from the service windows."""
    minutes = [0] * 7
    rows = session.execute(
        select(ServiceHours.weekday, ServiceHours.opens_minute, ServiceHours.closes_minute).where(
            ServiceHours.store_id == store.id
        )
    )
    for weekday, opens, closes in rows:
        minutes[weekday] += closes - opens
    return tuple(minutes)


# --- 7.1.1 first replies -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReplyFigures:
    """7.1.1 Inquiries received in the window and how fast they were first answered."""

    received: int
    within_deadline: int
    late: int
    unanswered: int  # no reply, and the deadline had passed by the end of the window
    pending: int  # no reply yet, deadline still running at the end of the window
    late_ids: tuple[int, ...] = field(default=())
    unanswered_ids: tuple[int, ...] = field(default=())


def first_reply_figures(
    session: Session, store: Store, window: Window, *, deadline: dt.timedelta
) -> ReplyFigures:
    """7.1.1 Count inquiries answered within ``deadline``, late, or not at all (analytics registry)."""
    rows = session.execute(
        select(Inquiry.id, Inquiry.received_at, Inquiry.first_reply_at)
        .where(
            Inquiry.store_id == store.id,
            Inquiry.received_at >= window.lo,
            Inquiry.received_at < window.hi,
        )
        .order_by(Inquiry.id)
    ).all()
    within = late = unanswered = pending = 0
    late_ids: list[int] = []
    unanswered_ids: list[int] = []
    for inquiry_id, received, replied in rows:
        limit = received + deadline
        if replied is not None and replied < window.hi:
            if replied <= limit:
                within += 1
            else:
                late += 1
                late_ids.append(inquiry_id)
        elif limit <= window.hi:
            unanswered += 1
            unanswered_ids.append(inquiry_id)
        else:
            pending += 1
    return ReplyFigures(
        received=len(rows),
        within_deadline=within,
        late=late,
        unanswered=unanswered,
        pending=pending,
        late_ids=tuple(late_ids),
        unanswered_ids=tuple(unanswered_ids),
    )


# --- 6.1.7 / 6.2.5 refunds, disputes, reviews, complaints ------------------------------------------


@dataclass(frozen=True, slots=True)
class AfterSalesFigures:
    """6.1.7 / 6.2.5 Orders of the window and the after-sales events that followed them."""

    orders: int  # paid orders placed in the window (drafts and unpaid cancellations left out)
    shipped: int
    refund_requests: int
    disputes: int
    disputes_seller_responsible: int
    reviews: int
    negative_reviews: int  # 1 or 2 stars
    complaints: int


def after_sales_figures(session: Session, store: Store, window: Window) -> AfterSalesFigures:
    """6.1.7 / 6.2.5 Refund, dispute, review and complaint counts of the window's orders (analytics registry)."""
    in_window = and_(
        Order.store_id == store.id, Order.placed_at >= window.lo, Order.placed_at < window.hi
    )
    orders = session.scalar(
        select(func.count()).select_from(Order).where(in_window, Order.paid_at.is_not(None))
    )
    shipped = session.scalar(
        select(func.count()).select_from(Order).where(in_window, Order.shipped_at.is_not(None))
    )
    order_ids = select(Order.id).where(in_window)
    refunds = session.scalar(
        select(func.count())
        .select_from(RefundRequest)
        .where(RefundRequest.store_id == store.id, RefundRequest.order_id.in_(order_ids))
    )
    disputes = session.execute(
        select(func.count(), func.count().filter(Dispute.seller_responsible.is_(True))).where(
            Dispute.store_id == store.id, Dispute.order_id.in_(order_ids)
        )
    ).one()
    reviews = session.execute(
        select(func.count(), func.count().filter(Review.rating <= 2)).where(
            Review.store_id == store.id, Review.order_id.in_(order_ids)
        )
    ).one()
    complaints = session.scalar(
        select(func.count())
        .select_from(Complaint)
        .where(Complaint.store_id == store.id, Complaint.order_id.in_(order_ids))
    )
    return AfterSalesFigures(
        orders=int(orders or 0),
        shipped=int(shipped or 0),
        refund_requests=int(refunds or 0),
        disputes=int(disputes[0]),
        disputes_seller_responsible=int(disputes[1]),
        reviews=int(reviews[0]),
        negative_reviews=int(reviews[1]),
        complaints=int(complaints or 0),
    )


# --- 9.1.2 declared values ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeclaredValueFigures:
    """9.1.2 Shipments of the window whose declared value was compared with the sale value."""

    shipments: int
    compared: int  # both values could be put in one currency
    under_declared: int
    over_declared: int
    under_ids: tuple[int, ...] = field(default=())
    over_ids: tuple[int, ...] = field(default=())


def _rates_to_cny(
    session: Session, currencies: set[str], days: set[dt.date]
) -> dict[tuple[str, dt.date], Decimal]:
    """Each currency's CNY rate on each day (the latest fixing on or before it)."""
    if not currencies or not days:
        return {}
    rows = session.execute(
        select(FxRate.base, FxRate.day, FxRate.rate)
        .where(
            FxRate.quote == "CNY",
            FxRate.base.in_(sorted(currencies - {"CNY"})),
            FxRate.day <= max(days),
            FxRate.day >= min(days) - dt.timedelta(days=10),
        )
        .order_by(FxRate.base, FxRate.day)
    ).all()
    by_currency: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for base, day, rate in rows:
        by_currency[base].append((day, Decimal(rate)))
    found: dict[tuple[str, dt.date], Decimal] = {}
    for currency in currencies:
        for day in days:
            if currency == "CNY":
                found[(currency, day)] = Decimal(1)
                continue
            earlier = [r for d, r in by_currency.get(currency, []) if d <= day]
            if earlier:
                found[(currency, day)] = earlier[-1]
    return found


def declared_value_figures(
    session: Session, store: Store, window: Window, *, low: Decimal, high: Decimal
) -> DeclaredValueFigures:
    """9.1.2 Shipments whose declared value is below ``low`` or above ``high`` times the goods' sale value.

    Both values go to CNY at the ``fx_rates`` fixing of the shipping day (UTC); the sale value is
    the order subtotal (goods only, before shipping and discounts), as customs values goods.
    """
    rows = session.execute(
        select(
            Shipment.id,
            Shipment.shipped_at,
            Shipment.declared_value_amount,
            Shipment.declared_currency,
            Order.subtotal_amount,
            Order.currency,
        )
        .join(Order, Order.id == Shipment.order_id)
        .where(
            Shipment.store_id == store.id,
            Shipment.shipped_at >= window.lo,
            Shipment.shipped_at < window.hi,
        )
        .order_by(Shipment.id)
    ).all()
    currencies = {r.declared_currency for r in rows} | {r.currency for r in rows}
    days = {r.shipped_at.date() for r in rows}
    rates = _rates_to_cny(session, currencies, days)
    compared = 0
    under: list[int] = []
    over: list[int] = []
    for r in rows:
        day = r.shipped_at.date()
        declared_rate = rates.get((r.declared_currency, day))
        sale_rate = rates.get((r.currency, day))
        if declared_rate is None or sale_rate is None or r.subtotal_amount <= 0:
            continue
        declared = Decimal(r.declared_value_amount).scaleb(-minor_unit_digits(r.declared_currency))
        sale = Decimal(r.subtotal_amount).scaleb(-minor_unit_digits(r.currency))
        ratio = (declared * declared_rate) / (sale * sale_rate)
        compared += 1
        if ratio < low:
            under.append(r.id)
        elif ratio > high:
            over.append(r.id)
    return DeclaredValueFigures(
        shipments=len(rows),
        compared=compared,
        under_declared=len(under),
        over_declared=len(over),
        under_ids=tuple(under),
        over_ids=tuple(over),
    )


# --- 3.1.3 certificates --------------------------------------------------------------------------------

#: Which certificate market covers a buyer country. The catalog/market engineers' per-market
#: rules replace this table; until then: the EU's CE-family marks, Germany's LFGB, UK and US marks.
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


def certificate_markets_of(country: str) -> frozenset[str]:
    """The certificate markets (EU, DE, GB, US …) that goods sold to ``country`` must satisfy."""
    markets = {country}
    if country in EU_COUNTRIES:
        markets.add("EU")
    if country == "UK":
        markets.add("GB")
    return frozenset(markets)


@dataclass(frozen=True, slots=True)
class CertificateGap:
    """A product sold to a market without a valid certificate of a kind its category needs."""

    product_code: str
    kind: str
    market: str
    problem: str  # "missing" | "expired"
    expired_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CertificateFigures:
    """3.1.3 Certificates needed by the products a store sold into its markets, and the gaps."""

    target_markets: tuple[str, ...]
    required: int  # (product, kind) pairs the store needed for its markets
    gaps: tuple[CertificateGap, ...]


def certificate_figures(session: Session, store: Store, window: Window) -> CertificateFigures:
    """3.1.3 Required certificates missing or expired for the markets the store sold to.

    What a product needs is read from its category's peers: a (kind, market) that at least half of
    the category's products hold is required of every product of that category (until the market
    rules define it). Target markets: the countries of the window's orders and the store's site.
    """
    countries = {
        c
        for (c,) in session.execute(
            select(Order.country)
            .where(
                Order.store_id == store.id,
                Order.placed_at >= window.lo,
                Order.placed_at < window.hi,
            )
            .distinct()
        )
    }
    site = store.site.strip().upper()
    if site == "UK":
        site = "GB"
    if len(site) == 2:
        countries.add(site)
    markets: set[str] = set()
    for country in countries:
        markets |= certificate_markets_of(country)
    sold = sorted(
        session.execute(
            select(Product.id, Product.code, Product.category_id)
            .join(Listing, Listing.product_id == Product.id)
            .where(Listing.store_id == store.id, Listing.status == ListingStatus.ACTIVE)
            .distinct()
        ).all()
    )
    company_products = session.execute(
        select(Product.id, Product.category_id).where(Product.company_id == store.company_id)
    ).all()
    category_size: dict[int, int] = defaultdict(int)
    for _pid, category in company_products:
        category_size[category] += 1
    held: dict[tuple[int, str, str], dt.date | None] = {}
    holders: dict[tuple[int, str, str], set[int]] = defaultdict(set)
    category_of: dict[int, int] = {int(p): int(c) for p, c in company_products}
    for product_id, kind, market, expires in session.execute(
        select(Certificate.product_id, Certificate.kind, Certificate.market, Certificate.expires_on)
        .where(Certificate.company_id == store.company_id)
        .order_by(Certificate.id)
    ):
        key = (product_id, kind, market)
        previous = held.get(key, dt.date.min)
        held[key] = None if expires is None or previous is None else max(previous, expires)
        holders[(category_of[product_id], kind, market)].add(product_id)
    required_by_category: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for (category, kind, market), products in sorted(holders.items()):
        if market in markets and 2 * len(products) >= category_size[category]:
            required_by_category[category].append((kind, market))
    gaps: list[CertificateGap] = []
    required = 0
    for product_id, code, category in sold:
        for kind, market in required_by_category.get(category, []):
            required += 1
            key = (product_id, kind, market)
            if key not in held:
                gaps.append(CertificateGap(code, kind, market, "missing"))
                continue
            expires = held[key]
            if expires is not None and expires < window.end:
                gaps.append(CertificateGap(code, kind, market, "expired", expires))
    return CertificateFigures(
        target_markets=tuple(sorted(markets)), required=required, gaps=tuple(gaps)
    )


# --- 3.3.2 / 3.2.2 listing completeness --------------------------------------------------------------

BANNED_TITLE_WORDS = ("best seller", "free shipping", "100% guaranteed", "hot sale")
#: Attributes a listing must carry; each is present under any one of its accepted keys.
REQUIRED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "colour": frozenset({"colour", "color"}),
    "weight": frozenset({"weight", "weight_g", "weight_kg"}),
    "origin": frozenset({"origin", "country_of_origin"}),
}


@dataclass(frozen=True, slots=True)
class ListingCompleteness:
    """3.3.2 Active listings and how many miss each basic field."""

    active: int
    complete: int
    problems: dict[str, int]
    incomplete_ids: tuple[int, ...] = field(default=())


def listing_problems(listing: Listing) -> list[str]:
    """The basic fields a listing misses (the catalog's per-platform rules may replace these)."""
    problems: list[str] = []
    title = (listing.title or "").strip()
    if len(title.split()) < 3:
        problems.append("title_too_short")
    lowered = title.lower()
    if any(word in lowered for word in BANNED_TITLE_WORDS):
        problems.append("banned_word_in_title")
    if not (listing.description or "").strip():
        problems.append("no_description")
    if listing.image_count < 3:
        problems.append("too_few_images")
    if len(listing.bullet_points or []) < 5:
        problems.append("too_few_bullet_points")
    attributes = {k.lower() for k in (listing.attributes or {})}
    if not all(keys & attributes for keys in REQUIRED_ATTRIBUTES.values()):
        problems.append("attributes_incomplete")
    if not listing.logistics_template:
        problems.append("no_logistics_template")
    if not listing.after_sales_template:
        problems.append("no_after_sales_template")
    return problems


def listing_completeness(session: Session, store: Store) -> ListingCompleteness:
    """3.3.2 / 3.2.2 Count the store's active listings missing a basic field."""
    counts: dict[str, int] = defaultdict(int)
    active = complete = 0
    incomplete: list[int] = []
    for listing in session.scalars(
        select(Listing)
        .where(Listing.store_id == store.id, Listing.status == ListingStatus.ACTIVE)
        .order_by(Listing.id)
    ):
        active += 1
        found = listing_problems(listing)
        for problem in found:
            counts[problem] += 1
        if found:
            incomplete.append(listing.id)
        else:
            complete += 1
    return ListingCompleteness(
        active=active,
        complete=complete,
        problems=dict(sorted(counts.items())),
        incomplete_ids=tuple(incomplete),
    )


# --- 3.2.6 zero-effect listings ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ZeroEffectFigures:
    """3.2.6 Active listings live for the whole look-back that sold nothing in it."""

    active_mature: int
    zero_effect: int
    zero_effect_ids: tuple[int, ...] = field(default=())


def zero_effect_figures(
    session: Session, store: Store, window: Window, *, look_back_days: int
) -> ZeroEffectFigures:
    """3.2.6 Active listings, listed before the look-back, without an order line in it (analytics registry)."""
    since = window.end - dt.timedelta(days=look_back_days - 1)
    look_back = Window.local(since, window.end, store.timezone)
    mature = list(
        session.scalars(
            select(Listing.id)
            .where(
                Listing.store_id == store.id,
                Listing.status == ListingStatus.ACTIVE,
                Listing.listed_on < since,
            )
            .order_by(Listing.id)
        )
    )
    sold = set(
        session.scalars(
            select(OrderLine.listing_id)
            .join(Order, Order.id == OrderLine.order_id)
            .where(
                Order.store_id == store.id,
                Order.placed_at >= look_back.lo,
                Order.placed_at < look_back.hi,
                Order.status != OrderStatus.CANCELLED,
            )
            .distinct()
        )
    )
    zero = [i for i in mature if i not in sold]
    return ZeroEffectFigures(
        active_mature=len(mature), zero_effect=len(zero), zero_effect_ids=tuple(zero)
    )


# --- 2.1.2 / 2.2.2 account security --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountFigures:
    """2.1.2 / 2.2.2 The store's seller-centre accounts and how they are secured."""

    main_accounts: int
    sub_accounts: int
    without_credential: tuple[str, ...]
    stale_credential: tuple[str, ...]
    sub_without_holder: tuple[str, ...]


def account_figures(
    session: Session, store: Store, *, as_of: dt.datetime, max_age: dt.timedelta
) -> AccountFigures:
    """2.1.2 / 2.2.2 Active accounts without a credential, with one older than ``max_age``, or shared."""
    accounts = list(
        session.scalars(
            select(PlatformAccount)
            .where(PlatformAccount.store_id == store.id, PlatformAccount.is_active.is_(True))
            .order_by(PlatformAccount.id)
        )
    )
    return AccountFigures(
        main_accounts=sum(1 for a in accounts if a.kind == "main"),
        sub_accounts=sum(1 for a in accounts if a.kind == "sub"),
        without_credential=tuple(a.login for a in accounts if a.credential_ciphertext is None),
        stale_credential=tuple(
            a.login
            for a in accounts
            if a.credential_set_at is not None and as_of - a.credential_set_at > max_age
        ),
        sub_without_holder=tuple(
            a.login for a in accounts if a.kind == "sub" and a.holder_user_id is None
        ),
    )
