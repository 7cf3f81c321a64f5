"""Look-ahead placement bench: a simulated year, myopic versus look-ahead versus hindsight.

Run: `.venv/bin/python bench/placement_lookahead.py [--seeds 5] [--households-per-week 3.0]
[--hindsight-seconds 60]`. For every seed it simulates the same 52 weekly batches with the
myopic solver and with look-ahead, and solves the year with all arrivals known in advance
(hindsight). Prints the objectives, each policy as a percentage of the hindsight bound (a proven
upper bound on any plan, so the percentage is on the safe side) and of the best hindsight plan
found, households lost (no place in their arrival week), and wall times.
Target (issue 6): look-ahead ≥ 95 % of hindsight and better than myopic.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ankommen.algorithms.placement_year import (
    YearConfig,
    compare,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--households-per-week", type=float, default=YearConfig.households_per_week)
    parser.add_argument("--hindsight-seconds", type=float, default=YearConfig.hindsight_seconds)
    parser.add_argument("--scenarios", type=int, default=YearConfig.scenarios)
    parser.add_argument("--announced-weeks", type=int, default=YearConfig.announced_weeks)
    args = parser.parse_args()
    config = replace(
        YearConfig(),
        households_per_week=args.households_per_week,
        hindsight_seconds=args.hindsight_seconds,
        scenarios=args.scenarios,
        announced_weeks=args.announced_weeks,
    )
    print(
        f"{'seed':>4} {'myopic':>8} {'look':>8} {'hindsight':>9} {'bound':>8} "
        f"{'my %':>6} {'look %':>6} {'look %plan':>10} {'lost my/la':>10} "
        f"{'s my':>5} {'s look':>6} {'s week max':>10} {'s hind':>6}"
    )
    mine, ahead, ahead_plan, slowest = [], [], [], 0.0
    started = time.perf_counter()
    for seed in range(args.seeds):
        c = compare(seed, config)
        plan = 100 * c.lookahead.value / c.hindsight.value
        mine.append(c.percent(c.myopic))
        ahead.append(c.percent(c.lookahead))
        ahead_plan.append(plan)
        slowest = max(slowest, c.lookahead.slowest_week)
        print(
            f"{seed:>4} {c.myopic.value:>8.0f} {c.lookahead.value:>8.0f} "
            f"{c.hindsight.value:>9.0f} {c.hindsight.bound:>8.0f} {mine[-1]:>6.2f} "
            f"{ahead[-1]:>6.2f} {plan:>10.2f} {c.myopic.lost:>4}/{c.lookahead.lost:<5} "
            f"{c.myopic.seconds:>5.1f} {c.lookahead.seconds:>6.1f} "
            f"{c.lookahead.slowest_week:>10.2f} {c.hindsight.seconds:>6.1f}",
            flush=True,
        )
    print(
        f"mean % of hindsight bound: myopic {statistics.mean(mine):.2f}, look-ahead "
        f"{statistics.mean(ahead):.2f} (worst seed {min(ahead):.2f}); look-ahead % of the best "
        f"hindsight plan {statistics.mean(ahead_plan):.2f}; look-ahead better than myopic in "
        f"{sum(a > m for a, m in zip(ahead, mine, strict=True))} of {len(mine)} seeds; slowest "
        f"look-ahead week {slowest:.2f} s; total {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
