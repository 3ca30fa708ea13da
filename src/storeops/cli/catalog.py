"""``storeops catalog``: listing quality (3.3.2), zero-effect listings (3.2.6), certificates (3.1.3)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

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
from storeops.cli.common import OutputFormat, cli_errors, company_actor, emit, out, unit_of_work

app = typer.Typer(
    help="Products and listings (stage 3): quality check, zero-effect listings, certificates, "
    "launch plan, groups, showcase, diagnosis.",
    no_args_is_help=True,
)

CompanyOpt = Annotated[
    str | None,
    typer.Option("--company", "-c", help="Company name (needed only when there are several)."),
]
StoreOpt = Annotated[int | None, typer.Option("--store", "-s", help="Only this store id.")]
FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table for people; json or csv for scripts.")
]


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@app.command("quality")
@cli_errors
def quality_check(
    store: StoreOpt = None,
    below: Annotated[
        int | None, typer.Option("--below", help="Only listings scoring under this (0-100).")
    ] = None,
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """3.3.2 Score every listing against its platform's rules and list the fixes, worst first."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        results = quality.check_listing_quality(session, actor=actor, store_id=store, below=below)
        rows = [
            {
                "listing_id": r.listing_id,
                "store_id": r.store_id,
                "platform": r.platform,
                "external_id": r.external_id,
                "score": r.score,
                "fixes": " | ".join(f"{f.rule}: {f.message}" for f in r.fixes),
            }
            for r in results
        ]
    emit(rows, ["listing_id", "store_id", "platform", "external_id", "score", "fixes"], output)


@app.command("rules")
@cli_errors
def quality_rules(
    platform: Annotated[str, typer.Argument(help="amazon, aliexpress, ebay, shopee, alibaba_com.")],
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """3.3.2 Show a platform's listing quality rules and the guideline each one cites."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [r.model_dump() for r in quality.list_rules(platform=platform, actor=actor)]
    emit(rows, ["id", "kind", "weight", "params", "source"], output)


@app.command("zero-effect")
@cli_errors
def zero_effect_list(
    date_from: Annotated[
        dt.datetime, typer.Option("--from", help="First day (store-local).", formats=["%Y-%m-%d"])
    ],
    date_to: Annotated[
        dt.datetime, typer.Option("--to", help="Last day (store-local).", formats=["%Y-%m-%d"])
    ],
    store: StoreOpt = None,
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """3.2.6 Active listings with no impression, click, inquiry or order between --from and --to."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        found = zero_effect.find_zero_effect_listings(
            session, actor=actor, date_from=date_from.date(), date_to=date_to.date(), store_id=store
        )
        rows = [f.model_dump() for f in found]
    emit(rows, ["listing_id", "store_id", "external_id", "listed_on", "title"], output)


@app.command("act")
@cli_errors
def act(
    action: Annotated[str, typer.Argument(help="hide, delete or optimise.")],
    listing_ids: Annotated[list[int], typer.Argument(help="Listing ids.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why (kept with the record).")],
    company: CompanyOpt = None,
) -> None:
    """3.2.6 Hide, delete or mark for optimisation listings in bulk (recorded; all or nothing)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        records = zero_effect.act_on_listings(
            session, actor=actor, listing_ids=listing_ids, action=action, reason=reason
        )
        out.print(f"{action}: {len(records)} listing(s) recorded")


@app.command("certificates")
@cli_errors
def certificate_list(
    on: Annotated[
        dt.datetime | None,
        typer.Option("--on", help="Day to judge expiry (default today).", formats=["%Y-%m-%d"]),
    ] = None,
    within: Annotated[int, typer.Option("--within", help="Warn this many days ahead.")] = 60,
    warnings: Annotated[bool, typer.Option("--warnings", help="Only expiring or expired.")] = False,
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """3.1.3 Certificates of the products with their expiry state."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            c.model_dump()
            for c in certificates.list_certificates(
                session,
                actor=actor,
                on=on.date() if on else _today(),
                within_days=within,
                only_warnings=warnings,
            )
        ]
    emit(
        rows,
        ["id", "product_code", "kind", "market", "number", "expires_on", "days_left", "state"],
        output,
    )


@app.command("certificate-gaps")
@cli_errors
def certificate_gaps(
    on: Annotated[
        dt.datetime | None,
        typer.Option("--on", help="Day to check (default today).", formats=["%Y-%m-%d"]),
    ] = None,
    store: StoreOpt = None,
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """3.1.3 Listings lacking a certificate their store's target market requires."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            g.model_dump()
            for g in certificates.check_listing_certificates(
                session, actor=actor, on=on.date() if on else _today(), store_id=store
            )
        ]
    emit(
        rows,
        ["listing_id", "store_name", "product_code", "category", "market", "kind", "problem"],
        output,
    )


@app.command("plan-week")
@cli_errors
def plan_week(
    store_id: Annotated[int, typer.Argument(help="Store id.")],
    week_start: Annotated[
        dt.datetime, typer.Argument(help="Monday of the week.", formats=["%Y-%m-%d"])
    ],
    planned: Annotated[int, typer.Argument(help="New listings planned that week.")],
    note: Annotated[str, typer.Option("--note", help="What the week's launches are.")] = "",
    company: CompanyOpt = None,
) -> None:
    """3.2.1 / 3.3.1 Plan how many new listings a store launches in a week."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        launch_plan.set_launch_week(
            session,
            actor=actor,
            store_id=store_id,
            week_start=week_start.date(),
            planned_count=planned,
            note=note,
        )
        out.print(f"store {store_id}, week of {week_start.date()}: {planned} planned")


@app.command("launch-plan")
@cli_errors
def launch_plan_show(
    store_id: Annotated[int, typer.Argument(help="Store id.")],
    week_from: Annotated[
        dt.datetime, typer.Option("--from", help="First Monday.", formats=["%Y-%m-%d"])
    ],
    week_to: Annotated[
        dt.datetime, typer.Option("--to", help="Last Monday.", formats=["%Y-%m-%d"])
    ],
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """3.2.1 / 3.3.1 Planned against launched listings per week, and cadence warnings."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        report = launch_plan.launch_plan_report(
            session,
            actor=actor,
            store_id=store_id,
            week_from=week_from.date(),
            week_to=week_to.date(),
            today=_today(),
        )
    emit(
        [w.model_dump() for w in report.weeks],
        ["week_start", "planned", "actual", "gap", "state", "note"],
        output,
    )
    if output is OutputFormat.TABLE:
        for warning in report.warnings:
            out.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)


@app.command("groups")
@cli_errors
def group_list(
    store: StoreOpt = None, company: CompanyOpt = None, output: FormatOpt = OutputFormat.TABLE
) -> None:
    """3.2.4 / 3.3.3 Product groups with owner, listing counts and average quality score."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [g.model_dump() for g in groups.group_overview(session, actor=actor, store_id=store)]
    emit(
        rows,
        ["id", "store_id", "name", "owner_name", "listings", "active", "average_quality"],
        output,
    )


@app.command("showcase")
@cli_errors
def showcase_show(
    store_id: Annotated[int, typer.Argument(help="Store id.")],
    on: Annotated[
        dt.datetime | None,
        typer.Option("--on", help="Judge up to this day (default today).", formats=["%Y-%m-%d"]),
    ] = None,
    days: Annotated[int, typer.Option("--days", help="Days after (and before) a placement.")] = 30,
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """3.2.5 Showcase placements: clicks per day before and after, and swap suggestions."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        effects = showcase.showcase_effect(
            session, actor=actor, store_id=store_id, on=on.date() if on else _today(), days=days
        )
        rows = [
            {
                **e.model_dump(exclude={"before", "after"}),
                "clicks_before": e.before.clicks_per_day,
                "clicks_after": e.after.clicks_per_day,
            }
            for e in effects
        ]
    emit(
        rows,
        [
            "slot_no",
            "listing_id",
            "since",
            "until",
            "clicks_before",
            "clicks_after",
            "verdict",
            "swap_for_listing_id",
        ],
        output,
    )


@app.command("diagnose")
@cli_errors
def diagnose(
    store_id: Annotated[int, typer.Argument(help="Store id.")],
    date_from: Annotated[
        dt.datetime, typer.Option("--from", help="First day.", formats=["%Y-%m-%d"])
    ],
    date_to: Annotated[dt.datetime, typer.Option("--to", help="Last day.", formats=["%Y-%m-%d"])],
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """3.2.7 / 3.3.4 What holds each active listing back, and the recommended action."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        result = diagnosis.diagnose_listings(
            session,
            actor=actor,
            store_id=store_id,
            date_from=date_from.date(),
            date_to=date_to.date(),
        )
        rows = [
            {
                **d.model_dump(exclude={"problems"}),
                "problems": " | ".join(f"{p.code}: {p.detail}" for p in d.problems),
            }
            for d in result
        ]
    emit(
        rows,
        [
            "listing_id",
            "impressions",
            "ctr",
            "cvr",
            "quality_score",
            "problems",
            "recommended_action",
        ],
        output,
    )


@app.command("competitors")
@cli_errors
def competitor_list(company: CompanyOpt = None, output: FormatOpt = OutputFormat.TABLE) -> None:
    """3.1.1 Competitor products: latest price, estimated sales, rating, price change."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [r.model_dump() for r in competitors.list_competitor_products(session, actor=actor)]
    emit(
        rows,
        ["id", "competitor", "title", "brand", "currency", "price_amount", "price_change_pct",
         "est_monthly_sales", "rating", "review_count", "observations"],
        output,
    )  # fmt: skip


@app.command("suppliers")
@cli_errors
def supplier_list(
    min_rating: Annotated[int, typer.Option("--min-rating", help="1-5.")] = 0,
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """3.1.2 Suppliers with their terms, products and cost range."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            r.model_dump()
            for r in sourcing.list_suppliers(session, actor=actor, min_rating=min_rating)
        ]
    emit(
        rows,
        ["id", "name", "kind", "city", "rating", "lead_time_days", "moq", "products",
         "min_cost_amount", "max_cost_amount", "cost_currency"],
        output,
    )  # fmt: skip


@app.command("keywords")
@cli_errors
def keyword_list(
    market: Annotated[str | None, typer.Option("--market", help="e.g. US, DE.")] = None,
    min_relevance: Annotated[int, typer.Option("--min-relevance", help="0-100.")] = 0,
    search: Annotated[
        str | None, typer.Option("--search", "-q", help="Text in the keyword.")
    ] = None,
    company: CompanyOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """3.1.4 The keyword table, most searched first."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            r.model_dump()
            for r in sourcing.list_keywords(
                session, actor=actor, market=market, min_relevance=min_relevance, text=search
            )
        ]
    emit(
        rows,
        ["text", "market", "language", "category", "monthly_searches", "source", "relevance"],
        output,
    )
