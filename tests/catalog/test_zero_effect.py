"""3.2.6 Zero-effect listings in a window (store-local days) and the bulk actions recorded on them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.auth.models import AuditEvent
from storeops.catalog.enums import ListingStatus
from storeops.catalog.models import Listing, ListingAction
from storeops.catalog.zero_effect import (
    act_on_listings,
    find_zero_effect_listings,
    list_listing_actions,
)
from storeops.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from tests.catalog.factories import (
    make_category,
    make_inquiry,
    make_listing,
    make_order,
    make_product,
    make_traffic,
)
from tests.factories import make_company, make_member, make_store, owner_actor

UTC = dt.UTC
START, END = dt.date(2026, 9, 1), dt.date(2026, 9, 7)


def _world(session: Session):  # type: ignore[no-untyped-def]
    company = make_company(session)
    store = make_store(session, company=company)  # America/Los_Angeles, UTC-7 in September
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    listed = dt.date(2026, 8, 1)
    names = [
        "seen",
        "ordered_late_local",
        "ordered_before",
        "asked",
        "new",
        "hidden",
        "zero_rows",
        "idle",
    ]
    ls = {n: make_listing(session, store=store, product=product, listed_on=listed) for n in names}
    make_traffic(session, listing=ls["seen"], day=dt.date(2026, 9, 3), impressions=10)
    # 2026-09-08 03:00 UTC is 2026-09-07 20:00 in Los Angeles: inside the window
    make_order(
        session, listing=ls["ordered_late_local"], placed_at=dt.datetime(2026, 9, 8, 3, tzinfo=UTC)
    )
    # 2026-09-01 05:00 UTC is 2026-08-31 22:00 in Los Angeles: before the window
    make_order(
        session, listing=ls["ordered_before"], placed_at=dt.datetime(2026, 9, 1, 5, tzinfo=UTC)
    )
    make_inquiry(session, listing=ls["asked"], received_at=dt.datetime(2026, 9, 5, 12, tzinfo=UTC))
    ls["new"].listed_on = dt.date(2026, 9, 3)  # not live for the whole window
    ls["hidden"].status = ListingStatus.INACTIVE
    make_traffic(session, listing=ls["zero_rows"], day=dt.date(2026, 9, 4), impressions=0)
    make_traffic(session, listing=ls["idle"], day=dt.date(2026, 9, 8), impressions=50)  # after
    session.flush()
    return company, store, ls


def test_zero_effect_listings_are_those_with_nothing_in_the_store_local_window(
    session: Session,
) -> None:
    company, _store, ls = _world(session)
    found = find_zero_effect_listings(
        session, actor=owner_actor(session, company), date_from=START, date_to=END
    )
    assert [f.listing_id for f in found] == [
        ls["ordered_before"].id,
        ls["zero_rows"].id,
        ls["idle"].id,
    ]
    assert {(f.window_from, f.window_to) for f in found} == {(START, END)}


def test_a_reversed_window_is_refused(session: Session) -> None:
    company = make_company(session)
    with pytest.raises(InvalidInput, match="starts"):
        find_zero_effect_listings(
            session, actor=owner_actor(session, company), date_from=END, date_to=START
        )


def test_bulk_hide_records_who_when_why_and_changes_status(session: Session) -> None:
    company, store, ls = _world(session)
    user, operator = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    ids = [ls["ordered_before"].id, ls["zero_rows"].id]
    records = act_on_listings(
        session,
        actor=operator,
        listing_ids=ids,
        action="hide",
        reason="no effect in the first week of September",
        window_from=START,
        window_to=END,
    )
    assert [(r.listing_id, r.status_before, r.status_after, r.user_id) for r in records] == [
        (ids[0], ListingStatus.ACTIVE, ListingStatus.INACTIVE, user.id),
        (ids[1], ListingStatus.ACTIVE, ListingStatus.INACTIVE, user.id),
    ]
    assert {session.get(Listing, i).status for i in ids} == {ListingStatus.INACTIVE}  # type: ignore[union-attr]
    assert records[0].at.tzinfo is not None and records[0].window_from == START
    history = list_listing_actions(session, actor=operator, store_id=store.id)
    assert sorted(h.listing_id for h in history) == sorted(ids)
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "listing.hide")).one()
    assert audit.detail == {"count": 2} and audit.actor_user_id == user.id


def test_optimise_keeps_the_listing_live_and_delete_is_final(session: Session) -> None:
    company, _store, ls = _world(session)
    actor = owner_actor(session, company)
    (opt,) = act_on_listings(
        session, actor=actor, listing_ids=[ls["idle"].id], action="optimise", reason="new images"
    )
    assert opt.status_before == opt.status_after == ListingStatus.ACTIVE
    act_on_listings(
        session, actor=actor, listing_ids=[ls["idle"].id], action="delete", reason="gone"
    )
    assert ls["idle"].status == ListingStatus.DELETED
    with pytest.raises(IllegalTransition, match="is deleted and cannot be optimised"):
        act_on_listings(
            session, actor=actor, listing_ids=[ls["idle"].id], action="optimise", reason="x"
        )


def test_a_refused_move_in_a_batch_changes_nothing(session: Session) -> None:
    company, _store, ls = _world(session)
    actor = owner_actor(session, company)
    before = session.scalar(select(ListingAction.id).order_by(ListingAction.id.desc()).limit(1))
    with pytest.raises(
        IllegalTransition,
        match=f"listing {ls['hidden'].id}: a inactive listing cannot become inactive",
    ):
        act_on_listings(
            session,
            actor=actor,
            listing_ids=[ls["idle"].id, ls["hidden"].id],
            action="hide",
            reason="tidy up",
        )
    assert ls["idle"].status == ListingStatus.ACTIVE
    assert (
        session.scalar(select(ListingAction.id).order_by(ListingAction.id.desc()).limit(1))
        == before
    )
    with pytest.raises(InvalidInput, match="unknown action 'archive'"):
        act_on_listings(
            session, actor=actor, listing_ids=[ls["idle"].id], action="archive", reason="x"
        )
    with pytest.raises(InvalidInput, match="give a reason"):
        act_on_listings(
            session, actor=actor, listing_ids=[ls["idle"].id], action="hide", reason=" "
        )


def test_viewers_cannot_act_and_other_stores_listings_answer_not_found(session: Session) -> None:
    company, store, ls = _world(session)
    other_store = make_store(session, company=company)
    _, viewer = make_member(session, company=company, role=Role.VIEWER, stores=[store])
    with pytest.raises(PermissionDenied):
        act_on_listings(
            session, actor=viewer, listing_ids=[ls["idle"].id], action="hide", reason="x"
        )
    _, operator = make_member(session, company=company, role=Role.OPERATOR, stores=[other_store])
    with pytest.raises(NotFound, match=f"listing {ls['idle'].id} not found"):
        act_on_listings(
            session, actor=operator, listing_ids=[ls["idle"].id], action="hide", reason="x"
        )
    assert ls["idle"].status == ListingStatus.ACTIVE
    assert find_zero_effect_listings(session, actor=operator, date_from=START, date_to=END) == []
