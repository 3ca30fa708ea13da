"""7.1.3 A campaign sent through a real SMTP server on loopback (aiosmtpd): segment, bounce,
opens and clicks through the tracking links, unsubscribe."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from fastapi.testclient import TestClient

from storeops.api.app import API_PREFIX, create_app
from storeops.auth import service as auth_service
from storeops.auth.enums import Role
from storeops.config import get_settings
from storeops.crm import campaigns, pii
from storeops.crm.models import EmailCampaign
from storeops.db import make_engine, session_scope
from tests.crm.factories import make_buyer
from tests.factories import make_company, make_member, make_store, owner_actor


class Inbox:
    """An SMTP handler that keeps what it receives and refuses one address (a hard bounce)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_RCPT(
        self,
        server: SMTP,
        session: SmtpSession,
        envelope: Envelope,
        address: str,
        options: list[str],
    ) -> str:
        if address.startswith("gone@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode()
    raise AssertionError("no text part")


def test_campaign_through_a_real_smtp_server(
    fresh_db_url: str, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session, name="Mailer")
        store = make_store(session, company=company, name="Shop DE")
        owner = owner_actor(session, company)
        people: dict[str, Any] = {}
        for key, country, address in (
            ("anna", "DE", "anna@example.de"),
            ("bernd", "DE", "gone@example.de"),  # refused by the server: a bounce
            ("claire", "FR", "claire@example.fr"),  # outside the segment
            ("dieter", "DE", "dieter@example.de"),  # unsubscribes after the first campaign
            ("eva", "DE", None),  # no e-mail on record
        ):
            buyer = make_buyer(session, store=store, country=country, company_name=key.title())
            if address:
                pii.set_buyer_contact(session, buyer=buyer, actor=owner, email=address)
            people[key] = buyer.id
        template = campaigns.add_email_template(
            session, store=store, actor=owner, name="autumn", subject="{store}: autumn sale",
            body="Hello {name},\nour autumn sale: https://shop.example/autumn\nSizes: https://shop.example/sizes",
        )  # fmt: skip
        campaign = campaigns.create_campaign(
            session,
            store=store,
            actor=owner,
            name="Autumn DE",
            template=template,
            segment={"countries": ["de"]},
        )
        _, marketer = make_member(session, company=company, role=Role.MARKETING, stores=[store])
        token = auth_service.issue_token(session, actor=marketer, name="t")[1]
        ids = (store.id, campaign.id, template.id)
    app = create_app(get_settings(), engine=engine, console=False)
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        sent = client.post(
            f"{API_PREFIX}/campaigns/{ids[1]}/send",
            json={"smtp_host": "127.0.0.1", "smtp_port": port, "sender": "news@shop.example",
                  "base_url": "http://testserver"},
            headers=headers,
        )  # fmt: skip
        assert sent.status_code == 200, sent.text
        # DE with an e-mail: anna, bernd (bounced), dieter → 3 recipients, 2 delivered
        assert {k: sent.json()[k] for k in ("recipients", "delivered", "bounced")} == {
            "recipients": 3, "delivered": 2, "bounced": 1,
        }  # fmt: skip
        assert sorted(m["To"] for m in inbox.messages) == ["anna@example.de", "dieter@example.de"]
        by_to = {m["To"]: m for m in inbox.messages}
        anna = _text(by_to["anna@example.de"])
        assert (
            anna.startswith("Hello Anna,")
            and by_to["anna@example.de"]["Subject"] == "Shop DE: autumn sale"
        )
        links = re.findall(r"http://testserver(/api/v1/mail/c/[\w-]+/\d)", anna)
        assert len(links) == 2
        click = client.get(links[1], follow_redirects=False)
        assert (click.status_code, click.headers["location"]) == (302, "https://shop.example/sizes")
        assert client.get(links[1], follow_redirects=False).status_code == 302  # clicked twice
        dieter_html = by_to["dieter@example.de"].get_payload()[1].get_payload(decode=True).decode()
        pixel = re.search(r'src="http://testserver(/api/v1/mail/o/[\w-]+)"', dieter_html)
        assert pixel is not None
        assert client.get(pixel.group(1)).headers["content-type"] == "image/gif"
        unsubscribe = (
            by_to["dieter@example.de"]["List-Unsubscribe"]
            .strip("<>")
            .removeprefix("http://testserver")
        )
        assert client.post(unsubscribe).status_code == 200
        stats = client.get(f"{API_PREFIX}/campaigns/{ids[1]}/stats", headers=headers).json()
        # opened: anna (by her click) and dieter (pixel); clicked: anna; unsubscribed: dieter
        assert {k: stats[k] for k in ("opened", "clicked", "unsubscribed", "open_rate", "click_rate")} == {
            "opened": 2, "clicked": 1, "unsubscribed": 1, "open_rate": 1.0, "click_rate": 0.5,
        }  # fmt: skip
        assert client.get(f"{API_PREFIX}/mail/c/nope/0", follow_redirects=False).status_code == 404
        again = client.post(f"{API_PREFIX}/campaigns/{ids[1]}/send", json={
            "smtp_host": "127.0.0.1", "smtp_port": port, "sender": "news@shop.example", "base_url": "http://x"},
            headers=headers)  # fmt: skip
        assert again.status_code == 409
    # A second campaign no longer reaches the unsubscribed buyer.
    with session_scope(engine) as session:
        second = EmailCampaign(
            store_id=ids[0],
            template_id=ids[2],
            name="Winter",
            segment={"countries": ["DE"]},
            links=[],
            status="draft",
        )
        session.add(second)
        session.flush()
        assert sorted(a for _, a in campaigns.audience(session, campaign=second)) == [
            "anna@example.de",
            "gone@example.de",
        ]
    engine.dispose()
