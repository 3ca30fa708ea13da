"""1.1.7 product development plan from needs and trends, on the hand-built earbuds market."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.errors import IllegalTransition, NotFound
from storeops.market import development
from storeops.market.enums import PlanItemStatus
from storeops.market.schemas import PlanCreate
from tests.factories import make_company, owner_actor
from tests.market.test_research import _import


def test_plan_from_trends(session: Session) -> None:
    company, other = make_company(session), make_company(session)
    actor = owner_actor(session, company)
    dataset_id = _import(session, actor)
    plan = development.draw_up_plan(session, data=PlanCreate(dataset_id=dataset_id), actor=actor)
    assert plan.title == "Product plan: Earbuds / US"
    assert [(i.action, i.title, i.priority) for i in plan.items] == [
        ("new_variant", "Develop a variant with “waterproof”", 1),  # 200 → 400 searches
        ("widen_range", "Add models for the growing demand", 2),  # growth stage, +25 %
        ("reposition", "Have a model priced 20.00 USD to 25.00 USD", 3),  # best band
    ]
    assert plan.items[0].evidence == "400 searches last month (+100 %), 26.7 % of searches"
    item = plan.items[0]
    moved = development.change_plan_item(
        session, item_id=item.id, status=PlanItemStatus.ACCEPTED, actor=actor
    )
    assert moved.status == PlanItemStatus.ACCEPTED
    with pytest.raises(IllegalTransition):
        development.change_plan_item(
            session, item_id=item.id, status=PlanItemStatus.LAUNCHED, actor=actor
        )
    with pytest.raises(NotFound):
        development.change_plan_item(
            session, item_id=item.id, status=PlanItemStatus.DROPPED,
            actor=owner_actor(session, other),
        )  # fmt: skip
    assert [p.id for p in development.list_plans(session, actor=actor)] == [plan.id]


def test_quarter_ends() -> None:
    assert development._quarter_end(dt.date(2026, 11, 25), 1) == dt.date(2027, 3, 31)
    assert development._quarter_end(dt.date(2026, 11, 25), 2) == dt.date(2027, 6, 30)
    assert development._quarter_end(dt.date(2026, 2, 1), 0) == dt.date(2026, 3, 31)
