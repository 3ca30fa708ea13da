"""The simulator: a whole cross-border company, generated month by month with NumPy.

Determinism: every random draw comes from ``numpy.random.default_rng([seed, stream, ...])`` with
a fixed stream number per purpose, and ids are assigned here (not by the database), so the same
seed and scale give the same rows on SQLite and on PostgreSQL. Everything is written in one
transaction: a failure or an interrupt leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Engine, Table, func, select
from sqlalchemy.orm import Session

from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.auth.scoping import system_actor
from storeops.catalog import models as cm
from storeops.config import get_settings
from storeops.crm import models as crm
from storeops.crm.pii import DEFAULT_RETENTION_DAYS as PII_RETENTION_DAYS
from storeops.crm.pii import POSTCODE_KEPT
from storeops.crm.pii import PURPOSE as PII_PURPOSE
from storeops.finance import models as fm
from storeops.logistics import models as lm
from storeops.market.models import AccountSecurityRecord
from storeops.marketing import models as mm
from storeops.orders import models as om
from storeops.simulate import text
from storeops.simulate.calendar import daily_demand, mena_lift, occurrences
from storeops.simulate.contacts import contacts as contact_text
from storeops.simulate.contacts import seal_many
from storeops.simulate.fx import FxTable
from storeops.simulate.scales import Scale
from storeops.simulate.world import (
    CATEGORIES,
    CHANNELS,
    PRICE_PER_USD,
    RAMADAN_MARKETS,
    STAFF,
    STORE_CHANNELS,
    STORES,
    TRAFFIC_SOURCE_SHARE,
    StoreSpec,
)
from storeops.simulate.writer import BulkWriter, Day, Json, Nullable, Stamp
from storeops.staff import models as stm
from storeops.stores import service as store_service
from storeops.stores.enums import StoreStatus
from storeops.stores.errors import DuplicateCompany
from storeops.stores.models import Company, PlatformAccount
from storeops.stores.schemas import ServiceWindow, StoreCreate
from storeops.types import minor_unit_digits

Progress = Callable[[str, float], None]
DAY = 86_400
SOURCES = ("organic_search", "category", "paid", "off_platform", "live_stream")


def _t(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


@dataclass
class SimulationResult:
    """What a simulation wrote."""

    company_id: int
    company_name: str
    rows: dict[str, int]
    seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass
class _Listings:
    """The listings of one store as parallel arrays."""

    ids: NDArray[np.int64]
    product: NDArray[np.int64]  # index into the product arrays
    weight: NDArray[np.float64]  # popularity (power law), sums to 1
    price: NDArray[np.int64]  # base price in the store currency's minor units
    quality: NDArray[np.float64]
    listed_day: NDArray[np.int64]  # day index in the period (may be negative)
    active: NDArray[np.bool_]
    video: NDArray[np.bool_]


@dataclass
class _StoreState:
    index: int  # position in STORES: random streams are keyed by it, never by a database id
    spec: StoreSpec
    store_id: int
    opened_index: int
    listings: _Listings
    demand: NDArray[np.float64]
    discount: NDArray[np.int64]
    mena: NDArray[np.float64]
    orders_per_day: float
    offset: NDArray[np.int64]  # UTC offset in seconds for each day of the period
    staff_ops: list[int]
    staff_cs: list[int]
    buyer_ids: list[NDArray[np.int64]] = field(default_factory=list)
    buyer_countries: list[NDArray[np.int64]] = field(default_factory=list)
    promotions: list[tuple[int, int, int, int]] = field(default_factory=list)  # id, lo, hi, pct
    streams: dict[int, int] = field(default_factory=dict)  # day -> live stream id
    payout_gross: dict[int, int] = field(default_factory=dict)
    payout_fees: dict[int, int] = field(default_factory=dict)
    payout_refunds: dict[int, int] = field(default_factory=dict)
    line_counts: NDArray[np.int32] | None = None  # [listing, day] lines, for traffic
    ad_fees: list[tuple[int, int]] = field(default_factory=list)  # (day, amount) a month
    pii_buyers: list[NDArray[np.int64]] = field(default_factory=list)  # contacts still kept
    pii_countries: list[NDArray[np.int64]] = field(default_factory=list)
    dead: NDArray[np.bool_] | None = None  # planted zero-effect listings (from dead_from on)


class Simulator:
    """Generates and writes one company. Use :func:`simulate`."""

    def __init__(
        self,
        connection: Connection,
        *,
        seed: int,
        scale: Scale,
        company_name: str,
        staff_password: str | None,
        progress: Progress | None,
        owner_email: str | None = None,
    ) -> None:
        self.conn = connection
        self.seed = seed
        self.scale = scale
        self.company_name = company_name
        self.staff_password = staff_password
        self.owner_email = owner_email
        self.progress = progress or (lambda _label, _advance: None)
        self.writer = BulkWriter(connection)
        self.start = scale.start
        self.days = scale.days
        self.epoch0 = (scale.start - dt.date(1970, 1, 1)).days
        self.cutoff = (self.epoch0 + self.days) * DAY  # end of the last simulated day (UTC)
        self.next_id: dict[str, int] = {}
        self.staff_number: dict[int, int] = {}  # user id -> n of staff<n>@
        self.slug = "company"
        self.dead_from = 10**9  # first day index of the planted zero-effect window
        self.countries: list[str] = sorted(
            {c for spec in STORES for c in spec.countries} | set(RAMADAN_MARKETS)
        )
        self.country_index = {c: i for i, c in enumerate(self.countries)}
        self.fx = FxTable(scale.start - dt.timedelta(days=7), scale.end + dt.timedelta(days=40))

    # --- helpers ---------------------------------------------------------------------------------

    def rng(self, *stream: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, *stream])

    def ids(self, model: Any, count: int) -> NDArray[np.int64]:
        table = _t(model)
        if table.name not in self.next_id:
            current = self.conn.execute(select(func.max(table.c.id))).scalar()
            self.next_id[table.name] = int(current or 0) + 1
        first = self.next_id[table.name]
        self.next_id[table.name] = first + count
        return np.arange(first, first + count, dtype=np.int64)

    def write(self, model: Any, columns: dict[str, Any]) -> None:
        self.writer.write(_t(model), columns)

    # --- entry point -----------------------------------------------------------------------------

    def run(self) -> SimulationResult:
        started = time.perf_counter()
        session = Session(bind=self.conn)
        company_id, store_ids, staff = self._setup(session)
        setup_tables = {obj.__table__.name for obj in session.new}
        session.flush()
        session.close()
        self.progress("company, staff and stores", 2)
        with self.writer.indexes_deferred([_t(m) for m in _BULK_MODELS]):
            catalog = self._catalog(company_id)
            self.progress("catalog", 3)
            states = self._stores(store_ids, staff, catalog)
            self._accounts(states, staff)
            self._training(company_id, staff)
            self._marketing(states)
            self.progress("listings and marketing", 3)
            months = _month_starts(self.start, self.days)
            self._plant_zero_effect(states, months)
            self._launch_plans(states)
            share = 80.0 / max(len(months), 1)
            for index, (lo, hi) in enumerate(months):
                for store_index, state in enumerate(states):
                    self._orders(state, catalog, lo, hi, stream=1000 + index * 50 + store_index)
                self.progress(f"orders {(self.start + dt.timedelta(days=lo)):%Y-%m}", share)
            self._traffic(states, catalog)
            self._payouts(states, company_id)
            self._contacts(states)
            self.progress("building indexes", 0)
        self.writer.check_references(sorted(setup_tables | set(self.writer.rows_written)))
        self.progress("indexes built and references checked", 7)
        self.writer.reset_sequences([_t(m) for m in _BULK_MODELS])
        self.progress("done", 2)
        return SimulationResult(
            company_id=company_id,
            company_name=self.company_name,
            rows=dict(self.writer.rows_written),
            seconds=time.perf_counter() - started,
        )

    # --- company, staff, stores ------------------------------------------------------------------

    def _setup(self, session: Session) -> tuple[int, list[int], dict[str, list[tuple[int, str]]]]:
        if session.scalar(select(Company.id).where(Company.name == self.company_name)) is not None:
            raise DuplicateCompany(
                f"a company named {self.company_name!r} already exists; choose another --company",
                field="company",
            )
        slug = "".join(ch for ch in self.company_name.lower() if ch.isalnum())[:20] or "company"
        password = auth_service.HashedPassword(
            auth_service.hash_password(self.staff_password or secrets.token_urlsafe(24))
        )
        owner = auth_service.create_user(
            session,
            email=self.owner_email or f"owner@{slug}.example",
            display_name="老板 Boss",
            password=password,
        )
        company = store_service.create_company(session, name=self.company_name, owner=owner)
        actor = system_actor(session, company.id, label="simulator")
        store_ids: list[int] = []
        for spec in STORES:
            opened = self.start - dt.timedelta(days=400)
            if spec.key == "shopee_th":
                opened = self.start + dt.timedelta(days=self.days // 3)
            store = store_service.open_store(
                session,
                actor=actor,
                data=StoreCreate(
                    name=spec.name,
                    platform=spec.platform,
                    business_model=spec.model,
                    site=spec.site,
                    currency=spec.currency,
                    timezone=spec.timezone,
                    opened_on=opened,
                ),
            )
            store_service.change_store_status(
                session, store=store, status=StoreStatus.ACTIVE, actor=actor
            )
            store.opened_on = opened
            hours = [ServiceWindow(weekday=d, opens="09:00", closes="18:00") for d in range(7)]
            if spec.model.value == "b2b":
                hours = [ServiceWindow(weekday=d, opens="08:30", closes="20:00") for d in range(6)]
            actor = system_actor(session, company.id, label="simulator")
            store_service.set_service_hours(session, store=store, windows=hours, actor=actor)
            store_ids.append(store.id)
        actor = system_actor(session, company.id, label="simulator")
        key_to_id = {spec.key: sid for spec, sid in zip(STORES, store_ids, strict=True)}
        staff: dict[str, list[tuple[int, str]]] = {spec.key: [] for spec in STORES}
        for n, (name, role, where) in enumerate(STAFF, start=1):
            user = auth_service.create_user(
                session, email=f"staff{n}@{slug}.example", display_name=name, password=password
            )
            keys = [s.key for s in STORES] if where == "*" else where.split(",")
            auth_service.grant_role(
                session,
                user=user,
                role=Role(role),
                store_ids=[key_to_id[k] for k in keys],
                actor=actor,
            )
            for key in keys:
                staff[key].append((user.id, role))
            self.staff_number[user.id] = n
        self.slug = slug
        return company.id, store_ids, staff

    # --- platform accounts -----------------------------------------------------------------------

    def _accounts(self, states: list[_StoreState], staff: dict[str, list[tuple[int, str]]]) -> None:
        """2.1.2 / 2.2.2 A main seller account per store, a sub-account per staff member working
        on it (not finance), and their security records as of the end of the period; the weak
        ones of ``PLANTED_WEAK_ACCOUNTS`` are planted."""
        end = self.epoch0 + self.days - 1  # last simulated day
        ids: list[int] = []
        columns: dict[str, list[Any]] = {k: [] for k in (
            "store_id", "parent_id", "kind", "login", "purpose", "holder_user_id", "created_at")}  # fmt: skip
        security: dict[str, list[Any]] = {k: [] for k in (
            "two_factor_enabled", "payment_account_set", "password_changed_on", "permissions")}  # fmt: skip
        for state in states:
            rng = self.rng(9, state.index)
            key = state.spec.key
            people = [(u, r) for u, r in staff[key] if r not in ("finance",)]
            manager = next((u for u, r in people if r == "manager"), None)
            subs = [(u, r) for u, r in people if r != "manager"]
            first = int(self.ids(PlatformAccount, 1 + len(subs))[0])
            opened = (self.epoch0 + max(state.opened_index, -400)) * DAY + 10 * 3600
            for j, (user, role) in enumerate([(manager, "main"), *subs]):
                main = j == 0
                ids.append(first + j)
                columns["store_id"].append(state.store_id)
                columns["parent_id"].append(0 if main else first)
                columns["kind"].append("main" if main else "sub")
                login = "seller" if main else f"staff{self.staff_number.get(user or 0, 0)}"
                columns["login"].append(f"{login}.{key}@{self.slug}.example")
                columns["purpose"].append(
                    "seller-centre owner account" if main else _SUB_PURPOSE[role]
                )
                columns["holder_user_id"].append(user or 0)
                columns["created_at"].append(opened + j * 3600)
                weak = PLANTED_WEAK_ACCOUNTS.get((key, "main" if main else role))
                age = int(rng.integers(5, 75))  # healthy: within security.MAX_PASSWORD_AGE_DAYS
                security["two_factor_enabled"].append(weak is None or weak[0])
                security["payment_account_set"].append(main)
                security["password_changed_on"].append(end - (weak[1] if weak else age))
                security["permissions"].append(["all"] if main else list(_SUB_PERMISSIONS[role]))
        n = len(ids)
        account_ids = np.array(ids, dtype=np.int64)
        parent = np.array(columns["parent_id"], dtype=np.int64)
        holder = np.array(columns["holder_user_id"], dtype=np.int64)
        self.write(
            PlatformAccount,
            {
                "id": account_ids,
                "store_id": np.array(columns["store_id"], dtype=np.int64),
                "parent_id": Nullable(parent, parent == 0),
                "kind": columns["kind"],
                "login": columns["login"],
                "purpose": columns["purpose"],
                "holder_user_id": Nullable(holder, holder == 0),
                "is_active": np.ones(n, bool),
                "credential_ciphertext": [None] * n,
                "credential_set_at": Stamp(np.zeros(n, np.int64), np.ones(n, bool)),
                "created_at": Stamp(np.array(columns["created_at"], dtype=np.int64)),
            },
        )
        self.write(
            AccountSecurityRecord,
            {
                "id": self.ids(AccountSecurityRecord, n),
                "store_id": np.array(columns["store_id"], dtype=np.int64),
                "account_id": account_ids,
                "two_factor_enabled": np.array(security["two_factor_enabled"], bool),
                "payment_account_set": np.array(security["payment_account_set"], bool),
                "password_changed_on": Day(np.array(security["password_changed_on"])),
                "permissions": Json(security["permissions"]),
                "reviewed_by": ["王芳 Wang Fang"] * n,
                "reviewed_at": Stamp(np.full(n, (end + 1) * DAY - 3600)),
            },
        )

    # --- zero-effect listings -------------------------------------------------------------------

    def _plant_zero_effect(self, states: list[_StoreState], months: list[tuple[int, int]]) -> None:
        """3.2.6 Plant live listings that get no traffic, inquiry or order from the start of the
        month holding the day ``ZERO_EFFECT_DAYS`` before the end: in each store of
        ``ZERO_EFFECT_STORES``, the two least popular active listings listed 60+ days earlier."""
        self.dead_from = max(lo for lo, _hi in months if lo <= self.days - ZERO_EFFECT_DAYS)
        for state in states:
            if state.spec.key not in ZERO_EFFECT_STORES:
                continue
            L = state.listings
            candidate = L.active & (L.listed_day <= self.dead_from - 60)
            order = np.lexsort((L.ids, np.where(candidate, L.weight, np.inf)))
            chosen = order[: min(2, int(candidate.sum()))]
            state.dead = np.zeros(L.ids.size, bool)
            state.dead[chosen] = True

    # --- launch plans ----------------------------------------------------------------------------

    def _launch_plans(self, states: list[_StoreState]) -> None:
        """3.2.1 / 3.3.1 Planned new listings for the last ``LAUNCH_PLAN_WEEKS`` full weeks (Monday
        start) of each store: the week's actual launches, plus 1-2 in about a third of the weeks
        (stream 12), which end up short of plan."""
        first_monday = (7 - self.start.weekday()) % 7
        mondays = np.arange(first_monday, self.days - 6, 7)[-LAUNCH_PLAN_WEEKS:]
        if mondays.size == 0:
            return
        store_col, week_col, plan_col, user_col = [], [], [], []
        for state in states:
            rng = self.rng(12, state.index)
            mondays_open = mondays[mondays >= state.opened_index]
            if mondays_open.size == 0:
                continue
            L = state.listings
            in_window = (L.listed_day >= mondays_open[0]) & (L.listed_day < mondays_open[-1] + 7)
            week = (L.listed_day[in_window] - mondays_open[0]) // 7
            actual = np.bincount(week, minlength=mondays_open.size)[: mondays_open.size]
            short = rng.random(mondays_open.size) < 0.35
            planned = actual + np.where(short, rng.integers(1, 3, mondays_open.size), 0)
            store_col.append(np.full(mondays_open.size, state.store_id))
            week_col.append(self.epoch0 + mondays_open)
            plan_col.append(planned)
            user_col.append(np.full(mondays_open.size, (state.staff_ops or [0])[0]))
        n = int(sum(a.size for a in store_col))
        week_start = np.concatenate(week_col)
        user = np.concatenate(user_col)
        self.write(
            cm.LaunchPlanWeek,
            {
                "id": self.ids(cm.LaunchPlanWeek, n),
                "store_id": np.concatenate(store_col),
                "week_start": Day(week_start),
                "planned_count": np.concatenate(plan_col),
                "note": [""] * n,
                "set_by_user_id": Nullable(user, user == 0),
                "set_at": Stamp((week_start - 7) * DAY + 9 * 3600),
            },
        )

    # --- logistics rate cards --------------------------------------------------------------------

    def _rate_cards(self, company_id: int, channel_ids: NDArray[np.int64]) -> None:
        """9.1.1 A rate card (profile, zones, weight bands in CNY) for every channel: it serves the
        buyer countries of the stores that use it (``STORE_CHANNELS``), zoned by region; prices
        from the same per-kg rate as the simulated shipping fees (``CHANNEL_PER_KG_CNY``)."""
        profiles: dict[str, list[Any]] = {k: [] for k in RATE_TERMS["express"]}
        zone_rows: list[tuple[int, str, str]] = []
        band_rows: list[tuple[int, str, int, int, int]] = []
        for c, (_carrier, _service, kind, *_rest) in enumerate(CHANNELS):
            for key, value in RATE_TERMS[kind].items():
                profiles[key].append(value)
            countries = sorted(
                {country for spec in STORES if c in STORE_CHANNELS[spec.key]
                 for country in spec.countries}
            )  # fmt: skip
            zones = sorted({_region(country) for country in countries})
            zone_rows += [(c, _region(country), country) for country in countries]
            per_kg = CHANNEL_PER_KG_CNY[c] * 100
            max_g = RATE_TERMS[kind]["max_weight_g"]
            for zone in zones:
                factor = ZONE_FACTOR[zone]
                # up to 2 kg: 8 CNY + the per-kg rate; heavier: 15 CNY + 90 % of it
                heavy = [(max_g, 0.9, 1500)] if max_g > 2000 else []
                for limit, discount, fixed in [(2000, 1.0, 800), *heavy]:
                    band_rows.append((c, zone, limit, round(per_kg * factor * discount), fixed))
        n = len(CHANNELS)
        self.write(
            lm.ChannelProfile,
            {
                "id": self.ids(lm.ChannelProfile, n),
                "company_id": np.full(n, company_id),
                "channel_id": channel_ids,
                "currency": ["CNY"] * n,
                **{k: np.array(v) if k != "service_level" else v for k, v in profiles.items()},
            },
        )
        self.write(
            lm.ChannelZone,
            {
                "id": self.ids(lm.ChannelZone, len(zone_rows)),
                "company_id": np.full(len(zone_rows), company_id),
                "channel_id": channel_ids[[r[0] for r in zone_rows]],
                "zone": [r[1] for r in zone_rows],
                "country": [r[2] for r in zone_rows],
            },
        )
        self.write(
            lm.ChannelRate,
            {
                "id": self.ids(lm.ChannelRate, len(band_rows)),
                "company_id": np.full(len(band_rows), company_id),
                "channel_id": channel_ids[[r[0] for r in band_rows]],
                "zone": [r[1] for r in band_rows],
                "max_weight_g": np.array([r[2] for r in band_rows]),
                "per_kg_amount": np.array([r[3] for r in band_rows], dtype=np.int64),
                "fixed_amount": np.array([r[4] for r in band_rows], dtype=np.int64),
            },
        )

    # --- staff training --------------------------------------------------------------------------

    def _training(self, company_id: int, staff: dict[str, list[tuple[int, str]]]) -> None:
        """7.3.3 The company's courses and each member's results (``COURSES``, ``TRAINING``);
        ``UNTRAINED_CUSTOMER_SERVICE`` is planted without any customer-service training."""
        rng = self.rng(10)
        course_ids = self.ids(stm.Course, len(COURSES))
        created = (self.epoch0 - 30) * DAY + 9 * 3600
        self.write(
            stm.Course,
            {
                "id": course_ids,
                "company_id": np.full(len(COURSES), company_id),
                "code": [c[0] for c in COURSES],
                "title": [c[1] for c in COURSES],
                "task_codes": Json([list(c[2]) for c in COURSES]),
                "pass_score": np.array([c[3] for c in COURSES]),
                "valid_months": Nullable(
                    np.array([c[4] or 0 for c in COURSES]),
                    np.array([c[4] is None for c in COURSES]),
                ),
                "created_at": Stamp(np.full(len(COURSES), created)),
            },
        )
        code_index = {c[0]: i for i, c in enumerate(COURSES)}
        roles = {user: role for people in staff.values() for user, role in people}
        manager = next((u for u, r in roles.items() if r == "manager"), None)
        user_col, course_col, day_col, score_col, passed_col = [], [], [], [], []
        for user in sorted(roles):
            n = self.staff_number.get(user, 0)
            for code in TRAINING.get(roles[user], ()):
                if code == "CS-101" and STAFF[n - 1][0] == UNTRAINED_CUSTOMER_SERVICE:
                    continue
                attempts = [int(rng.integers(72, 99))]
                if (roles[user], code) in _FIRST_ATTEMPT_FAILS:
                    attempts = [int(rng.integers(45, 65)), *attempts]
                if roles[user] == "trainee":  # still learning: failed, not yet retaken
                    attempts = [int(rng.integers(40, 65))]
                day = int(rng.integers(0, max(self.days // 2, 1)))
                for k, score in enumerate(attempts):
                    user_col.append(user)
                    course_col.append(int(course_ids[code_index[code]]))
                    day_col.append(self.epoch0 + day + 14 * k)
                    score_col.append(score)
                    passed_col.append(score >= COURSES[code_index[code]][3])
        m = len(user_col)
        self.write(
            stm.TrainingRecord,
            {
                "id": self.ids(stm.TrainingRecord, m),
                "company_id": np.full(m, company_id),
                "user_id": np.array(user_col, dtype=np.int64),
                "course_id": np.array(course_col, dtype=np.int64),
                "taken_on": Day(np.array(day_col, dtype=np.int64)),
                "score": np.array(score_col),
                "passed": np.array(passed_col, bool),
                "assessor_user_id": Nullable(np.full(m, manager or 0), np.full(m, manager is None)),
                "created_at": Stamp(np.array(day_col, dtype=np.int64) * DAY + 17 * 3600),
            },
        )

    # --- catalog ---------------------------------------------------------------------------------

    def _catalog(self, company_id: int) -> dict[str, Any]:
        rng = self.rng(1)
        n_products = self.scale.products
        cat_ids = self.ids(cm.Category, len(CATEGORIES))
        self.write(
            cm.Category,
            {
                "id": cat_ids,
                "company_id": np.full(len(CATEGORIES), company_id),
                "parent_id": Nullable(
                    np.zeros(len(CATEGORIES), dtype=np.int64), np.ones(len(CATEGORIES), dtype=bool)
                ),
                "code": [c.code for c in CATEGORIES],
                "name_zh": [c.name_zh for c in CATEGORIES],
                "name_en": [c.name_en for c in CATEGORIES],
            },
        )
        n_suppliers = max(6, n_products // 12)
        sup_ids = self.ids(cm.Supplier, n_suppliers)
        provinces = [
            ("浙江", "义乌"),
            ("广东", "深圳"),
            ("浙江", "宁波"),
            ("广东", "东莞"),
            ("福建", "泉州"),
            ("江苏", "苏州"),
        ]
        picks = rng.integers(len(provinces), size=n_suppliers)
        # supplier concentration: a few suppliers make most products (1.1.9)
        sup_weight = 1.0 / np.arange(1, n_suppliers + 1) ** 0.9
        sup_weight /= sup_weight.sum()
        self.write(
            cm.Supplier,
            {
                "id": sup_ids,
                "company_id": np.full(n_suppliers, company_id),
                "name": [
                    f"{provinces[p][1]}{['精工', '优品', '宏达', '嘉诚', '众鑫'][i % 5]}制造有限公司 #{i + 1}"
                    for i, p in enumerate(picks.tolist())
                ],
                "province": [provinces[p][0] for p in picks.tolist()],
                "city": [provinces[p][1] for p in picks.tolist()],
                "kind": np.where(rng.random(n_suppliers) < 0.7, "factory", "trader").tolist(),
                "rating": rng.integers(3, 6, size=n_suppliers),
                "lead_time_days": rng.integers(5, 46, size=n_suppliers),
                "moq": (rng.integers(1, 11, size=n_suppliers) * 50),
            },
        )
        category = rng.integers(len(CATEGORIES), size=n_products)
        names: list[tuple[str, str]] = []
        for i in range(n_products):
            names.extend(text.product_names(rng, CATEGORIES[int(category[i])], 1))
        cost_lo = np.array([CATEGORIES[c].cost_cny[0] for c in category])
        cost_hi = np.array([CATEGORIES[c].cost_cny[1] for c in category])
        unit_cost = np.exp(rng.uniform(np.log(cost_lo), np.log(cost_hi)))  # CNY, log-uniform
        weight = np.array(
            [
                rng.integers(CATEGORIES[c].weight_g[0], CATEGORIES[c].weight_g[1] + 1)
                for c in category
            ]
        )
        battery = rng.random(n_products) < np.array([CATEGORIES[c].battery_share for c in category])
        liquid = rng.random(n_products) < np.array([CATEGORIES[c].liquid_share for c in category])
        # launched before or during the period: new products keep arriving (3.2.1 / 3.3.1)
        launched = np.where(
            rng.random(n_products) < 0.7,
            -rng.integers(30, 900, size=n_products),
            rng.integers(0, max(self.days - 30, 1), size=n_products),
        )
        hs_codes = [CATEGORIES[c].hs_code + f"{int(rng.integers(0, 99)):02d}" for c in category]
        prod_ids = self.ids(cm.Product, n_products)
        self.write(
            cm.Product,
            {
                "id": prod_ids,
                "company_id": np.full(n_products, company_id),
                "category_id": cat_ids[category],
                "supplier_id": sup_ids[rng.choice(n_suppliers, size=n_products, p=sup_weight)],
                "code": [f"P{i + 1:05d}" for i in range(n_products)],
                "name_zh": [n[1] for n in names],
                "name_en": [n[0] for n in names],
                "brand": [
                    text.BRANDS[int(b)] for b in rng.integers(len(text.BRANDS), size=n_products)
                ],
                "hs_code": hs_codes,
                "launched_on": Day(self.epoch0 + launched),
                "has_battery": battery,
                "has_liquid": liquid,
            },
        )
        n_variants = rng.integers(1, 6, size=n_products)
        sku_product = np.repeat(np.arange(n_products), n_variants)
        sku_first = np.concatenate([[0], np.cumsum(n_variants)[:-1]])
        variant_no = np.arange(sku_product.size) - sku_first[sku_product]
        sku_ids = self.ids(cm.Sku, sku_product.size)
        variant_names = [
            CATEGORIES[int(category[p])].variants[v % len(CATEGORIES[int(category[p])].variants)]
            for p, v in zip(sku_product.tolist(), variant_no.tolist(), strict=True)
        ]
        sku_cost = np.round(
            unit_cost[sku_product] * rng.uniform(0.95, 1.1, sku_product.size) * 100
        ).astype(np.int64)
        self.write(
            cm.Sku,
            {
                "id": sku_ids,
                "company_id": np.full(sku_product.size, company_id),
                "product_id": prod_ids[sku_product],
                "code": [
                    f"P{p + 1:05d}-{v + 1:02d}"
                    for p, v in zip(sku_product.tolist(), variant_no.tolist(), strict=True)
                ],
                "variant": variant_names,
                "cost_amount": sku_cost,
                "cost_currency": ["CNY"] * sku_product.size,
                "weight_g": weight[sku_product],
                "length_mm": rng.integers(60, 450, sku_product.size),
                "width_mm": rng.integers(40, 300, sku_product.size),
                "height_mm": rng.integers(10, 200, sku_product.size),
            },
        )
        channel_ids = self.ids(lm.LogisticsChannel, len(CHANNELS))
        self.write(
            lm.LogisticsChannel,
            {
                "id": channel_ids,
                "company_id": np.full(len(CHANNELS), company_id),
                "carrier": [c[0] for c in CHANNELS],
                "service_name": [c[1] for c in CHANNELS],
                "kind": [c[2] for c in CHANNELS],
                "transit_min_days": [c[3] for c in CHANNELS],
                "transit_max_days": [c[4] for c in CHANNELS],
                "tracking_prefix": [c[5] for c in CHANNELS],
            },
        )
        self._channel_ids = channel_ids
        self._rate_cards(company_id, channel_ids)
        self._platform_channel = np.array([c[2] == "platform" for c in CHANNELS])
        self._express_channel = np.array([c[2] == "express" for c in CHANNELS])
        self._fba_channel = np.array([c[0] == "Amazon" for c in CHANNELS])
        self._certificates(rng, company_id, prod_ids, category)
        self._keywords(rng, company_id, cat_ids)
        media = self._media(rng, company_id, prod_ids, launched)
        self._competitors(rng, company_id, cat_ids)
        return {
            "product_ids": prod_ids,
            "category": category,
            "unit_cost": unit_cost,
            "weight": weight,
            "launched": launched,
            "sku_ids": sku_ids,
            "sku_first": sku_first,
            "n_variants": n_variants,
            "names": names,
            "hs": hs_codes,
            "video_asset": media,
            "sku_cost": sku_cost,
        }

    def _certificates(
        self,
        rng: np.random.Generator,
        company_id: int,
        prod_ids: NDArray[np.int64],
        category: NDArray[np.int64],
    ) -> None:
        market_of = {
            "CE": "EU",
            "UKCA": "GB",
            "FCC": "US",
            "CPC": "US",
            "CPSIA": "US",
            "FDA": "US",
            "RoHS": "EU",
            "LFGB": "DE",
            "EN71": "EU",
            "E-mark": "EU",
        }
        rows: list[tuple[int, str, str, int, int]] = []
        for p, c in enumerate(category.tolist()):
            for kind in CATEGORIES[c].certificates:
                if rng.random() < 0.12:
                    continue  # deliberately missing: 3.1.3 checks must find these
                issued = int(rng.integers(-1100, -30))
                expires = issued + int(rng.integers(400, 1500))
                rows.append((p, kind, market_of[kind], issued, expires))
        if not rows:
            return
        ids = self.ids(cm.Certificate, len(rows))
        self.write(
            cm.Certificate,
            {
                "id": ids,
                "company_id": np.full(len(rows), company_id),
                "product_id": prod_ids[[r[0] for r in rows]],
                "kind": [r[1] for r in rows],
                "market": [r[2] for r in rows],
                "number": [f"{r[1]}-{self.seed % 1000:03d}-{i:06d}" for i, r in enumerate(rows)],
                "issued_on": Day(self.epoch0 + np.array([r[3] for r in rows])),
                "expires_on": Day(self.epoch0 + np.array([r[4] for r in rows])),
            },
        )

    def _keywords(
        self, rng: np.random.Generator, company_id: int, cat_ids: NDArray[np.int64]
    ) -> None:
        rows: list[tuple[int, str, str, str, int, str, int]] = []
        markets = (("en", "US"), ("de", "DE"), ("ja", "JP"), ("en", "GB"), ("en", "MY"))
        for c, spec in enumerate(CATEGORIES):
            for noun in spec.nouns:
                for adjective in spec.adjectives[:3]:
                    language, market = markets[int(rng.integers(len(markets)))]
                    volume = int(rng.lognormal(8.5, 1.3))
                    source = ("brand_analytics", "keyword_tool", "search_suggest", "competitor")[
                        int(rng.integers(4))
                    ]
                    rows.append(
                        (
                            c,
                            f"{adjective} {noun}".lower(),
                            language,
                            market,
                            volume,
                            source,
                            int(rng.integers(30, 101)),
                        )
                    )
        ids = self.ids(cm.Keyword, len(rows))
        self.write(
            cm.Keyword,
            {
                "id": ids,
                "company_id": np.full(len(rows), company_id),
                "category_id": cat_ids[[r[0] for r in rows]],
                "text": [r[1] for r in rows],
                "language": [r[2] for r in rows],
                "market": [r[3] for r in rows],
                "monthly_searches": [r[4] for r in rows],
                "source": [r[5] for r in rows],
                "relevance": [r[6] for r in rows],
            },
        )

    def _media(
        self,
        rng: np.random.Generator,
        company_id: int,
        prod_ids: NDArray[np.int64],
        launched: NDArray[np.int64],
    ) -> NDArray[np.int64]:
        n = prod_ids.size
        images = rng.integers(2, 10, size=n)
        videos = (rng.random(n) < 0.55).astype(np.int64) + (rng.random(n) < 0.15)
        kind_image = np.repeat(np.arange(n), images)
        kind_video = np.repeat(np.arange(n), videos)
        product = np.concatenate([kind_image, kind_video])
        is_video = np.concatenate([np.zeros(kind_image.size, bool), np.ones(kind_video.size, bool)])
        ids = self.ids(cm.MediaAsset, product.size)
        size = product.size
        self.write(
            cm.MediaAsset,
            {
                "id": ids,
                "company_id": np.full(size, company_id),
                "product_id": prod_ids[product],
                "kind": np.where(is_video, "video", "image").tolist(),
                "name": [
                    f"P{p + 1:05d}_{'video' if v else 'img'}_{i}.{'mp4' if v else 'jpg'}"
                    for i, (p, v) in enumerate(
                        zip(product.tolist(), is_video.tolist(), strict=True)
                    )
                ],
                "width_px": np.where(
                    is_video, 1920, rng.choice([800, 1000, 1500, 1600, 2000], size=size)
                ),
                "height_px": np.where(
                    is_video, 1080, rng.choice([800, 1000, 1500, 1600, 2000], size=size)
                ),
                "duration_s": Nullable(rng.integers(15, 90, size=size), ~is_video),
                "size_bytes": np.where(
                    is_video,
                    rng.integers(5_000_000, 40_000_000, size=size),
                    rng.integers(80_000, 900_000, size=size),
                ),
                "created_on": Day(self.epoch0 + launched[product] - rng.integers(5, 40, size=size)),
                "is_good": np.where(is_video, rng.random(size) < 0.7, True),
            },
        )
        first_video = np.full(n, -1, dtype=np.int64)
        video_ids = ids[is_video]
        video_product = product[is_video]
        first_video[video_product[::-1]] = video_ids[::-1]
        return first_video

    def _competitors(
        self, rng: np.random.Generator, company_id: int, cat_ids: NDArray[np.int64]
    ) -> None:
        n = 3 + self.scale.products // 20
        comp_ids = self.ids(cm.Competitor, n)
        platforms = ["amazon", "aliexpress", "shopee", "alibaba_com", "ebay"]
        kinds = np.array(["direct", "indirect", "potential"])[
            rng.choice(3, size=n, p=[0.5, 0.35, 0.15])
        ]
        self.write(
            cm.Competitor,
            {
                "id": comp_ids,
                "company_id": np.full(n, company_id),
                "platform": [platforms[int(p)] for p in rng.integers(len(platforms), size=n)],
                "name": [f"{text.BRANDS[i % len(text.BRANDS)]}-rival-{i + 1}" for i in range(n)],
                "country": np.array(["CN", "CN", "CN", "US", "DE", "HK"])[
                    rng.integers(6, size=n)
                ].tolist(),
                "kind": kinds.tolist(),
                "first_seen_on": Day(self.epoch0 - rng.integers(0, 700, size=n)),
            },
        )
        per = rng.integers(3, 9, size=n)
        owner = np.repeat(np.arange(n), per)
        m = owner.size
        cp_ids = self.ids(cm.CompetitorProduct, m)
        cat = rng.integers(len(CATEGORIES), size=m)
        self.write(
            cm.CompetitorProduct,
            {
                "id": cp_ids,
                "company_id": np.full(m, company_id),
                "competitor_id": comp_ids[owner],
                "category_id": cat_ids[cat],
                "title": [text.product_names(rng, CATEGORIES[int(c)], 1)[0][0] for c in cat],
                "brand": [
                    f"{text.BRANDS[int(b)]}X" for b in rng.integers(len(text.BRANDS), size=m)
                ],
                "currency": ["USD"] * m,
                "listed_on": Day(self.epoch0 - rng.integers(0, 900, size=m)),
            },
        )
        weeks = np.arange(0, self.days, 7)
        product = np.repeat(np.arange(m), weeks.size)
        week = np.tile(weeks, m)
        base_price = rng.lognormal(3.0, 0.6, size=m)
        walk = np.cumsum(rng.normal(0, 0.02, size=(m, weeks.size)), axis=1).ravel()
        price = np.round(base_price[product] * np.exp(walk) * 100).astype(np.int64)
        base_sales = rng.lognormal(5.0, 1.2, size=m)
        sales = np.maximum(
            0,
            np.round(
                base_sales[product] * np.exp(walk * -1.5) * rng.lognormal(0, 0.2, product.size)
            ),
        )
        reviews = np.round(rng.lognormal(5, 1.3, size=m))[product] + week // 7 * 3
        ids = self.ids(cm.CompetitorSnapshot, product.size)
        self.write(
            cm.CompetitorSnapshot,
            {
                "id": ids,
                "company_id": np.full(product.size, company_id),
                "competitor_product_id": cp_ids[product],
                "observed_on": Day(self.epoch0 + week),
                "price_amount": price,
                "est_monthly_sales": sales.astype(np.int64),
                "rating_x10": np.clip(np.round(rng.normal(43, 3, size=m))[product], 30, 50).astype(
                    np.int64
                ),
                "review_count": reviews.astype(np.int64),
            },
        )

    # --- stores: listings, groups, showcase ------------------------------------------------------

    def _stores(
        self, store_ids: list[int], staff: dict[str, list[tuple[int, str]]], catalog: dict[str, Any]
    ) -> list[_StoreState]:
        states = []
        n_products = catalog["product_ids"].size
        for s, (spec, store_id) in enumerate(zip(STORES, store_ids, strict=True)):
            rng = self.rng(2, s)
            opened_index = (self.days // 3) if spec.key == "shopee_th" else -400
            listed_share = 0.9 if spec.key in ("aliexpress", "alibaba") else 0.55
            chosen = np.flatnonzero(rng.random(n_products) < listed_share)
            if chosen.size < 5:
                chosen = np.arange(min(5, n_products))
            rank = rng.permutation(chosen.size) + 1
            weight = 1.0 / rank.astype(np.float64) ** 1.05  # Zipf: a few best-sellers, a long tail
            weight /= weight.sum()
            unit_usd = (
                catalog["unit_cost"][chosen]
                / 7.1
                * rng.uniform(2.6, 4.2, chosen.size)
                * spec.price_factor
            )
            price = _local_price(unit_usd * PRICE_PER_USD[spec.currency], spec.currency)
            # completeness decides which listings are deliberately incomplete (3.3.2 checks find
            # them); quality, partly driven by it, sets conversion and ratings
            completeness = rng.random(chosen.size)
            quality = rng.beta(5, 1.6, chosen.size) * (0.75 + 0.25 * completeness)
            listed_day = np.maximum(
                catalog["launched"][chosen] + rng.integers(0, 60, chosen.size),
                max(opened_index, -400),
            )
            status_draw = rng.random(chosen.size)
            active = status_draw < 0.93
            ids = self.ids(cm.Listing, chosen.size)
            video = (catalog["video_asset"][chosen] >= 0) & (quality > 0.3)
            ops = [u for u, role in staff[spec.key] if role in ("operator", "manager")]
            cs = [
                u for u, role in staff[spec.key] if role in ("customer_service", "operator")
            ] or ops
            groups = self._groups(rng, store_id, spec, ops, catalog["category"][chosen])
            self._write_listings(
                rng,
                completeness,
                store_id,
                spec,
                ids,
                chosen,
                catalog,
                price,
                quality,
                listed_day,
                active,
                status_draw,
                video,
                ops,
                groups,
            )
            state = _StoreState(
                index=s,
                spec=spec,
                store_id=store_id,
                opened_index=opened_index,
                listings=_Listings(ids, chosen, weight, price, quality, listed_day, active, video),
                demand=np.zeros(0),
                discount=np.zeros(0, dtype=np.int64),
                mena=np.zeros(0),
                orders_per_day=0.0,
                offset=_utc_offsets(spec.timezone, self.start, self.days),
                staff_ops=ops,
                staff_cs=cs,
            )
            demand, discount = daily_demand(
                spec, self.start, self.days, opened_index=state.opened_index, rng=self.rng(3, s)
            )
            state.demand, state.discount = demand, discount
            state.mena = mena_lift(spec, self.start, self.days)
            open_days = max(int((np.arange(self.days) >= state.opened_index).sum()), 1)
            orders = self.scale.order_lines * spec.share / spec.lines_per_order
            state.orders_per_day = orders / open_days
            state.line_counts = np.zeros((chosen.size, self.days), dtype=np.int32)
            self._edits(rng, store_id, ids, listed_day, ops)
            if spec.model.value == "b2b":
                self._showcase(rng, store_id, ids, weight, listed_day)
            states.append(state)
        return states

    def _groups(
        self,
        rng: np.random.Generator,
        store_id: int,
        spec: StoreSpec,
        ops: list[int],
        categories: NDArray[np.int64],
    ) -> NDArray[np.int64]:
        used = np.unique(categories)
        ids = self.ids(cm.ProductGroup, used.size)
        owners = np.array(ops or [0])[np.arange(used.size) % max(len(ops), 1)]
        self.write(
            cm.ProductGroup,
            {
                "id": ids,
                "store_id": np.full(used.size, store_id),
                "name": [
                    f"{CATEGORIES[c].name_zh} / {CATEGORIES[c].name_en}" for c in used.tolist()
                ],
                "owner_user_id": Nullable(owners, np.full(used.size, not ops)),
            },
        )
        lookup = np.zeros(len(CATEGORIES), dtype=np.int64)
        lookup[used] = ids
        return lookup[categories]

    def _write_listings(
        self,
        rng: np.random.Generator,
        completeness: NDArray[np.float64],
        store_id: int,
        spec: StoreSpec,
        ids: NDArray[np.int64],
        chosen: NDArray[np.int64],
        catalog: dict[str, Any],
        price: NDArray[np.int64],
        quality: NDArray[np.float64],
        listed_day: NDArray[np.int64],
        active: NDArray[np.bool_],
        status_draw: NDArray[np.float64],
        video: NDArray[np.bool_],
        ops: list[int],
        groups: NDArray[np.int64],
    ) -> None:
        n = ids.size
        names = catalog["names"]
        brands = [text.BRANDS[int(b)] for b in rng.integers(len(text.BRANDS), size=n)]
        titles = [
            text.listing_title(rng, names[p][0], brands[i], float(completeness[i]))
            for i, p in enumerate(chosen.tolist())
        ]
        bullets = []
        for c in completeness.tolist():
            count = 5 if c > 0.15 else int(rng.integers(0, 4))  # some deliberately incomplete
            bullets.append(
                [
                    text.BENEFITS[int(j)]
                    for j in rng.choice(len(text.BENEFITS), size=count, replace=False)
                ]
            )
        attributes = []
        for i, p in enumerate(chosen.tolist()):
            attrs: dict[str, Any] = {
                "brand": brands[i],
                "material": ("ABS", "Silicone", "Aluminium", "Nylon")[p % 4],
            }
            if completeness[i] > 0.2:
                attrs |= {
                    "colour": "multiple",
                    "weight_g": int(catalog["weight"][p]),
                    "origin": "CN",
                }
            attributes.append(attrs)
        status = np.where(active, "active", np.where(status_draw < 0.97, "inactive", "draft"))
        prefix = {
            "amazon": "B0",
            "aliexpress": "1005",
            "shopee": "SP",
            "alibaba_com": "16",
            "ebay": "EB",
        }.get(spec.platform.value, "X")
        updated = np.minimum(listed_day + rng.integers(0, max(self.days, 2), size=n), self.days - 1)
        self.write(
            cm.Listing,
            {
                "id": ids,
                "store_id": np.full(n, store_id),
                "product_id": catalog["product_ids"][chosen],
                "group_id": groups,
                "external_id": [f"{prefix}{self.seed % 97:02d}{int(i):08d}" for i in ids.tolist()],
                "title": titles,
                "bullet_points": Json(bullets),
                "description": [
                    f"{t}. " + " ".join(b) if c > 0.05 else ""
                    for t, b, c in zip(titles, bullets, completeness.tolist(), strict=True)
                ],
                "attributes": Json(attributes),
                "price_amount": price,
                "currency": [spec.currency] * n,
                "image_count": np.where(
                    completeness < 0.08, rng.integers(1, 3, size=n), rng.integers(4, 10, size=n)
                ),
                "video_count": video.astype(np.int64),
                "logistics_template": [
                    None if c < 0.06 else f"{spec.site}-standard" for c in completeness.tolist()
                ],
                "after_sales_template": [
                    None if c < 0.1 else "30-day returns" for c in completeness.tolist()
                ],
                "is_rts": (rng.random(n) < 0.4) & (spec.model.value == "b2b"),
                "status": status.tolist(),
                "created_by_user_id": Nullable(
                    np.array(ops or [0])[rng.integers(max(len(ops), 1), size=n)],
                    np.full(n, not ops),
                ),
                "listed_on": Day(self.epoch0 + listed_day),
                "updated_on": Day(self.epoch0 + np.maximum(updated, listed_day)),
            },
        )

    def _edits(
        self,
        rng: np.random.Generator,
        store_id: int,
        ids: NDArray[np.int64],
        listed_day: NDArray[np.int64],
        ops: list[int],
    ) -> None:
        live_days = np.clip(self.days - np.maximum(listed_day, 0), 0, None)
        count = rng.poisson(live_days / 75.0)
        listing = np.repeat(np.arange(ids.size), count)
        if listing.size == 0:
            return
        day = np.maximum(listed_day[listing], 0) + (
            rng.random(listing.size) * live_days[listing]
        ).astype(np.int64)
        fields = ("title", "price", "images", "bullet_points", "attributes", "description", "video")
        edit_ids = self.ids(cm.ListingEdit, listing.size)
        self.write(
            cm.ListingEdit,
            {
                "id": edit_ids,
                "store_id": np.full(listing.size, store_id),
                "listing_id": ids[listing],
                "user_id": Nullable(
                    np.array(ops or [0])[rng.integers(max(len(ops), 1), size=listing.size)],
                    np.full(listing.size, not ops),
                ),
                "edited_on": Day(self.epoch0 + np.minimum(day, self.days - 1)),
                "fields": Json(
                    [
                        [
                            fields[int(j)]
                            for j in rng.choice(len(fields), size=int(k), replace=False)
                        ]
                        for k in rng.integers(1, 4, size=listing.size)
                    ]
                ),
            },
        )

    def _showcase(
        self,
        rng: np.random.Generator,
        store_id: int,
        ids: NDArray[np.int64],
        weight: NDArray[np.float64],
        listed_day: NDArray[np.int64],
    ) -> None:
        rows: list[tuple[int, int, int, int | None]] = []
        slots = 10
        for start in range(0, self.days, 60):
            eligible = np.flatnonzero(listed_day <= start)
            if eligible.size == 0:
                continue
            top = eligible[np.argsort(-(weight[eligible] * rng.lognormal(0, 0.5, eligible.size)))][
                :slots
            ]
            end = start + 59 if start + 60 < self.days else None
            rows.extend((slot + 1, int(ids[i]), start, end) for slot, i in enumerate(top.tolist()))
        if not rows:
            return
        slot_ids = self.ids(cm.ShowcaseSlot, len(rows))
        until = np.array([r[3] if r[3] is not None else 0 for r in rows])
        self.write(
            cm.ShowcaseSlot,
            {
                "id": slot_ids,
                "store_id": np.full(len(rows), store_id),
                "slot_no": [r[0] for r in rows],
                "listing_id": [r[1] for r in rows],
                "since": Day(self.epoch0 + np.array([r[2] for r in rows])),
                "until": Day(self.epoch0 + until, np.array([r[3] is None for r in rows])),
            },
        )

    # --- marketing -------------------------------------------------------------------------------

    def _marketing(self, states: list[_StoreState]) -> None:
        end = self.start + dt.timedelta(days=self.days - 1)
        for s, state in enumerate(states):
            rng = self.rng(4, s)
            spec = state.spec
            promos: list[tuple[str, str, int, int, int]] = []
            for event, first, last in occurrences(spec, self.start, end):
                if event.discount_pct:
                    lo, hi = (
                        max((first - self.start).days, 0),
                        min((last - self.start).days, self.days - 1),
                    )
                    promos.append(
                        (f"{event.name} {first.year}", "platform_event", lo, hi, event.discount_pct)
                    )
            for month_start in range(0, self.days, 30):  # 5.1.2 the store's own monthly promotion
                lo = month_start + int(rng.integers(0, 20))
                hi = min(lo + int(rng.integers(3, 8)), self.days - 1)
                if lo < self.days and lo >= state.opened_index:
                    kind = ("discount", "coupon", "threshold")[int(rng.integers(3))]
                    promos.append(
                        (
                            f"{kind.title()} week {lo // 30 + 1}",
                            kind,
                            lo,
                            hi,
                            int(rng.integers(5, 16)),
                        )
                    )
            if promos:
                ids = self.ids(mm.Promotion, len(promos))
                self.write(
                    mm.Promotion,
                    {
                        "id": ids,
                        "store_id": np.full(len(promos), state.store_id),
                        "name": [p[0] for p in promos],
                        "kind": [p[1] for p in promos],
                        "starts_on": Day(self.epoch0 + np.array([p[2] for p in promos])),
                        "ends_on": Day(self.epoch0 + np.array([p[3] for p in promos])),
                        "discount_pct": [p[4] for p in promos],
                    },
                )
                state.promotions = [
                    (int(i), p[2], p[3], p[4]) for i, p in zip(ids.tolist(), promos, strict=True)
                ]
                for _pid, lo, hi, pct in state.promotions:
                    state.discount[lo : hi + 1] = np.maximum(state.discount[lo : hi + 1], pct)
                    state.demand[lo : hi + 1] *= (
                        1 - pct / 100
                    ) ** -1.8  # price elasticity of the discount
                # keep the scale's order lines: promotions move demand between days
                open_days = np.arange(self.days) >= state.opened_index
                state.demand = state.demand / state.demand[open_days].mean()
            self._ads(rng, state)
            if spec.platform.value in ("alibaba_com", "shopee", "aliexpress"):
                self._streams(rng, state)
            self._social(rng, state)

    def _ads(self, rng: np.random.Generator, state: _StoreState) -> None:
        spec = state.spec
        n_campaigns = 2 + int(rng.integers(0, 4))
        camp_ids = self.ids(mm.AdCampaign, n_campaigns)
        digits = minor_unit_digits(spec.currency)
        budget = np.round(
            rng.uniform(20, 120, n_campaigns) * PRICE_PER_USD[spec.currency] * 10**digits
        )
        starts = np.maximum(rng.integers(-200, self.days // 2, n_campaigns), state.opened_index)
        self.write(
            mm.AdCampaign,
            {
                "id": camp_ids,
                "store_id": np.full(n_campaigns, state.store_id),
                "name": [f"{spec.name} SP #{i + 1}" for i in range(n_campaigns)],
                "kind": np.array(["sponsored_products", "brand", "display"])[
                    rng.choice(3, n_campaigns, p=[0.7, 0.2, 0.1])
                ].tolist(),
                "currency": [spec.currency] * n_campaigns,
                "daily_budget_amount": budget.astype(np.int64),
                "starts_on": Day(self.epoch0 + starts),
                "ends_on": Day(np.zeros(n_campaigns, dtype=np.int64), np.ones(n_campaigns, bool)),
            },
        )
        keywords_per = max(2, int(self.scale.order_lines**0.25 / 3))
        camp = np.repeat(np.arange(n_campaigns), keywords_per)
        keyword_text = [
            f"{CATEGORIES[int(c)].adjectives[0].lower()} {CATEGORIES[int(c)].nouns[int(k)].lower()}"
            for c, k in zip(
                rng.integers(len(CATEGORIES), size=camp.size),
                rng.integers(0, 4, size=camp.size),
                strict=True,
            )
        ]
        day = np.arange(self.days)
        kw = np.repeat(np.arange(camp.size), self.days)
        d = np.tile(day, camp.size)
        live = d >= starts[camp[kw]]
        kw, d = kw[live], d[live]
        scale = np.clip(self.scale.order_lines / 60_000, 0.05, 40.0) * spec.share * 8
        impressions = rng.poisson(rng.lognormal(5.5, 0.8, camp.size)[kw] * state.demand[d] * scale)
        ctr = rng.uniform(0.002, 0.012, camp.size)[kw]
        clicks = rng.binomial(impressions, ctr)
        cpc = rng.uniform(0.25, 1.4, camp.size)[kw] * PRICE_PER_USD[spec.currency] * 10**digits
        spend = np.round(clicks * cpc).astype(np.int64)
        orders = rng.binomial(clicks, min(spec.conversion * 1.2, 0.5))
        avg = int(np.median(state.listings.price))
        keep = impressions > 0
        ids = self.ids(mm.AdKeywordDaily, int(keep.sum()))
        self.write(
            mm.AdKeywordDaily,
            {
                "id": ids,
                "store_id": np.full(ids.size, state.store_id),
                "campaign_id": camp_ids[camp[kw[keep]]],
                "day": Day(self.epoch0 + d[keep]),
                "keyword": [keyword_text[k] for k in kw[keep].tolist()],
                "impressions": impressions[keep],
                "clicks": clicks[keep],
                "spend_amount": spend[keep],
                "orders": orders[keep],
                "sales_amount": orders[keep] * avg,
            },
        )
        # ad spend is charged by the platform: one fee a month, settled with the payouts
        month_of = np.array([(self.start + dt.timedelta(days=int(x))).month for x in d[keep]])
        year_of = np.array([(self.start + dt.timedelta(days=int(x))).year for x in d[keep]])
        key = year_of * 100 + month_of
        for k in np.unique(key).tolist():
            last_day = int(d[keep][key == k].max())
            total = int(spend[keep][key == k].sum())
            period = last_day // spec.payout_days
            state.payout_fees[period] = state.payout_fees.get(period, 0) + total
            state.ad_fees.append((last_day, total))

    def _streams(self, rng: np.random.Generator, state: _StoreState) -> None:
        days = np.arange(max(state.opened_index, 0), self.days, 7) + rng.integers(0, 7)
        days = days[days < self.days]
        if days.size == 0:
            return
        ids = self.ids(mm.LiveStream, days.size)
        local_start = (self.epoch0 + days) * DAY + 20 * 3600 - state.offset[days]
        viewers = rng.lognormal(6.0, 0.7, days.size).astype(np.int64) * max(
            1, int(state.spec.share * 20)
        )
        self.write(
            mm.LiveStream,
            {
                "id": ids,
                "store_id": np.full(days.size, state.store_id),
                "title": [f"{state.spec.name} live #{i + 1}" for i in range(days.size)],
                "host_name": [
                    ("Mia", "Leo", "Ava", "Kai")[int(h)] for h in rng.integers(4, size=days.size)
                ],
                "starts_at": Stamp(local_start),
                "duration_min": rng.integers(45, 150, days.size),
                "target_country": [max(state.spec.countries, key=lambda c: state.spec.countries[c])]
                * days.size,
                "viewers": viewers,
                "peak_viewers": (viewers * rng.uniform(0.1, 0.3, days.size)).astype(np.int64),
                "new_followers": (viewers * rng.uniform(0.01, 0.05, days.size)).astype(np.int64),
                "interactions": (viewers * rng.uniform(0.05, 0.4, days.size)).astype(np.int64),
            },
        )
        state.streams = {int(d): int(i) for d, i in zip(days.tolist(), ids.tolist(), strict=True)}

    def _social(self, rng: np.random.Generator, state: _StoreState) -> None:
        days = np.arange(max(state.opened_index, 0), self.days)
        days = days[rng.random(days.size) < 0.35]
        if days.size == 0:
            return
        networks = (
            ("linkedin", "facebook", "youtube")
            if state.spec.model.value == "b2b"
            else ("facebook", "instagram", "tiktok", "youtube", "pinterest")
        )
        ids = self.ids(mm.SocialPost, days.size)
        impressions = rng.lognormal(7.5, 1.0, days.size).astype(np.int64)
        kind = np.array(["post", "short_video", "kol", "paid"])[
            rng.choice(4, days.size, p=[0.5, 0.3, 0.1, 0.1])
        ]
        digits = minor_unit_digits(state.spec.currency)
        spend = (
            np.where(np.isin(kind, ["kol", "paid"]), rng.uniform(20, 300, days.size), 0)
            * PRICE_PER_USD[state.spec.currency]
            * 10**digits
        )
        self.write(
            mm.SocialPost,
            {
                "id": ids,
                "store_id": np.full(days.size, state.store_id),
                "network": [networks[int(n)] for n in rng.integers(len(networks), size=days.size)],
                "posted_on": Day(self.epoch0 + days),
                "kind": kind.tolist(),
                "impressions": impressions,
                "engagements": (impressions * rng.uniform(0.01, 0.08, days.size)).astype(np.int64),
                "link_clicks": (impressions * rng.uniform(0.002, 0.02, days.size)).astype(np.int64),
                "spend_amount": np.round(spend).astype(np.int64),
                "currency": [state.spec.currency] * days.size,
            },
        )

    # --- orders and everything that follows from them --------------------------------------------

    def _orders(
        self, state: _StoreState, catalog: dict[str, Any], lo: int, hi: int, *, stream: int
    ) -> None:
        spec = state.spec
        rng = self.rng(stream)
        b2b = spec.model.value == "b2b"
        days = np.arange(lo, hi)
        lam = state.orders_per_day * state.demand[lo:hi]
        mena_weight = sum(w for c, w in spec.countries.items() if c in RAMADAN_MARKETS) / sum(
            spec.countries.values()
        )
        bonus = rng.poisson(lam * mena_weight * (state.mena[lo:hi] - 1.0))
        regular = rng.poisson(lam)
        day = np.concatenate([np.repeat(days, regular), np.repeat(days, bonus)])
        forced_mena = np.concatenate([np.zeros(regular.sum(), bool), np.ones(bonus.sum(), bool)])
        n = day.size
        if n == 0:
            return
        hour = rng.choice(24, size=n, p=_HOURS_GLOBAL if spec.site == "global" else _HOURS_LOCAL)
        placed = (
            (self.epoch0 + day) * DAY + hour * 3600 + rng.integers(0, 3600, n) - state.offset[day]
        )
        placed = np.minimum(placed, self.cutoff - 1)
        order_sort = np.argsort(placed, kind="stable")
        day, forced_mena, placed = day[order_sort], forced_mena[order_sort], placed[order_sort]
        buyer, country = self._buyers(rng, state, placed, forced_mena)
        order_ids = self.ids(om.Order, n)

        # lines: which listing, which SKU, how many, at what price
        lines_per = np.minimum(rng.geometric(1.0 / spec.lines_per_order, n), 8)
        line_order = np.repeat(np.arange(n), lines_per)
        m = line_order.size
        L = state.listings
        month_index = (self.start + dt.timedelta(days=lo)).month - 1
        eligible = L.active & (L.listed_day <= lo)
        if state.dead is not None and hi > self.dead_from:
            eligible &= ~state.dead
        if not eligible.any():
            eligible = L.active.copy()
            eligible[np.argmin(L.listed_day)] = True
        category = catalog["category"][L.product]
        season = np.ones(L.ids.size)
        for c, spec_c in enumerate(CATEGORIES):
            if spec_c.season_peak_month is not None:
                season[category == c] = 1 + 0.45 * np.cos(
                    2 * np.pi * (month_index + 1 - spec_c.season_peak_month) / 12
                )
        phase = self.rng(5, state.index).uniform(0, 2 * np.pi, L.ids.size)
        price_move = np.exp(0.05 * np.sin(phase + ((lo // 30) * 0.7)))  # listings reprice over time
        weight = L.weight * season * eligible * price_move**-1.8  # price elasticity of demand
        cumulative = np.cumsum(weight)
        listing = np.minimum(
            np.searchsorted(cumulative, rng.random(m) * cumulative[-1], side="right"),
            L.ids.size - 1,
        )
        product = L.product[listing]
        variant = np.minimum(rng.geometric(0.55, m) - 1, catalog["n_variants"][product] - 1)
        sku = catalog["sku_ids"][catalog["sku_first"][product] + variant]
        kind = np.full(n, "retail", dtype=object)
        if b2b:
            kind = np.array(["sample", "trade_assurance", "wholesale"], dtype=object)[
                rng.choice(3, n, p=[0.3, 0.55, 0.15])
            ]
        line_kind = kind[line_order]
        if b2b:
            bulk = rng.lognormal(np.log(spec.qty_mean), 0.8, m).round().astype(np.int64)
            qty = np.where(line_kind == "sample", 1 + rng.poisson(2, m), np.maximum(bulk, 20))
        else:
            qty = 1 + rng.poisson(spec.qty_mean - 1.0, m)
        discount = state.discount[day][line_order]
        unit = L.price[listing] * price_move[listing] * (1 - discount / 100.0)
        if b2b:
            tier = np.where(qty >= 500, 0.8, np.where(qty >= 100, 0.9, 1.0))
            unit = unit * np.where(line_kind == "sample", 1.5, tier)
        unit_price = _round_minor(unit, spec.currency)
        line_amount = unit_price * qty
        subtotal = np.bincount(line_order, weights=line_amount, minlength=n).astype(np.int64)
        digits = minor_unit_digits(spec.currency)
        local_unit = PRICE_PER_USD[spec.currency] * 10**digits
        shipping = np.zeros(n, dtype=np.int64)
        if b2b:
            shipping = np.where(
                kind == "sample",
                np.round(rng.uniform(30, 60, n) * local_unit),
                np.round(subtotal * 0.06),
            ).astype(np.int64)
        elif spec.platform.value in ("aliexpress", "shopee", "ebay"):
            paid_shipping = rng.random(n) < 0.3
            shipping = np.where(
                paid_shipping, np.round(rng.uniform(0.5, 4.0, n) * local_unit), 0
            ).astype(np.int64)
        coupon = (~np.full(n, b2b)) & (rng.random(n) < 0.04)
        discount_amount = np.where(
            coupon, np.minimum(np.round(rng.uniform(1, 5, n) * local_unit), subtotal // 5), 0
        ).astype(np.int64)
        total = subtotal + shipping - discount_amount

        # timeline in UTC seconds; None where not (yet) reached
        timeline = self._timeline(rng, state, kind, placed, total)
        status = timeline["status"]
        self._note_pii(state, timeline, buyer, country)
        promo_of_day = np.zeros(self.days, dtype=np.int64)
        for promo_id, p_lo, p_hi, _pct in state.promotions:
            promo_of_day[p_lo : p_hi + 1] = np.where(
                promo_of_day[p_lo : p_hi + 1] == 0, promo_id, promo_of_day[p_lo : p_hi + 1]
            )
        shares = TRAFFIC_SOURCE_SHARE.get(spec.platform.value, TRAFFIC_SOURCE_SHARE["default"])
        source = np.array(SOURCES, dtype=object)[
            rng.choice(len(SOURCES), n, p=[shares[s] for s in SOURCES])
        ]
        stream_of_day = np.array([state.streams.get(int(d), 0) for d in day], dtype=np.int64)
        source = np.where(
            (source == "live_stream") & (stream_of_day == 0), "organic_search", source
        )
        stream_id = np.where(source == "live_stream", stream_of_day, 0)
        self.write(
            om.Order,
            {
                "id": order_ids,
                "store_id": np.full(n, state.store_id),
                "external_id": _external_ids(spec, order_ids, self.seed),
                "buyer_id": buyer,
                "kind": kind.tolist(),
                "status": status.tolist(),
                "country": [self.countries[c] for c in country.tolist()],
                "currency": [spec.currency] * n,
                "subtotal_amount": subtotal,
                "shipping_amount": shipping,
                "discount_amount": discount_amount,
                "total_amount": total,
                "traffic_source": source.tolist(),
                "promotion_id": Nullable(promo_of_day[day], promo_of_day[day] == 0),
                "live_stream_id": Nullable(stream_id, stream_id == 0),
                "placed_at": Stamp(placed),
                **{k: Stamp(*timeline[k]) for k in _STAMPS},
            },
        )
        line_ids = self.ids(om.OrderLine, m)
        self.write(
            om.OrderLine,
            {
                "id": line_ids,
                "order_id": order_ids[line_order],
                "store_id": np.full(m, state.store_id),
                "listing_id": L.ids[listing],
                "sku_id": sku,
                "quantity": qty,
                "unit_price_amount": unit_price,
                "line_amount": line_amount,
                "currency": [spec.currency] * m,
            },
        )
        if state.line_counts is not None:
            np.add.at(state.line_counts, (listing, day[line_order]), 1)
        first_line = np.concatenate([[0], np.cumsum(lines_per)[:-1]])
        weight_g = np.bincount(
            line_order, weights=catalog["weight"][product] * qty, minlength=n
        ).astype(np.int64)
        units = np.bincount(line_order, weights=qty, minlength=n).astype(np.int64)
        self._fulfil(
            rng,
            state,
            catalog,
            order_ids,
            country,
            kind,
            total,
            subtotal,
            timeline,
            weight_g + 120,
            product[first_line],
            units,
        )
        self._after_sales(rng, state, order_ids, buyer, listing[first_line], total, timeline)
        self._conversations(
            rng, state, lo, hi, order_ids, buyer, placed, kind, total, timeline, country
        )

    def _buyers(
        self,
        rng: np.random.Generator,
        state: _StoreState,
        placed: NDArray[np.int64],
        forced_mena: NDArray[np.bool_],
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        spec = state.spec
        n = placed.size
        pool = np.concatenate(state.buyer_ids) if state.buyer_ids else np.zeros(0, dtype=np.int64)
        pool_country = (
            np.concatenate(state.buyer_countries)
            if state.buyer_countries
            else np.zeros(0, dtype=np.int64)
        )
        repeat_share = 0.42 if spec.model.value == "b2b" else 0.27
        returning = (rng.random(n) < repeat_share) & (pool.size > 0) & ~forced_mena
        new = ~returning
        k = int(new.sum())
        names = list(spec.countries)
        weights = np.array([spec.countries[c] for c in names], dtype=np.float64)
        drawn = rng.choice(len(names), size=k, p=weights / weights.sum())
        mena_names = [c for c in names if c in RAMADAN_MARKETS]
        if mena_names:
            mena_w = np.array([spec.countries[c] for c in mena_names])
            mena_pick = rng.choice(len(mena_names), size=k, p=mena_w / mena_w.sum())
            index_of = {c: i for i, c in enumerate(names)}
            mena_as_names = np.array([index_of[c] for c in mena_names])[mena_pick]
            drawn = np.where(forced_mena[new], mena_as_names, drawn)
        new_country = np.array([self.country_index[c] for c in names])[drawn]
        new_ids = self.ids(crm.Buyer, k)
        b2b = spec.model.value == "b2b"
        sources = (
            ("inquiry", "rfq", "trade_show", "customs_data", "search_engine", "social")
            if b2b
            else (
                "marketplace",
                "marketplace",
                "marketplace",
                "ads",
                "social",
                "email",
                "live_stream",
            )
        )
        source_pick = rng.integers(len(sources), size=k)
        self.write(
            crm.Buyer,
            {
                "id": new_ids,
                "store_id": np.full(k, state.store_id),
                "handle": [f"{spec.key[:3].upper()}-{int(i):08d}" for i in new_ids.tolist()],
                "kind": ["business" if b2b else "consumer"] * k,
                "country": [self.countries[c] for c in new_country.tolist()],
                "source": [sources[s] for s in source_pick.tolist()],
                "company_name": [
                    f"{self.countries[c]} Trading {int(i) % 10_000:04d} Ltd" if b2b else None
                    for c, i in zip(new_country.tolist(), new_ids.tolist(), strict=True)
                ],
                "first_seen_at": Stamp(placed[new] - rng.integers(600, 30 * DAY, k)),
            },
        )
        buyer = np.empty(n, dtype=np.int64)
        country = np.empty(n, dtype=np.int64)
        buyer[new], country[new] = new_ids, new_country
        if returning.any():
            pick = rng.integers(pool.size, size=int(returning.sum()))
            buyer[returning], country[returning] = pool[pick], pool_country[pick]
        state.buyer_ids.append(new_ids)
        state.buyer_countries.append(new_country)
        return buyer, country

    def _note_pii(
        self,
        state: _StoreState,
        timeline: dict[str, Any],
        buyer: NDArray[np.int64],
        country: NDArray[np.int64],
    ) -> None:
        """Remember buyers whose contact the retention rule keeps at the end (per order)."""
        raw, cut = timeline["raw"], self.cutoff
        never = np.iinfo(np.int64).max // 4
        ended = np.where(raw["delivered"] <= cut, raw["delivered"], never)
        ended = np.where((ended == never) & (raw["refunded"] <= cut), raw["refunded"], ended)
        ended = np.where((ended == never) & (raw["cancelled"] <= cut), raw["cancelled"], ended)
        keep = ended > cut - _retention_days(state.spec) * DAY  # open orders: ended == never
        if keep.any():
            state.pii_buyers.append(buyer[keep])
            state.pii_countries.append(country[keep])

    def _contacts(self, states: list[_StoreState]) -> None:
        """9.3.1 Encrypted contacts of the buyers the retention rule still keeps."""
        secret = get_settings().secret_key
        short = [s for s in states if _retention_days(s.spec) != PII_RETENTION_DAYS]
        self.write(
            crm.PiiPolicy,
            {
                "id": self.ids(crm.PiiPolicy, len(short)),
                "store_id": np.array([s.store_id for s in short], dtype=np.int64),
                "retention_days": np.array([_retention_days(s.spec) for s in short]),
            },
        )
        for state in states:
            if not state.pii_buyers:
                continue
            buyers, first = np.unique(np.concatenate(state.pii_buyers), return_index=True)
            countries = [self.countries[c] for c in np.concatenate(state.pii_countries)[first]]
            n = buyers.size
            info = contact_text(self.rng(8, state.index), countries, buyers)
            sealed = {
                f: seal_many(info[f], purpose=PII_PURPOSE, secret_key=secret)
                for f in ("name", "email", "phone", "address")
            }
            self.write(
                crm.BuyerContact,
                {
                    "id": self.ids(crm.BuyerContact, n),
                    "store_id": np.full(n, state.store_id),
                    "buyer_id": buyers,
                    **{f"{f}_ciphertext": v for f, v in sealed.items()},
                    "country": countries,
                    "postcode_prefix": [
                        "".join(p.split())[:POSTCODE_KEPT].upper() for p in info["postcode"]
                    ],
                    "updated_at": Stamp(np.full(n, self.cutoff - 1)),
                    "erased_at": Stamp(np.zeros(n, np.int64), np.ones(n, bool)),
                },
            )

    def _timeline(
        self,
        rng: np.random.Generator,
        state: _StoreState,
        kind: NDArray[Any],
        placed: NDArray[np.int64],
        total: NDArray[np.int64],
    ) -> dict[str, Any]:
        spec = state.spec
        n = placed.size
        hours = 3600.0
        days_s = float(DAY)
        b2b = spec.model.value == "b2b"
        never = np.full(n, np.iinfo(np.int64).max // 4)
        if b2b:
            pay_delay = np.where(
                kind == "sample", rng.exponential(20 * hours, n), rng.exponential(2.5 * days_s, n)
            )
            draft = rng.random(n) < 0.1
        else:
            pay_delay = rng.exponential(600.0, n)
            draft = np.zeros(n, bool)
        paid = np.where(draft, never, placed + pay_delay.astype(np.int64))
        cancelled = np.where(
            rng.random(n) < spec.cancel_rate,
            paid + (rng.uniform(0.05, 1.5, n) * days_s).astype(np.int64),
            never,
        )
        cancelled = np.where(
            draft & (rng.random(n) < 0.5),
            placed + (rng.uniform(7, 30, n) * days_s).astype(np.int64),
            cancelled,
        )
        if spec.platform.value == "amazon":
            handling = rng.gamma(2.0, 0.25, n)
        elif b2b:
            handling = np.where(kind == "sample", rng.uniform(2, 6, n), rng.uniform(12, 40, n))
        else:
            handling = 0.2 + rng.gamma(2.0, 0.7, n)
        shipped = np.where(cancelled < never, never, paid + (handling * days_s).astype(np.int64))
        channel = self._channels(rng, state, kind)
        tmin = np.array([CHANNELS[c][3] for c in range(len(CHANNELS))])[channel]
        tmax = np.array([CHANNELS[c][4] for c in range(len(CHANNELS))])[channel]
        kind_of = np.array([CHANNELS[c][2] for c in range(len(CHANNELS))], dtype=object)[channel]
        late_p = np.select(
            [kind_of == "postal", kind_of == "line", kind_of == "platform"], [0.1, 0.06, 0.03], 0.02
        )
        transit = tmin + (tmax - tmin) * rng.beta(2, 3, n)
        late = rng.random(n) < late_p
        transit = np.where(late, tmax * rng.uniform(1.05, 1.6, n), transit)
        lost_p = np.select([kind_of == "postal", kind_of == "line"], [0.012, 0.006], 0.002)
        undeliverable = (rng.random(n) < lost_p) & (shipped < never)
        delivered = np.where(
            (shipped < never) & ~undeliverable, shipped + (transit * days_s).astype(np.int64), never
        )
        promised = shipped + (tmax * days_s).astype(np.int64)
        failed_at = np.where(undeliverable, shipped + (tmax * 1.3 * days_s).astype(np.int64), never)
        wants_refund = (rng.random(n) < spec.refund_rate) & (shipped < never)
        requested = np.where(
            wants_refund,
            np.minimum(delivered, promised + 3 * DAY)
            + (rng.uniform(1, 25, n) * days_s).astype(np.int64),
            never,
        )
        approved = wants_refund & (rng.random(n) < 0.75)
        resolved = np.where(
            wants_refund, requested + (rng.uniform(0.5, 5, n) * days_s).astype(np.int64), never
        )
        refunded = np.where(approved, resolved, never)
        cut = self.cutoff

        def stamp(values: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
            missing = values > cut
            return np.where(missing, 0, values), missing

        status = np.full(n, "draft", dtype=object)
        status = np.where(paid <= cut, "paid", status)
        status = np.where(shipped <= cut, "shipped", status)
        status = np.where(delivered <= cut, "delivered", status)
        status = np.where(cancelled <= cut, "cancelled", status)
        status = np.where(refunded <= cut, "refunded", status)
        partial = rng.random(n) < 0.3
        return {
            "status": status,
            "paid_at": stamp(paid),
            "shipped_at": stamp(shipped),
            "delivered_at": stamp(delivered),
            "cancelled_at": stamp(cancelled),
            "refunded_at": stamp(refunded),
            "raw": {
                "paid": paid,
                "shipped": shipped,
                "delivered": delivered,
                "cancelled": cancelled,
                "refunded": refunded,
                "requested": requested,
                "resolved": resolved,
                "approved": approved,
                "wants_refund": wants_refund,
                "promised": promised,
                "failed": failed_at,
                "undeliverable": undeliverable,
                "channel": channel,
                "transit": transit,
                "refund_amount": np.where(partial, total // 2, total),
            },
        }

    def _channels(
        self, rng: np.random.Generator, state: _StoreState, kind: NDArray[Any]
    ) -> NDArray[np.int64]:
        options = np.array(STORE_CHANNELS[state.spec.key])
        n = kind.size
        if state.spec.model.value == "b2b":
            express = options[rng.integers(0, 2, n)]
            return np.where((kind == "sample") | (rng.random(n) < 0.55), express, options[2])
        if options.size == 1:
            return np.full(n, options[0])
        p = np.full(options.size, 0.3 / (options.size - 1))
        p[0] = 0.7
        return options[rng.choice(options.size, n, p=p)]

    def _fulfil(
        self,
        rng: np.random.Generator,
        state: _StoreState,
        catalog: dict[str, Any],
        order_ids: NDArray[np.int64],
        country: NDArray[np.int64],
        kind: NDArray[Any],
        total: NDArray[np.int64],
        subtotal: NDArray[np.int64],
        timeline: dict[str, Any],
        weight_g: NDArray[np.int64],
        first_product: NDArray[np.int64],
        units: NDArray[np.int64],
    ) -> None:
        spec = state.spec
        raw = timeline["raw"]
        cut = self.cutoff
        digits = minor_unit_digits(spec.currency)
        # 9.3.1 payments: one per paid order; Trade Assurance pays 30 % deposit then the balance
        paid_mask = raw["paid"] <= cut
        ta = (kind == "trade_assurance") & paid_mask
        balance_mask = ta & (raw["shipped"] <= cut)
        pay_order = np.concatenate([np.flatnonzero(paid_mask), np.flatnonzero(balance_mask)])
        deposit = np.where(ta, np.round(total * 0.3).astype(np.int64), total)
        pay_amount = np.concatenate([deposit[paid_mask], (total - deposit)[balance_mask]])
        pay_at = np.concatenate([raw["paid"][paid_mask], raw["shipped"][balance_mask]])
        methods = ("card", "paypal", "local_wallet", "bank_transfer", "cod")
        method = rng.choice(
            len(methods),
            pay_order.size,
            p=[0.55, 0.15, 0.15, 0.1, 0.05]
            if spec.model.value == "b2c"
            else [0.3, 0.1, 0.0, 0.6, 0.0],
        )
        ids = self.ids(fm.Payment, pay_order.size)
        self.write(
            fm.Payment,
            {
                "id": ids,
                "store_id": np.full(pay_order.size, state.store_id),
                "order_id": order_ids[pay_order],
                "method": [methods[int(x)] for x in method],
                "amount": pay_amount,
                "currency": [spec.currency] * pay_order.size,
                "received_at": Stamp(pay_at),
            },
        )
        self._accumulate(state.payout_gross, pay_at, pay_amount, spec.payout_days)
        # 9.3.2 fees: commission on paid, not-cancelled orders; fulfilment fee per FBA unit
        charged = paid_mask & (raw["cancelled"] > cut)
        fee_at = np.where(raw["shipped"] <= cut, raw["shipped"], raw["paid"])
        commission = np.round(total * spec.commission).astype(np.int64)
        fee_orders = np.flatnonzero(charged & (commission > 0))
        fba = np.flatnonzero((raw["shipped"] <= cut) & (spec.fulfilment_fee > 0))
        fee_order = np.concatenate([fee_orders, fba])
        fee_kind = ["commission"] * fee_orders.size + ["fulfilment"] * fba.size
        fba_fee = (
            np.full(fba.size, round(spec.fulfilment_fee * 10**digits), dtype=np.int64) * units[fba]
        )
        fee_amount = np.concatenate([commission[fee_orders], fba_fee])
        fee_time = fee_at[fee_order]
        ids = self.ids(fm.PlatformFee, fee_order.size)
        self.write(
            fm.PlatformFee,
            {
                "id": ids,
                "store_id": np.full(fee_order.size, state.store_id),
                "order_id": order_ids[fee_order],
                "payout_id": Nullable(
                    np.zeros(fee_order.size, dtype=np.int64), np.ones(fee_order.size, bool)
                ),
                "kind": fee_kind,
                "amount": fee_amount,
                "currency": [spec.currency] * fee_order.size,
                "charged_at": Stamp(fee_time),
            },
        )
        self._accumulate(state.payout_fees, fee_time, fee_amount, spec.payout_days)
        # an order cancelled after payment gives the money back through the same payout
        cancelled_paid = paid_mask & (raw["cancelled"] <= cut)
        self._accumulate(
            state.payout_refunds,
            raw["cancelled"][cancelled_paid],
            deposit[cancelled_paid],
            spec.payout_days,
        )
        refunded = raw["refunded"] <= cut
        self._accumulate(
            state.payout_refunds,
            raw["refunded"][refunded],
            raw["refund_amount"][refunded],
            spec.payout_days,
        )
        # 9.1 shipments and their tracking timeline
        shipped = np.flatnonzero(raw["shipped"] <= cut)
        k = shipped.size
        if k == 0:
            return
        channel = raw["channel"][shipped]
        ship_ids = self.ids(lm.Shipment, k)
        usd_rate = self.fx.on(
            spec.currency,
            "USD",
            (raw["shipped"][shipped] // DAY - self.epoch0 + 7).astype(np.int64),
        )
        declared_factor = np.where(
            rng.random(k) < 0.08,
            rng.uniform(0.3, 0.6, k),
            np.where(rng.random(k) < 0.02, rng.uniform(1.3, 2.0, k), 1.0),
        )
        declared = np.round(
            subtotal[shipped] / 10**digits * usd_rate * declared_factor * 100
        ).astype(np.int64)
        per_kg = np.array(CHANNEL_PER_KG_CNY, dtype=np.float64)[channel]  # CNY per kg
        fee = np.round((weight_g[shipped] / 1000.0 * per_kg + 8) * 100).astype(np.int64)
        undeliverable = raw["undeliverable"][shipped] & (raw["failed"][shipped] <= cut)
        delivered = raw["delivered"][shipped] <= cut
        status = np.where(
            delivered, "delivered", np.where(undeliverable, "undeliverable", "in_transit")
        )
        action = np.where(rng.random(k) < 0.6, "return", "dispose")
        prefixes = [CHANNELS[c][5] for c in channel.tolist()]
        self.write(
            lm.Shipment,
            {
                "id": ship_ids,
                "store_id": np.full(k, state.store_id),
                "order_id": order_ids[shipped],
                "channel_id": self._channel_ids[channel],
                "tracking_number": [
                    f"{p}{int(i):010d}CN" for p, i in zip(prefixes, ship_ids.tolist(), strict=True)
                ],
                "destination_country": [self.countries[c] for c in country[shipped].tolist()],
                "weight_g": weight_g[shipped],
                "declared_value_amount": declared,
                "declared_currency": ["USD"] * k,
                "hs_code": [catalog["hs"][p] for p in first_product[shipped].tolist()],
                "fee_amount": fee,
                "fee_currency": ["CNY"] * k,
                "shipped_at": Stamp(raw["shipped"][shipped]),
                "promised_by": Stamp(raw["promised"][shipped]),
                "delivered_at": Stamp(
                    np.where(delivered, raw["delivered"][shipped], 0), ~delivered
                ),
                "status": status.tolist(),
                "undeliverable_action": [
                    a if u else None
                    for a, u in zip(action.tolist(), undeliverable.tolist(), strict=True)
                ],
                "undeliverable_fee_amount": Nullable(
                    np.where(action == "return", fee, fee // 3), ~undeliverable
                ),
            },
        )
        # tracking: accepted, departed, arrived in the destination country, out for delivery, delivered/failed
        start = raw["shipped"][shipped]
        span = np.where(
            delivered,
            raw["delivered"][shipped],
            np.where(
                undeliverable,
                raw["failed"][shipped],
                start + (raw["transit"][shipped] * DAY).astype(np.int64),
            ),
        )
        offsets = np.array([0.0, 0.12, 0.6, 0.93, 1.0])
        codes = np.array(
            ["accepted", "departed_origin", "arrived_destination", "out_for_delivery", "delivered"],
            dtype=object,
        )
        when = start[:, None] + ((span - start)[:, None] * offsets[None, :]).astype(np.int64)
        code = np.tile(codes, (k, 1))
        code[undeliverable, 4] = "undeliverable"
        code[undeliverable, 3] = "delivery_attempted"
        keep = when <= cut
        keep &= ~self._fba_channel[channel][:, None]  # FBA sellers see no carrier scans
        keep[:, 1] &= ~(self._platform_channel[channel])  # platform logistics shows fewer scans
        keep[:, 3] &= undeliverable | self._express_channel[channel]  # only couriers scan it
        rows_shipment = np.repeat(np.arange(k), 5).reshape(k, 5)[keep]
        event_ids = self.ids(lm.TrackingEvent, int(keep.sum()))
        place = np.array(["Shenzhen CN", "Hong Kong HK", "Yiwu CN", "Ningbo CN"], dtype=object)[
            rng.integers(4, size=k)
        ]
        location = np.stack(
            [
                place,
                place,
                np.array([self.countries[c] for c in country[shipped].tolist()], dtype=object),
                np.array([self.countries[c] for c in country[shipped].tolist()], dtype=object),
                np.array([self.countries[c] for c in country[shipped].tolist()], dtype=object),
            ],
            axis=1,
        )
        self.write(
            lm.TrackingEvent,
            {
                "id": event_ids,
                "store_id": np.full(event_ids.size, state.store_id),
                "shipment_id": ship_ids[rows_shipment],
                "at": Stamp(when[keep]),
                "code": code[keep].tolist(),
                "location": location[keep].tolist(),
            },
        )

    def _accumulate(
        self, bucket: dict[int, int], at: NDArray[np.int64], amount: NDArray[np.int64], days: int
    ) -> None:
        if at.size == 0:
            return
        period = (at // DAY - self.epoch0) // days
        totals = np.bincount(period - period.min(), weights=amount.astype(np.float64))
        for offset, value in enumerate(totals.tolist()):
            if value:
                key = int(period.min()) + offset
                bucket[key] = bucket.get(key, 0) + round(value)

    def _after_sales(
        self,
        rng: np.random.Generator,
        state: _StoreState,
        order_ids: NDArray[np.int64],
        buyer: NDArray[np.int64],
        first_listing: NDArray[np.int64],
        total: NDArray[np.int64],
        timeline: dict[str, Any],
    ) -> None:
        spec = state.spec
        raw = timeline["raw"]
        cut = self.cutoff
        days_s = float(DAY)
        reasons = np.array(
            [
                "not_as_described",
                "damaged",
                "not_received",
                "wrong_item",
                "changed_mind",
                "quality",
            ],
            dtype=object,
        )
        # 8.3.3 / 6.1.7 refund requests (approved or rejected)
        req = np.flatnonzero(raw["wants_refund"] & (raw["requested"] <= cut))
        if req.size:
            resolved = raw["resolved"][req]
            done = resolved <= cut
            ids = self.ids(om.RefundRequest, req.size)
            status = np.where(
                ~done, "requested", np.where(raw["approved"][req], "approved", "rejected")
            )
            self.write(
                om.RefundRequest,
                {
                    "id": ids,
                    "store_id": np.full(req.size, state.store_id),
                    "order_id": order_ids[req],
                    "reason": reasons[rng.integers(len(reasons), size=req.size)].tolist(),
                    "amount": raw["refund_amount"][req],
                    "currency": [spec.currency] * req.size,
                    "requested_at": Stamp(raw["requested"][req]),
                    "resolved_at": Stamp(np.where(done, resolved, 0), ~done),
                    "status": status.tolist(),
                },
            )
            # 6.1.7 disputes: some requests escalate to the platform, some to arbitration
            dispute = req[rng.random(req.size) < spec.dispute_rate]
            k = dispute.size
            if k:
                opened = raw["requested"][dispute] + (rng.uniform(1, 3, k) * days_s).astype(
                    np.int64
                )
                escalated = rng.random(k) < 0.45
                arbitrated = escalated & (rng.random(k) < 0.35)
                esc_at = opened + (rng.uniform(2, 5, k) * days_s).astype(np.int64)
                arb_at = esc_at + (rng.uniform(3, 10, k) * days_s).astype(np.int64)
                last = np.where(arbitrated, arb_at, np.where(escalated, esc_at, opened))
                closed_at = last + (rng.uniform(1, 5, k) * days_s).astype(np.int64)
                closes = rng.random(k) < 0.92
                responsible_p = np.where(arbitrated, 0.55, np.where(escalated, 0.35, 0.0))
                responsible = rng.random(k) < responsible_p
                esc_seen = escalated & (esc_at <= cut)
                arb_seen = arbitrated & (arb_at <= cut)
                closed_seen = closes & (closed_at <= cut)
                keep = opened <= cut
                status = np.where(
                    closed_seen,
                    "closed",
                    np.where(arb_seen, "arbitrated", np.where(esc_seen, "escalated", "open")),
                )
                decided = (esc_seen | arb_seen) & closed_seen
                ids = self.ids(om.Dispute, int(keep.sum()))
                self.write(
                    om.Dispute,
                    {
                        "id": ids,
                        "store_id": np.full(ids.size, state.store_id),
                        "order_id": order_ids[dispute][keep],
                        "reason": reasons[rng.integers(len(reasons), size=k)][keep].tolist(),
                        "opened_at": Stamp(opened[keep]),
                        "escalated_at": Stamp(esc_at[keep], ~esc_seen[keep]),
                        "arbitrated_at": Stamp(arb_at[keep], ~arb_seen[keep]),
                        "closed_at": Stamp(closed_at[keep], ~closed_seen[keep]),
                        "seller_responsible": [
                            bool(r) if d else None
                            for r, d in zip(
                                responsible[keep].tolist(), decided[keep].tolist(), strict=True
                            )
                        ],
                        "status": status[keep].tolist(),
                    },
                )
        # 8.3.5 / 6.2.5 reviews: rating follows the listing's quality; refunds sour it
        delivered = raw["delivered"] <= cut
        refunded = raw["refunded"] <= cut
        wants = delivered & (
            rng.random(total.size) < spec.review_rate * np.where(refunded, 1.8, 1.0)
        )
        created = raw["delivered"] + (rng.uniform(1, 20, total.size) * days_s).astype(np.int64)
        chosen = np.flatnonzero(wants & (created <= cut))
        if chosen.size:
            quality = state.listings.quality[first_listing[chosen]]
            latent = (
                quality * 2.5 + rng.normal(0, 1, chosen.size) - np.where(refunded[chosen], 1.8, 0.0)
            )
            rating = np.select(
                [latent > 1.2, latent > 0.6, latent > 0.2, latent > -0.3], [5, 4, 3, 2], 1
            )
            images = np.where(rng.random(chosen.size) < 0.15, rng.integers(1, 5, chosen.size), 0)
            ids = self.ids(crm.Review, chosen.size)
            self.write(
                crm.Review,
                {
                    "id": ids,
                    "store_id": np.full(chosen.size, state.store_id),
                    "order_id": order_ids[chosen],
                    "listing_id": state.listings.ids[first_listing[chosen]],
                    "buyer_id": buyer[chosen],
                    "rating": rating,
                    "image_count": images,
                    "text": [
                        text.REVIEW_TEXT[int(r)][int(j) % len(text.REVIEW_TEXT[int(r)])]
                        for r, j in zip(
                            rating.tolist(), rng.integers(0, 10, chosen.size).tolist(), strict=True
                        )
                    ],
                    "created_at": Stamp(created[chosen]),
                },
            )
        # 8.3.4 complaints
        paid = raw["paid"] <= cut
        complain = np.flatnonzero(paid & (rng.random(total.size) < spec.complaint_rate))
        if complain.size:
            opened = np.minimum(raw["shipped"][complain], raw["paid"][complain] + 5 * DAY) + (
                rng.uniform(2, 30, complain.size) * days_s
            ).astype(np.int64)
            keep = opened <= cut
            complain, opened = complain[keep], opened[keep]
            resolved = opened + (rng.uniform(1, 10, complain.size) * days_s).astype(np.int64)
            done = (rng.random(complain.size) < 0.85) & (resolved <= cut)
            ids = self.ids(crm.Complaint, complain.size)
            complaint_reasons = np.array(
                [
                    "late_delivery",
                    "poor_service",
                    "quality",
                    "wrong_item",
                    "rude_reply",
                    "ip_infringement",
                ],
                dtype=object,
            )
            self.write(
                crm.Complaint,
                {
                    "id": ids,
                    "store_id": np.full(complain.size, state.store_id),
                    "order_id": order_ids[complain],
                    "buyer_id": buyer[complain],
                    "reason": complaint_reasons[rng.integers(6, size=complain.size)].tolist(),
                    "opened_at": Stamp(opened),
                    "resolved_at": Stamp(np.where(done, resolved, 0), ~done),
                    "status": np.where(done, "resolved", "open").tolist(),
                    "seller_at_fault": rng.random(complain.size) < 0.4,
                },
            )

    def _reply_times(
        self, rng: np.random.Generator, state: _StoreState, received: NDArray[np.int64]
    ) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """First-reply times shaped by the store's service hours (7.1.1 / 7.3.2)."""
        b2b = state.spec.model.value == "b2b"
        open_s, close_s = (8.5 * 3600, 20 * 3600) if b2b else (9 * 3600, 18 * 3600)
        n = received.size
        day_index = np.clip(received // DAY - self.epoch0, 0, self.days - 1)
        local = (received + state.offset[day_index]) % DAY
        in_hours = (local >= open_s) & (local < close_s)
        wait = np.where(local < open_s, open_s - local, DAY - local + open_s)
        delay = np.where(
            in_hours,
            rng.lognormal(np.log(18 * 60), 1.0, n),
            wait + rng.lognormal(np.log(35 * 60), 0.8, n),
        )
        slow = rng.random(n) < 0.05
        delay = delay + np.where(slow, rng.exponential(30 * 3600, n), 0)
        reply = received + delay.astype(np.int64)
        missing = (rng.random(n) < 0.02) | (reply > self.cutoff)
        return np.where(missing, 0, reply), missing

    def _conversations(
        self,
        rng: np.random.Generator,
        state: _StoreState,
        lo: int,
        hi: int,
        order_ids: NDArray[np.int64],
        buyer: NDArray[np.int64],
        placed: NDArray[np.int64],
        kind: NDArray[Any],
        total: NDArray[np.int64],
        timeline: dict[str, Any],
        country: NDArray[np.int64],
    ) -> None:
        spec = state.spec
        b2b = spec.model.value == "b2b"
        n = order_ids.size
        L = state.listings
        extra = rng.poisson(max(spec.inquiry_per_order - (1 if b2b else 0), 0) * n)
        # inquiries that led to this chunk's B2B orders, then buyers who asked and did not buy
        converted = np.arange(n) if b2b else np.zeros(0, dtype=np.int64)
        conv_received = placed[converted] - (rng.uniform(2, 25, converted.size) * DAY).astype(
            np.int64
        )
        other_received = (
            self.epoch0 + np.maximum(rng.integers(lo, hi, extra), state.opened_index)  # not before
        ) * DAY + rng.integers(0, DAY, extra)  # the store opened
        other_buyer = buyer[rng.integers(n, size=extra)] if n else np.zeros(extra, dtype=np.int64)
        received = np.concatenate([conv_received, other_received])
        total_inq = received.size
        if total_inq == 0:
            return
        # only listings already listed on the day of the chunk's earliest inquiry
        eligible = L.listed_day <= int(received.min()) // DAY - self.epoch0
        if state.dead is not None and hi > self.dead_from:
            eligible &= ~state.dead
        if not eligible.any():
            eligible[np.argmin(L.listed_day)] = True
        cumulative = np.cumsum(L.weight * eligible)
        listing = np.minimum(
            np.searchsorted(cumulative, rng.random(total_inq) * cumulative[-1], side="right"),
            L.ids.size - 1,
        )
        reply, missing = self._reply_times(rng, state, received)
        # a converted inquiry was answered before the order: within a tenth of the time between
        c = converted.size
        unanswered = missing[:c] | (reply[:c] >= placed[converted])
        reply[:c] = np.where(
            unanswered, received[:c] + (placed[converted] - received[:c]) // 10, reply[:c]
        )
        missing[:c] = False
        staff = np.array(state.staff_cs or [0])
        status = np.where(missing, "open", "replied").astype(object)
        status[: converted.size] = "converted"
        subjects = text.INQUIRY_SUBJECTS if b2b else text.B2C_QUESTIONS
        ids = self.ids(crm.Inquiry, total_inq)
        quantity = (
            np.where(np.arange(total_inq) < converted.size, 0, rng.integers(50, 5000, total_inq))
            if b2b
            else np.zeros(total_inq, dtype=np.int64)
        )
        self.write(
            crm.Inquiry,
            {
                "id": ids,
                "store_id": np.full(total_inq, state.store_id),
                "buyer_id": np.concatenate([buyer[converted], other_buyer]),
                "listing_id": L.ids[listing],
                "channel": ["inquiry" if b2b else "chat"] * total_inq,
                "language": np.array(
                    ["en", "en", "en", "es", "fr", "de", "ar", "pt"], dtype=object
                )[rng.integers(8, size=total_inq)].tolist(),
                "subject": [
                    subjects[int(j)].format(q=int(q) or 100, c="your country")
                    for j, q in zip(
                        rng.integers(len(subjects), size=total_inq).tolist(),
                        quantity.tolist(),
                        strict=True,
                    )
                ],
                "quantity": Nullable(quantity, quantity == 0),
                "received_at": Stamp(received),
                "first_reply_at": Stamp(reply, missing),
                "replied_by_user_id": Nullable(
                    staff[rng.integers(staff.size, size=total_inq)], missing | (staff[0] == 0)
                ),
                "status": status.tolist(),
            },
        )
        if not b2b:
            return
        # 8.1.5 quotes: every converted inquiry, and part of the others
        quoted_other = (
            np.flatnonzero(~missing[converted.size :] & (rng.random(extra) < 0.45)) + converted.size
        )
        q_index = np.concatenate([np.arange(converted.size), quoted_other])
        q_created = np.where(missing[q_index], received[q_index], reply[q_index]) + (
            rng.uniform(0.1, 3, q_index.size) * DAY
        ).astype(np.int64)
        q_created = np.minimum(
            q_created,
            np.concatenate([placed[converted] - 3600, np.full(quoted_other.size, self.cutoff - 1)]),
        )
        q_amount = np.concatenate(
            [
                total[converted],
                (rng.lognormal(np.log(3000), 1.0, quoted_other.size) * 100).astype(np.int64),
            ]
        )
        q_status = np.concatenate(
            [
                np.full(converted.size, "accepted", dtype=object),
                np.array(["sent", "approved", "rejected", "expired"], dtype=object)[
                    rng.choice(4, quoted_other.size, p=[0.3, 0.25, 0.25, 0.2])
                ],
            ]
        )
        ops = np.array(state.staff_ops or [0])
        quote_ids = self.ids(om.Quote, q_index.size)
        incoterms = np.array(["FOB", "CIF", "EXW", "DDP", "CFR"], dtype=object)[
            rng.choice(5, q_index.size, p=[0.45, 0.25, 0.1, 0.1, 0.1])
        ]
        self.write(
            om.Quote,
            {
                "id": quote_ids,
                "store_id": np.full(q_index.size, state.store_id),
                "buyer_id": np.concatenate([buyer[converted], other_buyer])[q_index],
                "inquiry_id": ids[q_index],
                "rfq_id": Nullable(
                    np.zeros(q_index.size, dtype=np.int64), np.ones(q_index.size, bool)
                ),
                "created_by_user_id": Nullable(
                    ops[rng.integers(ops.size, size=q_index.size)],
                    np.full(q_index.size, ops[0] == 0),
                ),
                "incoterm": incoterms.tolist(),
                "currency": [spec.currency] * q_index.size,
                "amount": q_amount,
                "created_at": Stamp(q_created),
                "valid_until": Stamp(q_created + 30 * DAY),
                "status": q_status.tolist(),
            },
        )
        # 8.1.6 contracts for Trade Assurance and wholesale orders
        contract = np.flatnonzero(kind != "sample")
        if contract.size:
            c_ids = self.ids(om.Contract, contract.size)
            self.write(
                om.Contract,
                {
                    "id": c_ids,
                    "store_id": np.full(contract.size, state.store_id),
                    "order_id": order_ids[contract],
                    "quote_id": quote_ids[contract],
                    "number": [f"SC{self.seed % 100:02d}-{int(i):07d}" for i in c_ids.tolist()],
                    "incoterm": incoterms[contract].tolist(),
                    "currency": [spec.currency] * contract.size,
                    "amount": total[contract],
                    "signed_at": Stamp(placed[contract]),
                    "deposit_pct": np.full(contract.size, 30),
                },
            )
        # 7.1.2 RFQs posted on the platform
        k = rng.poisson(state.orders_per_day * 1.5 * (hi - lo))
        if k:
            posted = (self.epoch0 + rng.integers(lo, hi, k)) * DAY + rng.integers(0, DAY, k)
            quoted = rng.random(k) < 0.6
            q_at = posted + (rng.lognormal(np.log(6 * 3600), 1.0, k)).astype(np.int64)
            quoted &= q_at <= self.cutoff
            outcome = np.where(
                ~quoted,
                np.where(rng.random(k) < 0.5, "skipped", "open"),
                np.array(["quoted", "won", "lost"], dtype=object)[
                    rng.choice(3, k, p=[0.55, 0.07, 0.38])
                ],
            )
            nouns = [n for c in CATEGORIES for n in c.nouns]
            rfq_ids = self.ids(crm.Rfq, k)
            self.write(
                crm.Rfq,
                {
                    "id": rfq_ids,
                    "store_id": np.full(k, state.store_id),
                    "buyer_id": Nullable(np.zeros(k, dtype=np.int64), np.ones(k, bool)),
                    "product_keyword": [
                        nouns[int(j)].lower() for j in rng.integers(len(nouns), size=k)
                    ],
                    "quantity": rng.integers(100, 20_000, k),
                    "target_price_amount": Nullable(
                        (rng.lognormal(np.log(5), 0.8, k) * 100).astype(np.int64),
                        rng.random(k) < 0.4,
                    ),
                    "currency": ["USD"] * k,
                    "country": [
                        self.countries[c] for c in country[rng.integers(n, size=k)].tolist()
                    ]
                    if n
                    else ["US"] * k,
                    "posted_at": Stamp(posted),
                    "quoted_at": Stamp(q_at, ~quoted),
                    "quoted_by_user_id": Nullable(
                        ops[rng.integers(ops.size, size=k)], ~quoted | (ops[0] == 0)
                    ),
                    "status": outcome.tolist(),
                },
            )

    # --- traffic: what visitors did, consistent with the orders ----------------------------------

    def _traffic(self, states: list[_StoreState], catalog: dict[str, Any]) -> None:
        for s, state in enumerate(states):
            rng = self.rng(6, s)
            spec = state.spec
            L = state.listings
            assert state.line_counts is not None
            lines = state.line_counts
            day = np.arange(self.days)
            live = (
                (L.listed_day[:, None] <= day[None, :])
                & L.active[:, None]
                & (day[None, :] >= state.opened_index)
            )
            if state.dead is not None:
                live &= ~(state.dead[:, None] & (day[None, :] >= self.dead_from))
            conversion = spec.conversion * (0.5 + L.quality)  # better listings convert better
            expected_lines = (
                state.orders_per_day
                * spec.lines_per_order
                * state.demand[None, :]
                * L.weight[:, None]
            )
            visitors = rng.poisson(expected_lines / conversion[:, None] * live)
            visitors = np.maximum(visitors, lines).astype(
                np.int64
            )  # never fewer visitors than buyers
            listing_i, day_i = np.nonzero(visitors)
            v = visitors[listing_i, day_i]
            shares = TRAFFIC_SOURCE_SHARE.get(spec.platform.value, TRAFFIC_SOURCE_SHARE["default"])
            split = rng.multinomial(v, [shares[x] for x in SOURCES])
            r, c = np.nonzero(split)
            sv = split[r, c]
            k = sv.size
            impressions = (sv * rng.uniform(12, 45, k)).astype(np.int64) + sv
            ids = self.ids(mm.ListingTrafficDaily, k)
            self.write(
                mm.ListingTrafficDaily,
                {
                    "id": ids,
                    "store_id": np.full(k, state.store_id),
                    "listing_id": L.ids[listing_i[r]],
                    "day": Day(self.epoch0 + day_i[r]),
                    "source": np.array(SOURCES, dtype=object)[c].tolist(),
                    "impressions": impressions,
                    "clicks": (sv * rng.uniform(1.0, 1.3, k)).astype(np.int64),
                    "visitors": sv,
                    "page_views": (sv * rng.uniform(1.2, 2.2, k)).astype(np.int64),
                    "add_to_cart": rng.binomial(sv, 0.12),
                    "favourites": rng.binomial(sv, 0.04),
                },
            )
            self._search_terms(rng, state, catalog, visitors)
            self._visitor_countries(rng, state, visitors.sum(axis=0))
            self._videos(rng, state, catalog, visitors)
            self.progress(f"traffic {spec.name}", 0)

    def _search_terms(
        self,
        rng: np.random.Generator,
        state: _StoreState,
        catalog: dict[str, Any],
        visitors: NDArray[np.int64],
    ) -> None:
        L = state.listings
        top = np.argsort(-L.weight)[: max(3, L.ids.size // 10)]
        rows_l, rows_d = np.nonzero(visitors[top] > 0)
        if rows_l.size == 0:
            return
        per = 3
        listing = np.repeat(top[rows_l], per)
        day = np.repeat(rows_d, per)
        slot = np.tile(np.arange(per), rows_l.size)
        share = np.array([0.5, 0.3, 0.2])[slot]
        organic = visitors[listing, day] * share
        clicks = rng.poisson(organic * 0.6)
        impressions = clicks * rng.integers(15, 60, clicks.size) + rng.integers(1, 40, clicks.size)
        category = catalog["category"][L.product[listing]]
        keyword = [
            f"{CATEGORIES[c].adjectives[j % len(CATEGORIES[c].adjectives)].lower()} {CATEGORIES[c].nouns[j % len(CATEGORIES[c].nouns)].lower()}"
            for c, j in zip(category.tolist(), slot.tolist(), strict=True)
        ]
        ids = self.ids(mm.SearchTermDaily, listing.size)
        self.write(
            mm.SearchTermDaily,
            {
                "id": ids,
                "store_id": np.full(listing.size, state.store_id),
                "listing_id": L.ids[listing],
                "day": Day(self.epoch0 + day),
                "keyword": keyword,
                "impressions": impressions,
                "clicks": clicks,
            },
        )

    def _visitor_countries(
        self, rng: np.random.Generator, state: _StoreState, per_day: NDArray[np.int64]
    ) -> None:
        names = list(state.spec.countries)
        weights = np.array([state.spec.countries[c] for c in names], dtype=np.float64)
        by_country = rng.multinomial(per_day, weights / weights.sum())  # [day, country]
        day_i, country_i = np.nonzero(by_country)
        visitors = by_country[day_i, country_i]
        ids = self.ids(mm.VisitorCountryDaily, visitors.size)
        self.write(
            mm.VisitorCountryDaily,
            {
                "id": ids,
                "store_id": np.full(visitors.size, state.store_id),
                "day": Day(self.epoch0 + day_i),
                "country": [names[x] for x in country_i.tolist()],
                "visits": (visitors * rng.uniform(1.05, 1.5, visitors.size)).astype(np.int64),
                "visitors": visitors,
                "new_visitors": rng.binomial(visitors, 0.72),
            },
        )

    def _videos(
        self,
        rng: np.random.Generator,
        state: _StoreState,
        catalog: dict[str, Any],
        visitors: NDArray[np.int64],
    ) -> None:
        L = state.listings
        with_video = np.flatnonzero(L.video & (catalog["video_asset"][L.product] >= 0))
        if with_video.size == 0:
            return
        sub = visitors[with_video]
        r, d = np.nonzero(sub)
        plays = rng.binomial(sub[r, d], 0.35)
        keep = plays > 0
        r, d, plays = r[keep], d[keep], plays[keep]
        # two listings of one product share a video: keep one row per asset and day
        asset = catalog["video_asset"][L.product[with_video[r]]]
        key = asset * self.days + d
        _, first = np.unique(key, return_index=True)
        r, d, plays, asset = r[first], d[first], plays[first], asset[first]
        k = plays.size
        effective = rng.binomial(plays, 0.7)
        ids = self.ids(mm.VideoDaily, k)
        self.write(
            mm.VideoDaily,
            {
                "id": ids,
                "store_id": np.full(k, state.store_id),
                "asset_id": asset,
                "day": Day(self.epoch0 + d),
                "impressions": plays * rng.integers(3, 12, k),
                "plays": plays,
                "effective_plays": effective,
                "viewers": np.maximum(1, (plays * rng.uniform(0.7, 0.95, k)).astype(np.int64)),
                "complete_plays": rng.binomial(effective, 0.45),
                "clicks": rng.binomial(plays, 0.08),
                "watch_seconds": (plays * rng.uniform(8, 40, k)).astype(np.int64),
            },
        )

    # --- payouts and FX settlement -----------------------------------------------------------------

    def _payouts(self, states: list[_StoreState], company_id: int) -> None:
        for s, state in enumerate(states):
            rng = self.rng(7, s)
            spec = state.spec
            for day, amount in state.ad_fees:
                fee_id = self.ids(fm.PlatformFee, 1)
                at = (self.epoch0 + day) * DAY + 23 * 3600
                self.write(
                    fm.PlatformFee,
                    {
                        "id": fee_id,
                        "store_id": [state.store_id],
                        "order_id": Nullable(np.zeros(1, dtype=np.int64), np.ones(1, bool)),
                        "payout_id": Nullable(np.zeros(1, dtype=np.int64), np.ones(1, bool)),
                        "kind": ["advertising"],
                        "amount": [amount],
                        "currency": [spec.currency],
                        "charged_at": Stamp(np.array([at])),
                    },
                )
            periods = sorted(
                set(state.payout_gross) | set(state.payout_fees) | set(state.payout_refunds)
            )
            rows = []
            for period in periods:
                start_day = period * spec.payout_days
                end_day = start_day + spec.payout_days - 1
                paid_at = (self.epoch0 + end_day + 2) * DAY + 10 * 3600
                if paid_at > self.cutoff or start_day < 0:
                    continue
                gross = state.payout_gross.get(period, 0)
                fees = state.payout_fees.get(period, 0)
                refunds = state.payout_refunds.get(period, 0)
                rows.append(
                    (start_day, end_day, gross, fees, refunds, gross - fees - refunds, paid_at)
                )
            if not rows:
                continue
            ids = self.ids(fm.Payout, len(rows))
            arr = np.array(rows, dtype=np.int64)
            self.write(
                fm.Payout,
                {
                    "id": ids,
                    "store_id": np.full(len(rows), state.store_id),
                    "period_start": Day(self.epoch0 + arr[:, 0]),
                    "period_end": Day(self.epoch0 + arr[:, 1]),
                    "gross_amount": arr[:, 2],
                    "fees_amount": arr[:, 3],
                    "refunds_amount": arr[:, 4],
                    "net_amount": arr[:, 5],
                    "currency": [spec.currency] * len(rows),
                    "paid_at": Stamp(arr[:, 6]),
                },
            )
            # 9.3.3 sell the foreign-currency payout for CNY a few days later, at the bank's rate
            settle = arr[:, 6] + (rng.uniform(1, 6, len(rows)) * DAY).astype(np.int64)
            keep = (settle <= self.cutoff) & (arr[:, 5] > 0)
            if not keep.any():
                continue
            day_index = settle[keep] // DAY - (self.epoch0 - 7)
            ecb = self.fx.on(spec.currency, "CNY", day_index)
            spread = rng.uniform(0.002, 0.006, int(keep.sum()))
            rate = np.round(ecb * (1 - spread), 6)
            sold = arr[keep, 5]
            digits = minor_unit_digits(spec.currency)
            bought = np.round(sold / 10**digits * rate * 100).astype(np.int64)
            fx_ids = self.ids(fm.FxSettlement, int(keep.sum()))
            banks = np.array(
                ["Bank of China", "ICBC", "PingPong", "Payoneer", "LianLian"], dtype=object
            )
            self.write(
                fm.FxSettlement,
                {
                    "id": fx_ids,
                    "company_id": np.full(fx_ids.size, company_id),
                    "store_id": np.full(fx_ids.size, state.store_id),
                    "payout_id": ids[keep],
                    "settled_at": Stamp(settle[keep]),
                    "sold_amount": sold,
                    "sold_currency": [spec.currency] * fx_ids.size,
                    "bought_amount": bought,
                    "bought_currency": ["CNY"] * fx_ids.size,
                    "rate": [f"{r:.6f}" for r in rate.tolist()],
                    "channel": banks[rng.integers(banks.size, size=fx_ids.size)].tolist(),
                },
            )
        self._fx_rates()

    def _fx_rates(self) -> None:
        currencies = sorted({s.currency for s in STORES} - {"CNY"})
        rows_day, rows_base, rows_quote, rows_rate = [], [], [], []
        existing = {
            (r.day, r.base, r.quote)
            for r in self.conn.execute(
                select(fm.FxRate.day, fm.FxRate.base, fm.FxRate.quote).where(
                    fm.FxRate.day >= self.start,
                    fm.FxRate.day <= self.start + dt.timedelta(days=self.days - 1),
                )
            )
        }
        for currency in currencies:
            series = self.fx.series(currency, "CNY")[7 : 7 + self.days]
            for i, value in enumerate(series.tolist()):
                day = self.start + dt.timedelta(days=i)
                if (day, currency, "CNY") in existing:
                    continue
                rows_day.append(self.epoch0 + i)
                rows_base.append(currency)
                rows_quote.append("CNY")
                rows_rate.append(str(Decimal(repr(value)).quantize(Decimal("0.0000000001"))))
        if rows_day:
            ids = self.ids(fm.FxRate, len(rows_day))
            self.write(
                fm.FxRate,
                {
                    "id": ids,
                    "day": Day(np.array(rows_day)),
                    "base": rows_base,
                    "quote": rows_quote,
                    "rate": rows_rate,
                },
            )


_STAMPS = ("paid_at", "shipped_at", "delivered_at", "cancelled_at", "refunded_at")
_BULK_MODELS = (
    cm.Category,
    cm.Supplier,
    cm.Product,
    cm.Sku,
    cm.Certificate,
    cm.Keyword,
    cm.MediaAsset,
    cm.Competitor,
    cm.CompetitorProduct,
    cm.CompetitorSnapshot,
    cm.ProductGroup,
    cm.Listing,
    cm.ListingEdit,
    cm.ShowcaseSlot,
    cm.LaunchPlanWeek,
    mm.Promotion,
    mm.AdCampaign,
    mm.AdKeywordDaily,
    mm.LiveStream,
    mm.SocialPost,
    mm.ListingTrafficDaily,
    mm.SearchTermDaily,
    mm.VisitorCountryDaily,
    mm.VideoDaily,
    crm.Buyer,
    crm.Inquiry,
    crm.Rfq,
    crm.Review,
    crm.Complaint,
    crm.BuyerContact,
    crm.PiiPolicy,
    PlatformAccount,
    AccountSecurityRecord,
    stm.Course,
    stm.TrainingRecord,
    om.Order,
    om.OrderLine,
    om.RefundRequest,
    om.Dispute,
    om.Quote,
    om.Contract,
    lm.LogisticsChannel,
    lm.ChannelProfile,
    lm.ChannelZone,
    lm.ChannelRate,
    lm.Shipment,
    lm.TrackingEvent,
    fm.Payment,
    fm.PlatformFee,
    fm.Payout,
    fm.FxSettlement,
    fm.FxRate,
)
# local hour of orders: evenings for a local marketplace, flatter for buyers in every timezone
_HOURS_LOCAL = np.array(
    [
        2,
        1,
        0.6,
        0.4,
        0.3,
        0.4,
        0.8,
        1.5,
        2.5,
        3.5,
        4.2,
        4.6,
        5,
        4.8,
        4.6,
        4.6,
        4.8,
        5.2,
        5.8,
        6.6,
        7.4,
        7.6,
        6.4,
        4.1,
    ]
)
_HOURS_LOCAL = _HOURS_LOCAL / _HOURS_LOCAL.sum()
_HOURS_GLOBAL = np.full(24, 1.0) + 0.4 * np.sin(np.linspace(0, 2 * np.pi, 24, endpoint=False))
_HOURS_GLOBAL = _HOURS_GLOBAL / _HOURS_GLOBAL.sum()


def _month_starts(start: dt.date, days: int) -> list[tuple[int, int]]:
    """``(first, end)`` day indexes of each calendar month in the period."""
    bounds = []
    lo = 0
    while lo < days:
        day = start + dt.timedelta(days=lo)
        following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        hi = min((following - start).days, days)
        bounds.append((lo, hi))
        lo = hi
    return bounds


def _utc_offsets(timezone: str, start: dt.date, days: int) -> NDArray[np.int64]:
    """The timezone's UTC offset in seconds at local noon of each day (DST included)."""
    zone = ZoneInfo(timezone)
    out = np.empty(days, dtype=np.int64)
    for i in range(days):
        day = start + dt.timedelta(days=i)
        offset = dt.datetime(day.year, day.month, day.day, 12, tzinfo=zone).utcoffset()
        out[i] = int(offset.total_seconds()) if offset else 0
    return out


def _round_minor(minor_amount: NDArray[np.float64], currency: str) -> NDArray[np.int64]:
    """An amount in minor units rounded as the market quotes it (whole baht; yen and cents as is)."""
    step = 100 if currency == "THB" else 1
    rounded: NDArray[np.int64] = np.maximum(np.round(minor_amount / step), 1).astype(np.int64)
    return rounded * step


def _local_price(major: NDArray[np.float64], currency: str) -> NDArray[np.int64]:
    """List prices with the usual endings: 19.99 USD, 1,980 JPY, 349 THB, 39.90 MYR."""
    digits = minor_unit_digits(currency)
    if currency == "JPY":
        minor = (np.maximum(np.round(major / 10), 1) * 10 - 20).clip(min=100)
    elif currency == "THB":
        minor = (np.maximum(np.round(major / 10), 1) * 10 - 1) * 100
    elif currency == "MYR":
        minor = np.maximum(np.floor(major), 1) * 100 + 90
    else:
        minor = np.maximum(np.floor(major), 1) * 10**digits + 10**digits - 1
    prices: NDArray[np.int64] = minor.astype(np.int64)
    return prices


# 3.2.6 planted zero-effect listings: two per store, dead for the last 30+ days
ZERO_EFFECT_STORES = ("amazon_us", "aliexpress", "shopee_my", "ebay_uk")
ZERO_EFFECT_DAYS = 45

# 9.1.1 rate cards: CNY per kg of each channel in CHANNELS (also the simulated shipping fee)
CHANNEL_PER_KG_CNY = (15, 60, 35, 20, 75, 55, 180, 200, 8)
RATE_TERMS: dict[str, dict[str, Any]] = {  # per channel kind: the ChannelProfile terms
    "express": {"service_level": "expedited", "dim_divisor_cm3_per_kg": 5000, "weight_step_g": 500,
                "max_weight_g": 70_000, "fuel_surcharge_bp": 2000, "battery_surcharge_amount": 3000,
                "allows_battery": True, "allows_liquid": True},
    "line": {"service_level": "standard", "dim_divisor_cm3_per_kg": 8000, "weight_step_g": 10,
             "max_weight_g": 30_000, "fuel_surcharge_bp": 0, "battery_surcharge_amount": 1000,
             "allows_battery": True, "allows_liquid": False},
    "platform": {"service_level": "standard", "dim_divisor_cm3_per_kg": 6000, "weight_step_g": 10,
                 "max_weight_g": 30_000, "fuel_surcharge_bp": 0, "battery_surcharge_amount": 0,
                 "allows_battery": True, "allows_liquid": True},
    "postal": {"service_level": "economy", "dim_divisor_cm3_per_kg": 0, "weight_step_g": 10,
               "max_weight_g": 2_000, "fuel_surcharge_bp": 0, "battery_surcharge_amount": 0,
               "allows_battery": False, "allows_liquid": False},
    "sea": {"service_level": "economy", "dim_divisor_cm3_per_kg": 0, "weight_step_g": 1000,
            "max_weight_g": 5_000_000, "fuel_surcharge_bp": 800, "battery_surcharge_amount": 0,
            "allows_battery": True, "allows_liquid": True},
}  # fmt: skip
ZONE_FACTOR = {"asia": 0.8, "europe": 1.0, "americas": 1.1, "other": 1.25}
_ASIA = {"JP", "KR", "MY", "TH", "ID", "SG", "PH", "VN", "IN", "PK", "BD", "HK", "TW"}
_EUROPE = {"GB", "IE", "DE", "AT", "FR", "NL", "BE", "LU", "ES", "IT", "PL", "PT", "SE", "CH",
           "CZ", "DK", "NO", "FI", "GR", "HU", "RO", "UA", "TR"}  # fmt: skip
_AMERICAS = {"US", "CA", "MX", "BR", "AR", "CL", "CO", "PE"}


def _region(country: str) -> str:
    if country in _ASIA:
        return "asia"
    if country in _EUROPE:
        return "europe"
    return "americas" if country in _AMERICAS else "other"


LAUNCH_PLAN_WEEKS = 13  # a quarter of weekly launch plans per store (3.2.1 / 3.3.1)

# code, title, task codes of the standard, pass score, valid months (None: never expires)
COURSES: tuple[tuple[str, str, tuple[str, ...], int, int | None], ...] = (
    ("CS-101", "Customer service: replies, complaints and after-sales", ("7.1.1", "7.3.2", "7.3.3"), 70, 24),
    ("LST-101", "Listings that convert and pass platform checks", ("3.1.3", "3.2.6", "3.3.2"), 70, None),
    ("ADS-101", "Advertising and promotions", ("6.1.8",), 65, None),
    ("B2B-101", "Inquiries, quotations and contracts", ("8.1.5",), 70, 24),
    ("PII-101", "Buyers' personal data and account security", ("9.3.1", "2.1.2"), 80, 12),
)  # fmt: skip
TRAINING: dict[str, tuple[str, ...]] = {  # courses each role takes
    "manager": ("CS-101", "LST-101", "PII-101"),
    "operator": ("LST-101", "B2B-101", "PII-101"),
    "marketing": ("ADS-101", "PII-101"),
    "customer_service": ("CS-101", "PII-101"),
    "finance": ("PII-101",),
    "trainee": ("LST-101",),
}
_FIRST_ATTEMPT_FAILS = {("customer_service", "CS-101"), ("marketing", "ADS-101")}
UNTRAINED_CUSTOMER_SERVICE = "周婷 Zhou Ting"  # planted: customer service without CS training

# (store key, "main" or the sub-account holder's role) -> (2FA on, days since the password change)
PLANTED_WEAK_ACCOUNTS: dict[tuple[str, str], tuple[bool, int]] = {
    ("amazon_de", "main"): (False, 40),  # main account without two-factor authentication
    ("aliexpress", "trainee"): (False, 400),  # no 2FA and a password unchanged for 400 days
    ("shopee_th", "operator"): (True, 250),  # password unchanged for 250 days
}
_SUB_PURPOSE = {
    "operator": "listings, prices and orders",
    "customer_service": "buyer messages and returns",
    "marketing": "ads and promotions",
    "trainee": "listings (read) and messages",
}
_SUB_PERMISSIONS = {
    "operator": ("listings", "orders", "inventory"),
    "customer_service": ("messages", "returns"),
    "marketing": ("ads", "promotions"),
    "trainee": ("listings.read", "messages"),
}

# Amazon's Data Protection Policy: buyers' personal data deleted 30 days after delivery
AMAZON_PII_RETENTION_DAYS = 30


def _retention_days(spec: StoreSpec) -> int:
    """How long the store keeps buyers' contacts after their last order ended (9.3.1)."""
    return AMAZON_PII_RETENTION_DAYS if spec.platform.value == "amazon" else PII_RETENTION_DAYS


def _external_ids(spec: StoreSpec, ids: NDArray[np.int64], seed: int) -> list[str]:
    """Order numbers in each platform's style."""
    values = ids.tolist()
    platform = spec.platform.value
    if platform == "amazon":
        return [
            f"{111 + seed % 500:03d}-{i % 10_000_000:07d}-"
            f"{(i // 10_000_000 + (i % 10_000_000) * 7919) % 10_000_000:07d}"
            for i in values  # one-to-one below 10**14: the middle block is i % 10**7, and from
            # it and the last block, (last - middle * 7919) mod 10**7 gives back i // 10**7
        ]
    if platform == "aliexpress":
        return [f"8{seed % 1000:03d}{i:012d}" for i in values]
    if platform == "shopee":
        return [f"2{seed % 100:02d}{i:010d}SH" for i in values]
    if platform == "alibaba_com":
        return [f"TA{seed % 100:02d}{i:010d}" for i in values]
    return [f"{spec.key.upper()}-{i:010d}" for i in values]


def simulate(
    engine: Engine,
    *,
    seed: int,
    scale: Scale,
    company_name: str,
    staff_password: str | None = None,
    progress: Progress | None = None,
    owner_email: str | None = None,
) -> SimulationResult:
    """Write a complete simulated company into the database in one transaction."""
    name = company_name.strip()
    if not name:
        from storeops.errors import InvalidInput

        raise InvalidInput("the company name is empty", field="company")
    with engine.connect() as connection, _bulk_load_mode(connection), connection.begin():
        return Simulator(
            connection,
            seed=seed,
            scale=scale,
            company_name=name,
            staff_password=staff_password,
            progress=progress,
            owner_email=owner_email,
        ).run()


@contextmanager
def _bulk_load_mode(connection: Connection) -> Iterator[None]:
    """On SQLite, load through a rollback journal and check references once, after the load.

    In WAL mode every page is written twice (to the log, then checkpointed into the file); with a
    rollback journal the pages a load adds are written once and only the few pages it changes are
    journalled, so the load stays atomic. Foreign keys are switched off for the load and every
    reference is checked afterwards with ``PRAGMA foreign_key_check``, inside the same
    transaction (:meth:`BulkWriter.check_references`): the same guarantee as a check per inserted
    row, for about a seventh less work. Both settings are restored afterwards. (SQLite cannot
    change either inside a transaction, hence a context around it.) When other connections hold
    the file open, SQLite keeps WAL mode and the load simply runs in it.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA journal_mode = DELETE")
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
        connection.exec_driver_sql("PRAGMA journal_mode = WAL")
        connection.commit()
