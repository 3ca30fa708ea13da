"""Two refund requests at the same moment never add up to more than the buyer paid (PostgreSQL).

Request A locks the order, writes 60.00 and holds its transaction open; request B starts while A
is still uncommitted. Without the row lock B would read a running total of 0 and write another
60.00 (120.00 refunded of 100.00 paid); with it, B waits for A and is refused.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.scoping import system_actor
from storeops.db import make_engine, session_scope
from storeops.orders import service
from storeops.orders.errors import RefundExceedsPaid
from storeops.orders.models import Order, RefundRequest
from storeops.types import Money
from tests.crm.factories import make_buyer
from tests.factories import make_company, make_store
from tests.orders.factories import make_order


def test_two_concurrent_refunds_cannot_exceed_what_was_paid(fresh_db_url: str) -> None:
    if not fresh_db_url.startswith("postgresql"):
        pytest.skip("row locks: PostgreSQL (SQLite serialises every writer on the whole file)")
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session, name="Race")
        store = make_store(session, company=company)
        order = make_order(
            session, store=store, buyer=make_buyer(session, store=store), total=10_000
        )
        ids = (company.id, order.id)
    a_written = threading.Event()
    outcomes: dict[str, str] = {}

    def request(name: str, hold: float) -> None:
        try:
            with session_scope(engine) as session:
                actor = system_actor(session, ids[0])
                order = session.get(Order, ids[1])
                assert order is not None
                service.request_refund(
                    session, order=order, amount=Money(6_000, "USD"), reason=name, actor=actor
                )
                if hold:
                    a_written.set()
                    time.sleep(hold)  # B runs into the lock while A is uncommitted
            outcomes[name] = "ok"
        except RefundExceedsPaid as exc:
            outcomes[name] = exc.code
        finally:
            a_written.set()

    a = threading.Thread(target=request, args=("A", 1.0))
    a.start()
    assert a_written.wait(10)
    started = time.monotonic()
    b = threading.Thread(target=request, args=("B", 0.0))
    b.start()
    a.join(20)
    b.join(20)
    waited = time.monotonic() - started
    assert outcomes == {"A": "ok", "B": "refund_exceeds_paid"}
    assert waited >= 0.5  # B really waited for A's lock
    with Session(engine) as session:
        total = session.scalar(
            select(func.sum(RefundRequest.amount)).where(RefundRequest.order_id == ids[1])
        )
    assert total == 6_000
    engine.dispose()
