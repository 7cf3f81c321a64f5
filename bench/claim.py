"""Reimbursement claim at scale (issue 6, part 3): a yearly claim for 100,000 persons with their
dated histories in PostgreSQL in under 30 s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankommen_claim_bench \\
        .venv/bin/python bench/claim.py [--persons 100000] [--repeat 3]

The database is migrated and a bench county (key 12067, so the published Oder-Spree amounts
apply) is generated once and then reused: persons in households with three years of dated
history — AsylbLG benefit periods (a quarter of them end with a status change), stays in shared
accommodation and later in flats (moves in mid-month), the day each was taken in, casework
responsibilities (MSA cases), monthly user fees and health invoices. Then the yearly claim for
the last full year is built ``--repeat`` times (reading the history, computing, apportioning
the cents), once as the page's background run (with the reconciliation and the cost side, the
lines stored and rebuilt for a download) and once rendered as JSON and XLSX; prints wall times
and the claim's figures.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankommen.settings")
os.environ.setdefault("ANKOMMEN_MODE", "development")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django_scopes import scopes_disabled

from ankommen.core.models import County, Municipality, Provider, Site
from ankommen.finance.claim_runner import report_of, run_claim
from ankommen.finance.claims import build_claim
from ankommen.finance.exports import as_json, as_xlsx
from ankommen.finance.models import BenefitPeriod, ClaimRun, HealthInvoice, Income
from ankommen.housing.models import Bed, Occupancy, Room
from ankommen.people.models import Household, Person, Responsibility

SLUG = "bench-erstattung"
TODAY = date.today()
YEAR = TODAY.year - 1
START = date(YEAR - 1, 1, 1)
BATCH = 5000


def _generate(persons: int, rng: random.Random) -> County:
    county = County.objects.create(
        slug=SLUG, name="Bench-Landkreis Erstattung", official_key="12067", state="Brandenburg"
    )
    place = Municipality.objects.create(county=county, name="Gemeinde", kind="gemeinde", source="b")
    operator = Provider.objects.create(county=county, name="Betreiber", kind="betreiber")
    social = Provider.objects.create(county=county, name="Sozialträger", kind="sozial")
    sites = Site.objects.bulk_create(
        Site(
            county=county,
            provider=operator,
            municipality=place,
            name=f"Unterkunft {i:03d}",
            kind="wohnung" if i % 5 == 0 else "gu",
        )
        for i in range(150)
    )
    shared = [s for s in sites if s.kind == "gu"]
    flats = [s for s in sites if s.kind == "wohnung"]
    rooms = Room.objects.bulk_create(
        # A flat site's many rooms stand for its many flats: every open stay needs its own bed.
        (
            Room(county=county, site=site, number=str(n))
            for site in sites
            for n in range(400 if site.kind == "wohnung" else 100)
        ),
        batch_size=BATCH,
    )
    beds = Bed.objects.bulk_create(
        (Bed(county=county, room=room, label=label) for room in rooms for label in "ABCDEFG"),
        batch_size=BATCH,
    )
    beds_of: dict[int, list[Bed]] = {}
    room_site = {room.pk: room.site_id for room in rooms}
    for bed in beds:
        beds_of.setdefault(room_site[bed.room_id], []).append(bed)
    households = Household.objects.bulk_create(
        (Household(county=county, reference=f"E-{i:06d}") for i in range(int(persons / 2.4))),
        batch_size=BATCH,
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
                allocated_on=START + timedelta(days=rng.randrange(3 * 365)),
            )
            for i in range(persons)
        ),
        batch_size=BATCH,
    )
    occupancies, periods, incomes, invoices = [], [], [], []
    cursor = {site.pk: 0 for site in sites}

    def bed_in(site: Site) -> Bed:
        # Closed stays share beds over time without overlap checks (load, not a plan); open
        # stays (flats) each get a bed of their own, as the database demands.
        cursor[site.pk] += 1
        pool = beds_of[site.pk]
        return pool[cursor[site.pk] % len(pool)]

    for person in people:
        arrived = person.allocated_on
        assert arrived is not None
        end = None
        if rng.random() < 0.25:  # status change ends the benefits
            end = arrived + timedelta(days=rng.randint(90, 700))
        periods.append(
            BenefitPeriod(county=county, person=person, valid_from=arrived, valid_to=end)
        )
        moved = arrived + timedelta(days=rng.randint(60, 500))
        site = rng.choice(shared)
        occupancies.append(
            Occupancy(
                county=county,
                bed=bed_in(site),
                site=site,
                person=person,
                household_id=person.household_id,
                valid_from=arrived,
                valid_to=moved,
                move_in_reason="allocation",
                move_out_reason="flat",
            )
        )
        if rng.random() < 0.6:
            flat = rng.choice(flats)
            occupancies.append(
                Occupancy(
                    county=county,
                    bed=bed_in(flat),
                    site=flat,
                    person=person,
                    household_id=person.household_id,
                    valid_from=moved,
                    move_in_reason="transfer",
                )
            )
        if rng.random() < 0.15:
            fee = Decimal(rng.randrange(120, 260))
            day = arrived.replace(day=1)
            while day < TODAY and (end is None or day <= end):
                day = (day + timedelta(days=32)).replace(day=1)
                incomes.append(
                    Income(county=county, person=person, day=day, kind="user_fee", amount=fee)
                )
        for _ in range(rng.choice((0, 0, 1, 2))):
            invoices.append(
                HealthInvoice(
                    county=county,
                    person=person,
                    day=arrived + timedelta(days=rng.randrange(400)),
                    amount=Decimal(rng.randrange(4000, 250000)) / 100,
                )
            )
    Occupancy.objects.bulk_create(occupancies, batch_size=BATCH)
    BenefitPeriod.objects.bulk_create(periods, batch_size=BATCH)
    Income.objects.bulk_create(incomes, batch_size=BATCH)
    HealthInvoice.objects.bulk_create(invoices, batch_size=BATCH)
    cases = Responsibility.objects.bulk_create(
        (
            Responsibility(
                county=county,
                household=household,
                kind="casework",
                provider=social,
                valid_from=START + timedelta(days=rng.randrange(400)),
                valid_to=None if rng.random() < 0.5 else TODAY - timedelta(days=rng.randrange(300)),
            )
            for household in households
            if rng.random() < 0.4
        ),
        batch_size=BATCH,
    )
    print(
        f"generated {persons} persons, {len(households)} households, {len(occupancies)} stays, "
        f"{len(periods)} benefit periods, {len(incomes)} incomes, {len(invoices)} invoices, "
        f"{len(cases)} casework responsibilities",
        file=sys.stderr,
    )
    return county


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Bitte mit DATABASE_URL=postgres://… ausführen.", file=sys.stderr)
        sys.exit(2)
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        county = County.objects.filter(slug=SLUG).first()
        if county is None:
            started = time.perf_counter()
            with transaction.atomic():
                county = _generate(args.persons, random.Random(6))
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(f"generation {time.perf_counter() - started:.1f} s", file=sys.stderr)
        persons = Person._base_manager.filter(county=county).count()
        times, cpu = [], []
        for _ in range(args.repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            report = build_claim(county, YEAR)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        started = time.perf_counter()
        as_json(report)
        json_seconds = time.perf_counter() - started
        # The page's background run: claim, reconciliation (four quarters), cost side, lines
        # stored compressed; then the download's claim rebuilt from the run.
        run = ClaimRun.objects.create(county=county, year=YEAR)
        started = time.perf_counter()
        run_claim(run.pk)
        run_seconds = time.perf_counter() - started
        run.refresh_from_db()
        assert run.state == ClaimRun.State.DONE, run.error
        started = time.perf_counter()
        rebuilt = report_of(run)
        rebuild_seconds = time.perf_counter() - started
        assert rebuilt.total == report.total
        assert len(rebuilt.claim.lines) == len(report.claim.lines)
        stored = len(bytes(run.lines))
        ClaimRun.objects.filter(pk=run.pk).delete()
        started = time.perf_counter()
        xlsx = as_xlsx(report)
        xlsx_seconds = time.perf_counter() - started
    lines = report.claim.lines
    assert sum(line.amount for line in lines) == report.total
    print(f"persons in the county: {persons}")
    print(f"claim {YEAR}: {report.subjects()} cases, {len(lines)} lines, total {report.total} €")
    for kind, value in report.by_kind():
        print(f"  {kind:<10} {value:>16} €")
    print(
        f"build (read history + compute + apportion): median {statistics.median(times):.1f} s, "
        f"max {max(times):.1f} s over {len(times)} runs; CPU of this process (not the "
        f"database's): median {statistics.median(cpu):.1f} s"
    )
    print(
        f"background run (claim + reconciliation + cost side + storing the lines): "
        f"{run_seconds:.1f} s; lines stored {stored / 2**20:.1f} MiB (gzip JSON); "
        f"claim rebuilt from the run for a download {rebuild_seconds:.1f} s"
    )
    print(f"JSON {json_seconds:.1f} s; XLSX {xlsx_seconds:.1f} s ({len(xlsx) / 2**20:.1f} MiB)")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
