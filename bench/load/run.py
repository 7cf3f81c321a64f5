"""Load bench at state scale, in one command: ``make bench-load`` or ``python bench/load/run.py``.

1. PostgreSQL database (``--database-url``; created if missing, ``--fresh`` recreates it),
   migrated and seeded with ``--persons`` persons by ``ankommen seed`` — or, while that command
   does not exist yet, by the stand-in in ``standin_seed.py`` (the report says which).
2. Staff accounts of several roles and scopes, and a plan of what each may see.
3. The app under gunicorn on 127.0.0.1 (``--workers``), locust headless against it
   (``--users`` for ``--duration``), loopback only, bounded in time.
4. Report: throughput, p50/p95/p99 latency and errors per request kind; then, with the server
   stopped, for the three heaviest kinds the ratio of page time to the time of the SQL those
   pages run (captured per request and re-run directly on a database cursor), over several
   sampled requests of each kind (``--ratio-paths``): the time-weighted ratio, and the range of
   single requests.

Results go to ``var/bench/load/`` (plan, locust CSV, result.json) and a summary is printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
for entry in (REPO / "src", REPO):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

BIN = Path(sys.executable).parent
OUT = REPO / "var" / "bench" / "load"
PASSWORD = "bench-load-password-not-secret"  # noqa: S105 - throwaway accounts, local database
TARGETS = {"errors": 0, "p95_ms": 300, "ratio": 3}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ankommen_bench"
        ),
        help="PostgreSQL database for the bench (never your real one)",
    )
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--county", default="oder-spree")
    parser.add_argument("--seeder", choices=["auto", "command", "standin"], default="auto")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", default="2m", help="locust run time, e.g. 2m or 30s")
    parser.add_argument("--wait", default="1,3", help="pause between a user's requests (s)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--ratio-samples", type=int, default=20, help="repeats per request")
    parser.add_argument(
        "--ratio-paths", type=int, default=10, help="sampled requests per heaviest kind"
    )
    return parser.parse_args(argv)


# Database and data -------------------------------------------------------------------------


def prepare_database(url: str, *, fresh: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("The load bench needs PostgreSQL (--database-url postgres://…).")
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def seed(args: argparse.Namespace) -> tuple[Any, str]:
    from django.core.management import call_command, get_commands
    from django_scopes import scopes_disabled

    from ankommen.core.models import County
    from ankommen.people.models import Person

    with scopes_disabled():
        county = County.objects.filter(slug=args.county).first()
        have = Person._base_manager.filter(county=county).count() if county else 0
        marker = OUT / "seeded.json"
        if have >= args.persons:
            print(f"== reusing {have:,} persons of {args.county} (--fresh to reseed)")
            earlier = json.loads(marker.read_text()) if marker.exists() else {}
            same = earlier.get("database") == urlsplit(args.database_url).path
            return county, f"reused, made by {earlier['seeder']}" if same else "reused"
        if have:
            raise SystemExit(f"{args.county} holds {have:,} persons, fewer than asked: --fresh")
        use_command = args.seeder == "command" or (
            args.seeder == "auto" and "seed" in get_commands()
        )
        started = time.perf_counter()
        if use_command:
            print(f"== ankommen seed --persons {args.persons} --seed {args.seed}")
            call_command("seed", persons=args.persons, seed=args.seed, county=args.county)
            seeder = "ankommen seed"
        else:
            from bench.load.standin_seed import seed as standin

            print(f"== stand-in seeder (ankommen seed not available): {args.persons:,} persons")
            standin(persons=args.persons, seed=args.seed, county_slug=args.county)
            seeder = "stand-in (bench/load/standin_seed.py)"
        print(f"   seeded in {time.perf_counter() - started:.0f} s")
        marker.write_text(
            json.dumps({"database": urlsplit(args.database_url).path, "seeder": seeder})
        )
        return County.objects.get(slug=args.county), seeder


def make_plan(county: Any, rng: random.Random, users: int) -> dict[str, Any]:
    """Accounts of several roles and scopes, each with households and names it may see, and a
    logged-in session per locust user (seat)."""
    from django.conf import settings
    from django.test import Client
    from django_scopes import scopes_disabled
    from rest_framework.authtoken.models import Token

    from ankommen.core.models import Membership, Provider, Role, Scope, Site, User
    from ankommen.people import selectors
    from ankommen.web.navigation import FIELDS_OF_ACTION

    with scopes_disabled():
        providers = list(Provider._base_manager.filter(county=county).order_by("pk")[:4])
        sites = list(Site._base_manager.filter(county=county).order_by("pk")[:3])
        wanted: list[tuple[str, Role, Scope, dict[str, Any]]] = [
            (f"bench-kreis-{n}", Role.COUNTY_CASEWORKER, Scope.COUNTY, {}) for n in range(4)
        ]
        wanted.append(("bench-admin", Role.COUNTY_ADMIN, Scope.COUNTY, {}))
        wanted += [
            (f"bench-traeger-{p.pk}", Role.PROVIDER_CASEWORKER, Scope.PROVIDER, {"provider": p})
            for p in providers
        ]
        wanted += [
            (f"bench-gu-{s.pk}", Role.SHELTER_MANAGER, Scope.FACILITY, {"site": s}) for s in sites
        ]
        accounts = []
        for username, role, scope, target in wanted:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(PASSWORD)
                user.save()
                Membership.objects.create(
                    user=user,
                    county=county,
                    role=role,
                    scope=scope,
                    valid_from=datetime(2020, 1, 1).date(),
                    **target,
                )
            token, _ = Token.objects.get_or_create(user=user)
            persons = selectors.persons_visible_to(actor=user)
            sample = list(
                persons.order_by("?").values_list("household_id", "given_names", "family_name")[
                    :200
                ]
            )
            queries = [
                f"{given} {family}" if rng.random() < 0.5 else family for _, given, family in sample
            ]
            accounts.append(
                {
                    "username": username,
                    "role": role.value,
                    "token": token.key,
                    "persons": persons.count(),
                    "households": sorted({household for household, _, _ in sample}),
                    "queries": queries,
                }
            )
    accounts = [a for a in accounts if a["households"]]
    seats = []
    for seat in range(users):
        account = seat % len(accounts)
        client = Client()
        client.force_login(User.objects.get(username=accounts[account]["username"]))
        seats.append(
            {"account": account, "session": client.cookies[settings.SESSION_COOKIE_NAME].value}
        )
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "fields": [field.slug for field in FIELDS_OF_ACTION],
        "accounts": accounts,
        "seats": seats,
    }


# Server and load ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        ANKOMMEN_MODE="demo",  # DEBUG off, no second factor for the bench accounts
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="ankommen.settings",
        PYTHONPATH=os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")]),
        LOG_LEVEL="ERROR",
    )
    return env


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (the gunicorn workers)."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


@contextmanager
def gunicorn(args: argparse.Namespace) -> Iterator[tuple[str, int]]:
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "ankommen.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--timeout",
        "60",
        "--log-level",
        "warning",
        "--error-logfile",
        str(OUT / "gunicorn.log"),
    ]
    server = subprocess.Popen(command, env=server_env(args), cwd=REPO, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/konto/anmelden/", timeout=5):  # noqa: S310
                    break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(
                        f"gunicorn did not start; see {OUT / 'gunicorn.log'}"
                    ) from None
                time.sleep(0.5)
        yield base, server.pid
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def warm_up(base: str, plan: dict[str, Any], workers: int, rng: random.Random) -> None:
    """A few requests of every kind first, so that each worker has loaded its code, templates
    and database connection: the bench measures the working day, not the start-up."""
    seat = plan["seats"][0]
    for name in KINDS:
        account, path = request_for(name, {**plan, "accounts": [plan["accounts"][0]]}, rng)
        request = urllib.request.Request(  # noqa: S310 - our own server on loopback
            base + path,
            headers={
                "Cookie": f"{plan['session_cookie']}={seat['session']}",
                "Authorization": f"Token {account['token']}",
            },
        )
        for _ in range(2 * workers):
            with urllib.request.urlopen(request, timeout=30):  # noqa: S310
                pass


def run_locust(args: argparse.Namespace, base: str, plan: Path) -> int:
    env = server_env(args)
    env.update(ANKOMMEN_LOAD_PLAN=str(plan), ANKOMMEN_LOAD_WAIT=args.wait)
    command = [
        str(BIN / "locust"),
        "--locustfile",
        str(REPO / "bench" / "load" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        args.duration,
        "--stop-timeout",
        "10",
        "--host",
        base,
        "--csv",
        str(OUT / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    print(f"== locust: {args.users} users for {args.duration} against {base}")
    return subprocess.run(command, env=env, cwd=REPO, check=False).returncode


@dataclass
class Row:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    mean: float


def read_stats() -> list[Row]:
    rows = []
    with (OUT / "locust_stats.csv").open() as handle:
        for line in csv.DictReader(handle):
            rows.append(
                Row(
                    name=line["Name"],
                    requests=int(line["Request Count"]),
                    failures=int(line["Failure Count"]),
                    rps=float(line["Requests/s"]),
                    p50=float(line["50%"]),
                    p95=float(line["95%"]),
                    p99=float(line["99%"]),
                    mean=float(line["Average Response Time"]),
                )
            )
    return rows


# Page time versus plain SQL ----------------------------------------------------------------


@dataclass
class Ratio:
    """Page time against plain SQL time for one kind of request, over several sampled requests
    (different names searched, different households): one request alone says little, since the
    same page runs 2 ms or 60 ms of SQL depending on how many persons match."""

    name: str
    paths: int
    page_ms: float  # sum over the sampled requests of each one's median page time
    sql_ms: float  # the same for the plain SQL those requests run
    queries: int  # statements per request, the most of any sampled request
    lowest: float  # the lowest and highest single-request ratio
    highest: float

    @property
    def ratio(self) -> float:
        return self.page_ms / self.sql_ms if self.sql_ms else float("inf")


KINDS = ["search", "household", "home", "field", "api persons", "api household", "api search"]


def request_for(name: str, plan: dict[str, Any], rng: random.Random) -> tuple[dict[str, Any], str]:
    """An account (a county-wide caseworker: the widest reach) and a path for a request kind."""
    account = plan["accounts"][0]
    household = rng.choice(account["households"])
    query = rng.choice(account["queries"])
    paths = {
        "search": f"/suche/?q={urllib.parse.quote(query)}",
        "household": f"/haushalte/{household}/",
        "home": "/",
        "field": f"/bereiche/{plan['fields'][0]}/",
        "api persons": "/api/v1/persons/?limit=50&offset=0",
        "api household": f"/api/v1/households/{household}/",
        "api search": f"/api/v1/search/?q={urllib.parse.quote(query)}",
    }
    return account, paths[name]


@dataclass
class Timing:
    page_ms: float
    sql_ms: float
    queries: int


def time_request(client: Any, path: str, samples: int) -> Timing:
    """Median page time of ``path`` and median time of re-running its SELECTs on a cursor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page() -> float:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, f"{path}: HTTP {response.status_code}"
        return elapsed

    for _ in range(3):  # warm caches (templates, database buffers, connection)
        page()
    page_times = [page() for _ in range(samples)]
    with CaptureQueriesContext(connection) as captured:
        page()
    statements = [q["sql"] for q in captured.captured_queries]
    selects = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    # Writes (session save, audit) are not re-run; their time as the cursor measured it counts.
    writes_ms = sum(
        float(q["time"]) * 1000
        for q in captured.captured_queries
        if q["sql"] not in selects and not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))
    )

    def replay() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()
        return time.perf_counter() - started

    replay()
    sql_times = [replay() for _ in range(samples)]
    return Timing(
        page_ms=statistics.median(page_times) * 1000,
        sql_ms=statistics.median(sql_times) * 1000 + writes_ms,
        queries=len(statements),
    )


def measure_ratio(
    name: str, plan: dict[str, Any], rng: random.Random, *, paths: int, samples: int
) -> Ratio:
    from django.test import Client

    from ankommen.core.models import User

    chosen: dict[str, dict[str, Any]] = {}
    for _ in range(paths * 20):  # distinct paths where the kind has them (home has one)
        account, path = request_for(name, plan, rng)
        chosen.setdefault(path, account)
        if len(chosen) == paths:
            break
    timings = []
    for path, account in chosen.items():
        client = Client(HTTP_AUTHORIZATION=f"Token {account['token']}", HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=account["username"]))
        timings.append(time_request(client, path, samples))
    single = [t.page_ms / t.sql_ms for t in timings if t.sql_ms]
    return Ratio(
        name=name,
        paths=len(timings),
        page_ms=sum(t.page_ms for t in timings),
        sql_ms=sum(t.sql_ms for t in timings),
        queries=max(t.queries for t in timings),
        lowest=min(single),
        highest=max(single),
    )


# Report ------------------------------------------------------------------------------------


def report(info: dict[str, Any], rows: list[Row], ratios: list[Ratio]) -> dict[str, Any]:
    total = next(row for row in rows if row.name == "Aggregated")
    lines = [
        "",
        f"Load bench {info['date']} — {info['persons']:,} persons in PostgreSQL "
        f"(seeder: {info['seeder']}), gunicorn {info['workers']} workers, "
        f"{info['users']} users for {info['duration']}, pause {info['wait']} s, "
        f"{info['cores']} cores (load average {info['load_average'][0]} before, "
        f"{info['load_average'][1]} after)",
        "",
        f"{'request':<16}{'count':>8}{'errors':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}  ms",
    ]
    for row in rows:
        lines.append(
            f"{row.name:<16}{row.requests:>8}{row.failures:>8}{row.rps:>8.1f}"
            f"{row.p50:>7.0f}{row.p95:>7.0f}{row.p99:>7.0f}"
        )
    lines += [
        "",
        f"App CPU (gunicorn workers) per request: {info['app_cpu_ms_per_request']} ms",
        "",
        "Page time / plain SQL time (idle, in-process; medians per request, summed over the "
        "sampled requests of a kind):",
    ]
    for ratio in ratios:
        lines.append(
            f"  {ratio.name:<14} {ratio.paths:>2} requests: page {ratio.page_ms:7.1f} ms   "
            f"SQL {ratio.sql_ms:7.1f} ms (up to {ratio.queries} statements)   "
            f"ratio {ratio.ratio:4.1f} (single requests {ratio.lowest:.1f}–{ratio.highest:.1f})"
        )
    verdicts = {
        "errors": total.failures <= TARGETS["errors"],
        "p95": total.p95 < TARGETS["p95_ms"],
        "ratios": all(r.ratio < TARGETS["ratio"] for r in ratios),
    }
    lines += [
        "",
        f"Targets: 0 errors {'met' if verdicts['errors'] else 'MISSED'}; "
        f"p95 < 300 ms {'met' if verdicts['p95'] else 'MISSED'} ({total.p95:.0f} ms); "
        f"ratios < 3 {'met' if verdicts['ratios'] else 'MISSED'}",
    ]
    print("\n".join(lines))
    result = {
        **info,
        "requests": [asdict(row) for row in rows],
        "ratios": [{**asdict(r), "ratio": round(r.ratio, 2)} for r in ratios],
        "targets_met": verdicts,
    }
    (OUT / "result.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"\nDetails: {(OUT / 'result.json').relative_to(REPO)}")
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    (REPO / "var" / "static").mkdir(parents=True, exist_ok=True)  # WhiteNoise's root
    prepare_database(args.database_url, fresh=args.fresh)
    os.environ.update({k: v for k, v in server_env(args).items() if k != "PYTHONPATH"})

    import django

    django.setup()
    from django.core.management import call_command

    print("== migrate")
    call_command("migrate", verbosity=0)
    county, seeder = seed(args)
    # Fresh planner statistics: right after a bulk load (COPY) the planner still thinks the
    # tables are nearly empty and picks plans that are 10x slower (seen: 97 ms instead of 1 ms
    # for the first page of the persons list) until autovacuum gets round to them.
    # `ankommen seed` analyses after its own load; this covers the stand-in seeder too.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rng = random.Random(args.seed)
    plan = make_plan(county, rng, args.users)
    plan_path = OUT / "plan.json"
    plan_path.write_text(json.dumps(plan))

    load_before = os.getloadavg()[0]
    with gunicorn(args) as (base, pid):
        warm_up(base, plan, args.workers, rng)
        cpu_before = cpu_seconds(pid)
        locust_exit = run_locust(args, base, plan_path)
        app_cpu = cpu_seconds(pid) - cpu_before
    load_after = os.getloadavg()[0]
    rows = read_stats()
    kinds = [row for row in rows if row.name != "Aggregated"]
    heaviest = sorted(kinds, key=lambda row: row.p50, reverse=True)[:3]
    ratios = []
    for row in heaviest:
        ratios.append(
            measure_ratio(row.name, plan, rng, paths=args.ratio_paths, samples=args.ratio_samples)
        )

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    served = next(row.requests for row in rows if row.name == "Aggregated")
    info = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python bench/load/run.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "persons": args.persons,
        "seeder": seeder,
        "postgresql": server_version,
        "workers": args.workers,
        "users": args.users,
        "duration": args.duration,
        "wait": args.wait,
        "cores": os.cpu_count(),
        # The machine may be shared: its load average around the run puts the figures in context.
        "load_average": [round(load_before, 1), round(load_after, 1)],
        "locust_exit": locust_exit,
        # CPU the app itself spent per request, independent of what else runs on the machine.
        "app_cpu_ms_per_request": round(app_cpu * 1000 / max(served, 1), 1),
    }
    report(info, rows, ratios)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
