"""``/orders``: 8.3 B2C orders: timeline, refunds, disputes, after-sales, complaints, review loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request, Response
from nicegui import run, ui
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.crm.models import Complaint, ImprovementTask, Review
from storeops.errors import DomainError
from storeops.orders import aftercare, service
from storeops.stores.service import get_store
from storeops.types import Money, utcnow
from storeops.web.access import declare_page
from storeops.web.auth_routes import SESSION_COOKIE
from storeops.web.context import ConsoleContext
from storeops.web.layout import frame, heading, kpi, open_console
from storeops.web.pages.crm import as_actor, local
from storeops.web.state import runtime

Work = Callable[[Session, Actor], Any]


def _load(store_id: int) -> Work:
    def work(session: Session, actor: Actor) -> dict[str, Any]:
        store = get_store(session, store_id=store_id, actor=actor)
        tz, now = store.timezone, utcnow()
        cases = service.list_after_sales(session, store=store, actor=actor, open_only=True)
        complaints = aftercare.list_complaints(session, store=store, actor=actor, open_only=True)
        reviews = aftercare.list_reviews(session, store=store, actor=actor, max_rating=2, limit=50)
        tasks = aftercare.list_improvement_tasks(session, store=store, actor=actor)
        return {
            "store": store.name,
            "disputes": service.dispute_summary(session, store=store, actor=actor),
            "orders": [
                {
                    "id": o.id,
                    "external_id": o.external_id,
                    "status": o.status.value,
                    "country": o.country,
                    "total": str(Money(o.total_amount, o.currency)),
                    "placed": local(o.placed_at, tz),
                }
                for o in service.list_orders(session, store=store, actor=actor, limit=30)
            ],
            "cases": [
                {
                    "id": c.id,
                    "order_id": c.order_id,
                    "kind": c.kind.value,
                    "status": c.status.value,
                    "respond_by": local(c.respond_by, tz),
                    "resolve_by": local(c.resolve_by, tz),
                    "late": "!" if service.after_sales_overdue(c, now) else "",
                }
                for c in cases
            ],
            "complaints": [
                {
                    "id": c.id,
                    "order_id": c.order_id,
                    "reason": c.reason,
                    "opened": local(c.opened_at, tz),
                }
                for c in complaints[:100]
            ],
            "complaint_count": len(complaints),
            "reviews": [
                {
                    "id": r.id,
                    "order_id": r.order_id,
                    "listing_id": r.listing_id,
                    "rating": r.rating,
                    "text": r.text,
                    "created": local(r.created_at, tz),
                }
                for r in reviews
            ],
            "tasks": [
                {
                    "id": t.id,
                    "listing_id": t.listing_id,
                    "cause": t.cause.value,
                    "reviews": t.review_count,
                    "status": t.status.value,
                    "action": t.action,
                }
                for t in tasks
            ],
        }

    return work


def _timeline(order_id: int) -> Work:
    def work(session: Session, actor: Actor) -> list[dict[str, str]]:
        order = service.get_order(session, order_id=order_id, actor=actor)
        tz = get_store(session, store_id=order.store_id, actor=actor).timezone
        return [
            {"at": local(e.at, tz), "kind": e.kind, "detail": e.detail}
            for e in service.order_timeline(session, order=order, actor=actor)
        ]

    return work


def _refund(order_id: int, amount: str, reason: str) -> Work:
    def work(session: Session, actor: Actor) -> str:
        order = service.get_order(session, order_id=order_id, actor=actor)
        made = service.request_refund(
            session,
            order=order,
            amount=Money.parse(amount, order.currency),
            reason=reason,
            actor=actor,
        )
        return str(Money(made.amount, made.currency))

    return work


def _handle(complaint_id: int, cause: str, handling: str, basis: str) -> Work:
    def work(session: Session, actor: Actor) -> None:
        found = get_scoped(session, Complaint, complaint_id, actor, what="complaint")
        aftercare.handle_complaint(
            session, complaint=found, cause=cause, handling=handling, basis=basis, actor=actor
        )

    return work


def _tag(review_id: int, causes: list[str]) -> Work:
    def work(session: Session, actor: Actor) -> int:
        found = get_scoped(session, Review, review_id, actor, what="review")
        return len(aftercare.tag_review(session, review=found, causes=causes, actor=actor))

    return work


def _close(task_id: int, action: str) -> Work:
    def work(session: Session, actor: Actor) -> None:
        found = get_scoped(session, ImprovementTask, task_id, actor, what="improvement task")
        aftercare.close_improvement_task(session, task=found, action=action, actor=actor)

    return work


def _grid(rows: list[dict[str, Any]], columns: list[tuple[str, str]], empty: str) -> ui.table:
    table = ui.table(
        columns=[
            {"name": k, "label": label, "field": k, "align": "left", "style": "white-space: normal"}
            for k, label in columns
        ],
        rows=rows,
        row_key="id" if rows and "id" in rows[0] else columns[0][0],
        pagination={"rowsPerPage": 10},
    )
    table.classes("so-table w-full").props("dense flat")
    table.props["no-data-label"] = empty
    return table


def _page(ctx: ConsoleContext, raw: str | None, data: dict[str, Any]) -> None:
    _ = ctx.translate

    async def act(work: Work, done: str) -> Any:
        try:
            result = await run.io_bound(as_actor, runtime().engine, raw, work)
        except DomainError as exc:
            ui.notify(exc.message, type="negative", multi_line=True)
            return None
        ui.notify(done, type="positive")
        return result

    disputes = data["disputes"]
    heading(
        _("Orders and after-sales · {store}").format(store=data["store"]),
        _("8.3.1–8.3.5 and 6.1.7"),
    )
    with ui.element("div").classes("grid grid-cols-2 lg:grid-cols-4 gap-4 w-full"):
        kpi(len(data["cases"]), _("Open after-sales cases"), icon="assignment_return")
        kpi(data["complaint_count"], _("Open complaints"), icon="report")
        kpi(disputes.total, _("Disputes (all)"), icon="gavel")
        rate = disputes.seller_responsible_rate
        kpi(
            "—" if rate is None else f"{rate:.0%}",
            _("Decided disputes lost by the seller"),
            icon="balance",
        )

    with ui.card().classes("so-card w-full p-4").props("flat"):
        ui.label(_("Order timeline and refund (8.3.2, 8.3.3)")).classes("text-sm font-semibold")
        with ui.row().classes("items-end gap-3"):
            number = ui.number(_("Order no."), format="%d").classes("w-32")
            amount = ui.input(_("Refund amount")).classes("w-32")
            reason = ui.input(_("Refund reason")).classes("w-48")
        timeline_box = ui.column().classes("w-full")

        async def show() -> None:
            if number.value is None:
                return
            rows = await act(_timeline(int(number.value)), _("Timeline loaded."))
            timeline_box.clear()
            if rows is not None:
                with timeline_box:
                    _grid(
                        rows,
                        [
                            ("at", _("When (store time)")),
                            ("kind", _("Timeline event")),
                            ("detail", _("Event detail")),
                        ],
                        "—",
                    )

        async def refund() -> None:
            if number.value is None:
                return
            made = await act(
                _refund(int(number.value), amount.value or "", reason.value or ""),
                _("Refund requested."),
            )
            if made is not None:
                await show()

        with ui.row().classes("gap-2"):
            ui.button(_("Show timeline"), icon="timeline", on_click=show).props("outline no-caps")
            ui.button(_("Request refund"), icon="undo", on_click=refund).props("unelevated no-caps")

    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Latest orders")).classes("text-sm font-semibold px-4 pt-3")
        _grid(
            data["orders"],
            [("id", _("Order no.")), ("external_id", _("Platform order")), ("status", _("Order status")),
             ("country", _("Buyer country")), ("total", _("Order total")), ("placed", _("Placed (store time)"))],
            _("No orders yet."),
        )  # fmt: skip

    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Open after-sales cases (8.3.3)")).classes("text-sm font-semibold px-4 pt-3")
        _grid(
            data["cases"],
            [("id", _("Case no.")), ("order_id", _("Order no.")), ("kind", _("Case kind")), ("status", _("Case status")),
             ("respond_by", _("Answer by")), ("resolve_by", _("Resolve by")), ("late", _("Past deadline"))],
            _("No open after-sales cases."),
        )  # fmt: skip

    with ui.card().classes("so-card w-full p-4").props("flat"):
        ui.label(_("Open complaints (8.3.4)")).classes("text-sm font-semibold")
        _grid(
            data["complaints"],
            [("id", _("Complaint no.")), ("order_id", _("Order no.")), ("reason", _("Complaint reason")),
             ("opened", _("Opened (store time)"))],
            _("No open complaints."),
        )  # fmt: skip
        with ui.row().classes("items-end gap-3 w-full"):
            complaint = ui.number(_("Complaint no."), format="%d").classes("w-28")
            cause = ui.input(_("Cause found")).classes("grow")
            handling = ui.input(_("Handling")).classes("grow")
            basis = ui.input(_("Legal or platform basis")).classes("grow")

            async def handle() -> None:
                if complaint.value is None:
                    return
                await act(
                    _handle(
                        int(complaint.value),
                        cause.value or "",
                        handling.value or "",
                        basis.value or "",
                    ),
                    _("Complaint resolved."),
                )

            ui.button(_("Resolve complaint"), icon="task_alt", on_click=handle).props(
                "unelevated no-caps"
            )

    with ui.card().classes("so-card w-full p-4").props("flat"):
        ui.label(_("Low-rated reviews: tag causes (8.3.5)")).classes("text-sm font-semibold")
        _grid(
            data["reviews"],
            [("id", _("Review no.")), ("listing_id", _("Listing no.")), ("rating", _("Stars")), ("text", _("Review text")),
             ("created", _("Written (store time)"))],
            _("No reviews rated 2 or lower."),
        )  # fmt: skip
        with ui.row().classes("items-end gap-3"):
            review = ui.number(_("Review no."), format="%d").classes("w-28")
            causes = ui.select(
                ["quality", "not_as_described", "size_fit", "damaged", "packaging", "late_delivery",
                 "service", "price", "other"],
                multiple=True, label=_("Causes"),
            ).classes("w-72")  # fmt: skip

            async def tag() -> None:
                if review.value is None or not causes.value:
                    return
                opened = await act(_tag(int(review.value), list(causes.value)), _("Review tagged."))
                if opened:
                    ui.notify(_("A recurring cause is now an improvement task."), type="warning")

            ui.button(_("Tag review"), icon="sell", on_click=tag).props("unelevated no-caps")

    with ui.card().classes("so-card w-full p-4").props("flat"):
        ui.label(_("Improvement tasks from recurring causes (8.3.5)")).classes(
            "text-sm font-semibold"
        )
        _grid(
            data["tasks"],
            [("id", _("Task no.")), ("listing_id", _("Listing no.")), ("cause", _("Review cause")), ("reviews", _("Tagged reviews")),
             ("status", _("Task status")), ("action", _("Action taken"))],
            _("No improvement tasks."),
        )  # fmt: skip
        with ui.row().classes("items-end gap-3 w-full"):
            task = ui.number(_("Task no."), format="%d").classes("w-28")
            action = ui.input(_("Action taken")).classes("grow")

            async def close() -> None:
                if task.value is None:
                    return
                await act(_close(int(task.value), action.value or ""), _("Task closed."))

            ui.button(_("Close task"), icon="done_all", on_click=close).props("unelevated no-caps")


def register() -> None:
    """Add the orders page."""

    declare_page("/orders", Permission.ORDERS_READ)

    @ui.page("/orders")
    async def orders_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        raw = request.cookies.get(SESSION_COOKIE)
        with frame(request, ctx, active="orders", title=_("Orders")):
            store = ctx.store or (ctx.stores[0] if ctx.stores else None)
            if store is None:
                heading(_("Orders"), _("You do not work on any store of this company yet."))
                return None
            try:
                data = await run.io_bound(as_actor, runtime().engine, raw, _load(store.id))
            except DomainError as exc:
                heading(_("Orders"), exc.message)
                return None
            if data is None:
                return Response(status_code=503)
            _page(ctx, raw, data)
        return None
