"""``storeops logistics``: channels and rate cards, shipping templates, the channel chooser (9.1)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from storeops.auth.scoping import get_scoped
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
from storeops.logistics.enums import ServiceLevel
from storeops.logistics.schemas import RateCard, TemplateCreate
from storeops.orders.models import Order
from storeops.stores.models import Store

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
