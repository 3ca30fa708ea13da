"""8.1.5 export costing on hand-worked numbers, the quotation PDF, 8.1.6 contracts, 8.2.1 Trade
Assurance."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from storeops.errors import IllegalTransition, InvalidInput
from storeops.orders import deals
from storeops.orders.costing import CostInputs, cost_export_prices
from storeops.orders.enums import ContractStatus, OrderStatus
from storeops.stores.enums import BusinessModel, Platform
from storeops.types import Money
from tests.crm.factories import make_buyer
from tests.factories import make_company, make_store, owner_actor

UTC = dt.UTC


def _inputs(**overrides: object) -> CostInputs:
    base: dict[str, object] = dict(
        base_currency="CNY",
        quote_currency="USD",
        fx_rate=Decimal("7.10"),
        purchase_cost=11_300,  # 113.00 CNY incl. 13 % VAT
        vat_rate=Decimal("0.13"),
        rebate_rate=Decimal("0.13"),
        packing_per_unit=200,  # 2.00
        inland_freight_per_shipment=100_000,  # 1,000.00
        port_charges_per_shipment=200_000,  # 2,000.00
        freight_per_shipment=500_000,  # 5,000.00
        insurance_rate=Decimal("0.005"),
        commission_rate=Decimal("0.03"),
        target_margin=Decimal("0.10"),
        duty_rate=Decimal("0.05"),
        import_vat_rate=Decimal("0.20"),
        delivery_per_shipment=300_000,  # 3,000.00
        quantities=(1000, 5000),
    )
    return CostInputs(**(base | overrides))  # type: ignore[arg-type]


def test_export_prices_on_hand_worked_numbers() -> None:
    costing = cost_export_prices(_inputs())
    # ex-VAT 113 / 1.13 = 100.00; rebate 100 × 13 % = 13.00; actual cost 113 − 13 = 100.00
    assert (costing.ex_vat_cost, costing.rebate, costing.actual_cost) == (100, 13, 100)
    first, second = costing.breaks
    # 1,000 units: per unit inland 1.00, port 2.00, freight 5.00, delivery 3.00; D = 1 − 0.03 − 0.10
    # EXW = 102 / 0.87 = 117.2414 CNY → / 7.10 = 16.5129 → 16.51 USD
    # FOB = 105 / 0.87 = 120.6897 → 16.9985 → 17.00
    # CFR = 110 / 0.87 = 126.4368 → 17.8080 → 17.81
    # CIF = 110 / (0.87 − 1.1 × 0.005) = 110 / 0.8645 = 127.2412 → 17.9213 → 17.92
    # DDP: insurance 127.2412 × 0.0055 = 0.6998; duty × 5 % = 6.3621; import VAT × 1.05 × 20 % =
    #      26.7207; (110 + 3 + 0.6998 + 6.3621 + 26.7207) / 0.87 = 168.7156 → 23.7628 → 23.76
    assert {t: str(m) for t, m in first.unit.items()} == {
        "EXW": "16.51 USD",
        "FOB": "17.00 USD",
        "CFR": "17.81 USD",
        "CIF": "17.92 USD",
        "DDP": "23.76 USD",
    }
    assert first.total["FOB"] == Money(1_700_000, "USD")  # 17.00 × 1,000
    # 5,000 units: inland 0.20, port 0.40, freight 1.00, delivery 0.60
    # FOB = 102.6 / 0.87 = 117.9310 → 16.6100 → 16.61; CFR = 103.6 / 0.87 = 119.0805 → 16.77
    # CIF = 103.6 / 0.8645 = 119.8381 → 16.8786 → 16.88
    # DDP = (103.6 + 0.6 + 0.6591 + 5.9919 + 25.1660) / 0.87 = 156.3414 → 22.0199 → 22.02
    assert {t: str(m) for t, m in second.unit.items()} == {
        "EXW": "16.51 USD",
        "FOB": "16.61 USD",
        "CFR": "16.77 USD",
        "CIF": "16.88 USD",
        "DDP": "22.02 USD",
    }
    # JPY has no minor unit: 117.2414 CNY / 0.0475 CNY per yen = 2,468.24 → 2,468 JPY
    yen = cost_export_prices(_inputs(quote_currency="JPY", fx_rate=Decimal("0.0475")))
    assert yen.breaks[0].unit["EXW"] == Money(2468, "JPY")


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"fx_rate": Decimal(0)}, "the FX rate must be positive"),
        ({"rebate_rate": Decimal("0.15")}, "the rebate rate cannot exceed the VAT rate"),
        ({"target_margin": Decimal("0.97")}, "leave nothing of the price"),
        ({"quantities": (0,)}, "quantity breaks must be positive"),
        ({"packing_per_unit": -1}, "packing_per_unit cannot be negative"),
        ({"quote_currency": "USX"}, "unknown currency 'USX'"),
    ],
)
def test_bad_costing_inputs_are_refused(override: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        cost_export_prices(_inputs(**override))


def test_quotation_pdf_contract_versions_and_trade_assurance(session: Session) -> None:
    company = make_company(session)
    store = make_store(
        session,
        company=company,
        platform=Platform.ALIBABA_COM,
        model=BusinessModel.B2B,
        timezone="Asia/Shanghai",
    )
    actor = owner_actor(session, company)
    buyer = make_buyer(session, store=store, country="ES", company_name="Iberia Trading SL")
    now = dt.datetime(2026, 11, 25, 3, tzinfo=UTC)
    quote = deals.quote_export(
        session, store=store, buyer_id=buyer.id, actor=actor, product_name="Steel water bottle 750 ml",
        inputs=_inputs(), incoterm="fob", language="es", now=now,
    )  # fmt: skip
    assert (quote.incoterm, quote.currency, quote.amount, quote.status.value) == (
        "FOB",
        "USD",
        1_700_000,
        "draft",
    )
    text = "".join(
        page.extract_text()
        for page in PdfReader(
            io.BytesIO(deals.quotation_pdf(session, quote=quote, actor=actor))
        ).pages
    )
    for expected in (
        "Cotización",
        "Iberia Trading SL",
        "Steel water bottle 750 ml",
        "Precio",
        "17.00",
        "16.61",
        "23.76",
        "17000.00 USD",
        "USD",
    ):
        assert expected in text, (expected, text)
    with pytest.raises(IllegalTransition, match="a draft quote cannot become a contract"):
        deals.contract_from_quote(
            session, quote=quote, actor=actor, quantity=2000, terms="T/T 30/70"
        )
    deals.move_quote(session, quote=quote, status="sent", actor=actor)
    contract = deals.contract_from_quote(
        session,
        quote=quote,
        actor=actor,
        quantity=2000,
        terms="T/T 30 % deposit, 70 % before shipment",
        now=now,
    )
    v1 = deals.current_version(session, contract=contract)
    assert (v1.version, v1.unit_price_amount, v1.amount) == (
        1,
        1_700,
        3_400_000,
    )  # 1,000-unit break
    deals.move_contract(session, contract=contract, status="sent", actor=actor, now=now)
    v2 = deals.revise_contract(
        session, contract=contract, actor=actor, unit_price=Money(1_650, "USD"), now=now
    )
    assert (v2.version, v2.amount, contract.status) == (2, 3_300_000, ContractStatus.DRAFT)
    for step in ("sent", "buyer_signed", "signed"):
        deals.move_contract(session, contract=contract, status=step, actor=actor, now=now)
    with pytest.raises(IllegalTransition, match="a signed contract cannot be changed"):
        deals.revise_contract(session, contract=contract, actor=actor, terms="new")
    assert [
        v.version for v in deals.contract_versions(session, contract=contract, actor=actor)
    ] == [1, 2]
    order = deals.draft_trade_assurance_order(
        session,
        contract=contract,
        actor=actor,
        ship_by=dt.date(2026, 12, 20),
        balance_days_after_shipment=0,
        now=now,
    )
    rows = deals.milestones(session, order=order, actor=actor)
    # 30 % of 33,000.00 = 9,900.00 deposit; balance 23,100.00
    assert [(m.name, m.amount, m.due_on) for m in rows] == [
        ("deposit", 990_000, dt.date(2026, 11, 25)),
        ("shipment", 0, dt.date(2026, 12, 20)),
        ("balance", 2_310_000, dt.date(2026, 12, 20)),
    ]
    with pytest.raises(IllegalTransition, match="complete the earlier milestones before shipment"):
        deals.complete_milestone(session, milestone=rows[1], actor=actor, now=now)
    deals.complete_milestone(session, milestone=rows[0], actor=actor, now=now)
    assert order.status == OrderStatus.PAID
    assert deals.trade_assurance_state(session, order=order, actor=actor) == {
        "order_id": order.id, "status": "paid", "currency": "USD", "total": 3_300_000,
        "received": 990_000, "outstanding": 2_310_000, "next_milestone": "shipment",
        "next_due_on": "2026-12-20",
    }  # fmt: skip


def test_quote_an_rfq(session: Session) -> None:
    from storeops.crm.enums import RfqStatus
    from storeops.crm.models import Rfq

    company = make_company(session)
    store = make_store(
        session, company=company, platform=Platform.ALIBABA_COM, model=BusinessModel.B2B
    )
    actor = owner_actor(session, company)
    buyer = make_buyer(session, store=store, country="DE")
    rfq = Rfq(store_id=store.id, product_keyword="water bottle", quantity=1000, currency="USD",
              country="DE", posted_at=dt.datetime(2026, 11, 24, tzinfo=UTC), status=RfqStatus.OPEN)  # fmt: skip
    session.add(rfq)
    session.flush()
    quote = deals.quote_rfq(session, rfq=rfq, buyer_id=buyer.id, actor=actor, product_name="Bottle",
                            inputs=_inputs(quantities=(1000,)), now=dt.datetime(2026, 11, 25, tzinfo=UTC))  # fmt: skip
    assert (quote.rfq_id, quote.amount, rfq.status, rfq.buyer_id) == (
        rfq.id,
        1_700_000,
        RfqStatus.QUOTED,
        buyer.id,
    )


def test_quotation_in_chinese_renders_cjk_text(session: Session) -> None:
    company = make_company(session)
    store = make_store(
        session, company=company, platform=Platform.ALIBABA_COM, model=BusinessModel.B2B
    )
    actor = owner_actor(session, company)
    buyer = make_buyer(session, store=store, country="TW", company_name="台北贸易有限公司")
    quote = deals.quote_export(session, store=store, buyer_id=buyer.id, actor=actor, product_name="不锈钢水杯",
                               inputs=_inputs(quantities=(1000,)), language="zh")  # fmt: skip
    text = (
        PdfReader(io.BytesIO(deals.quotation_pdf(session, quote=quote, actor=actor)))
        .pages[0]
        .extract_text()
    )
    for expected in ("报价单", "台北贸易有限公司", "不锈钢水杯", "单价币种 USD", "17.00"):
        assert expected in text, (expected, text)
