"""``/market/platforms``: platform profiles (every fact with source and date, editable, versioned)
and 1.2.1 platform selection with weights, sensitivity and a written recommendation."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request, Response
from nicegui import ui

from storeops.auth.enums import Permission
from storeops.errors import DomainError
from storeops.market import platforms
from storeops.market.schemas import PlatformProfileRead, SelectionRead, SelectionRequest
from storeops.market.selection import DEFAULT_WEIGHTS
from storeops.web.access import declare_page
from storeops.web.context import ConsoleContext
from storeops.web.labels import N_, Translate, label
from storeops.web.layout import frame, heading, open_console
from storeops.web.pages.market_common import as_actor, attempt

STATUS_LABELS = {
    "published": N_("Published"),
    "to_verify": N_("To verify"),
    "editorial": N_("Editorial rating"),
}
STATUS_COLORS = {"published": "positive", "to_verify": "amber-8", "editorial": "grey-7"}
GROUP_LABELS = {
    "comprehensive": N_("Comprehensive platform"),
    "mobile_social": N_("Mobile social platform"),
    "southeast_asia": N_("Southeast Asian platform"),
    "africa": N_("African platform"),
    "emerging": N_("Regional platform"),
    "social_live": N_("Social live-selling channel"),
}
FACT_LABELS = {
    "markets": N_("Markets"),
    "business_model": N_("Business model"),
    "fees": N_("Fees"),
    "settlement": N_("Settlement"),
    "logistics": N_("Logistics"),
    "category_strengths": N_("Category strengths"),
    "entry_requirements": N_("Entry requirements"),
    "ratings": N_("Ratings"),
}
CRITERION_LABELS = {
    "markets": N_("Target markets"),
    "fees": N_("Fees"),
    "traffic": N_("Traffic"),
    "competition": N_("Competition"),
    "category_fit": N_("Category fit"),
    "entry_ease": N_("Ease of entry"),
    "policy_currency_risk": N_("Policy and currency risk"),
}


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _profile(request: Request, _: Translate, p: PlatformProfileRead, can_edit: bool) -> None:
    facts = p.facts
    title = f"{facts['name']} · {label(GROUP_LABELS, facts['group'], _)} · " + _(
        "version {version}"
    ).format(version=p.version)
    with ui.expansion(title).classes("w-full so-card so-profile").props("dense"):
        ui.label(
            _("Changed by {who} on {when}: {note}").format(
                who=p.changed_by, when=p.changed_at.strftime("%Y-%m-%d"), note=p.note
            )
        ).classes("text-xs so-muted")
        rows = [
            {
                "fact": _(FACT_LABELS[name]),
                "value": _text(facts[name]["value"]),
                "status": label(STATUS_LABELS, facts[name]["status"], _),
                "color": STATUS_COLORS.get(facts[name]["status"], "grey-6"),
                "source": facts[name]["source"],
                "as_of": facts[name]["as_of"],
            }
            for name in platforms.FACTS
        ]
        table = ui.table(
            columns=[
                {"name": "fact", "label": _("Fact"), "field": "fact", "align": "left"},
                {
                    "name": "value",
                    "label": _("Value"),
                    "field": "value",
                    "align": "left",
                    "style": "white-space: normal",
                },
                {"name": "status", "label": _("Status"), "field": "status", "align": "left"},
                {
                    "name": "source",
                    "label": _("Source"),
                    "field": "source",
                    "align": "left",
                    "style": "white-space: normal",
                },
                {"name": "as_of", "label": _("As of"), "field": "as_of", "align": "left"},
            ],
            rows=rows,
            pagination={"rowsPerPage": 0},
        )
        table.classes("so-table w-full").props("dense flat hide-pagination")
        table.add_slot(
            "body-cell-status",
            '<q-td :props="props"><q-badge outline :color="props.row.color" :label="props.value" /></q-td>',
        )
        if can_edit:
            editor = (
                ui.textarea(
                    _("Profile (JSON): change a figure, its source and its date"),
                    value=json.dumps(facts, ensure_ascii=False, indent=1),
                )
                .props("outlined autogrow")
                .classes("w-full font-mono text-xs")
            )
            note = ui.input(_("Why it changed")).props("dense outlined").classes("w-96")

            async def save() -> None:
                try:
                    data = json.loads(editor.value or "")
                except json.JSONDecodeError as exc:
                    ui.notify(_("Not valid JSON: {error}").format(error=str(exc)), type="negative")
                    return
                saved = await attempt(
                    request, _, platforms.update_profile, platform=p.platform, facts=data,
                    note=note.value or "",
                )  # fmt: skip
                if saved is not None:
                    ui.notify(
                        _("Saved version {version}.").format(version=saved.version), type="positive"
                    )
                    ui.navigate.reload()

            ui.button(_("Save as a new version"), on_click=save).props(
                "dense unelevated no-caps color=primary"
            )


def _selection(_: Translate, run: SelectionRead) -> None:
    with ui.card().classes("so-card w-full p-4 gap-2").props("flat"):
        ui.label(_("Recommendation")).classes("text-sm font-semibold")
        ui.label(run.recommendation).classes("text-sm so-recommendation")
        columns = [
            ("rank", _("Rank"), "right"),
            ("platform", _("Platform"), "left"),
            ("total", _("Score (0-10)"), "right"),
        ]
        columns += [(c, _(CRITERION_LABELS[c]), "right") for c in DEFAULT_WEIGHTS]
        rows = []
        for s in run.scores:
            row: dict[str, Any] = {
                "rank": s.rank,
                "platform": s.platform,
                "total": f"{s.total:.2f}",
            }
            for c in s.criteria:
                row[c.criterion] = f"{c.score:.1f}"
            rows.append(row)
        table = ui.table(
            columns=[{"name": n, "label": lab, "field": n, "align": a} for n, lab, a in columns],
            rows=rows,
            pagination={"rowsPerPage": 0},
        )
        table.classes("so-table w-full so-ranking").props("dense flat hide-pagination")
        ui.label(
            _("Weights: {weights}").format(
                weights=", ".join(
                    f"{_(CRITERION_LABELS[c])} {w:.0%}" for c, w in run.weights.items()
                )
            )
        ).classes("text-xs so-muted")
        flips = [s for s in run.sensitivity if s.winner_changes]
        ui.label(
            _("Sensitivity: the winner holds under every single weight halved or raised by half.")
            if not flips
            else _("Sensitivity: the winner changes when {changes}.").format(
                changes="; ".join(
                    f"{_(CRITERION_LABELS[s.criterion])} {s.change} → {s.winner}" for s in flips
                )
            )
        ).classes("text-xs so-sensitivity")


def _selection_form(request: Request, _: Translate, keys: list[tuple[str, str]]) -> None:
    with ui.card().classes("so-card w-full p-4 gap-2").props("flat"):
        ui.label(_("Platform selection (1.2.1)")).classes("text-sm font-semibold")
        with ui.row().classes("gap-2 items-end"):
            chosen = (
                ui.select(
                    dict(keys),
                    multiple=True,
                    value=["amazon", "shopee", "ebay"],
                    label=_("Candidate platforms"),
                )
                .props("dense outlined use-chips")
                .classes("w-96 so-candidates")
            )
            markets = (
                ui.input(_("Target markets (comma-separated)"), value="US, MY")
                .props("dense outlined")
                .classes("w-56")
            )
            category = (
                ui.input(_("Category"), value="phone accessories")
                .props("dense outlined")
                .classes("w-56")
            )
            model = ui.toggle({"b2c": "B2C", "b2b": "B2B"}, value="b2c")
        weights: dict[str, Any] = {}
        with ui.row().classes("gap-2"):
            for criterion, weight in DEFAULT_WEIGHTS.items():
                weights[criterion] = (
                    ui.number(
                        _(CRITERION_LABELS[criterion]),
                        value=round(weight * 100),
                        min=0,
                        max=100,
                        step=5,
                        suffix="%",
                    )
                    .props("dense outlined")
                    .classes("w-40")
                )
        out = ui.column().classes("w-full")

        async def run() -> None:
            try:
                body = SelectionRequest(
                    platforms=list(chosen.value or []),
                    target_markets=[
                        m.strip() for m in (markets.value or "").split(",") if m.strip()
                    ],
                    category=category.value or "",
                    model=model.value,
                    weights={c: float(n.value or 0) for c, n in weights.items()},
                )
            except ValueError as exc:
                ui.notify(
                    _("Not done: {message}").format(message=str(exc).splitlines()[0]),
                    type="negative",
                )
                return
            result = await attempt(request, _, platforms.run_platform_selection, request=body)
            if result is not None:
                out.clear()
                with out:
                    _selection(_, result)

        ui.button(_("Score the platforms"), on_click=run).props(
            "dense unelevated no-caps color=primary"
        ).classes("so-run-selection")


def _load(session: Any, *, actor: Any) -> dict[str, Any]:
    return {
        "profiles": platforms.list_profiles(session, actor=actor),
        "selections": platforms.list_selections(session, actor=actor)[:5],
        "can_manage": actor.can(Permission.MARKET_MANAGE),
    }


async def _page(request: Request, ctx: ConsoleContext) -> None:
    _ = ctx.translate
    try:
        data = await as_actor(request, _load)
    except DomainError as exc:
        heading(_("Platforms"))
        ui.label(exc.message).classes("text-negative")
        return
    heading(
        _("Platforms"),
        _(
            "1.2.1 of the standard: the platforms it names and the social live-selling channels; every figure with its source and date"
        ),
    )
    ui.label(
        _(
            "Facts marked “To verify” vary by site, category or programme: check the source before deciding. Ratings are the storeops maintainers' editorial 1-5 ratings, not platform figures."
        )
    ).classes("text-xs so-muted")
    profiles: list[PlatformProfileRead] = data["profiles"]
    if data["can_manage"]:
        _selection_form(request, _, [(p.platform, str(p.facts["name"])) for p in profiles])
    for run in data["selections"]:
        with ui.expansion(
            _("Earlier run {id}: {title} ({when})").format(
                id=run.id,
                title=run.title,
                when=run.created_at.strftime("%Y-%m-%d %H:%M") if run.created_at else "",
            )
        ).classes("w-full"):
            _selection(_, run)
    for profile in profiles:
        _profile(request, _, profile, data["can_manage"])


def register() -> None:
    """Add the platforms page."""

    declare_page("/market/platforms", Permission.MARKET_READ)

    @ui.page("/market/platforms")
    async def platforms_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        with frame(request, ctx, active="platforms", title=_("Platforms")):
            await _page(request, ctx)
        return None
