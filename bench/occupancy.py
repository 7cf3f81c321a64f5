"""Occupancy dashboards and API at scale (issue 5, part 6): p95 under 300 ms at 100,000 persons.

Run against PostgreSQL (the database is migrated and a bench county is created once, then
reused):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankommen_bench \
        .venv/bin/python bench/occupancy.py [--persons 100000] [--facilities 150] [--repeat 40]

Generates persons in households with three years of dated bed history (several stays per
bed, moves, beds held or closed), then times full HTTP requests through the Django test client
(middleware, access checks, templates) for the county overview, one municipality, one
facility, and the same figures in the API; prints p50, p95 and max per page. ``--compare``
alternates each request with the dashboard as computed before (each figure reading the history
itself), so both are measured under the same load of a shared machine.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankommen.settings")
os.environ.setdefault("ANKOMMEN_MODE", "development")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import setup_test_environment
from django_scopes import scopes_disabled

from ankommen.core.models import County, Membership, Municipality, Provider, Role, Scope, Site, User
from ankommen.housing.models import Bed, BedStatus, Occupancy, Room
from ankommen.people.models import Household, Person

SLUG = "bench-belegung"
TODAY = date.today()
HISTORY = 3 * 365


def _generate(persons: int, facilities: int, rng: random.Random) -> County:
    county = County.objects.create(
        slug=SLUG, name="Bench-Landkreis Belegung", official_key="99999", state="Brandenburg"
    )
    places = Municipality.objects.bulk_create(
        Municipality(county=county, name=f"Gemeinde {i:02d}", kind="gemeinde", source="bench")
        for i in range(max(facilities // 6, 1))
    )
    operators = Provider.objects.bulk_create(
        Provider(county=county, name=f"Betreiber {i}", kind="betreiber") for i in range(8)
    )
    sites = Site.objects.bulk_create(
        Site(
            county=county,
            provider=rng.choice(operators),
            municipality=places[i % len(places)],
            name=f"GU {i:03d}",
            kind="gu" if i % 10 else "notunterkunft",
            capacity=0,
        )
        for i in range(facilities)
    )
    # About 45 % of the persons live in a bed today; beds turn over about twice in 3 years.
    beds_needed = int(persons * 0.5)
    rooms = Room.objects.bulk_create(
        Room(
            county=county,
            site=sites[i % len(sites)],
            number=str(i),
            barrier_free=i % 9 == 0,
        )
        for i in range(beds_needed // 3)
    )
    beds = Bed.objects.bulk_create(
        (Bed(county=county, room=room, label=label) for room in rooms for label in ("A", "B", "C")),
        batch_size=5000,
    )
    start = TODAY - timedelta(days=HISTORY)
    room_sites = {room.pk: room.site_id for room in rooms}
    statuses = []
    for bed in beds:
        site_id = room_sites[bed.room_id]
        statuses.append(
            BedStatus(county=county, bed=bed, site_id=site_id, state="in_use", valid_from=start)
        )
        if rng.random() < 0.06:
            change = TODAY - timedelta(days=rng.randint(1, 200))
            statuses[-1].valid_to = change
            state = rng.choice(["reserved", "closed"])
            statuses.append(
                BedStatus(county=county, bed=bed, site_id=site_id, state=state, valid_from=change)
            )
            bed.state = state
    BedStatus.objects.bulk_create(statuses, batch_size=5000)
    Bed.objects.bulk_update([b for b in beds if b.state != "in_use"], ["state"], batch_size=5000)

    households = Household.objects.bulk_create(
        (Household(county=county, reference=f"B-{i:06d}") for i in range(int(persons / 2.4))),
        batch_size=5000,
    )
    people = Person.objects.bulk_create(
        (
            Person(
                county=county,
                household=households[i % len(households)],
                household_role="head",
                family_name=f"Bench{i}",
                given_names="Test",
                birth_year=rng.randint(1950, 2024),
                sex=rng.choice("mw"),
            )
            for i in range(persons)
        ),
        batch_size=5000,
    )
    # Each usable bed: a sequence of stays from the start of the history until today.
    occupancies = []
    queue = list(people)
    rng.shuffle(queue)
    for bed in beds:
        if bed.state != "in_use" or not queue:
            continue
        day = start + timedelta(days=rng.randint(0, 200))
        while queue and day < TODAY:
            person = queue.pop()
            stay = rng.randint(60, 700)
            end = day + timedelta(days=stay)
            occupancies.append(
                Occupancy(
                    county=county,
                    bed=bed,
                    site_id=room_sites[bed.room_id],
                    person=person,
                    household_id=person.household_id,
                    valid_from=day,
                    valid_to=end if end <= TODAY else None,
                    move_in_reason="allocation",
                    move_out_reason="flat" if end <= TODAY else "",
                )
            )
            day = end + timedelta(days=rng.randint(0, 30))
    Occupancy.objects.bulk_create(occupancies, batch_size=5000)
    user = User.objects.create_user("bench-belegung", password=None)
    Membership.objects.create(
        user=user, county=county, role=Role.PLANNER, scope=Scope.COUNTY, valid_from=start
    )
    print(
        f"generated {persons} persons, {len(households)} households, {len(sites)} facilities, "
        f"{len(beds)} beds, {len(occupancies)} occupancies",
        file=sys.stderr,
    )
    return county


def _time(client: Client, url: str, repeat: int) -> list[float]:
    client.get(url)  # warm up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def _per_figure_dashboard(site_ids: Any, *, day: date, weeks: int = 26) -> Any:
    """The dashboard as computed before 2026-11-26: each figure reads the history itself
    (``figures_on``, ``fill_series``, ``weekly_flows``); kept for ``--compare``."""
    from ankommen.housing import selectors

    days = selectors.series_days(day, weeks)
    per_site = selectors.figures_on(site_ids, day)
    return selectors.Dashboard(
        day=day,
        figures=selectors.total(per_site.values()),
        series=selectors.fill_series(site_ids, days),
        flows=selectors.weekly_flows(site_ids, days[0], day),
        per_site=dict(per_site),
    )


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def _compare(client: Client, pages: dict[str, str], repeat: int) -> None:
    """Requests alternate between the per-figure dashboard and ``selectors.dashboard``, so both
    meet the same load on a shared machine."""
    from ankommen.housing import selectors

    current = selectors.dashboard
    variants = {"per figure": _per_figure_dashboard, "now": current}
    print(f"{'page':<30} {'per-figure p50':>14} {'p95':>6} {'now p50':>8} {'p95':>6}")
    for name, url in pages.items():
        times: dict[str, list[float]] = {key: [] for key in variants}
        for function in variants.values():  # warm up both
            selectors.dashboard = function
            client.get(url)
        for _ in range(repeat):
            for key, function in variants.items():
                selectors.dashboard = function
                started = time.perf_counter()
                response = client.get(url)
                times[key].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
        selectors.dashboard = current
        before, now = times["per figure"], times["now"]
        print(
            f"{name:<30} {statistics.median(before):>14.1f} {_p95(before):>6.1f} "
            f"{statistics.median(now):>8.1f} {_p95(now):>6.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--facilities", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument(
        "--compare",
        action="store_true",
        help="alternate each request with the per-figure dashboard (before 2026-11-26)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Bitte mit DATABASE_URL=postgres://… ausführen.", file=sys.stderr)
        sys.exit(2)
    call_command("migrate", verbosity=0)
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    with scopes_disabled():
        county = County.objects.filter(slug=SLUG).first()
        if county is None:
            started = time.perf_counter()
            with transaction.atomic():
                county = _generate(args.persons, args.facilities, random.Random(17))
            with connection.cursor() as cursor:
                # What autovacuum does after a bulk load: statistics and the visibility map
                # (the dashboards count from indexes alone once pages are all-visible).
                cursor.execute("VACUUM ANALYZE")
            print(f"generation {time.perf_counter() - started:.1f} s", file=sys.stderr)
        persons = Person.objects.filter(county=county).count()
        occupancies = Occupancy.objects.filter(county=county).count()
        site = Site.objects.filter(county=county).order_by("pk").first()
        place = Municipality.objects.filter(county=county).order_by("pk").first()
        user = User.objects.get(username="bench-belegung")
    assert site is not None
    assert place is not None
    client = Client()
    client.force_login(user)
    pages = {
        "overview (county, 26 weeks)": "/unterbringung/",
        "municipality": f"/unterbringung/gemeinden/{place.pk}/",
        "facility": f"/unterbringung/unterkuenfte/{site.pk}/",
        "API facilities list": "/api/v1/occupancy/facilities/",
        "API municipalities": "/api/v1/occupancy/municipalities/",
        "API facility detail": f"/api/v1/occupancy/facilities/{site.pk}/",
        "overview, a past day": f"/unterbringung/?tag={TODAY - timedelta(days=400)}",
    }
    print(f"{persons} persons, {occupancies} occupancy rows; {args.repeat} requests per page")
    if args.compare:
        _compare(client, pages, args.repeat)
        return
    print(f"{'page':<30} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    worst = 0.0
    for name, url in pages.items():
        times = sorted(_time(client, url, args.repeat))
        p95 = times[max(int(len(times) * 0.95) - 1, 0)]
        worst = max(worst, p95)
        print(f"{name:<30} {statistics.median(times):>8.1f} {p95:>8.1f} {times[-1]:>8.1f}")
    print(f"worst p95 {worst:.1f} ms (target < 300 ms)")


if __name__ == "__main__":
    main()
