"""Buyers' personal data: encrypted at rest, masked for roles without ``pii.read``, erased after a
retention period following the last delivery while order figures stay (9.3.1, stage 7 and 8.3).

Encryption is ``storeops.crypto`` (Fernet: AES-128-CBC with HMAC-SHA256, so tampering is detected)
under a key derived from ``STOREOPS_SECRET_KEY``, which lives outside the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import and_, column, exists, func, or_, select, table
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped, scoped
from storeops.auth.service import record_audit
from storeops.crm.models import Buyer, BuyerContact, PiiPolicy
from storeops.crypto import decrypt, encrypt
from storeops.db import UTCDateTime
from storeops.errors import InvalidInput, NotFound
from storeops.stores.models import Store
from storeops.types import utcnow

PURPOSE = "buyer-pii"
DEFAULT_RETENTION_DAYS = 30  # issue 11 and Amazon's Data Protection Policy: 30 days after delivery
POSTCODE_KEPT = 3
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Orders sit above crm in the layers; the retention rule reads three columns of the table.
_orders = table(
    "orders",
    column("buyer_id"),
    column("store_id"),
    column("status"),
    column("delivered_at", UTCDateTime()),
    column("cancelled_at", UTCDateTime()),
    column("refunded_at", UTCDateTime()),
    column("placed_at", UTCDateTime()),
)
_FINISHED = ("delivered", "cancelled", "refunded")


@dataclass(frozen=True)
class ContactView:
    """A buyer's contact as an interface shows it: clear for ``pii.read``, masked otherwise."""

    buyer_id: int
    handle: str
    country: str
    postcode_prefix: str
    name: str
    email: str
    phone: str
    address: str
    masked: bool
    erased: bool


def _seal(value: str | None) -> str | None:
    clean = (value or "").strip()
    return encrypt(clean, purpose=PURPOSE) if clean else None


def _open(value: str | None) -> str:
    return decrypt(value, purpose=PURPOSE) if value else ""


def set_buyer_contact(
    session: Session,
    *,
    buyer: Buyer,
    actor: Actor,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    postcode: str | None = None,
) -> BuyerContact:
    """Store a buyer's name, e-mail, phone and address encrypted; keep the postcode's first
    characters in clear for statistics."""
    actor.require(Permission.CRM_MANAGE)
    found = get_scoped(session, Buyer, buyer.id, actor, what="buyer")
    if email and email.strip() and not _EMAIL.match(email.strip()):
        raise InvalidInput(f"{email!r} is not an e-mail address", field="email")
    if phone and phone.strip() and sum(ch.isdigit() for ch in phone) < 5:
        raise InvalidInput(f"{phone!r} is not a phone number", field="phone")
    contact = session.scalars(
        select(BuyerContact).where(BuyerContact.buyer_id == found.id)
    ).one_or_none()
    if contact is None:
        contact = BuyerContact(store_id=found.store_id, buyer_id=found.id, country=found.country)
        session.add(contact)
    contact.name_ciphertext = _seal(name)
    contact.email_ciphertext = _seal(email.lower() if email else email)
    contact.phone_ciphertext = _seal(phone)
    contact.address_ciphertext = _seal(address)
    contact.postcode_prefix = re.sub(r"\s", "", postcode or "")[:POSTCODE_KEPT].upper()
    contact.updated_at = utcnow()
    contact.erased_at = None
    session.flush()
    return contact


def mask_name(value: str) -> str:
    """``Zhang Weiqiang`` → ``Z**** W*******``."""
    return " ".join(w[0] + "*" * (len(w) - 1) for w in value.split()) if value else ""


def mask_email(value: str) -> str:
    """``anna.schmidt@example.de`` → ``a***@e***.de``."""
    if "@" not in value:
        return ""
    local, domain = value.split("@", 1)
    host, _, tld = domain.rpartition(".")
    return f"{local[:1]}***@{host[:1]}***.{tld}"


def mask_phone(value: str) -> str:
    """Only the last two digits: ``+86 138 0013 8000`` → ``*** 00``."""
    digits = [c for c in value if c.isdigit()]
    return f"*** {''.join(digits[-2:])}" if digits else ""


def _view(buyer: Buyer, contact: BuyerContact | None, clear: bool) -> ContactView:
    if contact is None or contact.erased_at is not None:
        return ContactView(
            buyer_id=buyer.id, handle=buyer.handle, country=buyer.country,
            postcode_prefix=contact.postcode_prefix if contact else "",
            name="", email="", phone="", address="", masked=not clear,
            erased=contact is not None,
        )  # fmt: skip
    name, email = _open(contact.name_ciphertext), _open(contact.email_ciphertext)
    phone, address = _open(contact.phone_ciphertext), _open(contact.address_ciphertext)
    if not clear:
        name, email, phone = mask_name(name), mask_email(email), mask_phone(phone)
        address = f"{contact.postcode_prefix}*** {contact.country}" if address else ""
    return ContactView(
        buyer_id=buyer.id, handle=buyer.handle, country=contact.country,
        postcode_prefix=contact.postcode_prefix, name=name, email=email, phone=phone,
        address=address, masked=not clear, erased=False,
    )  # fmt: skip


def list_buyer_contacts(
    session: Session, *, store: Store, actor: Actor, limit: int = 200
) -> list[ContactView]:
    """The store's buyers with their contact: in clear for roles with ``pii.read``, masked for
    the others (an unmasked read is audited)."""
    actor.require(Permission.CRM_READ)
    get_scoped(session, Store, store.id, actor, what="store")
    clear = actor.can(Permission.PII_READ)
    rows = session.execute(
        scoped(select(Buyer, BuyerContact), Buyer, actor)
        .outerjoin(BuyerContact, BuyerContact.buyer_id == Buyer.id)
        .where(Buyer.store_id == store.id)
        .order_by(Buyer.id)
        .limit(limit)
    ).all()
    views = [_view(b, c, clear) for b, c in rows]
    if clear and any(v.name or v.email or v.phone for v in views):
        record_audit(
            session, action="pii.read", actor=actor, target_type="store", target_id=store.id
        )
    return views


def buyer_contact(session: Session, *, buyer_id: int, actor: Actor) -> ContactView:
    """One buyer's contact (clear or masked by the actor's role)."""
    actor.require(Permission.CRM_READ)
    buyer = get_scoped(session, Buyer, buyer_id, actor, what="buyer")
    contact = session.scalars(
        select(BuyerContact).where(BuyerContact.buyer_id == buyer.id)
    ).one_or_none()
    clear = actor.can(Permission.PII_READ)
    if clear and contact is not None:
        record_audit(
            session, action="pii.read", actor=actor, target_type="buyer", target_id=buyer.id
        )
    return _view(buyer, contact, clear)


def retention_days(session: Session, store_id: int) -> int:
    """The store's retention period in days (its policy, or the default)."""
    days = session.scalar(select(PiiPolicy.retention_days).where(PiiPolicy.store_id == store_id))
    return int(days) if days is not None else DEFAULT_RETENTION_DAYS


def set_retention(session: Session, *, store: Store, days: int, actor: Actor) -> int:
    """9.3.1 Set how many days after the last delivery a store keeps buyers' personal data."""
    actor.require(Permission.CRM_MANAGE)
    get_scoped(session, Store, store.id, actor, what="store")
    if not 1 <= days <= 3650:
        raise InvalidInput("retention is 1 to 3,650 days", field="days")
    policy = session.scalars(select(PiiPolicy).where(PiiPolicy.store_id == store.id)).one_or_none()
    if policy is None:
        policy = PiiPolicy(store_id=store.id, retention_days=days)
        session.add(policy)
    policy.retention_days = days
    session.flush()
    return days


def erase_expired_contacts(
    session: Session, *, actor: Actor, now: dt.datetime | None = None
) -> int:
    """9.3.1 Erase the personal data of buyers whose every order ended (delivered, cancelled or
    refunded) more than the store's retention period ago. Orders, their figures, the country and
    the truncated postcode stay. Returns how many contacts were erased (a job: run daily)."""
    actor.require(Permission.CRM_MANAGE)
    moment = now or utcnow()
    erased = 0
    for store_id in sorted(actor.store_ids):
        cutoff = moment - dt.timedelta(days=retention_days(session, store_id))
        ended = func.coalesce(_orders.c.delivered_at, _orders.c.refunded_at, _orders.c.cancelled_at)
        recent_or_open = exists(
            select(1).where(
                _orders.c.buyer_id == BuyerContact.buyer_id,
                or_(
                    _orders.c.status.not_in(_FINISHED),
                    ended.is_(None),
                    ended > cutoff,
                ),
            )
        )
        any_order = exists(select(1).where(_orders.c.buyer_id == BuyerContact.buyer_id))
        stmt = select(BuyerContact).where(
            BuyerContact.store_id == store_id,
            BuyerContact.erased_at.is_(None),
            and_(any_order, ~recent_or_open),
        )
        for contact in session.scalars(stmt):
            contact.name_ciphertext = None
            contact.email_ciphertext = None
            contact.phone_ciphertext = None
            contact.address_ciphertext = None
            contact.erased_at = moment
            erased += 1
    session.flush()
    if erased:
        record_audit(session, action="pii.erased", actor=actor, count=erased)
    return erased


def get_contact_row(session: Session, *, buyer_id: int, actor: Actor) -> BuyerContact:
    """The raw (encrypted) contact row of a buyer; ``NotFound`` without one."""
    actor.require(Permission.CRM_READ)
    row: BuyerContact | None = session.scalars(
        scoped(select(BuyerContact), BuyerContact, actor).where(BuyerContact.buyer_id == buyer_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"buyer {buyer_id} has no contact on record")
    return row
