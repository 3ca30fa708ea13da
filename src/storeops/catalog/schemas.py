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
