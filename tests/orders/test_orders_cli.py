"""``storeops orders``: refund capped at what was paid, the timeline, a dispute."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from storeops.cli.main import app
from storeops.db import make_engine, session_scope
from tests.crm.factories import make_buyer
from tests.factories import make_company, make_store
from tests.orders.factories import make_order

runner = CliRunner()


def test_refund_and_timeline(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        store = make_store(session, company=make_company(session, name="Solo"))
        order = make_order(
            session, store=store, buyer=make_buyer(session, store=store), total=2_500
        )
        order_id = order.id
    engine.dispose()
    ok = runner.invoke(
        app, ["orders", "refund", str(order_id), "--amount", "20.00", "--reason", "damaged"]
    )
    assert ok.exit_code == 0, ok.output
    assert "20.00 USD" in ok.stdout
    over = runner.invoke(
        app, ["orders", "refund", str(order_id), "--amount", "5.01", "--reason", "x"]
    )
    assert over.exit_code == 4
    assert "left to refund" in over.stderr and "5.00 USD" in over.stderr
    illegal = runner.invoke(app, ["orders", "status", str(order_id), "delivered"])
    assert illegal.exit_code == 4 and "cannot become delivered" in illegal.stderr
    shown = runner.invoke(app, ["orders", "timeline", str(order_id), "-f", "json"])
    assert [e["kind"] for e in json.loads(shown.stdout)] == [
        "status.placed",
        "status.paid",
        "refund.requested",
    ]


def test_quote_prints_the_prices_and_writes_the_pdf(fresh_db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        store = make_store(session, company=make_company(session, name="Solo"))
        buyer_id = make_buyer(session, store=store).id
        store_id = store.id
    engine.dispose()
    pdf = tmp_path / "q.pdf"
    args = [
        "orders", "quote", "-s", str(store_id), "--buyer", str(buyer_id), "--product", "Bottle",
        "--purchase-cost", "113", "--fx-rate", "7.10", "-q", "1000", "--packing", "2",
        "--inland-freight", "1000", "--port-charges", "2000", "--freight", "5000",
        "--insurance-rate", "0.005", "--commission", "0.03", "--pdf", str(pdf), "-f", "json",
    ]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "quantity": 1000,
            "EXW": "16.51",
            "FOB": "17.00",
            "CFR": "17.81",
            "CIF": "17.92",
            "DDP": "17.92",
        }
    ]  # DDP without duty, VAT or delivery: CIF's costs over D, plus its insurance (see costing.py)
    assert pdf.read_bytes().startswith(b"%PDF")
    bad = runner.invoke(app, [*args[:-2], "--margin", "abc"])
    assert bad.exit_code == 2 and "'abc' is not a number" in bad.stderr
