"""``ankommen demo [--county oder-spree] [--format json]``: migrate the configured database,
load the demo data (idempotent) and print one login per role. Serves nothing.

With ``--format json`` stdout carries only one JSON object (county, counts, logins); migration
output and progress go to stderr. Exit code 1 on failure.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from ankommen.seeding.demo import DEMO_COUNTIES, DEMO_PASSWORD, county_counts, load_demo
from ankommen.seeding.management.commands._progress import progress


class Command(BaseCommand):
    help = "Datenbank migrieren und Demo-Daten laden (idempotent); gibt die Anmeldungen aus."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--county", default="oder-spree", choices=sorted(DEMO_COUNTIES))
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--skip-migrate", action="store_true", help="Migrationen nicht ausführen"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "Demo-Daten mit bekanntem Passwort sind im Produktivbetrieb "
                "(ANKOMMEN_MODE=production) nicht zulässig."
            )
        verbosity = options["verbosity"]
        as_json = options["format"] == "json"
        if not options["skip_migrate"]:
            call_command("migrate", interactive=False, verbosity=verbosity, stdout=sys.stderr)
        slug = options["county"]
        spec = DEMO_COUNTIES[slug]
        try:
            with (
                scopes_disabled(),
                progress(spec.persons, enabled=verbosity > 0, label="Demo-Personen") as step,
            ):
                main, others = load_demo(slug, on_chunk=step)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        changed = sum(main.created.values()) + sum(sum(o.created.values()) for o in others)
        with scopes_disabled():
            counts = county_counts(main.county)
            neighbours = {o.county.slug: county_counts(o.county) for o in others}
        logins = [
            {**login, "county": result.county.slug}
            for result in (main, *others)
            for login in result.logins
        ]
        if as_json:
            payload = {
                "county": main.county.slug,
                "county_name": main.county.name,
                "changed": bool(changed),
                "created": {key: n for key, n in main.created.items() if n},
                "counts": counts,
                "other_counties": neighbours,
                "password": DEMO_PASSWORD,
                "logins": logins,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        if changed:
            self.stdout.write(
                f"Demo-Daten für {main.county.name} ({main.county.slug}) geladen: "
                f"{counts['persons']} Personen in {counts['households']} Haushalten, "
                f"{counts['sites']} Standorte, {counts['providers']} Träger, "
                f"{counts['municipalities']} Gemeinden und Ämter."
            )
        else:
            self.stdout.write(
                f"Demo-Daten für {main.county.name} ({main.county.slug}) sind bereits "
                "vollständig geladen – nichts geändert."
            )
        for slug_other, other in neighbours.items():
            self.stdout.write(
                f"Zweiter Landkreis {slug_other}: {other['persons']} Personen "
                "(für die Logins oben unsichtbar)."
            )
        self.stdout.write("")
        self.stdout.write(f"Anmeldungen (Passwort für alle: {DEMO_PASSWORD}):")
        width = max(len(login["username"]) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login['username']:<{width}}  {login['role_label']} – "
                f"{login['scope_label']}: {login['target']} [{login['county']}]"
            )
