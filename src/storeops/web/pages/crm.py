"""``/crm/inquiries``: 7.1.1 the inquiry queue with deadlines, replies and reply templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Request, Response
from nicegui import run, ui
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.auth.service import resolve_session, session_actor
from storeops.crm import service
from storeops.db import session_scope
from storeops.errors import DomainError, NotAuthenticated
from storeops.stores.service import get_store
from storeops.types import utcnow
from storeops.web.access import declare_page
from storeops.web.auth_routes import SESSION_COOKIE
from storeops.web.context import ConsoleContext
from storeops.web.layout import frame, heading, kpi, open_console
from storeops.web.state import runtime

T = TypeVar("T")


def as_actor(engine: Engine, raw: str | None, work: Callable[[Session, Actor], T]) -> T:
    """Run ``work`` in one unit of work as the actor of the console session behind ``raw``."""
    with session_scope(engine) as session:
        actor = session_actor(session, resolve_session(session, raw))
        if actor is None:
            raise NotAuthenticated("please sign in")
        return work(session, actor)


def local(moment: dt.datetime | None, timezone: str) -> str:
    """A UTC instant in the store's local time, to the minute."""
    if moment is None:
        return "—"
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def _load(store_id: int) -> Callable[[Session, Actor], dict[str, Any]]:
    def work(session: Session, actor: Actor) -> dict[str, Any]:
        store = get_store(session, store_id=store_id, actor=actor)
        now = utcnow()
        tz = store.timezone

        def row(s: Any) -> dict[str, Any]:
            return {
                "id": s.id,
                "status": s.status.value,
                "language": s.language,
                "subject": s.subject,
                "received": local(s.received_at, tz),
                "due": local(s.due_at, tz),
                "replied": local(s.first_reply_at, tz),
                "working": "—"
                if s.reply_working_minutes is None
                else f"{s.reply_working_minutes:.0f}",
                "late": f"{s.overdue_minutes / 60:.1f}" if s.overdue else "",
            }

        queue = service.overdue_queue(session, store=store, actor=actor, now=now)
        recent = service.list_inquiries(session, store=store, actor=actor, now=now, limit=50)
        report = service.inquiry_report(
            session, store=store, actor=actor, since=now - dt.timedelta(days=30), until=now
        )
        return {
            "store": store.name,
            "timezone": tz,
            "policy": service.reply_policy(session, store=store, actor=actor),
            "queue": [row(s) for s in queue[:200]],
            "queue_count": len(queue),
            "recent": [row(s) for s in recent],
            "report": report,
            "templates": [
                {"id": t.id, "name": t.name, "language": t.language, "body": t.body}
                for t in service.list_reply_templates(session, store=store, actor=actor)
            ],
        }

    return work


def _reply(
    inquiry_id: int, text: str, template: str | None, escalate: bool
) -> Callable[[Session, Actor], str]:
    def work(session: Session, actor: Actor) -> str:
        inquiry = service.get_inquiry(session, inquiry_id=inquiry_id, actor=actor)
        sent = service.reply_inquiry(
            session, inquiry=inquiry, actor=actor, body=text, template=template, escalate=escalate
        )
        return sent.language

    return work


def _table(ctx: ConsoleContext, rows: list[dict[str, Any]], empty: str) -> None:
    _ = ctx.translate
    columns = [
        {"name": "id", "label": _("Inquiry no."), "field": "id", "align": "left"},
        {"name": "status", "label": _("Status"), "field": "status", "align": "left"},
        {"name": "language", "label": _("Language"), "field": "language", "align": "left"},
        {"name": "subject", "label": _("Inquiry subject"), "field": "subject", "align": "left",
         "style": "white-space: normal"},
        {"name": "received", "label": _("Received (store time)"), "field": "received", "align": "left"},
        {"name": "due", "label": _("Reply due"), "field": "due", "align": "left"},
        {"name": "replied", "label": _("First reply"), "field": "replied", "align": "left"},
        {"name": "working", "label": _("Working minutes to reply"), "field": "working", "align": "right"},
        {"name": "late", "label": _("Hours late"), "field": "late", "align": "right"},
    ]  # fmt: skip
    table = ui.table(columns=columns, rows=rows, row_key="id", pagination={"rowsPerPage": 15})
    table.classes("so-table w-full").props("dense flat")
    table.props["no-data-label"] = empty


def _page(ctx: ConsoleContext, raw: str | None, data: dict[str, Any]) -> None:
    _ = ctx.translate
    policy = data["policy"]
    report = data["report"]
    heading(
        _("Inquiries · {store}").format(store=data["store"]),
        _(
            "7.1.1 Reply deadline: {deadline} h on the platform's clock, or {working} minutes of "
            "the store's service hours, whichever comes first (times in {timezone})."
        ).format(
            deadline=f"{policy.platform_deadline_minutes / 60:g}",
            working=policy.working_target_minutes or "—",
            timezone=data["timezone"],
        ),
    )
    with ui.element("div").classes("grid grid-cols-2 lg:grid-cols-4 gap-4 w-full"):
        kpi(data["queue_count"], _("Overdue, unanswered"), icon="alarm")
        kpi(report.inquiries, _("Inquiries in the last 30 days"), icon="forum")
        rate = "—" if report.on_time_rate is None else f"{report.on_time_rate:.0%}"
        kpi(rate, _("Answered on time"), icon="schedule")
        median = report.median_reply_working_minutes
        kpi(
            "—" if median is None else f"{median:.0f}",
            _("Median working minutes to reply"),
            icon="timer",
        )
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Overdue queue")).classes("text-sm font-semibold px-4 pt-3")
        _table(ctx, data["queue"], _("No inquiry is overdue."))
    with ui.card().classes("so-card w-full p-4").props("flat"):
        ui.label(_("Reply to an inquiry")).classes("text-sm font-semibold")
        with ui.row().classes("items-end gap-3 w-full"):
            number = ui.number(_("Inquiry no."), format="%d").classes("w-32")
            names = sorted({t["name"] for t in data["templates"]})
            template = ui.select(
                {"": _("No template"), **{n: n for n in names}}, value="", label=_("Reply template")
            ).classes("w-48")
            text = ui.textarea(_("Reply text")).classes("grow")
            escalate = ui.checkbox(_("Escalate (8.3.1)"))

            async def send() -> None:
                if number.value is None:
                    ui.notify(_("Enter the inquiry number."), type="warning")
                    return
                try:
                    language = await run.io_bound(
                        as_actor,
                        runtime().engine,
                        raw,
                        _reply(
                            int(number.value),
                            text.value or "",
                            template.value or None,
                            escalate.value,
                        ),
                    )
                except DomainError as exc:
                    ui.notify(exc.message, type="negative")
                    return
                ui.notify(
                    _("Reply recorded ({language}).").format(language=language), type="positive"
                )
                ui.navigate.reload()

            ui.button(_("Send reply"), icon="send", on_click=send).props("unelevated no-caps")
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Latest inquiries")).classes("text-sm font-semibold px-4 pt-3")
        _table(ctx, data["recent"], _("No inquiries yet."))
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Reply templates")).classes("text-sm font-semibold px-4 pt-3")
        columns = [
            {"name": "name", "label": _("Template name"), "field": "name", "align": "left"},
            {"name": "language", "label": _("Language"), "field": "language", "align": "left"},
            {"name": "body", "label": _("Reply text"), "field": "body", "align": "left",
             "style": "white-space: normal"},
        ]  # fmt: skip
        table = ui.table(columns=columns, rows=data["templates"], row_key="id")
        table.classes("so-table w-full").props("dense flat")
        table.props["no-data-label"] = _(
            "No templates yet: add them with `storeops crm template-add` or the API."
        )


def register() -> None:
    """Add the inquiries page."""

    declare_page("/crm/inquiries", Permission.CRM_READ)

    @ui.page("/crm/inquiries")
    async def inquiries_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        raw = request.cookies.get(SESSION_COOKIE)
        with frame(request, ctx, active="crm", title=_("Inquiries")):
            store = ctx.store or (ctx.stores[0] if ctx.stores else None)
            if store is None:
                heading(_("Inquiries"), _("You do not work on any store of this company yet."))
                return None
            try:
                data = await run.io_bound(as_actor, runtime().engine, raw, _load(store.id))
            except DomainError as exc:
                heading(_("Inquiries"), exc.message)
                return None
            if data is None:  # the server is shutting down
                return Response(status_code=503)
            _page(ctx, raw, data)
        return None


def _load_buyers(store_id: int) -> Callable[[Session, Actor], dict[str, Any]]:
    def work(session: Session, actor: Actor) -> dict[str, Any]:
        from storeops.crm import pii

        store = get_store(session, store_id=store_id, actor=actor)
        views = pii.list_buyer_contacts(session, store=store, actor=actor, limit=300)
        mails: list[dict[str, Any]] = []
        if actor.can("marketing.read"):
            from storeops.crm import campaigns

            for c in campaigns.list_campaigns(session, store=store, actor=actor)[:20]:
                stats = campaigns.campaign_stats(session, campaign=c, actor=actor)
                mails.append(
                    {
                        "id": c.id, "name": c.name, "status": c.status,
                        "sent": local(c.sent_at, store.timezone), "recipients": stats.recipients,
                        "bounced": stats.bounced, "opened": stats.opened, "clicked": stats.clicked,
                        "unsubscribed": stats.unsubscribed,
                    }
                )  # fmt: skip
        return {
            "campaigns": mails,
            "store": store.name,
            "retention": pii.retention_days(session, store.id),
            "masked": not actor.can("pii.read"),
            "rows": [
                {
                    "buyer_id": v.buyer_id,
                    "handle": v.handle,
                    "country": v.country,
                    "postcode": v.postcode_prefix,
                    "name": v.name or "—",
                    "email": v.email or "—",
                    "phone": v.phone or "—",
                    "erased": "✓" if v.erased else "",
                }
                for v in views
            ],
        }

    return work


def register_buyers() -> None:
    """Add the buyers page (personal data masked without ``pii.read``)."""

    declare_page("/crm/buyers", Permission.CRM_READ)

    @ui.page("/crm/buyers")
    async def buyers_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        raw = request.cookies.get(SESSION_COOKIE)
        with frame(request, ctx, active="buyers", title=_("Buyers")):
            store = ctx.store or (ctx.stores[0] if ctx.stores else None)
            if store is None:
                heading(_("Buyers"), _("You do not work on any store of this company yet."))
                return None
            try:
                data = await run.io_bound(as_actor, runtime().engine, raw, _load_buyers(store.id))
            except DomainError as exc:
                heading(_("Buyers"), exc.message)
                return None
            if data is None:
                return Response(status_code=503)
            heading(
                _("Buyers · {store}").format(store=data["store"]),
                _(
                    "Personal data is encrypted at rest and erased {days} days after the buyer's "
                    "last delivery; order figures, country and postcode prefix stay."
                ).format(days=data["retention"]),
            )
            if data["masked"]:
                ui.label(_("Your role does not read personal data: it is masked.")).classes(
                    "text-xs text-amber-800"
                )
            columns = [
                {"name": k, "label": label, "field": k, "align": "left"}
                for k, label in (
                    ("buyer_id", _("Buyer no.")), ("handle", _("Buyer handle")),
                    ("country", _("Buyer country")), ("postcode", _("Postcode prefix")),
                    ("name", _("Buyer name")), ("email", _("Buyer e-mail")),
                    ("phone", _("Buyer phone")), ("erased", _("Personal data erased")),
                )
            ]  # fmt: skip
            table = ui.table(columns=columns, rows=data["rows"], row_key="buyer_id")
            table.classes("so-table w-full").props("dense flat")
            table.props["no-data-label"] = _("No buyers yet.")
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(_("E-mail campaigns (7.1.3)")).classes("text-sm font-semibold px-4 pt-3")
                columns = [
                    {"name": k, "label": label, "field": k, "align": "left"}
                    for k, label in (
                        ("name", _("Campaign")), ("status", _("Campaign status")),
                        ("sent", _("Sent (store time)")), ("recipients", _("Recipients")),
                        ("bounced", _("Bounced")), ("opened", _("Opened")),
                        ("clicked", _("Clicked")), ("unsubscribed", _("Unsubscribed")),
                    )
                ]  # fmt: skip
                table = ui.table(columns=columns, rows=data["campaigns"], row_key="id")
                table.classes("so-table w-full").props("dense flat")
                table.props["no-data-label"] = _(
                    "No campaigns yet: create and send them with the API or `storeops crm campaign-send`."
                )
        return None


_overdue_label, _escalated_label = "overdue", "escalated"


def _load_service(store_id: int) -> Callable[[Session, Actor], dict[str, Any]]:
    def work(session: Session, actor: Actor) -> dict[str, Any]:
        from storeops.crm import pipeline, service_desk

        store = get_store(session, store_id=store_id, actor=actor)
        now = utcnow()
        quality = (
            service_desk.quality_report(
                session, actor=actor, since=now - dt.timedelta(days=30), until=now
            )
            if actor.can("staff.read")
            else []
        )
        start = (now - dt.timedelta(days=90)).date()
        return {
            "store": store.name,
            "inbox": [
                {
                    "id": i.id,
                    "channel": i.channel,
                    "subject": i.subject,
                    "waiting": local(i.waiting_since, store.timezone),
                    "last": local(i.last_message_at, store.timezone),
                }
                for i in service_desk.inbox(session, actor=actor, limit=100)
            ],
            "quality": [
                {
                    "agent": q.agent_user_id or "—",
                    "reviews": q.reviews,
                    "politeness": q.politeness,
                    "accuracy": q.accuracy,
                    "timeliness": q.timeliness,
                    "score": q.score,
                }
                for q in quality
            ],
            "pipeline": pipeline.pipeline(session, store=store, actor=actor, today=now.date()),
            "conversion": [
                {
                    "source": c.source,
                    "prospects": c.prospects,
                    "won": c.won,
                    "rate": "—" if c.conversion_rate is None else f"{c.conversion_rate:.0%}",
                    "cost": str(c.cost) if c.cost else "—",
                    "per_customer": str(c.cost_per_customer) if c.cost_per_customer else "—",
                }
                for c in pipeline.conversion_by_channel(
                    session, store=store, actor=actor, start=start, end=now.date()
                )
            ],
        }

    return work


def _simple_table(rows: list[dict[str, Any]], columns: list[tuple[str, str]], empty: str) -> None:
    table = ui.table(
        columns=[{"name": k, "label": label, "field": k, "align": "left"} for k, label in columns],
        rows=rows,
        row_key=columns[0][0],
        pagination={"rowsPerPage": 10},
    )
    table.classes("so-table w-full").props("dense flat")
    table.props["no-data-label"] = empty


def register_service() -> None:
    """Add the customer-service page: one inbox (7.3.1), quality review (7.3.3), leads (7.2)."""

    declare_page("/crm/service", Permission.CRM_READ)

    @ui.page("/crm/service")
    async def service_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        raw = request.cookies.get(SESSION_COOKIE)
        with frame(request, ctx, active="service", title=_("Service and leads")):
            store = ctx.store or (ctx.stores[0] if ctx.stores else None)
            if store is None:
                heading(
                    _("Service and leads"), _("You do not work on any store of this company yet.")
                )
                return None
            data = await run.io_bound(as_actor, runtime().engine, raw, _load_service(store.id))
            if data is None:
                return Response(status_code=503)
            heading(
                _("Service and leads · {store}").format(store=data["store"]),
                _("7.3.1 one inbox over every channel, 7.3.3 service-quality review, 7.2 leads."),
            )
            flag_names = {
                _overdue_label: _("Past the reply deadline"),
                _escalated_label: _("Escalated (8.3.1)"),
            }
            for row in data["inbox"]:
                row["flags"] = " · ".join(flag_names[f] for f in row["flags"].split())
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(_("Inbox: buyers waiting longest first (7.3.1)")).classes(
                    "text-sm font-semibold px-4 pt-3"
                )
                _simple_table(
                    data["inbox"],
                    [("id", _("Conversation no.")), ("channel", _("Channel")), ("subject", _("Inquiry subject")),
                     ("waiting", _("Waiting since (store time)")), ("due", _("Reply due")),
                     ("flags", _("Flags")), ("last", _("Last message (store time)"))],
                    _("No open conversations."),
                )  # fmt: skip
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(_("Service quality in the last 30 days (7.3.3)")).classes(
                    "text-sm font-semibold px-4 pt-3"
                )
                _simple_table(
                    data["quality"],
                    [("agent", _("Agent (user no.)")), ("reviews", _("Reviewed conversations")),
                     ("politeness", _("Politeness")), ("accuracy", _("Accuracy")),
                     ("timeliness", _("Timeliness")), ("score", _("Score (0-100)"))],
                    _("No reviews yet (reviews need the staff.manage permission)."),
                )  # fmt: skip
            with ui.card().classes("so-card w-full p-4").props("flat"):
                ui.label(_("Lead pipeline (7.2.2)")).classes("text-sm font-semibold")
                stages = data["pipeline"]["by_stage"]
                ui.label(" · ".join(f"{k}: {v}" for k, v in stages.items())).classes("text-xs")
                _simple_table(
                    [{"id": i, "company": c, "action": a, "due": d} for i, c, a, d in data["pipeline"]["actions_due"]],
                    [("id", _("Prospect no.")), ("company", _("Company")), ("action", _("Next action")), ("due", _("Due on"))],
                    _("No next actions due."),
                )  # fmt: skip
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(
                    _("Conversion and acquisition cost per channel, last 90 days (7.2.3)")
                ).classes("text-sm font-semibold px-4 pt-3")
                _simple_table(
                    data["conversion"],
                    [("source", _("Channel")), ("prospects", _("Prospects")), ("won", _("Won")),
                     ("rate", _("Conversion rate")), ("cost", _("Channel cost")),
                     ("per_customer", _("Cost per customer won"))],
                    "—",
                )  # fmt: skip
        return None
