"""Encryption at rest for secrets storeops must be able to read back (platform credentials, PII).

Keys are derived from ``STOREOPS_SECRET_KEY`` with HKDF-SHA256, one key per purpose, and used with
Fernet (AES-128-CBC + HMAC-SHA256) from the ``cryptography`` package.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storeops.errors import DomainError


class CannotDecrypt(DomainError):
    code = "cannot_decrypt"


@lru_cache(maxsize=16)
def _fernet(secret_key: str, purpose: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"storeops/v1", info=purpose.encode()
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _secret() -> str:
    from storeops.config import get_settings

    return get_settings().secret_key


def encrypt(plaintext: str, *, purpose: str) -> str:
    """Ciphertext (URL-safe text) of ``plaintext`` under the key for ``purpose``."""
    return _fernet(_secret(), purpose).encrypt(plaintext.encode()).decode("ascii")


def decrypt(ciphertext: str, *, purpose: str) -> str:
    """The plaintext of ``ciphertext``; ``CannotDecrypt`` if the key or the data is wrong."""
    try:
        return _fernet(_secret(), purpose).decrypt(ciphertext.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        raise CannotDecrypt(
            f"cannot decrypt a stored {purpose} secret: was STOREOPS_SECRET_KEY changed?"
        ) from None


def token_digest(raw_token: str) -> str:
    """SHA-256 hex digest of a random bearer token or session id (high entropy: no salt needed)."""
    return hashlib.sha256(raw_token.encode()).hexdigest()
