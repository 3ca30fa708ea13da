"""Posted money records are never edited or deleted: the session refuses it before flushing.

Corrections are reversals (a new record with the opposite amount that names the one it
cancels). Bulk loads through SQLAlchemy Core (the simulator, importers) are not affected.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from storeops.finance.errors import PostedRecordImmutable
from storeops.finance.models import (
    FxSettlement,
    FxSettlementPosting,
    Payment,
    Payout,
    PlatformFee,
    RefundPayment,
)

POSTED_MODELS: tuple[type[Any], ...] = (
    Payment,
    PlatformFee,
    Payout,
    FxSettlement,
    FxSettlementPosting,
    RefundPayment,
)


def _refuse_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, POSTED_MODELS):
            raise PostedRecordImmutable(
                f"{type(obj).__name__} {obj.id} is posted and cannot be deleted; post a reversal"
            )
    for obj in session.dirty:
        if isinstance(obj, POSTED_MODELS) and session.is_modified(obj, include_collections=False):
            changed = [a.key for a in inspect(obj).attrs if a.history.has_changes()]
            raise PostedRecordImmutable(
                f"{type(obj).__name__} {obj.id} is posted and cannot be changed "
                f"({', '.join(changed)}); post a reversal",
            )


if not event.contains(Session, "before_flush", _refuse_changes):
    event.listen(Session, "before_flush", _refuse_changes)
