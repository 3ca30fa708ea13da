"""9.2.5 BG/NBD and Gamma-Gamma: the published CDNOW estimates, the CLI, hand-checked pieces."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from storeops.analytics.clv import (
    BgNbdFit,
    GammaGammaFit,
    bgnbd_log_likelihood,
    expected_purchases,
    expected_spend,
    fit_bgnbd,
    fit_gamma_gamma,
    forecast,
    gamma_gamma_log_likelihood,
    probability_alive,
    read_transactions,
    summarize,
)
from storeops.cli.main import app
from storeops.errors import InvalidInput

CDNOW = Path(__file__).parent / "data" / "CDNOW_sample.txt"
runner = CliRunner()


def _sig3(value: float) -> str:
    return f"{value:.3g}"


@pytest.fixture(scope="module")
def cdnow_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CDNOW sample as the CSV a user would give `storeops clv fit`."""
    path = tmp_path_factory.mktemp("cdnow") / "cdnow.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer", "date", "cds", "amount"])
        for line in CDNOW.read_text().splitlines():
            customer, _sample, day, cds, amount = line.split()
            writer.writerow([customer, f"{day[:4]}-{day[4:6]}-{day[6:]}", cds, amount])
    return path


def test_cli_reproduces_fader_hardie_lee_2005_on_cdnow(cdnow_csv: Path) -> None:
    result = runner.invoke(
        app,
        [
            "clv", "fit", "--transactions", str(cdnow_csv), "--customer-col", "customer",
            "--date-col", "date", "--amount-col", "amount", "--observation-end", "1997-09-30",
            "--period", "week", "--format", "json", "--predict", "39", "--top", "3",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    fitted = json.loads(result.stdout)
    # Fader, Hardie & Lee (2005), Marketing Science 24(2), p. 280: r = 0.243, alpha = 4.414,
    # a = 0.793, b = 2.426, LL = -9582.4 (39-week calibration period, 2,357 customers)
    assert (fitted["customers"], fitted["transactions"]) == (2357, 6919)
    assert [_sig3(fitted[k]) for k in ("r", "alpha", "a", "b")] == [
        "0.243",
        "4.41",
        "0.793",
        "2.43",
    ]
    assert [round(fitted[k], 3) for k in ("r", "alpha", "a", "b")] == [0.243, 4.414, 0.793, 2.426]
    assert round(fitted["log_likelihood"], 1) == -9582.4
    # Gamma-Gamma on the same calibration data (946 customers with repeat purchases): the
    # estimates published with Fader & Hardie's note and in lifetimes' docs, p 6.25, q 3.74, gamma 15.44
    assert fitted["repeat_customers"] == 946
    assert [round(fitted[k], 2) for k in ("p", "q", "gamma")] == [6.25, 3.74, 15.44]
    top = fitted["top_customers"]
    assert len(top) == 3
    assert [c["expected_value"] for c in top] == sorted(
        (c["expected_value"] for c in top), reverse=True
    )


def test_forecast_matches_the_paper_and_a_numerical_integral(cdnow_csv: Path) -> None:
    from scipy.integrate import quad
    from scipy.stats import beta

    rows = read_transactions(
        cdnow_csv, customer_col="customer", date_col="date", amount_col="amount"
    )
    summary = summarize(rows, observation_end=dt.date(1997, 9, 30), period="week")
    fit = fit_bgnbd(summary)
    x, tx, t = np.array([0.0, 2.0, 1.0]), np.array([0.0, 30.43, 1.71]), np.array([38.86] * 3)
    purchases = expected_purchases(fit, 39, x, tx, t)
    # Fader, Hardie & Lee (2005), section 5: a customer with x = 2, t_x = 30.43, T = 38.86 is
    # expected to make 1.226 purchases in the next 39 weeks
    assert round(float(purchases[1]), 3) == 1.226
    # eq. 10 against its definition: P(alive) x the integral over the posterior Beta(a, b + x)
    # of (1 - ((alpha + T) / (alpha + T + p t)) ** (r + x)) / p
    alive = probability_alive(fit, x, tx, t)
    assert alive[0] == 1.0  # without a repeat purchase nobody has dropped out yet
    for i in range(3):
        r_x, b_x = fit.r + x[i], fit.b + x[i]
        integral = quad(
            lambda p, i=i, r_x=r_x, b_x=b_x: (
                (1 - ((fit.alpha + t[i]) / (fit.alpha + t[i] + p * 39)) ** r_x)
                / p
                * beta.pdf(p, fit.a, b_x)
            ),
            0,
            1,
            limit=200,
        )[0]
        assert math.isclose(purchases[i], alive[i] * integral, rel_tol=1e-8)


def test_expected_spend_and_customer_value_by_hand() -> None:
    spend = GammaGammaFit(p=2.0, q=3.0, gamma=10.0, log_likelihood=0.0, customers=2)
    # x = 2, mean 20: 2 (10 + 2 x 20) / (2 x 2 + 3 - 1) = 100 / 6; x = 0: 2 x 10 / (3 - 1) = 10
    got = expected_spend(spend, np.array([2.0, 0.0]), np.array([20.0, 0.0]))
    assert np.allclose(got, [100 / 6, 10.0])
    rows = [
        ("ann", dt.date(2025, 1, 1), Decimal(10)),
        ("ann", dt.date(2025, 1, 8), Decimal(20)),
        ("bob", dt.date(2025, 1, 1), Decimal(5)),
    ]
    summary = summarize(rows, observation_end=dt.date(2025, 1, 15), period="week")
    bgnbd = BgNbdFit(r=1.0, alpha=1.0, a=2.0, b=2.0, log_likelihood=0.0)
    outlook = forecast(summary, bgnbd, spend, 4)
    # ann (x=1, t_x=1, T=2) may have dropped out after her repeat purchase:
    # P(alive) = 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))
    #          = 1 / (1 + 2/2 * (3/2) ** 2) = 1 / 3.25; bob (x=0) cannot have dropped out yet
    assert [c.customer for c in outlook] == ["bob", "ann"]
    assert math.isclose(outlook[1].probability_alive, 1 / 3.25)
    assert outlook[0].probability_alive == 1.0
    for c in outlook:
        assert math.isclose(c.expected_value, c.expected_purchases * c.expected_spend)
    assert math.isclose(outlook[1].expected_spend, 2 * (10 + 1 * 20) / (2 * 1 + 3 - 1))
    assert math.isclose(outlook[0].expected_spend, 10.0)


def test_summary_counts_days_and_leaves_out_the_holdout(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "who,when,paid\n"
        "ann,2025-01-01,10.00\n"
        "ann,2025-01-01,5.00\n"  # same day: one purchase of 15.00
        "ann,2025-01-15,20.00\n"
        "ann,2025-01-29,40.00\n"
        "ann,2025-03-01,99.00\n"  # after the observation end: left out
        "bob,20250122,7.50\n"
        "cid,2025-03-02,1\n"  # first purchase after the end: not a customer yet
    )
    rows = read_transactions(path, customer_col="who", date_col="when", amount_col="paid")
    summary = summarize(rows, observation_end=dt.date(2025, 2, 5), period="week")
    assert summary.customers == ("ann", "bob")
    # ann: purchase days 01-01, 01-15, 01-29 -> 2 repeats, recency 28 days = 4 weeks,
    # age 35 days = 5 weeks, mean repeat amount (20 + 40) / 2 = 30; bob: 0 repeats, age 14 days
    assert summary.frequency.tolist() == [2.0, 0.0]
    assert summary.recency.tolist() == [4.0, 0.0]
    assert summary.age.tolist() == [5.0, 2.0]
    assert summary.monetary.tolist() == [30.0, 0.0]
    by_day = summarize(rows, observation_end=dt.date(2025, 2, 5), period="day")
    assert by_day.age.tolist() == [35.0, 14.0]


def test_log_likelihoods_match_the_formulas_worked_by_hand() -> None:
    # one customer with x=0, T=2 at r=alpha=a=b=1: L = B(1,1)/B(1,1) * 1 * 1 / (1+2) = 1/3
    zero = bgnbd_log_likelihood(np.ones(4), np.array([0.0]), np.array([0.0]), np.array([2.0]))
    assert math.isclose(zero, math.log(1 / 3))
    # x=1, t_x=1, T=2: B(1,2)/B(1,1) * G(2)/G(1) * 1/(3^2) + B(2,1)/B(1,1) * 1/(2^2)
    # = 1/2 * 1/9 + 1/2 * 1/4 = 13/72
    one = bgnbd_log_likelihood(np.ones(4), np.array([1.0]), np.array([1.0]), np.array([2.0]))
    assert math.isclose(one, math.log(13 / 72))
    # Gamma-Gamma, p=q=gamma=1, x=1, m=2: G(2)/(G(1)G(1)) * 1 * 2^0 * 1 / (1 + 2)^2 = 1/9
    spend = gamma_gamma_log_likelihood(np.ones(3), np.array([1.0]), np.array([2.0]))
    assert math.isclose(spend, math.log(1 / 9))


def test_bad_files_are_refused_naming_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("who,when,paid\nann,yesterday,1\n")
    with pytest.raises(InvalidInput, match="row 2: when 'yesterday' is not a date"):
        read_transactions(path, customer_col="who", date_col="when", amount_col="paid")
    path.write_text("who,when,paid\nann,2025-01-01,ten\n")
    with pytest.raises(InvalidInput, match="row 2: paid 'ten' is not an amount"):
        read_transactions(path, customer_col="who", date_col="when", amount_col="paid")
    with pytest.raises(InvalidInput, match="has no column customer"):
        read_transactions(path, customer_col="customer", date_col="when", amount_col="paid")
    rows = [("ann", dt.date(2025, 1, 1), Decimal(1)), ("bob", dt.date(2025, 1, 2), Decimal(1))]
    summary = summarize(rows, observation_end=dt.date(2025, 2, 1), period="week")
    with pytest.raises(InvalidInput, match="some repeat purchases"):
        fit_bgnbd(summary)
    with pytest.raises(InvalidInput, match="at least two customers with a repeat purchase"):
        fit_gamma_gamma(summary)
    result = runner.invoke(
        app,
        ["clv", "fit", "-t", str(tmp_path / "missing.csv"), "--customer-col", "c",
         "--date-col", "d", "--amount-col", "a", "--observation-end", "2025-01-01"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "no file" in result.output
