"""``/market/rules``: the platform rule registry (2.3.1), importing a new version with its diff and
follow-up tasks (2.3.2); ``/market/health``: each store's account health against the thresholds."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request, Response
from nicegui import ui

from storeops.auth.enums import Permission
from storeops.errors import DomainError
from storeops.market import health, rules
from storeops.market.enums import FollowUpStatus
from storeops.market.schemas import AccountHealthRead, RuleImportRead, RuleSetIn, RuleSetRead
from storeops.web.access import declare_page
from storeops.web.context import ConsoleContext
from storeops.web.labels import N_, PLATFORM_LABELS, Translate, label
from storeops.web.layout import frame, heading, open_console
from storeops.web.pages.market_common import as_actor, attempt

RULE_CATEGORY_LABELS = {
    "general": N_("General"),
    "operation": N_("Operation"),
    "product_compliance": N_("Product compliance"),
    "transaction": N_("Transaction"),
    "penalty": N_("Penalties"),
}
HEALTH_LABELS = {
    "ok": N_("OK"),
    "at_risk": N_("At risk"),
    "breached": N_("Breached"),
    "no_data": N_("No data"),
}
HEALTH_COLORS = {
    "ok": "positive",
    "at_risk": "amber-8",
    "breached": "negative",
    "no_data": "grey-6",
}
FOLLOW_UP_LABELS = {
    "open": N_("Open"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dismissed": N_("Dismissed"),
}
CHANGE_LABELS = {"added": N_("Added"), "removed": N_("Removed"), "changed": N_("Changed")}
SYMBOLS = {"lt": "<", "le": "≤", "gt": ">", "ge": "≥"}


def _threshold(comparator: Any, threshold: float | None, unit: str) -> str:
    if comparator is None or threshold is None:
        return "—"
    return f"{SYMBOLS[comparator.value]} {threshold:g} {unit}".strip()


def _rule_table(_: Translate, rule_set: RuleSetRead) -> None:
    rows = [
        {
            "code": r.code,
            "category": label(RULE_CATEGORY_LABELS, r.category.value, _),
            "title": r.title,
            "threshold": _threshold(r.comparator, r.threshold, r.unit),
            "window": str(r.window_days or "—"),
            "source": f"{r.source} ({r.source_date})" if r.source_date else r.source,
        }
        for r in rule_set.rules
    ]
    table = ui.table(
        columns=[
            {"name": "code", "label": _("Code"), "field": "code", "align": "left"},
            {"name": "category", "label": _("Kind"), "field": "category", "align": "left"},
            {
                "name": "title",
                "label": _("Rule"),
                "field": "title",
                "align": "left",
                "style": "white-space: normal",
            },
            {"name": "threshold", "label": _("Threshold"), "field": "threshold", "align": "left"},
            {"name": "window", "label": _("Window (days)"), "field": "window", "align": "right"},
            {
                "name": "source",
                "label": _("Source"),
                "field": "source",
                "align": "left",
                "style": "white-space: normal",
            },
        ],
        rows=rows,
        pagination={"rowsPerPage": 0},
    )
    table.classes("so-table w-full so-rules").props("dense flat hide-pagination")


def _import_result(_: Translate, result: RuleImportRead) -> None:
    with ui.card().classes("so-card w-full p-4 gap-2").props("flat"):
        ui.label(
            _("Imported {platform} rules {version}; the version before: {previous}.").format(
                platform=result.rule_set.platform, version=result.rule_set.version,
                previous=result.previous_version or "—",
            )
        ).classes("text-sm font-semibold so-import-done")  # fmt: skip
        for change in result.changes:
            ui.label(
                f"{_(CHANGE_LABELS[change.change])}: {change.code}"
                + (f" ({', '.join(change.fields)})" if change.fields else "")
            ).classes("text-xs so-change")
        ui.label(
            _("{stores} store(s) affected; {tasks} follow-up task(s) opened.").format(
                stores=len(result.affected_store_ids), tasks=len(result.follow_ups)
            )
        ).classes("text-sm so-follow-up-count")


def _follow_ups(
    request: Request, _: Translate, tasks: list[Any], stores: dict[int, str], can_manage: bool
) -> None:
    with ui.card().classes("so-card w-full p-4 gap-2").props("flat"):
        ui.label(_("Follow-up tasks (2.3.2)")).classes("text-sm font-semibold")
        if not tasks:
            ui.label(_("No follow-up tasks.")).classes("text-xs so-muted")
        for task in tasks:
            with ui.row().classes("w-full items-start gap-3 no-wrap so-task"):
                ui.badge(label(FOLLOW_UP_LABELS, task.status.value, _)).props("outline")
                with ui.column().classes("gap-0 grow"):
                    ui.label(task.title).classes("text-sm")
                    ui.label(
                        _("{store} · due {due} · {detail}").format(
                            store=stores.get(task.store_id, "—"),
                            due=task.due_on or "—",
                            detail=task.detail,
                        )
                    ).classes("text-xs so-muted")
                if can_manage and task.status in (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS):
                    for target, text in (
                        (FollowUpStatus.IN_PROGRESS, _("Start")),
                        (FollowUpStatus.DONE, _("Done")),
                    ):
                        if target == task.status:
                            continue

                        async def move(
                            task_id: int = task.id, status: FollowUpStatus = target
                        ) -> None:
                            if (
                                await attempt(
                                    request,
                                    _,
                                    rules.change_follow_up,
                                    task_id=task_id,
                                    status=status,
                                )
                                is not None
                            ):
                                ui.navigate.reload()

                        ui.button(text, on_click=move).props("dense flat no-caps color=primary")


def _load_rules(session: Any, *, actor: Any, platform: str) -> dict[str, Any]:
    return {
        "sets": rules.rule_sets(session, platform=platform, actor=actor),
        "tasks": rules.list_follow_ups(session, actor=actor),
        "can_manage": actor.can(Permission.MARKET_MANAGE),
    }


async def _rules_page(request: Request, ctx: ConsoleContext, platform: str) -> None:
    _ = ctx.translate
    heading(
        _("Platform rules"),
        _(
            "2.3 of the standard: the rules of each platform, versioned, with thresholds and their sources; changes open follow-up tasks"
        ),
    )
    options = {
        p: _(PLATFORM_LABELS[p])
        for p in PLATFORM_LABELS
        if p not in ("shopify", "woocommerce", "other")
    }
    ui.select(
        options,
        value=platform,
        label=_("Platform"),
        on_change=lambda e: ui.navigate.to(f"/market/rules?platform={e.value}"),
    ).props("dense outlined").classes("w-64 so-platform")
    try:
        data = await as_actor(request, _load_rules, platform=platform)
    except DomainError as exc:
        ui.label(exc.message).classes("text-negative")
        return
    sets: list[RuleSetRead] = data["sets"]
    if not sets:
        ui.label(_("No rules recorded for this platform yet: import a version below.")).classes(
            "so-muted"
        )
    for i, rule_set in enumerate(sets):
        title = _("Version {version}, in force from {date} · {source}").format(
            version=rule_set.version, date=rule_set.effective_from, source=rule_set.source or "—"
        )
        with ui.expansion(title, value=i == 0).classes("w-full so-card"):
            _rule_table(_, rule_set)
    stores = {s.id: s.name for s in ctx.stores}
    if data["can_manage"]:
        with ui.card().classes("so-card w-full p-4 gap-2").props("flat"):
            ui.label(_("Import a new version (2.3.2)")).classes("text-sm font-semibold")
            ui.label(
                _(
                    "JSON: platform, version, effective_from, source and rules (code, category, title, metric, comparator, threshold, unit, window_days, params, source). Start from the current version below."
                )
            ).classes("text-xs so-muted")
            template = (
                sets[0].model_dump(
                    mode="json",
                    include={"platform", "version", "effective_from", "source", "rules"},
                )
                if sets
                else {
                    "platform": platform,
                    "version": "",
                    "effective_from": "",
                    "source": "",
                    "rules": [],
                }
            )
            editor = (
                ui.textarea(value=json.dumps(template, ensure_ascii=False, indent=1))
                .props("outlined autogrow")
                .classes("w-full font-mono text-xs so-rules-json")
            )
            out = ui.column().classes("w-full")

            async def submit() -> None:
                try:
                    body = RuleSetIn.model_validate_json(editor.value or "")
                except ValueError as exc:
                    ui.notify(
                        _("Not done: {message}").format(message=str(exc).splitlines()[0]),
                        type="negative",
                    )
                    return
                result = await attempt(request, _, rules.import_rule_set, data=body)
                if result is not None:
                    out.clear()
                    with out:
                        _import_result(_, result)
                    ui.notify(_("Imported."), type="positive")

            ui.button(_("Import and compare"), on_click=submit).props(
                "dense unelevated no-caps color=primary"
            ).classes("so-import-rules")
    _follow_ups(request, _, data["tasks"], stores, data["can_manage"])


def _trend_chart(check: Any) -> None:
    days = [p.period_end.isoformat() for p in check.trend]
    values = [round(p.value, 3) if p.value is not None else None for p in check.trend]
    ui.echart(
        {
            "animation": False,
            "grid": {"left": 40, "right": 10, "top": 10, "bottom": 20},
            "xAxis": {"type": "category", "data": days, "axisLabel": {"fontSize": 9}},
            "yAxis": {"type": "value", "axisLabel": {"fontSize": 9}},
            "series": [
                {
                    "type": "line",
                    "data": values,
                    "markLine": {
                        "symbol": "none",
                        "data": [{"yAxis": check.threshold}],
                        "lineStyle": {"color": "#dc2626"},
                    },
                }
            ],
        }
    ).classes("w-full h-32")


def _health(_: Translate, report: AccountHealthRead) -> None:
    heading(
        _("{store}: account health").format(store=report.store_name),
        _("As of {day} · {platform} rules {version}").format(
            day=report.as_of, platform=report.platform, version=report.rule_set_version or "—"
        ),
    )
    if not report.checks:
        ui.label(_("No measurable rules are recorded for this platform.")).classes("so-muted")
    with ui.element("div").classes("grid grid-cols-1 lg:grid-cols-2 gap-4 w-full"):
        for check in report.checks:
            with ui.card().classes("so-card p-4 gap-1 so-health-check").props("flat"):
                with ui.row().classes("items-center justify-between w-full"):
                    ui.label(check.title).classes("text-sm font-semibold")
                    ui.badge(
                        label(HEALTH_LABELS, check.status, _), color=HEALTH_COLORS[check.status]
                    ).classes(f"so-status-{check.status}")
                value = f"{check.value:.2f} {check.unit}" if check.value is not None else "—"
                ui.label(
                    _("Now {value} ({numerator} of {denominator}); target {target}").format(
                        value=value, numerator=check.numerator, denominator=check.denominator,
                        target=_threshold(check.comparator, check.threshold, check.unit),
                    )
                ).classes("text-sm")  # fmt: skip
                if check.projected_breach_on:
                    ui.label(
                        _("At the current rate it breaches on {day}.").format(
                            day=check.projected_breach_on
                        )
                    ).classes("text-sm text-negative so-breach")
                elif check.status == "ok":
                    ui.label(_("No breach in sight at the current rate.")).classes(
                        "text-xs so-muted"
                    )
                _trend_chart(check)
                ui.label(_("Source: {source}").format(source=check.source)).classes(
                    "text-xs so-muted"
                )


def _load_health(session: Any, *, actor: Any, store_id: int) -> AccountHealthRead:
    return health.account_health(session, store_id=store_id, actor=actor)


async def _health_page(request: Request, ctx: ConsoleContext, store: str | None) -> None:
    _ = ctx.translate
    chosen = (
        int(store)
        if store and store.isdigit()
        else (ctx.store_id or (ctx.stores[0].id if ctx.stores else None))
    )
    with ui.row().classes("items-center gap-3"):
        ui.select(
            {s.id: s.name for s in ctx.stores},
            value=chosen,
            label=_("Store"),
            on_change=lambda e: ui.navigate.to(f"/market/health?store={e.value}"),
        ).props("dense outlined").classes("w-72 so-health-store")
    if chosen is None:
        ui.label(_("You do not work on any store yet.")).classes("so-muted")
        return
    await ui.context.client.connected()
    try:
        report = await as_actor(request, _load_health, store_id=chosen)
    except DomainError as exc:
        ui.label(exc.message).classes("text-negative")
        return
    _health(_, report)
    ui.label(
        _(
            "Metrics are computed from storeops' own records: order defects are disputes and 1-2 star reviews; a late shipment is one shipped more than the rule's handling days after payment; valid tracking means at least one carrier event."
        )
    ).classes("text-xs so-muted")


def register() -> None:
    """Add the rules and account health pages."""

    declare_page("/market/rules", Permission.MARKET_READ)

    @ui.page("/market/rules")
    async def rules_page(request: Request, platform: str = "amazon") -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        with frame(request, ctx, active="rules", title=_("Platform rules")):
            await _rules_page(request, ctx, platform)
        return None

    declare_page("/market/health", Permission.MARKET_READ)

    @ui.page("/market/health")
    async def health_page(request: Request, store: str | None = None) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        with frame(request, ctx, active="health", title=_("Account health")):
            await _health_page(request, ctx, store)
        return None
