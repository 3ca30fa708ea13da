"""The /logistics console page in a real Chromium: channels listed, an order's channel chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from storeops.auth.service import actor_for, create_user
from storeops.logistics import channels as svc
from storeops.logistics import shipments as ships
from storeops.logistics.enums import ServiceLevel
from storeops.logistics.schemas import (
    ChannelCreate,
    RateBand,
    RateCard,
    TemplateCreate,
    TemplateRuleIn,
)
from storeops.stores.service import create_company
from tests.factories import make_store
from tests.logistics.browser import PASSWORD, signed_in_page
from tests.logistics.factories import make_order, make_sku

pytestmark = pytest.mark.browser
ORDER_ID: list[int] = []
SHIPMENT: list[tuple[int, str]] = []


def _prepare(session: Session) -> str:
    owner = create_user(session, email="ops@example.com", display_name="Ops", password=PASSWORD,
                        locale="en")  # fmt: skip
    company = create_company(session, name="Console Co", owner=owner)
    store = make_store(session, company=company, name="US store")
    actor = actor_for(session, user_id=owner.id, company_id=company.id)
    channel = svc.add_channel(session, actor=actor, data=ChannelCreate(
        carrier="Yanwen", service_name="Special Line", kind="line", transit_min_days=8,
        transit_max_days=18, tracking_prefix="UC"))  # fmt: skip
    svc.set_rate_card(session, channel=channel, actor=actor, card=RateCard(
        service_level=ServiceLevel.STANDARD, currency="CNY", dim_divisor_cm3_per_kg=8000,
        weight_step_g=100, max_weight_g=20000, zones={"1": ["US"]},
        bands=[RateBand(zone="1", max_weight_g=20000, per_kg="80.00", fixed="18.00")]))  # fmt: skip
    svc.create_shipping_template(session, store=store, actor=actor, data=TemplateCreate(
        name="US standard", rules=[TemplateRuleIn(service_level=ServiceLevel.STANDARD,
                                                  channel_id=channel.id, promised_days=20,
                                                  buyer_price="3.99")]))  # fmt: skip
    sku, listing = make_sku(session, store=store, weight_g=300, dims_mm=(200, 150, 100))
    order = make_order(session, store=store, lines=[(sku, listing, 2, 1999)])
    ORDER_ID.append(order.id)
    shipment = ships.create_shipment(session, actor=actor, data=ships.ShipmentCreate(
        order_id=order.id, channel_id=channel.id, warehouse="Yiwu",
        recipient=ships.Address(name="Jane Roe", phone="(201) 555-0123", line1="1 Main St",
                                city="Newark", postcode="07102", country="US"),
        sender=ships.Address(name="Ningbo Trading", phone="010 1234 5678", line1="8 Haishu Rd",
                             city="Ningbo", postcode="315000", country="CN")))  # fmt: skip
    ships.hand_over(session, shipment=shipment, actor=actor)
    SHIPMENT.append((shipment.id, shipment.tracking_number))
    return "ops@example.com"


def test_logistics_page_ranks_channels_for_an_order(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with signed_in_page(tmp_path, _prepare) as (page, base):
        page.goto(f"{base}/logistics")
        expect(page.get_by_text("Yanwen · Special Line").first).to_be_visible()
        expect(page.get_by_role("cell", name="US standard")).to_be_visible()  # 3.2.3
        expect(page.get_by_role("cell", name="3.99 USD")).to_be_visible()
        page.get_by_label("Order id", exact=True).fill(str(ORDER_ID[-1]))
        page.get_by_role("button", name="Rank channels").click()
        expect(page.locator(".so-explanation")).to_contain_text(
            "Yanwen · Special Line is chosen: it matches the buyer's standard service"
        )
        expect(page.locator(".so-explanation")).to_contain_text("82.00 CNY")

        # 9.1.6: paid in March 2025 with an 18-day channel promise, so it is listed as late
        expect(page.get_by_text(SHIPMENT[-1][1]).first).to_be_visible()
        page.get_by_label("Shipment id", exact=True).fill(str(SHIPMENT[-1][0]))
        page.get_by_role("button", name="Show", exact=True).click()
        # no declaration filed: the shipment carries no declared value yet (0.00 USD)
        expect(page.get_by_text("no customs declaration filed yet")).to_be_visible()
        expect(page.get_by_text("accepted", exact=True)).to_be_visible()
        with page.expect_download() as download:
            page.get_by_label("Shipment ids, separated by commas").fill(str(SHIPMENT[-1][0]))
            page.get_by_role("button", name="Download labels (PDF)").click()
        assert download.value.suggested_filename == "labels.pdf"
        with page.expect_download() as document:
            page.get_by_label("Order id for documents").fill(str(ORDER_ID[-1]))
            page.get_by_role("button", name="Download PDF").click()
        assert document.value.suggested_filename == f"commercial_invoice-{ORDER_ID[-1]}.pdf"
