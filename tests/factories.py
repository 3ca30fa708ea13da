"""Typed builders for the records most tests need: users, companies, stores, actors."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy.orm import Session

from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.auth.models import User
from storeops.auth.scoping import Actor, system_actor
from storeops.stores import service as store_service
from storeops.stores.enums import BusinessModel, Platform
from storeops.stores.models import Company, Store
from storeops.stores.schemas import StoreCreate

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_user(session: Session, *, email: str | None = None, name: str = "Test User") -> User:
    n = next(_seq)
    return auth_service.create_user(
        session,
        email=email or f"user{n}-{id(session)}@example.com",
        display_name=name,
        password=PASSWORD,
    )


def make_company(
    session: Session, *, name: str | None = None, owner: User | None = None
) -> Company:
    n = next(_seq)
    return store_service.create_company(
        session, name=name or f"Company {n}-{id(session)}", owner=owner or make_user(session)
    )


def owner_actor(session: Session, company: Company) -> Actor:
    return system_actor(session, company.id, label="test")


def make_store(
    session: Session,
    *,
    company: Company,
    name: str | None = None,
    platform: Platform = Platform.AMAZON,
    model: BusinessModel = BusinessModel.B2C,
    currency: str = "USD",
    timezone: str = "America/Los_Angeles",
) -> Store:
    return store_service.open_store(
        session,
        actor=owner_actor(session, company),
        data=StoreCreate(
            name=name or f"Store {next(_seq)}",
            platform=platform,
            business_model=model,
            site="US",
            currency=currency,
            timezone=timezone,
            opened_on=dt.date(2024, 1, 1),
        ),
    )


def make_member(
    session: Session, *, company: Company, role: Role, stores: list[Store] | tuple[Store, ...] = ()
) -> tuple[User, Actor]:
    """A user with ``role`` on ``stores`` of ``company``, and their actor."""
    user = make_user(session)
    auth_service.grant_role(
        session,
        user=user,
        role=role,
        store_ids=[s.id for s in stores],
        actor=owner_actor(session, company),
    )
    return user, auth_service.actor_for(session, user_id=user.id, company_id=company.id)
