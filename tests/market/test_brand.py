"""1.1.6 brand positioning with trademarks and patents: territories and expiry against the
brand's target markets."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.errors import InvalidInput, NotFound, PermissionDenied
from storeops.market import brand
from storeops.market.enums import IpKind, IpStatus
from storeops.market.errors import DuplicateIpRight
from storeops.market.schemas import BrandWrite, IpRightWrite
from tests.factories import make_company, make_member, owner_actor


def test_brand_protection_by_territory_and_expiry(session: Session) -> None:
    company, other = make_company(session), make_company(session)
    actor = owner_actor(session, company)
    saved = brand.save_brand(
        session,
        data=BrandWrite(brand="Aurora", core_concept="Quiet tech for small homes",
                        brand_values=["calm", "durable"], target_markets=["us", "DE", "FR", "JP"]),
        actor=actor,
    )  # fmt: skip
    assert saved.unprotected_markets == ["DE", "FR", "JP", "US"]
    today = dt.datetime.now(dt.UTC).date()
    brand.add_ip_right(
        session, brand_id=saved.id,
        data=IpRightWrite(kind=IpKind.TRADEMARK, title="AURORA", number="018000001", territory="EU",
                          classes="9", status=IpStatus.REGISTERED,
                          expires_on=today + dt.timedelta(days=100)),
        actor=actor,
    )  # fmt: skip
    brand.add_ip_right(
        session, brand_id=saved.id,
        data=IpRightWrite(kind=IpKind.TRADEMARK, title="AURORA", number="5000001", territory="US",
                          status=IpStatus.REGISTERED, expires_on=today - dt.timedelta(days=1)),
        actor=actor,
    )  # fmt: skip
    result = brand.add_ip_right(
        session, brand_id=saved.id,
        data=IpRightWrite(kind=IpKind.PATENT, title="Damped hinge", number="ZL2024", territory="cn",
                          status=IpStatus.FILED),
        actor=actor,
    )  # fmt: skip
    # the EU mark covers DE and FR; the US mark has expired; a patent is no trademark
    assert result.unprotected_markets == ["JP", "US"]
    assert result.findings == [
        "no live trademark in JP, US",
        f"trademark 018000001 (EU) expires on {today + dt.timedelta(days=100)}",
        f"trademark 5000001 (US) expired on {today - dt.timedelta(days=1)}",
    ]
    assert [r.flags for r in result.ip_rights] == [["expiring_soon"], ["expired"], []]
    with pytest.raises(DuplicateIpRight):
        brand.add_ip_right(
            session, brand_id=saved.id,
            data=IpRightWrite(kind=IpKind.PATENT, title="x", number="ZL2024", territory="CN",
                              status=IpStatus.FILED),
            actor=actor,
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="unknown territory"):
        brand.add_ip_right(
            session, brand_id=saved.id,
            data=IpRightWrite(kind=IpKind.PATENT, title="x", number="1", territory="Mars",
                              status=IpStatus.FILED),
            actor=actor,
        )  # fmt: skip
    with pytest.raises(NotFound):
        brand.add_ip_right(
            session, brand_id=saved.id,
            data=IpRightWrite(kind=IpKind.PATENT, title="x", number="2", territory="CN",
                              status=IpStatus.FILED),
            actor=owner_actor(session, other),
        )  # fmt: skip
    _, cs = make_member(session, company=company, role=Role.CUSTOMER_SERVICE)
    with pytest.raises(PermissionDenied):
        brand.list_brands(session, actor=cs)
    assert [b.brand for b in brand.list_brands(session, actor=actor)] == ["Aurora"]
    assert brand.list_brands(session, actor=owner_actor(session, other)) == []
