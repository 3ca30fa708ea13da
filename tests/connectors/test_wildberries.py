"""Wildberries statistics orders: the response example of Wildberries' OpenAPI spec."""

from __future__ import annotations

import datetime as dt
import json

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.connectors import service
from storeops.connectors.enums import ImportStatus
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Order
from storeops.stores.enums import Platform
from tests.connectors.factories import FIXTURES, amazon_store

SPEC = yaml.safe_load((FIXTURES / "wildberries" / "12-reports.yaml").read_text())
EXAMPLE = SPEC["paths"]["/api/v1/supplier/orders"]["get"]["responses"]["200"]["content"][
    "application/json"
]["example"]


def test_the_spec_example_is_imported_with_its_values(session: Session) -> None:
    store, actor = amazon_store(session, platform=Platform.WILDBERRIES, site="RU", currency="RUB")
    data = json.dumps(EXAMPLE, ensure_ascii=False).encode()
    job = service.start_import(
        session,
        store_id=store.id,
        platform="wildberries",
        report="orders",
        file_name="orders.json",
        data=data,
        actor=actor,
    )
    service.execute_import(session, job=job, data=data, actor=actor)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    order = session.scalars(select(Order).where(Order.store_id == store.id)).one()
    assert order.external_id == "11.rf9ef11fce1684117b0nhj96222982382.3.0"
    assert order.status == OrderStatus.CANCELLED  # isCancel: true
    assert order.total_amount == 154700  # priceWithDisc 1547 RUB
    assert order.country == "RU"
    # "2022-03-04T18:08:31" Moscow time is 15:08:31 UTC
    assert order.placed_at == dt.datetime(2022, 3, 4, 15, 8, 31, tzinfo=dt.UTC)
