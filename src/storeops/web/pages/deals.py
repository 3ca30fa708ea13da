"""``/deals``: 8.1.5 export costing and quotation (PDF) for B2B buyers; 8.1.6 / 8.2.1 listed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import Request, Response
from nicegui import run, ui
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.errors import DomainError, InvalidInput
from storeops.orders import deals
from storeops.orders.costing import INCOTERMS
from storeops.orders.models import DealContract, FactoryAudit, NegotiationEntry, Quote, VisitPlan
from storeops.stores.models import Store
from storeops.types import Money
from storeops.web.access import declare_page
from storeops.web.auth_routes import SESSION_COOKIE
from storeops.web.context import ConsoleContext
from storeops.web.labels import N_
from storeops.web.layout import frame, heading, open_console
from storeops.web.pages.crm import as_actor, local
from storeops.web.state import runtime

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("purchase_cost", N_("Purchase cost per unit (VAT incl.)"), "113.00"),
    ("vat_rate", N_("VAT rate"), "0.13"),
    ("rebate_rate", N_("Export tax rebate rate"), "0.13"),
    ("packing_per_unit", N_("Packing per unit"), "2.00"),
    ("inland_freight_per_shipment", N_("Inland freight per shipment"), "1000"),
    ("port_charges_per_shipment", N_("Port charges per shipment"), "2000"),
    ("freight_per_shipment", N_("Ocean/air freight per shipment"), "5000"),
    ("insurance_rate", N_("Insurance rate"), "0.005"),
    ("commission_rate", N_("Commission rate"), "0.03"),
    ("target_margin", N_("Target margin"), "0.10"),
    ("duty_rate", N_("Import duty rate (DDP)"), "0"),
    ("import_vat_rate", N_("Import VAT rate (DDP)"), "0"),
    ("delivery_per_shipment", N_("Destination delivery per shipment (DDP)"), "0"),
    ("fx_rate", N_("FX rate (base per unit of the buyer's currency)"), "7.10"),
)


def _load(store_id: int) -> Any:
    def work(session: Session, actor: Actor) -> dict[str, Any]:
        store = get_scoped(session, Store, store_id, actor, what="store")
        quotes = session.scalars(
            select(Quote).where(Quote.store_id == store.id).order_by(Quote.id.desc()).limit(20)
        )
        contracts = session.scalars(
            select(DealContract)
            .where(DealContract.store_id == store.id)
            .order_by(DealContract.id.desc())
            .limit(20)
        )
        visits = session.scalars(
            select(VisitPlan)
            .where(VisitPlan.store_id == store.id)
            .order_by(VisitPlan.visit_on.desc())
            .limit(20)
        )
        audits = session.scalars(
            select(FactoryAudit)
            .where(FactoryAudit.store_id == store.id)
            .order_by(FactoryAudit.audit_on.desc())
            .limit(20)
        )
        talks = session.scalars(
            select(NegotiationEntry)
            .where(NegotiationEntry.store_id == store.id)
            .order_by(NegotiationEntry.at.desc())
            .limit(20)
        )
        return {
            "records": [
                *(
                    {
                        "id": f"v{v.id}",
                        "kind": "8.1.2",
                        "buyer": v.buyer_id,
                        "when": v.visit_on.isoformat(),
                        "what": v.agenda,
                        "state": v.status,
                    }
                    for v in visits
                ),
                *(
                    {
                        "id": f"a{a.id}",
                        "kind": "8.1.3",
                        "buyer": a.buyer_id,
                        "when": a.audit_on.isoformat(),
                        "what": f"{a.site}: {a.agenda}",
                        "state": a.result or "planned",
                    }
                    for a in audits
                ),
                *(
                    {
                        "id": f"n{n.id}",
                        "kind": "8.1.4",
                        "buyer": n.buyer_id,
                        "when": local(n.at, store.timezone),
                        "what": f"{n.topic}: {n.our_position} / {n.their_position}",
                        "state": n.outcome,
                    }
                    for n in talks
                ),
            ],
            "store": store.name,
            "currency": store.currency,
            "quotes": [
                {
                    "id": q.id,
                    "buyer": q.buyer_id,
                    "incoterm": q.incoterm,
                    "amount": str(Money(q.amount, q.currency)),
                    "status": q.status.value,
                    "created": local(q.created_at, store.timezone),
                }
                for q in quotes
            ],
            "contracts": [
                {
                    "id": c.id,
                    "number": c.number,
                    "status": c.status.value,
                    "version": c.current_version,
                    "order": c.order_id or "—",
                }
                for c in contracts
            ],
        }

    return work


def _quote(store_id: int, form: dict[str, Any]) -> Any:
    def work(session: Session, actor: Actor) -> dict[str, Any]:
        store = get_scoped(session, Store, store_id, actor, what="store")
        values: dict[str, Decimal] = {}
        for key, _label, _default in FIELDS:
            try:
                values[key] = Decimal(str(form[key]).strip() or "0")
            except InvalidOperation:
                raise InvalidInput(f"{form[key]!r} is not a number", field=key) from None
        quantities = [q for q in str(form["quantities"]).replace(",", " ").split() if q]
        inputs = deals.cost_inputs_from_major(
            base_currency="CNY", quote_currency=str(form["currency"]),
            quantities=quantities, **values,  # type: ignore[arg-type]
        )  # fmt: skip
        made = deals.quote_export(
            session, store=store, buyer_id=int(form["buyer"] or 0), actor=actor,
            product_name=str(form["product"]), inputs=inputs, incoterm=str(form["incoterm"]),
            language=str(form["language"]),
        )  # fmt: skip
        costing = deals.quote_costing(session, quote=made, actor=actor)
        return {
            "id": made.id,
            "rows": [
                {
                    "quantity": p["quantity"],
                    **{t: str(Money(a, made.currency)) for t, a in p["unit"].items()},
                }
                for p in costing.prices
            ],
        }

    return work


def _pdf(quote_id: int) -> Any:
    def work(session: Session, actor: Actor) -> bytes:
        quote = deals.get_quote(session, quote_id=quote_id, actor=actor)
        return deals.quotation_pdf(session, quote=quote, actor=actor)

    return work


def _page(ctx: ConsoleContext, raw: str | None, store_id: int, data: dict[str, Any]) -> None:
    _ = ctx.translate
    heading(
        _("B2B deals · {store}").format(store=data["store"]),
        _("8.1.5 export costing and quotation; 8.1.6 contracts and 8.2.1 Trade Assurance orders "
          "are worked through the API and the CLI (listed below)."),
    )  # fmt: skip
    form: dict[str, Any] = {}
    with ui.card().classes("so-card w-full p-4").props("flat"):
        ui.label(_("Export costing (8.1.5)")).classes("text-sm font-semibold")
        ui.label(_("Costs in CNY; rates as fractions (0.13 = 13 %).")).classes("text-xs so-muted")
        with ui.row().classes("items-end gap-3 w-full"):
            buyer = ui.number(_("Buyer no."), format="%d").classes("w-28")
            product = ui.input(_("Product quoted")).classes("w-64")
            currency = ui.input(_("Buyer's currency"), value="USD").classes("w-28")
            language = ui.select(
                ["en", "es", "de", "fr", "pt", "zh"], value="en", label=_("Buyer's language")
            ).classes("w-32")
            incoterm = ui.select(
                list(INCOTERMS), value="FOB", label=_("Trade term (Incoterm)")
            ).classes("w-28")
            quantities = ui.input(_("Quantity breaks"), value="500 1000 5000").classes("w-48")
        inputs = {}
        with ui.element("div").classes("grid grid-cols-2 lg:grid-cols-4 gap-3 w-full"):
            for key, label, default in FIELDS:
                inputs[key] = ui.input(_(label), value=default)
        results = ui.column().classes("w-full")

        async def compute() -> None:
            form.update({k: w.value for k, w in inputs.items()})
            form.update(buyer=buyer.value, product=product.value or "", currency=currency.value or "",
                        language=language.value, incoterm=incoterm.value, quantities=quantities.value or "")  # fmt: skip
            try:
                made = await run.io_bound(as_actor, runtime().engine, raw, _quote(store_id, form))
            except DomainError as exc:
                ui.notify(exc.message, type="negative", multi_line=True)
                return
            if made is None:
                return
            results.clear()
            with results:
                ui.label(_("Quote {id}: prices per unit").format(id=made["id"])).classes(
                    "text-sm font-semibold"
                )
                cols = [
                    {"name": k, "label": k, "field": k, "align": "right"}
                    for k in ("quantity", *INCOTERMS)
                ]
                ui.table(columns=cols, rows=made["rows"], row_key="quantity").classes(
                    "so-table w-full"
                ).props("dense flat")

                async def download() -> None:
                    pdf = await run.io_bound(as_actor, runtime().engine, raw, _pdf(made["id"]))
                    if pdf is not None:
                        ui.download(pdf, f"quotation-{made['id']}.pdf", "application/pdf")

                ui.button(
                    _("Download quotation PDF"), icon="picture_as_pdf", on_click=download
                ).props("outline no-caps")

        ui.button(_("Cost and quote"), icon="calculate", on_click=compute).props(
            "unelevated no-caps"
        )

    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Latest quotes")).classes("text-sm font-semibold px-4 pt-3")
        cols = [{"name": k, "label": label, "field": k, "align": "left"} for k, label in (
            ("id", _("Quote no.")), ("buyer", _("Buyer no.")), ("incoterm", _("Trade term (Incoterm)")),
            ("amount", _("Quote amount")), ("status", _("Quote status")), ("created", _("Created (store time)")))]  # fmt: skip
        table = (
            ui.table(columns=cols, rows=data["quotes"], row_key="id")
            .classes("so-table w-full")
            .props("dense flat")
        )
        table.props["no-data-label"] = _("No quotes yet.")
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Contracts (8.1.6) and Trade Assurance orders (8.2.1)")).classes(
            "text-sm font-semibold px-4 pt-3"
        )
        cols = [{"name": k, "label": label, "field": k, "align": "left"} for k, label in (
            ("number", _("Contract no.")), ("status", _("Signature status")), ("version", _("Terms version")),
            ("order", _("Trade Assurance order")))]  # fmt: skip
        table = (
            ui.table(columns=cols, rows=data["contracts"], row_key="id")
            .classes("so-table w-full")
            .props("dense flat")
        )
        table.props["no-data-label"] = _(
            "No contracts yet: draw one up from a sent quote with the API."
        )


def register() -> None:
    """Add the B2B deals page."""

    declare_page("/deals", Permission.ORDERS_READ)

    @ui.page("/deals")
    async def deals_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        raw = request.cookies.get(SESSION_COOKIE)
        with frame(request, ctx, active="deals", title=_("B2B deals")):
            store = ctx.store or next((s for s in ctx.stores if s.business_model == "b2b"), None)
            if store is None:
                heading(_("B2B deals"), _("You do not work on any B2B store of this company."))
                return None
            data = await run.io_bound(as_actor, runtime().engine, raw, _load(store.id))
            if data is None:
                return Response(status_code=503)
            _page(ctx, raw, store.id, data)
        return None
