"""``storeops``: set up, administer, serve and explore the operations system."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops import __version__
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.auth.models import User
from storeops.cli import analytics as analytics_cli
from storeops.cli import assess as assess_cli
from storeops.cli import backup as backup_cli
from storeops.cli import catalog as catalog_cli
from storeops.cli import crm as crm_cli
from storeops.cli import finance as finance_cli
from storeops.cli import imports as imports_cli
from storeops.cli import logistics as logistics_cli
from storeops.cli import market as market_cli
from storeops.cli import marketing as marketing_cli
from storeops.cli import orders as orders_cli
from storeops.cli import playbook as playbook_cli
from storeops.cli import staff as staff_cli
from storeops.cli import standard as standard_cli
from storeops.cli import supply as supply_cli
from storeops.cli import training as training_cli
from storeops.cli.common import (
    FormatOption,
    OutputFormat,
    cli_errors,
    company_actor,
    emit,
    out,
    read_password,
    resolve_company_id,
    unit_of_work,
)
from storeops.config import get_settings
from storeops.errors import NotFound
from storeops.stores import service as store_service
from storeops.stores.schemas import StoreCreate
from storeops.types import normalize_currency, normalize_timezone

app = typer.Typer(
    name="storeops",
    help="storeops — run cross-border e-commerce stores by T/CCPITCSC 111-2022.\n\n"
    "Start with `storeops init`, then `storeops serve`; `storeops demo` does both with a demo company.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
user_app = typer.Typer(
    help="People who sign in: add, list, grant roles and stores.", no_args_is_help=True
)
store_app = typer.Typer(
    help="Stores of the company (2.1.1 / 2.2.1): add and list.", no_args_is_help=True
)
token_app = typer.Typer(help="Personal access tokens for the REST API.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(store_app, name="store")
app.add_typer(token_app, name="token")
app.add_typer(standard_cli.app, name="standard")
app.add_typer(analytics_cli.warehouse_app, name="warehouse")
app.add_typer(analytics_cli.metrics_app, name="metrics")
app.add_typer(analytics_cli.clv_app, name="clv")
app.add_typer(playbook_cli.app, name="playbook")
app.command("assess")(assess_cli.assess)
app.add_typer(staff_cli.app, name="staff")
app.add_typer(training_cli.app, name="training")
app.add_typer(crm_cli.app, name="crm")
app.add_typer(orders_cli.app, name="orders")
app.add_typer(imports_cli.jobs_app, name="import-jobs")
app.command("import")(imports_cli.import_file)
app.command("sync")(imports_cli.sync)
app.add_typer(logistics_cli.app, name="logistics")
app.add_typer(finance_cli.app, name="finance")
app.add_typer(supply_cli.app, name="supply")
app.add_typer(market_cli.app, name="market")
app.add_typer(catalog_cli.app, name="catalog")
app.add_typer(marketing_cli.app, name="marketing")
backup_cli.register(app)

CompanyOption = typer.Option(
    "--company", "-c", help="Company name (needed only when there are several)."
)


def _version(value: bool) -> None:
    if value:
        out.print(f"storeops {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """storeops command line."""


# --- init ----------------------------------------------------------------------------------------


@app.command()
@cli_errors
def init(
    admin: Annotated[
        str | None, typer.Option(help="E-mail of the first administrator (owner).")
    ] = None,
    name: Annotated[str, typer.Option(help="The administrator's display name.")] = "Administrator",
    company: Annotated[str, typer.Option(help="Name of the first company.")] = "My Company",
    currency: Annotated[str, typer.Option(help="The company's base currency (ISO 4217).")] = "CNY",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Create or upgrade the database; on an empty one, create the first company and its owner.

    Unattended: `echo "$PW" | storeops init --admin me@example.com --company "ACME" --password-stdin`.
    """
    from storeops.migrations import upgrade

    settings = get_settings()
    url = settings.effective_database_url
    upgrade(url)
    out.print(f"database ready at {_redact(url)}")
    with unit_of_work() as session:
        users = session.scalar(select(func.count()).select_from(User)) or 0
        if users and admin is None:
            out.print(f"{users} user(s) already exist; nothing else to do")
            return
        if admin is None:
            admin = typer.prompt("E-mail of the first administrator")
        password = read_password(password_stdin)
        user = auth_service.create_user(session, email=admin, display_name=name, password=password)
        created = store_service.create_company(
            session, name=company, owner=user, base_currency=currency
        )
        out.print(f"created company {created.name!r} with owner {user.email}")


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


# --- users ---------------------------------------------------------------------------------------


def _existing_user(session: Session, email: str) -> User:
    user = auth_service.get_user_by_email(session, email)
    if user is None:
        raise NotFound(f"no user with e-mail {email!r}", field="email")
    return user


def _store_ids(values: list[int] | None) -> list[int]:
    return sorted(set(values or []))


@user_app.command("add")
@cli_errors
def user_add(
    email: Annotated[str, typer.Argument(help="The user's e-mail; they sign in with it.")],
    role: Annotated[Role, typer.Option(help="Role in the company.")],
    name: Annotated[
        str | None, typer.Option(help="Display name (default: the e-mail's local part).")
    ] = None,
    store: Annotated[
        list[int] | None, typer.Option("--store", "-s", help="Store id the user works on; repeat.")
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Add a user to the company with a role and stores."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        password = read_password(password_stdin)
        user = auth_service.create_user(
            session, email=email, display_name=name or email.split("@")[0], password=password
        )
        auth_service.grant_role(
            session, user=user, role=role, store_ids=_store_ids(store), actor=actor
        )
        out.print(f"added {user.email} as {role.value} (user id {user.id})")


@user_app.command("list")
@cli_errors
def user_list(
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """List the company's users with their roles and stores."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {
                "id": u.id,
                "email": u.email,
                "name": u.display_name,
                "role": m.role.value,
                "stores": sorted(g.store_id for g in m.store_grants),
                "active": u.is_active,
            }
            for u, m in auth_service.list_members(session, actor=actor)
        ]
    emit(rows, ["id", "email", "name", "role", "stores", "active"], fmt, title="users")


@user_app.command("grant")
@cli_errors
def user_grant(
    email: Annotated[str, typer.Argument(help="E-mail of an existing user.")],
    role: Annotated[Role, typer.Option(help="The role to hold in the company.")],
    store: Annotated[
        list[int] | None,
        typer.Option("--store", "-s", help="Store id; repeat. Replaces earlier grants."),
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """Give an existing user a role and stores in the company (replacing their earlier grant)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        user = _existing_user(session, email)
        auth_service.grant_role(
            session, user=user, role=role, store_ids=_store_ids(store), actor=actor
        )
        out.print(f"{user.email} is now {role.value} on stores {_store_ids(store) or 'none'}")


@user_app.command("passwd")
@cli_errors
def user_passwd(
    email: Annotated[str, typer.Argument(help="E-mail of an existing user.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Set a user's password (their console sessions end)."""
    with unit_of_work() as session:
        user = _existing_user(session, email)
        auth_service.set_password(session, user=user, password=read_password(password_stdin))
        out.print(f"password of {user.email} changed")


# --- stores --------------------------------------------------------------------------------------


@store_app.command("add")
@cli_errors
def store_add(
    name: Annotated[str, typer.Option(help="Store name, unique in the company.")],
    platform: Annotated[
        str, typer.Option(help="alibaba_com, amazon, aliexpress, ebay, shopee, … or other.")
    ],
    model: Annotated[str, typer.Option("--model", help="Business model: b2b or b2c.")],
    site: Annotated[str, typer.Option(help="Marketplace or site, e.g. US, DE, global.")],
    currency: Annotated[str, typer.Option(help="Currency the store sells in (ISO 4217).")],
    timezone: Annotated[str, typer.Option(help="IANA timezone for the store's daily figures.")],
    opened_on: Annotated[
        dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Opening date.")
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """Register a store on a platform (status: preparing)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        data = StoreCreate(
            name=name,
            platform=store_service.parse_platform(platform),
            business_model=store_service.parse_business_model(model),
            site=site,
            currency=normalize_currency(currency),
            timezone=normalize_timezone(timezone.strip()),
            opened_on=opened_on.date() if opened_on else None,
        )
        store = store_service.open_store(session, actor=actor, data=data)
        out.print(
            f"added store {store.name!r} (id {store.id}) on {store.platform.value} {store.site}"
        )


@store_app.command("list")
@cli_errors
def store_list(
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """List the company's stores."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [
            {
                "id": s.id,
                "name": s.name,
                "platform": s.platform.value,
                "model": s.business_model.value,
                "site": s.site,
                "currency": s.currency,
                "timezone": s.timezone,
                "opened_on": s.opened_on.isoformat() if s.opened_on else None,
                "status": s.status.value,
            }
            for s in store_service.list_stores(session, actor=actor)
        ]
    emit(
        rows,
        ["id", "name", "platform", "model", "site", "currency", "timezone", "opened_on", "status"],
        fmt,
        title="stores",
    )


# --- tokens --------------------------------------------------------------------------------------


@token_app.command("issue")
@cli_errors
def token_issue(
    email: Annotated[str, typer.Argument(help="The user the token acts for.")],
    name: Annotated[str, typer.Option(help="What the token is for, e.g. 'nightly export'.")],
    days: Annotated[int, typer.Option(min=1, max=3650, help="Days until it expires.")] = 90,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """Issue a personal access token for a user; it is printed once and never stored."""
    with unit_of_work() as session:
        company_id = resolve_company_id(session, company)
        user = _existing_user(session, email)
        actor = auth_service.actor_for(session, user_id=user.id, company_id=company_id)
        _, raw = auth_service.issue_token(session, actor=actor, name=name, expires_in_days=days)
    typer.echo(raw)


# --- simulate ------------------------------------------------------------------------------------


@app.command()
@cli_errors
def simulate(
    seed: Annotated[
        int, typer.Option(min=0, help="Random seed: the same seed and scale give the same rows.")
    ] = 1,
    scale: Annotated[
        str, typer.Option(help="tiny, small, medium, large, or a number of order lines.")
    ] = "small",
    from_: Annotated[
        dt.datetime | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="First simulated day."),
    ] = None,
    to: Annotated[
        dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Last simulated day.")
    ] = None,
    company: Annotated[
        str, typer.Option(help="Name of the simulated company (must be new).")
    ] = "Hangzhou Demo Trading Co.",
    staff_password_stdin: Annotated[
        bool,
        typer.Option(
            "--staff-password-stdin", help="Read one password for all simulated staff from stdin."
        ),
    ] = False,
) -> None:
    """Write a realistic simulated company (B2B and B2C stores, two years of trade) into the database.

    Scales: tiny (2,500 order lines, 4 months), small (30,000, 2 years), medium (1M), large (10M).
    Without --staff-password-stdin the staff accounts get random passwords (reset them with
    `storeops user passwd`).
    """
    from storeops.cli.demo import run_simulation
    from storeops.simulate.scales import parse_scale

    parsed = parse_scale(scale, from_.date() if from_ else None, to.date() if to else None)
    password = read_password(True, confirm=False) if staff_password_stdin else None
    result = run_simulation(
        seed=seed, scale=parsed, company=company, owner_email=None, staff_password=password
    )
    out.print(
        f"simulated {result.company_name!r} ({parsed.start} to {parsed.end}): "
        f"{result.total_rows:,} rows in {result.seconds:.1f} s"
    )
    for table, count in sorted(result.rows.items()):
        out.print(f"  {table:<24} {count:>12,}")


# --- serve and demo ------------------------------------------------------------------------------


@app.command()
@cli_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the console at / and the REST API at /api/v1 (OpenAPI at /api/v1/openapi.json)."""
    import uvicorn

    from storeops.api.app import create_app

    settings = get_settings()
    settings.require_server_secret()
    out.print(f"storeops console: http://{host}:{port}/   API: http://{host}:{port}/api/v1/docs")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


DEMO_ADMIN = "admin@demo.storeops.dev"
DEMO_PASSWORD = "demo-storeops"  # noqa: S105 - printed for the local demo on purpose


@app.command()
@cli_errors
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Prepare the demo database and stop.")
    ] = False,
) -> None:
    """Prepare the embedded database with a demo company and open the console (demo mode)."""
    from storeops.cli.demo import prepare_demo

    settings = get_settings()
    prepare_demo(settings, admin=DEMO_ADMIN, password=DEMO_PASSWORD)
    out.print(
        f"sign in as [bold]{DEMO_ADMIN}[/bold] (owner) with password [bold]{DEMO_PASSWORD}[/bold]; "
        "the simulated staff (staff1@… to staff12@…, see `storeops user list`) share that password"
    )
    if no_serve:
        return
    import os

    os.environ["STOREOPS_DEMO"] = "1"
    get_settings.cache_clear()
    serve(host=host, port=port)


if __name__ == "__main__":
    app()
