"""Buyer PII: encrypted at rest, masked without pii.read, erased after retention; figures stay."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.crm import pii
from storeops.crm.models import BuyerContact
from storeops.crypto import CannotDecrypt, decrypt
from storeops.db import make_engine, session_scope
from storeops.errors import InvalidInput
from storeops.migrations import upgrade
from storeops.orders.enums import OrderStatus
from storeops.orders.models import Order
from tests.crm.factories import make_buyer
from tests.factories import make_company, make_member, make_store, owner_actor
from tests.orders.factories import make_order

NAME, PHONE, EMAIL = "Zhang Weiqiang", "+86 138 0013 8000", "weiqiang.zhang@example.cn"
ADDRESS = "Room 1203, 88 Jiangnan Road, Ningbo"
UTC = dt.UTC


def test_a_raw_dump_of_the_database_holds_no_planted_personal_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pii.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        company = make_company(session)
        store = make_store(session, company=company)
        buyer = make_buyer(session, store=store)
        pii.set_buyer_contact(
            session, buyer=buyer, actor=owner_actor(session, company), name=NAME, email=EMAIL,
            phone=PHONE, address=ADDRESS, postcode="315000",
        )  # fmt: skip
    engine.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("pii.db*"))  # the file and its WAL
    assert len(raw) > 10_000
    for planted in (NAME, PHONE, EMAIL, "Jiangnan Road", "13800138000", "Weiqiang"):
        assert planted.encode() not in raw, planted
    assert b"315" in raw  # the truncated postcode is kept in clear on purpose


def test_ciphertext_is_authenticated(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    contact = pii.set_buyer_contact(
        session,
        buyer=make_buyer(session, store=store),
        actor=owner_actor(session, company),
        name=NAME,
    )
    assert contact.name_ciphertext is not None
    assert decrypt(contact.name_ciphertext, purpose=pii.PURPOSE) == NAME
    tampered = (
        contact.name_ciphertext[:-6]
        + ("A" if contact.name_ciphertext[-6] != "A" else "B")
        + contact.name_ciphertext[-5:]
    )
    with pytest.raises(CannotDecrypt):
        decrypt(tampered, purpose=pii.PURPOSE)


def test_lists_are_masked_for_roles_without_pii_read(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    buyer = make_buyer(session, store=store, country="CN")
    pii.set_buyer_contact(
        session, buyer=buyer, actor=owner_actor(session, company), name=NAME, email=EMAIL,
        phone=PHONE, address=ADDRESS, postcode="315 000",
    )  # fmt: skip
    _, marketing = make_member(session, company=company, role=Role.MARKETING, stores=[store])
    _, service_agent = make_member(
        session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store]
    )
    [masked] = pii.list_buyer_contacts(session, store=store, actor=marketing)
    assert (masked.name, masked.email, masked.phone, masked.address, masked.masked) == (
        "Z**** W*******",
        "w***@e***.cn",
        "*** 00",
        "315*** CN",
        True,
    )
    [clear] = pii.list_buyer_contacts(session, store=store, actor=service_agent)
    assert (clear.name, clear.email, clear.phone, clear.address) == (NAME, EMAIL, PHONE, ADDRESS)
    with pytest.raises(InvalidInput, match="is not an e-mail address"):
        pii.set_buyer_contact(session, buyer=buyer, actor=service_agent, email="nope")


def test_retention_erases_personal_data_but_keeps_order_figures(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    pii.set_retention(session, store=store, days=90, actor=actor)
    delivered_buyer = make_buyer(session, store=store, country="DE")
    open_buyer = make_buyer(session, store=store, country="FR")
    make_order(session, store=store, buyer=delivered_buyer, total=4_500, status=OrderStatus.DELIVERED,
               delivered_at=dt.datetime(2026, 3, 1, tzinfo=UTC))  # fmt: skip
    make_order(session, store=store, buyer=delivered_buyer, total=1_500, status=OrderStatus.DELIVERED,
               delivered_at=dt.datetime(2026, 4, 1, tzinfo=UTC))  # fmt: skip
    make_order(session, store=store, buyer=open_buyer, total=2_000, status=OrderStatus.SHIPPED)
    for buyer in (delivered_buyer, open_buyer):
        pii.set_buyer_contact(session, buyer=buyer, actor=actor, name=NAME, email=EMAIL, phone=PHONE,
                              address=ADDRESS, postcode="10115")  # fmt: skip
    # 2026-06-29 is 89 days after the last delivery (2026-04-01): nothing is erased yet.
    assert (
        pii.erase_expired_contacts(session, actor=actor, now=dt.datetime(2026, 6, 29, tzinfo=UTC))
        == 0
    )
    # Advance the clock past retention: 2026-07-01 is 91 days after it.
    assert (
        pii.erase_expired_contacts(session, actor=actor, now=dt.datetime(2026, 7, 1, tzinfo=UTC))
        == 1
    )
    gone = session.scalars(
        select(BuyerContact).where(BuyerContact.buyer_id == delivered_buyer.id)
    ).one()
    assert (
        gone.name_ciphertext,
        gone.email_ciphertext,
        gone.phone_ciphertext,
        gone.address_ciphertext,
    ) == (None,) * 4
    assert (gone.country, gone.postcode_prefix, gone.erased_at) == (
        "DE",
        "101",
        dt.datetime(2026, 7, 1, tzinfo=UTC),
    )
    views = {v.buyer_id: v for v in pii.list_buyer_contacts(session, store=store, actor=actor)}
    assert (views[delivered_buyer.id].name, views[delivered_buyer.id].erased) == ("", True)
    assert views[open_buyer.id].name == NAME  # the shipped order keeps its buyer's data
    totals = session.execute(
        select(func.count(), func.sum(Order.total_amount)).where(
            Order.buyer_id == delivered_buyer.id
        )
    ).one()
    assert tuple(totals) == (2, 6_000)


def test_export_loses_personal_data_after_retention_while_totals_stay(fresh_db_url: str) -> None:
    from typer.testing import CliRunner

    from storeops.cli.main import app

    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        company = make_company(session, name="Solo")
        store = make_store(session, company=company)
        buyer = make_buyer(session, store=store, country="DE")
        delivered = dt.datetime.now(UTC) - dt.timedelta(days=120)
        make_order(session, store=store, buyer=buyer, total=4_500, status=OrderStatus.DELIVERED,
                   placed_at=delivered - dt.timedelta(days=5), delivered_at=delivered)  # fmt: skip
        pii.set_buyer_contact(session, buyer=buyer, actor=owner_actor(session, company), name=NAME,
                              email=EMAIL, phone=PHONE, address=ADDRESS, postcode="10115")  # fmt: skip
        store_id = store.id
    engine.dispose()
    runner = CliRunner()
    before = runner.invoke(app, ["crm", "buyers", "--store", str(store_id), "-f", "csv"])
    assert before.exit_code == 0, before.output
    assert NAME in before.stdout and PHONE in before.stdout
    kept = runner.invoke(app, ["crm", "pii-erase", "--retention-days", "180"])
    assert "erased the personal data of 0 buyer(s)" in kept.stdout
    erased = runner.invoke(app, ["crm", "pii-erase", "--retention-days", "90"])
    assert "erased the personal data of 1 buyer(s)" in erased.stdout
    after = runner.invoke(app, ["crm", "buyers", "--store", str(store_id), "-f", "csv"])
    for planted in (NAME, PHONE, EMAIL, "Jiangnan"):
        assert planted not in after.stdout
    assert ",DE,101,," in after.stdout  # country and truncated postcode stay
    orders = runner.invoke(app, ["orders", "list", "--store", str(store_id), "-f", "json"])
    assert '"total": "45.00 USD"' in orders.stdout
