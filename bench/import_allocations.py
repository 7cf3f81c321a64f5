"""Allocation import bench: the whole `ankommen import-allocations` command on 10,000 rows.

Run: `.venv/bin/python bench/import_allocations.py [--rows 10000] [--postgres URL | --no-postgres]`.
For SQLite (a fresh file) and PostgreSQL (a fresh database, dropped and created), it migrates,
creates a county, then times the command (process start to exit) on a generated CSV file, on a
generated XLSX file (other persons), and on the CSV file again (a repeat: nothing changes).
Target (issue 5): 10,000 rows in under 10 s. Wall time depends on what else runs on the
machine, so the command's own CPU time (user + system) and the load average are printed too;
on PostgreSQL the server's work is not in the CPU figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ankommen.algorithms.allocation_lists import parse_allocation_list
from ankommen.algorithms.allocation_samples import sample_rows, to_csv, to_xlsx

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/ankommen_bench_allocations"


def fresh_postgres(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(
    env: dict[str, str], *args: str
) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Run a command; return its wall time, its CPU time (user + system) and the result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def bench(label: str, database_url: str, files: list[tuple[str, Path]]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DATABASE_URL": database_url}
    _, _, done = manage(env, "migrate", "--verbosity", "0")
    if done.returncode:
        sys.exit(done.stderr)
    manage(
        env,
        "shell",
        "-c",
        "from ankommen.core.models import County; County.objects.create(slug='bench', "
        "name='Benchkreis', official_key='99998', state='Brandenburg')",
    )
    for what, path in files:
        seconds, cpu, done = manage(
            env, "import-allocations", str(path), "--county", "bench", "--format", "json"
        )
        if done.returncode:
            sys.exit(f"{label} {what}: exit {done.returncode}\n{done.stdout[:2000]}{done.stderr}")
        result = json.loads(done.stdout)
        print(
            f"{label:<10} {what:<10} wall {seconds:6.2f} s  cpu {cpu:6.2f} s  "
            f"load {os.getloadavg()[0]:4.1f}  status={result['status']:<16} "
            f"persons={result['persons_created']:>6} households={result['households_created']:>5} "
            f"tasks={result['tasks_created']:>6}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-allocations-"))
    csv_path = folder / "zuweisungen.csv"
    xlsx_path = folder / "zuweisungen.xlsx"
    csv_path.write_bytes(to_csv(sample_rows(args.rows, seed=1)))
    xlsx_path.write_bytes(to_xlsx(sample_rows(args.rows, seed=2)))
    for path in (csv_path, xlsx_path):
        started = time.perf_counter()
        parsed = parse_allocation_list(path.read_bytes(), today=time_today())
        print(
            f"parse only {path.suffix:<14} {time.perf_counter() - started:8.2f} s  "
            f"rows={len(parsed.rows)} errors={len(parsed.errors)} "
            f"size={path.stat().st_size // 1024} KiB"
        )
    files = [("CSV", csv_path), ("XLSX", xlsx_path), ("CSV repeat", csv_path)]
    bench("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}", files)
    if not args.no_postgres:
        fresh_postgres(args.postgres)
        bench("PostgreSQL", args.postgres, files)


def time_today():  # type: ignore[no-untyped-def]
    from datetime import date

    return date.today()


if __name__ == "__main__":
    main()
