"""``/marketing/…``: paid ads (5.2: keywords, wasteful keywords, bid suggestions, budget pacing)
and promotions (5.1: uplift against a baseline)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from fastapi import Request, Response
from nicegui import events, run, ui

from storeops.auth.enums import Permission
from storeops.errors import DomainError
from storeops.marketing import ads, live, promotions, seo, social
from storeops.types import minor_unit_digits
from storeops.web.access import declare_page
from storeops.web.actor_work import with_actor
from storeops.web.auth_routes import SESSION_COOKIE
from storeops.web.context import ConsoleContext
from storeops.web.labels import N_, label
from storeops.web.layout import frame, heading, kpi, open_console
from storeops.web.pages.catalog import PAGE_TIMEOUT_S, _col, _one_store, _parse_day, _table
from storeops.web.state import runtime

SUGGESTIONS: Final[dict[str, str]] = {
    "pause": N_("Pause"),
    "lower": N_("Lower bid"),
    "raise": N_("Raise bid"),
    "keep": N_("Keep"),
    "watch": N_("Watch"),
}
PACING: Final[dict[str, str]] = {
    "under": N_("Under budget"),
    "on_track": N_("On track"),
    "over": N_("Over budget"),
    "not_live": N_("Not live"),
}


def _money(amount: int | None, currency: str) -> str:
    if amount is None:
        return "—"
    digits = minor_unit_digits(currency)
    return f"{amount / 10**digits:,.{digits}f} {currency}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2%}"


def _window(
    start: str | None, end: str | None, path: str, ctx: ConsoleContext
) -> tuple[dt.date, dt.date]:
    _ = ctx.translate
    today = dt.datetime.now(dt.UTC).date()
    date_to = _parse_day(end, today - dt.timedelta(days=1))
    date_from = _parse_day(start, date_to - dt.timedelta(days=29))
    with ui.row().classes("items-end gap-3"):
        from_input = ui.input(_("From"), value=date_from.isoformat()).props("dense type=date")
        to_input = ui.input(_("To"), value=date_to.isoformat()).props("dense type=date")
        ui.button(
            _("Show"),
            icon="search",
            on_click=lambda: ui.navigate.to(
                f"{path}?start={from_input.value}&end={to_input.value}"
            ),
        ).props("unelevated dense no-caps color=primary")
    return date_from, date_to


async def _ads(request: Request, ctx: ConsoleContext, start: str | None, end: str | None) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    heading(
        _("Paid ads"),
        _(
            "5.2 · Keyword spend, CTR, CPC, conversion, ACoS and ROAS from the daily keyword stats; "
            "keywords that spend without orders, bid suggestions towards a 30 % ACoS, budget pacing."
        ),
    )
    store = _one_store(ctx)
    if store is None:
        return
    date_from, date_to = _window(start, end, "/marketing/ads", ctx)

    def load(s: Any, a: Any) -> Any:
        return (
            ads.campaign_pacing(
                s, actor=a, store_id=store.id, date_from=date_from, date_to=date_to
            ),
            ads.keyword_performance(
                s, actor=a, store_id=store.id, date_from=date_from, date_to=date_to
            ),
        )

    try:
        loaded = await run.io_bound(with_actor, runtime().engine, raw, load)
    except DomainError as exc:
        ui.label(exc.message).classes("text-negative")
        return
    campaigns, keywords = loaded or ([], [])
    currency = store.currency
    spend = sum(c.spend_amount for c in campaigns)
    sales = sum(c.sales_amount for c in campaigns)
    with ui.element("div").classes("grid grid-cols-2 lg:grid-cols-4 gap-4 w-full"):
        kpi(_money(spend, currency), _("Ad spend"), icon="payments")
        kpi(_pct(spend / sales) if sales else "—", _("ACoS"), icon="percent")
        kpi(f"{sales / spend:.2f}" if spend else "—", _("ROAS"), icon="trending_up")
        kpi(sum(1 for k in keywords if k.wasteful), _("Wasteful keywords"), icon="money_off")
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Campaigns and budget pacing")).classes("text-sm font-semibold px-4 pt-3")
        rows = [
            {
                "id": c.campaign_id,
                "name": c.name,
                "budget": _money(c.budget_amount, c.currency),
                "spend": _money(c.spend_amount, c.currency),
                "pacing": _pct(c.pacing),
                "over": c.days_over_budget,
                "state": label(PACING, c.state, _),
                "acos": _pct(c.acos),
                "roas": "—" if c.roas is None else f"{c.roas:.2f}",
            }
            for c in campaigns
        ]
        columns = [
            _col("name", _("Campaign")),
            _col("budget", _("Budget"), align="right"),
            _col("spend", _("Spend"), align="right"),
            _col("pacing", _("Pacing"), align="right"),
            _col("over", _("Days over budget"), align="right"),
            _col("state", _("State")),
            _col("acos", _("ACoS"), align="right"),
            _col("roas", _("ROAS"), align="right"),
        ]
        _table(columns, rows, key="id").props["no-data-label"] = _("No campaigns in this store.")
    with ui.card().classes("so-card w-full p-0").props("flat"):
        ui.label(_("Keywords")).classes("text-sm font-semibold px-4 pt-3")
        rows = [
            {
                "id": f"{k.campaign_id}:{k.keyword}",
                "keyword": k.keyword,
                "campaign": k.campaign_name,
                "clicks": k.clicks,
                "spend": _money(k.spend_amount, k.currency),
                "orders": k.orders,
                "ctr": _pct(k.ctr),
                "cpc": _money(k.cpc_amount, k.currency),
                "cvr": _pct(k.cvr),
                "acos": _pct(k.acos),
                "suggestion": label(SUGGESTIONS, k.suggestion, _),
                "bid": _money(k.suggested_bid_amount, k.currency),
                "wasteful": k.wasteful,
            }
            for k in keywords
        ]
        columns = [
            _col("keyword", _("Keyword")),
            _col("campaign", _("Campaign")),
            _col("clicks", _("Clicks"), align="right"),
            _col("spend", _("Spend"), align="right"),
            _col("orders", _("Orders"), align="right"),
            _col("ctr", _("CTR"), align="right"),
            _col("cpc", _("CPC"), align="right"),
            _col("cvr", _("Conversion rate"), align="right"),
            _col("acos", _("ACoS"), align="right"),
            _col("suggestion", _("Suggestion")),
            _col("bid", _("Suggested bid"), align="right"),
        ]
        table = _table(columns, rows, key="id")
        table.props["no-data-label"] = _("No keyword stats in this window.")
        table.add_slot(
            "body-cell-suggestion",
            """<q-td :props="props"><q-badge :color="props.row.wasteful ? 'negative' : 'primary'" """
            'outline :label="props.value" /></q-td>',
        )


async def _promotions(
    request: Request, ctx: ConsoleContext, start: str | None, end: str | None
) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    heading(
        _("Promotion uplift"),
        _(
            "5.1 · Orders and revenue per day during each promotion against the 28 days before it "
            "(days of other promotions left out)."
        ),
    )
    store = _one_store(ctx)
    if store is None:
        return
    date_from, date_to = _window(start, end, "/marketing/promotions", ctx)
    result = await run.io_bound(
        with_actor,
        runtime().engine,
        raw,
        lambda s, a: promotions.promotion_uplift(
            s, actor=a, store_id=store.id, date_from=date_from, date_to=date_to
        ),
    )
    rows = [
        {
            "id": u.promotion_id,
            "name": u.name,
            "period": f"{u.starts_on} – {u.ends_on}",
            "discount": f"{u.discount_pct} %",
            "orders": f"{u.baseline.orders_per_day:g} → {u.during.orders_per_day:g}",
            "orders_uplift": "—"
            if u.orders_uplift_pct is None
            else f"{u.orders_uplift_pct:+.1f} %",
            "revenue_uplift": "—"
            if u.revenue_uplift_pct is None
            else f"{u.revenue_uplift_pct:+.1f} %",
            "attributed": u.attributed_orders,
        }
        for u in result or []
    ]
    columns = [
        _col("name", _("Promotion")),
        _col("period", _("Period")),
        _col("discount", _("Discount"), align="right"),
        _col("orders", _("Orders per day (baseline → during)"), sortable=False),
        _col("orders_uplift", _("Orders uplift"), align="right"),
        _col("revenue_uplift", _("Revenue uplift"), align="right"),
        _col("attributed", _("Attributed orders"), align="right"),
    ]
    with ui.card().classes("so-card w-full p-0").props("flat"):
        _table(columns, rows, key="id").props["no-data-label"] = _(
            "No promotion started in this window."
        )


METRICS: Final[dict[str, str]] = {
    "viewers": N_("Viewers"),
    "peak_viewers": N_("Peak viewers"),
    "interactions": N_("Interactions"),
    "new_followers": N_("New followers"),
    "orders": N_("Orders"),
    "gmv_amount": N_("GMV (minor units)"),
}


async def _live(request: Request, ctx: ConsoleContext) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    heading(
        _("Live stream review"),
        _(
            "5.3 · Each planned stream against its targets (viewers, peak, interactions, new "
            "followers, orders, GMV), with the gaps. Plans and scripts are written through the API."
        ),
    )

    def load(s: Any, a: Any) -> Any:
        plans = live.list_live_plans(s, actor=a, store_id=ctx.store_id)
        return [live.review_live_stream(s, actor=a, plan_id=p.id) for p in plans]

    reviews = await run.io_bound(with_actor, runtime().engine, raw, load) or []
    if not reviews:
        with ui.card().classes("so-card p-4").props("flat"):
            ui.label(_("No live stream plans yet."))
        return
    for review in reviews:
        with ui.card().classes("so-card w-full p-0").props("flat"):
            ui.label(f"{review.title} · {review.starts_at:%Y-%m-%d %H:%M} UTC").classes(
                "text-sm font-semibold px-4 pt-3"
            )
            rows = [
                {
                    "id": m.metric,
                    "metric": label(METRICS, m.metric, _),
                    "target": m.target,
                    "actual": m.actual,
                    "gap": m.gap,
                    "achieved": "—" if m.achieved_pct is None else f"{m.achieved_pct:g} %",
                }
                for m in review.metrics
            ]
            columns = [
                _col("metric", _("Metric"), sortable=False),
                _col("target", _("Target"), align="right", sortable=False),
                _col("actual", _("Actual"), align="right", sortable=False),
                _col("gap", _("Gap"), align="right", sortable=False),
                _col("achieved", _("Achieved"), align="right", sortable=False),
            ]
            _table(columns, rows, key="id")
            for gap in review.gaps:
                ui.label(gap).classes("text-xs text-amber-900 px-4 pb-1")


async def _seo(request: Request, ctx: ConsoleContext) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    heading(
        _("SEO audit"),
        _(
            "5.5 · Upload your site's HTML pages (and its sitemap.xml): title, meta description, "
            "headings, image ALT text, broken links between the uploaded pages, sitemap coverage. "
            "Nothing is fetched from the internet."
        ),
    )
    files: dict[str, str] = {}
    results = ui.column().classes("w-full gap-2")

    async def received(event: events.UploadEventArguments) -> None:
        files[event.file.name] = await event.file.text()

    async def audit() -> None:
        pages = {f"/{n}": t for n, t in files.items() if n.lower().endswith((".html", ".htm"))}
        sitemap = files.get("sitemap.xml")
        if not pages:
            ui.notify(_("Upload at least one HTML page."), type="warning")
            return

        def work(_s: Any, a: Any) -> seo.SiteAudit:
            return seo.audit_site(actor=a, pages=pages, sitemap_xml=sitemap)

        try:
            result = await run.io_bound(with_actor, runtime().engine, raw, work)
        except DomainError as exc:
            ui.notify(exc.message, type="negative")
            return
        results.clear()
        with results:
            rows = [
                {
                    "id": p.page,
                    "page": p.page,
                    "title": p.title or "—",
                    "issues": "; ".join(f"{i.check}: {i.message}" for i in p.issues) or "—",
                }
                for p in (result.pages if result else [])
            ]
            columns = [
                _col("page", _("Page")),
                _col("title", _("Title")),
                _col("issues", _("Issues"), sortable=False),
            ]
            with ui.card().classes("so-card w-full p-0").props("flat"):
                table = _table(columns, rows, key="id")
                table.add_slot(
                    "body-cell-issues",
                    '<q-td :props="props" style="white-space: normal">{{ props.value }}</q-td>',
                )

    with ui.row().classes("items-end gap-3"):
        ui.upload(
            multiple=True,
            auto_upload=True,
            on_upload=received,
            label=_("HTML pages and sitemap.xml"),
        ).props('accept=".html,.htm,.xml" flat bordered').classes("w-96")
        ui.button(_("Audit"), icon="travel_explore", on_click=audit).props(
            "unelevated dense no-caps color=primary"
        )


POST_KINDS: Final[dict[str, str]] = {
    "all": N_("All posts"),
    "post": N_("Post"),
    "short_video": N_("Short video"),
    "kol": N_("KOL"),
    "paid": N_("Paid"),
}


async def _social(
    request: Request, ctx: ConsoleContext, start: str | None, end: str | None
) -> None:
    _ = ctx.translate
    raw = request.cookies.get(SESSION_COOKIE)
    heading(
        _("Social media"),
        _(
            "5.4 · Posts, reach, engagement, link clicks and spend per network, KOL and paid posts apart."
        ),
    )
    store = _one_store(ctx)
    if store is None:
        return
    date_from, date_to = _window(start, end, "/marketing/social", ctx)
    try:
        result = await run.io_bound(
            with_actor,
            runtime().engine,
            raw,
            lambda s, a: social.compare_networks(
                s, actor=a, store_id=store.id, date_from=date_from, date_to=date_to
            ),
        )
    except DomainError as exc:
        ui.label(exc.message).classes("text-negative")
        return
    rows = [
        {
            "id": f"{r.network}:{r.kind}",
            "network": r.network,
            "kind": label(POST_KINDS, r.kind, _),
            "posts": r.posts,
            "impressions": r.impressions,
            "engagement": _pct(r.engagement_rate),
            "clicks": r.link_clicks,
            "spend": _money(r.spend_amount, r.currency),
            "cpc": _money(r.cost_per_click_amount, r.currency),
        }
        for r in result or []
    ]
    columns = [
        _col("network", _("Network")),
        _col("kind", _("Kind")),
        _col("posts", _("Posts"), align="right"),
        _col("impressions", _("Impressions"), align="right"),
        _col("engagement", _("Engagement rate"), align="right"),
        _col("clicks", _("Link clicks"), align="right"),
        _col("spend", _("Spend"), align="right"),
        _col("cpc", _("CPC"), align="right"),
    ]
    with ui.card().classes("so-card w-full p-0").props("flat"):
        _table(columns, rows, key="id").props["no-data-label"] = _(
            "No social posts in this window."
        )


def register() -> None:
    """Add the marketing pages."""

    declare_page("/marketing/ads", Permission.MARKETING_READ)

    @ui.page("/marketing/ads", response_timeout=PAGE_TIMEOUT_S)
    async def ads_page(
        request: Request, start: str | None = None, end: str | None = None
    ) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="marketing-ads", title=_("Paid ads")):
            await _ads(request, opened, start, end)
        return None

    declare_page("/marketing/promotions", Permission.MARKETING_READ)

    @ui.page("/marketing/promotions", response_timeout=PAGE_TIMEOUT_S)
    async def promotions_page(
        request: Request, start: str | None = None, end: str | None = None
    ) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="marketing-promotions", title=_("Promotion uplift")):
            await _promotions(request, opened, start, end)
        return None

    declare_page("/marketing/live", Permission.MARKETING_READ)

    @ui.page("/marketing/live", response_timeout=PAGE_TIMEOUT_S)
    async def live_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="marketing-live", title=_("Live stream review")):
            await _live(request, opened)
        return None

    declare_page("/marketing/seo", Permission.MARKETING_READ)

    @ui.page("/marketing/seo", response_timeout=PAGE_TIMEOUT_S)
    async def seo_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="marketing-seo", title=_("SEO audit")):
            await _seo(request, opened)
        return None

    declare_page("/marketing/social", Permission.MARKETING_READ)

    @ui.page("/marketing/social", response_timeout=PAGE_TIMEOUT_S)
    async def social_page(
        request: Request, start: str | None = None, end: str | None = None
    ) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        _ = opened.translate
        with frame(request, opened, active="marketing-social", title=_("Social media")):
            await _social(request, opened, start, end)
        return None
