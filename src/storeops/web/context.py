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

from storeops.analytics.overview import StoreRecords, store_records
from storeops.auth.enums import Role
from storeops.auth.service import (
    resolve_session,
    session_actor,
    session_user,
    set_session_locale,
    switch_session_company,
    switch_session_store,
)
from storeops.db import session_scope
from storeops.errors import NotFound
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


def load_context(engine: Engine, raw_session: str | None) -> ConsoleContext:
    """The context of the session behind the cookie; ``NotAuthenticated`` without a live one."""
    with session_scope(engine) as session:
        console = resolve_session(session, raw_session)
        user = session_user(session, console)
        actor = session_actor(session, console)
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
        switch_session_company(session, console=console, company_id=company_id)


def switch_store(engine: Engine, raw_session: str | None, store_id: int | None) -> None:
    """Focus one store of the current company (``None``: all of the actor's stores)."""
    with session_scope(engine) as session:
        console = resolve_session(session, raw_session)
        switch_session_store(session, console=console, store_id=store_id)


def switch_locale(engine: Engine, raw_session: str | None, locale: str) -> str:
    """Show the console in ``locale`` from now on: kept on the session and on the user."""
    if locale not in LOCALES:
        raise NotFound(f"language {locale!r} not found", field="locale")
    with session_scope(engine) as session:
        console = resolve_session(session, raw_session)
        return set_session_locale(session, console=console, locale=locale, remember=True)


def set_locale_of_new_session(session: Session, raw_session: str, locale: str) -> None:
    """Give a just-started session the language the browser chose explicitly (sign-in page)."""
    console = resolve_session(session, raw_session)
    set_session_locale(session, console=console, locale=locale, remember=False)


def load_store_records(engine: Engine, raw_session: str | None) -> dict[int, StoreRecords]:
    """Record counts of the stores the session's actor sees (the home page's stores table)."""
    with session_scope(engine) as session:
        console = resolve_session(session, raw_session)
        session_user(session, console)
        actor = session_actor(session, console)
        return store_records(session, actor=actor) if actor else {}
