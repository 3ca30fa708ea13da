"""``storeops orders``: B2C orders, their timeline, refunds, disputes, complaints and reviews (8.3)."""

from __future__ import annotations

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
from storeops.crm.models import Complaint, ImprovementTask, Review
from storeops.orders import aftercare, service
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Dispute, RefundRequest
from storeops.stores.service import get_store
from storeops.types import Money

app = typer.Typer(
    help="B2C orders (8.3): status flow, timeline (8.3.2), refunds capped at what was paid, "
    "disputes with escalation and responsibility (6.1.7), complaints (8.3.4), reviews (8.3.5).",
    no_args_is_help=True,
)
CompanyOption = typer.Option(
    "--company", "-c", help="Company name (needed only when there are several)."
)


@app.command("list")
@cli_errors
def list_orders(
    store: Annotated[int, typer.Option("--store", "-s", help="Store id.")],
    status: Annotated[OrderStatus | None, typer.Option(help="Only orders in this status.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """List a store's orders, newest first."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        shop = get_store(session, store_id=store, actor=actor)
        rows = [
            {
                "id": o.id,
                "external_id": o.external_id,
                "status": o.status.value,
                "country": o.country,
                "total": str(Money(o.total_amount, o.currency)),
                "placed_at": o.placed_at.isoformat(),
            }
            for o in service.list_orders(
                session, store=shop, actor=actor, status=status, limit=limit
            )
        ]
    emit(
        rows, ["id", "external_id", "status", "country", "total", "placed_at"], fmt, title="orders"
    )


@app.command("timeline")
@cli_errors
def timeline(
    order_id: Annotated[int, typer.Argument(help="The order's id.")],
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """8.3.2 Every event of an order, oldest first."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        order = service.get_order(session, order_id=order_id, actor=actor)
        rows = [
            e.model_dump(mode="json")
            for e in service.order_timeline(session, order=order, actor=actor)
        ]
    emit(rows, ["at", "kind", "detail"], fmt, title=f"order {order_id}")


@app.command("status")
@cli_errors
def status(
    order_id: Annotated[int, typer.Argument(help="The order's id.")],
    to: Annotated[OrderStatus, typer.Argument(help="The status to move to.")],
    note: Annotated[str, typer.Option(help="A note for the timeline.")] = "",
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """8.3.2 Move an order along its status flow (illegal moves are refused)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        order = service.get_order(session, order_id=order_id, actor=actor)
        service.advance_order(session, order=order, status=to, actor=actor, note=note)
        out.print(f"order {order_id} is now {to.value}")


@app.command("refund")
@cli_errors
def refund(
    order_id: Annotated[int, typer.Argument(help="The order's id.")],
    amount: Annotated[str, typer.Option(help="Amount in the order's currency, e.g. 12.50.")],
    reason: Annotated[str, typer.Option(help="Why, e.g. damaged, not_received.")],
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """8.3.3 Request a refund; refused when it would exceed what is left of what was paid."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        order = service.get_order(session, order_id=order_id, actor=actor)
        made = service.request_refund(
            session,
            order=order,
            amount=Money.parse(amount, order.currency),
            reason=reason,
            actor=actor,
        )
        out.print(
            f"refund request {made.id}: {Money(made.amount, made.currency)} on order {order_id}"
        )


@app.command("refund-decide")
@cli_errors
def refund_decide(
    refund_id: Annotated[int, typer.Argument(help="The refund request's id.")],
    approve: Annotated[bool, typer.Option("--approve/--reject", help="Approve or reject.")],
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """8.3.3 Approve or reject a refund request."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        found = get_scoped(session, RefundRequest, refund_id, actor, what="refund")
        service.decide_refund(session, refund=found, approve=approve, actor=actor)
        out.print(f"refund request {refund_id} {found.status.value}")


@app.command("dispute")
@cli_errors
def dispute(
    dispute_id: Annotated[int, typer.Argument(help="The dispute's id.")],
    to: Annotated[str, typer.Argument(help="escalated, arbitrated or closed.")],
    seller_responsible: Annotated[
        bool | None,
        typer.Option("--seller-responsible/--seller-not-responsible", help="Who was responsible."),
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """6.1.7 Escalate, arbitrate or close a dispute, recording responsibility."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        found = get_scoped(session, Dispute, dispute_id, actor, what="dispute")
        service.move_dispute(
            session, dispute=found, status=to, seller_responsible=seller_responsible, actor=actor
        )
        out.print(f"dispute {dispute_id} is now {found.status.value}")


@app.command("complaint-handle")
@cli_errors
def complaint_handle(
    complaint_id: Annotated[int, typer.Argument(help="The complaint's id.")],
    cause: Annotated[str, typer.Option(help="The cause found.")],
    handling: Annotated[str, typer.Option(help="What was done.")],
    basis: Annotated[str, typer.Option(help="The law or platform rule relied on.")],
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """8.3.4 Resolve a complaint with its cause, handling and basis."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        found = get_scoped(session, Complaint, complaint_id, actor, what="complaint")
        aftercare.handle_complaint(
            session, complaint=found, cause=cause, handling=handling, basis=basis, actor=actor
        )
        out.print(f"complaint {complaint_id} resolved")


@app.command("review-tag")
@cli_errors
def review_tag(
    review_id: Annotated[int, typer.Argument(help="The review's id.")],
    cause: Annotated[
        list[str], typer.Option("--cause", help="quality, size_fit, damaged, …; repeat.")
    ],
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """8.3.5 Tag a review's causes; a recurring cause opens an improvement task on the product."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        found = get_scoped(session, Review, review_id, actor, what="review")
        tasks = aftercare.tag_review(session, review=found, causes=cause, actor=actor)
        for t in tasks:
            out.print(
                f"improvement task {t.id}: {t.cause.value} on listing {t.listing_id} ({t.review_count} reviews)"
            )
        if not tasks:
            out.print(f"review {review_id} tagged")


@app.command("task-close")
@cli_errors
def task_close(
    task_id: Annotated[int, typer.Argument(help="The improvement task's id.")],
    action: Annotated[str, typer.Option(help="What was changed on the product.")],
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """8.3.5 Close an improvement task (the loop)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        found = get_scoped(session, ImprovementTask, task_id, actor, what="improvement task")
        aftercare.close_improvement_task(session, task=found, action=action, actor=actor)
        out.print(f"improvement task {task_id} done")


@app.command("quote")
@cli_errors
def quote(
    store: Annotated[int, typer.Option("--store", "-s", help="Store id (B2B).")],
    buyer: Annotated[int, typer.Option(help="Buyer id.")],
    product: Annotated[str, typer.Option(help="Product name on the quotation.")],
    purchase_cost: Annotated[
        str, typer.Option(help="Purchase cost per unit, VAT included (base currency).")
    ],
    fx_rate: Annotated[
        str, typer.Option(help="The day's rate: base units per one unit of --currency.")
    ],
    quantity: Annotated[
        list[int], typer.Option("--quantity", "-q", help="Quantity break; repeat.")
    ],
    currency: Annotated[str, typer.Option(help="The buyer's currency.")] = "USD",
    base_currency: Annotated[str, typer.Option(help="Currency of the costs.")] = "CNY",
    incoterm: Annotated[str, typer.Option(help="EXW, FOB, CFR, CIF or DDP.")] = "FOB",
    language: Annotated[
        str, typer.Option(help="The buyer's language: en, es, de, fr, pt, zh.")
    ] = "en",
    vat: Annotated[str, typer.Option(help="VAT rate as a fraction.")] = "0.13",
    rebate: Annotated[str, typer.Option(help="Export tax rebate rate as a fraction.")] = "0.13",
    packing: Annotated[str, typer.Option(help="Packing per unit.")] = "0",
    inland_freight: Annotated[str, typer.Option(help="Inland freight per shipment.")] = "0",
    port_charges: Annotated[str, typer.Option(help="Port charges per shipment.")] = "0",
    freight: Annotated[str, typer.Option(help="Ocean or air freight per shipment.")] = "0",
    insurance_rate: Annotated[str, typer.Option(help="Insurance rate on 110 % of CIF.")] = "0",
    commission: Annotated[str, typer.Option(help="Commission as a share of the price.")] = "0",
    margin: Annotated[str, typer.Option(help="Target margin as a share of the price.")] = "0.10",
    duty: Annotated[str, typer.Option(help="Destination import duty rate (DDP).")] = "0",
    import_vat: Annotated[str, typer.Option(help="Destination import VAT rate (DDP).")] = "0",
    delivery: Annotated[str, typer.Option(help="Destination delivery per shipment (DDP).")] = "0",
    pdf: Annotated[
        str | None, typer.Option(help="Also write the quotation PDF to this file.")
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """8.1.5 Cost a product for export and record a quote: EXW/FOB/CFR/CIF/DDP per quantity break."""
    from decimal import Decimal, InvalidOperation
    from pathlib import Path

    from storeops.errors import InvalidInput
    from storeops.orders import deals

    def dec(value: str, field: str) -> Decimal:
        try:
            return Decimal(value)
        except InvalidOperation:
            raise InvalidInput(f"{value!r} is not a number", field=field) from None

    with unit_of_work() as session:
        actor = company_actor(session, company)
        shop = get_store(session, store_id=store, actor=actor)
        inputs = deals.cost_inputs_from_major(
            base_currency=base_currency, quote_currency=currency, fx_rate=dec(fx_rate, "fx_rate"),
            purchase_cost=dec(purchase_cost, "purchase_cost"), quantities=quantity,
            vat_rate=dec(vat, "vat"), rebate_rate=dec(rebate, "rebate"),
            packing_per_unit=dec(packing, "packing"),
            inland_freight_per_shipment=dec(inland_freight, "inland_freight"),
            port_charges_per_shipment=dec(port_charges, "port_charges"),
            freight_per_shipment=dec(freight, "freight"),
            insurance_rate=dec(insurance_rate, "insurance_rate"),
            commission_rate=dec(commission, "commission"), target_margin=dec(margin, "margin"),
            duty_rate=dec(duty, "duty"), import_vat_rate=dec(import_vat, "import_vat"),
            delivery_per_shipment=dec(delivery, "delivery"),
        )  # fmt: skip
        made = deals.quote_export(
            session, store=shop, buyer_id=buyer, actor=actor, product_name=product,
            inputs=inputs, incoterm=incoterm, language=language,
        )  # fmt: skip
        costing = deals.quote_costing(session, quote=made, actor=actor)
        rows = [
            {
                "quantity": p["quantity"],
                **{t: str(Money(a, made.currency).decimal) for t, a in p["unit"].items()},
            }
            for p in costing.prices
        ]
        if pdf:
            Path(pdf).write_bytes(deals.quotation_pdf(session, quote=made, actor=actor))
        quote_id = made.id
    emit(
        rows,
        ["quantity", "EXW", "FOB", "CFR", "CIF", "DDP"],
        fmt,
        title=f"quote {quote_id} ({currency} per unit)",
    )
