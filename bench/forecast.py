"""Forecast bench: every single model and the combination on real monthly series.

Run: `.venv/bin/python bench/forecast.py [--data DIR] [--horizon 6] [--runs 3]`.

Series (each treated as unseen: the method has no per-series settings), from the BAMF
Asylgeschäftsstatistik in shared/data (README there):
* "selection": the national monthly totals (first-time, all, follow-up applications, decisions,
  pending cases) and, per country of origin present in all 83 months with at least 3,000
  applications, first-time and follow-up applications — the series the method was chosen on;
* "held-out": per country of origin, the monthly decisions — not looked at while choosing.

For each series the back-test of `ankommen forecast` is run (same code, same origins) and the
bench prints, per horizon 1–6 and averaged over the series, the MASE of every single model and
of the combination, the combination's MASE relative to naive, and the coverage of the 80 % and
95 % intervals. Last, it times the whole `ankommen forecast` command (process start to exit) on a
generated 120-month series. Targets (issue 6): combination no worse than the best single model
and ≥ 5 % below naive; coverage 75–85 % and 90–98 %; under 5 s.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np

from ankommen.algorithms.forecast import MODELS, Backtest, backtest

# shared/ lies beside the checkout (main, CI) or two levels up (a helper's worktree).
DEFAULT_DATA = next(
    (
        base / "shared" / "data" / "bamf_asylgeschaeftsstatistik_monthly"
        for base in (ROOT.parent, ROOT.parent.parent)
        if (base / "shared" / "data").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "bamf_asylgeschaeftsstatistik_monthly",
)
NATIONAL = (
    "first_time_applications",
    "applications_total",
    "follow_up_applications",
    "decisions_total",
    "pending_from_first_applications",
)
# Columns of the monthly per-country files (0-based).
FIRST_TIME, FOLLOW_UP, DECISIONS = 4, 5, 6
CATCH_ALL = ("sonst", "Ungeklaert", "Staatenlos")


def national(data: Path) -> dict[str, list[float]]:
    with (data / "derived_germany_monthly_totals.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {f"DE {col}": [float(row[col]) for row in rows] for col in NATIONAL}


def per_country(data: Path, column: int, label: str, min_total: float = 3000) -> dict:
    files = sorted(data.glob("2*.csv"))
    counts: dict[str, dict[int, float]] = defaultdict(dict)
    for index, path in enumerate(files):
        with path.open(encoding="utf-8") as handle:
            for row in list(csv.reader(handle))[1:]:
                value = float(row[column] or 0)
                counts[row[1]][index] = counts[row[1]].get(index, 0.0) + value
    return {
        f"{label} {country}": [months[i] for i in range(len(files))]
        for country, months in sorted(counts.items())
        if len(months) == len(files)
        and sum(months.values()) >= min_total
        and not country.startswith(CATCH_ALL)
    }


def run_backtests(series: dict[str, list[float]], horizon: int) -> dict[str, Backtest]:
    started = time.perf_counter()
    results = {name: backtest(values, horizon) for name, values in series.items()}
    seconds = time.perf_counter() - started
    print(f"{len(series)} back-tests in {seconds:.1f} s ({seconds / len(series):.2f} s each)")
    return results


def evaluate(name: str, results: list[Backtest], horizon: int) -> dict[str, float]:
    mase: dict[tuple[str, int], list[float]] = defaultdict(list)
    cover: dict[tuple[float, int], list[float]] = defaultdict(list)
    for result in results:
        for h in range(1, horizon + 1):
            for model in (*MODELS, "combined"):
                value = result.mase(model, h)
                if value is not None:
                    mase[model, h].append(value)
            for level in (0.80, 0.95):
                value = result.coverage(level, h)
                if value is not None:
                    cover[level, h].append(value)
    print(f"\n## {name}: {len(results)} series\n")
    header = f"| {'model':<12} | " + " | ".join(f"h={h}" for h in range(1, horizon + 1))
    print(header + " | mean |")
    print("|" + "---|" * (horizon + 2))
    means: dict[str, float] = {}
    for model in (*MODELS, "combined"):
        per_h = [float(np.mean(mase[model, h])) for h in range(1, horizon + 1)]
        means[model] = float(np.mean(per_h))
        cells = " | ".join(f"{v:.3f}" for v in per_h)
        print(f"| {model:<12} | {cells} | {means[model]:.3f} |")
    ratio = [
        float(np.mean(mase["combined", h]) / np.mean(mase["naive", h]))
        for h in range(1, horizon + 1)
    ]
    print(
        f"| {'comb/naive':<12} | "
        + " | ".join(f"{v:.3f}" for v in ratio)
        + f" | {means['combined'] / means['naive']:.3f} |"
    )
    coverage = {}
    for level in (0.80, 0.95):
        per_h = [float(np.mean(cover[level, h])) for h in range(1, horizon + 1)]
        coverage[level] = float(np.mean(per_h))
        label = f"cover {level:.0%}"
        print(
            f"| {label:<12} | "
            + " | ".join(f"{v:.3f}" for v in per_h)
            + f" | {coverage[level]:.3f} |"
        )
    best = min((m for m in MODELS), key=lambda m: means[m])
    print(
        f"\ncombination {means['combined']:.3f} vs best single ({best}) {means[best]:.3f}; "
        f"{100 * (1 - means['combined'] / means['naive']):.1f} % below naive; "
        f"coverage {coverage[0.80]:.3f} (80 %), {coverage[0.95]:.3f} (95 %)"
    )
    return means


def timing(runs: int) -> None:
    rng = random.Random(2024)
    level, rows = 7.0, ["month,value"]
    for i in range(120):
        level += rng.gauss(0, 0.12)
        seasonal = 0.15 * math.sin(2 * math.pi * i / 12)
        rows.append(f"{2012 + i // 12}-{i % 12 + 1:02d},{round(math.exp(level + seasonal))}")
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
        handle.write("\n".join(rows) + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, str(ROOT / "manage.py"), "forecast", "--series", handle.name]
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [*command, "--horizon", "6", "--format", "json"],
            check=True,
            capture_output=True,
            env=env,
        )
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    os.unlink(handle.name)
    load = os.getloadavg()[0]
    print(
        f"\n`ankommen forecast --horizon 6` on a 120-month series, whole command "
        f"(load average {load:.1f} on {os.cpu_count()} cores): wall "
        f"{', '.join(f'{w:.2f}' for w in walls)} s (max {max(walls):.2f} s); CPU "
        f"{', '.join(f'{c:.2f}' for c in cpus)} s (max {max(cpus):.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--horizon", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3, help="timed CLI runs")
    args = parser.parse_args()
    selection = {
        **national(args.data),
        **per_country(args.data, FIRST_TIME, "first-time"),
        **per_country(args.data, FOLLOW_UP, "follow-up"),
    }
    held_out = per_country(args.data, DECISIONS, "decisions")
    results = run_backtests({**selection, **held_out}, args.horizon)
    chosen = [results[name] for name in selection]
    unseen = [results[name] for name in held_out]
    evaluate("Selection set (method chosen on these)", chosen, args.horizon)
    evaluate("Held-out set (per-country decisions)", unseen, args.horizon)
    evaluate("All series", chosen + unseen, args.horizon)
    if args.runs:
        timing(args.runs)


if __name__ == "__main__":
    main()
