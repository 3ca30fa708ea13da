"""``/market``: market research of stage 1.1 — market data import, the market analysis of a
category in a target market (1.1.1-1.1.4), the forecast (1.1.3) and a concentration calculator."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from nicegui import events, ui

from storeops.auth.enums import Permission
from storeops.errors import DomainError
from storeops.market import competitors, development, research, supply_chain
from storeops.market.metrics import HhiGuidelines
from storeops.market.schemas import (
    ConcentrationRead,
    ForecastRead,
    MarketReport,
    ProductSelectionRequest,
)
from storeops.types import Money
from storeops.web.access import declare_page
from storeops.web.context import ConsoleContext
from storeops.web.labels import N_, Translate, label
from storeops.web.layout import frame, heading, kpi, open_console
from storeops.web.pages.market_common import as_actor, attempt

READING_LABELS = {
    "unconcentrated": N_("Unconcentrated"),
    "moderately_concentrated": N_("Moderately concentrated"),
    "highly_concentrated": N_("Highly concentrated"),
}
INTENSITY_LABELS = {
    "intense": N_("Intense competition"),
    "moderate": N_("Moderate competition"),
    "low": N_("Low competition"),
}
STAGE_LABELS = {
    "introduction": N_("Introduction"),
    "growth": N_("Growth"),
    "maturity": N_("Maturity"),
    "decline": N_("Decline"),
}
MARKET_KIND_LABELS = {
    "incremental": N_("Incremental market"),
    "stock": N_("Stock market (existing demand)"),
    "shrinking": N_("Shrinking market"),
}
SEASON_LABELS = {"peak": N_("Peak season"), "off": N_("Off season"), "normal": N_("Normal")}
TURN_LABELS = {"peak": N_("Peak"), "trough": N_("Trough")}
GUIDELINE_LABELS = {
    HhiGuidelines.HMG_2010.value: N_("DOJ/FTC 2010: <1500 / 1500-2500 / >2500"),
    HhiGuidelines.HMG_2023.value: N_("DOJ/FTC 2023: <1000 / 1000-1800 / >1800"),
}


def _card(title: str) -> ui.card:
    card = ui.card().classes("so-card w-full p-4 gap-2").props("flat")
    with card:
        ui.label(title).classes("text-sm font-semibold")
    return card


def _table(columns: list[tuple[str, str, str]], rows: list[dict[str, Any]], empty: str) -> None:
    table = ui.table(
        columns=[{"name": n, "label": lab, "field": n, "align": a} for n, lab, a in columns],
        rows=rows,
        pagination={"rowsPerPage": 0},
    )
    table.classes("so-table w-full").props("dense flat hide-pagination")
    table.props["no-data-label"] = empty


def _concentration(_: Translate, c: ConcentrationRead, what: str) -> None:
    with _card(what):
        ui.label(
            _("CR4 {cr4} % · CR8 {cr8} % · HHI {hhi}: {reading}").format(
                cr4=f"{c.cr4:.1f}",
                cr8=f"{c.cr8:.1f}",
                hhi=f"{c.hhi:,.0f}",
                reading=label(READING_LABELS, c.reading.value, _),
            )
        ).classes("text-sm font-medium so-hhi")
        ui.label(
            _(
                "Thresholds: below {low} unconcentrated, {low} to {high} moderately, above {high} "
                "highly concentrated ({source}). {intensity}: like {firms} equal-sized firms."
            ).format(
                low=c.moderate_from,
                high=c.high_above,
                source=c.thresholds_source,
                intensity=label(INTENSITY_LABELS, c.intensity.value, _),
                firms=f"{c.equivalent_firms:.1f}",
            )
        ).classes("text-xs so-muted")
        _table(
            [("firm", _("Firm"), "left"), ("share", _("Share %"), "right")],
            [{"firm": s.firm, "share": f"{s.share_pct:.1f}"} for s in c.shares[:10]],
            _("No firms"),
        )


def _chart(_: Translate, report: MarketReport, fc: ForecastRead | None) -> None:
    months = [p.period.strftime("%Y-%m") for p in report.monthly]
    actual = [round(p.value / 100, 2) for p in report.monthly]
    future = [p.period.strftime("%Y-%m") for p in fc.points] if fc else []
    pad = [None] * len(months)
    series: list[dict[str, Any]] = [
        {"name": _("Sales"), "type": "line", "data": actual + [None] * len(future)}
    ]
    if fc:
        series += [
            {
                "name": _("Forecast"),
                "type": "line",
                "lineStyle": {"type": "dashed"},
                "data": pad + [round(p.mean / 100, 2) for p in fc.points],
            },
            {
                "name": _("Lower bound"),
                "type": "line",
                "lineStyle": {"opacity": 0.4},
                "data": pad + [round(p.lo / 100, 2) for p in fc.points],
            },
            {
                "name": _("Upper bound"),
                "type": "line",
                "lineStyle": {"opacity": 0.4},
                "data": pad + [round(p.hi / 100, 2) for p in fc.points],
            },
        ]
    marks = [
        {
            "name": label(TURN_LABELS, t.kind.value, _),
            "coord": [t.period.strftime("%Y-%m"), round(t.value / 100, 2)],
        }
        for t in report.turning_points
    ]
    series[0]["markPoint"] = {"data": marks, "symbolSize": 38}
    ui.echart(
        {
            "animation": False,
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 60, "right": 20, "top": 30, "bottom": 30},
            "xAxis": {"type": "category", "data": months + future},
            "yAxis": {"type": "value", "name": report.currency},
            "series": series,
        }
    ).classes("w-full h-72")


def _report(
    _: Translate, report: MarketReport, fc: ForecastRead | None, fc_error: str | None
) -> None:
    d = report.dataset
    heading(
        _("{category} · {market}").format(category=d.category, market=d.market),
        _("Source: {source} · {months} months of data").format(
            source=d.source or "—", months=report.months
        ),
    )
    if report.months == 0:
        ui.label(_("No sales imported yet.")).classes("so-muted")
        return
    with ui.element("div").classes("grid grid-cols-2 lg:grid-cols-5 gap-4 w-full"):
        kpi(
            str(Money(report.size_last_12m, report.currency)),
            _("Market size, last 12 months"),
            icon="payments",
        )
        kpi(f"{report.units_last_12m:,}", _("Units, last 12 months"), icon="inventory_2")
        if report.concentration_by_seller:
            c = report.concentration_by_seller
            kpi(
                f"{c.hhi:,.0f}",
                _("HHI by seller: {reading}").format(
                    reading=label(READING_LABELS, c.reading.value, _)
                ),
                icon="pie_chart",
            )
        kpi(
            label(STAGE_LABELS, report.maturity.stage.value, _) if report.maturity else "—",
            _("Maturity stage (1.1.1)"),
            icon="timeline",
        )
        growth = report.growth
        kpi(
            f"{growth.growth_pct:+.1f} %" if growth and growth.growth_pct is not None else "—",
            label(MARKET_KIND_LABELS, growth.kind.value, _) if growth else _("Growth vs stock"),
            icon="trending_up",
        )
    with _card(_("Monthly sales, turning points and forecast (1.1.3, 1.1.4)")):
        _chart(_, report, fc)
        if fc is not None:
            mape = (
                _(
                    "Backtest over the last {months} months: AutoETS error {model} %, seasonal-naive baseline {baseline} %."
                ).format(
                    months=fc.backtest_months,
                    model=f"{fc.model_mape_pct:.1f}" if fc.model_mape_pct is not None else "—",
                    baseline=f"{fc.baseline_mape_pct:.1f}"
                    if fc.baseline_mape_pct is not None
                    else "—",
                )
                if fc.backtest_months
                else _("No backtest: it needs 30 months of data.")
            )
            ui.label(
                _("Forecast: {model}, {level} % interval. {backtest}").format(
                    model=fc.model, level=fc.level, backtest=mape
                )
            ).classes("text-xs so-muted so-forecast")
        elif fc_error:
            ui.label(_("No forecast: {reason}").format(reason=fc_error)).classes("text-xs so-muted")
    if report.maturity:
        ui.label(
            _("Maturity: {stage} — {why}").format(
                stage=label(STAGE_LABELS, report.maturity.stage.value, _),
                why=report.maturity.explanation,
            )
        ).classes("text-sm")
    with ui.element("div").classes("grid grid-cols-1 lg:grid-cols-2 gap-4 w-full"):
        if report.concentration_by_seller:
            _concentration(
                _,
                report.concentration_by_seller,
                _("Concentration by seller, last 12 months (1.1.4)"),
            )
        if report.concentration_by_brand:
            _concentration(
                _,
                report.concentration_by_brand,
                _("Concentration by brand, last 12 months (1.1.4)"),
            )
        with _card(_("Turning points (1.1.4)")):
            _table(
                [
                    ("period", _("Month"), "left"),
                    ("kind", _("Turn"), "left"),
                    ("before", _("Change before %"), "right"),
                    ("after", _("Change after %"), "right"),
                ],
                [
                    {
                        "period": t.period.strftime("%Y-%m"),
                        "kind": label(TURN_LABELS, t.kind.value, _),
                        "before": f"{t.change_before_pct:+.1f}",
                        "after": f"{t.change_after_pct:+.1f}",
                    }
                    for t in report.turning_points
                ],
                _("No turning point: no move of 10 % or more on the 3-month average"),
            )
        with _card(_("Seasons (1.1.4)")):
            _table(
                [
                    ("month", _("Month"), "left"),
                    ("index", _("Seasonal index"), "right"),
                    ("kind", _("Season"), "left"),
                ],
                [
                    {
                        "month": s.month,
                        "index": f"{s.index:.2f}",
                        "kind": label(SEASON_LABELS, s.kind.value, _),
                    }
                    for s in report.seasonality
                ],
                _("Seasons need a complete calendar year of data"),
            )
        with _card(_("Price bands, last 12 months (1.1.4)")):
            best = report.best_price_band
            if best:
                ui.label(
                    _("Best-selling band: {low} to {high}, {share} % of units").format(
                        low=Money(best.low, report.currency),
                        high=Money(best.high, report.currency),
                        share=f"{best.units_share_pct:.1f}",
                    )
                ).classes("text-sm font-medium so-best-band")
            _table(
                [
                    ("band", _("Price band"), "left"),
                    ("units", _("Units"), "right"),
                    ("share", _("Share of units %"), "right"),
                ],
                [
                    {
                        "band": f"{Money(b.low, report.currency)} – {Money(b.high, report.currency)}",
                        "units": f"{b.units:,}",
                        "share": f"{b.units_share_pct:.1f}",
                    }
                    for b in report.price_bands
                ],
                _("No units sold"),
            )
        with _card(_("Hot search attributes (1.1.4)")):
            _table(
                [
                    ("attribute", _("Attribute"), "left"),
                    ("volume", _("Searches"), "right"),
                    ("growth", _("Growth %"), "right"),
                    ("rising", _("Rising"), "left"),
                ],
                [
                    {
                        "attribute": a.attribute,
                        "volume": f"{a.volume:,}",
                        "growth": f"{a.growth_pct:+.0f}" if a.growth_pct is not None else _("new"),
                        "rising": "▲" if a.rising else "",
                    }
                    for a in report.hot_attributes
                ],
                _("No search terms imported"),
            )
        with _card(_("Brand segments, last 12 months (1.1.2)")):
            _table(
                [
                    ("brand", _("Brand"), "left"),
                    ("revenue", _("Revenue"), "right"),
                    ("share", _("Share %"), "right"),
                ],
                [
                    {
                        "brand": s.name,
                        "revenue": str(Money(s.value, report.currency)),
                        "share": f"{s.share_pct:.1f}",
                    }
                    for s in report.brand_segments[:12]
                ],
                _("No sales"),
            )
    for note in report.notes:
        ui.label(_("Note: {note}").format(note=note)).classes("text-xs so-muted")


def _import_card(request: Request, _: Translate) -> None:
    with _card(_("Import market data (CSV)")):
        ui.label(
            _(
                "Sales: period (YYYY-MM), seller, brand, price, units[, revenue]. Search terms: "
                "period, term, volume. A file with any bad row imports nothing; re-importing "
                "replaces the months in the file."
            )
        ).classes("text-xs so-muted")
        with ui.row().classes("gap-2 items-end"):
            category = ui.input(_("Category")).props("dense outlined").classes("w-56")
            market = (
                ui.input(_("Target market"), value="US").props("dense outlined").classes("w-32")
            )
            currency = ui.input(_("Currency"), value="USD").props("dense outlined").classes("w-24")
            source = ui.input(_("Source")).props("dense outlined").classes("w-64")
        errors = ui.column().classes("w-full gap-0")

        def handler(kind: str) -> Any:
            async def upload(event: events.UploadEventArguments) -> None:
                errors.clear()
                text = (await event.file.read()).decode("utf-8-sig", errors="replace")
                action = (
                    research.import_market_sales
                    if kind == "sales"
                    else research.import_search_terms
                )
                try:
                    result = await as_actor(
                        request,
                        action,
                        category=category.value or "",
                        market=market.value or "",
                        currency=currency.value or "",
                        csv_text=text,
                        source=source.value or "",
                    )
                except DomainError as exc:
                    with errors:
                        ui.label(exc.message).classes("text-xs text-negative so-import-error")
                    ui.notify(_("Nothing imported: the file has errors."), type="negative")
                    return
                ui.notify(_("Imported {rows} rows.").format(rows=result.rows), type="positive")
                ui.navigate.to(f"/market?dataset={result.dataset_id}")

            return upload

        with ui.row().classes("gap-4"):
            ui.upload(label=_("Sales CSV"), on_upload=handler("sales"), auto_upload=True).props(
                "accept=.csv dense flat bordered"
            ).classes("w-72")
            ui.upload(
                label=_("Search terms CSV"), on_upload=handler("search"), auto_upload=True
            ).props("accept=.csv dense flat bordered").classes("w-72")


def _from_records_card(request: Request, _: Translate, categories: list[tuple[str, str]]) -> None:
    with _card(_("Build market data from this company's records")):
        ui.label(
            _(
                "Own sales of the category in USD, the recorded competitors' estimated sales and "
                "the listings' search terms become a dataset for the target market 'global'."
            )
        ).classes("text-xs so-muted")
        choice = (
            ui.select(
                dict(categories),
                label=_("Category"),
                value=categories[0][0] if categories else None,
            )
            .props("dense outlined")
            .classes("w-72 so-records-category")
        )

        async def build() -> None:
            results = await attempt(
                request, _, research.import_company_market, category_code=choice.value or ""
            )
            if results:
                ui.navigate.to(f"/market?dataset={results[0].dataset_id}")

        ui.button(_("Build and analyse"), on_click=build).props(
            "dense unelevated no-caps color=primary"
        ).classes("so-build")


def _product_selection(request: Request, _: Translate) -> None:
    with _card(_("Product selection scoring (1.1.8)")):
        ui.label(
            _(
                "One candidate per line: name, monthly searches, competing listings, price, unit "
                "cost, shipping, fee %, seasonal swing, certificates needed, battery (yes/no), "
                "liquid (yes/no). Amounts in the currency below."
            )
        ).classes("text-xs so-muted")
        text = (
            ui.textarea(
                value="Tire inflator, 9999, 9, 20.00, 6.00, 3.00, 15, 0.5, 1, yes, no\n"
                "Seat organizer, 99, 0, 10.00, 7.00, 2.00, 10, 0, 0, no, no"
            )
            .props("dense outlined")
            .classes("w-full so-products-input")
        )
        currency = ui.input(_("Currency"), value="USD").props("dense outlined").classes("w-24")
        out = ui.column().classes("w-full")

        async def score() -> None:
            keys = ("name", "monthly_searches", "competing_listings", "price", "unit_cost",
                    "shipping_cost", "fee_pct", "seasonality_strength", "certificates_needed",
                    "has_battery", "has_liquid")  # fmt: skip
            candidates = []
            for line in (text.value or "").splitlines():
                if not line.strip():
                    continue
                cells = [c.strip() for c in line.split(",")]
                row: dict[str, Any] = dict(zip(keys, cells, strict=False))
                for flag in ("has_battery", "has_liquid"):
                    row[flag] = str(row.get(flag, "")).lower() in ("yes", "true", "1")
                candidates.append(row)
            try:
                body = ProductSelectionRequest.model_validate(
                    {"currency": currency.value or "", "candidates": candidates}
                )
            except ValueError as exc:
                ui.notify(
                    _("Not done: {message}").format(message=str(exc).splitlines()[0]),
                    type="negative",
                )
                return
            ranked = await attempt(request, _, _score_call, request_body=body)
            out.clear()
            if ranked is None:
                return
            with out:
                _table(
                    [("rank", _("Rank"), "right"), ("name", _("Candidate"), "left"), ("score", _("Score (0-10)"), "right"),
                     ("margin", _("Margin per unit"), "right"), ("why", _("Why"), "left")],
                    [{"rank": s.rank, "name": s.name, "score": f"{s.total:.2f}", "margin": s.margin,
                      "why": "; ".join(f"{c.criterion} {c.score:.1f}: {c.reason}" for c in s.criteria)} for s in ranked],
                    _("No candidates"),
                )  # fmt: skip

        ui.button(_("Score the candidates"), on_click=score).props(
            "dense unelevated no-caps color=primary"
        ).classes("so-score-products")


def _score_call(session: Any, *, actor: Any, request_body: ProductSelectionRequest) -> Any:
    return research.select_products(request=request_body, actor=actor)


CLASS_LABELS = {"direct": N_("Direct"), "indirect": N_("Indirect"), "potential": N_("Potential")}


def _competitors_card(request: Request, _: Translate, categories: list[tuple[str, str]]) -> None:
    import datetime as dt

    with _card(_("Competitors (1.1.5)")):
        with ui.row().classes("gap-2 items-end"):
            choice = (
                ui.select(dict(categories), label=_("Category"), value=categories[0][0])
                .props("dense outlined")
                .classes("w-64")
            )
            today = dt.datetime.now(dt.UTC).date()
            start = (
                ui.input(_("From"), value=(today - dt.timedelta(days=90)).isoformat())
                .props("dense outlined type=date")
                .classes("w-40")
            )
            end = (
                ui.input(_("To"), value=today.isoformat())
                .props("dense outlined type=date")
                .classes("w-40")
            )
        out = ui.column().classes("w-full")

        async def analyse() -> None:
            try:
                first, last = dt.date.fromisoformat(start.value), dt.date.fromisoformat(end.value)
            except (TypeError, ValueError):
                ui.notify(
                    _("Not a date: {value}").format(value=f"{start.value} / {end.value}"),
                    type="negative",
                )
                return
            result = await attempt(
                request,
                _,
                competitors.competitor_analysis,
                category_code=choice.value,
                period_start=first,
                period_end=last,
            )
            out.clear()
            if result is None:
                return
            with out:
                ui.label(
                    _(
                        "You sell on {platforms}; your average price {price}, {units} units a month."
                    ).format(
                        platforms=", ".join(result.own_platforms) or "—",
                        price=result.own_avg_price or "—",
                        units=result.own_monthly_units,
                    )
                ).classes("text-xs so-muted")
                _table(
                    [("name", _("Competitor"), "left"), ("platform", _("Platform"), "left"), ("kind", _("Kind"), "left"),
                     ("new", _("New in period"), "left"), ("price", _("Average price"), "right"),
                     ("units", _("Units a month"), "right"), ("rating", _("Rating"), "right"), ("why", _("Why"), "left")],
                    [{"name": r.name, "platform": r.platform, "kind": label(CLASS_LABELS, r.classification, _),
                      "new": "✓" if r.new_in_period else "", "price": r.avg_price if r.avg_price is not None else "—",
                      "units": r.est_monthly_units, "rating": r.avg_rating if r.avg_rating is not None else "—", "why": r.reason}
                     for r in result.competitors],
                    _("No competitors recorded"),
                )  # fmt: skip

        ui.button(_("Analyse competitors"), on_click=analyse).props(
            "dense unelevated no-caps color=primary"
        ).classes("so-competitors")


def _supply_card(request: Request, _: Translate) -> None:
    import datetime as dt

    with _card(_("Supply chain (1.1.9)")):
        with ui.row().classes("gap-2 items-end"):
            today = dt.datetime.now(dt.UTC).date()
            start = (
                ui.input(_("From"), value=(today - dt.timedelta(days=90)).isoformat())
                .props("dense outlined type=date")
                .classes("w-40")
            )
            end = (
                ui.input(_("To"), value=today.isoformat())
                .props("dense outlined type=date")
                .classes("w-40")
            )
        out = ui.column().classes("w-full")

        async def analyse() -> None:
            try:
                first, last = dt.date.fromisoformat(start.value), dt.date.fromisoformat(end.value)
            except (TypeError, ValueError):
                ui.notify(
                    _("Not a date: {value}").format(value=f"{start.value} / {end.value}"),
                    type="negative",
                )
                return
            result = await attempt(
                request, _, supply_chain.supply_chain_analysis, period_start=first, period_end=last
            )
            out.clear()
            if result is None:
                return
            with out:
                hhi = result.concentration
                ui.label(
                    _("{units} units sold; units-weighted lead time {days} days; supplier HHI {hhi}.").format(
                        units=result.total_units, days=result.weighted_lead_time_days or "—",
                        hhi=f"{hhi.hhi:,.0f} ({label(READING_LABELS, hhi.reading.value, _)})" if hhi else "—",
                    )
                ).classes("text-sm")  # fmt: skip
                for line in result.single_source_categories + result.notes:
                    ui.label(line).classes("text-xs so-muted")
                _table(
                    [("name", _("Supplier"), "left"), ("lead", _("Lead time (days)"), "right"), ("units", _("Units"), "right"),
                     ("share", _("Share %"), "right"), ("ltd", _("Units sold in one lead time"), "right"), ("flags", _("Flags"), "left")],
                    [{"name": r.name, "lead": r.lead_time_days, "units": r.units, "share": f"{r.share_pct:.1f}",
                      "ltd": r.lead_time_demand, "flags": "; ".join(r.flags)} for r in result.suppliers],
                    _("No suppliers recorded"),
                )  # fmt: skip

        ui.button(_("Analyse suppliers"), on_click=analyse).props(
            "dense unelevated no-caps color=primary"
        ).classes("so-supply")


def _plan_card(
    request: Request,
    _: Translate,
    dataset_id: int,
    plans: list[Any],
    categories: list[tuple[str, str]],
) -> None:
    with _card(_("Product development plan (1.1.7)")):
        ui.label(
            _(
                "Drawn from the rising search attributes, the maturity stage, the best-selling price band and, with a catalog category, the buyers' complaint and refund reasons."
            )
        ).classes("text-xs so-muted")
        choice = (
            ui.select({"": "—", **dict(categories)}, value="", label=_("Category for buyer needs"))
            .props("dense outlined")
            .classes("w-72")
        )

        async def draw() -> None:
            from storeops.market.schemas import PlanCreate

            if (
                await attempt(
                    request,
                    _,
                    development.draw_up_plan,
                    data=PlanCreate(dataset_id=dataset_id, category_code=choice.value or ""),
                )
                is not None
            ):
                ui.navigate.reload()

        ui.button(_("Draw up a plan"), on_click=draw).props(
            "dense unelevated no-caps color=primary"
        ).classes("so-plan")
        for plan in plans:
            ui.label(plan.title).classes("text-sm font-medium")
            _table(
                [("priority", _("Priority"), "right"), ("title", _("Action"), "left"), ("evidence", _("Evidence"), "left"),
                 ("due", _("Due"), "left"), ("status", _("Status"), "left")],
                [{"priority": i.priority, "title": i.title, "evidence": i.evidence, "due": str(i.due_on or "—"),
                  "status": i.status.value} for i in plan.items],
                _("No actions"),
            )  # fmt: skip


def _calculator(request: Request, _: Translate) -> None:
    with _card(_("Concentration calculator (1.1.4)")):
        ui.label(_("One firm per line: name, sales (value or units).")).classes("text-xs so-muted")
        text = (
            ui.textarea(value="A, 30\nB, 30\nC, 20\nD, 20")
            .props("dense outlined")
            .classes("w-full so-calc-input")
        )
        guidelines = (
            ui.select(
                {k: _(v) for k, v in GUIDELINE_LABELS.items()},
                value=HhiGuidelines.HMG_2010.value,
                label=_("Thresholds"),
            )
            .props("dense outlined")
            .classes("w-96")
        )
        result = ui.column().classes("gap-0")

        async def compute() -> None:
            sales: dict[str, float] = {}
            result.clear()
            for line in (text.value or "").splitlines():
                if not line.strip():
                    continue
                name, _sep, value = line.rpartition(",")
                try:
                    sales[name.strip() or value.strip()] = float(value)
                except ValueError:
                    with result:
                        ui.label(_("Not a number: {line}").format(line=line)).classes(
                            "text-negative text-xs"
                        )
                    return
            reading = await attempt(
                request,
                _,
                _concentration_call,
                sales=sales,
                guidelines=HhiGuidelines(guidelines.value),
            )
            if reading is not None:
                with result:
                    _concentration(_, reading, _("Result"))

        ui.button(_("Compute"), on_click=compute).props(
            "dense unelevated no-caps color=primary"
        ).classes("so-calc")


def _concentration_call(
    session: Any, *, actor: Any, sales: dict[str, float], guidelines: HhiGuidelines
) -> ConcentrationRead:
    return research.compute_concentration(sales=sales, actor=actor, guidelines=guidelines)


def _load(session: Any, *, actor: Any, dataset_id: int | None) -> dict[str, Any]:
    datasets = research.list_datasets(session, actor=actor)
    report = fc = None
    fc_error = None
    if dataset_id is not None:
        report = research.market_report(session, dataset_id=dataset_id, actor=actor)
        if report.months:
            try:
                fc = research.forecast_market(session, dataset_id=dataset_id, actor=actor)
            except DomainError as exc:
                fc_error = exc.message
    return {
        "datasets": [
            (d.id, d.category, d.market, d.currency, d.source, d.updated_at) for d in datasets
        ],
        "report": report,
        "forecast": fc,
        "forecast_error": fc_error,
        "can_manage": actor.can(Permission.MARKET_MANAGE) and actor.can(Permission.IMPORT_RUN),
        "categories": research.category_choices(session, actor=actor),
        "plans": [
            p for p in development.list_plans(session, actor=actor) if p.dataset_id == dataset_id
        ],
    }


async def _page(request: Request, ctx: ConsoleContext, dataset: str | None) -> None:
    _ = ctx.translate
    dataset_id = int(dataset) if dataset and dataset.isdigit() else None
    # The forecast can take seconds (the first one loads statsforecast): draw after connecting.
    await ui.context.client.connected()
    try:
        data = await as_actor(request, _load, dataset_id=dataset_id)
    except DomainError as exc:
        heading(_("Market research"))
        ui.label(exc.message).classes("text-negative")
        return
    heading(
        _("Market research"),
        _(
            "1.1 of the standard: market size and maturity, growth vs stock, seasons and turning points, concentration, price bands, search attributes, forecast"
        ),
    )
    with _card(_("Market data (category × target market)")):
        _table(
            [
                ("category", _("Category"), "left"),
                ("market", _("Target market"), "left"),
                ("currency", _("Currency"), "left"),
                ("source", _("Source"), "left"),
                ("updated", _("Updated"), "left"),
            ],
            [
                {
                    "category": c,
                    "market": m,
                    "currency": cur,
                    "source": src,
                    "updated": up.strftime("%Y-%m-%d %H:%M"),
                }
                for i, c, m, cur, src, up in data["datasets"]
            ],
            _("No market data yet: import a sales CSV below."),
        )
        for i, c, m, _cur, _src, _up in data["datasets"]:
            ui.link(f"{c} · {m}", f"/market?dataset={i}").classes("text-xs so-dataset-link")
    if data["report"] is not None:
        _report(_, data["report"], data["forecast"], data["forecast_error"])
        if data["can_manage"] and dataset_id is not None and data["report"].months:
            _plan_card(request, _, dataset_id, data["plans"], data["categories"])
    if data["can_manage"]:
        _import_card(request, _)
        if data["categories"]:
            _from_records_card(request, _, data["categories"])
    if data["categories"]:
        _competitors_card(request, _, data["categories"])
        _supply_card(request, _)
    _product_selection(request, _)
    _calculator(request, _)


def register() -> None:
    """Add the market research pages."""
    from storeops.web.pages import market_onboarding, market_platforms, market_rules

    market_platforms.register()
    market_rules.register()
    market_onboarding.register()

    declare_page("/market", Permission.MARKET_READ)

    @ui.page("/market")
    async def market_page(request: Request, dataset: str | None = None) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        with frame(request, ctx, active="market", title=_("Market research")):
            await _page(request, ctx, dataset)
        return None
