"""9.3.3 FX settlement (结汇): balances per currency, conversions at the recorded rate, the
individual annual quota, reversals, and the FX gain or loss against the rate at order time."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.errors import Conflict, InvalidInput, NotFound
from storeops.finance.errors import InsufficientBalance, QuotaExceeded
from storeops.finance.ledger import Component, in_payout, store_components
from storeops.finance.models import FxSettlement, FxSettlementPosting, Payout, RefundPayment
from storeops.finance.rates import RateBook, convert, parse_rate
from storeops.orders.models import Order
from storeops.stores.models import Company, Store
from storeops.types import Money, normalize_currency, utcnow

# 《个人外汇管理办法实施细则》(汇发〔2007〕1号) art. 2: individuals may settle (结汇) and buy foreign
# currency up to the equivalent of USD 50,000 each per calendar year (年度便利化额度).
INDIVIDUAL_ANNUAL_QUOTA_USD = Money(5_000_000, "USD")
QUOTA_WARNING_SHARE = Decimal("0.8")


def _settlements(session: Session, actor: Actor) -> list[FxSettlement]:
    return list(
        session.scalars(
            select(FxSettlement)
            .where(FxSettlement.company_id == actor.company_id)
            .where(
                FxSettlement.store_id.is_(None) | FxSettlement.store_id.in_(sorted(actor.store_ids))
            )
            .order_by(FxSettlement.settled_at, FxSettlement.id)
        )
    )


@dataclass(frozen=True, slots=True)
class Balance:
    """9.3.3 Money held in one currency: paid out by platforms, less sold, less refunds paid."""

    currency: str
    paid_out: int
    sold: int
    bought: int
    refunds_paid: int

    @property
    def balance(self) -> int:
        return self.paid_out - self.sold + self.bought - self.refunds_paid


def balances(
    session: Session, *, actor: Actor, store: Store | None = None, as_of: dt.datetime | None = None
) -> list[Balance]:
    """9.3.3 Balances per currency of the actor's stores (or one store) at ``as_of``."""
    actor.require(Permission.FINANCE_READ)
    as_of = as_of or utcnow()
    store_ids = sorted(actor.store_ids) if store is None else [
        get_scoped(session, Store, store.id, actor, what="store").id
    ]  # fmt: skip
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in session.scalars(
        select(Payout).where(Payout.store_id.in_(store_ids), Payout.paid_at <= as_of)
    ):
        totals[p.currency]["paid_out"] += p.net_amount
    for s in _settlements(session, actor):
        if s.settled_at > as_of or (store is not None and s.store_id != store.id):
            continue
        totals[s.sold_currency]["sold"] += s.sold_amount
        totals[s.bought_currency]["bought"] += s.bought_amount
    for r in session.scalars(
        select(RefundPayment).where(
            RefundPayment.store_id.in_(store_ids),
            RefundPayment.source == "balance",
            RefundPayment.paid_at <= as_of,
        )
    ):
        totals[r.currency]["refunds_paid"] += r.amount
    return [
        Balance(c, t["paid_out"], t["sold"], t["bought"], t["refunds_paid"])
        for c, t in sorted(totals.items())
    ]


@dataclass(frozen=True, slots=True)
class QuotaUse:
    """9.3.3 How much of an individual's annual USD 50,000 settlement quota is used."""

    holder: str
    year: int
    used: Money
    quota: Money
    warnings: tuple[str, ...]


def individual_quota(
    session: Session, *, holder: str, year: int, actor: Actor, adding: Money | None = None
) -> QuotaUse:
    """9.3.3 The USD equivalent (at each settlement day's rate) an individual settled in ``year``,
    plus ``adding`` if given, against the annual quota; warns from 80 %."""
    actor.require(Permission.FINANCE_READ)
    book = RateBook(session, actor.company_id)
    used = Money(0, "USD")
    rows = session.execute(
        select(FxSettlement, FxSettlementPosting)
        .join(FxSettlementPosting, FxSettlementPosting.settlement_id == FxSettlement.id)
        .where(
            FxSettlementPosting.company_id == actor.company_id,
            FxSettlementPosting.account == "individual",
            FxSettlementPosting.holder == holder.strip(),
        )
    ).all()
    when = {s.id: s.settled_at for s, _p in rows}
    for s, posting in rows:
        # a reversal gives the quota back in the year (and at the rate) of what it cancels
        at = when.get(posting.reverses_id, s.settled_at) if posting.reverses_id else s.settled_at
        if at.year == year:
            used = used + book.convert(Money(s.sold_amount, s.sold_currency), "USD", at.date())
    if adding is not None:
        used = used + adding
    quota = INDIVIDUAL_ANNUAL_QUOTA_USD
    warnings: list[str] = []
    if used.amount > quota.amount:
        warnings.append(
            f"{holder} would settle {used} in {year}, over the individual quota of {quota}: "
            "settle through the company's account or another licensed channel"
        )
    elif used.amount >= quota.times(QUOTA_WARNING_SHARE).amount:
        warnings.append(f"{holder} has used {used} of the {quota} individual quota for {year}")
    return QuotaUse(holder.strip(), year, used, quota, tuple(warnings))


@dataclass(frozen=True, slots=True)
class SettlementResult:
    settlement: FxSettlement
    warnings: tuple[str, ...]


def settle_fx(
    session: Session,
    *,
    sold: Money,
    rate: str,
    channel: str,
    account: str,
    holder: str,
    actor: Actor,
    store: Store | None = None,
    settled_at: dt.datetime | None = None,
) -> SettlementResult:
    """9.3.3 Sell foreign currency for the base currency at the bank's rate, recorded exactly.

    Refused when the balance of that currency is short, or when an individual's annual quota
    (USD 50,000) would be exceeded; warns from 80 % of the quota.
    """
    actor.require(Permission.FINANCE_MANAGE)
    if account not in ("corporate", "individual"):
        raise InvalidInput("account is corporate or individual", field="account")
    if not holder.strip():
        raise InvalidInput("name the account holder", field="holder")
    company = session.get_one(Company, actor.company_id)
    base = company.base_currency
    if sold.currency == base:
        raise InvalidInput(f"{base} is the base currency: nothing to settle", field="currency")
    if sold.amount <= 0:
        raise InvalidInput("the amount to settle must be above zero", field="amount")
    value = parse_rate(rate)
    settled_at = settled_at or utcnow()
    held = next(
        (b.balance for b in balances(session, actor=actor, store=store, as_of=settled_at)
         if b.currency == sold.currency),
        0,
    )  # fmt: skip
    if sold.amount > held:
        raise InsufficientBalance(
            f"the balance holds {Money(max(held, 0), sold.currency)}; cannot settle {sold}",
            field="amount",
        )
    warnings: tuple[str, ...] = ()
    if account == "individual":
        usd = RateBook(session, actor.company_id).convert(sold, "USD", settled_at.date())
        use = individual_quota(
            session, holder=holder, year=settled_at.year, actor=actor, adding=usd
        )
        if use.used.amount > use.quota.amount:
            raise QuotaExceeded(use.warnings[0], field="holder")
        warnings = use.warnings
    bought = convert(sold, base, value)
    settlement = FxSettlement(
        company_id=actor.company_id,
        store_id=store.id if store else None,
        payout_id=None,
        settled_at=settled_at,
        sold_amount=sold.amount,
        sold_currency=sold.currency,
        bought_amount=bought.amount,
        bought_currency=base,
        rate=str(value),
        channel=channel.strip()[:40],
    )
    session.add(settlement)
    session.flush()
    session.add(
        FxSettlementPosting(
            company_id=actor.company_id, settlement_id=settlement.id, account=account,
            holder=holder.strip(), posted_by_user_id=actor.user_id, reason="settlement",
        )
    )  # fmt: skip
    session.flush()
    return SettlementResult(settlement, warnings)


def reverse_fx_settlement(
    session: Session, *, settlement_id: int, reason: str, actor: Actor
) -> FxSettlement:
    """9.3.3 Cancel a posted settlement by a reversal with the opposite amounts (never an edit)."""
    actor.require(Permission.FINANCE_MANAGE)
    original = next((s for s in _settlements(session, actor) if s.id == settlement_id), None)
    if original is None:
        raise NotFound(f"settlement {settlement_id} not found")
    if not reason.strip():
        raise InvalidInput("give the reason for the reversal", field="reason")
    if original.sold_amount < 0:
        raise Conflict("a reversal cannot itself be reversed; post a new settlement")
    if session.scalar(
        select(FxSettlementPosting.id).where(FxSettlementPosting.reverses_id == original.id)
    ):
        raise Conflict(f"settlement {settlement_id} is already reversed")
    posting = session.scalars(
        select(FxSettlementPosting).where(FxSettlementPosting.settlement_id == original.id)
    ).one_or_none()
    reversal = FxSettlement(
        company_id=original.company_id, store_id=original.store_id, payout_id=original.payout_id,
        settled_at=utcnow(), sold_amount=-original.sold_amount,
        sold_currency=original.sold_currency, bought_amount=-original.bought_amount,
        bought_currency=original.bought_currency, rate=original.rate, channel=original.channel,
    )  # fmt: skip
    session.add(reversal)
    session.flush()
    session.add(
        FxSettlementPosting(
            company_id=actor.company_id, settlement_id=reversal.id,
            account=posting.account if posting else "corporate",
            holder=posting.holder if posting else "", reverses_id=original.id,
            posted_by_user_id=actor.user_id, reason=reason.strip()[:200],
        )
    )  # fmt: skip
    session.flush()
    return reversal


@dataclass(frozen=True, slots=True)
class FxResult:
    """9.3.3 A settlement's gain or loss against the rates at order time, in the base currency."""

    settlement_id: int
    store_id: int | None
    payout_id: int | None
    settled_at: dt.datetime
    sold: Money
    bought: Money
    rate: Decimal
    booked: Money  # the same money at the ECB (or bank) rate of each order's payment day
    gain: Money
    basis: str  # order_time | settlement_day


def order_rate_days(session: Session, order_ids: set[int]) -> dict[int, dt.date]:
    """The day whose rate books each order (when it was paid, or placed if never paid)."""
    days: dict[int, dt.date] = {}
    ids = sorted(order_ids)
    for i in range(0, len(ids), 900):
        for oid, paid, placed in session.execute(
            select(Order.id, Order.paid_at, Order.placed_at).where(Order.id.in_(ids[i : i + 900]))
        ):
            days[oid] = (paid or placed).date()
    return days


def fx_results(session: Session, *, actor: Actor) -> list[FxResult]:
    """9.3.3 Gain or loss of every settlement. A payout's settlement is compared with the money
    of its period booked at each order's payment-day rate (ECB, or the bank's manual rate); a
    settlement without a payout with the reference rate of its own day."""
    actor.require(Permission.FINANCE_READ)
    base = session.get_one(Company, actor.company_id).base_currency
    book = RateBook(session, actor.company_id)
    settlements = _settlements(session, actor)
    payouts = {
        p.id: p
        for p in session.scalars(select(Payout).where(Payout.store_id.in_(sorted(actor.store_ids))))
    }
    comps = store_components(session, store_ids=sorted(actor.store_ids))
    days = order_rate_days(session, {c.order_id for c in comps if c.order_id is not None})
    by_store: dict[int, list[Component]] = defaultdict(list)
    for c in comps:
        by_store[c.store_id].append(c)
    out = []
    for s in settlements:
        sold = Money(s.sold_amount, s.sold_currency)
        bought = Money(s.bought_amount, s.bought_currency)
        payout = payouts.get(s.payout_id) if s.payout_id else None
        if payout is not None and payout.net_amount:
            booked_total = sum(
                (book.convert(Money(c.amount, c.currency), base,
                              days.get(c.order_id, c.day) if c.order_id else c.day).amount
                 for c in by_store[payout.store_id] if in_payout(c, payout)),
                0,
            )  # fmt: skip
            # a settlement of part of the payout books that share of it
            booked = Money(
                int((Decimal(booked_total) * sold.amount / payout.net_amount).to_integral_value()),
                base,
            )
            basis = "order_time"
        else:
            booked = book.convert(sold, base, s.settled_at.date())
            basis = "settlement_day"
        out.append(
            FxResult(
                settlement_id=s.id, store_id=s.store_id, payout_id=s.payout_id,
                settled_at=s.settled_at, sold=sold, bought=bought, rate=Decimal(s.rate),
                booked=booked, gain=bought - booked, basis=basis,
            )
        )  # fmt: skip
    return out


def company_base(session: Session, actor: Actor) -> str:
    """The company's base currency."""
    return session.get_one(Company, actor.company_id).base_currency


def parse_money(amount: str, currency: str) -> Money:
    """``Money`` from decimal text and a currency code."""
    return Money.parse(amount, normalize_currency(currency))
