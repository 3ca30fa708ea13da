"""Amazon settlement report V2, flat file (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE).

Layout: tab-separated; the first data row is the settlement summary (``settlement-id``,
start/end/deposit dates, ``total-amount``, ``currency``); every other row is one amount of one
transaction (an order's principal, a fee, a refund, a promotion …), as in the fixture
``amazon-reports/GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE.csv``. One file is one settlement.

In storeops terms: a payout (``external_id`` = settlement id, ``net_amount`` = total-amount, paid
at the deposit date) with ``gross`` = the price amounts of Order rows, ``refunds`` = the price
amounts of Refund rows (as a positive number) and ``fees`` = every fee column (positive when
charged); and one platform fee per non-zero fee amount, linked to the order when storeops knows it.
Promotions, direct payments and other amounts are in the net only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from storeops.connectors.amazon.common import check_marketplaces
from storeops.connectors.amazon.orders import lock_store
from storeops.connectors.errors import FileRefused
from storeops.connectors.framework import Counts, FileImporter, ImportContext, Parsed
from storeops.connectors.linking import chunks, tally
from storeops.connectors.values import RowInvalid, parse_datetime, parse_money
from storeops.finance.models import Payout, PlatformFee
from storeops.orders.models import Order

FEE_COLUMNS = (
    ("item-related-fee-type", "item-related-fee-amount"),
    ("shipment-fee-type", "shipment-fee-amount"),
    ("order-fee-type", "order-fee-amount"),
    ("", "misc-fee-amount"),
    ("other-fee-reason-description", "other-fee-amount"),
)
OTHER_COLUMNS = ("promotion-amount", "direct-payment-amount", "other-amount")


@dataclass(frozen=True, slots=True)
class SettlementRow:
    row: int
    settlement_id: str
    summary: bool
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    deposit: dt.datetime | None = None
    total: int = 0
    transaction_type: str = ""
    order_id: str = ""
    marketplace: str = ""
    posted_at: dt.datetime | None = None
    price: int = 0
    fees: tuple[tuple[str, int], ...] = ()
    other: int = 0


class SettlementImporter(FileImporter[SettlementRow]):
    """9.3.2 Amazon settlement V2 flat file → a payout and its platform fees."""

    platform: ClassVar[str] = "amazon"
    report: ClassVar[str] = "settlement"
    title: ClassVar[str] = "Amazon settlement report V2 (flat file)"
    layout: ClassVar[str] = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE (tab-separated)"
    required_columns: ClassVar[tuple[str, ...]] = (
        "settlement-id",
        "settlement-start-date",
        "settlement-end-date",
        "deposit-date",
        "total-amount",
        "currency",
        "transaction-type",
        "order-id",
        "marketplace-name",
        "posted-date",
        "price-amount",
        *(amount for _, amount in FEE_COLUMNS),
        *(kind for kind, _ in FEE_COLUMNS if kind),
        *OTHER_COLUMNS,
    )

    def parse_row(
        self, row: int, cells: list[str], at: dict[str, int], ctx: ImportContext
    ) -> SettlementRow:
        settlement_id = cells[at["settlement-id"]].strip()
        if not settlement_id:
            raise RowInvalid("settlement-id", "is empty", "")
        if len(settlement_id) > 60:
            raise RowInvalid("settlement-id", "is longer than 60 characters", settlement_id[:80])
        currency = ctx.currency
        if cells[at["total-amount"]].strip():
            found = cells[at["currency"]].strip().upper()
            if found != ctx.currency:
                raise RowInvalid("currency", f"is not the store's currency {ctx.currency}", found)
            return SettlementRow(
                row=row,
                settlement_id=settlement_id,
                summary=True,
                start=parse_datetime(cells[at["settlement-start-date"]], "settlement-start-date"),
                end=parse_datetime(cells[at["settlement-end-date"]], "settlement-end-date"),
                deposit=parse_datetime(cells[at["deposit-date"]], "deposit-date"),
                total=parse_money(cells[at["total-amount"]], currency, "total-amount"),
            )
        kind = cells[at["transaction-type"]].strip()
        if not kind:
            raise RowInvalid("transaction-type", "is empty on a detail row", "")
        fees: list[tuple[str, int]] = []
        for type_column, amount_column in FEE_COLUMNS:
            amount = parse_money(cells[at[amount_column]], currency, amount_column)
            if amount:
                label = cells[at[type_column]].strip() if type_column else ""
                fees.append(((label or amount_column.removesuffix("-amount"))[:30], amount))
        other = sum(parse_money(cells[at[c]], currency, c) for c in OTHER_COLUMNS)
        posted_raw = cells[at["posted-date"]].strip()
        return SettlementRow(
            row=row,
            settlement_id=settlement_id,
            summary=False,
            transaction_type=kind,
            order_id=cells[at["order-id"]].strip(),
            marketplace=cells[at["marketplace-name"]].strip(),
            posted_at=parse_datetime(posted_raw, "posted-date") if posted_raw else None,
            price=parse_money(cells[at["price-amount"]], currency, "price-amount"),
            fees=tuple(fees),
            other=other,
        )

    def check_file(self, parsed: Parsed[SettlementRow], ctx: ImportContext) -> None:
        ids = {r.settlement_id for r in parsed.records}
        if len(ids) > 1:
            raise FileRefused(
                f"the file mixes settlements {', '.join(sorted(ids))}; one file is one settlement",
                field="settlement-id",
            )
        summaries = [r for r in parsed.records if r.summary]
        if len(summaries) != 1 and not parsed.errors:
            raise FileRefused(
                f"a settlement file has one summary row with total-amount; this has "
                f"{len(summaries)}",
                field="total-amount",
            )
        check_marketplaces(
            {r.marketplace for r in parsed.records if r.marketplace.lower().startswith("amazon.")},
            ctx,
            "marketplace-name",
        )

    def write(
        self, session: Session, records: Sequence[SettlementRow], ctx: ImportContext
    ) -> Counts:
        counts: Counts = {}
        lock_store(session, ctx.store_id)
        summary = next(r for r in records if r.summary)
        details = [r for r in records if not r.summary]
        assert summary.start is not None
        assert summary.end is not None
        assert summary.deposit is not None
        gross = sum(r.price for r in details if r.transaction_type.lower() == "order")
        refunds = -sum(r.price for r in details if r.transaction_type.lower() == "refund")
        fees_total = -sum(amount for r in details for _, amount in r.fees)
        values: dict[str, Any] = {
            "period_start": summary.start.date(),
            "period_end": summary.end.date(),
            "gross_amount": gross,
            "fees_amount": fees_total,
            "refunds_amount": refunds,
            "net_amount": summary.total,
            "currency": ctx.currency,
            "paid_at": summary.deposit,
        }
        have = session.execute(
            select(Payout).where(
                Payout.store_id == ctx.store_id, Payout.external_id == summary.settlement_id
            )
        ).scalar_one_or_none()
        if have is None:
            session.execute(
                insert(Payout),
                [{"store_id": ctx.store_id, "external_id": summary.settlement_id, **values}],
            )
            payout_id = session.scalar(
                select(Payout.id).where(
                    Payout.store_id == ctx.store_id, Payout.external_id == summary.settlement_id
                )
            )
            tally(counts, "payouts", inserted=1)
        else:
            payout_id = have.id
            differs = {k: v for k, v in values.items() if getattr(have, k) != v}
            if differs:
                session.execute(update(Payout).where(Payout.id == have.id).values(differs))
            tally(counts, "payouts", updated=int(bool(differs)), unchanged=int(not differs))
        assert payout_id is not None
        order_ids = _orders(
            session, ctx.store_id, sorted({r.order_id for r in details if r.order_id})
        )
        wanted = sorted(
            (
                order_ids.get(r.order_id),
                kind,
                -amount,
                r.posted_at or summary.end,
            )
            for r in details
            for kind, amount in r.fees
        )
        existing = sorted(
            (o, k, a, c)
            for o, k, a, c in session.execute(
                select(
                    PlatformFee.order_id,
                    PlatformFee.kind,
                    PlatformFee.amount,
                    PlatformFee.charged_at,
                ).where(PlatformFee.payout_id == payout_id)
            ).tuples()
        )
        if existing == wanted:
            tally(counts, "platform_fees", unchanged=len(wanted))
            return counts
        session.execute(delete(PlatformFee).where(PlatformFee.payout_id == payout_id))
        if wanted:
            session.execute(
                insert(PlatformFee),
                [
                    {
                        "store_id": ctx.store_id,
                        "order_id": order_id,
                        "payout_id": payout_id,
                        "kind": kind,
                        "amount": amount,
                        "currency": ctx.currency,
                        "charged_at": charged_at,
                    }
                    for order_id, kind, amount, charged_at in wanted
                ],
            )
        tally(counts, "platform_fees", inserted=len(wanted))
        if existing:
            counts["platform_fees"]["replaced"] = len(existing)
        return counts


def _orders(session: Session, store_id: int, external_ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in chunks(external_ids):
        stmt = select(Order.external_id, Order.id).where(
            Order.store_id == store_id, Order.external_id.in_(part)
        )
        found.update({e: int(i) for e, i in session.execute(stmt).tuples()})
    return found
