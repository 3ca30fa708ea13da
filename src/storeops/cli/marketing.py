"""``storeops marketing``: paid ads (5.2) and promotions (5.1)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from storeops.cli.common import OutputFormat, cli_errors, company_actor, emit, out, unit_of_work
from storeops.marketing import ads, live, promotions, seo, social

app = typer.Typer(
    help="Marketing (stage 5): paid-ad keywords, wasteful keywords, bid suggestions, budget "
    "pacing, promotion uplift, live stream review, SEO audit of a local site copy.",
    no_args_is_help=True,
)

CompanyOpt = Annotated[
    str | None,
    typer.Option("--company", "-c", help="Company name (needed only when there are several)."),
]
FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table for people; json or csv for scripts.")
]
FromOpt = Annotated[dt.datetime, typer.Option("--from", help="First day.", formats=["%Y-%m-%d"])]
ToOpt = Annotated[dt.datetime, typer.Option("--to", help="Last day.", formats=["%Y-%m-%d"])]
StoreArg = Annotated[int, typer.Argument(help="Store id.")]


@app.command("keywords")
@cli_errors
def keywords(
    store_id: StoreArg,
    date_from: FromOpt,
    date_to: ToOpt,
    wasteful: Annotated[bool, typer.Option("--wasteful", help="Only wasteful keywords.")] = False,
    target_acos: Annotated[float, typer.Option("--target-acos", help="e.g. 0.3 for 30 %.")] = (
        ads.DEFAULT_TARGET_ACOS
    ),
    min_clicks: Annotated[
        int,
        typer.Option("--min-clicks", help="Clicks without an order that make a keyword wasteful."),
    ] = ads.DEFAULT_MIN_CLICKS,
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """5.2.3 Keyword figures (spend, CTR, CPC, CVR, ACoS, ROAS), the wasteful rule, bid suggestions."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = ads.keyword_performance(
            session,
            actor=actor,
            store_id=store_id,
            date_from=date_from.date(),
            date_to=date_to.date(),
            target_acos=target_acos,
            min_clicks=min_clicks,
        )
        records = [r.model_dump() for r in rows if r.wasteful or not wasteful]
    emit(
        records,
        ["campaign_id", "keyword", "clicks", "spend_amount", "orders", "ctr", "cpc_amount", "acos",
         "roas", "wasteful", "suggestion", "suggested_bid_amount"],
        output,
    )  # fmt: skip


@app.command("pacing")
@cli_errors
def pacing(
    store_id: StoreArg,
    date_from: FromOpt,
    date_to: ToOpt,
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """5.2.3 Budget pacing per campaign: spend against daily budget × days live."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            r.model_dump()
            for r in ads.campaign_pacing(
                session,
                actor=actor,
                store_id=store_id,
                date_from=date_from.date(),
                date_to=date_to.date(),
            )
        ]
    emit(
        rows,
        ["campaign_id", "name", "currency", "budget_amount", "spend_amount", "pacing",
         "days_over_budget", "state", "acos", "roas"],
        output,
    )  # fmt: skip


@app.command("uplift")
@cli_errors
def uplift(
    store_id: StoreArg,
    date_from: FromOpt,
    date_to: ToOpt,
    baseline_days: Annotated[
        int, typer.Option("--baseline-days", help="Days before a promotion.")
    ] = (promotions.DEFAULT_BASELINE_DAYS),
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """5.1.3 Orders and revenue per day during each promotion against its baseline."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {
                **u.model_dump(exclude={"during", "baseline"}),
                "orders_per_day": u.during.orders_per_day,
                "baseline_orders_per_day": u.baseline.orders_per_day,
            }
            for u in promotions.promotion_uplift(
                session,
                actor=actor,
                store_id=store_id,
                date_from=date_from.date(),
                date_to=date_to.date(),
                baseline_days=baseline_days,
            )
        ]
    emit(
        rows,
        ["promotion_id", "name", "starts_on", "ends_on", "orders_per_day", "baseline_orders_per_day",
         "orders_uplift_pct", "revenue_uplift_pct", "attributed_orders"],
        output,
    )  # fmt: skip


@app.command("live-review")
@cli_errors
def live_review(
    plan_id: Annotated[int, typer.Argument(help="Live stream plan id.")],
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """5.3.10 A live stream against its plan's targets, with the gaps."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        result = live.review_live_stream(session, actor=actor, plan_id=plan_id)
    emit(
        [m.model_dump() for m in result.metrics],
        ["metric", "target", "actual", "gap", "achieved_pct"],
        output,
    )
    if output is OutputFormat.TABLE:
        for gap in result.gaps:
            out.print(f"[yellow]gap:[/yellow] {gap}", highlight=False)


@app.command("seo-audit")
@cli_errors
def seo_audit(
    root: Annotated[
        Path,
        typer.Argument(
            help="A local copy of the site: its .html files are audited, its sitemap.xml read.",
            exists=True,
            file_okay=False,
            dir_okay=True,
            resolve_path=True,
        ),
    ],
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """5.5 SEO audit of a local copy of the seller's site (nothing is fetched from the internet)."""
    pages: dict[str, str] = {}
    other: set[str] = set()
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        site_path = "/" + path.relative_to(root).as_posix()
        if path.suffix.lower() in (".html", ".htm"):
            pages[site_path] = path.read_text(encoding="utf-8", errors="replace")
        else:
            other.add(site_path)
    sitemap = root / "sitemap.xml"
    with unit_of_work() as session:
        actor = company_actor(session, company)
        result = seo.audit_site(
            actor=actor,
            pages=pages,
            sitemap_xml=sitemap.read_text(encoding="utf-8") if sitemap.is_file() else None,
            other_files=frozenset(other),
        )
    rows = [
        {
            "page": p.page,
            "title": p.title,
            "h1": p.h1_count,
            "images_without_alt": p.images_without_alt,
            "broken_links": len(p.broken_links),
            "in_sitemap": p.in_sitemap,
            "issues": " | ".join(f"{i.check}: {i.message}" for i in p.issues),
        }
        for p in result.pages
    ]
    emit(
        rows,
        ["page", "title", "h1", "images_without_alt", "broken_links", "in_sitemap", "issues"],
        output,
    )


@app.command("social")
@cli_errors
def social_compare(
    store_id: StoreArg,
    date_from: FromOpt,
    date_to: ToOpt,
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """5.4 Social posts compared across networks (reach, engagement, clicks, spend)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            r.model_dump()
            for r in social.compare_networks(
                session,
                actor=actor,
                store_id=store_id,
                date_from=date_from.date(),
                date_to=date_to.date(),
            )
        ]
    emit(
        rows,
        ["network", "kind", "posts", "impressions", "engagement_rate", "click_rate", "spend_amount",
         "cost_per_click_amount"],
        output,
    )  # fmt: skip
