"""9.3.1 payments by method and currency, 9.3.2 receivables ageing and fees by type, 9.3.6 the
payment information declaration export, 9.3.4 refunds paid from the balance or the deposit."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.crm.models import Buyer
from storeops.errors import Conflict, InvalidInput
from storeops.finance.errors import InsufficientBalance
from storeops.finance.fx import balances
from storeops.finance.models import Payment, Payout, PlatformFee, RefundPayment
from storeops.orders.enums import OrderStatus, RefundStatus
from storeops.orders.models import Order, RefundRequest
from storeops.stores.models import Store
from storeops.types import Money, utcnow


@dataclass(frozen=True, slots=True)
class Total:
    store_id: int
    key: str
    currency: str
    count: int
    amount: int


def payments_by_method(session: Session, *, actor: Actor) -> list[Total]:
    """9.3.1 Payments received per store, method and currency."""
    actor.require(Permission.FINANCE_READ)
    rows = session.execute(
        select(Payment.store_id, Payment.method, Payment.currency, func.count(), func.sum(Payment.amount))
        .where(Payment.store_id.in_(sorted(actor.store_ids)))
        .group_by(Payment.store_id, Payment.method, Payment.currency)
        .order_by(Payment.store_id, Payment.method, Payment.currency)
    )  # fmt: skip
    return [Total(s, m, c, n, int(a)) for s, m, c, n, a in rows]


def fees_by_type(session: Session, *, actor: Actor) -> list[Total]:
    """9.3.2 Platform and payment-provider fees per store, kind and currency."""
    actor.require(Permission.FINANCE_READ)
    rows = session.execute(
        select(PlatformFee.store_id, PlatformFee.kind, PlatformFee.currency, func.count(),
               func.sum(PlatformFee.amount))
        .where(PlatformFee.store_id.in_(sorted(actor.store_ids)))
        .group_by(PlatformFee.store_id, PlatformFee.kind, PlatformFee.currency)
        .order_by(PlatformFee.store_id, PlatformFee.kind, PlatformFee.currency)
    )  # fmt: skip
    return [Total(s, k, c, n, int(a)) for s, k, c, n, a in rows]


AGE_BUCKETS = ((0, 30, "0-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, 10**6, "90+"))


@dataclass(frozen=True, slots=True)
class Receivable:
    """9.3.2 Money not yet in hand: a buyer's unpaid balance, or payments not yet paid out."""

    kind: str  # buyer | platform
    store_id: int
    order_id: int | None
    currency: str
    amount: int
    since: dt.date
    age_days: int
    bucket: str


def _bucket(days: int) -> str:
    return next(label for lo, hi, label in AGE_BUCKETS if lo <= days <= hi)


def receivables(
    session: Session, *, actor: Actor, today: dt.date | None = None
) -> list[Receivable]:
    """9.3.2 Receivables aged in days: orders shipped or delivered and not fully paid (since the
    shipping day), and payments the platform has not paid out yet (since the payment day)."""
    actor.require(Permission.FINANCE_READ)
    today = today or utcnow().date()
    stores = sorted(actor.store_ids)
    paid: dict[int, int] = defaultdict(int)
    for oid, amount in session.execute(
        select(Payment.order_id, func.sum(Payment.amount))
        .where(Payment.store_id.in_(stores))
        .group_by(Payment.order_id)
    ):
        paid[oid] = int(amount)
    out = []
    for o in session.scalars(
        select(Order).where(
            Order.store_id.in_(stores),
            Order.status.in_([OrderStatus.SHIPPED, OrderStatus.DELIVERED]),
        )
    ):
        due = o.total_amount - paid.get(o.id, 0)
        if due > 0:
            since = (o.shipped_at or o.placed_at).date()
            age = (today - since).days
            out.append(
                Receivable("buyer", o.store_id, o.id, o.currency, due, since, age, _bucket(age))
            )
    last_end = {
        store_id: end
        for store_id, end in session.execute(
            select(Payout.store_id, func.max(Payout.period_end))
            .where(Payout.store_id.in_(stores))
            .group_by(Payout.store_id)
        )
    }
    for p in session.scalars(select(Payment).where(Payment.store_id.in_(stores))):
        day = p.received_at.date()
        if day > last_end.get(p.store_id, dt.date.min):
            age = (today - day).days
            out.append(Receivable("platform", p.store_id, p.order_id, p.currency, p.amount, day,
                                  age, _bucket(age)))  # fmt: skip
    out.sort(key=lambda r: (-r.age_days, r.store_id))
    return out


def ageing_summary(rows: list[Receivable]) -> dict[tuple[str, str], dict[str, int]]:
    """(kind, currency) → bucket → amount."""
    out: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {label: 0 for *_x, label in AGE_BUCKETS}
    )
    for r in rows:
        out[(r.kind, r.currency)][r.bucket] += r.amount
    return dict(out)


# --- 9.3.6 payment information declaration ------------------------------------------------------

DECLARATION_COLUMNS = (
    "order_id", "order_no", "platform", "store", "payer", "payer_country", "amount", "currency",
    "paid_at", "transaction_id", "method",
)  # fmt: skip


def payment_declaration_rows(
    session: Session, *, actor: Actor, start: dt.date, end: dt.date, store_id: int | None = None
) -> list[dict[str, str]]:
    """9.3.6 The payment records a declaration needs, one per payment received from ``start`` to
    ``end`` (UTC days, inclusive): order, platform, payer, amount, currency, time, transaction id."""
    actor.require(Permission.FINANCE_READ)
    if end < start:
        raise InvalidInput("the period ends before it starts", field="end")
    stores = [get_scoped(session, Store, store_id, actor, what="store").id] if store_id else sorted(
        actor.store_ids
    )  # fmt: skip
    lo = dt.datetime.combine(start, dt.time(), dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC)
    rows = session.execute(
        select(Payment, Order, Store, Buyer)
        .join(Order, Order.id == Payment.order_id)
        .join(Store, Store.id == Payment.store_id)
        .join(Buyer, Buyer.id == Order.buyer_id)
        .where(Payment.store_id.in_(stores), Payment.received_at >= lo, Payment.received_at < hi)
        .order_by(Payment.received_at, Payment.id)
    ).all()
    return [
        {
            "order_id": str(o.id),
            "order_no": o.external_id,
            "platform": s.platform.value,
            "store": s.name,
            "payer": b.handle,
            "payer_country": b.country,
            "amount": f"{Money(p.amount, p.currency).decimal}",
            "currency": p.currency,
            "paid_at": p.received_at.isoformat().replace("+00:00", "Z"),
            "transaction_id": f"SO-{p.store_id}-{p.id}",
            "method": p.method,
        }
        for p, o, s, b in rows
    ]


def payment_declaration_csv(rows: list[dict[str, str]]) -> str:
    """9.3.6 The rows as CSV (UTF-8, header line, comma-separated; layout in docs/finance.md)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(DECLARATION_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        # formula-injection guard for spreadsheet users
        writer.writerow({k: ("'" + v if v[:1] in "=+-@" and k not in ("amount",) else v)
                         for k, v in row.items()})  # fmt: skip
    return buffer.getvalue()


def payment_declaration_xml(rows: list[dict[str, str]], *, start: dt.date, end: dt.date) -> str:
    """9.3.6 The rows as XML: ``<PaymentDeclaration from to count><Payment>…</Payment>…``."""
    root = ET.Element("PaymentDeclaration", {"from": start.isoformat(), "to": end.isoformat(),
                                              "count": str(len(rows))})  # fmt: skip
    for row in rows:
        item = ET.SubElement(root, "Payment")
        for key in DECLARATION_COLUMNS:
            ET.SubElement(item, "".join(w.title() for w in key.split("_"))).text = row[key]
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


# --- 9.3.4 refunds paid from the balance or the deposit ------------------------------------------


def pay_refund(
    session: Session,
    *,
    refund_request_id: int,
    source: str,
    actor: Actor,
    amount: Money | None = None,
) -> RefundPayment:
    """9.3.4 Pay an approved refund request back to the buyer from the store's balance or its
    deposit (保证金). The balance must hold the amount; the request is never overpaid."""
    actor.require(Permission.FINANCE_MANAGE)
    request = get_scoped(session, RefundRequest, refund_request_id, actor, what="refund request")
    if request.status != RefundStatus.APPROVED:
        raise Conflict(f"refund request {request.id} is {request.status.value}, not approved")
    if source not in ("balance", "deposit"):
        raise InvalidInput("source is balance or deposit", field="source")
    already = session.scalar(
        select(func.coalesce(func.sum(RefundPayment.amount), 0)).where(
            RefundPayment.refund_request_id == request.id
        )
    )
    left = request.amount - int(already or 0)
    money = amount or Money(left, request.currency)
    if money.currency != request.currency:
        raise InvalidInput(f"the refund is in {request.currency}", field="currency")
    if money.amount <= 0 or money.amount > left:
        raise InvalidInput(
            f"the amount must be above zero and at most {Money(left, request.currency)}",
            field="amount",
        )
    if source == "balance":
        store = session.get_one(Store, request.store_id)
        held = next((b.balance for b in balances(session, actor=actor, store=store)
                     if b.currency == money.currency), 0)  # fmt: skip
        if held < money.amount:
            raise InsufficientBalance(
                f"the store's {money.currency} balance is {Money(max(held, 0), money.currency)}; "
                "pay from the deposit or settle less",
                field="source",
            )
    payment = RefundPayment(
        store_id=request.store_id, order_id=request.order_id, refund_request_id=request.id,
        source=source, amount=money.amount, currency=money.currency, paid_at=utcnow(),
    )  # fmt: skip
    session.add(payment)
    session.flush()
    return payment
