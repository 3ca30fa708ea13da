"""5.14 The generic mapping importer: any CSV/XLSX, read through a saved column mapping.

A profile maps storeops order fields to the file's columns, with value transforms: a ``format``
(``strptime`` pattern) and ``timezone`` for dates, a ``map`` of the file's status words to storeops
statuses. So a seller is never blocked by a layout storeops does not know; the file still goes
through the whole framework (validation of every row, all or nothing, idempotent upserts).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.connectors.amazon.common import store_country
from storeops.connectors.amazon.orders import AllOrdersImporter, OrderItemRow
from storeops.connectors.errors import FileRefused
from storeops.connectors.framework import Counts, FileImporter, ImportContext, Parsed, RowError
from storeops.connectors.models import MappingProfile
from storeops.connectors.values import RowInvalid, parse_datetime, parse_int, parse_money
from storeops.errors import Conflict, InvalidInput, NotFound
from storeops.orders.enums import OrderStatus
from storeops.types import utcnow

ORDER_FIELDS: dict[str, bool] = {  # field → required
    "order_id": True,
    "placed_at": True,
    "sku": True,
    "quantity": True,
    "line_amount": False,
    "unit_price": False,
    "status": False,
    "currency": False,
    "country": False,
    "title": False,
    "listing_id": False,
    "shipping": False,
    "discount": False,
}
PREFIX = "mapping:"


def validate_mapping(target: str, mapping: Any) -> dict[str, dict[str, Any]]:
    """The mapping, checked: known fields, a column each, valid formats, zones and statuses."""
    if target != "orders":
        raise InvalidInput("a mapping profile imports orders (target 'orders')", field="target")
    if not isinstance(mapping, dict):
        raise InvalidInput("the mapping is an object of field → {column, …}", field="mapping")
    unknown = sorted(set(mapping) - set(ORDER_FIELDS))
    if unknown:
        raise InvalidInput(
            f"unknown fields {', '.join(unknown)}; known: {', '.join(ORDER_FIELDS)}",
            field="mapping",
        )
    missing = [f for f, required in ORDER_FIELDS.items() if required and f not in mapping]
    if "line_amount" not in mapping and "unit_price" not in mapping:
        missing.append("line_amount or unit_price")
    if missing:
        raise InvalidInput(f"the mapping lacks {', '.join(missing)}", field="mapping")
    for name, spec in mapping.items():
        if not isinstance(spec, dict) or not str(spec.get("column") or "").strip():
            raise InvalidInput(f"field {name} needs a source column", field=f"mapping.{name}")
        if "format" in spec:
            try:
                dt.datetime.now(dt.UTC).strftime(str(spec["format"]))
            except ValueError:
                raise InvalidInput(f"bad date format for {name}", field=f"mapping.{name}") from None
        if "timezone" in spec:
            try:
                ZoneInfo(str(spec["timezone"]))
            except (ZoneInfoNotFoundError, ValueError):
                raise InvalidInput(
                    f"unknown timezone {spec['timezone']!r}", field=f"mapping.{name}"
                ) from None
        if "map" in spec:
            values = spec["map"]
            if not isinstance(values, dict) or not all(
                v in {s.value for s in OrderStatus} for v in values.values()
            ):
                raise InvalidInput(
                    f"{name}.map must map the file's words to storeops statuses "
                    f"({', '.join(s.value for s in OrderStatus)})",
                    field=f"mapping.{name}",
                )
    return {k: dict(v) for k, v in mapping.items()}


def create_profile(
    session: Session, *, name: str, target: str, mapping: Any, actor: Actor
) -> MappingProfile:
    """5.14 Save a column-mapping profile for the company."""
    actor.require(Permission.IMPORT_RUN)
    clean = name.strip()
    if not clean or len(clean) > 60:
        raise InvalidInput("a profile name has 1-60 characters", field="name")
    checked = validate_mapping(target, mapping)
    exists = session.scalar(
        select(MappingProfile.id).where(
            MappingProfile.company_id == actor.company_id, MappingProfile.name == clean
        )
    )
    if exists is not None:
        raise Conflict(f"a mapping profile named {clean!r} exists", field="name")
    profile = MappingProfile(
        company_id=actor.company_id,
        name=clean,
        target=target,
        mapping=checked,
        created_by_user_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(profile)
    session.flush()
    return profile


def list_profiles(session: Session, *, actor: Actor) -> list[MappingProfile]:
    """The company's mapping profiles."""
    actor.require(Permission.IMPORT_RUN)
    stmt = select(MappingProfile).where(MappingProfile.company_id == actor.company_id)
    return list(session.scalars(stmt.order_by(MappingProfile.name)))


def profile_importer(
    session: Session, *, company_id: int, platform: str, report: str
) -> MappedOrdersImporter:
    """The importer of report ``mapping:<profile name>`` of the company."""
    name = report[len(PREFIX) :].strip()
    profile = session.scalars(
        select(MappingProfile).where(
            MappingProfile.company_id == company_id, MappingProfile.name == name
        )
    ).first()
    if profile is None:
        raise NotFound(f"mapping profile {name!r} not found", field="report")
    return MappedOrdersImporter(profile.mapping, platform=platform, name=name)


class MappedOrdersImporter(FileImporter[OrderItemRow]):
    """5.14 Orders from any CSV/XLSX through a saved mapping profile."""

    platform: ClassVar[str] = "any"
    report: ClassVar[str] = "mapping"
    title: ClassVar[str] = "file read through a mapping profile"
    layout: ClassVar[str] = "the columns the profile names"

    def __init__(self, mapping: dict[str, dict[str, Any]], *, platform: str, name: str) -> None:
        self.mapping = mapping
        self.store_platform = platform
        self.profile_name = name

    def check_header(self, header: list[str]) -> dict[str, int]:
        index = {h: i for i, h in enumerate(header)}
        missing = sorted({s["column"] for s in self.mapping.values()} - set(index))
        if missing:
            raise FileRefused(
                f"the file lacks the columns that profile {self.profile_name!r} reads: "
                f"{', '.join(missing)}",
                field="header",
            )
        return {name: index[spec["column"]] for name, spec in self.mapping.items()}

    def _cell(self, cells: list[str], at: dict[str, int], name: str) -> str:
        return cells[at[name]].strip() if name in at else ""

    def parse_row(
        self, row: int, cells: list[str], at: dict[str, int], ctx: ImportContext
    ) -> OrderItemRow:
        m = self.mapping

        def col(name: str) -> str:
            return str(m[name]["column"])

        order_id = self._cell(cells, at, "order_id")
        if not order_id or len(order_id) > 40:
            raise RowInvalid(col("order_id"), "is empty or longer than 40 characters", order_id)
        raw_date = self._cell(cells, at, "placed_at")
        spec = m["placed_at"]
        zone = ZoneInfo(str(spec.get("timezone") or ctx.timezone))
        if "format" in spec:
            try:
                naive = dt.datetime.strptime(raw_date, str(spec["format"]))  # noqa: DTZ007
            except ValueError:
                raise RowInvalid(
                    col("placed_at"), f"does not match {spec['format']}", raw_date
                ) from None
            placed = (naive if naive.tzinfo else naive.replace(tzinfo=zone)).astimezone(dt.UTC)
        else:
            offset = zone.utcoffset(dt.datetime(2024, 1, 1))  # noqa: DTZ001
            minutes = int(offset.total_seconds() // 60) if offset is not None else 0
            placed = parse_datetime(raw_date, col("placed_at"), default_offset_minutes=minutes)
        currency = (self._cell(cells, at, "currency") or ctx.currency).upper()
        if currency != ctx.currency:
            raise RowInvalid(
                col("currency"), f"is not the store's currency {ctx.currency}", currency
            )
        sku = self._cell(cells, at, "sku")
        if not sku or len(sku) > 40:
            raise RowInvalid(col("sku"), "is empty or longer than 40 characters", sku)
        quantity = parse_int(self._cell(cells, at, "quantity"), col("quantity"), maximum=1_000_000)
        if "line_amount" in m:
            amount = parse_money(
                self._cell(cells, at, "line_amount"),
                currency,
                col("line_amount"),
                allow_negative=False,
            )
        else:
            unit = parse_money(
                self._cell(cells, at, "unit_price"),
                currency,
                col("unit_price"),
                allow_negative=False,
            )
            amount = unit * quantity
        status = OrderStatus.PAID
        if "status" in m:
            raw_status = self._cell(cells, at, "status")
            words = {str(k).strip().lower(): v for k, v in (m["status"].get("map") or {}).items()}
            found = words.get(raw_status.lower()) or (
                raw_status.lower() if raw_status.lower() in {s.value for s in OrderStatus} else None
            )
            if found is None:
                raise RowInvalid(col("status"), "is not a status the profile maps", raw_status)
            status = OrderStatus(found)
        country = (self._cell(cells, at, "country") or store_country(ctx) or "").upper()
        if len(country) != 2 or not country.isalpha():
            raise RowInvalid(
                col("country") if "country" in m else "country",
                "is not a two-letter country code",
                country,
            )
        shipping = (
            parse_money(self._cell(cells, at, "shipping"), currency, "shipping")
            if "shipping" in m
            else 0
        )
        discount = (
            abs(parse_money(self._cell(cells, at, "discount"), currency, "discount"))
            if "discount" in m
            else 0
        )
        return OrderItemRow(
            row, order_id, placed, status, self.store_platform, currency, sku,
            self._cell(cells, at, "listing_id") or sku, self._cell(cells, at, "title") or sku,
            quantity, amount, shipping, discount, country, False,
        )  # fmt: skip

    def check_file(self, parsed: Parsed[OrderItemRow], ctx: ImportContext) -> None:
        """Rows of one order must agree on status; an order with a bad row is left out whole."""
        column = str(self.mapping["order_id"]["column"])
        first: dict[str, OrderItemRow] = {}
        for record in parsed.records:
            seen = first.setdefault(record.order_id, record)
            if seen.status != record.status:
                parsed.fail(
                    RowError(
                        record.row, column, f"status differs from row {seen.row}", record.order_id
                    )
                )
        position = self.at["order_id"]
        bad = {r.order_id for r in parsed.records if r.row in parsed.bad_rows}
        bad |= {e.cells[position].strip() for e in parsed.errors if len(e.cells) > position}
        for record in parsed.records:
            if record.order_id in bad and record.row not in parsed.bad_rows:
                parsed.fail(
                    RowError(
                        record.row,
                        column,
                        "another row of this order is bad, so the order is left out",
                        record.order_id,
                    )
                )
        parsed.records = [r for r in parsed.records if r.order_id not in bad]

    def write(self, session: Session, records: Any, ctx: ImportContext) -> Counts:
        return AllOrdersImporter().write(session, records, ctx)
