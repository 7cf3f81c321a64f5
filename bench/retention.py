"""Privacy at scale: the retention run and the access export on a seeded county.

    DATABASE_URL=… .venv/bin/python bench/retention.py [--persons 100000] [--years-ahead 5]

Migrates the database of ``DATABASE_URL`` (SQLite by default: a file in a temporary directory),
seeds ``--persons`` synthetic persons once (``ankommen seed``), then times:

- the dry run of ``run_retention`` with the reference day ``--years-ahead`` years from today
  (every person whose contact has ended is then past the three-year default);
- the real run on the same day, inside a transaction that is rolled back afterwards, so that
  the bench can be repeated on the same data;
- the access export (JSON and ZIP) of ten persons.

Prints one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankommen.settings")
os.environ.setdefault("ANKOMMEN_MODE", "development")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django_scopes import scopes_disabled

from ankommen.core.models import County
from ankommen.people.models import Person
from ankommen.privacy import render
from ankommen.privacy.services import export_subject_data, run_retention


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--years-ahead", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        county = County.objects.filter(slug="oder-spree").first()
        if county is None or not Person.objects.filter(county=county).exists():
            call_command("seed", persons=args.persons, seed=1, verbosity=0)
            county = County.objects.get(slug="oder-spree")
        persons = Person.objects.filter(county=county).count()
        today = date.today()
        day = today.replace(year=today.year + args.years_ahead)

        start = time.perf_counter()
        planned = run_retention(actor=None, county=county, today=day, dry_run=True)
        dry_seconds = time.perf_counter() - start

        start = time.perf_counter()
        try:
            with transaction.atomic():
                done = run_retention(actor=None, county=county, today=day)
                run_seconds = time.perf_counter() - start
                raise _Rollback
        except _Rollback:
            pass

        exports = []
        for pk in (
            Person.objects.filter(county=county).order_by("?").values_list("pk", flat=True)[:10]
        ):
            start = time.perf_counter()
            try:
                with transaction.atomic():
                    export = export_subject_data(actor=None, person_id=pk, output="zip")
                    render.as_zip(export)
                    exports.append(time.perf_counter() - start)
                    raise _Rollback
            except _Rollback:
                pass
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "persons_in_county": persons,
                "reference_day": day.isoformat(),
                "persons_due": planned.persons,
                "dry_run_seconds": round(dry_seconds, 2),
                "run_seconds": round(run_seconds, 2),
                "rows_anonymised": sum(item.anonymised for item in done.categories),
                "rows_deleted": sum(item.deleted for item in done.categories),
                "export_zip_seconds_median": round(statistics.median(exports), 3),
                "export_zip_seconds_max": round(max(exports), 3),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
