"""7.1.1 on a tiny simulated company: the overdue inquiries the simulator planted are found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storeops.auth.scoping import system_actor
from storeops.crm import service
from storeops.crm.models import Inquiry
from storeops.db import make_engine
from storeops.migrations import upgrade
from storeops.simulate.generate import SimulationResult, simulate
from storeops.simulate.scales import parse_scale
from storeops.stores.models import Store
from tests.conftest import new_database_url


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, SimulationResult]]:
    url = new_database_url("sqlite", tmp_path_factory.mktemp("sim7"))
    upgrade(url)
    engine = make_engine(url)
    yield engine, simulate(engine, seed=7, scale=parse_scale("tiny"), company_name="Tiny Seven")
    engine.dispose()


def test_simulated_overdue_inquiries_are_found(tiny: tuple[Engine, SimulationResult]) -> None:
    engine, result = tiny
    with Session(engine) as session:
        actor = system_actor(session, result.company_id)
        stores = list(session.scalars(select(Store).where(Store.company_id == result.company_id)))
        now = session.scalar(select(func.max(Inquiry.received_at)))
        assert now is not None
        now += dt.timedelta(seconds=1)
        found_overdue = found_late = 0
        for store in stores:
            policy = service.reply_policy(session, store=store, actor=actor)
            queue = service.overdue_queue(session, store=store, actor=actor, now=now)
            ids = {s.id for s in queue}
            unanswered = list(
                session.scalars(
                    select(Inquiry).where(
                        Inquiry.store_id == store.id,
                        Inquiry.first_reply_at.is_(None),
                        Inquiry.status == "open",  # converted ones led to an order already
                    )
                )
            )
            limit = dt.timedelta(minutes=policy.platform_deadline_minutes)
            # Whatever has waited longer than the platform's clock deadline must be in the queue
            # (the service-hours target can only make a deadline earlier) ...
            must = {i.id for i in unanswered if i.received_at + limit < now}
            assert must <= ids
            # ... and nothing in the queue is answered or still within its deadline.
            assert ids <= {i.id for i in unanswered}
            assert all(s.due_at < now and s.overdue_minutes > 0 for s in queue)
            found_overdue += len(queue)
            report = service.inquiry_report(
                session, store=store, actor=actor, since=now - dt.timedelta(days=400), until=now
            )
            found_late += report.answered - report.answered_on_time
        # The simulator leaves about 2 % unanswered and about 5 % answered very late.
        assert found_overdue > 0
        assert found_late > 0
