"""9.1.1 Logistics channels with rate cards, 3.2.3 shipping templates, and the channel chooser."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor, get_scoped
from storeops.catalog.models import Product, Sku
from storeops.errors import InvalidInput, NotFound
from storeops.logistics.enums import SERVICE_RANK, ServiceLevel
from storeops.logistics.errors import InvalidRateCard
from storeops.logistics.models import (
    ChannelProfile,
    ChannelRate,
    ChannelZone,
    LogisticsChannel,
    ShippingTemplate,
    ShippingTemplateRule,
)
from storeops.logistics.schemas import (
    ChannelChoice,
    ChannelCreate,
    ChannelOption,
    ChannelRead,
    ParcelRead,
    RateCard,
    TemplateCreate,
    TemplateRead,
    TemplateRuleRead,
)
from storeops.orders.models import Order, OrderLine
from storeops.stores.models import Company, Store
from storeops.types import Money, normalize_country, normalize_currency

# --- channels and rate cards ---------------------------------------------------------------------


def get_channel(session: Session, *, channel_id: int, actor: Actor) -> LogisticsChannel:
    """A channel of the actor's company; ``NotFound`` for any other id."""
    actor.require(Permission.LOGISTICS_READ)
    channel = session.scalars(
        select(LogisticsChannel).where(
            LogisticsChannel.id == channel_id, LogisticsChannel.company_id == actor.company_id
        )
    ).one_or_none()
    if channel is None:
        raise NotFound(f"channel {channel_id} not found", field="channel_id")
    return channel


def add_channel(session: Session, *, data: ChannelCreate, actor: Actor) -> LogisticsChannel:
    """9.1.1 Record a carrier's service the company can ship with."""
    actor.require(Permission.LOGISTICS_MANAGE)
    if data.transit_max_days < data.transit_min_days:
        raise InvalidInput(
            "transit_max_days is shorter than transit_min_days", field="transit_max_days"
        )
    channel = LogisticsChannel(
        company_id=actor.company_id,
        carrier=data.carrier.strip(),
        service_name=data.service_name.strip(),
        kind=data.kind,
        transit_min_days=data.transit_min_days,
        transit_max_days=data.transit_max_days,
        tracking_prefix=data.tracking_prefix.strip().upper(),
    )
    session.add(channel)
    session.flush()
    return channel


def _amount(text: str, currency: str, field: str) -> int:
    try:
        money = Money.parse(text, currency)
    except InvalidInput as exc:
        raise InvalidRateCard(f"{field}: {exc.message}", field=field) from None
    if money.amount < 0:
        raise InvalidRateCard(f"{field} is negative", field=field)
    return money.amount


def _percent_bp(text: str, field: str) -> int:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidRateCard(f"{field} {text!r} is not a number", field=field) from None
    bp = value * 100
    if value < 0 or value > 100 or bp != bp.to_integral_value():
        raise InvalidRateCard(
            f"{field} must be between 0 and 100 with at most 2 decimals", field=field
        )
    return int(bp)


def set_rate_card(
    session: Session, *, channel: LogisticsChannel, card: RateCard, actor: Actor
) -> ChannelProfile:
    """9.1.1 Replace a channel's terms, zones and weight bands (all checked before anything is written)."""
    actor.require(Permission.LOGISTICS_MANAGE)
    company = session.get_one(Company, actor.company_id)
    currency = normalize_currency(card.currency)
    if currency != company.base_currency:
        raise InvalidRateCard(
            f"rate cards are kept in the company's base currency {company.base_currency} so that "
            f"channels compare directly; this card is in {currency}",
            field="currency",
        )
    countries: dict[str, str] = {}
    for zone, codes in card.zones.items():
        if not codes:
            raise InvalidRateCard(f"zone {zone!r} has no countries", field="zones")
        for code in codes:
            country = normalize_country(code)
            if country in countries:
                raise InvalidRateCard(
                    f"{country} is in zones {countries[country]!r} and {zone!r}", field="zones"
                )
            countries[country] = zone
    if not countries:
        raise InvalidRateCard("the card serves no country", field="zones")
    bands: list[tuple[str, int, int, int]] = []
    seen: set[tuple[str, int]] = set()
    for i, band in enumerate(card.bands):
        if band.zone not in card.zones:
            raise InvalidRateCard(f"band {i + 1} names unknown zone {band.zone!r}", field="bands")
        if (band.zone, band.max_weight_g) in seen:
            raise InvalidRateCard(
                f"zone {band.zone!r} has two bands up to {band.max_weight_g} g", field="bands"
            )
        seen.add((band.zone, band.max_weight_g))
        bands.append(
            (
                band.zone,
                band.max_weight_g,
                _amount(band.per_kg, currency, f"bands[{i}].per_kg"),
                _amount(band.fixed, currency, f"bands[{i}].fixed"),
            )
        )
    for zone in card.zones:
        if not any(b[0] == zone for b in bands):
            raise InvalidRateCard(f"zone {zone!r} has no weight band", field="bands")
    fuel_bp = _percent_bp(card.fuel_surcharge_pct, "fuel_surcharge_pct")
    battery = _amount(card.battery_surcharge, currency, "battery_surcharge")

    session.execute(delete(ChannelZone).where(ChannelZone.channel_id == channel.id))
    session.execute(delete(ChannelRate).where(ChannelRate.channel_id == channel.id))
    profile = session.scalars(
        select(ChannelProfile).where(ChannelProfile.channel_id == channel.id)
    ).one_or_none()
    if profile is None:
        profile = ChannelProfile(company_id=actor.company_id, channel_id=channel.id)
        session.add(profile)
    profile.service_level = card.service_level
    profile.currency = currency
    profile.dim_divisor_cm3_per_kg = card.dim_divisor_cm3_per_kg
    profile.weight_step_g = card.weight_step_g
    profile.max_weight_g = card.max_weight_g
    profile.fuel_surcharge_bp = fuel_bp
    profile.battery_surcharge_amount = battery
    profile.allows_battery = card.allows_battery
    profile.allows_liquid = card.allows_liquid
    session.add_all(
        ChannelZone(company_id=actor.company_id, channel_id=channel.id, zone=z, country=c)
        for c, z in sorted(countries.items())
    )
    session.add_all(
        ChannelRate(
            company_id=actor.company_id,
            channel_id=channel.id,
            zone=z,
            max_weight_g=w,
            per_kg_amount=p,
            fixed_amount=f,
        )
        for z, w, p, f in bands
    )
    session.flush()
    return profile


def channel_label(channel: LogisticsChannel) -> str:
    """``Carrier · service`` as people name a channel."""
    return f"{channel.carrier} · {channel.service_name}"


def list_channels(session: Session, *, actor: Actor) -> list[ChannelRead]:
    """9.1.1 The company's channels with their terms."""
    actor.require(Permission.LOGISTICS_READ)
    channels = list(
        session.scalars(
            select(LogisticsChannel)
            .where(LogisticsChannel.company_id == actor.company_id)
            .order_by(LogisticsChannel.id)
        )
    )
    profiles = {
        p.channel_id: p
        for p in session.scalars(
            select(ChannelProfile).where(ChannelProfile.company_id == actor.company_id)
        )
    }
    zones: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for z in session.scalars(
        select(ChannelZone)
        .where(ChannelZone.company_id == actor.company_id)
        .order_by(ChannelZone.zone, ChannelZone.country)
    ):
        zones[z.channel_id][z.zone].append(z.country)
    result = []
    for c in channels:
        p = profiles.get(c.id)
        result.append(
            ChannelRead(
                id=c.id,
                carrier=c.carrier,
                service_name=c.service_name,
                kind=c.kind,
                transit_min_days=c.transit_min_days,
                transit_max_days=c.transit_max_days,
                service_level=p.service_level if p else None,
                currency=p.currency if p else None,
                zones={k: list(v) for k, v in zones.get(c.id, {}).items()},
                allows_battery=p.allows_battery if p else None,
                allows_liquid=p.allows_liquid if p else None,
                has_rate_card=p is not None,
            )
        )
    return result


# --- shipping templates (3.2.3) ------------------------------------------------------------------


def create_shipping_template(
    session: Session, *, store: Store, data: TemplateCreate, actor: Actor
) -> ShippingTemplate:
    """3.2.3 Set a store's shipping template: services offered, channel, promise and buyer price."""
    actor.require(Permission.LOGISTICS_MANAGE)
    store = get_scoped(session, Store, store.id, actor, what="store")
    name = data.name.strip()
    if session.scalar(
        select(ShippingTemplate.id).where(
            ShippingTemplate.store_id == store.id, ShippingTemplate.name == name
        )
    ):
        raise InvalidInput(f"the store already has a template named {name!r}", field="name")
    rules = []
    seen: set[tuple[ServiceLevel, int]] = set()
    for i, rule in enumerate(data.rules):
        channel = get_channel(session, channel_id=rule.channel_id, actor=actor)
        if rule.promised_days < channel.transit_max_days:
            raise InvalidInput(
                f"rule {i + 1}: {channel_label(channel)} takes up to {channel.transit_max_days} "
                f"days, longer than the {rule.promised_days} days promised",
                field="rules",
            )
        if (rule.service_level, channel.id) in seen:
            raise InvalidInput(f"rule {i + 1} repeats an earlier rule", field="rules")
        seen.add((rule.service_level, channel.id))
        rules.append(
            ShippingTemplateRule(
                store_id=store.id,
                service_level=rule.service_level,
                channel_id=channel.id,
                promised_days=rule.promised_days,
                buyer_price_amount=Money.parse(rule.buyer_price, store.currency).amount,
                currency=store.currency,
            )
        )
    if data.is_default:
        for other in session.scalars(
            select(ShippingTemplate).where(ShippingTemplate.store_id == store.id)
        ):
            other.is_default = False
    template = ShippingTemplate(store_id=store.id, name=name, is_default=data.is_default)
    session.add(template)
    session.flush()
    for rule_row in rules:
        rule_row.template_id = template.id
    session.add_all(rules)
    session.flush()
    return template


def list_shipping_templates(session: Session, *, store: Store, actor: Actor) -> list[TemplateRead]:
    """3.2.3 The store's shipping templates with their rules."""
    actor.require(Permission.LOGISTICS_READ)
    store = get_scoped(session, Store, store.id, actor, what="store")
    templates = list(
        session.scalars(
            select(ShippingTemplate)
            .where(ShippingTemplate.store_id == store.id)
            .order_by(ShippingTemplate.id)
        )
    )
    channels = {
        c.id: c
        for c in session.scalars(
            select(LogisticsChannel).where(LogisticsChannel.company_id == actor.company_id)
        )
    }
    out = []
    for t in templates:
        rules = session.scalars(
            select(ShippingTemplateRule)
            .where(ShippingTemplateRule.template_id == t.id)
            .order_by(ShippingTemplateRule.id)
        )
        out.append(
            TemplateRead(
                id=t.id,
                store_id=t.store_id,
                name=t.name,
                is_default=t.is_default,
                rules=[
                    TemplateRuleRead(
                        service_level=r.service_level,
                        channel_id=r.channel_id,
                        channel=channel_label(channels[r.channel_id]),
                        promised_days=r.promised_days,
                        buyer_price=str(Money(r.buyer_price_amount, r.currency)),
                    )
                    for r in rules
                ],
            )
        )
    return out


# --- the chooser ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Parcel:
    """What the chooser needs to know about an order's parcel."""

    actual_weight_g: int
    volume_mm3: int
    has_battery: bool
    has_liquid: bool
    destination: str


def order_parcel(session: Session, *, order: Order) -> Parcel:
    """The parcel of an order: summed SKU weights and volumes, battery and liquid flags."""
    rows = session.execute(
        select(
            OrderLine.quantity,
            Sku.weight_g,
            Sku.length_mm,
            Sku.width_mm,
            Sku.height_mm,
            Product.has_battery,
            Product.has_liquid,
        )
        .join(Sku, Sku.id == OrderLine.sku_id)
        .join(Product, Product.id == Sku.product_id)
        .where(OrderLine.order_id == order.id)
    ).all()
    if not rows:
        raise InvalidInput(f"order {order.id} has no lines to ship", field="order_id")
    return Parcel(
        actual_weight_g=sum(q * w for q, w, *_ in rows),
        volume_mm3=sum(q * length * width * height for q, _w, length, width, height, *_ in rows),
        has_battery=any(r.has_battery for r in rows),
        has_liquid=any(r.has_liquid for r in rows),
        destination=order.country,
    )


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass(frozen=True, slots=True)
class Quote:
    dim_weight_g: int | None
    chargeable_g: int
    zone: str
    freight: int
    fuel: int
    battery: int

    @property
    def total(self) -> int:
        return self.freight + self.fuel + self.battery


def quote_channel(
    parcel: Parcel,
    profile: ChannelProfile,
    zone_of: dict[str, str],
    bands: list[ChannelRate],
) -> Quote | str:
    """The cost of ``parcel`` on one channel, or the reason it cannot carry it.

    chargeable weight = max(actual, volume cm³ x 1000 / divisor) rounded up to the channel's step;
    freight = fixed fee + price per kg x chargeable kg (half-even to the minor unit);
    fuel surcharge = freight x percent; battery surcharge when the goods contain a battery.
    """
    if parcel.destination not in zone_of:
        return f"does not serve {parcel.destination}"
    if parcel.has_battery and not profile.allows_battery:
        return "does not carry goods with batteries"
    if parcel.has_liquid and not profile.allows_liquid:
        return "does not carry liquids"
    dim = None
    weight = parcel.actual_weight_g
    if profile.dim_divisor_cm3_per_kg:
        # volume mm³ / 1000 = cm³; cm³ / divisor = kg; x 1000 = g  →  mm³ / divisor g
        dim = _ceil_div(parcel.volume_mm3, profile.dim_divisor_cm3_per_kg)
        weight = max(weight, dim)
    chargeable = _ceil_div(weight, profile.weight_step_g) * profile.weight_step_g
    if chargeable > profile.max_weight_g:
        return f"chargeable weight {chargeable} g is over its limit of {profile.max_weight_g} g"
    zone = zone_of[parcel.destination]
    band = next(
        (b for b in sorted(bands, key=lambda b: b.max_weight_g) if b.zone == zone
         and b.max_weight_g >= chargeable),
        None,
    )  # fmt: skip
    if band is None:
        return f"has no rate for {chargeable} g in zone {zone}"
    per_weight = (Decimal(band.per_kg_amount) * chargeable / 1000).quantize(
        Decimal(1), rounding=ROUND_HALF_EVEN
    )
    freight = band.fixed_amount + int(per_weight)
    fuel = int(
        (Decimal(freight) * profile.fuel_surcharge_bp / 10000).quantize(
            Decimal(1), rounding=ROUND_HALF_EVEN
        )
    )
    battery = profile.battery_surcharge_amount if parcel.has_battery else 0
    return Quote(dim, chargeable, zone, freight, fuel, battery)


def _promised_days(session: Session, *, store_id: int, level: ServiceLevel) -> int | None:
    """The delivery days the store's default template promises for ``level`` (None without one)."""
    days = session.scalars(
        select(ShippingTemplateRule.promised_days)
        .join(ShippingTemplate, ShippingTemplate.id == ShippingTemplateRule.template_id)
        .where(
            ShippingTemplate.store_id == store_id,
            ShippingTemplate.is_default.is_(True),
            ShippingTemplateRule.service_level == level,
        )
    ).all()
    return max(days) if days else None


def choose_channel(
    session: Session, *, order: Order, selected_service: ServiceLevel, actor: Actor
) -> ChannelChoice:
    """9.1.1 Rank the channels that can carry an order and explain the first choice.

    Eligible: serves the destination, carries the goods (batteries, liquids), within the weight
    limit, priced, and not slower than the buyer's selected service. Ranked by: same service
    level as the buyer chose before faster ones; channels whose longest transit fits the store
    template's promise before those that may be late; then lowest cost; then shortest transit.
    """
    actor.require(Permission.LOGISTICS_READ)
    order = get_scoped(session, Order, order.id, actor, what="order")
    parcel = order_parcel(session, order=order)
    promise = _promised_days(session, store_id=order.store_id, level=selected_service)
    channels = list(
        session.scalars(
            select(LogisticsChannel)
            .where(LogisticsChannel.company_id == actor.company_id)
            .order_by(LogisticsChannel.id)
        )
    )
    profiles = {
        p.channel_id: p
        for p in session.scalars(
            select(ChannelProfile).where(ChannelProfile.company_id == actor.company_id)
        )
    }
    zones: dict[int, dict[str, str]] = defaultdict(dict)
    for z in session.scalars(select(ChannelZone).where(ChannelZone.company_id == actor.company_id)):
        zones[z.channel_id][z.country] = z.zone
    bands: dict[int, list[ChannelRate]] = defaultdict(list)
    for b in session.scalars(select(ChannelRate).where(ChannelRate.company_id == actor.company_id)):
        bands[b.channel_id].append(b)

    eligible: list[tuple[tuple[int, int, int, int, int], ChannelOption]] = []
    refused: list[ChannelOption] = []
    for c in channels:
        base = {
            "channel_id": c.id,
            "channel": channel_label(c),
            "transit_min_days": c.transit_min_days,
            "transit_max_days": c.transit_max_days,
        }
        profile = profiles.get(c.id)
        if profile is None:
            refused.append(
                ChannelOption(
                    **base, service_level=None, eligible=False, rank=None,
                    reasons=["has no rate card"],
                )
            )  # fmt: skip
            continue
        level = profile.service_level
        result = quote_channel(parcel, profile, zones.get(c.id, {}), bands.get(c.id, []))
        if isinstance(result, str) or SERVICE_RANK[level] < SERVICE_RANK[selected_service]:
            reason = (
                result
                if isinstance(result, str)
                else f"{level.value} is slower than the buyer's {selected_service.value} service"
            )
            refused.append(
                ChannelOption(
                    **base, service_level=level, eligible=False, rank=None, reasons=[reason]
                )
            )
            continue
        cur = profile.currency
        meets = None if promise is None else c.transit_max_days <= promise
        reasons = []
        if level == selected_service:
            reasons.append(f"matches the buyer's {selected_service.value} service")
        else:
            reasons.append(f"{level.value}: faster than the buyer's {selected_service.value}")
        if meets is True:
            reasons.append(f"up to {c.transit_max_days} days fits the {promise}-day promise")
        elif meets is False:
            reasons.append(f"up to {c.transit_max_days} days may miss the {promise}-day promise")
        option = ChannelOption(
            **base,
            service_level=level,
            eligible=True,
            rank=None,
            dim_weight_g=result.dim_weight_g,
            chargeable_weight_g=result.chargeable_g,
            zone=result.zone,
            freight=str(Money(result.freight, cur)),
            fuel_surcharge=str(Money(result.fuel, cur)),
            battery_surcharge=str(Money(result.battery, cur)),
            total=str(Money(result.total, cur)),
            total_minor=result.total,
            currency=cur,
            meets_promise=meets,
            reasons=reasons,
        )
        key = (
            0 if level == selected_service else 1,
            0 if meets is not False else 1,
            result.total,
            c.transit_max_days,
            c.id,
        )
        eligible.append((key, option))
    eligible.sort(key=lambda pair: pair[0])
    ranked = []
    for i, (_key, option) in enumerate(eligible, start=1):
        option.rank = i
        ranked.append(option)
    explanation = _explain(ranked, refused, selected_service, promise)
    return ChannelChoice(
        order_id=order.id,
        selected_service=selected_service,
        promised_days=promise,
        parcel=ParcelRead(
            actual_weight_g=parcel.actual_weight_g,
            volume_cm3=parcel.volume_mm3 // 1000,
            has_battery=parcel.has_battery,
            has_liquid=parcel.has_liquid,
            destination=parcel.destination,
        ),
        options=ranked + refused,
        chosen_channel_id=ranked[0].channel_id if ranked else None,
        explanation=explanation,
    )


def _explain(
    ranked: list[ChannelOption],
    refused: list[ChannelOption],
    selected: ServiceLevel,
    promise: int | None,
) -> str:
    if not ranked:
        why = "; ".join(f"{o.channel} {o.reasons[0]}" for o in refused) or "no channels recorded"
        return f"No channel can carry this order: {why}."
    top = ranked[0]
    parts = [
        f"{top.channel} is chosen: it {top.reasons[0]}",
        f"costs {top.total} for {top.chargeable_weight_g} g chargeable in zone {top.zone}",
        f"takes {top.transit_min_days}-{top.transit_max_days} days",
    ]
    if promise is not None:
        parts.append(
            f"within the store's promise of {promise} days"
            if top.meets_promise
            else f"but may miss the {promise}-day promise"
        )
    text = ", ".join(parts) + "."
    cheaper = [o for o in ranked[1:] if (o.total_minor or 0) < (top.total_minor or 0)]
    if cheaper:
        text += (
            " Cheaper but ranked lower: "
            + "; ".join(f"{o.channel} ({o.total}, {', '.join(o.reasons)})" for o in cheaper)
            + "."
        )
    if len(ranked) > 1:
        text += f" {len(ranked) - 1} other eligible channel(s) ranked after it."
    if refused:
        text += " Not eligible: " + "; ".join(f"{o.channel} {o.reasons[0]}" for o in refused) + "."
    return text
