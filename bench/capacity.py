"""Capacity plan (issue 6, part 2): how long the simulation takes, and how stable its figures are.

    .venv/bin/python bench/capacity.py [--county oder-spree]

Part 1 (no database): the stock-flow simulation of a county of 1,000 occupants with three
scarce kinds, 12 months, for 500 … 20,000 runs: wall time, and the spread of the last month's
shortage probability over 10 seeds (its Monte-Carlo error). Part 2 (with ``--county``, on the
database in DATABASE_URL or var/ankommen.sqlite3): the whole plan of a county, baseline and each
scenario, as the page computes it: the forecast with its back-test (first call, then cached),
the inputs read from the database and the simulation.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ankommen.algorithms.capacity import MonthForecast, PlanInput, Stock, simulate

MONTHS = [f"2027-{m:02d}" for m in range(1, 13)]


def _plan() -> PlanInput:
    forecasts = [MonthForecast(m, 40, 28, 57, 20, 80) for m in MONTHS]
    return PlanInput(
        forecasts=forecasts,
        total=Stock(1000, [1200] * 12),
        exit_rate=0.03,
        housed_share=0.8,
        kinds={
            "family": Stock(600, [700] * 12, 0.6),
            "barrier_free": Stock(60, [70] * 12, 0.04),
            "women_only": Stock(40, [48] * 12, 0.05),
        },
        correlation=0.8,
    )


def simulation() -> None:
    plan = _plan()
    print("runs     ms (median of 5)   P(shortage) month 12: mean ± sd over 10 seeds")
    for runs in (500, 2000, 5000, 20000):
        times = []
        for seed in range(5):
            start = time.perf_counter()
            simulate(plan, runs=runs, seed=seed)
            times.append((time.perf_counter() - start) * 1000)
        shortages = [simulate(plan, runs=runs, seed=s).total[-1].shortage for s in range(10)]
        print(
            f"{runs:>6} {statistics.median(times):>10.1f}      "
            f"{statistics.mean(shortages):.3f} ± {statistics.stdev(shortages):.3f}"
        )


def county(slug: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankommen.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django_scopes import scopes_disabled

    from ankommen.core.models import County
    from ankommen.planning import plan

    with scopes_disabled():
        place = County.objects.get(slug=slug)
        cache.clear()
        for label in ("first (forecast computed)", "second (forecast cached)"):
            start = time.perf_counter()
            base = plan.baseline(place)
            middle = time.perf_counter()
            results = [plan.run_plan(base)]
            results += [plan.run_plan(base, s) for s in plan.scenarios_of(place)]
            end = time.perf_counter()
            print(
                f"{slug} {label}: baseline {middle - start:.2f} s, "
                f"{len(results)} simulations {end - middle:.2f} s"
            )
        bt = base.forecast.backtest
        print(
            f"series {len(base.forecast.history)} months; back-test MASE {bt.get('mase')} "
            f"(naive {bt.get('mase_naive')}), coverage 80 % {bt.get('coverage80')}, "
            f"95 % {bt.get('coverage95')}; exit rate {base.exits.total:.4f}/month "
            f"({dict(base.exits.exits)} over {base.exits.person_months:.0f} person-months); "
            f"housed share {base.housed_share:.2f}"
        )
        for result in results:
            print(
                f"  {result.title}: peak shortage {result.simulation.peak_shortage:.3f}, "
                f"reserve at 5 % {result.reserve.reserve.places} places"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", help="also time the whole plan of this county")
    args = parser.parse_args()
    simulation()
    if args.county:
        county(args.county)


if __name__ == "__main__":
    main()
