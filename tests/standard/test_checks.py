"""Every automated check of the assessment, on a small hand-built dataset: a passing and a failing case."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from storeops.auth.enums import Role
from storeops.standard import checks
from storeops.standard.figures import Window
from storeops.stores import service as stores
from storeops.stores.enums import BusinessModel, Platform
from storeops.stores.models import Store
from storeops.stores.schemas import ServiceWindow
from storeops.types import utcnow
from tests.factories import make_company, make_member, make_store, owner_actor
from tests.standard.factories import (
    at,
    make_buyer,
    make_category,
    make_certificate,
    make_channel,
    make_complaint,
    make_dispute,
    make_fx_rate,
    make_inquiry,
    make_listing,
    make_order,
    make_product,
    make_refund,
    make_review,
    make_shipment,
)

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def _store(session: Session, **kwargs: object) -> Store:
    company = make_company(session)
    return make_store(session, company=company, timezone="UTC", **kwargs)  # type: ignore[arg-type]


def _march(store: Store) -> Window:
    return Window.local(*MARCH, store.timezone)


def test_every_check_names_its_tasks_threshold_and_source() -> None:
    registered = checks.registered_checks()
    ids = [c.id for c in registered]
    assert len(ids) == len(set(ids)) == 16
    codes = {code for c in registered for code in c.task_codes}
    assert codes == {"2.1.2", "2.2.2", "2.3.1", "3.1.3", "3.2.1", "3.2.2", "3.2.6", "3.3.1",
                     "3.3.2", "5.2.3", "6.1.7", "6.2.5", "7.1.1", "7.3.2", "7.3.3",
                     "9.1.2"}  # fmt: skip
    for c in registered:
        assert c.threshold and c.source and c.action and c.title
        assert all(code in (c.measure.__doc__ or "") for code in c.task_codes), c.id


def test_window_is_the_stores_local_days_in_utc() -> None:
    w = Window.local(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "Asia/Shanghai")
    assert w.lo == dt.datetime(2026, 2, 28, 16, 0, tzinfo=dt.UTC)
    assert w.hi == dt.datetime(2026, 3, 31, 16, 0, tzinfo=dt.UTC)
    assert w.days == 31


# --- 7.3.2 -----------------------------------------------------------------------------------------


def test_service_hours_pass_with_8_hours_every_day(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    stores.set_service_hours(session, store=store, actor=actor,
                             windows=[ServiceWindow(weekday=d, opens="09:00", closes="17:00") for d in range(7)])  # fmt: skip
    outcome = checks.service_hours_check(session, store, _march(store))
    assert outcome.status == "evidenced"
    assert outcome.measured == {"hours_per_weekday": [8.0] * 7, "full_days": 7}


def test_service_hours_fail_without_sunday_or_with_short_days(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    other = make_store(session, company=company)
    actor = owner_actor(session, company)
    # the simulator's B2B store: 08:30-20:00 Monday to Saturday, closed on Sunday
    stores.set_service_hours(session, store=store, actor=actor,
                             windows=[ServiceWindow(weekday=d, opens="08:30", closes="20:00") for d in range(6)])  # fmt: skip
    outcome = checks.service_hours_check(session, store, _march(store))
    assert (outcome.status, outcome.detail) == (
        "partly",
        "6 of 7 days have 8 h of service; short: Sun 0 h",
    )
    stores.set_service_hours(session, store=other, actor=actor,
                             windows=[ServiceWindow(weekday=d, opens="09:00", closes="16:00") for d in range(7)])  # fmt: skip
    outcome = checks.service_hours_check(session, other, _march(other))
    assert outcome.status == "missing"
    assert outcome.measured["full_days"] == 0


# --- 7.1.1 -----------------------------------------------------------------------------------------


def test_first_replies_pass_at_95_percent_within_24_hours(session: Session) -> None:
    store = _store(session)
    buyer = make_buyer(session, store=store)
    for day in range(1, 20):
        make_inquiry(session, store=store, buyer=buyer, received_at=at(f"2026-03-{day:02d}", 9),
                     reply_after=dt.timedelta(hours=1))  # fmt: skip
    make_inquiry(session, store=store, buyer=buyer, received_at=at("2026-03-20", 9),
                 reply_after=dt.timedelta(hours=30))  # late  # fmt: skip
    make_inquiry(session, store=store, buyer=buyer, received_at=at("2026-03-31", 20),
                 reply_after=None)  # deadline runs past the period: pending, not counted  # fmt: skip
    make_inquiry(session, store=store, buyer=buyer, received_at=at("2026-02-27", 9),
                 reply_after=None)  # before the period  # fmt: skip
    outcome = checks.first_reply_check(session, store, _march(store))
    assert outcome.status == "evidenced"  # 19 of 20 = 95 %
    assert outcome.measured == {"deadline_hours": 24, "received": 21, "within_deadline": 19,
                                "late": 1, "unanswered": 0, "pending": 1,
                                "share_within_deadline": "0.9500"}  # fmt: skip


def test_first_replies_fail_with_late_and_unanswered_inquiries(session: Session) -> None:
    store = _store(session, platform=Platform.SHOPEE)  # 12-hour deadline
    buyer = make_buyer(session, store=store)
    for day in range(1, 8):
        make_inquiry(session, store=store, buyer=buyer, received_at=at(f"2026-03-{day:02d}", 9),
                     reply_after=dt.timedelta(hours=11))  # fmt: skip
    late = make_inquiry(session, store=store, buyer=buyer, received_at=at("2026-03-10", 9),
                        reply_after=dt.timedelta(hours=13))  # fmt: skip
    unanswered = make_inquiry(session, store=store, buyer=buyer, received_at=at("2026-03-11", 9),
                              reply_after=None)  # fmt: skip
    outcome = checks.first_reply_check(session, store, _march(store))
    assert outcome.status == "missing"  # 7 of 9 = 77.8 % < 80 %
    assert outcome.detail == "7 of 9 inquiries (77.8 %) answered within 12 h; 1 late, 1 unanswered"
    assert outcome.records == (f"inquiry:{unanswered.id}", f"inquiry:{late.id}")


# --- 6.1.7 and 6.2.5 ----------------------------------------------------------------------------------


def _orders(session: Session, store: Store, n: int) -> list:  # type: ignore[type-arg]
    buyer = make_buyer(session, store=store)
    return [make_order(session, store=store, buyer=buyer, placed_at=at(f"2026-03-{1 + i % 28:02d}", 10))
            for i in range(n)]  # fmt: skip


def test_refund_and_dispute_rates_pass_within_thresholds(session: Session) -> None:
    store = _store(session, platform=Platform.ALIBABA_COM, model=BusinessModel.B2B)
    orders = _orders(session, store, 20)
    make_refund(session, order=orders[0])  # 1 of 20 = 5 %
    outcome = checks.refund_dispute_check(session, store, _march(store))
    assert outcome.status == "evidenced"
    assert outcome.measured == {"shipped": 20, "refund_requests": 1, "disputes": 0,
                                "disputes_seller_responsible": 0}  # fmt: skip


def test_refund_and_dispute_rates_fail_above_thresholds(session: Session) -> None:
    store = _store(session, platform=Platform.ALIBABA_COM, model=BusinessModel.B2B)
    orders = _orders(session, store, 20)
    make_refund(session, order=orders[0])
    make_refund(session, order=orders[1])  # 2 of 20 = 10 % > 5 %
    make_dispute(session, order=orders[1])  # 1 of 20 = 5 % > 1 %
    outcome = checks.refund_dispute_check(session, store, _march(store))
    assert outcome.status == "missing"
    assert outcome.detail == ("refund requests 2 of 20 shipped orders (10.0 %), disputes 1 (5.0 %)")


def test_risk_metrics_pass_without_defects(session: Session) -> None:
    store = _store(session)
    orders = _orders(session, store, 10)
    listing = make_listing(session, store=store, product=make_product(
        session, store=store, category=make_category(session, store=store)))  # fmt: skip
    make_review(session, order=orders[0], listing=listing, rating=4)  # not negative
    outcome = checks.risk_metrics_check(session, store, _march(store))
    assert outcome.status == "evidenced"
    assert outcome.measured == {"orders": 10, "negative_reviews": 0, "complaints": 0,
                                "disputes": 0, "reviews": 1}  # fmt: skip


def test_risk_metrics_fail_with_negative_reviews_and_complaints(session: Session) -> None:
    store = _store(session)
    orders = _orders(session, store, 10)
    listing = make_listing(session, store=store, product=make_product(
        session, store=store, category=make_category(session, store=store)))  # fmt: skip
    make_review(session, order=orders[0], listing=listing, rating=2)
    make_complaint(session, order=orders[1])
    outcome = checks.risk_metrics_check(session, store, _march(store))
    assert outcome.status == "missing"  # 2 defects on 10 orders = 20 %
    assert outcome.detail == ("order defect rate 20.0 %: 1 negative reviews, 1 complaints, "
                              "0 disputes on 10 orders")  # fmt: skip


# --- 9.1.2 -----------------------------------------------------------------------------------------


def _declared(session: Session, declared: list[int]) -> tuple[Store, list[int]]:
    store = _store(session, currency="EUR")
    make_fx_rate(session, day=dt.date(2026, 3, 1), base="USD", rate="7.1")
    make_fx_rate(session, day=dt.date(2026, 3, 1), base="EUR", rate="7.8")
    channel = make_channel(session, store=store)
    buyer = make_buyer(session, store=store, country="DE")
    ids = []
    for amount in declared:
        # 100.00 EUR of goods = 780 CNY, shipped on 2 March (the 1 March fixing applies)
        order = make_order(session, store=store, buyer=buyer, placed_at=at("2026-03-01", 10),
                           subtotal=10000, country="DE")  # fmt: skip
        ids.append(
            make_shipment(session, store=store, order=order, channel=channel, declared=amount).id
        )
    return store, ids


def test_declared_values_pass_when_they_match_the_sale_value(session: Session) -> None:
    store, _ = _declared(session, [11000])  # 110.00 USD = 781 CNY: ratio 1.001
    outcome = checks.declared_values_check(session, store, _march(store))
    assert outcome.status == "evidenced"
    assert outcome.measured == {
        "shipments": 1,
        "compared": 1,
        "under_declared": 0,
        "over_declared": 0,
    }


def test_declared_values_fail_when_under_or_over_declared(session: Session) -> None:
    # 50 USD = 355 CNY (0.46 x 780: under); 150 USD = 1065 CNY (1.37 x: over); 110 USD fine
    store, ids = _declared(session, [5000, 15000, 11000])
    outcome = checks.declared_values_check(session, store, _march(store))
    assert outcome.status == "missing"
    assert outcome.detail == "1 under-declared and 1 over-declared of 3 parcels (66.7 %)"
    assert outcome.records == (f"shipment:{ids[0]}", f"shipment:{ids[1]}")


# --- 3.1.3 -----------------------------------------------------------------------------------------


def _certified(session: Session) -> tuple[Store, list]:  # type: ignore[type-arg]
    store = _store(session)
    store.site = "DE"
    category = make_category(session, store=store)
    products = [
        make_product(session, store=store, category=category, code=f"P-{i}") for i in range(3)
    ]
    for product in products:
        make_listing(session, store=store, product=product)
    make_certificate(session, product=products[0], kind="FCC", market="US")  # not sold to the US
    return store, products


def test_certificates_pass_when_valid_for_the_markets_sold_to(session: Session) -> None:
    store, products = _certified(session)
    for product in products:
        make_certificate(session, product=product, kind="CE", market="EU")
    outcome = checks.certificates_check(session, store, _march(store))
    assert outcome.status == "evidenced"
    assert outcome.measured == {
        "target_markets": ["DE", "EU"],
        "required": 3,
        "missing": 0,
        "expired": 0,
    }


def test_certificates_fail_when_missing_or_expired(session: Session) -> None:
    store, products = _certified(session)
    make_certificate(session, product=products[0], kind="CE", market="EU")
    make_certificate(session, product=products[1], kind="CE", market="EU",
                     expires_on=dt.date(2026, 2, 1))  # fmt: skip
    # 2 of the category's 3 products hold CE/EU, so it is required of all three; P-2 lacks it
    outcome = checks.certificates_check(session, store, _march(store))
    assert outcome.status == "missing"
    assert outcome.detail == "1 missing and 1 expired of 3 certificates required for DE, EU"
    assert outcome.records == ("product:P-1:CE/EU:expired", "product:P-2:CE/EU:missing")


# --- 2.1.2 / 2.2.2 ---------------------------------------------------------------------------------------


def test_account_security_passes_with_secured_accounts(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    holder, _ = make_member(session, company=company, role=Role.OPERATOR, stores=[store])
    main = stores.add_platform_account(session, store=store, actor=actor, login="seller@x.example")
    sub = stores.add_platform_account(session, store=store, actor=actor, login="ops@x.example",
                                      kind="sub", parent_id=main.id)  # fmt: skip
    sub.holder_user_id = holder.id
    for account in (main, sub):
        stores.set_account_credential(session, account=account, secret="s3cret-pass", actor=actor)
    # the credentials were set just now; the check measures their age at the period's end
    today = utcnow().date()
    outcome = checks.account_security_b2c(session, store, Window.local(today, today, "UTC"))
    assert outcome.status == "evidenced"
    assert outcome.detail == "2 accounts recorded and secured"
    later = today + dt.timedelta(days=200)
    outcome = checks.account_security_b2c(session, store, Window.local(later, later, "UTC"))
    assert outcome.detail == "2 accounts: 2 with a credential older than 180 days"


def test_account_security_fails_without_accounts_or_credentials(session: Session) -> None:
    company = make_company(session)
    store = make_store(session, company=company)
    actor = owner_actor(session, company)
    outcome = checks.account_security_b2c(session, store, _march(store))
    assert (outcome.status, outcome.detail) == (
        "missing",
        "no seller-centre account is recorded for the store",
    )
    main = stores.add_platform_account(session, store=store, actor=actor, login="seller@x.example")
    stores.add_platform_account(session, store=store, actor=actor, login="ops@x.example",
                                kind="sub", parent_id=main.id)  # fmt: skip
    outcome = checks.account_security_b2c(session, store, _march(store))
    assert outcome.status == "partly"
    assert (
        outcome.detail
        == "2 accounts: 2 without a stored credential; 1 sub-accounts without a holder"
    )


@pytest.mark.parametrize("model", ["b2b", "b2c"])
def test_checks_run_only_for_their_model(model: str) -> None:
    ran = {c.id for c in checks.registered_checks() if c.concerns(model)}  # type: ignore[arg-type]
    assert ("zero_effect_handled" in ran) is (model == "b2b")
    assert ("risk_metrics" in ran) is (model == "b2c")
