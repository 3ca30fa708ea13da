"""Pydantic shapes of logistics, shared by the API, the console and the CLI."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from storeops.logistics.enums import ServiceLevel


class RateBand(BaseModel):
    """One weight band of a zone; amounts are decimal text in the card's currency."""

    model_config = ConfigDict(extra="forbid")

    zone: str = Field(min_length=1, max_length=20)
    max_weight_g: int = Field(gt=0, description="the band covers chargeable weights up to this")
    per_kg: str = Field(description="price per chargeable kg, e.g. '80.00'")
    fixed: str = Field(default="0", description="fee per parcel (registration), e.g. '18.00'")


class RateCard(BaseModel):
    """9.1.1 A channel's complete terms: replaces the previous card of the channel."""

    model_config = ConfigDict(extra="forbid")

    service_level: ServiceLevel
    currency: str = Field(min_length=3, max_length=3)
    dim_divisor_cm3_per_kg: int = Field(
        ge=0, description="volumetric divisor (5000 express, 6000/8000 lines); 0 = actual weight"
    )
    weight_step_g: int = Field(gt=0, description="chargeable weight is rounded up to this step")
    max_weight_g: int = Field(gt=0)
    fuel_surcharge_pct: str = Field(default="0", description="percent of the freight, e.g. '20'")
    battery_surcharge: str = Field(default="0")
    allows_battery: bool = False
    allows_liquid: bool = False
    zones: dict[str, list[str]] = Field(description="zone → ISO country codes")
    bands: list[RateBand]


class ChannelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    carrier: str = Field(min_length=1, max_length=60)
    service_name: str = Field(min_length=1, max_length=80)
    kind: str = Field(pattern="^(postal|express|line|platform|sea)$")
    transit_min_days: int = Field(ge=0)
    transit_max_days: int = Field(ge=0)
    tracking_prefix: str = Field(min_length=1, max_length=8)


class ChannelRead(BaseModel):
    id: int
    carrier: str
    service_name: str
    kind: str
    transit_min_days: int
    transit_max_days: int
    service_level: ServiceLevel | None
    currency: str | None
    zones: dict[str, list[str]]
    allows_battery: bool | None
    allows_liquid: bool | None
    has_rate_card: bool


class TemplateRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service_level: ServiceLevel
    channel_id: int
    promised_days: int = Field(gt=0, le=120)
    buyer_price: str = Field(default="0", description="what the buyer pays; '0' = free shipping")


class TemplateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    is_default: bool = True
    rules: list[TemplateRuleIn] = Field(min_length=1)


class TemplateRuleRead(BaseModel):
    service_level: ServiceLevel
    channel_id: int
    channel: str
    promised_days: int
    buyer_price: str


class TemplateRead(BaseModel):
    id: int
    store_id: int
    name: str
    is_default: bool
    rules: list[TemplateRuleRead]


class ParcelRead(BaseModel):
    actual_weight_g: int
    volume_cm3: int
    has_battery: bool
    has_liquid: bool
    destination: str


class ChannelOption(BaseModel):
    """One channel weighed for an order: its cost breakdown or why it is not eligible."""

    channel_id: int
    channel: str
    service_level: ServiceLevel | None
    eligible: bool
    rank: int | None
    transit_min_days: int
    transit_max_days: int
    dim_weight_g: int | None = None
    chargeable_weight_g: int | None = None
    zone: str | None = None
    freight: str | None = None
    fuel_surcharge: str | None = None
    battery_surcharge: str | None = None
    total: str | None = None
    total_minor: int | None = None
    currency: str | None = None
    meets_promise: bool | None = None
    reasons: list[str]


class ChannelChoice(BaseModel):
    """9.1.1 The ranked channels for an order and the written reason for the first."""

    order_id: int
    selected_service: ServiceLevel
    promised_days: int | None
    parcel: ParcelRead
    options: list[ChannelOption]
    chosen_channel_id: int | None
    explanation: str
