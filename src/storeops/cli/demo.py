"""The demo company for ``storeops demo`` (until the simulator fills it with a living business)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from storeops.auth import service as auth_service
from storeops.auth.models import User
from storeops.auth.scoping import system_actor
from storeops.cli.common import out
from storeops.config import Settings
from storeops.db import session_scope
from storeops.migrations import upgrade
from storeops.stores import service as store_service
from storeops.stores.enums import BusinessModel, Platform, StoreStatus
from storeops.stores.schemas import ServiceWindow, StoreCreate

DEMO_COMPANY = "Hangzhou Demo Trading Co."

DEMO_STORES = [
    StoreCreate(
        name="Alibaba.com Global",
        platform=Platform.ALIBABA_COM,
        business_model=BusinessModel.B2B,
        site="global",
        currency="USD",
        timezone="Asia/Shanghai",
        opened_on=dt.date(2023, 3, 1),
    ),
    StoreCreate(
        name="Amazon US",
        platform=Platform.AMAZON,
        business_model=BusinessModel.B2C,
        site="US",
        currency="USD",
        timezone="America/Los_Angeles",
        opened_on=dt.date(2023, 6, 15),
    ),
    StoreCreate(
        name="AliExpress",
        platform=Platform.ALIEXPRESS,
        business_model=BusinessModel.B2C,
        site="global",
        currency="USD",
        timezone="Asia/Shanghai",
        opened_on=dt.date(2023, 9, 1),
    ),
    StoreCreate(
        name="Shopee Malaysia",
        platform=Platform.SHOPEE,
        business_model=BusinessModel.B2C,
        site="MY",
        currency="MYR",
        timezone="Asia/Kuala_Lumpur",
        opened_on=dt.date(2024, 2, 1),
    ),
]


def prepare_demo(settings: Settings, *, admin: str, password: str) -> None:
    """Upgrade the database and, if it is empty, create the demo company, its owner and stores."""
    upgrade(settings.effective_database_url)
    with session_scope() as session:
        if session.scalar(select(User.id).limit(1)) is not None:
            out.print("demo database already prepared")
            return
        owner = auth_service.create_user(
            session, email=admin, display_name="Demo Owner", password=password
        )
        company = store_service.create_company(
            session, name=DEMO_COMPANY, owner=owner, base_currency="CNY"
        )
        actor = system_actor(session, company.id, label="demo")
        for spec in DEMO_STORES:
            store = store_service.open_store(session, actor=actor, data=spec)
            store_service.change_store_status(
                session, store=store, status=StoreStatus.ACTIVE, actor=actor
            )
            store_service.set_service_hours(
                session,
                store=store,
                actor=actor,
                windows=[ServiceWindow(weekday=d, opens="09:00", closes="18:00") for d in range(7)],
            )
        out.print(f"created demo company {company.name!r} with {len(DEMO_STORES)} stores")
