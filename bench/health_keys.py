"""Key rotation of health data at scale: how long ``ankommen keys rotate`` takes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankommen_bench \\
        .venv/bin/python bench/health_keys.py [--records 20000]

Uses a throw-away SQLite database in var/ unless DATABASE_URL is set. Writes ``--records``
examinations and vaccinations (three encrypted fields and one) with one key through bulk
inserts, then rotates to a second key and times it; prints rows per second and checks that
the first key alone no longer decrypts.
"""

from __future__ import annotations

import argparse
import os
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
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/health_keys.sqlite3"

import django

django.setup()

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from tests.factories import HouseholdFactory, PersonFactory

from ankommen.health import crypto, rotation
from ankommen.health.models import Examination, Vaccination


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    person = PersonFactory(household=HouseholdFactory())
    day = date(2025, 1, 1)
    started = time.perf_counter()
    Examination.objects.bulk_create(
        Examination(
            county_id=person.county_id,
            person=person,
            examined_on=day,
            result="no_findings",
            follow_up_needed=False,
            notes=f"Notiz {n}",
        )
        for n in range(args.records)
    )
    Vaccination.objects.bulk_create(
        Vaccination(county_id=person.county_id, person=person, vaccine="MMR", offered_on=day)
        for _ in range(args.records)
    )
    written = time.perf_counter() - started
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    started = time.perf_counter()
    counts = rotation.rotate_all()
    rotated = time.perf_counter() - started
    rows = sum(counts.values())
    values = args.records * 4
    print(f"database: {settings.DATABASES['default']['ENGINE']}")
    print(f"write {rows} rows ({values} encrypted values): {written:.1f} s")
    print(f"rotate {rows} rows ({values} values): {rotated:.1f} s, {rows / rotated:,.0f} rows/s")
    settings.FIELD_ENCRYPTION_KEYS = [old]
    try:
        Examination.objects.first()
    except crypto.DecryptionError:
        print("after rotation the old key alone decrypts nothing: ok")
    else:
        raise SystemExit("old key still decrypts")


if __name__ == "__main__":
    main()
