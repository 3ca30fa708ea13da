"""Request bodies of the catalog's interfaces (the answers are the services' own models)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class ListingActionRequest(BaseModel):
    """3.2.6 Hide, delete or optimise several listings at once."""

    listing_ids: list[int] = Field(min_length=1, max_length=1000)
    action: str = Field(description="hide, delete or optimise")
    reason: str = Field(max_length=200)
    window_from: dt.date | None = None
    window_to: dt.date | None = None


class CertificateCreate(BaseModel):
    """3.1.3 A product certificate for a target market."""

    product_id: int
    kind: str = Field(description="CE, UKCA, FCC, FDA, CPC, RoHS …")
    market: str = Field(description="ISO country code, or EU")
    number: str = Field(max_length=60)
    issued_on: dt.date
    expires_on: dt.date | None = None


class CertificateCreated(BaseModel):
    id: int
    product_id: int
    kind: str
    market: str
    number: str
    issued_on: dt.date
    expires_on: dt.date | None

    model_config = {"from_attributes": True}


class LaunchWeekSet(BaseModel):
    """3.2.1 / 3.3.1 The number of new listings planned for a week."""

    planned_count: int = Field(ge=0, le=10_000)
    note: str = Field(default="", max_length=200)


class LaunchWeekRead(BaseModel):
    store_id: int
    week_start: dt.date
    planned_count: int
    note: str

    model_config = {"from_attributes": True}


class GroupCreate(BaseModel):
    store_id: int
    name: str = Field(max_length=120)
    owner_user_id: int | None = None


class GroupOwner(BaseModel):
    owner_user_id: int


class GroupListings(BaseModel):
    listing_ids: list[int] = Field(min_length=1, max_length=1000)


class ShowcasePlace(BaseModel):
    slot_no: int
    listing_id: int
    since: dt.date


class ShowcaseSlotRead(BaseModel):
    id: int
    store_id: int
    slot_no: int
    listing_id: int
    since: dt.date
    until: dt.date | None

    model_config = {"from_attributes": True}


class CompetitorObservation(BaseModel):
    """3.1.1 One day's observation of a competitor product."""

    observed_on: dt.date
    price_amount: int = Field(gt=0)
    est_monthly_sales: int = Field(ge=0)
    rating: float = Field(ge=0, le=5)
    review_count: int = Field(ge=0)
