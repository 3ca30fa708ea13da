"""``storeops training``: a sandbox company with planted faults for trainees, and their grades."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import select

from storeops.auth.models import User
from storeops.cli.common import OutputFormat, cli_errors, company_actor, emit, err, unit_of_work
from storeops.db import get_engine
from storeops.errors import InvalidInput, NotFound
from storeops.migrations import upgrade
from storeops.simulate.generate import simulate
from storeops.simulate.scales import parse_scale
from storeops.standard import training
from storeops.stores.models import Store

app = typer.Typer(
    help="Training mode: an assessor builds a sandbox company from the simulator, brings one store "
    "to a clean baseline, plants faults (slow replies, incomplete listings, expired certificates, "
    "under-declared parcels) and assigns a trainee; `grade` shows what was fixed.",
    no_args_is_help=True,
)


def _counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        kind, _, number = part.partition("=")
        if not number.strip().isdigit():
            raise InvalidInput(
                f"write faults as kind=N, e.g. slow_replies=3, not {part!r}", field="faults"
            )
        counts[kind.strip()] = int(number)
    return counts


@app.command("sandbox")
@cli_errors
def sandbox(
    company: Annotated[
        str, typer.Option("--company", "-c", help="Name of the new sandbox company.")
    ],
    store_name: Annotated[
        str, typer.Option("--store", help="Simulated store to train on, e.g. AliExpress.")
    ] = "AliExpress",
    faults: Annotated[str, typer.Option(help="Faults to plant, kind=N, comma-separated.")] = (
        "slow_replies=3,incomplete_listings=3,expired_certificates=2,under_declared=3"
    ),
    trainee: Annotated[
        str | None, typer.Option(help="E-mail of the trainee (default: none yet).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Simulator seed.")] = 1,
    scale: Annotated[str, typer.Option(help="Simulator scale.")] = "tiny",
) -> None:
    """Create a sandbox company, clean one store, plant the faults and (optionally) assign a trainee."""
    counts = _counts(faults)
    engine = get_engine()
    upgrade(engine.url.render_as_string(hide_password=False))
    err.print(f"simulating {company!r} ({scale}, seed {seed}) …", highlight=False)
    simulate(engine, seed=seed, scale=parse_scale(scale), company_name=company)
    with unit_of_work() as session:
        actor = company_actor(session, company)
        store = session.scalar(
            select(Store).where(Store.company_id == actor.company_id, Store.name == store_name)
        )
        if store is None:
            raise NotFound(f"store {store_name!r} not found in {company!r}", field="store")
        start, end = training.sandbox_period(session, store)
        training.clean_store(session, store=store, actor=actor, start=start, end=end)
        planted = training.plant_faults(
            session, store=store, actor=actor, counts=counts, start=start, end=end
        )
        if trainee:
            user_id = session.scalar(select(User.id).where(User.email == trainee.strip().lower()))
            if user_id is None:
                raise NotFound(f"user {trainee!r} not found", field="trainee")
            training.assign_trainee(session, store=store, actor=actor, user_id=int(user_id))
        rows = [{"fault": f.kind, "task": f.task_code, "record": f.ref} for f in planted]
        err.print(f"store {store.name} (id {store.id}); exercise period {start} to {end}; assess with "
                  f"`storeops assess --company {company!r} --store {store.id} --from {start} --to {end}`",
                  highlight=False)  # fmt: skip
    emit(rows, ("fault", "task", "record"), OutputFormat.TABLE, title="planted faults")


@app.command("grade")
@cli_errors
def grade(
    store_id: Annotated[int, typer.Option("--store", "-s", help="The sandbox store.")],
    company: Annotated[str | None, typer.Option("--company", "-c", help="Company name.")] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = OutputFormat.TABLE,
) -> None:
    """Which planted faults of a sandbox store have been fixed, per trainee."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        store = session.get(Store, store_id)
        if store is None or store.company_id != actor.company_id:
            raise NotFound(f"store {store_id} not found", field="store")
        grades = training.grade(session, store=store, actor=actor)
        names = dict(list(session.execute(select(User.id, User.email)).tuples()))
        rows = [{"fault": g.kind, "task": g.task_code, "record": g.ref,
                 "trainee": names.get(g.trainee_user_id or 0, ""), "fixed": g.fixed} for g in grades]  # fmt: skip
    emit(rows, ("fault", "task", "record", "trainee", "fixed"), fmt,
         title=f"{sum(1 for r in rows if r['fixed'])} of {len(rows)} faults fixed")  # fmt: skip
