"""CSRF tokens for the console's plain HTML forms.

- Sign-in has no session yet: a *signed double-submit cookie*. The token sits in a cookie and in a
  hidden field; both must be equal and carry storeops' HMAC, so a token planted by a sibling
  (sub)domain or a forged form is refused.
- Forms behind a session (sign-out) carry a token bound to that session: the HMAC of the session
  cookie, which a cross-site page can neither read nor compute.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

LOGIN_CSRF_COOKIE = "storeops_csrf"
CSRF_FIELD = "csrf"


def _mac(secret_key: str, purpose: str, value: str) -> str:
    message = f"storeops/csrf/{purpose}\x00{value}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def new_login_token(secret_key: str) -> str:
    """A fresh signed token for the sign-in form (``nonce.mac``)."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_mac(secret_key, 'login', nonce)}"


def login_token_valid(secret_key: str, token: str | None) -> bool:
    """Whether ``token`` is a sign-in token that storeops signed with this secret."""
    if not token or token.count(".") != 1:
        return False
    nonce, mac = token.split(".")
    return bool(nonce) and hmac.compare_digest(mac, _mac(secret_key, "login", nonce))


def login_form_accepted(secret_key: str, cookie: str | None, field: str | None) -> bool:
    """The double-submit check of the sign-in form: cookie and field equal, and signed by us."""
    if not cookie or not field:
        return False
    return hmac.compare_digest(cookie, field) and login_token_valid(secret_key, cookie)


def session_token(secret_key: str, raw_session: str) -> str:
    """The CSRF token of forms posted by the holder of the session cookie ``raw_session``."""
    return _mac(secret_key, "session", raw_session)


def session_form_accepted(secret_key: str, raw_session: str, field: str | None) -> bool:
    """Whether ``field`` is the token of the session ``raw_session``."""
    return bool(field) and hmac.compare_digest(str(field), session_token(secret_key, raw_session))
