"""The frame of every console page: header (switchers, language, user, sign-out) and stage navigation."""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from typing import Any, Final

from fastapi import Request, Response
from nicegui import run, ui
from nicegui.events import ValueChangeEventArguments
from sqlalchemy.exc import OperationalError

from storeops.errors import DomainError, NotAuthenticated
from storeops.standard.catalog import load_catalog
from storeops.web.access import page_allowed
from storeops.web.auth_routes import (
    LANG_COOKIE,
    LANG_COOKIE_MAX_AGE,
    LOGIN_PATH,
    LOGOUT_PATH,
    SESSION_COOKIE,
    database_unavailable_page,
    login_redirect,
    page_refused,
    request_locale,
)
from storeops.web.context import (
    ConsoleContext,
    load_context,
    switch_company,
    switch_locale,
    switch_store,
)
from storeops.web.csrf import CSRF_FIELD, session_token
from storeops.web.labels import HTML_LANG, LANGUAGE_NAMES, ROLE_LABELS, Translate, label, pick
from storeops.web.state import runtime

ALL_STORES: Final = 0

CONSOLE_CSS: Final = """
body { font-family: "Inter", "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei",
  system-ui, sans-serif; font-size: 13px; color: #0f172a; background: #f1f5f9; }
.so-header { background: #0f2740; }
.so-nav .q-item { min-height: 34px; border-radius: 6px; margin: 1px 8px; padding: 4px 10px; color: #1e293b; }
.so-nav .q-item__label--caption { font-size: 11px; }
.so-nav-active { background: #e0ecf8; color: #0f4c81 !important; font-weight: 600; }
.so-nav .q-item__section--avatar { min-width: 30px; }
.so-stage-no { width: 22px; height: 22px; border-radius: 5px; background: #e2e8f0; color: #334155;
  display: flex; align-items: center; justify-content: center; font-size: 11px; font-weight: 700; }
.so-nav-active .so-stage-no { background: #0f4c81; color: #fff; }
.so-section { font-size: 11px; letter-spacing: .04em; text-transform: uppercase; color: #64748b;
  padding: 14px 18px 4px; font-weight: 600; }
.so-card { background: #fff; border: 1px solid #dbe3ec; border-radius: 8px; box-shadow: none; }
.so-kpi-value { font-size: 24px; font-weight: 700; line-height: 1.1; color: #0f172a; }
.so-kpi-label { font-size: 12px; color: #64748b; }
.so-muted { color: #64748b; }
.so-table .q-table th { font-size: 11px; font-weight: 600; color: #475569; background: #f8fafc;
  text-transform: none; }
.so-table .q-table td { font-size: 12.5px; }
.so-table .q-table tbody tr.so-current td { background: #eff6ff; }
.so-signout { background: transparent; border: 1px solid rgba(255,255,255,.35); color: #fff;
  border-radius: 5px; padding: 3px 10px; font: inherit; font-size: 12px; cursor: pointer; }
.so-signout:hover { background: rgba(255,255,255,.12); }
.so-sticky { max-height: calc(100vh - 215px); }
.so-sticky thead tr th { position: sticky; top: 0; z-index: 2; }
.so-fixed table { table-layout: fixed; }
.so-switch .q-field__control { height: 32px; min-height: 32px; }
.so-switch .q-field__native, .so-switch .q-field__label { font-size: 12px; }
"""


async def open_console(request: Request) -> ConsoleContext | Response:
    """The context of the page's session, or a redirect to the sign-in page without a live one."""
    raw = request.cookies.get(SESSION_COOKIE)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    try:
        ctx = await run.io_bound(load_context, runtime().engine, raw)
    except NotAuthenticated:
        return login_redirect(path)
    except OperationalError:
        return database_unavailable_page(request_locale(request))
    if ctx is None:  # the server is shutting down
        return Response(status_code=503)
    route = request.scope.get("route")
    if not page_allowed(str(getattr(route, "path", request.url.path)), ctx.role):
        return page_refused(ctx.locale)
    return ctx


class _Changes:
    """The header's server-side handlers: each re-checks the session, then reloads the page."""

    def __init__(self, request: Request, ctx: ConsoleContext) -> None:
        self.raw = request.cookies.get(SESSION_COOKIE)
        self.secure = request.url.scheme == "https"
        self.translate = ctx.translate

    async def _apply(self, action: Callable[..., Any], *args: Any) -> bool:
        try:
            await run.io_bound(action, runtime().engine, self.raw, *args)
        except NotAuthenticated:
            ui.navigate.to(LOGIN_PATH)
            return False
        except DomainError:
            _ = self.translate
            ui.notify(
                _("This change is not possible. Reload the page and try again."), type="negative"
            )
            return False
        return True

    async def company(self, event: ValueChangeEventArguments[Any]) -> None:
        if await self._apply(switch_company, int(event.value)):
            ui.navigate.reload()

    async def store(self, event: ValueChangeEventArguments[Any]) -> None:
        store_id = int(event.value or ALL_STORES)
        if await self._apply(switch_store, store_id if store_id != ALL_STORES else None):
            ui.navigate.reload()

    async def language(self, event: ValueChangeEventArguments[Any]) -> None:
        locale = str(event.value)
        if await self._apply(switch_locale, locale):
            cookie = f"{LANG_COOKIE}={locale}; path=/; max-age={LANG_COOKIE_MAX_AGE}; samesite=lax"
            if self.secure:
                cookie += "; secure"
            # The browser remembers the choice for the sign-in page too.
            ui.run_javascript(f"document.cookie = {json.dumps(cookie)}; location.reload();")


def _nav_item(
    href: str,
    text: str,
    *,
    active: bool,
    icon: str | None = None,
    badge: str | None = None,
    caption: str | None = None,
) -> None:
    item = ui.item()
    item.props["tag"] = "a"
    item.props["href"] = href
    item.props["clickable"] = True
    item.props["dense"] = True
    if active:
        item.classes("so-nav-active")
    with item:
        with ui.item_section().props("avatar"):
            if badge is not None:
                ui.html(f'<div class="so-stage-no">{escape(badge)}</div>', sanitize=False)
            elif icon is not None:
                ui.icon(icon, size="18px")
        with ui.item_section():
            ui.item_label(text).classes("leading-tight")
            if caption:
                ui.item_label(caption).props("caption")


def _header(request: Request, ctx: ConsoleContext, toggle_drawer: Callable[[], object]) -> None:
    _ = ctx.translate
    changes = _Changes(request, ctx)
    with ui.header(elevated=False).classes("so-header items-center gap-3 px-3 py-1 no-wrap"):
        ui.button(icon="menu", on_click=toggle_drawer).props(
            "flat dense round color=white"
        ).tooltip(_("Show or hide the navigation"))
        with ui.link(target="/").classes("flex items-center gap-2 no-underline text-white"):
            ui.icon("storefront", size="22px")
            ui.label("storeops").classes("text-base font-semibold tracking-tight")
        ui.label(_("Cross-border store operations")).classes("text-xs text-slate-300 gt-sm")
        ui.space()
        if ctx.companies:
            ui.select(
                {c.id: c.name for c in ctx.companies},
                value=ctx.company.id if ctx.company else None,
                label=_("Company"),
                on_change=changes.company,
            ).props("dense dark filled options-dense").classes("so-switch w-56")
        if ctx.company is not None:
            stores = {ALL_STORES: _("All stores"), **{s.id: s.name for s in ctx.stores}}
            ui.select(
                stores,
                value=ctx.store_id or ALL_STORES,
                label=_("Store"),
                on_change=changes.store,
            ).props("dense dark filled options-dense").classes("so-switch w-56")
        ui.toggle(dict(LANGUAGE_NAMES), value=ctx.locale, on_change=changes.language).props(
            "dense no-caps unelevated toggle-color=white toggle-text-color=primary "
            "color=transparent text-color=white size=sm"
        ).classes("border border-white/30 rounded")
        with ui.row().classes("items-center gap-2 no-wrap"):
            ui.icon("account_circle", size="22px").classes("text-slate-200")
            with ui.column().classes("gap-0 gt-xs"):
                ui.label(ctx.display_name).classes("text-xs font-medium leading-tight")
                if ctx.role is not None:
                    ui.label(label(ROLE_LABELS, ctx.role.value, _)).classes(
                        "text-[11px] text-slate-300 leading-tight"
                    )
        sign_out = escape(_("Sign out"))
        raw = changes.raw or ""
        token = session_token(runtime().settings.secret_key, raw)
        ui.html(
            f'<form method="post" action="{LOGOUT_PATH}" style="margin:0">'
            f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">'
            f'<button type="submit" class="so-signout">{sign_out}</button></form>',
            sanitize=False,
        )


def _drawer(ctx: ConsoleContext, active: str) -> ui.left_drawer:
    _ = ctx.translate
    standard = load_catalog()
    tasks_per_stage = {
        s.number: sum(1 for t in standard.tasks if t.stage == s.number) for s in standard.stages
    }
    drawer = ui.left_drawer(fixed=True, bordered=True).props("width=276 breakpoint=1000")
    drawer.classes("bg-white q-pa-none")
    with drawer, ui.list().classes("so-nav w-full pb-6").props("dense"):
        ui.label(_("Overview")).classes("so-section")
        _nav_item("/", _("Home"), icon="dashboard", active=active == "home")
        _nav_item("/analytics", _("Dashboards"), icon="insights", active=active == "analytics")
        _nav_item("/imports", _("Imports"), icon="upload_file", active=active == "imports")
        ui.label(_("Standard {code}").format(code=standard.standard)).classes("so-section")
        _nav_item("/standard", _("Task list"), icon="checklist", active=active == "standard")
        _nav_item(
            "/standard/workflow", _("Workflow"), icon="account_tree", active=active == "workflow"
        )
        ui.label(_("Run and assess")).classes("so-section")
        _nav_item("/playbook", _("Playbook"), icon="fact_check", active=active == "playbook")
        _nav_item("/assessment", _("Assessment"), icon="grading", active=active == "assessment")
        _nav_item("/staff", _("Team competency"), icon="groups", active=active == "staff")
        ui.label(_("Customers and orders")).classes("so-section")
        _nav_item("/crm/inquiries", _("Inquiries"), icon="forum", active=active == "crm")
        _nav_item("/crm/buyers", _("Buyers"), icon="contacts", active=active == "buyers")
        _nav_item(
            "/crm/service", _("Service and leads"), icon="support_agent", active=active == "service"
        )
        _nav_item("/orders", _("Orders"), icon="receipt_long", active=active == "orders")
        _nav_item("/deals", _("B2B deals"), icon="request_quote", active=active == "deals")
        ui.label(_("Fulfilment and money")).classes("so-section")
        _nav_item("/logistics", _("Logistics"), icon="local_shipping", active=active == "logistics")
        ui.label(_("Market and platforms")).classes("so-section")
        _nav_item("/market", _("Market research"), icon="query_stats", active=active == "market")
        _nav_item("/market/platforms", _("Platforms"), icon="hub", active=active == "platforms")
        _nav_item(
            "/market/onboarding",
            _("Onboarding and account security"),
            icon="assignment_turned_in",
            active=active == "onboarding",
        )
        _nav_item("/market/rules", _("Platform rules"), icon="gavel", active=active == "rules")
        _nav_item(
            "/market/health",
            _("Account health"),
            icon="health_and_safety",
            active=active == "health",
        )
        ui.label(_("Products and listings")).classes("so-section")
        for href, text, icon, key in (
            ("/catalog/quality", _("Listing quality check"), "fact_check", "catalog-quality"),
            (
                "/catalog/zero-effect",
                _("Zero-effect listings"),
                "visibility_off",
                "catalog-zero-effect",
            ),
            ("/catalog/certificates", _("Certificates"), "verified", "catalog-certificates"),
            ("/catalog/launch-plan", _("Launch plan"), "event_note", "catalog-launch-plan"),
            ("/catalog/groups", _("Product groups"), "folder_shared", "catalog-groups"),
            ("/catalog/showcase", _("Showcase"), "storefront", "catalog-showcase"),
            ("/catalog/diagnosis", _("Product diagnosis"), "troubleshoot", "catalog-diagnosis"),
            ("/catalog/competitors", _("Competitor products"), "groups", "catalog-competitors"),
            ("/catalog/sourcing", _("Suppliers and keywords"), "factory", "catalog-sourcing"),
        ):
            _nav_item(href, text, icon=icon, active=active == key)
        ui.label(_("Marketing")).classes("so-section")
        for href, text, icon, key in (
            ("/marketing/ads", _("Paid ads"), "campaign", "marketing-ads"),
            ("/marketing/promotions", _("Promotion uplift"), "sell", "marketing-promotions"),
            ("/marketing/live", _("Live stream review"), "live_tv", "marketing-live"),
            ("/marketing/social", _("Social media"), "share", "marketing-social"),
            ("/marketing/seo", _("SEO audit"), "travel_explore", "marketing-seo"),
        ):
            _nav_item(href, text, icon=icon, active=active == key)
        ui.label(_("Operation stages")).classes("so-section")
        for stage in standard.stages:
            _nav_item(
                f"/stage/{stage.number}",
                pick(ctx.locale, stage.name_zh, stage.name_en),
                badge=str(stage.number),
                caption=_("{count} tasks · planned").format(count=tasks_per_stage[stage.number]),
                active=active == f"stage-{stage.number}",
            )
    return drawer


def frame(request: Request, ctx: ConsoleContext, *, active: str, title: str) -> ui.column:
    """Build the header and navigation of a page; returns the content column to fill."""
    ui.page_title(f"{title} · storeops")
    ui.add_head_html(
        f"<script>document.documentElement.lang = {json.dumps(HTML_LANG[ctx.locale])};</script>"
    )
    ui.add_css(CONSOLE_CSS)
    ui.colors(primary="#0f4c81", secondary="#475569", accent="#0d9488")
    drawer = _drawer(ctx, active)
    _header(request, ctx, drawer.toggle)
    return ui.column().classes("w-full gap-4 p-5 max-w-[1480px] mx-auto")


def heading(title: str, subtitle: str | None = None) -> None:
    """The title line of a page."""
    with ui.column().classes("gap-0"):
        ui.label(title).classes("text-xl font-semibold text-slate-900")
        if subtitle:
            ui.label(subtitle).classes("text-sm so-muted")


def planned_badge(_: Translate) -> None:
    """The marker of features that are not built yet."""
    ui.badge(_("Planned"), color="amber-8").props("outline").classes("text-[11px]")


def kpi(value: str | int, caption: str, *, icon: str) -> None:
    """One figure with its caption."""
    card = ui.card().classes("so-card p-4").props("flat")
    with card, ui.row().classes("items-center justify-between w-full no-wrap"):
        with ui.column().classes("gap-1"):
            ui.label(str(value)).classes("so-kpi-value")
            ui.label(caption).classes("so-kpi-label")
        ui.icon(icon, size="28px").classes("text-slate-300")
