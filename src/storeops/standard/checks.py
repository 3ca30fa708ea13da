"""Automated checks of the assessment: one small registered function per measurable criterion.

A check names its id, the task code(s) it evidences, its threshold and where the threshold comes
from, and measures a store over a window with the figure functions of ``standard.figures``.
Another domain adds a check with ``@check(...)`` in a module imported by ``load_checks()``; a
later check for the same task replaces nothing, the assessment takes the worst outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final, Literal

from sqlalchemy.orm import Session

from storeops.standard.catalog import AppliesTo, Model, covers
from storeops.standard.figures import (
    Window,
    account_figures,
    after_sales_figures,
    certificate_figures,
    declared_value_figures,
    first_reply_figures,
    listing_completeness,
    service_minutes_per_weekday,
)
from storeops.stores.models import Store

Status = Literal["evidenced", "partly", "missing", "not_applicable"]
STATUSES: Final[tuple[Status, ...]] = ("evidenced", "partly", "missing", "not_applicable")
#: Credit a status earns in the scores (``not_applicable`` is left out of them).
STATUS_CREDIT: Final[dict[str, Decimal]] = {
    "evidenced": Decimal(1),
    "partly": Decimal("0.5"),
    "missing": Decimal(0),
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one check found: a status, the figures measured and one sentence for people."""

    status: Status
    detail: str
    measured: dict[str, Any] = field(default_factory=dict)
    records: tuple[str, ...] = ()  # a few record references, e.g. "inquiry:123"


@dataclass(frozen=True, slots=True)
class Check:
    """An automated check of one or more tasks of the standard."""

    id: str
    task_codes: tuple[str, ...]
    title: str
    threshold: str
    source: str
    action: str  # what to do when the check is not met
    applies_to: AppliesTo
    measure: Callable[[Session, Store, Window], Outcome]

    def concerns(self, model: Model) -> bool:
        """Whether the check runs for a store of ``model``."""
        return covers(self.applies_to, model)


_REGISTRY: dict[str, Check] = {}


def check(
    check_id: str,
    *,
    tasks: tuple[str, ...],
    title: str,
    threshold: str,
    source: str,
    action: str,
    applies_to: AppliesTo = "both",
) -> Callable[
    [Callable[[Session, Store, Window], Outcome]], Callable[[Session, Store, Window], Outcome]
]:
    """Register ``measure`` as the check ``check_id`` of ``tasks``."""

    def register(
        measure: Callable[[Session, Store, Window], Outcome],
    ) -> Callable[[Session, Store, Window], Outcome]:
        if check_id in _REGISTRY:
            raise ValueError(f"check {check_id!r} is registered twice")
        _REGISTRY[check_id] = Check(
            id=check_id,
            task_codes=tasks,
            title=title,
            threshold=threshold,
            source=source,
            action=action,
            applies_to=applies_to,
            measure=measure,
        )
        return measure

    return register


def registered_checks() -> tuple[Check, ...]:
    """Every registered check, ordered by its first task code and id."""
    import storeops.standard.competency
    import storeops.standard.domain_checks  # noqa: F401  (checks on the domains' own rules)
    from storeops.standard.catalog import code_key

    return tuple(sorted(_REGISTRY.values(), key=lambda c: (code_key(c.task_codes[0]), c.id)))


def _pct(part: int, whole: int) -> str:
    return f"{Decimal(100 * part) / Decimal(whole):.1f} %" if whole else "n/a"


def _ids(kind: str, ids: tuple[int, ...], limit: int = 10) -> tuple[str, ...]:
    return tuple(f"{kind}:{i}" for i in ids[:limit])


# --- 7.3.2 ---------------------------------------------------------------------------------------------

REQUIRED_SERVICE_MINUTES: Final = 8 * 60
WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@check(
    "service_hours_7x8",
    tasks=("7.3.2",),
    title="Customer service at least 7 days x 8 hours a week",
    threshold="every weekday has ≥ 8 h of service windows (evidenced); ≥ 5 such days (partly)",
    source="T/CCPITCSC 111-2022, 7.3.2: 客服在线时间应不少于7 天8 小时",
    action="Add service windows so that every day of the week, weekends included, has 8 hours.",
)
def service_hours_check(session: Session, store: Store, window: Window) -> Outcome:
    """7.3.2 Service hours cover 7 days x 8 hours."""
    minutes = service_minutes_per_weekday(session, store)
    short = [
        f"{WEEKDAYS[d]} {m / 60:g} h" for d, m in enumerate(minutes) if m < REQUIRED_SERVICE_MINUTES
    ]
    full_days = 7 - len(short)
    measured = {"hours_per_weekday": [round(m / 60, 2) for m in minutes], "full_days": full_days}
    if not short:
        return Outcome(
            "evidenced",
            f"service windows cover all 7 days with ≥ 8 h ({sum(minutes) / 60:g} h a week)",
            measured,
        )
    status: Status = "partly" if full_days >= 5 else "missing"
    return Outcome(
        status, f"{full_days} of 7 days have 8 h of service; short: {', '.join(short)}", measured
    )


# --- 7.1.1 ---------------------------------------------------------------------------------------------

#: Reply deadline per platform, in hours (the platform's own response-time metric).
REPLY_DEADLINE_HOURS: Final[dict[str, int]] = {
    "alibaba_com": 24,
    "amazon": 24,
    "aliexpress": 24,
    "ebay": 24,
    "shopee": 12,
    "lazada": 12,
    "tiktok_shop": 12,
}
DEFAULT_REPLY_DEADLINE_HOURS: Final = 24
REPLY_EVIDENCED: Final = Decimal("0.95")
REPLY_PARTLY: Final = Decimal("0.80")


def reply_deadline(store: Store) -> dt.timedelta:
    """The first-reply deadline of the store's platform."""
    return dt.timedelta(
        hours=REPLY_DEADLINE_HOURS.get(store.platform, DEFAULT_REPLY_DEADLINE_HOURS)
    )


@check(
    "first_reply_within_deadline",
    tasks=("7.1.1",),
    title="Inquiries answered within the platform's reply deadline",
    threshold="≥ 95 % of inquiries first answered within the deadline (evidenced), ≥ 80 % (partly); "
    "deadline 24 h (Alibaba.com, Amazon, AliExpress, eBay) or 12 h (Shopee, Lazada, TikTok Shop)",
    source="Platforms' response-time metrics: Alibaba.com 24-hour reply rate; Amazon contact "
    "response time (24 h); Shopee chat response (12 h). T/CCPITCSC 111-2022 7.1.1: 及时回复询盘",
    action="Answer every inquiry within the deadline: cover the service hours, set an auto-reply and "
    "a queue owner; answer the unanswered ones listed.",
)
def first_reply_check(session: Session, store: Store, window: Window) -> Outcome:
    """7.1.1 Share of inquiries first answered within the platform's deadline."""
    deadline = reply_deadline(store)
    f = first_reply_figures(session, store, window, deadline=deadline)
    due = f.within_deadline + f.late + f.unanswered
    measured: dict[str, Any] = {
        "deadline_hours": int(deadline.total_seconds() // 3600),
        "received": f.received,
        "within_deadline": f.within_deadline,
        "late": f.late,
        "unanswered": f.unanswered,
        "pending": f.pending,
    }
    records = _ids("inquiry", f.unanswered_ids) + _ids("inquiry", f.late_ids)
    if due == 0:
        return Outcome("not_applicable", "no inquiry was due for a reply in the period", measured)
    share = Decimal(f.within_deadline) / Decimal(due)
    measured["share_within_deadline"] = f"{share:.4f}"
    detail = (
        f"{f.within_deadline} of {due} inquiries ({_pct(f.within_deadline, due)}) answered within "
        f"{measured['deadline_hours']} h; {f.late} late, {f.unanswered} unanswered"
    )
    if share >= REPLY_EVIDENCED:
        status: Status = "evidenced"
    elif share >= REPLY_PARTLY:
        status = "partly"
    else:
        status = "missing"
    return Outcome(status, detail, measured, records)


# --- 6.1.7 (B2B) and 6.2.5 (B2C) -------------------------------------------------------------------------

MAX_REFUND_RATE: Final = Decimal("0.05")
MAX_DISPUTE_RATE: Final = Decimal("0.01")
MAX_ORDER_DEFECT_RATE: Final = Decimal("0.01")


@check(
    "refund_dispute_rates",
    tasks=("6.1.7",),
    title="Refund and dispute rates within thresholds",
    threshold="refund requests ≤ 5 % and disputes ≤ 1 % of shipped orders (evidenced); one of the "
    "two within (partly)",
    source="storeops defaults (Alibaba.com's service score penalises disputes; the market-rules "
    "issue will set platform figures). T/CCPITCSC 111-2022 6.1.7: 退款率、纠纷率",
    action="Analyse refund reasons and disputes weekly; fix the products, listings or carriers behind them.",
    applies_to="b2b",
)
def refund_dispute_check(session: Session, store: Store, window: Window) -> Outcome:
    """6.1.7 Refund and dispute rates of the period's shipped orders."""
    f = after_sales_figures(session, store, window)
    measured = {
        "shipped": f.shipped,
        "refund_requests": f.refund_requests,
        "disputes": f.disputes,
        "disputes_seller_responsible": f.disputes_seller_responsible,
    }
    if f.shipped == 0:
        return Outcome("not_applicable", "no order was shipped in the period", measured)
    refund_ok = Decimal(f.refund_requests) <= MAX_REFUND_RATE * f.shipped
    dispute_ok = Decimal(f.disputes) <= MAX_DISPUTE_RATE * f.shipped
    detail = (
        f"refund requests {f.refund_requests} of {f.shipped} shipped orders ({_pct(f.refund_requests, f.shipped)}), "
        f"disputes {f.disputes} ({_pct(f.disputes, f.shipped)})"
    )
    status: Status = (
        "evidenced"
        if refund_ok and dispute_ok
        else "partly"
        if refund_ok or dispute_ok
        else "missing"
    )
    return Outcome(status, detail, measured)


@check(
    "risk_metrics",
    tasks=("6.2.5",),
    title="Risk indicators within the platform's thresholds",
    threshold="order defect rate (1-2 star reviews + complaints + disputes per paid order) < 1 % "
    "(evidenced), < 2 % (partly)",
    source="Amazon Account Health: Order Defect Rate under 1 %. T/CCPITCSC 111-2022 6.2.5: 风控指标",
    action="Work the negative reviews, complaints and disputes down: answer them, fix the cause, "
    "and watch the defect rate daily.",
    applies_to="b2c",
)
def risk_metrics_check(session: Session, store: Store, window: Window) -> Outcome:
    """6.2.5 Order defect rate of the period's orders."""
    f = after_sales_figures(session, store, window)
    defects = f.negative_reviews + f.complaints + f.disputes
    measured = {
        "orders": f.orders,
        "negative_reviews": f.negative_reviews,
        "complaints": f.complaints,
        "disputes": f.disputes,
        "reviews": f.reviews,
    }
    if f.orders == 0:
        return Outcome("not_applicable", "no paid order in the period", measured)
    detail = (
        f"order defect rate {_pct(defects, f.orders)}: {f.negative_reviews} negative reviews, "
        f"{f.complaints} complaints, {f.disputes} disputes on {f.orders} orders"
    )
    if Decimal(defects) < MAX_ORDER_DEFECT_RATE * f.orders:
        status: Status = "evidenced"
    elif Decimal(defects) < 2 * MAX_ORDER_DEFECT_RATE * f.orders:
        status = "partly"
    else:
        status = "missing"
    return Outcome(status, detail, measured)


# --- 9.1.2 --------------------------------------------------------------------------------------------

DECLARED_LOW: Final = Decimal("0.8")
DECLARED_HIGH: Final = Decimal("1.25")


@check(
    "declared_values",
    tasks=("9.1.2",),
    title="Declared values consistent with sale values",
    threshold="every parcel declared at 0.8-1.25 x the goods' sale value (evidenced); ≤ 2 % outside (partly)",
    source="Customs value is the transaction value (WTO Customs Valuation Agreement, art. 1); "
    "the ±20 % tolerance for FX and rounding is a storeops default. T/CCPITCSC 111-2022 9.1.2",
    action="Declare the real sale value of the goods on every customs declaration; correct the "
    "under-declared parcels' templates.",
)
def declared_values_check(session: Session, store: Store, window: Window) -> Outcome:
    """9.1.2 Declared values against the orders' sale values."""
    f = declared_value_figures(session, store, window, low=DECLARED_LOW, high=DECLARED_HIGH)
    measured = {
        "shipments": f.shipments,
        "compared": f.compared,
        "under_declared": f.under_declared,
        "over_declared": f.over_declared,
    }
    if f.compared == 0:
        return Outcome("not_applicable", "no shipment to compare in the period", measured)
    off = f.under_declared + f.over_declared
    detail = (
        f"{f.under_declared} under-declared and {f.over_declared} over-declared of {f.compared} "
        f"parcels ({_pct(off, f.compared)})"
    )
    records = _ids("shipment", f.under_ids) + _ids("shipment", f.over_ids)
    status: Status = "evidenced" if off == 0 else "partly" if 50 * off <= f.compared else "missing"
    return Outcome(status, detail, measured, records)


# --- 3.1.3 ---------------------------------------------------------------------------------------------


@check(
    "certificates_valid",
    tasks=("3.1.3",),
    title="Certificates valid for the markets sold to",
    threshold="no required certificate missing or expired (evidenced); ≤ 5 % of required ones (partly)",
    source="EU CE / RoHS / EN71, UK UKCA, US FCC / CPC / CPSIA / FDA market-access rules; what a "
    "product needs is read from its category (interim until the market rules land). "
    "T/CCPITCSC 111-2022 3.1.3: 产品资质准备",
    action="Obtain or renew the listed certificates, or stop selling the product into that market.",
)
def certificates_check(session: Session, store: Store, window: Window) -> Outcome:
    """3.1.3 Certificates for the target markets present and unexpired."""
    f = certificate_figures(session, store, window)
    missing = sum(1 for g in f.gaps if g.problem == "missing")
    expired = len(f.gaps) - missing
    measured = {
        "target_markets": list(f.target_markets),
        "required": f.required,
        "missing": missing,
        "expired": expired,
    }
    if f.required == 0:
        return Outcome(
            "not_applicable", "no certificate is required for the markets sold to", measured
        )
    detail = (
        f"{missing} missing and {expired} expired of {f.required} certificates required for "
        f"{', '.join(f.target_markets)}"
    )
    records = tuple(
        f"product:{g.product_code}:{g.kind}/{g.market}:{g.problem}" for g in f.gaps[:10]
    )
    gaps = len(f.gaps)
    status: Status = (
        "evidenced" if gaps == 0 else "partly" if 20 * gaps <= f.required else "missing"
    )
    return Outcome(status, detail, measured, records)


# --- 3.3.2 / 3.2.2 ---------------------------------------------------------------------------------------

COMPLETE_EVIDENCED: Final = Decimal("0.95")
COMPLETE_PARTLY: Final = Decimal("0.80")


def _completeness(session: Session, store: Store) -> Outcome:
    """3.3.2 / 3.2.2 Basic listing fields: the stand-in for platforms without quality rules."""
    f = listing_completeness(session, store)
    measured: dict[str, Any] = {"active": f.active, "complete": f.complete, "problems": f.problems}
    if f.active == 0:
        return Outcome("missing", "the store has no active listing", measured)
    share = Decimal(f.complete) / Decimal(f.active)
    top = ", ".join(
        f"{k} {v}" for k, v in sorted(f.problems.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
    )
    detail = (
        f"{f.complete} of {f.active} active listings ({_pct(f.complete, f.active)}) complete"
        + (f"; most frequent gaps: {top}" if top else "")
    )
    status: Status = (
        "evidenced"
        if share >= COMPLETE_EVIDENCED
        else "partly"
        if share >= COMPLETE_PARTLY
        else "missing"
    )
    return Outcome(status, detail, measured, _ids("listing", f.incomplete_ids))


# --- 2.1.2 / 2.2.2 ---------------------------------------------------------------------------------------

CREDENTIAL_MAX_AGE: Final = dt.timedelta(days=180)
_ACCOUNT_THRESHOLD = (
    "a main account is recorded, every active account has its credential stored (encrypted) and "
    "changed within 180 days, every sub-account has a named holder (evidenced); a main account "
    "with some of these missing (partly)"
)
_ACCOUNT_SOURCE = "Platforms' account-security rules (one holder per sub-account, no shared passwords); 180-day rotation is a storeops default"
_ACCOUNT_ACTION = "Record the store's seller-centre accounts, store their credentials, give every sub-account a holder."


def _accounts(session: Session, store: Store, window: Window) -> Outcome:
    f = account_figures(session, store, as_of=window.hi, max_age=CREDENTIAL_MAX_AGE)
    measured = {
        "main_accounts": f.main_accounts,
        "sub_accounts": f.sub_accounts,
        "without_credential": list(f.without_credential),
        "stale_credential": list(f.stale_credential),
        "sub_without_holder": list(f.sub_without_holder),
    }
    if f.main_accounts == 0:
        return Outcome("missing", "no seller-centre account is recorded for the store", measured)
    problems = []
    if f.without_credential:
        problems.append(f"{len(f.without_credential)} without a stored credential")
    if f.stale_credential:
        problems.append(f"{len(f.stale_credential)} with a credential older than 180 days")
    if f.sub_without_holder:
        problems.append(f"{len(f.sub_without_holder)} sub-accounts without a holder")
    total = f.main_accounts + f.sub_accounts
    if not problems:
        return Outcome("evidenced", f"{total} accounts recorded and secured", measured)
    return Outcome("partly", f"{total} accounts: " + "; ".join(problems), measured)


@check("account_security_b2b", tasks=("2.1.2",), title="Store accounts secured",
       threshold=_ACCOUNT_THRESHOLD, source=_ACCOUNT_SOURCE + ". T/CCPITCSC 111-2022 2.1.2",
       action=_ACCOUNT_ACTION, applies_to="b2b")  # fmt: skip
def account_security_b2b(session: Session, store: Store, window: Window) -> Outcome:
    """2.1.2 The B2B store's accounts and sub-accounts are recorded and secured."""
    return _accounts(session, store, window)


@check("account_security_b2c", tasks=("2.2.2",), title="Store accounts secured",
       threshold=_ACCOUNT_THRESHOLD, source=_ACCOUNT_SOURCE + ". T/CCPITCSC 111-2022 2.2.2",
       action=_ACCOUNT_ACTION, applies_to="b2c")  # fmt: skip
def account_security_b2c(session: Session, store: Store, window: Window) -> Outcome:
    """2.2.2 The B2C store's accounts and sub-accounts are recorded and secured."""
    return _accounts(session, store, window)
