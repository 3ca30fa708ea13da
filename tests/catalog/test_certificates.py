"""3.1.3 Certificates per target market: expiry warnings and the check that listings have them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.catalog.certificates import (
    add_certificate,
    check_listing_certificates,
    list_certificates,
    requirement_rules,
)
from storeops.errors import InvalidInput, NotFound
from tests.catalog.factories import (
    make_category,
    make_certificate,
    make_group,
    make_listing,
    make_product,
    make_site_store,
)
from tests.factories import make_company, make_member, owner_actor

ON = dt.date(2026, 10, 1)


def test_requirements_cite_sources_and_map_sites_to_markets() -> None:
    rules = requirement_rules()
    assert all(r.source.strip() for r in rules.requirements)
    assert rules.markets_of_site("DE") == ("EU", "DE")
    assert rules.markets_of_site("UK") == ("GB",)
    assert rules.markets_of_site("global") == ()
    assert sorted(r.kind for r in rules.needed("DE", "TOYS")) == ["CE", "EN71"]
    assert sorted(r.kind for r in rules.needed("US", "TOYS")) == ["CPC"]


def test_listings_lacking_a_required_certificate_are_found(session: Session) -> None:
    company = make_company(session)
    toys = make_category(session, company=company, code="TOYS")
    bags = make_category(session, company=company, code="BAGS")
    toy = make_product(session, company=company, category=toys)
    bag = make_product(session, company=company, category=bags)
    de = make_site_store(
        session, company=company, site="DE", currency="EUR", timezone="Europe/Berlin"
    )
    us = make_site_store(session, company=company, site="US")
    make_certificate(
        session,
        company=company,
        product=toy,
        kind="CE",
        market="EU",
        issued_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2026, 10, 15),
    )
    make_certificate(
        session,
        company=company,
        product=toy,
        kind="EN71",
        market="EU",
        issued_on=dt.date(2024, 1, 1),
        expires_on=dt.date(2026, 1, 1),
    )
    toy_de = make_listing(session, store=de, product=toy)
    toy_us = make_listing(session, store=us, product=toy)
    make_listing(session, store=de, product=bag)  # bags need nothing in these rules
    gaps = check_listing_certificates(session, actor=owner_actor(session, company), on=ON)
    assert [(g.listing_id, g.market, g.kind, g.problem, g.expired_on) for g in gaps] == [
        (toy_de.id, "EU", "EN71", "expired", dt.date(2026, 1, 1)),
        (toy_us.id, "US", "CPC", "missing", None),
    ]
    assert "cpsc.gov" in gaps[1].source
    # a week later the CE certificate is still valid; after 2026-10-15 it is not
    later = check_listing_certificates(
        session, actor=owner_actor(session, company), on=dt.date(2026, 10, 16)
    )
    assert ("EU", "CE", "expired") in {(g.market, g.kind, g.problem) for g in later}


def test_expiry_warnings_count_days_left(session: Session) -> None:
    company = make_company(session)
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    soon = make_certificate(
        session,
        company=company,
        product=product,
        kind="CE",
        market="EU",
        issued_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2026, 10, 15),
    )
    gone = make_certificate(
        session,
        company=company,
        product=product,
        kind="FCC",
        market="US",
        issued_on=dt.date(2024, 1, 1),
        expires_on=dt.date(2026, 9, 30),
    )
    make_certificate(
        session,
        company=company,
        product=product,
        kind="RoHS",
        market="EU",
        issued_on=dt.date(2024, 1, 1),
        expires_on=None,
    )
    warnings = list_certificates(
        session, actor=owner_actor(session, company), on=ON, within_days=14, only_warnings=True
    )
    assert [(c.id, c.state, c.days_left) for c in warnings] == [
        (gone.id, "expired", -1),
        (soon.id, "expiring", 14),
    ]
    assert (
        len(list_certificates(session, actor=owner_actor(session, company), on=ON, within_days=13))
        == 3
    )
    assert [
        c.state
        for c in list_certificates(
            session, actor=owner_actor(session, company), on=ON, within_days=13
        )
    ].count("expiring") == 0


def test_add_certificate_validates_and_scopes(session: Session) -> None:
    company = make_company(session)
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    actor = owner_actor(session, company)
    cert = add_certificate(
        session,
        actor=actor,
        product_id=product.id,
        kind="UKCA",
        market="gb",
        number=" UK-1 ",
        issued_on=dt.date(2026, 1, 1),
        expires_on=None,
    )
    assert (cert.market, cert.number) == ("GB", "UK-1")
    with pytest.raises(InvalidInput, match="unknown certificate kind 'XYZ'"):
        add_certificate(
            session,
            actor=actor,
            product_id=product.id,
            kind="XYZ",
            market="EU",
            number="1",
            issued_on=dt.date(2026, 1, 1),
            expires_on=None,
        )
    with pytest.raises(InvalidInput, match="expires before it is issued"):
        add_certificate(
            session,
            actor=actor,
            product_id=product.id,
            kind="CE",
            market="EU",
            number="1",
            issued_on=dt.date(2026, 1, 1),
            expires_on=dt.date(2025, 1, 1),
        )
    other = make_company(session)
    with pytest.raises(NotFound, match=f"product {product.id} not found"):
        add_certificate(
            session,
            actor=owner_actor(session, other),
            product_id=product.id,
            kind="CE",
            market="EU",
            number="1",
            issued_on=dt.date(2026, 1, 1),
            expires_on=None,
        )


def test_operators_see_certificates_of_their_groups_products_only(session: Session) -> None:
    company = make_company(session)
    category = make_category(session, company=company, code="TOYS")
    mine, theirs = (make_product(session, company=company, category=category) for _ in range(2))
    store = make_site_store(session, company=company, site="US")
    user, operator = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    other_user, _ = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    own = make_group(session, store=store, owner_user_id=user.id)
    foreign = make_group(session, store=store, owner_user_id=other_user.id)
    make_listing(session, store=store, product=mine, group_id=own.id)
    make_listing(session, store=store, product=theirs, group_id=foreign.id)
    for p in (mine, theirs):
        make_certificate(
            session,
            company=company,
            product=p,
            kind="CPC",
            market="US",
            issued_on=dt.date(2026, 1, 1),
            expires_on=None,
        )
    assert [c.product_id for c in list_certificates(session, actor=operator, on=ON)] == [mine.id]
    assert check_listing_certificates(session, actor=operator, on=ON) == []
    with pytest.raises(NotFound):
        add_certificate(
            session,
            actor=operator,
            product_id=theirs.id,
            kind="CE",
            market="EU",
            number="1",
            issued_on=dt.date(2026, 1, 1),
            expires_on=None,
        )
