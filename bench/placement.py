"""Placement bench: the whole `ankommen place` command on generated instances.

Run: `.venv/bin/python bench/placement.py [--seeds 5] [--households 2000] [--facilities 60]
[--rooms 1500]`. Prints, per instance, the wall time of the whole command (process start to
exit), the objective, HiGHS's proven bound and the gap, for several levels of bed scarcity.
Target (issue 5): within 0.5 % of the optimum in under 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ankommen.algorithms.placement_samples import random_instance


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--facilities", type=int, default=60)
    parser.add_argument("--rooms", type=int, default=1500)
    parser.add_argument("--scarcity", type=float, nargs="+", default=[0.5, 0.6, 0.8, 1.0])
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    print(
        f"{'seed':>4} {'beds/person':>11} {'seconds':>8} {'objective':>10} {'bound':>10} "
        f"{'gap %':>7} {'placed':>6} {'status':>8}"
    )
    worst_gap = worst_time = 0.0
    for seed in range(args.seeds):
        for scarcity in args.scarcity:
            data = random_instance(
                seed,
                households=args.households,
                facilities=args.facilities,
                rooms=args.rooms,
                beds_per_person=scarcity,
            )
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
                json.dump(data, handle)
            started = time.perf_counter()
            completed = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "place",
                    "--instance",
                    handle.name,
                    "--format",
                    "json",
                ],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            seconds = time.perf_counter() - started
            os.unlink(handle.name)
            result = json.loads(completed.stdout)
            gap = 100 * (result["bound"] - result["objective"]) / max(result["bound"], 1)
            worst_gap, worst_time = max(worst_gap, gap), max(worst_time, seconds)
            print(
                f"{seed:>4} {scarcity:>11.1f} {seconds:>8.2f} {result['objective']:>10} "
                f"{result['bound']:>10} {gap:>7.3f} {len(result['placements']):>6} "
                f"{result['status']:>8}"
            )
    print(f"worst gap {worst_gap:.3f} %, worst wall time {worst_time:.2f} s")


if __name__ == "__main__":
    main()
