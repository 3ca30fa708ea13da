"""``storeops logistics``: channels and rate cards, shipping templates, the channel chooser (9.1)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from storeops.auth.scoping import Actor, get_scoped
from storeops.cli.common import (
    FormatOption,
    OutputFormat,
    cli_errors,
    company_actor,
    emit,
    out,
    unit_of_work,
)
from storeops.errors import InvalidInput
from storeops.logistics import channels as svc
from storeops.logistics import customs, freight
from storeops.logistics import shipments as ships
from storeops.logistics.enums import ServiceLevel, UndeliverableAction
from storeops.logistics.export_documents import ExportDocument, render_export_document
from storeops.logistics.models import Shipment
from storeops.logistics.schemas import RateCard, TemplateCreate
from storeops.orders.models import Order
from storeops.stores.models import Store
from storeops.types import Money

app = typer.Typer(
    help="Fulfilment (stage 9.1 of the standard): logistics channels with their rate cards, "
    "shipping templates per store (3.2.3), and the channel chooser for an order (9.1.1).",
    no_args_is_help=True,
)
CompanyOpt = typer.Option("--company", help="Company name (default: the only company).")


def _json_file(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}", field="file") from None


@app.command("channels")
@cli_errors
def channels(
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.1.1 List the company's channels and whether they have a rate card."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {
                "id": c.id,
                "channel": f"{c.carrier} · {c.service_name}",
                "kind": c.kind,
                "transit_days": f"{c.transit_min_days}-{c.transit_max_days}",
                "level": c.service_level.value if c.service_level else "",
                "zones": " ".join(f"{z}:{','.join(cs)}" for z, cs in c.zones.items()),
                "battery": c.allows_battery,
                "liquid": c.allows_liquid,
            }
            for c in svc.list_channels(session, actor=actor)
        ]
    emit(rows, ["id", "channel", "kind", "transit_days", "level", "zones", "battery", "liquid"],
         fmt, title="channels")  # fmt: skip


@app.command("rate-card")
@cli_errors
def rate_card(
    channel_id: Annotated[int, typer.Argument(help="Channel id (see `logistics channels`).")],
    file: Annotated[Path, typer.Option("--file", help="JSON rate card (docs/logistics.md).")],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.1.1 Replace a channel's rate card (zones, weight bands, surcharges, restricted goods)."""
    card = RateCard.model_validate(_json_file(file))
    with unit_of_work() as session:
        actor = company_actor(session, company)
        channel = svc.get_channel(session, channel_id=channel_id, actor=actor)
        svc.set_rate_card(session, channel=channel, card=card, actor=actor)
        out.print(f"rate card of {svc.channel_label(channel)} set: {len(card.bands)} band(s)")


@app.command("template")
@cli_errors
def template(
    store_id: Annotated[int, typer.Argument(help="Store id.")],
    file: Annotated[
        Path, typer.Option("--file", help="JSON shipping template (docs/logistics.md).")
    ],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """3.2.3 Add a shipping template to a store."""
    data = TemplateCreate.model_validate(_json_file(file))
    with unit_of_work() as session:
        actor = company_actor(session, company)
        store = get_scoped(session, Store, store_id, actor, what="store")
        made = svc.create_shipping_template(session, store=store, data=data, actor=actor)
        out.print(f"template {made.name!r} (id {made.id}) added to {store.name}")


@app.command("choose")
@cli_errors
def choose(
    order_id: Annotated[int, typer.Argument(help="Order id.")],
    service: Annotated[
        ServiceLevel, typer.Option(help="The buyer's selected service.")
    ] = ServiceLevel.STANDARD,
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.1.1 Rank the channels that can carry an order, and say why the first is chosen."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        order = get_scoped(session, Order, order_id, actor, what="order")
        choice = svc.choose_channel(session, order=order, selected_service=service, actor=actor)
    if fmt == OutputFormat.JSON:
        emit([choice.model_dump(mode="json")], [], fmt, one=True)
        return
    rows = [
        {
            "rank": o.rank or "-",
            "channel": o.channel,
            "level": o.service_level.value if o.service_level else "",
            "chargeable_g": o.chargeable_weight_g,
            "total": o.total,
            "days": f"{o.transit_min_days}-{o.transit_max_days}",
            "why": "; ".join(o.reasons),
        }
        for o in choice.options
    ]
    emit(rows, ["rank", "channel", "level", "chargeable_g", "total", "days", "why"], fmt,
         title=f"channels for order {order_id}")  # fmt: skip
    if fmt == OutputFormat.TABLE:
        out.print(choice.explanation)


# --- shipments (9.1.2-9.1.7) ---------------------------------------------------------------------


def _shipment(session: Session, shipment_id: int, actor: Actor) -> Shipment:
    return get_scoped(session, Shipment, shipment_id, actor, what="shipment")


@app.command("ship")
@cli_errors
def ship(
    file: Annotated[Path, typer.Option("--file", help="JSON shipment (docs/logistics.md).")],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.1.3 Create a parcel's logistics order; addresses and phones are validated per country."""
    data = ships.ShipmentCreate.model_validate(_json_file(file))
    with unit_of_work() as session:
        actor = company_actor(session, company)
        shipment = ships.create_shipment(session, data=data, actor=actor)
        out.print(f"shipment {shipment.id} created, tracking number {shipment.tracking_number}")


@app.command("handover")
@cli_errors
def handover(
    shipment_id: Annotated[int, typer.Argument()],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.1.3 Record that the carrier has the parcel (recipient and sender are then locked)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        ships.hand_over(session, shipment=_shipment(session, shipment_id, actor), actor=actor)
        out.print(f"shipment {shipment_id} is in transit")


@app.command("notice")
@cli_errors
def notice(
    shipment_id: Annotated[int, typer.Argument()],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.1.5 Record the shipping notice given on the platform (manual: no connector yet)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        ships.record_shipping_notice(
            session, shipment=_shipment(session, shipment_id, actor), actor=actor
        )
        out.print(f"shipping notice of shipment {shipment_id} recorded")


@app.command("declare")
@cli_errors
def declare(
    shipment_id: Annotated[int, typer.Argument()],
    file: Annotated[Path, typer.Option("--file", help="JSON declaration: currency, lines.")],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.1.2 File a customs declaration; prints under/over-declaration warnings."""
    data = customs.DeclarationIn.model_validate(_json_file(file))
    with unit_of_work() as session:
        actor = company_actor(session, company)
        read = customs.declare_customs(
            session, shipment=_shipment(session, shipment_id, actor), data=data, actor=actor
        )
    out.print(f"declared {read.total} against a sale value of {read.sale_value} ({read.ratio})")
    for warning in read.warnings:
        out.print(f"[yellow]warning:[/yellow] {warning}")


@app.command("check-declaration")
@cli_errors
def check_declaration(
    shipment_id: Annotated[int, typer.Argument()],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.1.2 Compare a shipment's declared value with the order's sale value."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        check = customs.check_shipment(
            session, shipment=_shipment(session, shipment_id, actor), actor=actor
        )
    out.print(f"declared {check.declared}, sale value {check.sale_value}, ratio {check.ratio}")
    for warning in check.warnings:
        out.print(f"[yellow]warning:[/yellow] {warning}")


@app.command("labels")
@cli_errors
def labels(
    shipment_ids: Annotated[list[int], typer.Argument(help="Shipment ids, one label each.")],
    output: Annotated[Path, typer.Option("--out", help="PDF file to write.")],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.1.4 Print shipping labels (Code 128 of the tracking number) into one PDF."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        pdf = ships.render_labels(session, shipment_ids=shipment_ids, actor=actor)
    output.write_bytes(pdf)
    out.print(f"{len(shipment_ids)} label(s) written to {output}")


@app.command("late")
@cli_errors
def late(
    include_delivered: Annotated[
        bool, typer.Option("--include-delivered", help="Also parcels delivered late.")
    ] = False,
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.1.6 Parcels past their promised delivery time."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {**asdict(x), "promised_by": x.promised_by.isoformat()}
            for x in ships.late_deliveries(
                session, actor=actor, include_delivered=include_delivered
            )
        ]
    emit(rows, ["shipment_id", "order_id", "tracking_number", "channel", "promised_by",
                "days_late", "status"], fmt, title="late deliveries")  # fmt: skip


@app.command("undeliverable")
@cli_errors
def undeliverable(
    shipment_id: Annotated[int, typer.Argument()],
    action: Annotated[UndeliverableAction, typer.Option(help="return or dispose (abroad).")],
    fee: Annotated[str, typer.Option(help="Fee charged, e.g. 35.00.")],
    currency: Annotated[str, typer.Option(help="Currency of the fee.")] = "CNY",
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.1.7 Decide on an undeliverable parcel and record the fee."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        ships.resolve_undeliverable(
            session, shipment=_shipment(session, shipment_id, actor), action=action,
            fee=Money.parse(fee, currency), actor=actor,
        )  # fmt: skip
    out.print(f"shipment {shipment_id}: {action.value}, fee {fee} {currency}")


@app.command("tracking-import")
@cli_errors
def tracking_import(
    file: Annotated[Path, typer.Argument(help="CSV: tracking_number, at, code, location.")],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """Import carrier scans into the shipments' timelines (atomic; re-import adds nothing)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        result = ships.import_tracking_csv(
            session, text=file.read_text(encoding="utf-8"), actor=actor
        )
    out.print(f"{result.added} event(s) added, {result.duplicates} already there")


@app.command("timeline")
@cli_errors
def shipment_timeline(
    shipment_id: Annotated[int, typer.Argument()],
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """A parcel's tracking events, oldest first."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {"at": e.at.isoformat(), "code": e.code, "location": e.location}
            for e in ships.timeline(
                session, shipment=_shipment(session, shipment_id, actor), actor=actor
            )
        ]
    emit(rows, ["at", "code", "location"], fmt, title=f"shipment {shipment_id}")


@app.command("export-doc")
@cli_errors
def export_doc(
    order_id: Annotated[int, typer.Argument(help="Order id (B2B orders use their contract).")],
    kind: Annotated[ExportDocument, typer.Option(help="Which document.")],
    output: Annotated[Path, typer.Option("--out", help="PDF file to write.")],
    tenor_days: Annotated[int, typer.Option(help="Bill of exchange: 0 = at sight.")] = 0,
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.2.1 Render an export document of an order as PDF."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        order = get_scoped(session, Order, order_id, actor, what="order")
        pdf = render_export_document(session, order=order, kind=kind, actor=actor,
                                     tenor_days=tenor_days)  # fmt: skip
    output.write_bytes(pdf)
    out.print(f"{kind.value} of order {order_id} written to {output}")


@app.command("freight-deadlines")
@cli_errors
def freight_deadlines(
    within_hours: Annotated[int, typer.Option(help="Look this many hours ahead.")] = 48,
    company: Annotated[str | None, CompanyOpt] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """9.2.3 Customs and cargo cut-offs of freight bookings due soon or missed."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [{**asdict(a), "due_at": a.due_at.isoformat()}
                for a in freight.deadline_alerts(session, actor=actor, within_hours=within_hours)]  # fmt: skip
    emit(rows, ["booking_no", "order_id", "deadline", "due_at", "hours_left"], fmt,
         title="freight deadlines")  # fmt: skip


@app.command("book-freight")
@cli_errors
def book_freight(
    file: Annotated[Path, typer.Option("--file", help="JSON booking (docs/logistics.md).")],
    company: Annotated[str | None, CompanyOpt] = None,
) -> None:
    """9.2.3 Record a freight booking with its cut-offs."""
    data = freight.BookingIn.model_validate_json(file.read_text(encoding="utf-8"))
    with unit_of_work() as session:
        actor = company_actor(session, company)
        booking = freight.book_freight(session, data=data, actor=actor)
        out.print(f"booking {booking.booking_no} recorded (id {booking.id})")
