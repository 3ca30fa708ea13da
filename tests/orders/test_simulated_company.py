"""On a tiny simulated company: a full order timeline with tracking scans, a complaint handled, a
review loop closed, a priced quotation for a simulated B2B buyer, PII erasure tolerating buyers
without contacts."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storeops.auth.scoping import system_actor
from storeops.crm import pii
from storeops.crm.enums import ComplaintStatus, ImprovementStatus
from storeops.crm.models import Buyer, BuyerContact, Complaint, Review
from storeops.db import make_engine
from storeops.logistics.models import Shipment, TrackingEvent
from storeops.migrations import upgrade
from storeops.orders import aftercare, deals, service
from storeops.orders.costing import CostInputs
from storeops.orders.models import Order
from storeops.simulate.generate import SimulationResult, simulate
from storeops.simulate.scales import parse_scale
from storeops.stores.enums import BusinessModel
from storeops.stores.models import Store
from tests.conftest import new_database_url


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, SimulationResult]]:
    url = new_database_url("sqlite", tmp_path_factory.mktemp("sim8"))
    upgrade(url)
    engine = make_engine(url)
    yield engine, simulate(engine, seed=8, scale=parse_scale("tiny"), company_name="Tiny Eight")
    engine.dispose()


def test_simulated_order_timeline_complaint_review_loop_and_quotation(
    tiny: tuple[Engine, SimulationResult],
) -> None:
    engine, result = tiny
    with Session(engine) as session:
        actor = system_actor(session, result.company_id)
        # 8.3.2 an order with tracking scans: its timeline has every scan, in time order, in UTC
        shipment = session.scalars(
            select(Shipment).where(Shipment.id.in_(select(TrackingEvent.shipment_id))).limit(1)
        ).one()
        order = session.get(Order, shipment.order_id)
        assert order is not None
        timeline = service.order_timeline(session, order=order, actor=actor)
        scans = session.scalar(
            select(func.count())
            .select_from(TrackingEvent)
            .where(TrackingEvent.shipment_id == shipment.id)
        )
        assert sum(1 for e in timeline if e.kind.startswith("tracking.")) == scans
        assert [e.at for e in timeline] == sorted(e.at for e in timeline)
        assert all(e.at.tzinfo is not None for e in timeline)
        assert timeline[0].kind == "status.placed"

        # 8.3.4 a complaint the simulator left open is handled
        complaint = session.scalars(
            select(Complaint).where(Complaint.status == ComplaintStatus.OPEN).limit(1)
        ).one()
        aftercare.handle_complaint(
            session, complaint=complaint, cause="parcel held at customs", handling="refiled papers",
            basis="platform rule: seller ships within the promised time", actor=actor,
        )  # fmt: skip
        assert complaint.status == ComplaintStatus.RESOLVED

        # 8.3.5 three low-rated reviews of one listing tagged with one cause: a task; closed
        listing_id, _count = session.execute(
            select(Review.listing_id, func.count())
            .where(Review.rating <= 2)
            .group_by(Review.listing_id)
            .having(func.count() >= 3)
            .order_by(func.count().desc(), Review.listing_id)
            .limit(1)
        ).one()
        low = list(
            session.scalars(
                select(Review)
                .where(Review.listing_id == listing_id, Review.rating <= 2)
                .order_by(Review.created_at.desc())
                .limit(3)
            )
        )
        now = low[0].created_at + dt.timedelta(days=1)
        low = [r for r in low if r.created_at > now - dt.timedelta(days=90)]
        opened = [
            aftercare.tag_review(session, review=r, causes=["quality"], actor=actor, now=now)
            for r in low
        ]
        if len(low) == 3:
            task = opened[-1][0]
            aftercare.close_improvement_task(
                session, task=task, action="new supplier", actor=actor, now=now
            )
            assert task.status == ImprovementStatus.DONE

        # 8.1.5 a priced quotation for a simulated B2B buyer
        b2b = session.scalars(
            select(Store).where(Store.business_model == BusinessModel.B2B).limit(1)
        ).one()
        buyer = session.scalars(select(Buyer).where(Buyer.store_id == b2b.id).limit(1)).one()
        quote = deals.quote_export(
            session, store=b2b, buyer_id=buyer.id, actor=actor, product_name="LED panel 60x60",
            inputs=CostInputs(base_currency="CNY", quote_currency="USD", fx_rate=Decimal("7.10"),
                              purchase_cost=11_300, vat_rate=Decimal("0.13"), rebate_rate=Decimal("0.13"),
                              target_margin=Decimal("0.10"), quantities=(100,)),
        )  # fmt: skip
        # (113 − 13) / 0.90 = 111.1111 CNY / 7.10 = 15.6495 → 15.65 USD FOB, × 100 = 1,565.00
        assert (quote.amount, quote.currency) == (156_500, "USD")
        text = (
            PdfReader(io.BytesIO(deals.quotation_pdf(session, quote=quote, actor=actor)))
            .pages[0]
            .extract_text()
        )
        assert buyer.company_name is not None and buyer.company_name in text and "15.65" in text

        # PII: the simulator keeps contacts only for buyers still within retention at the end of
        # its period, so erasure run then erases nothing; run a year later it erases those whose
        # orders all ended (orders still open when the simulation stops keep their buyer's data)
        end = parse_scale("tiny").end
        at_end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        assert pii.erase_expired_contacts(session, actor=actor, now=at_end) == 0
        kept = session.scalar(
            select(func.count()).select_from(BuyerContact).where(BuyerContact.erased_at.is_(None))
        )
        assert kept and kept > 0
        later = at_end + dt.timedelta(days=365)
        assert 0 < pii.erase_expired_contacts(session, actor=actor, now=later) <= kept
        session.rollback()
