"""Who am I, personal access tokens, company members and roles, the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BeforeValidator

from storeops.api.deps import CurrentActor, DbSession, rate_limit, require
from storeops.auth import service
from storeops.auth.enums import Permission
from storeops.auth.models import Membership, User
from storeops.auth.schemas import (
    AuditEventRead,
    MemberRead,
    MeRead,
    RoleGrant,
    SecondFactorCode,
    SecondFactorEnrolment,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserCreate,
)
from storeops.auth.scoping import Actor

router = APIRouter(tags=["accounts"])


def _member(user: User, membership: Membership) -> MemberRead:
    return MemberRead(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        is_active=user.is_active,
        role=membership.role,
        store_ids=sorted(g.store_id for g in membership.store_grants),
    )


@router.get("/me", response_model=MeRead)
def me(actor: CurrentActor) -> MeRead:
    """The signed-in user's company, role, stores and permissions."""
    return MeRead(
        user_id=actor.user_id,
        company_id=actor.company_id,
        role=actor.role,
        store_ids=sorted(actor.store_ids),
        permissions=sorted(p.value for p in actor.permissions),
    )


@router.post(
    "/me/second-factor",
    response_model=SecondFactorEnrolment,
    status_code=status.HTTP_201_CREATED,
)
def enrol_second_factor(session: DbSession, actor: CurrentActor) -> SecondFactorEnrolment:
    """Start TOTP enrolment: a secret for your authenticator app (confirm it with a first code)."""
    secret, uri = service.enrol_second_factor(session, actor=actor)
    return SecondFactorEnrolment(secret=secret, otpauth_uri=uri)


@router.post("/me/second-factor/confirm", status_code=status.HTTP_204_NO_CONTENT)
def confirm_second_factor(
    body: SecondFactorCode, session: DbSession, actor: CurrentActor
) -> Response:
    """Turn the second factor on with the current code from your app."""
    service.confirm_second_factor(session, actor=actor, code=body.code)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/me/second-factor/off", status_code=status.HTTP_204_NO_CONTENT)
def turn_off_second_factor(
    body: SecondFactorCode, session: DbSession, actor: CurrentActor
) -> Response:
    """Turn the second factor off (with a current code)."""
    service.turn_off_second_factor(session, actor=actor, code=body.code)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/tokens", response_model=list[TokenRead])
def list_tokens(session: DbSession, actor: CurrentActor) -> list[TokenRead]:
    """Your personal access tokens (never the tokens themselves)."""
    return [TokenRead.model_validate(t) for t in service.list_tokens(session, actor=actor)]


@router.post("/tokens", response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
def issue_token(body: TokenCreate, session: DbSession, actor: CurrentActor) -> TokenCreated:
    """A new personal access token; the response is the only time it is shown."""
    token, raw = service.issue_token(
        session,
        actor=actor,
        name=body.name,
        expires_in_days=body.expires_in_days,
        totp_code=body.totp_code,
    )
    return TokenCreated(**TokenRead.model_validate(token).model_dump(), token=raw)


@router.post("/tokens/{token_id}/revoke", response_model=TokenRead)
def revoke_token(token_id: int, session: DbSession, actor: CurrentActor) -> TokenRead:
    """Revoke one of your tokens; it stops working on the next request."""
    return TokenRead.model_validate(service.revoke_token(session, token_id=token_id, actor=actor))


@router.get("/users", response_model=list[MemberRead])
def list_users(
    session: DbSession, actor: Annotated[Actor, Depends(require(Permission.USER_READ))]
) -> list[MemberRead]:
    """Members of your company with their role and stores."""
    return [_member(u, m) for u, m in service.list_members(session, actor=actor)]


@router.post("/users", response_model=MemberRead, status_code=status.HTTP_201_CREATED)
def add_user(
    body: UserCreate,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.USER_MANAGE))],
) -> MemberRead:
    """Create a user and give them a role in your company."""
    user = service.create_user(
        session, email=body.email, display_name=body.display_name, password=body.password
    )
    membership = service.grant_role(
        session, user=user, role=body.role, store_ids=body.store_ids, actor=actor
    )
    return _member(user, membership)


@router.put("/users/{user_id}/role", response_model=MemberRead)
def grant_role(
    user_id: int,
    body: RoleGrant,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.USER_MANAGE))],
) -> MemberRead:
    """Set a member's role and stores (you grant only what you hold yourself)."""
    user = service.get_member(session, user_id=user_id, actor=actor)
    membership = service.grant_role(
        session, user=user, role=body.role, store_ids=body.store_ids, actor=actor
    )
    return _member(user, membership)


@router.post("/users/{user_id}/disable", response_model=MemberRead)
def disable_user(
    user_id: int,
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.USER_MANAGE))],
) -> MemberRead:
    """Disable a member: their sessions and tokens stop working on the next request."""
    user = service.get_member(session, user_id=user_id, actor=actor)
    service.set_user_active(session, user=user, active=False, actor=actor)
    return next(
        _member(u, m) for u, m in service.list_members(session, actor=actor) if u.id == user.id
    )


@router.get("/audit", response_model=list[AuditEventRead])
def audit_log(
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.AUDIT_READ))],
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    before_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> list[AuditEventRead]:
    """The newest entries of your company's append-only audit log."""
    events = service.list_audit(session, actor=actor, limit=limit, before_id=before_id)
    return [AuditEventRead.model_validate(e) for e in events]


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _rfc3339(value: object) -> object:
    """Only an RFC 3339 date-time (what the schema says), not a number of seconds or a date."""
    if not isinstance(value, str) or not _RFC3339.match(value):
        raise ValueError("give an RFC 3339 date-time such as 2026-01-31T00:00:00Z")
    return value


Instant = Annotated[dt.datetime | None, BeforeValidator(_rfc3339)]


_PII_COLUMNS = ("id", "at", "actor_user_id", "actor_label", "action", "target_type", "target_id")


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    # no formula injection when the file is opened in a spreadsheet
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@router.get(
    "/audit/pii-access",
    response_model=list[AuditEventRead],
    dependencies=[Depends(rate_limit("export"))],
    responses={200: {"content": {"text/csv": {}}}},
)
def pii_access_export(
    session: DbSession,
    actor: Annotated[Actor, Depends(require(Permission.AUDIT_READ))],
    since: Annotated[Instant, Query(description="from (inclusive)")] = None,
    until: Annotated[Instant, Query(description="to (exclusive)")] = None,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Any:
    """Who viewed or exported buyers' personal data, from the append-only audit log."""
    events = service.pii_access_log(session, actor=actor, since=since, until=until)
    if format == "json":
        return [AuditEventRead.model_validate(e) for e in events]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*_PII_COLUMNS, "records", "fields"])
    for event in events:
        row = [getattr(event, c) for c in _PII_COLUMNS]
        row[1] = event.at.isoformat()
        detail = event.detail or {}
        writer.writerow(
            [_csv_cell(v) for v in row]
            + [_csv_cell(detail.get("records")), _csv_cell(" ".join(detail.get("fields", [])))]
        )
    return Response(
        buffer.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="pii-access.csv"'},
    )
