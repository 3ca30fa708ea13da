"""9.2.1 Export documents as PDF: text checked with pypdf, amounts in words worked by hand."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storeops.auth.scoping import system_actor
from storeops.db import make_engine
from storeops.logistics.export_documents import (
    ExportDocument,
    amount_in_words,
    render_export_document,
)
from storeops.migrations import upgrade
from storeops.orders.models import Contract, Order
from storeops.simulate.generate import SimulationResult, simulate
from storeops.simulate.scales import parse_scale
from storeops.types import Money
from tests.conftest import new_database_url
from tests.factories import make_company, make_store, owner_actor
from tests.logistics.factories import make_order, make_sku


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_amount_in_words() -> None:
    assert (
        amount_in_words(Money(15050, "USD"))
        == "SAY US DOLLARS ONE HUNDRED AND FIFTY AND CENTS FIFTY ONLY"
    )
    assert amount_in_words(Money(123456701, "USD")) == (
        "SAY US DOLLARS ONE MILLION TWO HUNDRED AND THIRTY FOUR THOUSAND FIVE HUNDRED AND SIXTY SEVEN "
        "AND CENTS ONE ONLY")  # fmt: skip
    assert amount_in_words(Money(1005, "JPY")) == "SAY JAPANESE YEN ONE THOUSAND AND FIVE ONLY"
    assert amount_in_words(Money(100000, "EUR")) == "SAY EUROS ONE THOUSAND ONLY"


def test_invoice_and_packing_list_of_a_hand_built_order(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    sku, listing = make_sku(session, store=store, weight_g=350, dims_mm=(200, 150, 100),
                            name="Bluetooth speaker")  # fmt: skip
    order = make_order(session, store=store, lines=[(sku, listing, 3, 5000)], shipping=50)
    invoice = _text(render_export_document(session, order=order, actor=actor,
                                           kind=ExportDocument.COMMERCIAL_INVOICE))  # fmt: skip
    assert "COMMERCIAL INVOICE" in invoice and "商业发票" in invoice and "产品" in invoice
    # 3 x 50.00 + freight 0.50 = 150.50 USD
    assert "150.00 USD" in invoice and "150.50 USD" in invoice
    assert "SAY US DOLLARS ONE HUNDRED AND FIFTY AND CENTS FIFTY ONLY" in invoice
    packing = _text(render_export_document(session, order=order, actor=actor,
                                           kind=ExportDocument.PACKING_LIST))  # fmt: skip
    # 3 x 350 g = 1.050 kg; 3 x 3000 cm3 = 0.0090 m3
    assert "1.050" in packing and "0.0090" in packing and "PACKING LIST" in packing


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def tiny(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, SimulationResult]]:
    url = new_database_url(request.param, Path(tmp_path_factory.mktemp("sim8d")))
    upgrade(url)
    engine = make_engine(url)
    yield engine, simulate(engine, seed=11, scale=parse_scale("tiny"), company_name="Tiny Co")
    engine.dispose()


def test_all_four_documents_of_a_simulated_contract(tiny) -> None:
    engine, result = tiny
    with Session(engine) as session:
        actor = system_actor(session, result.company_id)
        contract = session.scalars(select(Contract).order_by(Contract.id)).first()
        assert contract is not None
        order = session.get_one(Order, contract.order_id)
        total = str(Money(order.total_amount, order.currency))
        texts = {
            kind: _text(render_export_document(session, order=order, kind=kind, actor=actor,
                                               tenor_days=30))
            for kind in ExportDocument
        }  # fmt: skip
        for text in texts.values():
            assert contract.number in text
        assert total in texts[ExportDocument.COMMERCIAL_INVOICE]
        assert amount_in_words(Money(order.total_amount, order.currency)) in " ".join(
            texts[ExportDocument.BILL_OF_EXCHANGE].split()
        )
        assert "At 30 days after sight" in texts[ExportDocument.BILL_OF_EXCHANGE]
        assert "DRAFT" in texts[ExportDocument.ORIGIN_APPLICATION]
        assert "原产地证明书申请书" in texts[ExportDocument.ORIGIN_APPLICATION]
        assert "Tiny Co" in texts[ExportDocument.PACKING_LIST]
