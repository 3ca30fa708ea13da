"""Profit per order, per SKU and per store in the company's base currency, and the reconciliation
of the money records with the platforms' payouts (9.3.2 / 9.3.3).

profit = sale − platform fees − advertising − shipping − landed cost − refunds ± FX

- sale: what the buyer paid (payments); fees, refunds: the order's platform fees and refunds
  (cancelled after payment: what was paid; refunded: the approved refund requests). All three
  are booked at the rate of the order's payment day (ECB reference, or the bank's manual rate).
- advertising: the store's advertising charges, each shared among the store's orders paid in the
  same calendar month (UTC) in proportion to their sale, largest remainder so the shares add up.
- shipping: the shipment's fee plus an undeliverable parcel's fee (9.1.7).
- landed cost: quantity x the SKU's cost.
- FX: for every settled payout, each money record of its period is worth (its amount x the
  settlement's rate) − (its booked value); the payout's gain is spread that way over its orders
  with the rounding remainder on the largest record, so the orders' FX adds up to the
  settlements' gain or loss. Money not settled yet has no FX.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.catalog.models import Sku
from storeops.finance.fx import company_base, order_rate_days
from storeops.finance.ledger import ADVERTISING, Component, in_payout, store_components
from storeops.finance.models import FxSettlement, Payout
from storeops.finance.rates import RateBook, convert
from storeops.logistics.models import Shipment
from storeops.orders.models import Order, OrderLine
from storeops.types import Money


@dataclass
class OrderProfit:
    """One order's profit in base-currency minor units."""

    order_id: int
    store_id: int
    external_id: str
    currency: str
    sale: int = 0
    platform_fees: int = 0
    advertising: int = 0
    shipping: int = 0
    landed_cost: int = 0
    refunds: int = 0
    fx: int = 0
    sku_shares: dict[int, int] = field(default_factory=dict)  # sku id → line amount

    @property
    def profit(self) -> int:
        return (self.sale - self.platform_fees - self.advertising - self.shipping
                - self.landed_cost - self.refunds + self.fx)  # fmt: skip


FIELDS = ("sale", "platform_fees", "advertising", "shipping", "landed_cost", "refunds", "fx")


@dataclass(frozen=True)
class ProfitReport:
    base_currency: str
    orders: list[OrderProfit]
    unallocated_advertising: dict[int, int]  # store → base minor units with no order to carry it

    def by_store(self) -> dict[int, dict[str, int]]:
        """Totals per store (advertising without orders to carry it counts against the store)."""
        out: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys((*FIELDS, "profit"), 0))
        for o in self.orders:
            row = out[o.store_id]
            for f in FIELDS:
                row[f] += getattr(o, f)
            row["profit"] += o.profit
        for store_id, amount in self.unallocated_advertising.items():
            out[store_id]["advertising"] += amount
            out[store_id]["profit"] -= amount
        return dict(out)

    def by_sku(self) -> dict[int, dict[str, int]]:
        """Totals per SKU: each order's figures shared by its lines' amounts (largest remainder)."""
        out: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys((*FIELDS, "profit"), 0))
        for o in self.orders:
            if not o.sku_shares:
                continue
            for f in (*FIELDS, "profit"):
                value = o.profit if f == "profit" else getattr(o, f)
                for sku_id, part in _split(value, o.sku_shares).items():
                    out[sku_id][f] += part
        return dict(out)


def _split(total: int, weights: dict[int, int]) -> dict[int, int]:
    """``total`` shared by ``weights`` with the largest-remainder method (shares add up exactly)."""
    keys = sorted(weights)
    weight_sum = sum(weights[k] for k in keys)
    if weight_sum == 0:
        first = {k: 0 for k in keys}
        if keys:
            first[keys[0]] = total
        return first
    raw = {k: Decimal(total) * weights[k] / weight_sum for k in keys}
    shares = {k: int(raw[k].to_integral_value(rounding="ROUND_FLOOR")) for k in keys}
    rest = total - sum(shares.values())
    for k in sorted(keys, key=lambda k: (raw[k] - shares[k], -k), reverse=True)[: abs(rest)]:
        shares[k] += 1 if rest > 0 else -1
    return shares


def profit_report(
    session: Session,
    *,
    actor: Actor,
    store_ids: list[int] | None = None,
    paid_from: dt.date | None = None,
    paid_to: dt.date | None = None,
) -> ProfitReport:
    """Profit per order (and per SKU, per store) of the actor's stores, in the base currency."""
    actor.require(Permission.FINANCE_READ)
    stores = sorted(actor.store_ids if store_ids is None else set(store_ids) & actor.store_ids)
    base = company_base(session, actor)
    book = RateBook(session, actor.company_id)
    comps = store_components(session, store_ids=stores)
    orders = {o.id: o for o in session.scalars(select(Order).where(Order.store_id.in_(stores)))}
    days = order_rate_days(session, set(orders))
    result: dict[int, OrderProfit] = {
        o.id: OrderProfit(o.id, o.store_id, o.external_id, o.currency) for o in orders.values()
    }

    def booked(c: Component) -> int:
        day = days.get(c.order_id, c.day) if c.order_id is not None else c.day
        return book.convert(Money(c.amount, c.currency), base, day).amount

    ads: list[Component] = []
    for c in comps:
        if c.kind == ADVERTISING or c.order_id is None:
            ads.append(c)
            continue
        row = result[c.order_id]
        value = booked(c)
        if c.kind == "payment":
            row.sale += value
        elif c.kind.startswith("fee:"):
            row.platform_fees -= value
        else:
            row.refunds -= value
    # advertising: each charge shared by the store's orders paid in its month, by sale
    unallocated: dict[int, int] = defaultdict(int)
    for c in ads:
        amount = -book.convert(Money(c.amount, c.currency), base, c.day).amount
        month = (c.day.year, c.day.month)
        weights = {
            o.id: result[o.id].sale
            for o in orders.values()
            if o.store_id == c.store_id and o.id in days
            and (days[o.id].year, days[o.id].month) == month and result[o.id].sale > 0
        }  # fmt: skip
        if not weights:
            unallocated[c.store_id] += amount
            continue
        for oid, share in _split(amount, weights).items():
            result[oid].advertising += share
    # shipping and undeliverable fees
    for s in session.scalars(select(Shipment).where(Shipment.store_id.in_(stores))):
        day = s.shipped_at.date()
        fee = book.convert(Money(s.fee_amount, s.fee_currency), base, day).amount
        extra = s.undeliverable_fee_amount or 0
        fee += book.convert(Money(extra, s.fee_currency), base, day).amount
        result[s.order_id].shipping += fee
    # landed cost and SKU shares
    costs = {
        sku_id: Money(amount, currency)
        for sku_id, amount, currency in session.execute(
            select(Sku.id, Sku.cost_amount, Sku.cost_currency).where(
                Sku.company_id == actor.company_id
            )
        )
    }
    for line in session.scalars(select(OrderLine).where(OrderLine.store_id.in_(stores))):
        row = result[line.order_id]
        cost = costs[line.sku_id]
        day = days.get(line.order_id, orders[line.order_id].placed_at.date())
        row.landed_cost += book.convert(
            Money(cost.amount * line.quantity, cost.currency), base, day
        ).amount
        row.sku_shares[line.sku_id] = row.sku_shares.get(line.sku_id, 0) + line.line_amount
    # FX of settled payouts, spread over the records of their periods
    for order_id, gain in _fx_by_order(session, actor, comps, booked, base).items():
        result[order_id].fx += gain
    chosen = [
        r for r in result.values()
        if (paid_from is None or (r.order_id in days and days[r.order_id] >= paid_from))
        and (paid_to is None or (r.order_id in days and days[r.order_id] <= paid_to))
    ]  # fmt: skip
    chosen.sort(key=lambda r: r.order_id)
    return ProfitReport(base, chosen, dict(unallocated))


def _fx_by_order(
    session: Session, actor: Actor, comps: list[Component], booked: object, base: str
) -> dict[int, int]:
    assert callable(booked)
    payouts = {
        p.id: p
        for p in session.scalars(select(Payout).where(Payout.store_id.in_(sorted(actor.store_ids))))
    }
    by_store: dict[int, list[Component]] = defaultdict(list)
    for c in comps:
        by_store[c.store_id].append(c)
    gains: dict[int, int] = defaultdict(int)
    settlements = session.scalars(
        select(FxSettlement).where(
            FxSettlement.company_id == actor.company_id, FxSettlement.payout_id.is_not(None)
        )
    )
    for s in settlements:
        payout = payouts.get(s.payout_id or 0)
        if payout is None or not payout.net_amount:
            continue
        share = Decimal(s.sold_amount) / payout.net_amount  # part of the payout settled
        rate = Decimal(s.rate)
        every = [c for c in by_store[payout.store_id] if in_payout(c, payout)]
        parts = [c for c in every if c.order_id is not None and c.kind != ADVERTISING]
        if not parts:
            continue
        values = []
        for c in parts:
            settled = convert(Money(c.amount, c.currency), base, rate).amount
            values.append((c, int((Decimal(settled - booked(c)) * share).to_integral_value())))
        # advertising charged in the period has no order: its FX rides on the largest record
        booked_total = sum(booked(c) for c in every)
        target = s.bought_amount - int((Decimal(booked_total) * share).to_integral_value())
        residual = target - sum(v for _c, v in values)
        largest = max(range(len(values)), key=lambda i: abs(values[i][0].amount))
        for i, (c, v) in enumerate(values):
            assert c.order_id is not None
            gains[c.order_id] += v + (residual if i == largest else 0)
    return gains


@dataclass(frozen=True, slots=True)
class PayoutCheck:
    """A payout against the money records of its period (store currency)."""

    payout_id: int
    store_id: int
    period_start: dt.date
    period_end: dt.date
    gross: int
    gross_records: int
    fees: int
    fees_records: int
    refunds: int
    refunds_records: int
    net: int
    currency: str

    @property
    def difference(self) -> int:
        return ((self.gross - self.gross_records) - (self.fees - self.fees_records)
                - (self.refunds - self.refunds_records))  # fmt: skip


def reconcile_payouts(session: Session, *, actor: Actor) -> list[PayoutCheck]:
    """9.3.2 Every payout's gross, fees and refunds recomputed from the payments, order fees and
    refunds dated in its period; a difference means a missing or extra record."""
    actor.require(Permission.FINANCE_READ)
    stores = sorted(actor.store_ids)
    comps = store_components(session, store_ids=stores)
    by_store: dict[int, list[Component]] = defaultdict(list)
    for c in comps:
        by_store[c.store_id].append(c)
    out = []
    for p in session.scalars(
        select(Payout).where(Payout.store_id.in_(stores)).order_by(Payout.store_id, Payout.id)
    ):
        parts = [c for c in by_store[p.store_id] if in_payout(c, p)]
        out.append(
            PayoutCheck(
                payout_id=p.id, store_id=p.store_id, period_start=p.period_start,
                period_end=p.period_end, gross=p.gross_amount,
                gross_records=sum(c.amount for c in parts if c.kind == "payment"),
                fees=p.fees_amount,
                fees_records=-sum(c.amount for c in parts
                                  if c.kind.startswith("fee:") or c.kind == ADVERTISING),
                refunds=p.refunds_amount,
                refunds_records=-sum(c.amount for c in parts
                                     if c.kind in ("refund", "cancellation")),
                net=p.net_amount, currency=p.currency,
            )
        )  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class StoreReconciliation:
    """The profit table's money against what the platform paid out (store currency)."""

    store_id: int
    currency: str
    records_net: int  # payments − fees − advertising − refunds of every order and charge
    paid_out: int  # the payouts' net
    pending: int  # records dated after the last payout's period (not paid out yet)
    unpaid_periods: int  # records dated in no payout period before that

    @property
    def difference(self) -> int:
        return self.records_net - self.paid_out - self.pending - self.unpaid_periods


def reconcile_profit(session: Session, *, actor: Actor) -> list[StoreReconciliation]:
    """The money the profit table is built from equals the payouts plus what is not paid out yet."""
    actor.require(Permission.FINANCE_READ)
    stores = sorted(actor.store_ids)
    comps = store_components(session, store_ids=stores)
    payouts: dict[int, list[Payout]] = defaultdict(list)
    for p in session.scalars(select(Payout).where(Payout.store_id.in_(stores))):
        payouts[p.store_id].append(p)
    out = []
    for store_id in stores:
        mine = [c for c in comps if c.store_id == store_id]
        if not mine and not payouts[store_id]:
            continue
        last_end = max((p.period_end for p in payouts[store_id]), default=dt.date.min)
        pending = sum(c.amount for c in mine if c.day > last_end)
        covered = sum(c.amount for c in mine if any(in_payout(c, p) for p in payouts[store_id]))
        unpaid = sum(c.amount for c in mine if c.day <= last_end) - covered
        out.append(
            StoreReconciliation(
                store_id=store_id,
                currency=(mine[0].currency if mine else payouts[store_id][0].currency),
                records_net=sum(c.amount for c in mine),
                paid_out=sum(p.net_amount for p in payouts[store_id]),
                pending=pending,
                unpaid_periods=unpaid,
            )
        )
    return out
