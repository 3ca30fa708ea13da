"""The command line: unattended init, stores and users, formats, one-line errors with exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from storeops.cli.main import app
from storeops.db import get_engine, session_scope
from storeops.stores.models import Store

runner = CliRunner()
PASSWORD = "a long enough password\n"


def _init(company: str = "ACME Trading") -> None:
    result = runner.invoke(
        app,
        ["init", "--admin", "boss@acme.example", "--company", company, "--password-stdin"],
        input=PASSWORD,
    )
    assert result.exit_code == 0, result.output
    assert f"created company {company!r} with owner boss@acme.example" in result.output


def _add_store(*extra: str, name: str = "Amazon US") -> object:
    return runner.invoke(
        app,
        [
            "store",
            "add",
            "--name",
            name,
            "--platform",
            "amazon",
            "--model",
            "b2c",
            "--site",
            "US",
            "--currency",
            "USD",
            "--timezone",
            "America/Los_Angeles",
            *extra,
        ],
    )


def test_init_is_unattended_and_idempotent(fresh_db_url: str) -> None:
    _init()
    again = runner.invoke(app, ["init"])
    assert again.exit_code == 0
    assert "1 user(s) already exist; nothing else to do" in again.output


def test_store_add_and_list_in_every_format(fresh_db_url: str) -> None:
    _init()
    added = _add_store("--opened-on", "2024-03-01")
    assert added.exit_code == 0, added.output  # type: ignore[attr-defined]
    rows = json.loads(runner.invoke(app, ["store", "list", "--format", "json"]).output)
    assert [
        (r["name"], r["platform"], r["model"], r["currency"], r["opened_on"], r["status"])
        for r in rows
    ] == [("Amazon US", "amazon", "b2c", "USD", "2024-03-01", "preparing")]
    table = list(
        csv.DictReader(io.StringIO(runner.invoke(app, ["store", "list", "--format", "csv"]).output))
    )
    assert table[0]["timezone"] == "America/Los_Angeles"
    assert "Amazon" in runner.invoke(app, ["store", "list"]).output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--platform", "temu"], 2, "error: unknown platform 'temu'; choose one of: alibaba_com"),
        (["--currency", "XYZ"], 2, "error: unknown currency 'XYZ'"),
        (["--timezone", "Nowhere/City"], 2, "error: unknown timezone 'Nowhere/City'"),
    ],
)
def test_bad_store_input_is_one_line_and_writes_nothing(
    fresh_db_url: str, args: list[str], code: int, message: str
) -> None:
    _init()
    base = [
        "store",
        "add",
        "--name",
        "S",
        "--platform",
        "amazon",
        "--model",
        "b2c",
        "--site",
        "US",
        "--currency",
        "USD",
        "--timezone",
        "UTC",
    ]
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[base.index(flag) + 1] = value
    result = runner.invoke(app, base)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    with session_scope(get_engine()) as session:
        assert session.scalar(select(func.count()).select_from(Store)) == 0


def test_duplicate_store_exits_4(fresh_db_url: str) -> None:
    _init()
    _add_store()
    result = _add_store()
    assert result.exit_code == 4  # type: ignore[attr-defined]
    assert "error: the company already has a store named 'Amazon US'" in result.output  # type: ignore[attr-defined]


def test_users_add_grant_list_and_refusals(fresh_db_url: str) -> None:
    _init()
    _add_store()
    added = runner.invoke(
        app,
        [
            "user",
            "add",
            "ops@acme.example",
            "--role",
            "operator",
            "--store",
            "1",
            "--password-stdin",
        ],
        input=PASSWORD,
    )
    assert added.exit_code == 0, added.output
    users = json.loads(runner.invoke(app, ["user", "list", "--format", "json"]).output)
    assert [(u["email"], u["role"], u["stores"]) for u in users] == [
        ("boss@acme.example", "owner", []),
        ("ops@acme.example", "operator", [1]),
    ]
    weak = runner.invoke(
        app,
        ["user", "add", "x@acme.example", "--role", "viewer", "--password-stdin"],
        input="short\n",
    )
    assert weak.exit_code == 2
    assert "error: passwords have 8 to 64 characters (this one has 5) (password)" in weak.output
    dup = runner.invoke(
        app,
        ["user", "add", "OPS@acme.example", "--role", "viewer", "--password-stdin"],
        input=PASSWORD,
    )
    assert dup.exit_code == 4
    bad_role = runner.invoke(app, ["user", "grant", "ops@acme.example", "--role", "boss"])
    assert bad_role.exit_code == 2
    assert "Invalid value for '--role'" in bad_role.output
    missing = runner.invoke(app, ["user", "grant", "nobody@acme.example", "--role", "viewer"])
    assert missing.exit_code == 3
    assert "error: no user with e-mail 'nobody@acme.example'" in missing.output
    foreign_store = runner.invoke(
        app, ["user", "grant", "ops@acme.example", "--role", "viewer", "--store", "99"]
    )
    assert foreign_store.exit_code == 3
    assert "error: store 99 not found" in foreign_store.output


def test_token_issue_prints_a_working_token(fresh_db_url: str) -> None:
    _init()
    result = runner.invoke(app, ["token", "issue", "boss@acme.example", "--name", "export"])
    assert result.exit_code == 0
    token = result.output.strip()
    from storeops.auth.service import actor_from_token

    with session_scope(get_engine()) as session:
        assert actor_from_token(session, token).role.value == "owner"


def test_commands_without_a_company_explain_what_to_do(fresh_db_url: str) -> None:
    result = runner.invoke(app, ["store", "list"])
    assert result.exit_code == 3
    assert "there is no company yet: run `storeops init" in result.output


def test_help_teaches_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "user", "store", "standard", "serve", "demo", "token"):
        assert command in result.output
