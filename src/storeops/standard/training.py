"""Training mode: a sandbox store with a clean baseline and faults an assessor planted on purpose,
assigned to trainees; grading tells which planted faults each trainee put right.

The sandbox company comes from the simulator (the CLI runs it: ``storeops training sandbox``);
this module then works on that company's data like any other store's:

1. ``clean_store`` brings one store to a clean baseline for the automated checks over the sandbox
   period (complete listings, valid certificates, correct declarations, prompt replies, 7 x 9 service
   hours, a secured account, trained customer service, no defects), so the simulator's own
   deliberate gaps do not blur the exercise;
2. ``plant_faults`` plants the chosen faults (slow replies, incomplete listings, expired
   certificates, under-declared parcels) in records of the period, noting each in
   ``training_faults``;
3. ``assign_trainee`` hands the store's faults to a trainee; ``grade`` re-examines each planted
   record and says whether it has been fixed.
The assessment over the sandbox period then names exactly the planted faults.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.models import Membership
from storeops.auth.scoping import Actor, get_scoped
from storeops.auth.service import record_audit
from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Certificate, Listing, Product
from storeops.crm.enums import InquiryStatus
from storeops.crm.models import Complaint, Inquiry, Review
from storeops.errors import InvalidInput, NotFound
from storeops.logistics.models import Shipment
from storeops.orders.models import Dispute, Order, OrderLine
from storeops.staff import service as staff
from storeops.staff.models import Course
from storeops.standard.checks import (
    DECLARED_HIGH,
    DECLARED_LOW,
    reply_deadline,
)
from storeops.standard.domain_checks import ZERO_EFFECT_LOOK_BACK_DAYS
from storeops.standard.figures import Window, declared_value_figures, listing_problems
from storeops.standard.models import TrainingFault
from storeops.standard.playbook import store_model
from storeops.stores import service as stores
from storeops.stores.enums import AccountKind
from storeops.stores.models import PlatformAccount, Store
from storeops.stores.schemas import ServiceWindow

#: The faults an assessor can plant, with the task of the standard each one breaks.
FAULT_KINDS: Final[dict[str, str]] = {
    "slow_replies": "7.1.1",
    "incomplete_listings": "3.3.2",  # 3.2.2 on a B2B store
    "expired_certificates": "3.1.3",
    "under_declared": "9.1.2",
}
SANDBOX_DAYS: Final = 30
SANDBOX_COURSE: Final = "SANDBOX-CS"


def sandbox_period(session: Session, store: Store) -> tuple[dt.date, dt.date]:
    """The last 30 days of the store's orders (store-local dates): the period of the exercise."""
    last = session.scalar(select(func.max(Order.placed_at)).where(Order.store_id == store.id))
    if last is None:
        raise InvalidInput(
            f"store {store.name!r} has no orders to build an exercise on", field="store"
        )
    from zoneinfo import ZoneInfo

    end = last.astimezone(ZoneInfo(store.timezone)).date()
    return end - dt.timedelta(days=SANDBOX_DAYS - 1), end


def clean_store(
    session: Session, *, store: Store, actor: Actor, start: dt.date, end: dt.date
) -> None:
    """Bring a sandbox store to a clean baseline for every automated check over ``start``..``end``."""
    actor.require(Permission.ASSESSMENT_RUN)
    get_scoped(session, Store, store.id, actor, what="store")
    window = Window.local(start, end, store.timezone)
    _clean_listings(session, store, window)
    _clean_certificates(session, store)
    # 7.1.1: every inquiry answered 30 minutes after it came in
    for inquiry in session.scalars(select(Inquiry).where(Inquiry.store_id == store.id)):
        inquiry.first_reply_at = inquiry.received_at + dt.timedelta(minutes=30)
        if inquiry.status == InquiryStatus.OPEN:
            inquiry.status = InquiryStatus.REPLIED
    # 9.1.2: every parcel declared at its goods' sale value, in the order's currency
    for shipment, order in session.execute(
        select(Shipment, Order)
        .join(Order, Order.id == Shipment.order_id)
        .where(Shipment.store_id == store.id)
    ).tuples():
        shipment.declared_value_amount = order.subtotal_amount
        shipment.declared_currency = order.currency
    # 6.2.5 / 6.1.7: no defects on the period's orders
    orders = select(Order.id).where(
        Order.store_id == store.id, Order.placed_at >= window.lo, Order.placed_at < window.hi
    )
    session.execute(
        delete(Dispute).where(Dispute.store_id == store.id, Dispute.order_id.in_(orders))
    )
    session.execute(
        delete(Complaint).where(Complaint.store_id == store.id, Complaint.order_id.in_(orders))
    )
    for review in session.scalars(
        select(Review).where(
            Review.store_id == store.id, Review.order_id.in_(orders), Review.rating <= 2
        )
    ):
        review.rating = 4
    # 7.3.2: 09:00-18:00 every day
    stores.set_service_hours(session, store=store, actor=actor,
                             windows=[ServiceWindow(weekday=d, opens="09:00", closes="18:00") for d in range(7)])  # fmt: skip
    _clean_accounts(session, store, actor)
    _train_customer_service(session, store, actor, start)
    _clean_launch_plan(session, store, actor, window)
    _clean_ad_keywords(session, store, window)
    session.flush()


def _clean_launch_plan(session: Session, store: Store, actor: Actor, window: Window) -> None:
    """3.2.1 / 3.3.1: every whole week of the period planned at what it launched."""
    from storeops.catalog.launch_plan import set_launch_week

    monday = window.start + dt.timedelta(days=(7 - window.start.weekday()) % 7)
    while monday + dt.timedelta(days=6) <= window.end:
        launched = session.scalar(
            select(func.count())
            .select_from(Listing)
            .where(
                Listing.store_id == store.id,
                Listing.listed_on >= monday,
                Listing.listed_on <= monday + dt.timedelta(days=6),
            )
        )
        set_launch_week(session, actor=actor, store_id=store.id, week_start=monday,
                        planned_count=int(launched or 0), note="sandbox baseline")  # fmt: skip
        monday += dt.timedelta(days=7)


def _clean_ad_keywords(session: Session, store: Store, window: Window) -> None:
    """5.2.3: every keyword that spent in the period has an order (none is wasteful)."""
    from storeops.marketing.models import AdKeywordDaily

    rows = list(session.scalars(
        select(AdKeywordDaily).where(AdKeywordDaily.store_id == store.id,
                                     AdKeywordDaily.day >= window.start,
                                     AdKeywordDaily.day <= window.end)
        .order_by(AdKeywordDaily.day, AdKeywordDaily.id)
    ))  # fmt: skip
    last: dict[tuple[int, str], AdKeywordDaily] = {}
    ordered: set[tuple[int, str]] = set()
    for row in rows:
        key = (row.campaign_id, row.keyword)
        last[key] = row
        if row.orders > 0:
            ordered.add(key)
    for key, row in last.items():
        if key not in ordered:
            row.orders, row.sales_amount = 1, max(row.sales_amount, 3 * row.spend_amount)


def _clean_listings(session: Session, store: Store, window: Window) -> None:
    products = {
        p.id: p
        for p in session.scalars(select(Product).where(Product.company_id == store.company_id))
    }
    listings = list(
        session.scalars(select(Listing).where(Listing.store_id == store.id).order_by(Listing.id))
    )
    for listing in listings:
        if listing.status != ListingStatus.ACTIVE:
            continue
        product = products[listing.product_id]
        if "title_too_short" in listing_problems(
            listing
        ) or "banned_word_in_title" in listing_problems(listing):
            listing.title = f"{product.brand} {product.name_en} {product.code}"
        if not (listing.description or "").strip():
            listing.description = f"{product.name_en}: materials, size, use and care."
        if len(listing.title) < 40:  # the strictest platform minimum (Amazon 40, eBay max 80)
            listing.title = f"{listing.title} - quality goods for everyday use"[:80]
        listing.image_count = max(listing.image_count, 6)
        description = listing.description or ""
        while len(description) < 100:  # every platform's minimum description length
            description += " Materials, size, use and care are described in full."
        listing.description = description.strip()
        bullets = list(listing.bullet_points or [])
        listing.bullet_points = bullets + [
            f"{product.name_en} feature {i}" for i in range(len(bullets) + 1, 6)
        ]
        attributes = dict(listing.attributes or {})
        attributes.setdefault("brand", product.brand or "Brand")
        attributes.setdefault("material", "ABS")
        attributes.setdefault("colour", "black")
        attributes.setdefault("weight_g", 100)
        attributes.setdefault("origin", "CN")
        listing.attributes = attributes
        listing.logistics_template = listing.logistics_template or "standard"
        listing.after_sales_template = listing.after_sales_template or "30-day returns"
    if store_model(store) == "b2b":  # 3.2.6: hide listings that sold nothing in the look-back
        since = window.end - dt.timedelta(days=ZERO_EFFECT_LOOK_BACK_DAYS - 1)
        look_back = Window.local(since, window.end, store.timezone)
        sold = set(session.scalars(
            select(OrderLine.listing_id).join(Order, Order.id == OrderLine.order_id)
            .where(Order.store_id == store.id, Order.placed_at >= look_back.lo, Order.placed_at < look_back.hi)
        ))  # fmt: skip
        for listing in listings:
            if (
                listing.status == ListingStatus.ACTIVE
                and listing.listed_on < since
                and listing.id not in sold
            ):
                listing.status = ListingStatus.INACTIVE


def _clean_certificates(session: Session, store: Store) -> None:
    """Every product holds every (kind, market) some product of its category holds, never expiring."""
    products = session.execute(
        select(Product.id, Product.category_id).where(Product.company_id == store.company_id)
    ).tuples()
    category_of = {int(p): int(c) for p, c in products}
    held: dict[int, set[tuple[str, str]]] = defaultdict(set)
    needed: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for certificate in session.scalars(
        select(Certificate).where(Certificate.company_id == store.company_id)
    ):
        certificate.expires_on = None
        held[certificate.product_id].add((certificate.kind, certificate.market))
        needed[category_of[certificate.product_id]].add((certificate.kind, certificate.market))
    for product_id, category in sorted(category_of.items()):
        for kind, market in sorted(needed[category] - held[product_id]):
            session.add(Certificate(company_id=store.company_id, product_id=product_id, kind=kind,
                                    market=market, number=f"SANDBOX-{product_id}-{kind}",
                                    issued_on=dt.date(2020, 1, 1), expires_on=None))  # fmt: skip


def _clean_accounts(session: Session, store: Store, actor: Actor) -> None:
    has_main = session.scalar(
        select(PlatformAccount.id).where(
            PlatformAccount.store_id == store.id, PlatformAccount.kind == AccountKind.MAIN
        )
    )
    if has_main is None:
        account = stores.add_platform_account(
            session, store=store, actor=actor, login=f"sandbox-main-{store.id}"
        )
        stores.set_account_credential(
            session, account=account, secret=f"sandbox-{store.id}", actor=actor
        )
    # the simulator's own accounts: give each a fresh credential and every sub-account a holder
    for existing in session.scalars(
        select(PlatformAccount)
        .where(PlatformAccount.store_id == store.id, PlatformAccount.is_active.is_(True))
        .order_by(PlatformAccount.id)
    ):
        stores.set_account_credential(
            session, account=existing, secret=f"sandbox-{existing.id}", actor=actor
        )
        if existing.kind == AccountKind.SUB and existing.holder_user_id is None:
            existing.holder_user_id = actor.user_id


def _train_customer_service(session: Session, store: Store, actor: Actor, on: dt.date) -> None:
    from storeops.standard.competency import customer_service_of

    course = session.scalar(
        select(Course).where(Course.company_id == store.company_id, Course.code == SANDBOX_COURSE)
    )
    if course is None:
        course = staff.create_course(session, actor=actor, code=SANDBOX_COURSE,
                                     title="Sandbox customer-service training", task_codes=["7.3.3"])  # fmt: skip
    for user_id, _name in customer_service_of(session, store):
        staff.record_training(
            session, actor=actor, user_id=user_id, course=course, score=90, taken_on=on
        )


def plant_faults(
    session: Session,
    *,
    store: Store,
    actor: Actor,
    counts: Mapping[str, int],
    start: dt.date,
    end: dt.date,
) -> list[TrainingFault]:
    """Plant ``counts`` faults of each kind in records of ``start``..``end`` and note each one."""
    actor.require(Permission.ASSESSMENT_RUN)
    get_scoped(session, Store, store.id, actor, what="store")
    for kind, n in counts.items():
        if kind not in FAULT_KINDS:
            raise InvalidInput(
                f"unknown fault {kind!r}; choose from {', '.join(FAULT_KINDS)}", field="faults"
            )
        if not 0 <= n <= 50:
            raise InvalidInput(f"{kind}: plant between 0 and 50 faults", field="faults")
    window = Window.local(start, end, store.timezone)
    planted: list[TrainingFault] = []

    def note(fault_kind: str, ref: str, **detail: object) -> None:
        code = FAULT_KINDS[fault_kind]
        if fault_kind == "incomplete_listings" and store_model(store) == "b2b":
            code = "3.2.2"
        fault = TrainingFault(store_id=store.id, kind=fault_kind, task_code=code, ref=ref, detail=dict(detail),
                              period_start=start, period_end=end, planted_by_user_id=actor.user_id)  # fmt: skip
        session.add(fault)
        planted.append(fault)

    deadline = reply_deadline(store)
    n = counts.get("slow_replies", 0)
    for inquiry in session.scalars(
        select(Inquiry).where(Inquiry.store_id == store.id, Inquiry.received_at >= window.lo,
                              Inquiry.received_at < window.hi - deadline).order_by(Inquiry.id).limit(n)
    ):  # fmt: skip
        inquiry.first_reply_at = None
        inquiry.replied_by_user_id = None
        inquiry.status = InquiryStatus.OPEN
        note("slow_replies", f"inquiry:{inquiry.id}")
    n = counts.get("incomplete_listings", 0)
    for listing in session.scalars(
        select(Listing).where(Listing.store_id == store.id, Listing.status == ListingStatus.ACTIVE)
        .order_by(Listing.id).limit(n)
    ):  # fmt: skip
        listing.description = ""
        listing.bullet_points = listing.bullet_points[:2]
        note("incomplete_listings", f"listing:{listing.id}", problems=listing_problems(listing))
    n = counts.get("expired_certificates", 0)
    listed = select(Listing.product_id).where(
        Listing.store_id == store.id, Listing.status == ListingStatus.ACTIVE
    )
    from storeops.standard.figures import certificate_figures

    markets = set(certificate_figures(session, store, window).target_markets)
    for certificate in session.scalars(
        select(Certificate).where(Certificate.company_id == store.company_id, Certificate.product_id.in_(listed),
                                  Certificate.market.in_(sorted(markets))).order_by(Certificate.id).limit(n)
    ):  # fmt: skip
        certificate.expires_on = start - dt.timedelta(days=1)
        note("expired_certificates", f"certificate:{certificate.id}", product_id=certificate.product_id,
             kind=certificate.kind, market=certificate.market)  # fmt: skip
    n = counts.get("under_declared", 0)
    for shipment in session.scalars(
        select(Shipment).where(Shipment.store_id == store.id, Shipment.shipped_at >= window.lo,
                               Shipment.shipped_at < window.hi).order_by(Shipment.id).limit(n)
    ):  # fmt: skip
        shipment.declared_value_amount = int(
            Decimal(shipment.declared_value_amount) * Decimal("0.4")
        )
        note("under_declared", f"shipment:{shipment.id}")
    short = [k for k, want in counts.items() if sum(1 for f in planted if f.kind == k) < want]
    if short:
        raise InvalidInput(
            f"the period has too few records to plant: {', '.join(short)}", field="faults"
        )
    session.flush()
    record_audit(session, action="training.faults_planted", actor=actor, target_type="store",
                 target_id=store.id, faults=len(planted))  # fmt: skip
    return planted


def assign_trainee(session: Session, *, store: Store, actor: Actor, user_id: int) -> int:
    """Give the store's planted faults to a member of the company; returns how many."""
    actor.require(Permission.ASSESSMENT_RUN)
    get_scoped(session, Store, store.id, actor, what="store")
    role = session.scalar(
        select(Membership.role).where(
            Membership.company_id == store.company_id, Membership.user_id == user_id
        )
    )
    if role is None:
        raise NotFound(f"user {user_id} not found", field="user_id")
    faults = list(session.scalars(select(TrainingFault).where(TrainingFault.store_id == store.id)))
    for fault in faults:
        fault.trainee_user_id = user_id
    session.flush()
    record_audit(session, action="training.trainee_assigned", actor=actor, target_type="store",
                 target_id=store.id, trainee=user_id)  # fmt: skip
    return len(faults)


@dataclass(frozen=True, slots=True)
class FaultGrade:
    """Whether one planted fault has been put right."""

    fault_id: int
    kind: str
    task_code: str
    ref: str
    trainee_user_id: int | None
    fixed: bool


def grade(session: Session, *, store: Store, actor: Actor) -> list[FaultGrade]:
    """Re-examine every fault planted in the store: fixed or not."""
    actor.require(Permission.ASSESSMENT_RUN)
    get_scoped(session, Store, store.id, actor, what="store")
    faults = list(
        session.scalars(
            select(TrainingFault)
            .where(TrainingFault.store_id == store.id)
            .order_by(TrainingFault.id)
        )
    )
    still_under: set[int] = set()
    if any(f.kind == "under_declared" for f in faults):
        start = min(f.period_start for f in faults)
        end = max(f.period_end for f in faults)
        figures = declared_value_figures(session, store, Window.local(start, end, store.timezone),
                                         low=DECLARED_LOW, high=DECLARED_HIGH)  # fmt: skip
        still_under = set(figures.under_ids)
    grades: list[FaultGrade] = []
    for fault in faults:
        raw_id = fault.ref.partition(":")[2]
        record_id = int(raw_id)
        if fault.kind == "slow_replies":
            inquiry = session.get(Inquiry, record_id)
            fixed = inquiry is not None and inquiry.first_reply_at is not None
        elif fault.kind == "incomplete_listings":
            listing = session.get(Listing, record_id)
            fixed = (
                listing is None
                or listing.status != ListingStatus.ACTIVE
                or not listing_problems(listing)
            )
        elif fault.kind == "expired_certificates":
            valid = session.scalar(
                select(func.count()).select_from(Certificate).where(
                    Certificate.product_id == fault.detail["product_id"],
                    Certificate.kind == fault.detail["kind"],
                    Certificate.market == fault.detail["market"],
                    (Certificate.expires_on.is_(None)) | (Certificate.expires_on >= fault.period_end),
                )
            )  # fmt: skip
            fixed = bool(valid)
        else:
            fixed = record_id not in still_under
        grades.append(
            FaultGrade(
                fault.id, fault.kind, fault.task_code, fault.ref, fault.trainee_user_id, fixed
            )
        )
    return grades
