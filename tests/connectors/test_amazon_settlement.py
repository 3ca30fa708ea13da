"""Amazon settlement V2 flat file → payout and platform fees, linked to imported orders."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.connectors import service
from storeops.connectors.enums import ImportStatus
from storeops.connectors.errors import FileRefused
from storeops.connectors.models import ImportJob
from storeops.finance.models import Payout, PlatformFee
from storeops.orders.models import Order
from tests.connectors.factories import ALL_ORDERS_HEADER, FIXTURES, amazon_store, order_row, tsv

FIXTURE = FIXTURES / "amazon-reports" / "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE.csv"


def run(
    session: Session, store_id: int, actor, data: bytes, report: str = "settlement"
) -> ImportJob:
    job = service.start_import(
        session,
        store_id=store_id,
        platform="amazon",
        report=report,
        file_name="settlement.txt",
        data=data,
        actor=actor,
    )
    return service.execute_import(session, job=job, data=data, actor=actor, force=True)


def test_the_fixture_becomes_a_payout_with_its_fee_linked_to_the_order(session: Session) -> None:
    store, actor = amazon_store(session)
    run(
        session,
        store.id,
        actor,
        tsv(ALL_ORDERS_HEADER, [order_row("111-1111111-1111111")]),
        "all-orders",
    )
    job = run(session, store.id, actor, FIXTURE.read_bytes())
    assert job.status == ImportStatus.SUCCEEDED, job.message
    payout = session.scalars(select(Payout).where(Payout.store_id == store.id)).one()
    assert payout.external_id == "12345678901"
    assert (payout.period_start, payout.period_end) == (dt.date(2023, 1, 1), dt.date(2023, 1, 15))
    assert payout.paid_at == dt.datetime(2023, 1, 17, tzinfo=dt.UTC)
    # one Order row: principal 19.99, FBA fee -3.22; the summary's total is 1234.56
    assert (payout.gross_amount, payout.fees_amount, payout.refunds_amount) == (1999, 322, 0)
    assert (payout.net_amount, payout.currency) == (123456, "USD")
    order_id = session.scalar(select(Order.id).where(Order.external_id == "111-1111111-1111111"))
    fee = session.scalars(select(PlatformFee).where(PlatformFee.payout_id == payout.id)).one()
    assert (fee.kind, fee.amount, fee.order_id) == ("FBAPerUnitFulfillmentFee", 322, order_id)
    assert fee.charged_at == dt.datetime(2023, 1, 3, 10, tzinfo=dt.UTC)
    again = run(session, store.id, actor, FIXTURE.read_bytes())
    assert again.counts == {
        "payouts": {"inserted": 0, "updated": 0, "unchanged": 1},
        "platform_fees": {"inserted": 0, "updated": 0, "unchanged": 1},
    }


def test_refunds_and_several_fees_are_summed_by_hand(session: Session) -> None:
    store, actor = amazon_store(session)
    header = FIXTURE.read_text().splitlines()[0].split("\t")

    def row(**cells: str) -> list[str]:
        values = dict.fromkeys(header, "")
        values.update({"settlement-id": "S-9", **cells})
        return [values[h] for h in header]

    data = tsv(
        header,
        [
            row(
                **{
                    "settlement-start-date": "2024-02-01 00:00:00 UTC",
                    "settlement-end-date": "2024-02-15 00:00:00 UTC",
                    "deposit-date": "2024-02-17 00:00:00 UTC",
                    "total-amount": "30.00",
                    "currency": "USD",
                }
            ),
            row(
                **{
                    "transaction-type": "Order",
                    "order-id": "111-1",
                    "price-type": "Principal",
                    "price-amount": "50.00",
                    "item-related-fee-type": "Commission",
                    "item-related-fee-amount": "-7.50",
                    "posted-date": "2024-02-02 08:00:00 UTC",
                    "marketplace-name": "Amazon.com",
                }
            ),
            row(
                **{
                    "transaction-type": "Refund",
                    "order-id": "111-2",
                    "price-type": "Principal",
                    "price-amount": "-12.00",
                    "item-related-fee-type": "Commission",
                    "item-related-fee-amount": "1.50",
                    "posted-date": "2024-02-03 08:00:00 UTC",
                }
            ),
            row(
                **{
                    "transaction-type": "other-transaction",
                    "other-fee-amount": "-2.00",
                    "other-fee-reason-description": "Storage",
                    "posted-date": "2024-02-04 08:00:00 UTC",
                }
            ),
        ],
    )
    job = run(session, store.id, actor, data)
    assert job.status == ImportStatus.SUCCEEDED, job.message
    payout = session.scalars(select(Payout).where(Payout.store_id == store.id)).one()
    # gross 50.00; refunds 12.00; fees 7.50 - 1.50 + 2.00 = 8.00; net as the summary says
    assert (payout.gross_amount, payout.refunds_amount, payout.fees_amount, payout.net_amount) == (
        5000,
        1200,
        800,
        3000,
    )
    fees = session.execute(
        select(PlatformFee.kind, PlatformFee.amount)
        .where(PlatformFee.payout_id == payout.id)
        .order_by(PlatformFee.amount)
    ).all()
    assert [tuple(f) for f in fees] == [("Commission", -150), ("Storage", 200), ("Commission", 750)]


def test_a_settlement_of_another_marketplace_is_refused(session: Session) -> None:
    store, actor = amazon_store(session, site="DE", currency="EUR")
    with pytest.raises(FileRefused):
        run(session, store.id, actor, FIXTURE.read_bytes())
