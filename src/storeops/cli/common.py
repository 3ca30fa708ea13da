"""What every command shares: one-line errors with exit codes, output formats, the company."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Any, ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from storeops.auth.scoping import Actor, system_actor
from storeops.db import session_scope
from storeops.errors import DomainError, NotFound

P = ParamSpec("P")
R = TypeVar("R")

EXIT_CODES: dict[str, int] = {
    "invalid": 2,
    "not_found": 3,
    "conflict": 4,
    "forbidden": 5,
    "unauthorized": 6,
    "locked": 7,
}

out = Console()
err = Console(stderr=True)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


FormatOption = typer.Option("--format", "-f", help="table for people; json or csv for scripts.")


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` on stderr and return the exit to raise."""
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def cli_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn domain and database errors into one line on stderr and a non-zero exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            where = f" ({exc.field})" if exc.field else ""
            raise fail(f"{exc.message}{where}", EXIT_CODES.get(exc.kind, 1)) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "input"
            raise fail(f"invalid {where}: {first['msg']}", 2) from None
        except IntegrityError:
            raise fail(
                "the change collides with an existing record; nothing was written", 4
            ) from None
        except OperationalError as exc:
            raise fail(
                f"database unavailable or not initialised ({exc.orig}); run `storeops init`", 1
            ) from None

    return wrapper


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: OutputFormat,
    *,
    title: str = "",
    one: bool = False,
) -> None:
    """Print rows as a Rich table, JSON (a list of objects, or the object when ``one``) or CSV."""
    if fmt == OutputFormat.JSON:
        payload: Any = rows[0] if one else list(rows)
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt == OutputFormat.CSV:
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
        sys.stdout.write(buffer.getvalue())
        return
    table = Table(title=title or None, show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    out.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return " ".join(str(v) for v in value)
    return str(value)


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction per command."""
    with session_scope() as session:
        yield session


def resolve_company_id(session: Session, name: str | None) -> int:
    """The company named ``name``, or the only company when there is just one."""
    from storeops.stores.models import Company

    if name:
        found = session.scalar(select(Company.id).where(Company.name == name.strip()))
        if found is None:
            raise NotFound(f"company {name!r} not found", field="company")
        return int(found)
    companies = list(
        session.execute(select(Company.id, Company.name).order_by(Company.id)).tuples()
    )
    if not companies:
        raise NotFound("there is no company yet: run `storeops init --admin EMAIL --company NAME`")
    if len(companies) > 1:
        names = ", ".join(repr(n) for _, n in companies)
        raise DomainError(
            f"several companies exist ({names}); choose one with --company", field="company"
        )
    return int(companies[0][0])


def company_actor(session: Session, name: str | None) -> Actor:
    """The CLI acts as the machine's operator: an owner of the named (or only) company."""
    return system_actor(session, resolve_company_id(session, name), label="cli")


def read_password(password_stdin: bool, *, confirm: bool = True) -> str:
    """A password from one line of stdin (``--password-stdin``) or an interactive prompt."""
    if password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise DomainError("no password on stdin", field="password")
        return line
    value: str = typer.prompt(
        "Password (8-64 characters)", hide_input=True, confirmation_prompt=confirm
    )
    return value
