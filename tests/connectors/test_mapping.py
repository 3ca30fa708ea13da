"""The generic mapping importer: a Chinese seller-centre export through a saved profile."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.connectors import mapping, service
from storeops.connectors.enums import ImportStatus
from storeops.connectors.errors import FileRefused
from storeops.errors import Conflict, InvalidInput
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Order
from storeops.stores.enums import Platform
from tests.connectors.factories import amazon_store

PROFILE = {
    "order_id": {"column": "订单号"},
    "placed_at": {"column": "下单时间", "format": "%Y/%m/%d %H:%M:%S", "timezone": "Asia/Shanghai"},
    "sku": {"column": "商品编码"},
    "quantity": {"column": "数量"},
    "unit_price": {"column": "单价"},
    "status": {
        "column": "订单状态",
        "map": {"已发货": "shipped", "已取消": "cancelled", "待发货": "paid"},
    },
    "title": {"column": "商品名称"},
}
EXPORT = (
    "订单号,下单时间,商品编码,商品名称,数量,单价,订单状态\r\n"
    "A1001,2024/03/01 18:30:00,SKU-1,蓝牙耳机,2,12.50,已发货\r\n"
    "A1001,2024/03/01 18:30:00,SKU-2,充电线,1,3.00,已发货\r\n"
    "A1002,2024/03/02 09:00:00,SKU-1,蓝牙耳机,1,12.50,已取消\r\n"
).encode("gb18030")


def test_an_unknown_layout_imports_through_a_profile_with_values(session: Session) -> None:
    store, actor = amazon_store(session, platform=Platform.ALIEXPRESS)
    mapping.create_profile(
        session, name="速卖通订单", target="orders", mapping=PROFILE, actor=actor
    )
    job = service.start_import(
        session,
        store_id=store.id,
        platform="aliexpress",
        report="mapping:速卖通订单",
        file_name="orders.csv",
        data=EXPORT,
        actor=actor,
    )
    service.execute_import(session, job=job, data=EXPORT, actor=actor)
    assert job.status == ImportStatus.SUCCEEDED, (job.message, job.errors)
    assert job.encoding == "gb18030"
    orders = {
        o.external_id: o for o in session.scalars(select(Order).where(Order.store_id == store.id))
    }
    first = orders["A1001"]
    assert (first.status, first.subtotal_amount, first.total_amount) == (
        OrderStatus.SHIPPED,
        2800,
        2800,
    )
    # 18:30 in Shanghai (UTC+8) is 10:30 UTC
    assert first.placed_at == dt.datetime(2024, 3, 1, 10, 30, tzinfo=dt.UTC)
    assert orders["A1002"].status == OrderStatus.CANCELLED


def test_a_bad_profile_and_a_file_without_its_columns_are_refused(session: Session) -> None:
    store, actor = amazon_store(session, platform=Platform.ALIEXPRESS)
    with pytest.raises(InvalidInput, match="lacks quantity"):
        mapping.create_profile(
            session,
            name="x",
            target="orders",
            mapping={k: v for k, v in PROFILE.items() if k != "quantity"},
            actor=actor,
        )
    with pytest.raises(InvalidInput, match="storeops statuses"):
        mapping.create_profile(
            session,
            name="x",
            target="orders",
            mapping={**PROFILE, "status": {"column": "订单状态", "map": {"已发货": "gone"}}},
            actor=actor,
        )
    mapping.create_profile(session, name="p", target="orders", mapping=PROFILE, actor=actor)
    with pytest.raises(Conflict):
        mapping.create_profile(session, name="p", target="orders", mapping=PROFILE, actor=actor)
    data = "订单号,数量\r\nA1,1\r\n".encode()
    job = service.start_import(
        session,
        store_id=store.id,
        platform="aliexpress",
        report="mapping:p",
        file_name="x.csv",
        data=data,
        actor=actor,
    )
    with pytest.raises(FileRefused, match="lacks the columns that profile 'p' reads"):
        service.execute_import(session, job=job, data=data, actor=actor)


def test_an_unmapped_status_word_is_a_row_error(session: Session) -> None:
    store, actor = amazon_store(session, platform=Platform.ALIEXPRESS)
    mapping.create_profile(session, name="p", target="orders", mapping=PROFILE, actor=actor)
    data = EXPORT.replace("已取消".encode("gb18030"), "退款中".encode("gb18030"))
    job = service.start_import(
        session,
        store_id=store.id,
        platform="aliexpress",
        report="mapping:p",
        file_name="x.csv",
        data=data,
        actor=actor,
    )
    service.execute_import(session, job=job, data=data, actor=actor)
    assert job.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"], e["reason"]) for e in job.errors] == [
        (4, "订单状态", "is not a status the profile maps")
    ]
