"""Masking of payment card numbers in free text (messages, notes, imported comments).

A run of 13-19 digits, optionally split by single spaces or dashes, that passes the Luhn check is
a card number (PCI DSS 3.4 allows showing at most the first six and last four digits): it becomes
``411111******1111``. Digit runs that fail the Luhn check (order ids, phone numbers, tracking
numbers) are left alone.
"""

from __future__ import annotations

import re

_CANDIDATE = re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])")


def luhn_valid(digits: str) -> bool:
    """Whether the digit string passes the Luhn (mod 10) check."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def mask_card_number(digits: str) -> str:
    """``digits`` (13-19 of them) as first six, asterisks, last four."""
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


def mask_card_numbers(text: str) -> str:
    """``text`` with every card number masked to its first 6 and last 4 digits."""

    def replace(match: re.Match[str]) -> str:
        raw = match.group(0)
        digits = re.sub(r"[ -]", "", raw)
        if not 13 <= len(digits) <= 19 or not luhn_valid(digits):
            return raw
        return mask_card_number(digits)

    return _CANDIDATE.sub(replace, text)
