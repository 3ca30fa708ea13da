"""Optional TOTP second factor (RFC 6238, 6 digits, 30-second steps) with ``pyotp``.

A user enrols (gets a secret and an ``otpauth://`` URI for their authenticator app), confirms with
a first code, and from then on signs in to the console and issues API tokens only with a current
code. The secret is stored encrypted with a key derived from ``STOREOPS_SECRET_KEY`` (outside the
database); a code is accepted once (its time step is remembered), one step of clock drift either
way is tolerated.
"""

from __future__ import annotations

import time

import pyotp
from sqlalchemy.orm import Session

from storeops.auth.errors import SecondFactorInvalid, SecondFactorRequired, SecondFactorState
from storeops.auth.models import User, UserTotp
from storeops.crypto import decrypt, encrypt
from storeops.types import utcnow

PURPOSE = "totp"
ISSUER = "storeops"
STEP_SECONDS = 30


def _secret_of(entry: UserTotp) -> str:
    return decrypt(entry.secret_encrypted, purpose=PURPOSE)


def second_factor_enabled(session: Session, user_id: int | None) -> bool:
    """Whether the user has a confirmed second factor."""
    if user_id is None:
        return False
    entry = session.get(UserTotp, user_id)
    return entry is not None and entry.confirmed_at is not None


def enrol(session: Session, *, user: User) -> tuple[str, str]:
    """Start (or restart) enrolment: a new secret and its ``otpauth://`` URI, shown once."""
    entry = session.get(UserTotp, user.id)
    if entry is not None and entry.confirmed_at is not None:
        raise SecondFactorState("the second factor is already on: turn it off first")
    secret = pyotp.random_base32()
    if entry is None:
        entry = UserTotp(user_id=user.id, secret_encrypted="")
        session.add(entry)
    entry.secret_encrypted = encrypt(secret, purpose=PURPOSE)
    entry.last_step = 0
    session.flush()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return secret, uri


def _accept(entry: UserTotp, code: str | None, *, at: float | None = None) -> bool:
    """Whether ``code`` is current for ``entry`` and not used before (then remember its step)."""
    digits = (code or "").strip().replace(" ", "")
    if len(digits) != 6 or not digits.isdigit():
        return False
    totp = pyotp.TOTP(_secret_of(entry))
    now = time.time() if at is None else at
    step_now = int(now // STEP_SECONDS)
    for step in (step_now - 1, step_now, step_now + 1):
        if step > entry.last_step and totp.at(step * STEP_SECONDS) == digits:
            entry.last_step = step
            return True
    return False


def confirm(session: Session, *, user: User, code: str) -> None:
    """Turn the second factor on with a first code from the app."""
    entry = session.get(UserTotp, user.id)
    if entry is None or entry.confirmed_at is not None:
        raise SecondFactorState("start enrolment first (no pending second factor)")
    if not _accept(entry, code):
        raise SecondFactorInvalid("the code is wrong or expired; try the current one")
    entry.confirmed_at = utcnow()
    session.flush()


def turn_off(session: Session, *, user: User, code: str) -> None:
    """Turn the second factor off (needs a current code)."""
    entry = session.get(UserTotp, user.id)
    if entry is None or entry.confirmed_at is None:
        raise SecondFactorState("the second factor is not on")
    if not _accept(entry, code):
        raise SecondFactorInvalid("the code is wrong or expired; try the current one")
    session.delete(entry)
    session.flush()


def check_code(session: Session, *, user_id: int | None, code: str | None) -> None:
    """Nothing if the user has no second factor or ``code`` is current; otherwise raise."""
    if user_id is None:
        return
    entry = session.get(UserTotp, user_id)
    if entry is None or entry.confirmed_at is None:
        return
    if not (code or "").strip():
        raise SecondFactorRequired(
            "this account has a second factor: enter the 6-digit code from your authenticator app"
        )
    if not _accept(entry, code):
        raise SecondFactorInvalid("the authentication code is wrong or expired")
