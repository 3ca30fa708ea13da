"""3.3.2 Listing quality: rules as data with sources, a score and the fixes per listing."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.auth.scoping import Actor
from storeops.catalog.errors import NoQualityRules, RuleDataError
from storeops.catalog.quality import (
    check_listing_quality,
    list_rules,
    parse_rules,
    platforms_with_rules,
    rules_for,
)
from storeops.errors import PermissionDenied
from storeops.stores.enums import Platform
from tests.catalog.factories import (
    make_category,
    make_image,
    make_listing,
    make_product,
    make_site_store,
)
from tests.factories import make_company, make_member, make_store, owner_actor


def test_every_platform_file_parses_and_every_rule_cites_a_source() -> None:
    assert platforms_with_rules() == ["alibaba_com", "aliexpress", "amazon", "ebay", "shopee"]
    for platform in platforms_with_rules():
        rules = rules_for(platform)
        assert rules is not None and rules.platform == platform
        assert rules.total_weight == 100, platform  # weights read as points out of 100
        for rule in rules.rules:
            assert len(rule.source) > 20, (platform, rule.id)


def test_a_rule_without_a_source_or_with_an_unknown_kind_is_refused() -> None:
    with pytest.raises(RuleDataError, match="cites no source"):
        parse_rules('[[rule]]\nid="t"\nkind="image_count"\nmin=3\nweight=5\nsource=" "', "x")
    with pytest.raises(RuleDataError, match="unknown kind 'colour'"):
        parse_rules('[[rule]]\nid="t"\nkind="colour"\nweight=5\nsource="page"', "x")
    with pytest.raises(RuleDataError, match="lacks min"):
        parse_rules('[[rule]]\nid="t"\nkind="image_count"\nweight=5\nsource="page"', "x")


def test_score_is_the_share_of_rule_weight_passed_and_fixes_name_each_failure(
    session: Session,
) -> None:
    company = make_company(session)
    store = make_store(session, company=company)  # Amazon: weights 20/15/15/15/10/10/5/10
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    make_image(session, company=company, product=product, width=1500, height=1200)
    make_image(session, company=company, product=product, width=1000, height=1000)
    perfect = make_listing(session, store=store, product=product)
    flawed = make_listing(
        session,
        store=store,
        product=product,
        title="Acme Magnetic Phone Holder for Car Dashboard - Free Shipping",  # banned: -15
        image_count=3,  # under 5: -15
        attributes={"brand": "Acme", "material": "ABS"},  # colour, weight, origin: -10
    )
    results = check_listing_quality(session, actor=owner_actor(session, company), store_id=store.id)
    by_id = {r.listing_id: r for r in results}
    assert by_id[perfect.id].score == 100 and by_id[perfect.id].fixes == []
    worst = by_id[flawed.id]
    assert worst.score == 60  # 100 - 15 - 15 - 10
    assert [(f.rule, f.message) for f in worst.fixes] == [
        ("banned_words", "remove from the title: 'free shipping'"),
        ("image_count", "3 images; add at least 2"),
        ("attributes", "fill in the attributes: colour, weight_g, origin"),
    ]
    assert all("sellercentral.amazon.com" in f.source for f in worst.fixes)
    assert [r.listing_id for r in results] == [flawed.id, perfect.id]  # worst first
    below = check_listing_quality(
        session, actor=owner_actor(session, company), store_id=store.id, below=100
    )
    assert [r.listing_id for r in below] == [flawed.id]


def test_empty_fields_short_titles_and_small_images_on_ebay(session: Session) -> None:
    company = make_company(session)
    store = make_site_store(session, company=company, site="UK", platform="ebay", currency="GBP")
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    make_image(session, company=company, product=product, width=400, height=300)  # under 500
    listing = make_listing(
        session,
        store=store,
        product=product,
        title="Holder",  # 6 characters
        description="",
        after_sales_template=None,
    )
    # eBay: required 20, title 15, image size 10, description 10 fail; 100 - 55 = 45
    (result,) = check_listing_quality(
        session, actor=owner_actor(session, company), listing_ids=[listing.id]
    )
    assert result.score == 45
    assert {f.rule: f.message for f in result.fixes} == {
        "required_fields": "fill in the empty fields: description, after_sales_template",
        "title_length": "title has 6 characters; write at least 30",
        "image_size": "the smallest product image is 400 px on its longest side; replace images under 500 px",
        "description_length": "description has 0 characters; write at least 100",
    }


def test_a_product_without_library_images_fails_the_size_rule(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    listing = make_listing(session, store=store, product=product)
    (result,) = check_listing_quality(
        session, actor=owner_actor(session, company), listing_ids=[listing.id]
    )
    assert result.score == 90
    assert [f.rule for f in result.fixes] == ["image_size"]


def test_listings_of_platforms_without_rules_are_left_out(session: Session) -> None:
    company = make_company(session)
    store = make_site_store(session, company=company, site="PL", platform="wish")
    product = make_product(
        session, company=company, category=make_category(session, company=company)
    )
    make_listing(session, store=store, product=product)
    actor = owner_actor(session, company)
    assert check_listing_quality(session, actor=actor, store_id=store.id) == []
    with pytest.raises(NoQualityRules, match="no listing quality rules for platform 'wish'"):
        list_rules(platform=Platform.WISH.value, actor=actor)
    assert [r.id for r in list_rules(platform="ebay", actor=actor)][:2] == [
        "required_fields",
        "title_length",
    ]


def test_customer_service_may_read_and_an_actor_without_catalog_read_may_not(
    session: Session,
) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    _, cs = make_member(session, company=company, role=Role.CUSTOMER_SERVICE, stores=[store])
    assert check_listing_quality(session, actor=cs) == []
    bare = Actor(company_id=company.id, role=Role.VIEWER, store_ids=frozenset({store.id}))
    with pytest.raises(PermissionDenied, match="catalog.read"):
        check_listing_quality(session, actor=bare)
