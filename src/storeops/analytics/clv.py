"""9.2.5 Customer lifetime value: BG/NBD (repeat purchases) and Gamma-Gamma (spend per purchase).

Written here with SciPy rather than taken from a library: ``lifetimes`` (the reference
implementation) is unmaintained since 2020 and ``pymc-marketing`` pulls PyMC and PyTensor for a
two-function maximum-likelihood fit. The likelihoods are those of

* Fader, Hardie & Lee (2005), "Counting your customers the easy way: an alternative to the
  Pareto/NBD model", Marketing Science 24(2): BG/NBD, parameters r, alpha, a, b;
* Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer base
  analysis", J. Marketing Research 42(4), and Fader & Hardie's note "The Gamma-Gamma model of
  monetary value" (2013): parameters p, q, gamma.

``tests/analytics/test_clv.py`` reproduces the published BG/NBD estimates on the CDNOW sample
(r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, log-likelihood -9582.4).

Model quantities are floats (they are estimates, not money); amounts are read as decimals.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1

from storeops.errors import InvalidInput

Period = Literal["week", "day"]
_DAYS_PER: dict[str, int] = {"week": 7, "day": 1}


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    """Frequency/recency/age of each customer, the inputs of BG/NBD and Gamma-Gamma.

    ``frequency`` is the number of *repeat* purchase days, ``recency`` the time from the first to
    the last purchase, ``age`` (the models' T) the time from the first purchase to the end of the
    observation, both in periods; ``monetary`` is the mean amount of the repeat purchase days.
    """

    customers: tuple[str, ...]
    frequency: NDArray[np.float64]
    recency: NDArray[np.float64]
    age: NDArray[np.float64]
    monetary: NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class BgNbdFit:
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float


@dataclass(frozen=True, slots=True)
class GammaGammaFit:
    p: float
    q: float
    gamma: float
    log_likelihood: float
    customers: int  # customers with at least one repeat purchase (the fit's data)


def _parse_date(text: str, row: int, column: str) -> dt.date:
    """YYYY-MM-DD (a time after it is ignored), YYYY/MM/DD or YYYYMMDD."""
    value = text.strip()
    head = value[:10] if len(value) >= 10 and value[4] in "-/" else value[:8]
    digits = head.replace("-", "").replace("/", "")
    if len(digits) == 8 and digits.isdigit():
        try:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            pass
    raise InvalidInput(
        f"row {row}: {column} {text!r} is not a date (use YYYY-MM-DD or YYYYMMDD)", field=column
    )


def _parse_amount(text: str, row: int, column: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise InvalidInput(f"row {row}: {column} {text!r} is not an amount", field=column) from None
    if not value.is_finite():
        raise InvalidInput(f"row {row}: {column} {text!r} is not an amount", field=column)
    return value


def read_transactions(
    path: Path, *, customer_col: str, date_col: str, amount_col: str | None
) -> list[tuple[str, dt.date, Decimal]]:
    """(customer, day, amount) of every row of a CSV file; bad rows raise naming row and column."""
    if not path.exists():
        raise InvalidInput(f"no file {path}", field="transactions")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        needed = [c for c in (customer_col, date_col, amount_col) if c]
        missing = [c for c in needed if c not in header]
        if missing:
            raise InvalidInput(
                f"{path.name} has no column {', '.join(missing)} (columns: {', '.join(header)})",
                field="columns",
            )
        rows: list[tuple[str, dt.date, Decimal]] = []
        for n, record in enumerate(reader, start=2):
            customer = (record.get(customer_col) or "").strip()
            if not customer:
                raise InvalidInput(f"row {n}: {customer_col} is empty", field=customer_col)
            day = _parse_date(record.get(date_col) or "", n, date_col)
            amount = (
                _parse_amount(record.get(amount_col) or "", n, amount_col)
                if amount_col
                else Decimal(0)
            )
            rows.append((customer, day, amount))
    if not rows:
        raise InvalidInput(f"{path.name} has no transactions", field="transactions")
    return rows


def summarize(
    rows: list[tuple[str, dt.date, Decimal]], *, observation_end: dt.date, period: Period
) -> CustomerSummary:
    """Per customer: repeat purchase days, recency and age in periods, mean repeat amount.

    Purchases on one day are one purchase (amounts added); purchases after ``observation_end``
    are left out (a hold-out period); customers whose first purchase is after it are dropped.
    """
    if period not in _DAYS_PER:
        raise InvalidInput(f"period must be week or day, not {period!r}", field="period")
    days: dict[str, dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for customer, day, amount in rows:
        if day <= observation_end:
            days[customer][day] += amount
    if not days:
        raise InvalidInput(
            f"no transaction on or before the observation end {observation_end}",
            field="observation_end",
        )
    scale = _DAYS_PER[period]
    customers = sorted(days)
    freq, rec, age, money = [], [], [], []
    for customer in customers:
        purchases = sorted(days[customer].items())
        first, last = purchases[0][0], purchases[-1][0]
        repeat = [float(v) for _, v in purchases[1:]]
        freq.append(float(len(purchases) - 1))
        rec.append((last - first).days / scale)
        age.append((observation_end - first).days / scale)
        money.append(sum(repeat) / len(repeat) if repeat else 0.0)
    return CustomerSummary(
        tuple(customers), np.array(freq), np.array(rec), np.array(age), np.array(money)
    )


def bgnbd_log_likelihood(
    params: NDArray[np.float64],
    x: NDArray[np.float64],
    tx: NDArray[np.float64],
    t: NDArray[np.float64],
) -> float:
    """Sum of the BG/NBD log-likelihood (Fader, Hardie & Lee 2005, equation 6)."""
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + t)
    repeat = x > 0
    a4 = np.full_like(x, -np.inf)
    a4[repeat] = (
        np.log(a) - np.log(b + x[repeat] - 1) - (r + x[repeat]) * np.log(alpha + tx[repeat])
    )
    return float(np.sum(a1 + a2 + np.logaddexp(a3, a4)))


def gamma_gamma_log_likelihood(
    params: NDArray[np.float64], x: NDArray[np.float64], m: NDArray[np.float64]
) -> float:
    """Sum of the Gamma-Gamma log-likelihood of mean spend ``m`` over ``x`` repeat purchases."""
    p, q, gamma = params
    return float(
        np.sum(
            gammaln(p * x + q)
            - gammaln(p * x)
            - gammaln(q)
            + q * np.log(gamma)
            + (p * x - 1) * np.log(m)
            + p * x * np.log(x)
            - (p * x + q) * np.log(gamma + m * x)
        )
    )


def _fit(negative_ll: object, start: NDArray[np.float64]) -> NDArray[np.float64]:
    """Maximum likelihood over positive parameters (optimised on their logarithms)."""

    def objective(log_params: NDArray[np.float64]) -> float:
        value = negative_ll(np.exp(log_params))  # type: ignore[operator]
        return float(value) if math.isfinite(value) else 1e300

    first = minimize(objective, np.log(start), method="Nelder-Mead",
                     options={"maxiter": 20_000, "xatol": 1e-10, "fatol": 1e-10})  # fmt: skip
    polished = minimize(objective, first.x, method="BFGS", options={"gtol": 1e-8})
    best = polished.x if polished.fun <= first.fun else first.x
    return np.asarray(np.exp(best), dtype=np.float64)


def fit_bgnbd(summary: CustomerSummary) -> BgNbdFit:
    """9.2.5 BG/NBD: how many repeat purchases customers make, and when they drop out."""
    x, tx, t = summary.frequency, summary.recency, summary.age
    if len(x) < 2 or not np.any(x > 0):
        raise InvalidInput(
            "BG/NBD needs at least two customers and some repeat purchases", field="transactions"
        )
    if np.all(t <= 0):
        raise InvalidInput(
            "every customer's first purchase is on the observation end", field="observation_end"
        )
    t = np.maximum(t, 1e-9)
    params = _fit(lambda p: -bgnbd_log_likelihood(p, x, tx, t), np.array([1.0, 1.0, 1.0, 1.0]))
    r, alpha, a, b = (float(v) for v in params)
    return BgNbdFit(r, alpha, a, b, bgnbd_log_likelihood(params, x, tx, t))


def fit_gamma_gamma(summary: CustomerSummary) -> GammaGammaFit:
    """9.2.5 Gamma-Gamma: the spend per purchase of customers who came back at least once."""
    repeat = (summary.frequency > 0) & (summary.monetary > 0)
    x, m = summary.frequency[repeat], summary.monetary[repeat]
    if len(x) < 2:
        raise InvalidInput(
            "Gamma-Gamma needs at least two customers with a repeat purchase of a positive amount",
            field="amount",
        )
    params = _fit(lambda p: -gamma_gamma_log_likelihood(p, x, m), np.array([1.0, 1.0, 1.0]))
    p, q, gamma = (float(v) for v in params)
    return GammaGammaFit(p, q, gamma, gamma_gamma_log_likelihood(params, x, m), len(x))


def probability_alive(
    fit: BgNbdFit, x: NDArray[np.float64], tx: NDArray[np.float64], t: NDArray[np.float64]
) -> NDArray[np.float64]:
    """9.2.5 P(a customer is still active | x, t_x, T) (Fader, Hardie & Lee 2005, eq. 11)."""
    r, alpha, a, b = fit.r, fit.alpha, fit.a, fit.b
    ratio = np.zeros_like(x)
    repeat = x > 0
    ratio[repeat] = (a / (b + x[repeat] - 1)) * ((alpha + t[repeat]) / (alpha + tx[repeat])) ** (
        r + x[repeat]
    )
    return np.asarray(1.0 / (1.0 + ratio), dtype=np.float64)


def expected_purchases(
    fit: BgNbdFit,
    periods: float,
    x: NDArray[np.float64],
    tx: NDArray[np.float64],
    t: NDArray[np.float64],
) -> NDArray[np.float64]:
    """9.2.5 Expected purchases in the next ``periods`` (Fader, Hardie & Lee 2005, eq. 10)."""
    r, alpha, a, b = fit.r, fit.alpha, fit.a, fit.b
    if math.isclose(a, 1.0):
        raise InvalidInput("the fitted a is 1: the closed form of eq. 10 is undefined", field="a")
    z = periods / (alpha + t + periods)
    head = (a + b + x - 1) / (a - 1)
    tail = 1 - ((alpha + t) / (alpha + t + periods)) ** (r + x) * hyp2f1(
        r + x, b + x, a + b + x - 1, z
    )
    return np.asarray(head * tail * probability_alive(fit, x, tx, t), dtype=np.float64)


def expected_spend(
    fit: GammaGammaFit, x: NDArray[np.float64], m: NDArray[np.float64]
) -> NDArray[np.float64]:
    """9.2.5 Expected amount per future purchase: p(gamma + x m) / (p x + q - 1).

    A customer without repeat purchases gets the population mean p gamma / (q - 1).
    """
    p, q, gamma = fit.p, fit.q, fit.gamma
    if q <= 1:
        raise InvalidInput("the fitted q is at most 1: the mean spend is undefined", field="q")
    return np.asarray(p * (gamma + x * m) / (p * x + q - 1), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class CustomerForecast:
    """One customer's outlook over the forecast horizon (undiscounted)."""

    customer: str
    frequency: int
    probability_alive: float
    expected_purchases: float
    expected_spend: float
    expected_value: float  # expected purchases x expected spend, in the file's currency


def forecast(
    summary: CustomerSummary, bgnbd: BgNbdFit, spend: GammaGammaFit, periods: float
) -> list[CustomerForecast]:
    """9.2.5 Every customer's expected purchases and value over ``periods``, highest value first."""
    x, tx, t = summary.frequency, summary.recency, np.maximum(summary.age, 1e-9)
    alive = probability_alive(bgnbd, x, tx, t)
    purchases = expected_purchases(bgnbd, periods, x, tx, t)
    per_purchase = expected_spend(spend, x, summary.monetary)
    rows = [
        CustomerForecast(
            customer,
            int(x[i]),
            float(alive[i]),
            float(purchases[i]),
            float(per_purchase[i]),
            float(purchases[i] * per_purchase[i]),
        )
        for i, customer in enumerate(summary.customers)
    ]
    rows.sort(key=lambda row: (-row.expected_value, row.customer))
    return rows
