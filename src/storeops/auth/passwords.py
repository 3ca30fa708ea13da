"""The list of common passwords that sign-up and password changes refuse.

The list is the 30,000 most common passwords that ``zxcvbn`` (MIT licence, a maintained wheel on
PyPI: https://github.com/dwolfhub/zxcvbn-python) ships in ``zxcvbn/frequency_lists.py``; it is
compiled from leaked-password corpora. It is read from the installed package, never downloaded.
"""

from __future__ import annotations

from functools import lru_cache

SOURCE = "zxcvbn (MIT), frequency_lists.FREQUENCY_LISTS['passwords']"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common passwords, lower-cased."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def is_common_password(password: str) -> bool:
    """Whether ``password`` (case-insensitively, spaces around it ignored) is a common password."""
    return password.strip().lower() in common_passwords()
