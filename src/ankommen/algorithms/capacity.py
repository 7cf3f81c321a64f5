"""Capacity plan: a stock-flow Monte-Carlo simulation of the county's accommodation.

For each of the next months (usually 12)::

    occupancy(t) = occupancy(t-1) − exits(t) + housed arrivals(t)

* **arrivals** are drawn from the allocation forecast's distribution: its median and its 80 % and
  95 % bounds are the 2.5/10/50/90/97.5 % quantiles of each month; a draw is a standard normal
  ``z`` mapped through the piecewise-linear quantile function on the ``log1p`` scale (linear in
  ``z``, extended beyond the 95 % bounds with the outer slopes). Months are not independent: a
  forecast that is too low in May is usually too low in June, so the ``z`` of one run follow an
  AR(1) process with the correlation of consecutive back-test errors (:func:`error_correlation`);
* a scenario multiplies the arrivals from a month on and adds extra persons (e.g. a stream under
  §24 AufenthG spread over months);
* of the arrivals, a share needs a place in county accommodation (``housed_share``; the rest find
  their own housing); each one is drawn (binomial);
* every occupant leaves in a month with the probability estimated from the county's dated
  occupancy history (:func:`estimate_exit_rates`; moves to flats, transfers out, departures);
* capacity per month is the usable beds minus closed ones plus planned openings and closings
  (computed by the caller); a **shortage** is occupancy above capacity.

Scarce kinds of place (family rooms, barrier-free, women-only) run the same stock-flow with
their own occupancy and capacity; a housed arrival needs such a place with the kind's demand
share (:func:`demand_shares`). Results are reproducible: the random generator is seeded.

No Django here; the adapter in ``ankommen.planning`` reads the database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The scarce kinds of place, in display order.
KINDS: tuple[str, ...] = ("family", "barrier_free", "women_only")
#: Standard-normal quantiles of the forecast's bounds: 2.5, 10, 50, 90 and 97.5 %.
Z_KNOTS: tuple[float, ...] = (-1.959964, -1.281552, 0.0, 1.281552, 1.959964)
#: Correlation of consecutive months' forecast errors when the back-test cannot estimate it.
DEFAULT_CORRELATION = 0.8
MAX_RUNS = 100_000
#: Days in an average month (365.25 / 12), to turn day counts into person-months.
MONTH_DAYS = 30.4375
#: Reasons a stay in county accommodation ends, as the adapter names them.
EXIT_REASONS: tuple[str, ...] = ("flat", "transfer", "departure", "other")


class CapacityError(ValueError):
    """The plan's input cannot be simulated; the message says why (in German)."""


# --- exits ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stay:
    """One person's uninterrupted stay in county accommodation (moves between the county's own
    facilities already joined up); ``end`` is the first day away, ``reason`` why they left."""

    start: date
    end: date | None
    reason: str = ""


@dataclass(frozen=True)
class ExitRates:
    """Monthly exit probabilities per reason, estimated over ``person_months`` of exposure."""

    by_reason: Mapping[str, float]
    exits: Mapping[str, int]
    person_months: float

    @property
    def total(self) -> float:
        return float(sum(self.by_reason.values()))


def estimate_exit_rates(stays: Iterable[Stay], *, since: date, until: date) -> ExitRates:
    """Exit rates from the stays observed between ``since`` (inclusive) and ``until``
    (exclusive).

    The maximum-likelihood estimate of a constant hazard: exits in the window divided by the
    person-months spent in accommodation in it (a stay counts for its days inside the window,
    also when it began earlier or is still going on: right-censoring). The hazard ``λ`` per
    month becomes the probability ``1 − exp(−λ)`` of leaving within a month, shared among the
    reasons in proportion to their exits (competing risks with constant hazards)."""
    if until <= since:
        raise CapacityError("Der Zeitraum für die Auszugsraten ist leer.")
    days = 0
    exits = dict.fromkeys(EXIT_REASONS, 0)
    for stay in stays:
        start = max(stay.start, since)
        end = until if stay.end is None else min(stay.end, until)
        if end <= start:
            continue
        days += (end - start).days
        if stay.end is not None and since <= stay.end < until:
            reason = stay.reason if stay.reason in exits else "other"
            exits[reason] += 1
    person_months = days / MONTH_DAYS
    total_exits = sum(exits.values())
    if person_months == 0 or total_exits == 0:
        return ExitRates(dict.fromkeys(EXIT_REASONS, 0.0), exits, person_months)
    hazard = total_exits / person_months
    probability = 1.0 - math.exp(-hazard)
    rates = {reason: probability * count / total_exits for reason, count in exits.items()}
    return ExitRates(rates, exits, person_months)


# --- demand shares -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Arrived:
    """A household allocated to the county, as far as the plan cares."""

    persons: int
    children: int = 0
    single_woman: bool = False
    barrier_free: int = 0  # members who need a barrier-free place


def demand_shares(households: Iterable[Arrived]) -> dict[str, float]:
    """Shares of allocated persons who need a scarce kind of place: members of households with
    children (a family room), members needing a barrier-free place, single women (women-only
    places). 0 for every kind when there is no history."""
    persons = family = barrier_free = women = 0
    for household in households:
        persons += household.persons
        if household.children and household.persons > 1:
            family += household.persons
        barrier_free += min(household.barrier_free, household.persons)
        if household.single_woman and household.persons == 1:
            women += 1
    if persons == 0:
        return dict.fromkeys(KINDS, 0.0)
    return {
        "family": family / persons,
        "barrier_free": barrier_free / persons,
        "women_only": women / persons,
    }


# --- forecast distribution ---------------------------------------------------------------------


@dataclass(frozen=True)
class MonthForecast:
    """The forecast of one month: the median and the 80 % and 95 % bounds (persons)."""

    month: str
    mean: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float

    def knots(self) -> tuple[float, ...]:
        values = (self.lo95, self.lo80, self.mean, self.hi80, self.hi95)
        if any(not math.isfinite(v) or v < 0 for v in values) or list(values) != sorted(values):
            raise CapacityError(
                f"Prognose für {self.month}: die Grenzen müssen 0 ≤ lo95 ≤ lo80 ≤ Mittel ≤ "
                "hi80 ≤ hi95 erfüllen."
            )
        return tuple(math.log1p(v) for v in values)


def sample_arrivals(forecasts: Sequence[MonthForecast], z: FloatArray) -> FloatArray:
    """Arrivals for standard-normal draws ``z`` (runs × months) through each month's quantile
    function, piecewise linear in ``z`` on the log1p scale and extended beyond the outer knots
    with the outer segments' slopes."""
    knots_z = np.asarray(Z_KNOTS)
    out = np.empty_like(z)
    for h, month in enumerate(forecasts):
        logs = np.asarray(month.knots())
        column = np.interp(z[:, h], knots_z, logs)
        low_slope = (logs[1] - logs[0]) / (knots_z[1] - knots_z[0])
        high_slope = (logs[-1] - logs[-2]) / (knots_z[-1] - knots_z[-2])
        below = z[:, h] < knots_z[0]
        above = z[:, h] > knots_z[-1]
        column[below] = logs[0] + low_slope * (z[below, h] - knots_z[0])
        column[above] = logs[-1] + high_slope * (z[above, h] - knots_z[-1])
        out[:, h] = np.expm1(np.clip(column, 0.0, 30.0))
    return out


def correlated_normals(rng: np.random.Generator, runs: int, months: int, rho: float) -> FloatArray:
    """Standard normals per run whose consecutive months have correlation ``rho`` (AR(1))."""
    z = rng.standard_normal((runs, months))
    scale = math.sqrt(1.0 - rho * rho)
    for h in range(1, months):
        z[:, h] = rho * z[:, h - 1] + scale * z[:, h]
    return z


def error_correlation(errors: FloatArray) -> float | None:
    """Mean correlation of signed log forecast errors at consecutive horizons
    (``errors[origin, h-1]``, NaN where unobserved), kept in [0, 0.98]; None when fewer than 6
    pairs exist at every horizon."""
    values = []
    for h in range(errors.shape[1] - 1):
        pair = errors[:, h : h + 2]
        pair = pair[~np.isnan(pair).any(axis=1)]
        if len(pair) < 6 or np.std(pair[:, 0]) == 0 or np.std(pair[:, 1]) == 0:
            continue
        values.append(float(np.corrcoef(pair[:, 0], pair[:, 1])[0, 1]))
    if not values:
        return None
    return min(max(float(np.mean(values)), 0.0), 0.98)


# --- simulation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stock:
    """Occupancy today and capacity per simulated month of one kind of place (or all)."""

    occupancy: int
    capacity: Sequence[int]
    share: float = 1.0  # of housed arrivals who need this kind (1 for all places)


@dataclass(frozen=True)
class PlanInput:
    forecasts: Sequence[MonthForecast]
    total: Stock
    exit_rate: float
    housed_share: float
    kinds: Mapping[str, Stock] = field(default_factory=dict)
    #: Multiplies the forecast arrivals per month (a scenario: "arrivals × 2 from March").
    arrival_factor: Sequence[float] | None = None
    #: Extra persons per month on top of the forecast (e.g. a stream under §24 AufenthG).
    extra_arrivals: Sequence[float] | None = None
    correlation: float = DEFAULT_CORRELATION


@dataclass(frozen=True)
class MonthFigures:
    month: str
    capacity: int
    expected: float
    p10: float
    p50: float
    p90: float
    shortage: float  # probability that occupancy exceeds capacity

    def as_json(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "capacity": self.capacity,
            "expected": round(self.expected, 1),
            "p10": round(self.p10, 1),
            "p50": round(self.p50, 1),
            "p90": round(self.p90, 1),
            "shortage": round(self.shortage, 4),
        }


@dataclass(frozen=True)
class Simulation:
    months: tuple[str, ...]
    runs: int
    seed: int
    total: tuple[MonthFigures, ...]
    kinds: Mapping[str, tuple[MonthFigures, ...]]
    arrivals_expected: tuple[float, ...]
    #: Occupancy of every run (runs × months), for the reserve.
    samples: IntArray
    capacity: tuple[int, ...]

    @property
    def peak_shortage(self) -> float:
        return max((m.shortage for m in self.total), default=0.0)

    def as_json(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "seed": self.seed,
            "months": [
                {**m.as_json(), "arrivals_expected": round(a, 1)}
                for m, a in zip(self.total, self.arrivals_expected, strict=True)
            ],
            "kinds": {kind: [m.as_json() for m in rows] for kind, rows in self.kinds.items()},
        }


def _validate(plan: PlanInput, runs: int) -> int:
    months = len(plan.forecasts)
    if months == 0:
        raise CapacityError("Es gibt keine Prognosemonate zu simulieren.")
    if not 1 <= runs <= MAX_RUNS:
        raise CapacityError(f"Die Zahl der Läufe muss zwischen 1 und {MAX_RUNS} liegen.")
    if not 0.0 <= plan.exit_rate <= 1.0:
        raise CapacityError("Die Auszugswahrscheinlichkeit muss zwischen 0 und 1 liegen.")
    if not 0.0 <= plan.housed_share <= 1.0:
        raise CapacityError("Der Anteil der Untergebrachten muss zwischen 0 und 1 liegen.")
    if not -1.0 < plan.correlation < 1.0:
        raise CapacityError("Die Korrelation muss zwischen −1 und 1 liegen.")
    for name, stock in (("Plätze", plan.total), *plan.kinds.items()):
        if len(stock.capacity) != months:
            raise CapacityError(f"{name}: für jeden der {months} Monate eine Kapazität nötig.")
        if stock.occupancy < 0 or not 0.0 <= stock.share <= 1.0:
            raise CapacityError(f"{name}: Belegung ≥ 0 und Anteil zwischen 0 und 1 nötig.")
    for label, values in (("Faktor", plan.arrival_factor), ("Zusatz", plan.extra_arrivals)):
        if values is not None and (
            len(values) != months or any(not math.isfinite(v) or v < 0 for v in values)
        ):
            raise CapacityError(f"{label}: {months} Werte ≥ 0 nötig.")
    return months


def _figures(
    months: Sequence[str], occupancy: IntArray, capacity: Sequence[int]
) -> tuple[MonthFigures, ...]:
    q10, q50, q90 = np.percentile(occupancy, [10, 50, 90], axis=0)
    mean = occupancy.mean(axis=0)
    short = (occupancy > np.asarray(capacity)[None, :]).mean(axis=0)
    return tuple(
        MonthFigures(
            month=months[h],
            capacity=int(capacity[h]),
            expected=float(mean[h]),
            p10=float(q10[h]),
            p50=float(q50[h]),
            p90=float(q90[h]),
            shortage=float(short[h]),
        )
        for h in range(len(months))
    )


def simulate(plan: PlanInput, *, runs: int = 2000, seed: int = 0) -> Simulation:
    """Run the stock-flow model ``runs`` times; the same input and seed give the same result."""
    months = _validate(plan, runs)
    rng = np.random.default_rng(seed)
    z = correlated_normals(rng, runs, months, plan.correlation)
    arrivals = sample_arrivals(plan.forecasts, z)
    if plan.arrival_factor is not None:
        arrivals = arrivals * np.asarray(plan.arrival_factor)[None, :]
    if plan.extra_arrivals is not None:
        arrivals = arrivals + np.asarray(plan.extra_arrivals)[None, :]
    persons = np.rint(arrivals).astype(np.int64)
    housed = rng.binomial(persons, plan.housed_share)
    labels = tuple(m.month for m in plan.forecasts)

    def run(stock: Stock, incoming: IntArray) -> IntArray:
        occupancy = np.empty((runs, months), dtype=np.int64)
        current = np.full(runs, stock.occupancy, dtype=np.int64)
        for h in range(months):
            leaving = rng.binomial(current, plan.exit_rate)
            current = current - leaving + incoming[:, h]
            occupancy[:, h] = current
        return occupancy

    total = run(plan.total, housed)
    kinds = {
        kind: _figures(labels, run(stock, rng.binomial(housed, stock.share)), stock.capacity)
        for kind, stock in plan.kinds.items()
    }
    return Simulation(
        months=labels,
        runs=runs,
        seed=seed,
        total=_figures(labels, total, plan.total.capacity),
        kinds=kinds,
        arrivals_expected=tuple(float(v) for v in arrivals.mean(axis=0)),
        samples=total,
        capacity=tuple(int(c) for c in plan.total.capacity),
    )


# --- reserve -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reserve:
    """Places to hold beyond capacity so that the shortage probability stays at or below
    ``risk`` in every month, and how many of them stand empty on average (unreimbursed)."""

    risk: float
    places: int
    per_month: tuple[int, ...]
    empty_expected: tuple[float, ...]

    @property
    def empty_mean(self) -> float:
        return float(np.mean(self.empty_expected)) if self.empty_expected else 0.0


def reserve(simulation: Simulation, risk: float) -> Reserve:
    """The reserve for an accepted shortage probability ``risk`` (e.g. 0.05).

    Per month the places needed are the ``1 − risk`` quantile of the simulated occupancy minus
    capacity (never below 0); the reserve is the largest of them, held all year. Expected empty
    reserve places: the mean over runs of ``min(reserve, max(0, capacity + reserve −
    occupancy))``."""
    if not 0.0 < risk < 1.0:
        raise CapacityError("Das Risiko muss zwischen 0 und 1 liegen (z. B. 0,05 für 5 %).")
    occupancy = simulation.samples
    capacity = np.asarray(simulation.capacity)
    # "higher": a quantile that is an occupancy some run reached, so the check below holds.
    needed = np.percentile(occupancy, 100 * (1 - risk), axis=0, method="higher") - capacity
    per_month = tuple(int(max(0, math.ceil(v))) for v in needed)
    places = max(per_month, default=0)
    free = np.clip(capacity[None, :] + places - occupancy, 0, places)
    return Reserve(
        risk=risk,
        places=places,
        per_month=per_month,
        empty_expected=tuple(float(v) for v in free.mean(axis=0)),
    )
