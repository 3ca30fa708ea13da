"""``storeops crm``: the overdue queue and a reply from the command line."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from storeops.cli.main import app
from storeops.db import make_engine, session_scope
from tests.crm.factories import make_buyer, make_inquiry
from tests.factories import make_company, make_store

runner = CliRunner()


def test_overdue_queue_and_reply(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        store = make_store(session, company=make_company(session, name="Solo"))
        buyer = make_buyer(session, store=store)
        old = make_inquiry(
            session,
            store=store,
            buyer=buyer,
            received_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=30),
        )
        ids = (store.id, old.id)
    engine.dispose()
    listed = runner.invoke(
        app, ["crm", "inquiries", "--store", str(ids[0]), "--overdue", "-f", "json"]
    )
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [r["id"] for r in rows] == [ids[1]]
    assert 359 <= rows[0]["overdue_minutes"] <= 361  # 30 h waited, 24 h allowed (no service hours)
    empty = runner.invoke(app, ["crm", "reply", str(ids[1]), "--text", "  "])
    assert empty.exit_code == 2
    assert "the reply is empty" in empty.stderr
    done = runner.invoke(app, ["crm", "reply", str(ids[1]), "--text", "In stock, ships today."])
    assert done.exit_code == 0, done.output
    again = runner.invoke(
        app, ["crm", "inquiries", "--store", str(ids[0]), "--overdue", "-f", "json"]
    )
    assert json.loads(again.stdout) == []
