"""Forecast bench: every single model and the combination on real monthly series.

Run: `.venv/bin/python bench/forecast.py [--data DIR] [--horizon 6] [--runs 3] [--compare]`
(`--compare` adds the alternative combinations and interval calibrations the method was
chosen among; `--end-offset N` drops the last N months of every series, to back-test an earlier
window).

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

from ankommen.algorithms.forecast import (
    COMBINED,
    MIN_CAL,
    MODELS,
    Backtest,
    backtest,
    conformal_quantile,
)

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


# Alternatives the method was chosen among (docs/planning.md): combinations of the single
# models' log forecasts, and ways to calibrate the intervals.
COMBINATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "mean of ses, ets, theta, arima (chosen)": ("mean", COMBINED),
    "median of ses, ets, theta, arima": ("median", COMBINED),
    "median of naive, drift, ets, theta, arima": (
        "median",
        ("naive", "drift", "ets_damped", "theta", "arima"),
    ),
    "median of all six": ("median", MODELS),
    "mean of all six": ("mean", MODELS),
    "mean of naive, ses, ets, theta, arima": ("mean", ("naive", *COMBINED)),
    "mean of ets, theta, arima": ("mean", ("ets_damped", "theta", "arima")),
}
# (label, volatility months or 0 for plain absolute errors, window, floor, width cap)
CALIBRATIONS: list[tuple[str, int, int, float, float]] = [
    ("normalised 3 m, floor 0.25, cap 1.5 (chosen)", 3, 36, 0.25, 1.5),
    ("normalised 3 m, floor 0.25, no cap", 3, 36, 0.25, math.inf),
    ("normalised 3 m, floor 0.5, cap 1.5", 3, 36, 0.5, 1.5),
    ("normalised 6 m, floor 0.25, cap 1.5", 6, 36, 0.25, 1.5),
    ("plain absolute log errors, window 36", 0, 36, 0.0, math.inf),
    ("plain absolute log errors, window 24", 0, 24, 0.0, math.inf),
]


def compare_combinations(name: str, results: list[Backtest]) -> None:
    print(f"\n### Combinations, {name}: MASE relative to naive (mean over series, horizons 1–6)\n")
    print("| combination | MASE | vs naive | vs best single |")
    print("|---|---|---|---|")
    naive = np.mean([r.mase("naive") for r in results])
    best = min(np.mean([r.mase(m) for r in results]) for m in MODELS)
    for label, (how, members) in COMBINATIONS.items():
        stack = [np.stack([r.forecasts[m] for m in members]) for r in results]
        logs = [np.median(a, axis=0) if how == "median" else np.mean(a, axis=0) for a in stack]
        value = float(np.mean([r.mase_of(x) for r, x in zip(results, logs, strict=True)]))
        print(f"| {label} | {value:.3f} | {value / naive:.3f} | {value / best:.3f} |")


def _volatility(log_y: np.ndarray, origin: int, months: int, floor: float) -> float:
    changes = np.abs(np.diff(log_y[:origin]))
    long_run = float(np.mean(changes))
    recent = float(np.mean(changes[-months:]))
    return max(min(recent, 4 * long_run), floor * long_run, 1e-6)


def calibrated(result: Backtest, months: int, window: int, floor: float, cap: float) -> dict:
    """Sequential coverage and mean interval score (log scale, Gneiting & Raftery 2007) of the
    combination's intervals under another calibration, from the stored back-test errors."""
    log_y = np.log1p(result.values)
    scale = [
        _volatility(log_y, origin, months, floor) if months else 1.0 for origin in result.origins
    ]
    out: dict[float, list[tuple[bool, float]]] = {0.80: [], 0.95: []}
    for i, h in result.scored_cells():
        origin = result.origins[i]
        rows = [j for j, o in enumerate(result.origins) if o + h <= origin][-window:]
        if len(rows) < MIN_CAL:
            continue
        errors = result.error[rows, h - 1]
        scores = errors / np.array([scale[j] for j in rows])
        error = result.error[i, h - 1]
        for level in out:
            width = min(conformal_quantile(scores, level) * scale[i], cap * float(errors.max()))
            penalty = 2 / (1 - level) * max(0.0, error - width)
            out[level].append((error <= width + 1e-9, 2 * width + penalty))
    return {
        level: (np.mean([c for c, _ in v]), np.mean([s for _, s in v])) for level, v in out.items()
    }


def compare_calibrations(name: str, results: list[Backtest]) -> None:
    print(f"\n### Interval calibrations, {name} (coverage; mean interval score, log scale)\n")
    print("| calibration | cover 80 % | cover 95 % | score 80 % | score 95 % |")
    print("|---|---|---|---|---|")
    for label, months, window, floor, cap in CALIBRATIONS:
        per_series = [calibrated(r, months, window, floor, cap) for r in results]
        c80, s80 = np.mean([p[0.80] for p in per_series], axis=0)
        c95, s95 = np.mean([p[0.95] for p in per_series], axis=0)
        print(f"| {label} | {c80:.3f} | {c95:.3f} | {s80:.3f} | {s95:.3f} |")


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
    parser.add_argument("--compare", action="store_true", help="also the alternatives")
    parser.add_argument(
        "--end-offset",
        type=int,
        default=0,
        help="drop the last N months of every series (back-test an earlier window)",
    )
    args = parser.parse_args()
    selection = {
        **national(args.data),
        **per_country(args.data, FIRST_TIME, "first-time"),
        **per_country(args.data, FOLLOW_UP, "follow-up"),
    }
    held_out = per_country(args.data, DECISIONS, "decisions")
    if args.end_offset:
        selection = {k: v[: -args.end_offset] for k, v in selection.items()}
        held_out = {k: v[: -args.end_offset] for k, v in held_out.items()}
        print(f"Series end {args.end_offset} months early.")
    results = run_backtests({**selection, **held_out}, args.horizon)
    chosen = [results[name] for name in selection]
    unseen = [results[name] for name in held_out]
    evaluate("Selection set (method chosen on these)", chosen, args.horizon)
    evaluate("Held-out set (per-country decisions)", unseen, args.horizon)
    evaluate("All series", chosen + unseen, args.horizon)
    if args.compare:
        for name, subset in (("selection", chosen), ("held-out", unseen)):
            compare_combinations(name, subset)
            compare_calibrations(name, subset)
    if args.runs:
        timing(args.runs)


if __name__ == "__main__":
    main()
