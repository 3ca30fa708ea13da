"""The demo company for ``storeops demo``: the simulator's ``small`` company in the embedded database."""

from __future__ import annotations

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import select

from storeops.auth.models import User
from storeops.cli.common import out
from storeops.config import Settings, get_settings
from storeops.db import get_engine
from storeops.migrations import upgrade
from storeops.simulate.generate import SimulationResult, simulate
from storeops.simulate.scales import Scale, parse_scale

DEMO_COMPANY = "Hangzhou Demo Trading Co."
DEMO_SEED = 2022


def run_simulation(
    *, seed: int, scale: Scale, company: str, owner_email: str | None, staff_password: str | None
) -> SimulationResult:
    """Upgrade the configured database and run the simulator with a progress bar."""
    upgrade(get_settings().effective_database_url)
    parsed = scale
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=out,
        transient=True,
    ) as bar:
        task = bar.add_task(f"simulating {parsed.name}", total=100)

        def advance(label: str, amount: float) -> None:
            bar.update(task, advance=amount, description=label)

        return simulate(
            get_engine(),
            seed=seed,
            scale=parsed,
            company_name=company,
            staff_password=staff_password,
            progress=advance,
            owner_email=owner_email,
        )


def prepare_demo(settings: Settings, *, admin: str, password: str) -> None:
    """Upgrade the database and, if it is empty, fill it with the simulated demo company."""
    upgrade(settings.effective_database_url)
    with get_engine().connect() as connection:
        if connection.execute(select(User.id).limit(1)).first() is not None:
            out.print("demo database already prepared")
            return
    out.print("preparing the demo company: two simulated years of a cross-border seller …")
    result = run_simulation(
        seed=DEMO_SEED,
        scale=parse_scale("small"),
        company=DEMO_COMPANY,
        owner_email=admin,
        staff_password=password,
    )
    out.print(
        f"simulated {result.company_name!r}: {result.total_rows:,} rows in {result.seconds:.0f} s"
    )
