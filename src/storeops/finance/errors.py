"""Errors of the finance domain."""

from __future__ import annotations

from storeops.errors import Conflict


class PostedRecordImmutable(Conflict):
    """A posted money record was about to be changed or deleted; post a reversal instead."""

    code = "posted_record_immutable"


class QuotaExceeded(Conflict):
    """9.3.3 The individual's annual FX settlement quota would be exceeded."""

    code = "fx_quota_exceeded"


class InsufficientBalance(Conflict):
    code = "insufficient_balance"
