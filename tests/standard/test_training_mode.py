"""Training mode on a tiny simulated company: a clean sandbox store, planted faults, the assessment
names exactly those, and grading sees what the trainee fixed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from storeops.auth.enums import Role
from storeops.auth.models import Membership
from storeops.auth.scoping import system_actor
from storeops.catalog.models import Certificate, Listing
from storeops.db import make_engine, session_scope
from storeops.errors import InvalidInput
from storeops.migrations import upgrade
from storeops.simulate.generate import simulate
from storeops.simulate.scales import parse_scale
from storeops.standard import training
from storeops.standard.assessment import assess_store
from storeops.stores.models import Store
from tests.conftest import new_database_url

FAULTS = {
    "slow_replies": 2,
    "incomplete_listings": 2,
    "expired_certificates": 2,
    "under_declared": 3,
}


@pytest.fixture(params=["sqlite", "postgresql"])
def sandbox(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    url = new_database_url(request.param, tmp_path)
    upgrade(url)
    engine = make_engine(url)
    simulate(engine, seed=5, scale=parse_scale("tiny"), company_name="Sandbox Co")
    return engine


def _checked(a: object) -> dict[str, str]:
    return {f.code: f.status for f in a.findings if f.basis == "automated"}  # type: ignore[attr-defined]


def test_the_assessment_names_the_planted_faults_and_no_others(sandbox: Engine) -> None:
    with session_scope(sandbox) as session:
        store = session.scalars(select(Store).where(Store.name == "AliExpress")).one()
        actor = system_actor(session, store.company_id)
        start, end = training.sandbox_period(session, store)
        assert (end - start).days == 29
        before = _checked(assess_store(session, store=store, actor=actor, start=start, end=end))
        assert before["9.1.2"] != "evidenced"  # the simulator's own under-declared parcels
        training.clean_store(session, store=store, actor=actor, start=start, end=end)
        clean = _checked(assess_store(session, store=store, actor=actor, start=start, end=end))
        assert set(clean.values()) <= {"evidenced", "not_applicable"}, clean
        planted = training.plant_faults(
            session, store=store, actor=actor, counts=FAULTS, start=start, end=end
        )
        assert len(planted) == 9
        after = assess_store(session, store=store, actor=actor, start=start, end=end)
        named = {
            code
            for code, status in _checked(after).items()
            if status not in ("evidenced", "not_applicable")
        }
        # the unanswered inquiries also pull AliExpress's 24-hour response rule (2.3.1) down
        assert named == {"7.1.1", "3.3.2", "3.1.3", "9.1.2", "2.3.1"}
        assert after.finding("2.3.1").checks[0].records == ("rule:response_24h",)
        assert _checked(after)["7.3.2"] == "evidenced"
        declared = after.finding("9.1.2").checks[0]
        assert declared.measured["under_declared"] == 3
        assert declared.measured["over_declared"] == 0
        replies = after.finding("7.1.1").checks[0]
        assert replies.measured["unanswered"] == 2 and replies.measured["late"] == 0
        certificates = after.finding("3.1.3").checks[0]
        assert (certificates.measured["missing"], certificates.measured["expired"]) == (0, 2)
        listings = after.finding("3.3.2").checks[0]
        assert listings.measured["active"] - listings.measured["passing"] == 2
        planted_refs = {f.ref for f in planted}
        assert {r for r in replies.records} == {r for r in planted_refs if r.startswith("inquiry:")}
        assert set(declared.records) == {r for r in planted_refs if r.startswith("shipment:")}


def test_trainees_are_graded_on_the_faults_they_fixed(sandbox: Engine) -> None:
    with session_scope(sandbox) as session:
        store = session.scalars(select(Store).where(Store.name == "AliExpress")).one()
        actor = system_actor(session, store.company_id)
        start, end = training.sandbox_period(session, store)
        training.clean_store(session, store=store, actor=actor, start=start, end=end)
        planted = training.plant_faults(
            session, store=store, actor=actor, counts=FAULTS, start=start, end=end
        )
        trainee = session.scalar(
            select(Membership.user_id).where(Membership.company_id == store.company_id,
                                             Membership.role == Role.TRAINEE)
        )  # fmt: skip
        assert trainee is not None  # the simulator's 冯雪 Feng Xue
        assert training.assign_trainee(session, store=store, actor=actor, user_id=trainee) == 9
        assert [g.fixed for g in training.grade(session, store=store, actor=actor)] == [False] * 9
        # the trainee completes one listing and renews one certificate
        listing_fault = next(f for f in planted if f.kind == "incomplete_listings")
        listing = session.get(Listing, int(listing_fault.ref.split(":")[1]))
        assert listing is not None
        listing.description = "Full description again."
        listing.bullet_points = ["a", "b", "c", "d", "e"]
        cert_fault = next(f for f in planted if f.kind == "expired_certificates")
        old = session.get(Certificate, int(cert_fault.ref.split(":")[1]))
        assert old is not None
        session.add(Certificate(company_id=old.company_id, product_id=old.product_id, kind=old.kind,
                                market=old.market, number="RENEWED", issued_on=end,
                                expires_on=end + dt.timedelta(days=365)))  # fmt: skip
        session.flush()
        grades = training.grade(session, store=store, actor=actor)
        assert {g.ref for g in grades if g.fixed} == {listing_fault.ref, cert_fault.ref}
        assert {g.trainee_user_id for g in grades} == {trainee}
        with pytest.raises(InvalidInput, match="unknown fault"):
            training.plant_faults(
                session, store=store, actor=actor, counts={"typos": 1}, start=start, end=end
            )


def test_storeops_training_sandbox_and_grade(fresh_db_url: str) -> None:
    from typer.testing import CliRunner

    from storeops.cli.main import app

    runner = CliRunner()
    result = runner.invoke(app, ["training", "sandbox", "--company", "Class A", "--seed", "3",
                                 "--faults", "slow_replies=1,under_declared=2",
                                 "--trainee", "staff12@classa.example"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "exercise period 2026-09-01 to 2026-09-30" in result.output
    graded = runner.invoke(app, ["training", "grade", "--store", "5", "--company", "Class A",
                                 "--format", "json"])  # fmt: skip
    assert graded.exit_code == 0, graded.output
    import json

    rows = json.loads(graded.stdout)
    assert [(r["fault"], r["fixed"], r["trainee"]) for r in rows] == [
        ("slow_replies", False, "staff12@classa.example"),
        ("under_declared", False, "staff12@classa.example"),
        ("under_declared", False, "staff12@classa.example"),
    ]
    bad = runner.invoke(app, ["training", "sandbox", "--company", "Class B", "--faults", "typos"])
    assert bad.exit_code == 2 and "write faults as kind=N" in bad.output
