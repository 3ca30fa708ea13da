"""Amazon returns report → refund requests of imported orders."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.connectors import service
from storeops.connectors.enums import ImportStatus
from storeops.connectors.models import ImportJob
from storeops.orders.enums import RefundStatus
from storeops.orders.models import Order, RefundRequest
from tests.connectors.factories import ALL_ORDERS_HEADER, FIXTURES, amazon_store, order_row, tsv

FIXTURE = FIXTURES / "amazon-reports" / "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE.csv"
HEADER = FIXTURE.read_text().splitlines()[0].split("\t")


def run(session: Session, store_id: int, actor, data: bytes, report: str = "returns") -> ImportJob:
    job = service.start_import(
        session,
        store_id=store_id,
        platform="amazon",
        report=report,
        file_name="returns.txt",
        data=data,
        actor=actor,
    )
    return service.execute_import(session, job=job, data=data, actor=actor, force=True)


def ret(**cells: str) -> list[str]:
    values = dict.fromkeys(HEADER, "")
    values.update({"Currency code": "USD", "Return request status": "Approved", **cells})
    return [values[h] for h in HEADER]


def test_returns_become_refund_requests_summed_per_rma(session: Session) -> None:
    store, actor = amazon_store(session)
    run(
        session,
        store.id,
        actor,
        tsv(ALL_ORDERS_HEADER, [order_row("111-1"), order_row("111-2")]),
        "all-orders",
    )
    data = tsv(
        HEADER,
        [
            ret(
                **{
                    "Order ID": "111-1",
                    "Amazon RMA ID": "R1",
                    "Merchant SKU": "A",
                    "Return request date": "2024-03-05T09:00:00+00:00",
                    "Return Reason": "DEFECTIVE",
                    "Refunded Amount": "12.50",
                }
            ),
            ret(
                **{
                    "Order ID": "111-1",
                    "Amazon RMA ID": "R1",
                    "Merchant SKU": "B",
                    "Return request date": "2024-03-05T09:00:00+00:00",
                    "Return Reason": "DEFECTIVE",
                    "Refunded Amount": "7.49",
                }
            ),
            ret(
                **{
                    "Order ID": "111-2",
                    "Amazon RMA ID": "R2",
                    "Return request status": "Rejected",
                    "Return request date": "2024-03-06T10:30:00+00:00",
                    "Return Reason": "NO_LONGER_NEEDED",
                }
            ),
        ],
    )
    job = run(session, store.id, actor, data)
    assert job.status == ImportStatus.SUCCEEDED, job.message
    refunds = {
        r.external_id: r
        for r in session.scalars(select(RefundRequest).where(RefundRequest.store_id == store.id))
    }
    assert sorted(refunds) == ["R1", "R2"]
    first = refunds["R1"]
    order_1 = session.scalar(
        select(Order.id).where(Order.external_id == "111-1", Order.store_id == store.id)
    )
    assert (first.order_id, first.amount, first.currency) == (order_1, 1999, "USD")
    assert (first.reason, first.status) == ("DEFECTIVE", RefundStatus.APPROVED)
    assert first.requested_at == dt.datetime(2024, 3, 5, 9, tzinfo=dt.UTC)
    assert (refunds["R2"].amount, refunds["R2"].status) == (0, RefundStatus.REJECTED)
    again = run(session, store.id, actor, data)
    assert again.counts["refund_requests"] == {"inserted": 0, "updated": 0, "unchanged": 2}


def test_a_return_of_an_unknown_order_rejects_the_file(session: Session) -> None:
    store, actor = amazon_store(session)
    data = tsv(
        HEADER,
        [
            ret(
                **{
                    "Order ID": "999-9",
                    "Amazon RMA ID": "R9",
                    "Return request date": "2024-03-05T09:00:00+00:00",
                }
            )
        ],
    )
    job = run(session, store.id, actor, data)
    assert job.status == ImportStatus.REJECTED
    assert job.errors[0]["column"] == "Order ID"
    assert "import the all-orders report first" in job.errors[0]["reason"]


def test_the_fixture_layout_is_recognised_and_its_placeholder_rows_are_refused(
    session: Session,
) -> None:
    store, actor = amazon_store(session)
    job = run(session, store.id, actor, FIXTURE.read_bytes())
    assert job.status == ImportStatus.REJECTED
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (2, "Return request date"),
        (3, "Return request date"),
    }
