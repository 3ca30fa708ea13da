"""Operators see only the stores and the product groups assigned to them; managers see all groups."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.catalog.models import Listing
from storeops.catalog.quality import check_listing_quality
from storeops.catalog.queries import get_group, get_listing, visible_listings
from storeops.errors import NotFound
from tests.catalog.factories import make_category, make_group, make_listing, make_product
from tests.factories import make_company, make_member, make_store


def test_operator_sees_own_groups_and_ungrouped_listings_of_assigned_stores(
    session: Session,
) -> None:
    company = make_company(session)
    store, elsewhere = make_store(session, company=company), make_store(session, company=company)
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    me, operator = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    colleague, _ = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    _, manager = make_member(session, company=company, role=Role.MANAGER, stores=[store])
    own = make_group(session, store=store, owner_user_id=me.id)
    theirs = make_group(session, store=store, owner_user_id=colleague.id)
    mine = make_listing(session, store=store, product=product, group_id=own.id)
    loose = make_listing(session, store=store, product=product)
    foreign = make_listing(session, store=store, product=product, group_id=theirs.id)
    remote = make_listing(session, store=elsewhere, product=product)

    def seen(actor) -> list[int]:  # type: ignore[no-untyped-def]
        return list(
            session.scalars(visible_listings(select(Listing.id), actor).order_by(Listing.id))
        )

    assert seen(operator) == [mine.id, loose.id]
    assert seen(manager) == [mine.id, loose.id, foreign.id]
    assert {r.listing_id for r in check_listing_quality(session, actor=operator)} == {
        mine.id,
        loose.id,
    }
    for hidden in (foreign, remote):
        with pytest.raises(NotFound, match=f"listing {hidden.id} not found"):
            get_listing(session, hidden.id, operator)
    assert get_group(session, own.id, operator).id == own.id
    with pytest.raises(NotFound, match=f"product group {theirs.id} not found"):
        get_group(session, theirs.id, operator)
