"""Every role sees only its stores; another company's record answers like a missing one;
refusals change nothing; nobody grants more than they hold."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storeops.auth import service
from storeops.auth.enums import ROLE_PERMISSIONS, Permission, Role
from storeops.auth.errors import RoleEscalation
from storeops.auth.models import Membership, StoreGrant
from storeops.errors import InvalidInput, NotFound, PermissionDenied
from storeops.stores import service as stores
from storeops.stores.models import Store
from tests.factories import make_company, make_member, make_store, make_user, owner_actor


@pytest.fixture
def world(session: Session) -> dict[str, object]:
    company = make_company(session, name="Alpha")
    other = make_company(session, name="Beta")
    a1 = make_store(session, company=company, name="A1")
    a2 = make_store(session, company=company, name="A2")
    b1 = make_store(session, company=other, name="B1")
    return {"company": company, "other": other, "a1": a1, "a2": a2, "b1": b1}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_its_stores(
    session: Session, world: dict[str, object], role: Role
) -> None:
    a1, a2, b1 = world["a1"], world["a2"], world["b1"]
    assert isinstance(a1, Store) and isinstance(a2, Store) and isinstance(b1, Store)
    _, actor = make_member(session, company=world["company"], role=role, stores=[a1])  # type: ignore[arg-type]
    visible = {s.name for s in stores.list_stores(session, actor=actor)}
    assert visible == ({"A1", "A2"} if role == Role.OWNER else {"A1"})
    assert stores.get_store(session, store_id=a1.id, actor=actor) is a1
    missing_id = max(a1.id, a2.id, b1.id) + 1000
    with pytest.raises(NotFound) as missing:
        stores.get_store(session, store_id=missing_id, actor=actor)
    with pytest.raises(NotFound) as foreign:
        stores.get_store(session, store_id=b1.id, actor=actor)
    assert str(foreign.value) == f"store {b1.id} not found"
    assert str(missing.value) == f"store {missing_id} not found"
    assert type(foreign.value) is type(missing.value)
    if role != Role.OWNER:
        with pytest.raises(NotFound, match=f"store {a2.id} not found"):
            stores.get_store(session, store_id=a2.id, actor=actor)


@pytest.mark.parametrize("role", list(Role))
def test_permission_table_is_enforced_and_refusals_change_nothing(
    session: Session, world: dict[str, object], role: Role
) -> None:
    a1 = world["a1"]
    assert isinstance(a1, Store)
    _, actor = make_member(session, company=world["company"], role=role, stores=[a1])  # type: ignore[arg-type]
    before = session.scalar(select(func.count()).select_from(Store))
    status_before = a1.status
    allowed = Permission.STORE_UPDATE in ROLE_PERMISSIONS[role]
    if allowed:
        stores.change_store_status(session, store=a1, status="active", actor=actor)
        assert a1.status.value == "active"
    else:
        with pytest.raises(
            PermissionDenied, match=f"your role \\({role.value}\\) does not allow store.update"
        ):
            stores.change_store_status(session, store=a1, status="active", actor=actor)
        assert a1.status == status_before
    from storeops.stores.schemas import StoreCreate

    spec = StoreCreate(
        name="New",
        platform="ebay",
        business_model="b2c",
        site="UK",
        currency="GBP",
        timezone="Europe/London",
    )  # type: ignore[arg-type]
    if Permission.STORE_CREATE in ROLE_PERMISSIONS[role]:
        stores.open_store(session, actor=actor, data=spec)
        assert session.scalar(select(func.count()).select_from(Store)) == before + 1
    else:
        with pytest.raises(PermissionDenied):
            stores.open_store(session, actor=actor, data=spec)
        assert session.scalar(select(func.count()).select_from(Store)) == before


def test_manager_creating_a_store_gets_access_to_it(
    session: Session, world: dict[str, object]
) -> None:
    _, actor = make_member(session, company=world["company"], role=Role.MANAGER)  # type: ignore[arg-type]
    from storeops.stores.schemas import StoreCreate

    store = stores.open_store(
        session,
        actor=actor,
        data=StoreCreate(
            name="Mgr",
            platform="shopee",
            business_model="b2c",
            site="SG",
            currency="SGD",  # type: ignore[arg-type]
            timezone="Asia/Singapore",
        ),
    )
    refreshed = service.actor_for(session, user_id=actor.user_id, company_id=actor.company_id)  # type: ignore[arg-type]
    assert store.id in refreshed.store_ids


def test_manager_grants_only_roles_and_stores_they_hold(
    session: Session, world: dict[str, object]
) -> None:
    a1, a2 = world["a1"], world["a2"]
    assert isinstance(a1, Store) and isinstance(a2, Store)
    _, manager = make_member(session, company=world["company"], role=Role.MANAGER, stores=[a1])  # type: ignore[arg-type]
    target = make_user(session)
    grants_before = session.scalar(select(func.count()).select_from(StoreGrant))
    with pytest.raises(RoleEscalation, match="you cannot grant owner"):
        service.grant_role(session, user=target, role=Role.OWNER, store_ids=[a1.id], actor=manager)
    with pytest.raises(RoleEscalation, match="only to stores you work on"):
        service.grant_role(
            session, user=target, role=Role.OPERATOR, store_ids=[a2.id], actor=manager
        )
    b1 = world["b1"]
    assert isinstance(b1, Store)
    with pytest.raises(NotFound, match=f"store {b1.id} not found"):
        service.grant_role(
            session, user=target, role=Role.OPERATOR, store_ids=[b1.id], actor=manager
        )
    with pytest.raises(InvalidInput, match="unknown role 'boss'"):
        service.grant_role(session, user=target, role="boss", store_ids=[], actor=manager)
    assert session.scalar(select(func.count()).select_from(StoreGrant)) == grants_before
    assert (
        session.scalar(
            select(func.count()).select_from(Membership).where(Membership.user_id == target.id)
        )
        == 0
    )
    membership = service.grant_role(
        session, user=target, role=Role.OPERATOR, store_ids=[a1.id], actor=manager
    )
    assert membership.role == Role.OPERATOR
    assert [g.store_id for g in membership.store_grants] == [a1.id]


def test_operator_cannot_manage_users(session: Session, world: dict[str, object]) -> None:
    _, operator = make_member(session, company=world["company"], role=Role.OPERATOR)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied, match="does not allow user.manage"):
        service.grant_role(
            session, user=make_user(session), role=Role.VIEWER, store_ids=[], actor=operator
        )


def test_last_owner_cannot_be_demoted(session: Session, world: dict[str, object]) -> None:
    company = world["company"]
    owner_membership = session.scalars(
        select(Membership).where(Membership.company_id == company.id, Membership.role == Role.OWNER)  # type: ignore[attr-defined]
    ).one()
    owner = session.get(
        type(owner_membership).user.property.mapper.class_, owner_membership.user_id
    )
    with pytest.raises(RoleEscalation, match="keeps at least one owner"):
        service.grant_role(
            session, user=owner, role=Role.VIEWER, store_ids=[], actor=owner_actor(session, company)
        )  # type: ignore[arg-type]


def test_revoked_store_grant_takes_effect_on_the_next_actor(
    session: Session, world: dict[str, object]
) -> None:
    a1 = world["a1"]
    assert isinstance(a1, Store)
    company = world["company"]
    user, actor = make_member(session, company=company, role=Role.OPERATOR, stores=[a1])  # type: ignore[arg-type]
    assert a1.id in actor.store_ids
    service.grant_role(
        session, user=user, role=Role.OPERATOR, store_ids=[], actor=owner_actor(session, company)
    )  # type: ignore[arg-type]
    again = service.actor_for(session, user_id=user.id, company_id=company.id)  # type: ignore[attr-defined]
    assert again.store_ids == frozenset()
    with pytest.raises(NotFound):
        stores.get_store(session, store_id=a1.id, actor=again)
