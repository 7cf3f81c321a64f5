"""Benchmark: seed 100,000 persons into a fresh database and report time and peak memory.

    python bench/seed.py [--persons 100000] [--seed 1] [--backend sqlite|postgres|all]

For each backend a fresh database is created (SQLite: a file in a temporary directory;
PostgreSQL: the database of ``DATABASE_URL`` with the suffix ``_bench``, dropped and created
again), migrated, and then ``ankommen seed --persons N --seed S`` runs in a child process. The
figures are that child's wall time, CPU time (user + system) and peak resident memory (from
``wait4``), so they cover Django start-up, generation, inserts and the commit, but not the
migration; the CPU time leaves out the PostgreSQL server's work. PostgreSQL is measured only
when ``DATABASE_URL`` points to PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    env.setdefault("DEBUG", "false")
    return env


def _ankommen(*args: str) -> list[str]:
    return [sys.executable, "-m", "ankommen.cli", *args]


def _run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS in KiB and stdout of one child
    process. The CPU time leaves out the PostgreSQL server's work but, unlike the wall time,
    hardly depends on what else runs on the machine."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {child.returncode}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, output


def _fresh_postgres(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'ankommen'}_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _drop_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')


def bench(label: str, url: str, persons: int, seed: int) -> dict[str, object]:
    env = _env(url)
    migrate_started = time.perf_counter()
    subprocess.run(_ankommen("migrate", "-v0"), env=env, check=True, stdout=subprocess.DEVNULL)
    migrate_seconds = time.perf_counter() - migrate_started
    seconds, cpu_seconds, peak_kib, output = _run_measured(
        _ankommen(
            "seed",
            "--persons",
            str(persons),
            "--seed",
            str(seed),
            "--county",
            "bench",
            "--format",
            "json",
        ),
        env,
    )
    result = json.loads(output)
    rows = sum(result["counts"].values())
    return {
        "backend": label,
        "persons": result["counts"]["persons"],
        "households": result["counts"]["households"],
        "rows": rows,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "persons_per_second": round(persons / seconds),
        "peak_rss_mib": round(peak_kib / 1024),
        "migrate_seconds": round(migrate_seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    results = []
    if args.backend in {"sqlite", "all"}:
        with tempfile.TemporaryDirectory(prefix="ankommen-bench-") as directory:
            url = f"sqlite:///{directory}/bench.sqlite3"
            results.append(bench("SQLite", url, args.persons, args.seed))
    if args.backend in {"postgres", "all"}:
        if database_url.startswith(("postgres://", "postgresql://")):
            url = _fresh_postgres(database_url)
            try:
                results.append(bench("PostgreSQL", url, args.persons, args.seed))
            finally:
                _drop_postgres(url)
        elif args.backend == "postgres":
            raise SystemExit("DATABASE_URL zeigt nicht auf PostgreSQL.")
    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        "| Database | Persons | Households | Rows | Wall time | CPU time | Persons/s | Peak RSS |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['backend']} | {r['persons']:,} | {r['households']:,} | {r['rows']:,} | "
            f"{r['seconds']} s | {r['cpu_seconds']} s | {r['persons_per_second']:,} | "
            f"{r['peak_rss_mib']} MiB |"
        )
    print(json.dumps(results), file=sys.stderr)


if __name__ == "__main__":
    main()
