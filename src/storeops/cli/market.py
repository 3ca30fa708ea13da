"""``storeops market``: market research (1.1), platform selection (1.2.1), platform rules and
account health (2.3)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from storeops.cli.common import OutputFormat, cli_errors, company_actor, emit, unit_of_work
from storeops.errors import InvalidInput
from storeops.market import (
    brand,
    competitors,
    development,
    health,
    onboarding,
    platforms,
    research,
    rules,
    security,
    supply_chain,
)
from storeops.market.enums import CompanyType, FollowUpStatus, IpKind, IpStatus, OnboardingStatus
from storeops.market.metrics import DEFAULT_HHI_GUIDELINES, HhiGuidelines
from storeops.market.schemas import (
    BrandWrite,
    ChecklistCreate,
    IpRightWrite,
    OnboardingItemUpdate,
    PlanCreate,
    ProductSelectionRequest,
    RuleSetIn,
    SecurityRecordWrite,
    SelectionRequest,
)

app = typer.Typer(
    help=(
        "Market research (1.1): import category sales and search terms, analyse a market "
        "(size, CR4/HHI, seasons, turning points, price bands, forecast); platform selection "
        "(1.2.1); platform rules and account health (2.3)."
    ),
    no_args_is_help=True,
)

CompanyOption = typer.Option("--company", "-c", help="Company name (default: the only one).")
FormatOpt = typer.Option("--format", "-f", help="table for people; json or csv for scripts.")


def _read(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"no file {path}", field="file") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text", field="file") from None


@app.command("concentration")
@cli_errors
def concentration(
    sales: Annotated[list[str], typer.Argument(help="FIRM=SALES pairs, e.g. A=30 B=30 C=20 D=20")],
    guidelines: Annotated[
        HhiGuidelines,
        typer.Option(help="Thresholds: hmg_2010 (1500/2500) or hmg_2023 (1000/1800)."),
    ] = DEFAULT_HHI_GUIDELINES,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """1.1.4 CR4, CR8 and HHI of a market from each firm's sales, with the reading."""
    from storeops.market import metrics

    parsed: dict[str, float] = {}
    for pair in sales:
        firm, sep, value = pair.rpartition("=")
        if not sep or not firm:
            raise InvalidInput(f"{pair!r} is not FIRM=SALES", field="sales")
        try:
            parsed[firm] = float(value)
        except ValueError:
            raise InvalidInput(f"{value!r} is not a number", field="sales") from None
    result = research.concentration_read(metrics.concentration(parsed, guidelines))
    row = {
        "firms": result.firms,
        "cr4": round(result.cr4, 2),
        "cr8": round(result.cr8, 2),
        "hhi": round(result.hhi, 1),
        "reading": result.reading.value,
        "thresholds": f"<{result.moderate_from} / {result.moderate_from}-{result.high_above} / "
        f">{result.high_above}",
        "source": result.thresholds_source,
        "intensity": result.intensity.value,
    }
    emit([row], list(row), fmt, title="market concentration", one=True)


@app.command("import")
@cli_errors
def import_data(
    kind: Annotated[str, typer.Argument(help="sales or search-terms")],
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8), or - for stdin")],
    category: Annotated[str, typer.Option(help="The category, e.g. 'Wireless earbuds'.")],
    market: Annotated[str, typer.Option(help="Target market: ISO country code or 'global'.")],
    currency: Annotated[str, typer.Option(help="Currency of prices and revenue (ISO 4217).")],
    source: Annotated[str, typer.Option(help="Where the data come from.")] = "",
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """1.1.1 Import market data from CSV, all or nothing.

    sales: period (YYYY-MM), seller, brand, price, units[, revenue].
    search-terms: period (YYYY-MM), term, volume.
    """
    text = _read(file)
    with unit_of_work() as session:
        actor = company_actor(session, company)
        if kind == "sales":
            result = research.import_market_sales(
                session,
                actor=actor,
                category=category,
                market=market,
                currency=currency,
                csv_text=text,
                source=source,
            )
        elif kind == "search-terms":
            result = research.import_search_terms(
                session,
                actor=actor,
                category=category,
                market=market,
                currency=currency,
                csv_text=text,
                source=source,
            )
        else:
            raise InvalidInput("kind is 'sales' or 'search-terms'", field="kind")
    typer.echo(
        f"imported {result.rows} {kind} row(s) into dataset {result.dataset_id} "
        f"({len(result.periods)} month(s), {result.replaced} earlier row(s) replaced)"
    )


@app.command("from-records")
@cli_errors
def from_records(
    category_code: Annotated[str, typer.Argument(help="Category code, e.g. AUDIO.")],
    currency: Annotated[str, typer.Option(help="Sales in this currency only.")] = "USD",
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """1.1.1 Build a category's market data from the company's records (own sales, competitors,
    search terms), e.g. on the simulated company."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        results = research.import_company_market(
            session, actor=actor, category_code=category_code, currency=currency
        )
    for result in results:
        typer.echo(
            f"dataset {result.dataset_id}: {result.rows} {result.kind} row(s), "
            f"{len(result.periods)} month(s)"
        )


@app.command("datasets")
@cli_errors
def datasets(
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """List the market datasets (category x target market)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {
                "id": d.id,
                "category": d.category,
                "market": d.market,
                "currency": d.currency,
                "source": d.source,
                "updated_at": d.updated_at.isoformat(timespec="seconds"),
            }
            for d in research.list_datasets(session, actor=actor)
        ]
    emit(rows, ["id", "category", "market", "currency", "source", "updated_at"], fmt)


@app.command("report")
@cli_errors
def report(
    dataset_id: Annotated[int, typer.Argument(help="Dataset id (see `market datasets`).")],
    guidelines: Annotated[HhiGuidelines, typer.Option(help="HHI thresholds.")] = (
        DEFAULT_HHI_GUIDELINES
    ),
    company: Annotated[str | None, CompanyOption] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The whole report as JSON.")] = False,
) -> None:
    """1.1.1-1.1.4 The market report of one category in one target market."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        result = research.market_report(
            session, dataset_id=dataset_id, actor=actor, guidelines=guidelines
        )
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    for line in research.report_summary(result):
        typer.echo(line)


@app.command("forecast")
@cli_errors
def forecast(
    dataset_id: Annotated[int, typer.Argument(help="Dataset id.")],
    horizon: Annotated[int, typer.Option(min=1, max=24, help="Months ahead.")] = 6,
    level: Annotated[int, typer.Option(help="Interval level, %: 50, 80, 90, 95 or 99.")] = 80,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """1.1.3 Forecast monthly market sales with intervals (AutoETS), with its backtest."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        result = research.forecast_market(
            session, dataset_id=dataset_id, actor=actor, horizon=horizon, level=level
        )
    rows = [
        {
            "period": p.period.isoformat(),
            "mean": round(p.mean),
            "lo": round(p.lo),
            "hi": round(p.hi),
        }
        for p in result.points
    ]
    emit(rows, ["period", "mean", "lo", "hi"], fmt, title=f"{result.model}, {result.level} %")
    if fmt == OutputFormat.TABLE:
        typer.echo(result.note)


def _json_arg(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not valid JSON: {exc}", field="file") from None


@app.command("platforms")
@cli_errors
def list_platforms(
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """1.2.1 The platform profiles: markets, commission, settlement, version."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {
                "platform": p.platform,
                "name": p.facts["name"],
                "version": p.version,
                "markets": " ".join(p.facts["markets"]["value"]),
                "commission_pct": p.facts["fees"]["value"]["commission_pct"],
                "fees_status": p.facts["fees"]["status"],
                "settlement": p.facts["settlement"]["value"].get("cycle", ""),
            }
            for p in platforms.list_profiles(session, actor=actor)
        ]
    emit(rows, list(rows[0]), fmt, title="platform profiles")


@app.command("platform-show")
@cli_errors
def show_platform(
    platform: Annotated[str, typer.Argument(help="Platform key, e.g. amazon, shopee, tiktok.")],
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """1.2.1 One platform's current profile as JSON (edit it and save with platform-edit)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        profile = platforms.get_profile(session, platform=platform, actor=actor)
    sys.stdout.write(json.dumps(profile.facts, ensure_ascii=False, indent=2) + "\n")


@app.command("platform-edit")
@cli_errors
def edit_platform(
    platform: Annotated[str, typer.Argument(help="Platform key.")],
    file: Annotated[Path, typer.Argument(help="The profile as JSON (see platform-show), or -")],
    note: Annotated[str, typer.Option(help="Why the profile changed.")],
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """1.2.1 Save a new version of a platform's profile."""
    facts = _json_arg(_read(file))
    if not isinstance(facts, dict):
        raise InvalidInput("the profile is a JSON object", field="file")
    with unit_of_work() as session:
        actor = company_actor(session, company)
        saved = platforms.update_profile(
            session, platform=platform, facts=facts, note=note, actor=actor
        )
    typer.echo(f"saved {saved.platform} profile version {saved.version}")


@app.command("select")
@cli_errors
def select(
    platform: Annotated[list[str], typer.Option("--platform", "-p", help="A candidate (repeat).")],
    target: Annotated[list[str], typer.Option("--market", "-m", help="A target market (repeat).")],
    category: Annotated[str, typer.Option(help="The category to sell.")],
    model: Annotated[str, typer.Option(help="b2b or b2c.")] = "b2c",
    weight: Annotated[
        list[str] | None,
        typer.Option("--weight", "-w", help="CRITERION=WEIGHT, e.g. fees=0.3 (repeat)."),
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """1.2.1 Score candidate platforms with weighted criteria and write a recommendation."""
    weights: dict[str, float] | None = None
    if weight:
        weights = {}
        for pair in weight:
            name, _sep, value = pair.partition("=")
            try:
                weights[name.strip()] = float(value)
            except ValueError:
                raise InvalidInput(f"{pair!r} is not CRITERION=WEIGHT", field="weight") from None
    request = SelectionRequest(
        platforms=platform, target_markets=target, category=category, model=model, weights=weights
    )
    with unit_of_work() as session:
        actor = company_actor(session, company)
        result = platforms.run_platform_selection(session, request=request, actor=actor)
    rows = [
        {"rank": s.rank, "platform": s.platform, "score": round(s.total, 2),
         **{c.criterion: round(c.score, 1) for c in s.criteria}}
        for s in result.scores
    ]  # fmt: skip
    emit(rows, list(rows[0]), fmt, title=f"platform selection {result.id}")
    if fmt == OutputFormat.TABLE:
        typer.echo(result.recommendation)


@app.command("rules")
@cli_errors
def list_rules(
    platform: Annotated[str, typer.Argument(help="Platform, e.g. amazon, shopee.")],
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """2.3.1 The rules of a platform in force now (version, thresholds, sources)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        current = rules.current_rule_set(session, platform=platform, actor=actor)
    if current is None:
        typer.echo(f"no rules recorded for {platform}; import a version with rules-import")
        return
    rows = [
        {
            "code": r.code,
            "category": r.category.value,
            "title": r.title,
            "threshold": f"{r.comparator.value} {r.threshold:g}{r.unit}"
            if r.comparator and r.threshold is not None
            else "",
            "window_days": r.window_days or "",
            "source": r.source,
        }
        for r in current.rules
    ]
    emit(rows, ["code", "category", "title", "threshold", "window_days", "source"], fmt,
         title=f"{current.platform} rules {current.version}, from {current.effective_from}")  # fmt: skip


@app.command("rules-import")
@cli_errors
def import_rules(
    file: Annotated[
        Path,
        typer.Argument(
            help="The rule set as JSON (platform, version, effective_from, source, rules), or -"
        ),
    ],
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """2.3.2 Import a new version of a platform's rules; prints the diff and the tasks opened."""
    data = RuleSetIn.model_validate(_json_arg(_read(file)))
    with unit_of_work() as session:
        actor = company_actor(session, company)
        result = rules.import_rule_set(session, data=data, actor=actor)
    typer.echo(
        f"imported {result.rule_set.platform} rules {result.rule_set.version} "
        f"(before: {result.previous_version or 'none'})"
    )
    for change in result.changes:
        typer.echo(f"  {change.change:8} {change.code} {' '.join(change.fields)}")
    typer.echo(
        f"{len(result.affected_store_ids)} store(s) affected, {len(result.follow_ups)} follow-up task(s) opened"
    )


@app.command("follow-ups")
@cli_errors
def follow_ups(
    status: Annotated[FollowUpStatus | None, typer.Option(help="Only this status.")] = None,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """2.3.2 Follow-up tasks opened by rule changes."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            t.model_dump(mode="json")
            for t in rules.list_follow_ups(session, actor=actor, status=status)
        ]
    emit(rows, ["id", "store_id", "status", "due_on", "title", "detail"], fmt)


@app.command("follow-up")
@cli_errors
def follow_up(
    task_id: Annotated[int, typer.Argument(help="Task id.")],
    status: Annotated[FollowUpStatus, typer.Argument(help="in_progress, done or dismissed.")],
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """2.3.2 Move a follow-up task along its status flow."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        task = rules.change_follow_up(session, task_id=task_id, status=status, actor=actor)
    typer.echo(f"follow-up {task.id}: {task.status.value}")


@app.command("health")
@cli_errors
def account_health(
    store_id: Annotated[int, typer.Argument(help="Store id (see `store list`).")],
    as_of: Annotated[
        dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="As-of day.")
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """2.3.1 Account health: each measurable rule, the store's value, trend and projected breach."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        report = health.account_health(
            session, store_id=store_id, actor=actor, as_of=as_of.date() if as_of else None
        )
    rows = [
        {
            "rule": c.rule_code,
            "value": f"{c.value:.2f}{c.unit}" if c.value is not None else "no data",
            "target": f"{c.comparator.value} {c.threshold:g}{c.unit}",
            "count": f"{c.numerator}/{c.denominator}",
            "slope_per_week": f"{c.slope_per_day * 7:+.2f}" if c.slope_per_day is not None else "",
            "breach_on": c.projected_breach_on.isoformat() if c.projected_breach_on else "",
            "status": c.status,
        }
        for c in report.checks
    ]
    emit(rows, ["rule", "value", "target", "count", "slope_per_week", "breach_on", "status"], fmt,
         title=f"{report.store_name} ({report.platform}, rules {report.rule_set_version}) as of {report.as_of}")  # fmt: skip


@app.command("onboard")
@cli_errors
def onboard(
    platform: Annotated[str, typer.Argument(help="Platform key, e.g. shopee.")],
    company_type: Annotated[CompanyType, typer.Option(help="Who opens the store.")],
    store_id: Annotated[
        int | None, typer.Option(help="The store being opened, if registered.")
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """1.2.2 Start an onboarding checklist (documents, certificates, accounts, trademark)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        checklist = onboarding.start_checklist(
            session,
            data=ChecklistCreate(platform=platform, company_type=company_type, store_id=store_id),
            actor=actor,
        )
    typer.echo(
        f"checklist {checklist.id}: {len(checklist.items)} item(s), {checklist.required_open} required open"
    )


@app.command("checklists")
@cli_errors
def checklists(
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """1.2.2 Onboarding checklists: every item with status, expiry and flags."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {"checklist": c.id, "platform": c.platform, "item": i.id, "code": i.code,
             "status": i.status.value, "required": i.required,
             "expires_on": i.expires_on.isoformat() if i.expires_on else "", "flags": i.flags}
            for c in onboarding.list_checklists(session, actor=actor)
            for i in c.items
        ]  # fmt: skip
    emit(
        rows,
        ["checklist", "platform", "item", "code", "status", "required", "expires_on", "flags"],
        fmt,
    )


@app.command("onboard-item")
@cli_errors
def onboard_item(
    item_id: Annotated[int, typer.Argument(help="Item id (see checklists).")],
    status: Annotated[OnboardingStatus | None, typer.Option(help="New status.")] = None,
    expires_on: Annotated[
        dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Expiry.")
    ] = None,
    reference: Annotated[str | None, typer.Option(help="Document or account number.")] = None,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """1.2.2 Record progress on a checklist item."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        item = onboarding.update_item(
            session,
            item_id=item_id,
            data=OnboardingItemUpdate(
                status=status,
                expires_on=expires_on.date() if expires_on else None,
                reference=reference,
            ),
            actor=actor,
        )
    typer.echo(f"item {item.id} {item.code}: {item.status.value} {' '.join(item.flags)}".rstrip())


@app.command("security")
@cli_errors
def security_cmd(
    store_id: Annotated[int, typer.Argument(help="Store id.")],
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """2.1.2 / 2.2.2 Security review of a store's accounts and sub-accounts."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        review = security.security_review(session, store_id=store_id, actor=actor)
    rows = [
        {"account": a.account_id, "login": a.login, "kind": a.kind, "2fa": a.two_factor_enabled,
         "password_age_days": a.password_age_days, "weak": a.weak, "findings": "; ".join(a.findings)}
        for a in review.accounts
    ]  # fmt: skip
    emit(rows, ["account", "login", "kind", "2fa", "password_age_days", "weak", "findings"], fmt)
    if fmt == OutputFormat.TABLE:
        for finding in review.store_findings:
            typer.echo(f"store: {finding}")


@app.command("security-record")
@cli_errors
def security_record(
    account_id: Annotated[int, typer.Argument(help="Platform account id.")],
    two_factor: Annotated[
        bool, typer.Option("--2fa/--no-2fa", help="Two-factor authentication on?")
    ],
    payment: Annotated[
        bool, typer.Option("--payment/--no-payment", help="Payout account set up?")
    ] = False,
    password_changed_on: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    permission: Annotated[
        list[str] | None, typer.Option(help="A permission the account holds (repeat).")
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """2.1.2 / 2.2.2 Record what a security check of an account found."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        read = security.record_account_security(
            session,
            account_id=account_id,
            data=SecurityRecordWrite(
                two_factor_enabled=two_factor,
                payment_account_set=payment,
                password_changed_on=password_changed_on.date() if password_changed_on else None,
                permissions=permission or [],
            ),
            actor=actor,
        )
    typer.echo(f"account {read.account_id}: " + ("; ".join(read.findings) or "no findings"))


@app.command("score-products")
@cli_errors
def score_products(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: name, monthly_searches, competing_listings, price, unit_cost, shipping_cost, fee_pct[, seasonality_strength, certificates_needed, has_battery, has_liquid]"
        ),
    ],
    currency: Annotated[str, typer.Option(help="Currency of the amounts.")],
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """1.1.8 Score product candidates from a CSV, weighted and explained."""
    import csv as csv_module
    import io as io_module

    from storeops.auth.enums import ROLE_PERMISSIONS, Role
    from storeops.auth.scoping import Actor

    rows = list(csv_module.DictReader(io_module.StringIO(_read(file))))
    flags = ("has_battery", "has_liquid")
    candidates = [
        {
            k: (v.strip().lower() in ("1", "true", "yes")) if k in flags else v
            for k, v in r.items()
            if v not in (None, "")
        }
        for r in rows
    ]
    request = ProductSelectionRequest.model_validate(
        {"currency": currency, "candidates": candidates}
    )
    actor = Actor(
        company_id=0,
        role=Role.OWNER,
        store_ids=frozenset(),
        permissions=ROLE_PERMISSIONS[Role.OWNER],
    )
    ranked = research.select_products(request=request, actor=actor)
    out_rows = [
        {"rank": s.rank, "name": s.name, "score": round(s.total, 2), "margin": s.margin,
         **{c.criterion: round(c.score, 1) for c in s.criteria}}
        for s in ranked
    ]  # fmt: skip
    emit(out_rows, list(out_rows[0]), fmt, title="product selection (1.1.8)")
    if fmt == OutputFormat.TABLE:
        for s in ranked:
            typer.echo(f"{s.rank}. {s.name}: " + "; ".join(c.reason for c in s.criteria))


@app.command("competitors")
@cli_errors
def competitors_cmd(
    category_code: Annotated[str, typer.Argument(help="Category code, e.g. AUDIO.")],
    start: Annotated[
        dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="Period start.")
    ],
    end: Annotated[dt.datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Period end.")],
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """1.1.5 Competitors of a category in a period: direct, indirect, potential, compared."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        result = competitors.competitor_analysis(
            session, actor=actor, category_code=category_code, period_start=start.date(),
            period_end=end.date(),
        )  # fmt: skip
    rows = [r.model_dump() for r in result.competitors]
    emit(rows, ["name", "platform", "classification", "new_in_period", "products_in_category",
                "avg_price", "est_monthly_units", "est_monthly_revenue", "avg_rating"], fmt,
         title=f"{result.category}: own price {result.own_avg_price}, {result.own_monthly_units} units/month")  # fmt: skip


@app.command("supply-chain")
@cli_errors
def supply_chain_cmd(
    start: Annotated[
        dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="Period start.")
    ],
    end: Annotated[dt.datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Period end.")],
    category_code: Annotated[
        str | None, typer.Option("--category", help="Only this category.")
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """1.1.9 Suppliers, lead times, supplier concentration and supply risks."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        result = supply_chain.supply_chain_analysis(
            session, actor=actor, period_start=start.date(), period_end=end.date(),
            category_code=category_code,
        )  # fmt: skip
    rows = [r.model_dump() for r in result.suppliers]
    emit(rows, ["name", "city", "kind", "lead_time_days", "units", "share_pct", "lead_time_demand", "flags"], fmt,
         title=f"{result.total_units} units; weighted lead time {result.weighted_lead_time_days} days")  # fmt: skip
    if fmt == OutputFormat.TABLE:
        if result.concentration:
            typer.echo(
                f"supplier HHI {result.concentration.hhi:,.0f}: {result.concentration.reading.value}"
            )
        for line in result.single_source_categories + result.notes:
            typer.echo(line)


@app.command("brand")
@cli_errors
def brand_cmd(
    name: Annotated[str, typer.Argument(help="Brand name.")],
    concept: Annotated[str, typer.Option(help="Core concept.")] = "",
    value: Annotated[list[str] | None, typer.Option(help="A brand value (repeat).")] = None,
    market: Annotated[
        list[str] | None, typer.Option("--market", "-m", help="A target market (repeat).")
    ] = None,
    positioning: Annotated[str, typer.Option(help="Positioning statement.")] = "",
    purpose: Annotated[str, typer.Option(help="Brand purpose.")] = "",
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """1.1.6 Record or update a brand's positioning."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        saved = brand.save_brand(
            session,
            data=BrandWrite(brand=name, core_concept=concept, brand_values=value or [],
                            target_markets=market or [], positioning=positioning, purpose=purpose),
            actor=actor,
        )  # fmt: skip
    typer.echo(f"brand {saved.id} {saved.brand}: " + ("; ".join(saved.findings) or "no findings"))


@app.command("ip-add")
@cli_errors
def ip_add(
    brand_id: Annotated[int, typer.Argument(help="Brand id (see brands).")],
    kind: Annotated[IpKind, typer.Option(help="trademark or patent.")],
    number: Annotated[str, typer.Option(help="Registration or application number.")],
    territory: Annotated[str, typer.Option(help="ISO country code, EU or WIPO.")],
    status: Annotated[IpStatus, typer.Option(help="filed, registered, opposed or lapsed.")],
    title: Annotated[str, typer.Option(help="The mark or the invention.")] = "",
    expires_on: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """1.1.6 Record a trademark or patent of a brand."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        result = brand.add_ip_right(
            session, brand_id=brand_id,
            data=IpRightWrite(kind=kind, title=title or number, number=number, territory=territory,
                              status=status, expires_on=expires_on.date() if expires_on else None),
            actor=actor,
        )  # fmt: skip
    typer.echo(f"{result.brand}: " + ("; ".join(result.findings) or "no findings"))


@app.command("brands")
@cli_errors
def brands_cmd(
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """1.1.6 Brands, their IP rights and the markets they leave unprotected."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {"id": b.id, "brand": b.brand, "markets": b.target_markets, "ip_rights": len(b.ip_rights),
             "unprotected": b.unprotected_markets, "findings": "; ".join(b.findings)}
            for b in brand.list_brands(session, actor=actor)
        ]  # fmt: skip
    emit(rows, ["id", "brand", "markets", "ip_rights", "unprotected", "findings"], fmt)


@app.command("plan")
@cli_errors
def plan_cmd(
    dataset_id: Annotated[int, typer.Argument(help="Market dataset id.")],
    category_code: Annotated[
        str, typer.Option("--category", help="Catalog category for buyer needs.")
    ] = "",
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """1.1.7 Draw up a product development plan from buyer needs and market trends."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        plan = development.draw_up_plan(
            session,
            data=PlanCreate(dataset_id=dataset_id, category_code=category_code),
            actor=actor,
        )
    typer.echo(f"plan {plan.id}: {plan.title}")
    for item in plan.items:
        typer.echo(
            f"  P{item.priority} {item.action:13} {item.title} (by {item.due_on}): {item.evidence}"
        )
