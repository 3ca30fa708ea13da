"""Amazon returns report by return date (GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE).

Layout: tab-separated, one row per returned item, columns ``Order ID`` … ``Refunded Amount`` as in
the fixture ``amazon-reports/GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE.csv`` (Airbyte's copy; its
rows repeat the header names, so only the layout is taken from it). Each return authorisation
(``Amazon RMA ID``) becomes one refund request of the order, with the refunded amounts of its
rows summed; the order must already be in storeops (import the all-orders report first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from storeops.connectors.amazon.orders import lock_store
from storeops.connectors.framework import (
    Counts,
    FileImporter,
    ImportContext,
    Parsed,
    RowError,
)
from storeops.connectors.linking import chunks, tally
from storeops.connectors.values import RowInvalid, clean_text, parse_datetime, parse_money
from storeops.orders.enums import RefundStatus
from storeops.orders.models import Order, RefundRequest

STATUS = {
    "approved": RefundStatus.APPROVED,
    "authorized": RefundStatus.APPROVED,
    "completed": RefundStatus.APPROVED,
    "closed": RefundStatus.APPROVED,
    "refunded": RefundStatus.APPROVED,
    "rejected": RefundStatus.REJECTED,
    "denied": RefundStatus.REJECTED,
    "pending": RefundStatus.REQUESTED,
    "requested": RefundStatus.REQUESTED,
    "unauthorized": RefundStatus.REQUESTED,
}


@dataclass(frozen=True, slots=True)
class ReturnRow:
    row: int
    order_id: str
    rma: str
    requested_at: dt.datetime
    status: RefundStatus
    reason: str
    refunded: int


class ReturnsImporter(FileImporter[ReturnRow]):
    """8.3.3 / 9.3.4 Amazon returns report → refund requests of the store's orders."""

    platform: ClassVar[str] = "amazon"
    report: ClassVar[str] = "returns"
    title: ClassVar[str] = "Amazon returns report (by return date)"
    layout: ClassVar[str] = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE (tab-separated)"
    required_columns: ClassVar[tuple[str, ...]] = (
        "Order ID",
        "Return request date",
        "Return request status",
        "Amazon RMA ID",
        "Currency code",
        "Merchant SKU",
        "Return Reason",
        "Refunded Amount",
    )

    def parse_row(
        self, row: int, cells: list[str], at: dict[str, int], ctx: ImportContext
    ) -> ReturnRow:
        order_id = cells[at["Order ID"]].strip()
        if not order_id:
            raise RowInvalid("Order ID", "is empty", "")
        requested = parse_datetime(cells[at["Return request date"]], "Return request date")
        raw_status = cells[at["Return request status"]].strip()
        status = STATUS.get(raw_status.lower())
        if status is None:
            raise RowInvalid("Return request status", "is not a return status", raw_status)
        currency = cells[at["Currency code"]].strip().upper() or ctx.currency
        if currency != ctx.currency:
            raise RowInvalid(
                "Currency code", f"is not the store's currency {ctx.currency}", currency
            )
        rma = cells[at["Amazon RMA ID"]].strip()
        if not rma:
            rma = f"{order_id}:{cells[at['Merchant SKU']].strip()}:{requested:%Y%m%d%H%M}"
        if len(rma) > 60:
            raise RowInvalid("Amazon RMA ID", "is longer than 60 characters", rma[:80])
        refunded = parse_money(
            cells[at["Refunded Amount"]], currency, "Refunded Amount", allow_negative=False
        )
        return ReturnRow(
            row=row,
            order_id=order_id,
            rma=rma,
            requested_at=requested,
            status=status,
            reason=(clean_text(cells[at["Return Reason"]]) or "unspecified")[:40],
            refunded=refunded,
        )

    def validate(self, session: Session, parsed: Parsed[ReturnRow], ctx: ImportContext) -> None:
        wanted = sorted({r.order_id for r in parsed.records})
        self.orders = _orders(session, ctx.store_id, wanted)
        missing = [r for r in parsed.records if r.order_id not in self.orders]
        for record in missing:
            parsed.fail(
                RowError(
                    record.row,
                    "Order ID",
                    "is not an order of this store in storeops; import the all-orders report first",
                    record.order_id,
                )
            )
        if missing:
            parsed.records = [r for r in parsed.records if r.order_id in self.orders]

    def write(self, session: Session, records: Sequence[ReturnRow], ctx: ImportContext) -> Counts:
        counts: Counts = {}
        lock_store(session, ctx.store_id)
        by_rma: dict[str, list[ReturnRow]] = {}
        for r in records:
            by_rma.setdefault(r.rma, []).append(r)
        wanted: dict[str, dict[str, Any]] = {}
        for rma, rows in by_rma.items():
            first = min(rows, key=lambda r: r.requested_at)
            wanted[rma] = {
                "order_id": self.orders[first.order_id],
                "reason": first.reason,
                "amount": sum(r.refunded for r in rows),
                "currency": ctx.currency,
                "requested_at": first.requested_at,
                "status": first.status,
            }
        existing: dict[str, dict[str, Any]] = {}
        table = cast(Table, RefundRequest.__table__)
        for part in chunks(sorted(wanted)):
            stmt = select(
                table.c.id,
                table.c.external_id,
                table.c.order_id,
                table.c.reason,
                table.c.amount,
                table.c.currency,
                table.c.requested_at,
                table.c.status,
            ).where(table.c.store_id == ctx.store_id, table.c.external_id.in_(part))
            existing.update({r["external_id"]: dict(r) for r in session.execute(stmt).mappings()})
        new = [
            {"store_id": ctx.store_id, "external_id": rma, "resolved_at": None, **values}
            for rma, values in wanted.items()
            if rma not in existing
        ]
        changes = [
            {"b_id": existing[rma]["id"], **values}
            for rma, values in wanted.items()
            if rma in existing and any(existing[rma][k] != v for k, v in values.items())
        ]
        if new:
            session.execute(insert(RefundRequest), new)
        if changes:
            change = (
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values({c: bindparam(c) for c in changes[0] if c != "b_id"})
            )
            session.execute(change, changes)
        tally(
            counts,
            "refund_requests",
            inserted=len(new),
            updated=len(changes),
            unchanged=len(wanted) - len(new) - len(changes),
        )
        return counts

    orders: dict[str, int]


def _orders(session: Session, store_id: int, external_ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in chunks(external_ids):
        stmt = select(Order.external_id, Order.id).where(
            Order.store_id == store_id, Order.external_id.in_(part)
        )
        found.update({e: int(i) for e, i in session.execute(stmt).tuples()})
    return found
