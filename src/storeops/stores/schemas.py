"""Pydantic shapes of the stores domain, shared by the API, the console and the CLI."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

from storeops.stores.enums import AccountKind, BusinessModel, Platform, StoreStatus
from storeops.types import currency_codes

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


class CompanyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    base_currency: str


#: Text that is not blank (the schema says so, so clients and fuzzers know it).
NOT_BLANK = r"\S"


class StoreCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120, pattern=NOT_BLANK)
    platform: Platform
    business_model: BusinessModel
    site: str = Field(
        min_length=1,
        max_length=40,
        pattern=NOT_BLANK,
        description="Marketplace or site, e.g. US, DE, global",
    )
    currency: str = Field(
        min_length=3,
        max_length=3,
        description="ISO 4217 code in capitals, e.g. USD",
        json_schema_extra={"enum": list[JsonValue](sorted(currency_codes()))},
    )
    timezone: str = Field(
        description="IANA timezone, e.g. America/Los_Angeles",
        json_schema_extra={"enum": list[JsonValue](sorted(available_timezones()))},
    )
    opened_on: dt.date | None = None

    @field_validator("opened_on", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if isinstance(value, int | float):  # JSON numbers are not dates (no epoch guessing)
            raise ValueError("give the date as YYYY-MM-DD")
        return value

    @field_validator("currency")
    @classmethod
    def _iso4217(cls, value: str) -> str:
        if value not in currency_codes():
            raise ValueError(f"unknown currency {value!r}: use an ISO 4217 code such as USD")
        return value

    @field_validator("timezone")
    @classmethod
    def _iana(cls, value: str) -> str:
        if value not in available_timezones():
            raise ValueError(f"unknown timezone {value!r}: use an IANA name such as Asia/Shanghai")
        return value


class StoreRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    company_id: int
    name: str
    platform: Platform
    business_model: BusinessModel
    site: str
    currency: str
    timezone: str
    opened_on: dt.date | None
    status: StoreStatus


class StoreStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: StoreStatus


class AccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    login: str = Field(min_length=1, max_length=160, pattern=NOT_BLANK)
    kind: AccountKind = AccountKind.MAIN
    parent_id: int | None = None
    purpose: str = Field(default="", max_length=160)


class AccountRead(BaseModel):
    """A platform account as every interface shows it: the credential is never readable."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    store_id: int
    parent_id: int | None
    kind: AccountKind
    login: str
    purpose: str
    is_active: bool
    credential_set: bool
    credential_set_at: dt.datetime | None


class CredentialWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    secret: str = Field(
        min_length=1,
        max_length=8192,
        pattern=NOT_BLANK,
        description="Password, refresh token or API key",
    )


class ServiceWindow(BaseModel):
    """One service window in the store's local time, e.g. Monday 09:00-18:00."""

    model_config = ConfigDict(extra="forbid")

    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    # The pattern is in the schema for clients; the validator below enforces it with a clear message.
    opens: str = Field(
        description="HH:MM, local time", json_schema_extra={"pattern": _HHMM.pattern}
    )
    closes: str = Field(
        description="HH:MM, local time; 24:00 for midnight",
        json_schema_extra={"pattern": _HHMM.pattern},
    )

    @field_validator("opens", "closes")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError(f"{value!r} is not a time of day in HH:MM form")
        return value


class DayCoverage(BaseModel):
    weekday: int
    hours: float


class ServiceHoursReport(BaseModel):
    """7.3.2 Whether a store's service hours meet the standard's 7 days x 8 hours."""

    store_id: int
    windows: list[ServiceWindow]
    days: list[DayCoverage]
    days_covered: int
    weekly_hours: float
    compliant: bool
    problems: list[str]
