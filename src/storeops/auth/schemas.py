"""Pydantic shapes of the auth domain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from storeops.auth.enums import Role


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=254)
    display_name: str = Field(min_length=1, max_length=120, pattern=r"\S")
    password: str = Field(min_length=8, max_length=64)
    role: Role
    store_ids: list[int] = Field(default_factory=list)


class RoleGrant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    store_ids: list[int] = Field(default_factory=list)


class MemberRead(BaseModel):
    id: int
    email: str
    display_name: str
    is_active: bool
    role: Role
    store_ids: list[int]


class MeRead(BaseModel):
    user_id: int | None
    company_id: int
    role: Role
    store_ids: list[int]
    permissions: list[str]


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80, pattern=r"\S")
    expires_in_days: int | None = Field(default=90, ge=1, le=3650)
    totp_code: str | None = Field(
        default=None,
        max_length=12,
        description="The current 6-digit code, required when your account has a second factor.",
    )


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(TokenRead):
    token: str = Field(description="Shown once: storeops keeps only its SHA-256 digest.")


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: dt.datetime
    actor_user_id: int | None
    actor_label: str
    action: str
    outcome: str
    target_type: str | None
    target_id: str | None
    detail: dict[str, Any]


class SecondFactorCode(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=6, max_length=12, description="6 digits from the app")


class SecondFactorEnrolment(BaseModel):
    secret: str = Field(
        description="Base32 secret, shown once: enter it in your authenticator app."
    )
    otpauth_uri: str = Field(description="The same secret as an otpauth:// URI (QR code content).")
