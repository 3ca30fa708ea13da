"""Supply: purchase orders with receipts, stock per warehouse, replenishment worked by hand."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.catalog.models import Product, Supplier
from storeops.errors import Conflict, IllegalTransition, InvalidInput, NotFound, PermissionDenied
from storeops.supply import service as svc
from storeops.supply.enums import MovementKind, PurchaseStatus, WarehouseKind
from storeops.supply.models import StockMovement
from tests.factories import make_company, make_member, make_store, owner_actor
from tests.logistics.factories import make_order, make_sku

DAY0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(session: Session):
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    supplier = Supplier(company_id=company.id, name="Yiwu Audio Factory", province="Zhejiang",
                        city="Yiwu", kind="factory", rating=4, lead_time_days=9, moq=20)  # fmt: skip
    session.add(supplier)
    session.flush()
    sku, listing = make_sku(session, store=store)
    session.get_one(Product, sku.product_id).supplier_id = supplier.id
    home = svc.add_warehouse(session, code="ywu", name="Yiwu", kind=WarehouseKind.OWN,
                             country="CN", actor=actor)  # fmt: skip
    us = svc.add_warehouse(session, code="us-la", name="LA overseas", kind=WarehouseKind.OVERSEAS,
                           country="US", actor=actor)  # fmt: skip
    po = svc.create_purchase_order(session, actor=actor, data=svc.PurchaseOrderIn(
        supplier_id=supplier.id, number="PO-1",
        lines=[svc.PurchaseLineIn(sku_id=sku.id, quantity=30, unit_cost="20.00")]))  # fmt: skip
    return company, store, actor, sku, listing, home, us, po


def test_purchase_order_receipts_and_stock(session: Session, world) -> None:
    _c, _s, actor, sku, _l, home, us, po = world
    with pytest.raises(Conflict, match="cannot receive"):
        svc.receive_goods(session, po=po, warehouse=home, quantities={1: 1}, actor=actor)
    svc.place_purchase_order(session, po=po, actor=actor)
    assert po.expected_at == po.ordered_at + dt.timedelta(days=9)
    line_id = session.scalar(
        select(svc.PurchaseOrderLine.id).where(svc.PurchaseOrderLine.purchase_order_id == po.id)
    )
    before = session.scalar(select(func.count()).select_from(StockMovement))
    with pytest.raises(InvalidInput, match="31 of 30"):
        svc.receive_goods(session, po=po, warehouse=home, quantities={line_id: 31}, actor=actor)
    assert session.scalar(select(func.count()).select_from(StockMovement)) == before
    svc.receive_goods(session, po=po, warehouse=home, quantities={line_id: 15}, actor=actor)
    assert po.status == PurchaseStatus.PARTLY_RECEIVED
    assert svc.on_order(session, actor=actor) == {sku.id: 15}
    svc.transfer_stock(session, source=home, target=us, sku_id=sku.id, quantity=6, actor=actor)
    assert svc.on_hand(session, actor=actor, warehouse_id=home.id) == {sku.id: 9}
    assert svc.on_hand(session, actor=actor, warehouse_id=us.id) == {sku.id: 6}
    assert svc.on_hand(session, actor=actor) == {sku.id: 15}
    with pytest.raises(Conflict, match="only 6 on hand"):
        svc.move_stock(session, warehouse=us, sku_id=sku.id, quantity=7,
                       kind=MovementKind.SHIPMENT, note="x", actor=actor)  # fmt: skip
    svc.receive_goods(session, po=po, warehouse=home, quantities={line_id: 15}, actor=actor)
    assert po.status == PurchaseStatus.RECEIVED
    with pytest.raises(IllegalTransition):
        svc.place_purchase_order(session, po=po, actor=actor)
    assert svc.stock_levels(session, actor=actor) == [("US-LA", sku.code, 6), ("YWU", sku.code, 24)]


def test_replenishment_worked_by_hand(session: Session, world) -> None:
    _c, store, actor, sku, listing, home, _us, po = world
    # 10-day window 2025-03-03..12: 2 units on day 0, 4 on day 5, 4 on day 9 → d = 1.0 a day
    for day, qty in ((0, 2), (5, 4), (9, 4)):
        make_order(session, store=store, lines=[(sku, listing, qty, 1999)],
                   placed_at=DAY0 + dt.timedelta(days=day))  # fmt: skip
    svc.place_purchase_order(session, po=po, actor=actor)
    line_id = session.scalar(select(svc.PurchaseOrderLine.id))
    svc.receive_goods(session, po=po, warehouse=home, quantities={line_id: 15}, actor=actor)
    [r] = svc.replenishment(session, actor=actor, today=dt.date(2025, 3, 13), window_days=10)
    # σ = pstdev(2,0,0,0,0,4,0,0,0,4) = √2.6 = 1.6125; SS = ⌈1.6449 x 1.6125 x √9⌉ = ⌈7.957⌉ = 8
    assert (r.daily_demand, r.demand_sd) == (1.0, round(math.sqrt(2.6), 4))
    assert (r.lead_time_days, r.safety_stock, r.reorder_point) == (9, 8, 17)  # 1.0 x 9 + 8
    # 15 on hand + 15 on order = 30 > 17: no order; 15 days of cover
    assert (r.on_hand, r.on_order, r.days_of_cover, r.suggested_order) == (15, 15, 15.0, 0)
    svc.move_stock(session, warehouse=home, sku_id=sku.id, quantity=14,
                   kind=MovementKind.SHIPMENT, note="orders", actor=actor)  # fmt: skip
    [r] = svc.replenishment(session, actor=actor, today=dt.date(2025, 3, 13), window_days=10)
    # 1 + 15 = 16 ≤ 17: order ⌈17 + 1.0 x 7⌉ − 16 = 8, raised to the supplier's MOQ of 20
    assert (r.on_hand, r.days_of_cover, r.suggested_order) == (1, 1.0, 20)


def test_roles_and_tenants(session: Session, world) -> None:
    company, store, _a, _sku, _l, home, _us, po = world
    _u, viewer = make_member(session, company=company, role=Role.VIEWER, stores=[store])
    with pytest.raises(PermissionDenied):
        svc.on_hand(session, actor=viewer)
    _u, operator = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    assert svc.on_hand(session, actor=operator) == {}
    other = owner_actor(session, make_company(session))
    with pytest.raises(NotFound):
        svc.get_warehouse(session, warehouse_id=home.id, actor=other)
    with pytest.raises(NotFound):
        svc.get_purchase_order(session, purchase_order_id=po.id, actor=other)


def test_inspections_and_supplier_scorecard_worked_by_hand(session: Session, world) -> None:
    _c, _s, actor, sku, _l, home, _us, po1 = world
    supplier_id = po1.supplier_id

    def new_po(number: str, qty: int):
        po = svc.create_purchase_order(session, actor=actor, data=svc.PurchaseOrderIn(
            supplier_id=supplier_id, number=number,
            lines=[svc.PurchaseLineIn(sku_id=sku.id, quantity=qty, unit_cost="20.00")]))  # fmt: skip
        svc.place_purchase_order(session, po=po, actor=actor)
        line = session.scalar(select(svc.PurchaseOrderLine.id).where(
            svc.PurchaseOrderLine.purchase_order_id == po.id))  # fmt: skip
        return po, line

    svc.place_purchase_order(session, po=po1, actor=actor)
    line1 = session.scalar(select(svc.PurchaseOrderLine.id).where(
        svc.PurchaseOrderLine.purchase_order_id == po1.id))  # fmt: skip
    po2, line2 = new_po("PO-2", 10)
    _po3, _line3 = new_po("PO-3", 10)
    assert po1.expected_at is not None and po2.expected_at is not None
    # PO-1: half a day early, the rest two days late → late; PO-2 on time; PO-3 nothing yet
    svc.receive_goods(session, po=po1, warehouse=home, quantities={line1: 15}, actor=actor,
                      at=po1.expected_at - dt.timedelta(days=1))  # fmt: skip
    svc.receive_goods(session, po=po1, warehouse=home, quantities={line1: 15}, actor=actor,
                      at=po1.expected_at + dt.timedelta(days=2))  # fmt: skip
    svc.receive_goods(session, po=po2, warehouse=home, quantities={line2: 10}, actor=actor,
                      at=po2.expected_at)  # fmt: skip
    # 2 defects in 80 = 2.5 %: passes; 2 in 50 = 4 %: fails
    assert svc.record_inspection(session, po=po1, sample_size=80, defects=2, inspector="Li",
                                 actor=actor).passed is True  # fmt: skip
    assert svc.record_inspection(session, po=po2, sample_size=50, defects=2, inspector="Li",
                                 actor=actor).passed is False  # fmt: skip
    with pytest.raises(InvalidInput):
        svc.record_inspection(
            session, po=po2, sample_size=5, defects=6, inspector="Li", actor=actor
        )
    [card] = svc.supplier_scorecards(session, actor=actor)
    # on time 1 of 2 delivered; fill (30 + 10) / (30 + 10 + 10) = 0.8; pass 1 of 2;
    # defects 4 / 130 sampled = 0.0308
    assert (card.purchase_orders, card.on_time_rate, card.fill_rate) == (3, 0.5, 0.8)
    assert (card.inspections, card.pass_rate, card.defect_rate) == (2, 0.5, 0.0308)


def test_buyer_plan_predicts_the_next_order_by_hand(session: Session, world) -> None:
    from storeops.crm.models import Buyer
    from storeops.supply.buyer_plan import buyer_plans

    _c, store, actor, sku, listing, *_x = world
    # one buyer orders on days 0, 10 and 30 (interval (30 - 0) / 2 = 15 days) for 100, 200, 300
    orders = [make_order(session, store=store, lines=[(sku, listing, 1, value)],
                         placed_at=DAY0 + dt.timedelta(days=day))
              for day, value in ((0, 10000), (10, 20000), (30, 30000))]  # fmt: skip
    buyer = session.get_one(Buyer, orders[0].buyer_id)
    buyer.company_name = "Acme GmbH"
    for o in orders[1:]:
        o.buyer_id = buyer.id
    session.flush()
    [plan] = buyer_plans(session, actor=actor, today=dt.date(2025, 4, 10))
    # last order 2025-04-02 + 15 days = 2025-04-17; value (100 + 200 + 300) / 3 = 200.00
    assert (plan.orders, plan.interval_days, plan.next_order_on) == (3, 15.0, dt.date(2025, 4, 17))
    assert str(plan.expected_value) == "200.00 USD" and plan.state == "not_due"
    assert buyer_plans(session, actor=actor, today=dt.date(2025, 4, 20))[0].state == "due"
    # due until half an interval (8 days, rounded) after the expected day, then overdue
    assert buyer_plans(session, actor=actor, today=dt.date(2025, 4, 25))[0].state == "due"
    assert buyer_plans(session, actor=actor, today=dt.date(2025, 4, 26))[0].state == "overdue"
