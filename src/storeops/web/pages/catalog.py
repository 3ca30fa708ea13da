"""``/catalog/…``: listing quality (3.3.2), zero-effect listings with bulk actions (3.2.6) and
certificates per target market (3.1.3)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from fastapi import Request, Response
from nicegui import run, ui

from storeops.auth.enums import Permission
from storeops.catalog import (
    certificates,
    competitors,
    diagnosis,
    groups,
    launch_plan,
    quality,
    showcase,
    sourcing,
    zero_effect,
)
from storeops.errors import DomainError, NotAuthenticated
from storeops.web.access import declare_page
from storeops.web.actor_work import with_actor
from storeops.web.auth_routes import LOGIN_PATH, SESSION_COOKIE
from storeops.web.context import ConsoleContext, StoreRow
from storeops.web.labels import N_, Translate, label
from storeops.web.layout import frame, heading, kpi, open_console
from storeops.web.state import runtime

RULE_LABELS: Final[dict[str, str]] = {
    "required_fields": N_("Required fields"),
    "title_length": N_("Title length"),
    "banned_words": N_("Banned words"),
    "image_count": N_("Image count"),
    "image_size": N_("Image size"),
    "bullet_count": N_("Bullet points"),
    "description_length": N_("Description length"),
    "attributes": N_("Attributes"),
}
CERT_STATES: Final[dict[str, str]] = {
    "valid": N_("Valid"),
    "expiring": N_("Expiring"),
    "expired": N_("Expired"),
    "missing": N_("Missing"),
}
ACTION_LABELS: Final[dict[str, str]] = {
    "hide": N_("Hide"),
    "delete": N_("Delete"),
    "optimise": N_("Optimise"),
}
GOOD_SCORE: Final = 80
# These pages compute their reports while building (quality scores over every listing, traffic
# sums): NiceGUI's default of 3 s is too short on a busy machine or a big catalog.
PAGE_TIMEOUT_S: Final = 60.0


def _table(
    columns: list[dict[str, Any]], rows: list[dict[str, Any]], *, key: str, **kw: Any
) -> ui.table:
    table = ui.table(columns=columns, rows=rows, row_key=key, pagination={"rowsPerPage": 50}, **kw)
    table.classes("so-table w-full").props("dense flat")
    return table


def _col(name: str, text: str, *, align: str = "left", sortable: bool = True) -> dict[str, Any]:
    return {"name": name, "label": text, "field": name, "align": align, "sortable": sortable}


def _store_names(ctx: ConsoleContext) -> dict[int, str]:
    return {s.id: s.name for s in ctx.stores}


def _parse_day(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _fail(_: Translate, exc: DomainError) -> None:
    ui.notify(_("Not done: {reason}").format(reason=exc.message), type="negative")


# --- 3.3.2 listing quality --------------------------------------------------------------------


async def _quality(request: Request, ctx: ConsoleContext) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    results = await run.io_bound(
        with_actor,
        runtime().engine,
        raw,
        lambda s, a: quality.check_listing_quality(s, actor=a, store_id=ctx.store_id),
    )
    results = results or []
    heading(
        _("Listing quality check"),
        _(
            "3.3.2 · Each listing is scored 0-100 against its platform's rules (required fields, "
            "title length and banned words, images, bullet points, description, attributes)."
        ),
    )
    with ui.element("div").classes("grid grid-cols-2 lg:grid-cols-4 gap-4 w-full"):
        kpi(len(results), _("Listings checked"), icon="fact_check")
        average = round(sum(r.score for r in results) / len(results)) if results else "—"
        kpi(average, _("Average score"), icon="speed")
        kpi(sum(1 for r in results if r.score < GOOD_SCORE), _("Scoring under 80"), icon="warning")
        kpi(sum(len(r.fixes) for r in results), _("Fixes to make"), icon="build")
    stores = _store_names(ctx)
    rows = [
        {
            "id": r.listing_id,
            "listing": r.external_id,
            "title": r.title,
            "store": stores.get(r.store_id, str(r.store_id)),
            "score": r.score,
            "color": "positive"
            if r.score >= GOOD_SCORE
            else "warning"
            if r.score >= 50
            else "negative",
            "fixes": "; ".join(f"{label(RULE_LABELS, f.rule, _)}: {f.message}" for f in r.fixes),
            "sources": " · ".join(sorted({f.source for f in r.fixes})),
        }
        for r in results
    ]
    columns = [
        _col("listing", _("Listing")),
        _col("title", _("Title")),
        _col("store", _("Store")),
        _col("score", _("Score"), align="right"),
        _col("fixes", _("Fixes"), sortable=False),
    ]
    with ui.card().classes("so-card w-full p-0").props("flat"):
        search = (
            ui.input(placeholder=_("Filter")).props("dense clearable").classes("w-64 px-4 pt-2")
        )
        table = _table(columns, rows, key="id")
        table.props["no-data-label"] = _("No listings to check in the stores you work on.")
        search.bind_value(table, "filter")
        table.add_slot(
            "body-cell-score",
            '<q-td :props="props"><q-badge :color="props.row.color" :label="props.value" /></q-td>',
        )
        table.add_slot(
            "body-cell-fixes",
            '<q-td :props="props" style="white-space: normal"><div>{{ props.value }}</div>'
            '<div class="text-[11px] so-muted">{{ props.row.sources }}</div></q-td>',
        )
    ui.label(
        _(
            "Rule sources are the platforms' published guideline pages, cited by name and address; "
            "fix texts are shown in English."
        )
    ).classes("text-xs so-muted")


# --- 3.2.6 zero-effect listings -----------------------------------------------------------------


async def _zero_effect(
    request: Request, ctx: ConsoleContext, start: str | None, end: str | None
) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    today = dt.datetime.now(dt.UTC).date()
    date_to = _parse_day(end, today - dt.timedelta(days=1))
    date_from = _parse_day(start, date_to - dt.timedelta(days=29))
    heading(
        _("Zero-effect listings"),
        _(
            "3.2.6 · Active listings, live for the whole window, with no impression, click, inquiry "
            "or order. Days are each store's own calendar days."
        ),
    )
    with ui.row().classes("items-end gap-3"):
        from_input = ui.input(_("From"), value=date_from.isoformat()).props("dense type=date")
        to_input = ui.input(_("To"), value=date_to.isoformat()).props("dense type=date")
        ui.button(
            _("Show"),
            icon="search",
            on_click=lambda: ui.navigate.to(
                f"/catalog/zero-effect?start={from_input.value}&end={to_input.value}"
            ),
        ).props("unelevated dense no-caps color=primary")

    def find(s: Any, a: Any) -> Any:
        return (
            zero_effect.find_zero_effect_listings(
                s, actor=a, date_from=date_from, date_to=date_to, store_id=ctx.store_id
            ),
            a.can(Permission.CATALOG_MANAGE),
            [
                zero_effect.ListingActionRead.model_validate(r)
                for r in zero_effect.list_listing_actions(
                    s, actor=a, store_id=ctx.store_id, limit=50
                )
            ],
        )

    try:
        loaded = await run.io_bound(with_actor, runtime().engine, raw, find)
    except DomainError as exc:
        with ui.card().classes("so-card p-4").props("flat"):
            ui.label(exc.message).classes("text-negative")
        return
    found, may_act, history = loaded or ([], False, [])
    stores = _store_names(ctx)
    rows = [
        {
            "id": f.listing_id,
            "listing": f.external_id,
            "title": f.title,
            "store": stores.get(f.store_id, str(f.store_id)),
            "listed_on": f.listed_on.isoformat(),
        }
        for f in found
    ]
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(
            _("{count} zero-effect listings from {start} to {end}").format(
                count=len(rows), start=date_from.isoformat(), end=date_to.isoformat()
            )
        ).classes("text-sm font-semibold px-4 pt-3")
        columns = [
            _col("listing", _("Listing")),
            _col("title", _("Title")),
            _col("store", _("Store")),
            _col("listed_on", _("Listed on")),
        ]
        table = _table(columns, rows, key="id", selection="multiple" if may_act else None)
        table.props["no-data-label"] = _("No zero-effect listings in this window.")
        if may_act:
            with ui.row().classes("items-center gap-2 px-4 pb-3"):
                reason = ui.input(_("Reason")).props("dense").classes("w-80")

                async def apply(action: str) -> None:
                    chosen = [int(r["id"]) for r in table.selected]
                    if not chosen:
                        ui.notify(_("Select listings first."), type="warning")
                        return
                    text = reason.value or ""

                    def work(s: Any, a: Any) -> int:
                        return len(
                            zero_effect.act_on_listings(
                                s,
                                actor=a,
                                listing_ids=chosen,
                                action=action,
                                reason=text,
                                window_from=date_from,
                                window_to=date_to,
                            )
                        )

                    try:
                        done = await run.io_bound(with_actor, runtime().engine, raw, work)
                    except NotAuthenticated:
                        ui.navigate.to(LOGIN_PATH)
                        return
                    except DomainError as exc:
                        _fail(_, exc)
                        return
                    ui.notify(
                        _("{action}: {count} listings recorded").format(
                            action=label(ACTION_LABELS, action, _), count=done or 0
                        ),
                        type="positive",
                    )
                    ui.navigate.reload()

                for action in ("hide", "delete", "optimise"):
                    ui.button(
                        label(ACTION_LABELS, action, _),
                        on_click=lambda a=action: apply(a),
                    ).props("outline dense no-caps color=primary")
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Recorded actions")).classes("text-sm font-semibold px-4 pt-3")
        history_rows = [
            {
                "id": h.id,
                "at": h.at.strftime("%Y-%m-%d %H:%M UTC"),
                "listing": h.listing_id,
                "action": label(ACTION_LABELS, h.action, _),
                "who": h.actor_label,
                "reason": h.reason,
                "status": f"{h.status_before} → {h.status_after}",
            }
            for h in history
        ]
        columns = [
            _col("at", _("When")),
            _col("listing", _("Listing id")),
            _col("action", _("Action")),
            _col("who", _("By")),
            _col("reason", _("Reason")),
            _col("status", _("Status")),
        ]
        _table(columns, history_rows, key="id").props["no-data-label"] = _("No actions yet.")


# --- 3.1.3 certificates -------------------------------------------------------------------------


async def _certificates(request: Request, ctx: ConsoleContext, on_text: str | None) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    on = _parse_day(on_text, dt.datetime.now(dt.UTC).date())
    heading(
        _("Certificates per target market"),
        _(
            "3.1.3 · Expiry warnings (60 days ahead) and listings whose store's market requires a "
            "certificate the product does not hold on {day}."
        ).format(day=on.isoformat()),
    )

    def load(s: Any, a: Any) -> Any:
        return (
            certificates.list_certificates(s, actor=a, on=on, within_days=60, only_warnings=True),
            certificates.check_listing_certificates(s, actor=a, on=on, store_id=ctx.store_id),
        )

    loaded = await run.io_bound(with_actor, runtime().engine, raw, load)
    warnings, gaps = loaded or ([], [])
    with ui.element("div").classes("grid grid-cols-2 lg:grid-cols-4 gap-4 w-full"):
        kpi(
            sum(1 for c in warnings if c.state == "expired"),
            _("Expired certificates"),
            icon="event_busy",
        )
        kpi(
            sum(1 for c in warnings if c.state == "expiring"),
            _("Expiring within 60 days"),
            icon="schedule",
        )
        kpi(len({g.listing_id for g in gaps}), _("Listings lacking a certificate"), icon="gpp_bad")
        kpi(len(gaps), _("Certificate gaps"), icon="rule")
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Listings lacking a required certificate")).classes(
            "text-sm font-semibold px-4 pt-3"
        )
        rows = [
            {
                "id": f"{g.listing_id}-{g.market}-{g.kind}",
                "listing": g.external_id,
                "store": g.store_name,
                "product": g.product_code,
                "category": g.category,
                "need": f"{g.kind} ({g.market})",
                "problem": label(CERT_STATES, g.problem, _),
                "source": g.source,
            }
            for g in gaps
        ]
        columns = [
            _col("listing", _("Listing")),
            _col("store", _("Store")),
            _col("product", _("Product")),
            _col("category", _("Category")),
            _col("need", _("Required certificate")),
            _col("problem", _("Problem")),
            _col("source", _("Source"), sortable=False),
        ]
        _table(columns, rows, key="id").props["no-data-label"] = _(
            "Every listing has the certificates its market requires."
        )
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Expiring and expired certificates")).classes("text-sm font-semibold px-4 pt-3")
        rows = [
            {
                "id": c.id,
                "product": c.product_code,
                "kind": c.kind,
                "market": c.market,
                "number": c.number,
                "expires_on": c.expires_on.isoformat() if c.expires_on else "—",
                "days_left": c.days_left,
                "state": label(CERT_STATES, c.state, _),
            }
            for c in warnings
        ]
        columns = [
            _col("product", _("Product")),
            _col("kind", _("Certificate")),
            _col("market", _("Market")),
            _col("number", _("Number")),
            _col("expires_on", _("Expires on")),
            _col("days_left", _("Days left"), align="right"),
            _col("state", _("State")),
        ]
        _table(columns, rows, key="id").props["no-data-label"] = _(
            "No certificate expires within 60 days."
        )


# --- stage 3 pages that work on one store ----------------------------------------------------------

WEEK_STATES: Final[dict[str, str]] = {
    "met": N_("Met"),
    "behind": N_("Behind plan"),
    "no_plan": N_("No plan"),
    "not_over": N_("In progress"),
}
VERDICTS: Final[dict[str, str]] = {
    "lifted": N_("Lifted"),
    "no_lift": N_("No lift"),
    "too_early": N_("Too early"),
}
PROBLEMS: Final[dict[str, str]] = {
    "traffic": N_("Traffic"),
    "ctr": N_("Click-through"),
    "conversion": N_("Conversion"),
    "price": N_("Price"),
    "reviews": N_("Reviews"),
    "content": N_("Content"),
}


def _one_store(ctx: ConsoleContext) -> StoreRow | None:
    """The store chosen in the header, else the actor's first store (with a note saying so)."""
    _ = ctx.translate
    if ctx.store is not None:
        return ctx.store
    if not ctx.stores:
        with ui.card().classes("so-card p-4").props("flat"):
            ui.label(_("You do not work on any store of this company yet."))
        return None
    ui.label(
        _("Showing {store}; choose another store in the header.").format(store=ctx.stores[0].name)
    ).classes("text-xs so-muted")
    return ctx.stores[0]


async def _launch_plan(request: Request, ctx: ConsoleContext) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    heading(
        _("Launch plan"),
        _(
            "3.2.1 / 3.3.1 · New listings planned per week against those launched, with cadence warnings."
        ),
    )
    store = _one_store(ctx)
    if store is None:
        return
    today = dt.datetime.now(dt.UTC).date()
    this_monday = today - dt.timedelta(days=today.weekday())
    week_from, week_to = this_monday - dt.timedelta(weeks=11), this_monday + dt.timedelta(weeks=4)

    def load(s: Any, a: Any) -> Any:
        report = launch_plan.launch_plan_report(
            s, actor=a, store_id=store.id, week_from=week_from, week_to=week_to, today=today
        )
        return report, a.can(Permission.CATALOG_MANAGE)

    loaded = await run.io_bound(with_actor, runtime().engine, raw, load)
    if loaded is None:
        return
    report, may_plan = loaded
    with ui.element("div").classes("grid grid-cols-2 lg:grid-cols-4 gap-4 w-full"):
        kpi(report.planned_total, _("Planned"), icon="event_note")
        kpi(report.actual_total, _("Launched"), icon="rocket_launch")
        kpi(
            sum(1 for w in report.weeks if w.state == "behind"),
            _("Weeks behind plan"),
            icon="trending_down",
        )
        kpi(len(report.warnings), _("Warnings"), icon="warning")
    for warning in report.warnings:
        with ui.row().classes(
            "items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-1"
        ):
            ui.icon("warning", size="18px").classes("text-amber-800")
            ui.label(warning).classes("text-xs text-amber-900")
    if may_plan:
        with ui.row().classes("items-end gap-3"):
            week = ui.input(
                _("Week (Monday)"), value=(this_monday + dt.timedelta(weeks=1)).isoformat()
            ).props("dense type=date")
            planned = ui.number(
                _("Planned listings"), value=5, min=0, max=10000, precision=0
            ).props("dense")
            note = ui.input(_("Note")).props("dense").classes("w-64")

            async def save() -> None:
                def work(s: Any, a: Any) -> None:
                    launch_plan.set_launch_week(
                        s,
                        actor=a,
                        store_id=store.id,
                        week_start=_parse_day(week.value, this_monday),
                        planned_count=int(planned.value or 0),
                        note=note.value or "",
                    )

                try:
                    await run.io_bound(with_actor, runtime().engine, raw, work)
                except DomainError as exc:
                    _fail(_, exc)
                    return
                ui.navigate.reload()

            ui.button(_("Save plan"), icon="save", on_click=save).props(
                "unelevated dense no-caps color=primary"
            )
    rows = [
        {
            "id": w.week_start.isoformat(),
            "week": w.week_start.isoformat(),
            "planned": "—" if w.planned is None else w.planned,
            "actual": w.actual,
            "gap": "—" if w.gap is None else w.gap,
            "state": label(WEEK_STATES, w.state, _),
            "note": w.note,
        }
        for w in report.weeks
    ]
    columns = [
        _col("week", _("Week")),
        _col("planned", _("Planned"), align="right"),
        _col("actual", _("Launched"), align="right"),
        _col("gap", _("Gap"), align="right"),
        _col("state", _("State")),
        _col("note", _("Note"), sortable=False),
    ]
    with ui.card().classes("so-card w-full p-0").props("flat"):
        _table(columns, rows, key="id")


async def _groups(request: Request, ctx: ConsoleContext) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    heading(
        _("Product groups"),
        _(
            "3.2.4 / 3.3.3 · Each group has one responsible salesperson; operators see their own groups."
        ),
    )
    result = await run.io_bound(
        with_actor,
        runtime().engine,
        raw,
        lambda s, a: groups.group_overview(s, actor=a, store_id=ctx.store_id),
    )
    stores = _store_names(ctx)
    rows = [
        {
            "id": g.id,
            "name": g.name,
            "store": stores.get(g.store_id, str(g.store_id)),
            "owner": g.owner_name or "—",
            "listings": g.listings,
            "active": g.active,
            "quality": "—" if g.average_quality is None else g.average_quality,
        }
        for g in result or []
    ]
    columns = [
        _col("name", _("Group")),
        _col("store", _("Store")),
        _col("owner", _("Responsible salesperson")),
        _col("listings", _("Listings"), align="right"),
        _col("active", _("Active"), align="right"),
        _col("quality", _("Average score"), align="right"),
    ]
    with ui.card().classes("so-card w-full p-0").props("flat"):
        _table(columns, rows, key="id").props["no-data-label"] = _("No product groups.")
    ui.label(
        _("Create groups, assign owners and move listings through the API or the command line.")
    ).classes("text-xs so-muted")


async def _showcase(request: Request, ctx: ConsoleContext, on_text: str | None) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    on = _parse_day(on_text, dt.datetime.now(dt.UTC).date())
    heading(
        _("Showcase"),
        _(
            "3.2.5 · Clicks, impressions and inquiries per day in the first 30 days of a placement "
            "against the same number of days before it, up to {day}."
        ).format(day=on.isoformat()),
    )
    store = _one_store(ctx)
    if store is None:
        return
    effects = await run.io_bound(
        with_actor,
        runtime().engine,
        raw,
        lambda s, a: showcase.showcase_effect(s, actor=a, store_id=store.id, on=on, days=30),
    )
    rows = [
        {
            "id": e.slot_id,
            "slot": e.slot_no,
            "listing": e.external_id,
            "since": e.since.isoformat(),
            "until": e.until.isoformat() if e.until else "—",
            "clicks": f"{e.before.clicks_per_day:g} → {e.after.clicks_per_day:g}",
            "impressions": f"{e.before.impressions_per_day:g} → {e.after.impressions_per_day:g}",
            "inquiries": f"{e.before.inquiries_per_day:g} → {e.after.inquiries_per_day:g}",
            "verdict": label(VERDICTS, e.verdict, _),
            "swap": e.swap_for_listing_id or "",
        }
        for e in effects or []
    ]
    columns = [
        _col("slot", _("Slot"), align="right"),
        _col("listing", _("Listing")),
        _col("since", _("Since")),
        _col("until", _("Until")),
        _col("impressions", _("Impressions per day"), sortable=False),
        _col("clicks", _("Clicks per day"), sortable=False),
        _col("inquiries", _("Inquiries per day"), sortable=False),
        _col("verdict", _("Effect")),
        _col("swap", _("Swap in listing id")),
    ]
    with ui.card().classes("so-card w-full p-0").props("flat"):
        _table(columns, rows, key="id").props["no-data-label"] = _(
            "No showcase placements in this store."
        )


async def _diagnosis(
    request: Request, ctx: ConsoleContext, start: str | None, end: str | None
) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    today = dt.datetime.now(dt.UTC).date()
    date_to = _parse_day(end, today - dt.timedelta(days=1))
    date_from = _parse_day(start, date_to - dt.timedelta(days=29))
    heading(
        _("Product diagnosis"),
        _(
            "3.2.7 / 3.3.4 · What holds each active listing back (traffic, click-through, "
            "conversion, price against competitors, reviews, content) and what to do first."
        ),
    )
    store = _one_store(ctx)
    if store is None:
        return
    with ui.row().classes("items-end gap-3"):
        from_input = ui.input(_("From"), value=date_from.isoformat()).props("dense type=date")
        to_input = ui.input(_("To"), value=date_to.isoformat()).props("dense type=date")
        ui.button(
            _("Show"),
            icon="search",
            on_click=lambda: ui.navigate.to(
                f"/catalog/diagnosis?start={from_input.value}&end={to_input.value}"
            ),
        ).props("unelevated dense no-caps color=primary")
    try:
        result = await run.io_bound(
            with_actor,
            runtime().engine,
            raw,
            lambda s, a: diagnosis.diagnose_listings(
                s, actor=a, store_id=store.id, date_from=date_from, date_to=date_to
            ),
        )
    except DomainError as exc:
        ui.label(exc.message).classes("text-negative")
        return
    rows = [
        {
            "id": d.listing_id,
            "listing": d.external_id,
            "impressions": d.impressions,
            "ctr": "—" if d.ctr is None else f"{d.ctr:.2%}",
            "cvr": "—" if d.cvr is None else f"{d.cvr:.2%}",
            "score": "—" if d.quality_score is None else d.quality_score,
            "problems": "; ".join(f"{label(PROBLEMS, p.code, _)}: {p.detail}" for p in d.problems),
            "action": d.recommended_action or "",
        }
        for d in result or []
    ]
    columns = [
        _col("listing", _("Listing")),
        _col("impressions", _("Impressions"), align="right"),
        _col("ctr", _("CTR"), align="right"),
        _col("cvr", _("Conversion rate"), align="right"),
        _col("score", _("Score"), align="right"),
        _col("problems", _("What holds it back"), sortable=False),
        _col("action", _("Recommended action"), sortable=False),
    ]
    with ui.card().classes("so-card w-full p-0").props("flat"):
        table = _table(columns, rows, key="id")
        table.add_slot(
            "body-cell-problems",
            '<q-td :props="props" style="white-space: normal">{{ props.value }}</q-td>',
        )


async def _competitors(request: Request, ctx: ConsoleContext) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    heading(
        _("Competitor products"),
        _(
            "3.1.1 · Competitors' products with their latest price, estimated monthly sales, "
            "rating and reviews, and the price change since the first observation."
        ),
    )
    result = await run.io_bound(
        with_actor,
        runtime().engine,
        raw,
        lambda s, a: competitors.list_competitor_products(s, actor=a),
    )
    rows = [
        {
            "id": r.id,
            "competitor": r.competitor,
            "title": r.title,
            "brand": r.brand,
            "listed_on": r.listed_on.isoformat(),
            "price": "—" if r.price_amount is None else f"{r.price_amount} {r.currency}",
            "change": "—" if r.price_change_pct is None else f"{r.price_change_pct:+.1f} %",
            "sales": r.est_monthly_sales if r.est_monthly_sales is not None else "—",
            "rating": r.rating if r.rating is not None else "—",
            "reviews": r.review_count if r.review_count is not None else "—",
            "observations": r.observations,
        }
        for r in result or []
    ]
    columns = [
        _col("competitor", _("Competitor")),
        _col("title", _("Title")),
        _col("brand", _("Brand")),
        _col("listed_on", _("Listed on")),
        _col("price", _("Latest price (minor units)"), align="right"),
        _col("change", _("Price change"), align="right"),
        _col("sales", _("Estimated monthly sales"), align="right"),
        _col("rating", _("Rating"), align="right"),
        _col("reviews", _("Reviews"), align="right"),
        _col("observations", _("Observations"), align="right"),
    ]
    with ui.card().classes("so-card w-full p-0").props("flat"):
        search = (
            ui.input(placeholder=_("Filter")).props("dense clearable").classes("w-64 px-4 pt-2")
        )
        table = _table(columns, rows, key="id")
        table.props["no-data-label"] = _("No competitor products recorded.")
        search.bind_value(table, "filter")


async def _sourcing(request: Request, ctx: ConsoleContext) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    heading(
        _("Suppliers and keywords"),
        _(
            "3.1.2 · Suppliers with their terms and cost range; 3.1.4 · the keyword table by market."
        ),
    )

    def load(s: Any, a: Any) -> Any:
        return sourcing.list_suppliers(s, actor=a), sourcing.list_keywords(s, actor=a)

    loaded = await run.io_bound(with_actor, runtime().engine, raw, load)
    suppliers, keywords = loaded or ([], [])
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Suppliers")).classes("text-sm font-semibold px-4 pt-3")
        rows = [
            {
                "id": r.id,
                "name": r.name,
                "city": r.city,
                "rating": r.rating,
                "lead": r.lead_time_days,
                "moq": r.moq,
                "products": r.products,
                "cost": "—"
                if r.min_cost_amount is None
                else f"{r.min_cost_amount}-{r.max_cost_amount} {r.cost_currency}",
            }
            for r in suppliers
        ]
        columns = [
            _col("name", _("Supplier")),
            _col("city", _("City")),
            _col("rating", _("Rating"), align="right"),
            _col("lead", _("Lead time (days)"), align="right"),
            _col("moq", _("MOQ"), align="right"),
            _col("products", _("Products"), align="right"),
            _col("cost", _("Cost range (minor units)"), align="right"),
        ]
        _table(columns, rows, key="id").props["no-data-label"] = _("No suppliers recorded.")
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Keywords")).classes("text-sm font-semibold px-4 pt-3")
        search = (
            ui.input(placeholder=_("Filter")).props("dense clearable").classes("w-64 px-4 pt-2")
        )
        rows = [
            {
                "id": k.id,
                "text": k.text,
                "market": k.market,
                "category": k.category or "—",
                "searches": k.monthly_searches,
                "source": k.source,
                "relevance": k.relevance,
            }
            for k in keywords
        ]
        columns = [
            _col("text", _("Keyword")),
            _col("market", _("Market")),
            _col("category", _("Category")),
            _col("searches", _("Monthly searches"), align="right"),
            _col("source", _("Source")),
            _col("relevance", _("Relevance"), align="right"),
        ]
        table = _table(columns, rows, key="id")
        table.props["no-data-label"] = _("No keywords recorded.")
        search.bind_value(table, "filter")


def register() -> None:
    """Add the catalog pages."""

    declare_page("/catalog/quality", Permission.CATALOG_READ)

    @ui.page("/catalog/quality", response_timeout=PAGE_TIMEOUT_S)
    async def quality_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="catalog-quality", title=_("Listing quality check")):
            await _quality(request, opened)
        return None

    declare_page("/catalog/zero-effect", Permission.CATALOG_READ)

    @ui.page("/catalog/zero-effect", response_timeout=PAGE_TIMEOUT_S)
    async def zero_effect_page(
        request: Request, start: str | None = None, end: str | None = None
    ) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="catalog-zero-effect", title=_("Zero-effect listings")):
            await _zero_effect(request, opened, start, end)
        return None

    declare_page("/catalog/certificates", Permission.CATALOG_READ)

    @ui.page("/catalog/certificates", response_timeout=PAGE_TIMEOUT_S)
    async def certificates_page(request: Request, on: str | None = None) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(
            request,
            opened,
            active="catalog-certificates",
            title=_("Certificates per target market"),
        ):
            await _certificates(request, opened, on)
        return None

    declare_page("/catalog/launch-plan", Permission.CATALOG_READ)

    @ui.page("/catalog/launch-plan", response_timeout=PAGE_TIMEOUT_S)
    async def launch_plan_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="catalog-launch-plan", title=_("Launch plan")):
            await _launch_plan(request, opened)
        return None

    declare_page("/catalog/groups", Permission.CATALOG_READ)

    @ui.page("/catalog/groups", response_timeout=PAGE_TIMEOUT_S)
    async def groups_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="catalog-groups", title=_("Product groups")):
            await _groups(request, opened)
        return None

    declare_page("/catalog/showcase", Permission.CATALOG_READ)

    @ui.page("/catalog/showcase", response_timeout=PAGE_TIMEOUT_S)
    async def showcase_page(request: Request, on: str | None = None) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="catalog-showcase", title=_("Showcase")):
            await _showcase(request, opened, on)
        return None

    declare_page("/catalog/diagnosis", Permission.CATALOG_READ)

    @ui.page("/catalog/diagnosis", response_timeout=PAGE_TIMEOUT_S)
    async def diagnosis_page(
        request: Request, start: str | None = None, end: str | None = None
    ) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="catalog-diagnosis", title=_("Product diagnosis")):
            await _diagnosis(request, opened, start, end)
        return None

    declare_page("/catalog/competitors", Permission.CATALOG_READ)

    @ui.page("/catalog/competitors", response_timeout=PAGE_TIMEOUT_S)
    async def competitors_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="catalog-competitors", title=_("Competitor products")):
            await _competitors(request, opened)
        return None

    declare_page("/catalog/sourcing", Permission.CATALOG_READ)

    @ui.page("/catalog/sourcing", response_timeout=PAGE_TIMEOUT_S)
    async def sourcing_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="catalog-sourcing", title=_("Suppliers and keywords")):
            await _sourcing(request, opened)
        return None
