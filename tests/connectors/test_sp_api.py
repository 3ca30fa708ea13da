"""SP-API orders through python-amazon-sp-api against a local server replaying Amazon's sandbox."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from storeops.auth.scoping import system_actor
from storeops.connectors.amazon.spapi import (
    OrdersPuller,
    SpApiError,
    SpApiOrdersImporter,
    orders_api,
    sync_orders,
)
from storeops.connectors.enums import ImportStatus
from storeops.connectors.framework import ImportContext
from storeops.db import make_engine, session_scope
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Order, OrderLine
from tests.connectors.factories import FIXTURES, amazon_store
from tests.factories import make_company

MODEL = json.loads((FIXTURES / "amazon-sp-api" / "ordersV0.json").read_text())


def sandbox_examples() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(path, operation, status, example) of every static sandbox example of the orders model."""
    found = []
    for path, operations in MODEL["paths"].items():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                for example in response.get("x-amzn-api-sandbox", {}).get("static", []):
                    found.append((path, operation["operationId"], status, example))
    return found


def _value(example: dict[str, Any], name: str) -> Any:
    return example["request"]["parameters"].get(name, {}).get("value")


class FakeSellingPartner:
    """Login with Amazon and the orders API, answering from the sandbox examples."""

    def __init__(self, throttle_first: int = 0) -> None:
        self.throttle_left = throttle_first
        self.calls: list[str] = []
        self.examples = sandbox_examples()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_POST(self) -> None:  # LWA token
                length = int(self.headers.get("content-length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                assert form["grant_type"] == ["refresh_token"]
                self._send(
                    200,
                    {
                        "access_token": "Atza|fake",
                        "token_type": "bearer",
                        "expires_in": 3600,
                        "refresh_token": "r",
                    },
                )

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                outer.calls.append(url.path)
                assert self.headers["x-amz-access-token"] == "Atza|fake"
                if outer.throttle_left:
                    outer.throttle_left -= 1
                    self._send(429, {"errors": [{"code": "QuotaExceeded", "message": "throttled"}]})
                    return
                status, body = outer.answer(url.path, query)
                self._send(status, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        if path == "/orders/v0/orders":
            for p, _op, status, ex in self.examples:
                if (
                    p == path
                    and status == "200"
                    and _value(ex, "CreatedAfter") == query.get("CreatedAfter")
                    and _value(ex, "NextToken") == query.get("NextToken")
                ):
                    return 200, ex["response"]
            return 400, next(
                ex["response"] for p, _o, s, ex in self.examples if p == path and s == "400"
            )
        if path.endswith("/orderItems"):
            items = next(
                ex for p, _o, s, ex in self.examples if p.endswith("/orderItems") and s == "200"
            )
            # The sandbox answers its static case whatever the order id; the fake does the same
            # and names the order that was asked for.
            body = json.loads(json.dumps(items["response"]))
            body["payload"]["AmazonOrderId"] = path.split("/")[-2]
            return 200, body
        return 404, {"errors": [{"code": "NotFound", "message": path}]}

    def __enter__(self) -> FakeSellingPartner:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *args: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake() -> Iterator[FakeSellingPartner]:
    with FakeSellingPartner(throttle_first=2) as server:
        yield server


def _api(fake: FakeSellingPartner) -> Any:
    return orders_api(
        endpoint=fake.url,
        token_url=f"{fake.url}/auth/o2/token",
        refresh_token="Atzr|x",
        client_id="amzn1.application-oa2-client.x",
        client_secret="secret",
    )


def test_all_31_sandbox_examples_of_the_orders_model_parse() -> None:
    examples = sandbox_examples()
    assert len(examples) == 31
    kinds = {"payload": 0, "errors": 0, "empty": 0}
    for _path, operation, status, example in examples:
        body = example["response"]
        if status.startswith("2") and status != "204":
            assert "payload" in body, operation
            kinds["payload"] += 1
        elif not body:  # 204s, and two 400s of updateVerificationStatus, have no body
            kinds["empty"] += 1
        else:
            assert all({"code", "message"} <= set(e) for e in body["errors"]), operation
            kinds["errors"] += 1
    assert kinds == {"payload": 11, "errors": 14, "empty": 6}
    # every order of every getOrders/getOrder example becomes records or a typed row error
    importer = SpApiOrdersImporter()
    ctx = ImportContext(1, 1, "S", "amazon", "US", "USD", "America/Los_Angeles")
    orders = [
        o
        for path, _op, status, ex in examples
        if status == "200" and path in ("/orders/v0/orders", "/orders/v0/orders/{orderId}")
        for o in (ex["response"]["payload"].get("Orders") or [ex["response"]["payload"]])
    ]
    assert len(orders) == 6
    items = next(ex for p, _o, s, ex in examples if p.endswith("/orderItems") and s == "200")
    parsed = importer.parse_payload(
        {
            "orders": [
                {**o, "OrderItems": items["response"]["payload"]["OrderItems"]} for o in orders
            ]
        },
        ctx,
    )
    assert parsed.rows_total == 6
    reasons = {e.row: (e.column, e.reason) for e in parsed.errors}
    # the EUR order of the IBA example is refused for a USD store; the others parse
    assert [c for c, _ in reasons.values()] == ["OrderTotal.CurrencyCode"]


def test_sync_pulls_pages_retries_throttling_and_reconciles_totals(
    fake: FakeSellingPartner, fresh_db_url: str
) -> None:
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session)
        store, _ = amazon_store(session, company=company)
        store_id = store.id
        actor = system_actor(session, company.id)
    waits: list[float] = []
    puller = OrdersPuller(_api(fake), sleep=waits.append)
    job = sync_orders(
        engine,
        actor=actor,
        store_id=store_id,
        puller=puller,
        created_after="TEST_CASE_200",
        marketplace_ids=["ATVPDKIKX0DER"],
    )
    assert waits == [1.0, 2.0]  # two 429s, exponential backoff
    assert job.status == ImportStatus.SUCCEEDED, (job.message, job.errors)
    with session_scope(engine) as session:
        orders = session.scalars(
            select(Order).where(Order.store_id == store_id).order_by(Order.external_id)
        ).all()
        assert [(o.external_id, o.status) for o in orders] == [
            ("902-1845936-5435065", OrderStatus.PAID),
            ("902-8745147-1934268", OrderStatus.PAID),
        ]
        # OrderTotal 11.01 = item 10.00 + tax 1.01; storeops' total leaves tax out
        assert [o.total_amount for o in orders] == [1000, 1000]
        lines = session.execute(
            select(OrderLine.quantity, OrderLine.line_amount).where(OrderLine.store_id == store_id)
        ).all()
        assert [tuple(x) for x in lines] == [(1, 1000), (1, 1000)]
    # pages: a NextToken case walks both pages
    both = OrdersPuller(_api(fake), sleep=waits.append).orders(
        created_after="TEST_CASE_200_NEXT_TOKEN", marketplace_ids=["ATVPDKIKX0DER"]
    )
    assert [o["AmazonOrderId"] for o in both] == ["902-3159896-1390916", "902-3159896-1390916"]
    engine.dispose()


def test_a_refused_call_is_a_clear_error(fake: FakeSellingPartner) -> None:
    puller = OrdersPuller(_api(fake), sleep=lambda _s: None)
    with pytest.raises(SpApiError, match="refused the call"):
        puller.orders(created_after="NOT_A_CASE", marketplace_ids=["ATVPDKIKX0DER"])


def test_an_order_whose_total_does_not_reconcile_is_a_row_error() -> None:
    items = next(
        ex for p, _o, s, ex in sandbox_examples() if p.endswith("/orderItems") and s == "200"
    )
    order = next(
        ex
        for p, _o, s, ex in sandbox_examples()
        if p == "/orders/v0/orders/{orderId}" and s == "200"
    )
    payload = {
        **order["response"]["payload"],
        "OrderTotal": {"CurrencyCode": "USD", "Amount": "12.00"},
    }
    payload["OrderItems"] = items["response"]["payload"]["OrderItems"]
    ctx = ImportContext(1, 1, "S", "amazon", "US", "USD", "America/Los_Angeles")
    parsed = SpApiOrdersImporter().parse_payload({"orders": [payload]}, ctx)
    assert [(e.column, e.value) for e in parsed.errors] == [("OrderTotal", "12.00")]
    assert "they charge 1101 minor units" in parsed.errors[0].reason


def test_storeops_sync_pulls_a_stores_orders_from_the_environment_credentials(
    fake: FakeSellingPartner, fresh_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from storeops.cli.main import app

    runner = CliRunner()
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session)
        store, _ = amazon_store(session, company=company)
        store_id = store.id
    engine.dispose()
    missing = runner.invoke(app, ["sync", "--store", str(store_id), "--since", "TEST_CASE_200"])
    assert missing.exit_code == 2
    assert "SP_API_REFRESH_TOKEN" in missing.output
    monkeypatch.setenv("SP_API_REFRESH_TOKEN", "Atzr|x")
    monkeypatch.setenv("LWA_APP_ID", "amzn1.application-oa2-client.x")
    monkeypatch.setenv("LWA_CLIENT_SECRET", "secret")
    monkeypatch.setenv("SP_API_ENDPOINT", fake.url)
    monkeypatch.setenv("SP_API_TOKEN_URL", f"{fake.url}/auth/o2/token")
    fake.throttle_left = 0
    result = runner.invoke(
        app, ["sync", "--store", str(store_id), "--since", "TEST_CASE_200", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["status"], body["counts"]["orders"]["inserted"]) == ("succeeded", 2)
