"""The signed-in console user's context, loaded per page, and the changes the header makes to it.

Every function opens its own unit of work (``session_scope``) and resolves the session cookie
first, so a signed-out or timed-out session can neither read a page nor change anything. Pages get
plain frozen data back, never ORM objects that outlive their session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.auth.models import ConsoleSession, User
from storeops.auth.scoping import Actor
from storeops.auth.service import actor_for, memberships_of, resolve_session
from storeops.db import session_scope
from storeops.errors import NotAuthenticated, NotFound
from storeops.i18n import LOCALES, normalize_locale
from storeops.stores.models import Company, Store
from storeops.stores.service import companies_of, list_stores
from storeops.web.labels import Translate, translator


@dataclass(frozen=True, slots=True)
class CompanyChoice:
    """A company the user belongs to, as the switcher offers it."""

    id: int
    name: str
    base_currency: str


@dataclass(frozen=True, slots=True)
class StoreRow:
    """One store the actor sees, as the console shows it."""

    id: int
    name: str
    platform: str
    business_model: str
    site: str
    currency: str
    timezone: str
    status: str
    opened_on: dt.date | None


@dataclass(frozen=True)
class ConsoleContext:
    """Who is signed in, in which company and store, in which language."""

    user_id: int
    display_name: str
    email: str
    locale: str
    companies: tuple[CompanyChoice, ...]
    company: CompanyChoice | None
    role: Role | None
    stores: tuple[StoreRow, ...]
    store_id: int | None

    @cached_property
    def translate(self) -> Translate:
        """``_`` for this page: translates into the session's language."""
        return translator(self.locale)

    @property
    def store(self) -> StoreRow | None:
        """The store chosen in the switcher, if one is."""
        return next((s for s in self.stores if s.id == self.store_id), None)


def _store_row(store: Store) -> StoreRow:
    return StoreRow(
        id=store.id,
        name=store.name,
        platform=store.platform.value,
        business_model=store.business_model.value,
        site=store.site,
        currency=store.currency,
        timezone=store.timezone,
        status=store.status.value,
        opened_on=store.opened_on,
    )


def _company_choice(company: Company) -> CompanyChoice:
    return CompanyChoice(id=company.id, name=company.name, base_currency=company.base_currency)


def _active_user(session: Session, console: ConsoleSession) -> User:
    user = session.get(User, console.user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("this account is disabled or no longer exists")
    return user


def _current_actor(session: Session, console: ConsoleSession) -> Actor | None:
    """The actor of the session's company; falls back to the user's first company if it is gone."""
    member_of = [m.company_id for m in memberships_of(session, console.user_id)]
    if console.company_id not in member_of:
        console.company_id = member_of[0] if member_of else None
        console.store_id = None
    if console.company_id is None:
        return None
    return actor_for(session, user_id=console.user_id, company_id=console.company_id)


def load_context(engine: Engine, raw_session: str | None) -> ConsoleContext:
    """The context of the session behind the cookie; ``NotAuthenticated`` without a live one."""
    with session_scope(engine) as session:
        console = resolve_session(session, raw_session)
        user = _active_user(session, console)
        actor = _current_actor(session, console)
        companies = tuple(_company_choice(c) for c in companies_of(session, user_id=user.id))
        stores = tuple(_store_row(s) for s in list_stores(session, actor=actor)) if actor else ()
        if console.store_id is not None and not any(s.id == console.store_id for s in stores):
            console.store_id = None
        return ConsoleContext(
            user_id=user.id,
            display_name=user.display_name,
            email=user.email,
            locale=normalize_locale(console.locale),
            companies=companies,
            company=next((c for c in companies if c.id == console.company_id), None),
            role=actor.role if actor else None,
            stores=stores,
            store_id=console.store_id,
        )


def switch_company(engine: Engine, raw_session: str | None, company_id: int) -> None:
    """Work in another of the user's companies (the store choice is cleared)."""
    with session_scope(engine) as session:
        console = resolve_session(session, raw_session)
        _active_user(session, console)
        if company_id not in {m.company_id for m in memberships_of(session, console.user_id)}:
            raise NotFound(f"company {company_id} not found", field="company_id")
        console.company_id = company_id
        console.store_id = None


def switch_store(engine: Engine, raw_session: str | None, store_id: int | None) -> None:
    """Focus one store of the current company (``None``: all of the actor's stores)."""
    with session_scope(engine) as session:
        console = resolve_session(session, raw_session)
        _active_user(session, console)
        actor = _current_actor(session, console)
        if store_id is not None and (actor is None or not actor.sees_store(store_id)):
            raise NotFound(f"store {store_id} not found", field="store_id")
        console.store_id = store_id


def switch_locale(engine: Engine, raw_session: str | None, locale: str) -> str:
    """Show the console in ``locale`` from now on: kept on the session and on the user."""
    if locale not in LOCALES:
        raise NotFound(f"language {locale!r} not found", field="locale")
    with session_scope(engine) as session:
        console = resolve_session(session, raw_session)
        user = _active_user(session, console)
        console.locale = locale
        user.locale = locale
    return locale


def set_session_locale(session: Session, raw_session: str, locale: str) -> None:
    """Give a just-started session the language the browser chose explicitly (sign-in page)."""
    console = resolve_session(session, raw_session)
    console.locale = normalize_locale(locale)
