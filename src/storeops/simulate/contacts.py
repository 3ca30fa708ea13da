"""Simulated buyer contacts (PII): country-typical names, e-mails, phones and addresses, sealed
with the same Fernet format as ``storeops.crm.pii`` but encrypted in batches.

Why a batch encryptor: ``storeops.crypto.encrypt`` costs about 35 µs a value (one Fernet object
call each); a ``medium`` run keeps ~200,000 contacts × 4 fields. ``seal_many`` builds the same
Fernet tokens (version 0x80, timestamp, random IV, AES-128-CBC with PKCS7, HMAC-SHA256, URL-safe
base64) but runs AES once per block *position* over all values, so only the HMAC and base64 are
per value. ``storeops.crypto.decrypt`` reads them (tested in ``tests/simulate``).
"""

from __future__ import annotations

import base64
import hmac
import os
import struct
import time

import numpy as np
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from numpy.typing import NDArray

# same derivation as storeops.crypto._fernet (HKDF-SHA256, salt storeops/v1, info = purpose)
_SALT = b"storeops/v1"


def _keys(secret_key: str, purpose: str) -> tuple[bytes, bytes]:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=purpose.encode()).derive(
        secret_key.encode()
    )
    return key[:16], key[16:]  # Fernet: signing key, encryption key


def seal_many(values: list[str], *, purpose: str, secret_key: str) -> list[str]:
    """Fernet tokens of ``values`` under the key for ``purpose`` (fresh random IV per value)."""
    n = len(values)
    if n == 0:
        return []
    signing, encryption = _keys(secret_key, purpose)
    raw = [v.encode() for v in values]
    padded_len = np.array([(len(b) // 16 + 1) * 16 for b in raw], dtype=np.int64)
    flat = np.frombuffer(
        b"".join(
            b + bytes([p - len(b)]) * (p - len(b))
            for b, p in zip(raw, padded_len.tolist(), strict=True)
        ),
        dtype=np.uint8,
    )
    offset = np.concatenate([[0], np.cumsum(padded_len)[:-1]])
    blocks = padded_len // 16
    ivs = np.frombuffer(os.urandom(16 * n), dtype=np.uint8).reshape(n, 16)
    out = np.empty_like(flat)
    prev = ivs.copy()
    # CBC built by hand: AES per block on (plaintext XOR previous ciphertext block or IV)
    ecb = Cipher(algorithms.AES(encryption), modes.ECB()).encryptor()  # noqa: S305
    span = np.arange(16)
    for j in range(int(blocks.max())):
        idx = np.flatnonzero(blocks > j)
        where = offset[idx, None] + 16 * j + span
        mixed = flat[where] ^ prev[idx]
        cipher = np.frombuffer(ecb.update(mixed.tobytes()), dtype=np.uint8).reshape(-1, 16)
        out[where] = cipher
        prev[idx] = cipher
    header = b"\x80" + struct.pack(">Q", int(time.time()))
    out_bytes, iv_bytes = out.tobytes(), ivs.tobytes()
    tokens = []
    for i, (o, p) in enumerate(zip(offset.tolist(), padded_len.tolist(), strict=True)):
        body = header + iv_bytes[16 * i : 16 * i + 16] + out_bytes[o : o + p]
        tokens.append(
            base64.urlsafe_b64encode(body + hmac.digest(signing, body, "sha256")).decode("ascii")
        )
    return tokens


# --- names and addresses per country -------------------------------------------------------------

_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (("James", "Olivia", "Michael", "Emma", "David", "Sophia", "Daniel", "Emily", "Ryan",
            "Grace", "Thomas", "Chloe"),
           ("Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Miller", "Clark", "Walker",
            "Wright", "Hughes", "Evans")),
    "de": (("Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Sophie", "Leon", "Hannah"),
           ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
            "Hoffmann", "Koch")),
    "fr": (("Louis", "Camille", "Hugo", "Léa", "Jules", "Manon", "Arthur", "Chloé"),
           ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Moreau")),
    "es": (("Hugo", "Lucía", "Mateo", "Sofía", "Pablo", "Martina", "Diego", "Valeria"),
           ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
            "Pérez")),
    "pt": (("Gabriel", "Maria", "Lucas", "Ana", "Pedro", "Júlia", "Rafael", "Beatriz"),
           ("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Ferreira", "Almeida")),
    "nl": (("Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Finn", "Tess"),
           ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Peters")),
    "ja": (("Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Yuto", "Sakura"),
           ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura")),
    "ko": (("Minjun", "Seoyeon", "Jiho", "Jiwoo", "Hyunwoo", "Soyeon"),
           ("Kim", "Lee", "Park", "Choi", "Jung", "Kang")),
    "ms": (("Muhammad", "Nur Aisyah", "Ahmad", "Siti", "Wei Jie", "Mei Ling", "Arjun", "Priya"),
           ("bin Ismail", "binti Abdullah", "bin Hassan", "Tan", "Lim", "Wong", "Raj", "Kaur")),
    "th": (("Somchai", "Siriporn", "Anan", "Kanya", "Niran", "Ploy", "Prasert", "Malee"),
           ("Saetang", "Srisuk", "Wongsa", "Chaiyaporn", "Boonmee", "Thongchai", "Kittisak",
            "Rattana")),
    "ar": (("Mohammed", "Fatima", "Ahmed", "Aisha", "Omar", "Mariam", "Youssef", "Layla"),
           ("Al-Saud", "Hassan", "Abdullah", "Al-Farsi", "Haddad", "Mansour", "Nasser", "Khalil")),
}  # fmt: skip
_LANGUAGE = {
    "DE": "de", "AT": "de", "CH": "de", "FR": "fr", "BE": "fr", "LU": "fr", "ES": "es", "MX": "es",
    "AR": "es", "CL": "es", "CO": "es", "PE": "es", "BR": "pt", "PT": "pt", "NL": "nl", "JP": "ja",
    "KR": "ko", "MY": "ms", "ID": "ms", "TH": "th", "SA": "ar", "AE": "ar", "EG": "ar", "MA": "ar",
    "KW": "ar", "QA": "ar", "JO": "ar", "BH": "ar", "OM": "ar",
}  # fmt: skip
_DOMAINS = {"en": "mail.example", "de": "post.example.de", "fr": "courriel.example.fr",
            "ja": "mail.example.jp", "ms": "mail.example.my", "th": "mail.example.th"}  # fmt: skip
_CALLING = {
    "US": "+1", "CA": "+1", "GB": "+44", "IE": "+353", "DE": "+49", "AT": "+43", "FR": "+33",
    "BE": "+32", "LU": "+352", "NL": "+31", "ES": "+34", "IT": "+39", "PL": "+48", "JP": "+81",
    "KR": "+82", "MY": "+60", "TH": "+66", "BR": "+55", "MX": "+52", "AU": "+61", "IN": "+91",
    "SA": "+966", "AE": "+971", "EG": "+20", "MA": "+212", "TR": "+90", "ID": "+62", "PK": "+92",
    "BD": "+880",
}  # fmt: skip
_STREETS = {
    "en": ("Main Street", "Oak Avenue", "High Street", "Park Road", "Church Lane", "Maple Drive"),
    "de": ("Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schulstraße", "Lindenallee"),
    "fr": ("rue de la Paix", "avenue Victor Hugo", "rue du Moulin", "boulevard Voltaire"),
    "ja": ("Chuo 1-chome", "Minami 2-chome", "Kita 3-chome", "Nishi 4-chome"),
}  # fmt: skip
_CITIES = {
    "US": ("Columbus", "Austin", "Denver", "Portland", "Raleigh"), "GB": ("Leeds", "Bristol",
    "Manchester", "Norwich"), "DE": ("Köln", "Leipzig", "Hamburg", "Stuttgart"), "JP": ("Osaka",
    "Nagoya", "Sapporo", "Fukuoka"), "MY": ("Kuala Lumpur", "Penang", "Johor Bahru", "Ipoh"),
    "TH": ("Bangkok", "Chiang Mai", "Khon Kaen", "Phuket"), "FR": ("Lyon", "Nantes", "Lille"),
    "AT": ("Wien", "Graz", "Linz"),
}  # fmt: skip


def _postcode(country: str, r: int) -> str:
    if country in ("GB", "IE"):
        letters = "ABCDEFGHJKLMNPRSTUWXYZ"
        return f"{letters[r % 22]}{letters[r // 22 % 22]}{r % 9 + 1} {r // 7 % 9 + 1}{letters[r // 5 % 22]}{letters[r // 3 % 22]}"
    if country == "JP":
        return f"{r % 1000:03d}-{r // 1000 % 10000:04d}"
    if country in ("AT", "BE", "LU", "AU"):
        return f"{1000 + r % 9000:04d}"
    if country == "NL":
        return f"{1000 + r % 9000:04d} AB"
    return f"{10000 + r % 90000:05d}"


def contacts(
    rng: np.random.Generator, countries: list[str], buyer_ids: NDArray[np.int64]
) -> dict[str, list[str]]:
    """Name, e-mail, phone, address and postcode per buyer, typical of the buyer's country."""
    n = len(countries)
    r = rng.integers(0, 2**31, size=(n, 5)).tolist()
    names, emails, phones, addresses, postcodes = [], [], [], [], []
    for country, bid, (a, b, c, d, e) in zip(countries, buyer_ids.tolist(), r, strict=True):
        lang = _LANGUAGE.get(country, "en")
        first_names, last_names = _NAMES[lang]
        first, last = first_names[a % len(first_names)], last_names[b % len(last_names)]
        name = f"{last} {first}" if lang in ("ja", "ko") else f"{first} {last}"
        local = "".join(
            ch for ch in f"{first}.{last}".lower() if ch.isascii() and (ch.isalnum() or ch == ".")
        )
        emails.append(f"{local or 'buyer'}.{bid}@{_DOMAINS.get(lang, 'mail.example')}")
        phones.append(
            f"{_CALLING.get(country, '+1')} {c % 900 + 100} {d % 9000 + 1000} {e % 9000 + 1000}"
        )
        postcode = _postcode(country, e)
        city = _CITIES.get(country, ("Capital City", "Port Town", "Riverside"))
        street = _STREETS.get(lang, _STREETS["en"])
        number = d % 180 + 1
        if lang in ("de", "nl"):
            line = f"{street[c % len(street)]} {number}, {postcode} {city[a % len(city)]}"
        elif lang == "fr":
            line = f"{number} {street[c % len(street)]}, {postcode} {city[a % len(city)]}"
        elif lang == "ja":
            line = f"〒{postcode} {city[a % len(city)]} {street[c % len(street)]} {number}"
        else:
            line = f"{number} {street[c % len(street)]}, {city[a % len(city)]} {postcode}"
        names.append(name)
        addresses.append(f"{line}, {country}")
        postcodes.append(postcode)
    return {"name": names, "email": emails, "phone": phones, "address": addresses,
            "postcode": postcodes}  # fmt: skip
