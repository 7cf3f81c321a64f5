"""The capacity plan of a county: the baseline and scenarios, simulated, with the reserve.

:func:`baseline` reads everything the plan needs (counts only) and forecasts the county's own
allocations for the next :data:`HORIZON` months with ``algorithms.forecast`` (the slow part,
cached per county, day and series). :func:`run_plan` turns the baseline and the changes of a
scenario into the simulation input, runs ``algorithms.capacity`` and prices the reserve.
Access is checked by the callers (views, API, command) through :func:`require_planner`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from ankommen.algorithms import capacity as cap
from ankommen.algorithms.forecast import (
    METHOD,
    SeriesError,
    forecast,
    min_months,
    month_label,
)
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County
from ankommen.planning import inputs
from ankommen.planning.models import CapacityChange, PlaceCost, Scenario
from ankommen.planning.selectors_intake import month_index
from ankommen.planning.series import county_allocations

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import User

HORIZON = 12
DEFAULT_RUNS = 2000
DEFAULT_SEED = 2026
DEFAULT_RISK = 0.05
RISKS = (0.01, 0.05, 0.10, 0.20)
FORECAST_CACHE_SECONDS = 6 * 3600
#: Months the fallback forecast looks back on when the series is too short to back-test.
FALLBACK_MONTHS = 24
FALLBACK_METHOD = (
    "Ersatz (Reihe zu kurz für Prognose und Back-Test): Median der letzten 12 Monate, "
    "Grenzen aus den Monatswerten der letzten 24 Monate"
)


def require_planner(actor: User | AnonymousUser | None, county: County) -> None:
    access.require(actor, Action.PLAN_CAPACITY, county)


def counties_for(actor: User | AnonymousUser | None) -> list[County]:
    return sorted(access.counties_for(actor, Action.PLAN_CAPACITY), key=lambda county: county.name)


# --- forecast ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastPart:
    """The allocation forecast for the plan and how good it has been (issue 6, section 1)."""

    method: str
    backtested: bool
    months: tuple[cap.MonthForecast, ...]
    naive: tuple[float, ...]
    backtest: dict[str, Any]  # origins, mase, mase_naive, coverage80, coverage95
    correlation: float
    history: tuple[tuple[str, float], ...]  # the series: (month, persons)


def _fallback(values: Sequence[float], start: int) -> tuple[cap.MonthForecast, ...]:
    recent = list(values[-FALLBACK_MONTHS:]) or [0.0]
    median = float(np.median(recent[-12:]))
    lo95, lo80, hi80, hi95 = (float(v) for v in np.percentile(recent, [2.5, 10, 90, 97.5]))
    lo80, lo95 = min(lo80, median), min(lo95, lo80, median)
    hi80 = max(hi80, median)
    hi95 = max(hi95, hi80)
    return tuple(
        cap.MonthForecast(month_label(start + h), median, lo80, hi80, lo95, hi95)
        for h in range(HORIZON)
    )


def forecast_part(county: County, today: date) -> ForecastPart:
    """The forecast of the county's own allocations for the :data:`HORIZON` months from the
    current one, cached while the series stays the same."""
    series = county_allocations(county, today=today)
    digest = hashlib.sha256(repr((series.start, series.values)).encode()).hexdigest()[:16]
    key = f"planning:forecast:{county.pk}:{today.isoformat()}:{digest}"
    cached: ForecastPart | None = cache.get(key)
    if cached is not None:
        return cached
    history = tuple(zip(series.months, series.values, strict=True))
    first = month_index(today)
    part: ForecastPart
    if len(series.values) >= min_months(HORIZON):
        try:
            result = forecast(series, HORIZON)
        except SeriesError:  # pragma: no cover - the length was checked
            result = None
    else:
        result = None
    if result is not None:
        data = result.as_json()
        log_y = np.log1p(result.backtest.values)
        bt = result.backtest
        signed = np.full(bt.combined.shape, np.nan)
        for i, origin in enumerate(bt.origins):
            steps = min(bt.horizon, len(log_y) - origin)
            signed[i, :steps] = log_y[origin : origin + steps] - bt.combined[i, :steps]
        correlation = cap.error_correlation(signed)
        # The forecast starts after the last complete month, i.e. with the current month.
        months = tuple(
            cap.MonthForecast(m.month, m.mean, m.lo80, m.hi80, m.lo95, m.hi95)
            for m in result.months
        )
        part = ForecastPart(
            method=METHOD,
            backtested=True,
            months=months,
            naive=result.naive,
            backtest=data["backtest"],
            correlation=cap.DEFAULT_CORRELATION if correlation is None else correlation,
            history=history,
        )
    else:
        months = _fallback(series.values, first)
        part = ForecastPart(
            method=FALLBACK_METHOD,
            backtested=False,
            months=months,
            naive=tuple(series.values[-1:] * HORIZON) if series.values else (0.0,) * HORIZON,
            backtest={},
            correlation=cap.DEFAULT_CORRELATION,
            history=history,
        )
    cache.set(key, part, FORECAST_CACHE_SECONDS)
    return part


# --- baseline ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    county: County
    today: date
    forecast: ForecastPart
    places: inputs.Places
    exits: cap.ExitRates
    housed_share: float
    allocated_last_year: int
    moved_in_last_year: int
    shares: dict[str, float]
    shares_persons: int
    planned: tuple[CapacityChange, ...]
    cost_per_place: PlaceCost | None
    site_costs: tuple[PlaceCost, ...]

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(m.month for m in self.forecast.months)


def place_costs(county: County, today: date) -> tuple[PlaceCost | None, tuple[PlaceCost, ...]]:
    rows = PlaceCost.objects.filter(county=county, valid_from__lte=today).select_related("site")
    latest: dict[int | None, PlaceCost] = {}
    for row in rows.order_by("valid_from", "pk"):
        latest[row.site_id] = row
    default = latest.pop(None, None)
    return default, tuple(sorted(latest.values(), key=lambda r: r.site.name if r.site else ""))


def baseline(county: County, *, today: date | None = None) -> Baseline:
    today = today or timezone.localdate()
    share, allocated, moved_in = inputs.housed_share(county, today)
    shares, shares_persons = inputs.demand_history(county, today)
    default, site_costs = place_costs(county, today)
    return Baseline(
        county=county,
        today=today,
        forecast=forecast_part(county, today),
        places=inputs.places_today(county, today),
        exits=inputs.exit_rates(county, today),
        housed_share=share,
        allocated_last_year=allocated,
        moved_in_last_year=moved_in,
        shares=shares,
        shares_persons=shares_persons,
        planned=tuple(
            CapacityChange.objects.filter(county=county, scenario__isnull=True).select_related(
                "site"
            )
        ),
        cost_per_place=default,
        site_costs=site_costs,
    )


# --- scenario → simulation input ---------------------------------------------------------


def _month_start(label: str) -> date:
    year, month = label.split("-")
    return date(int(year), int(month), 1)


def plan_input(base: Baseline, changes: Iterable[CapacityChange]) -> cap.PlanInput:
    """The simulation input of the baseline with ``changes`` (planned and scenario) applied."""
    months = [_month_start(label) for label in base.months]
    horizon = len(months)
    total = [base.places.total.usable] * horizon
    kinds = {kind: [base.places.kinds[kind].usable] * horizon for kind in cap.KINDS}
    factor = [1.0] * horizon
    extra = [0.0] * horizon
    for change in changes:
        start = change.month.replace(day=1)
        active = [h for h, month in enumerate(months) if month >= start]
        if change.kind == CapacityChange.Kind.ARRIVALS_FACTOR:
            for h in active:
                factor[h] *= float(change.factor)
        elif change.kind == CapacityChange.Kind.EXTRA_STREAM:
            per_month = change.persons / max(1, change.spread_months)
            for h in active[: change.spread_months]:
                extra[h] += per_month
        elif change.kind == CapacityChange.Kind.OPEN_SITE:
            added = {
                "family": change.family_places,
                "barrier_free": change.barrier_free_places,
                "women_only": change.women_only_places,
            }
            for h in active:
                total[h] += change.places
                for kind, places in added.items():
                    kinds[kind][h] += min(places, change.places)
        elif change.kind == CapacityChange.Kind.CLOSE_SITE and change.site_id is not None:
            beds = base.places.sites.get(change.site_id, inputs.SiteBeds())
            for h in active:
                total[h] -= beds.usable
                for kind in cap.KINDS:
                    kinds[kind][h] -= beds.kinds[kind]
    return cap.PlanInput(
        forecasts=base.forecast.months,
        total=cap.Stock(base.places.total.occupied, [max(0, c) for c in total]),
        exit_rate=base.exits.total,
        housed_share=base.housed_share,
        kinds={
            kind: cap.Stock(
                base.places.kinds[kind].occupied,
                [max(0, c) for c in kinds[kind]],
                share=base.shares[kind],
            )
            for kind in cap.KINDS
        },
        arrival_factor=factor,
        extra_arrivals=extra,
        correlation=base.forecast.correlation,
    )


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReserveCost:
    reserve: cap.Reserve
    cost_per_place: Decimal | None
    monthly_cost: Decimal | None  # the whole reserve, per month
    monthly_unreimbursed: Decimal | None  # its empty places on average, per month


@dataclass(frozen=True)
class PlanResult:
    baseline: Baseline
    scenario: Scenario | None
    changes: tuple[CapacityChange, ...]
    simulation: cap.Simulation
    reserve: ReserveCost

    @property
    def title(self) -> str:
        return self.scenario.name if self.scenario else "Basis"

    def as_json(self) -> dict[str, Any]:
        base = self.baseline
        reserve = self.reserve
        return {
            "county": base.county.slug,
            "day": base.today.isoformat(),
            "scenario": None
            if self.scenario is None
            else {"id": self.scenario.pk, "name": self.scenario.name},
            "forecast": {
                "method": base.forecast.method,
                "backtested": base.forecast.backtested,
                "months": [
                    {
                        "month": m.month,
                        "mean": m.mean,
                        "lo80": m.lo80,
                        "hi80": m.hi80,
                        "lo95": m.lo95,
                        "hi95": m.hi95,
                    }
                    for m in base.forecast.months
                ],
                "backtest": base.forecast.backtest,
                "error_correlation": round(base.forecast.correlation, 3),
            },
            "inputs": {
                "occupied": base.places.total.occupied,
                "usable": base.places.total.usable,
                "reserved_beds": base.places.reserved,
                "closed_beds": base.places.closed,
                "exit_rate": round(base.exits.total, 4),
                "exit_rates": {k: round(v, 4) for k, v in base.exits.by_reason.items()},
                "exits_last_year": dict(base.exits.exits),
                "person_months": round(base.exits.person_months, 1),
                "housed_share": round(base.housed_share, 3),
                "demand_shares": {k: round(v, 3) for k, v in base.shares.items()},
                "kinds": {
                    kind: {"occupied": count.occupied, "usable": count.usable}
                    for kind, count in base.places.kinds.items()
                },
            },
            "changes": [change_json(change) for change in self.changes],
            "simulation": self.simulation.as_json(),
            "reserve": {
                "risk": reserve.reserve.risk,
                "places": reserve.reserve.places,
                "per_month": list(reserve.reserve.per_month),
                "empty_expected": [round(v, 1) for v in reserve.reserve.empty_expected],
                "cost_per_place": _money(reserve.cost_per_place),
                "monthly_cost": _money(reserve.monthly_cost),
                "monthly_unreimbursed": _money(reserve.monthly_unreimbursed),
            },
        }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def change_json(change: CapacityChange) -> dict[str, Any]:
    return {
        "id": change.pk,
        "kind": change.kind,
        "month": change.month.strftime("%Y-%m"),
        "places": change.places,
        "family_places": change.family_places,
        "barrier_free_places": change.barrier_free_places,
        "women_only_places": change.women_only_places,
        "site": change.site_id,
        "factor": f"{change.factor:.2f}",
        "persons": change.persons,
        "spread_months": change.spread_months,
        "note": change.note,
        "planned": change.scenario_id is None,
    }


def _reserve_cost(base: Baseline, simulation: cap.Simulation, risk: float) -> ReserveCost:
    reserve = cap.reserve(simulation, risk)
    per_place = base.cost_per_place.monthly_per_place if base.cost_per_place else None
    if per_place is None and base.site_costs:
        values = [row.monthly_per_place for row in base.site_costs]
        per_place = (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))
    if per_place is None:
        return ReserveCost(reserve, None, None, None)
    empty = Decimal(str(round(reserve.empty_mean, 2)))
    return ReserveCost(
        reserve,
        per_place,
        (per_place * reserve.places).quantize(Decimal("0.01")),
        (per_place * empty).quantize(Decimal("0.01")),
    )


def scenario_changes(base: Baseline, scenario: Scenario | None) -> tuple[CapacityChange, ...]:
    if scenario is None:
        return base.planned
    extra = CapacityChange.objects.filter(scenario=scenario).select_related("site")
    return (*base.planned, *extra)


def run_plan(
    base: Baseline,
    scenario: Scenario | None = None,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
    risk: float = DEFAULT_RISK,
) -> PlanResult:
    """Simulate the baseline (``scenario`` None) or a scenario; raises ``CapacityError``."""
    changes = scenario_changes(base, scenario)
    simulation = cap.simulate(plan_input(base, changes), runs=runs, seed=seed)
    return PlanResult(base, scenario, changes, simulation, _reserve_cost(base, simulation, risk))


def scenarios_of(county: County) -> list[Scenario]:
    return list(Scenario.objects.filter(county=county).prefetch_related("changes"))


def scenario_for(actor: User | AnonymousUser | None, pk: int) -> Scenario:
    """A scenario in a county where the actor plans; ``Scenario.DoesNotExist`` otherwise."""
    counties = [county.pk for county in counties_for(actor)]
    return Scenario.objects.select_related("county").get(Q(pk=pk), Q(county_id__in=counties))


def shortage_month(result: PlanResult) -> str | None:
    """The first month whose shortage probability reaches 50 %, if any."""
    for month in result.simulation.total:
        if month.shortage >= 0.5:
            return month.month
    return None


def percent(value: float) -> int:
    return math.floor(value * 100 + 0.5)
