"""``ankommen privacy export|retention``: GDPR Art. 15 export and Art. 17 retention run.

``ankommen privacy export --person ID [--format json|zip] [--output FILE] [--user NAME]``
  json: the export on stdout (only JSON); zip: writes the ZIP (default
  ``auskunft-person-ID-DATE.zip`` in the current directory) and prints its path.
``ankommen privacy retention (--county SLUG | --all) [--dry-run] [--format text|json]
[--today DATE] [--user NAME]``
  anonymises the persons whose retention period is over (``--dry-run``: only counts).

Exit codes: 0 done; 1 failure (nothing written); 2 wrong use (unknown person, county or user,
bad date, bad retention setting).
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand
from django.http import Http404
from django_scopes import scopes_disabled

from ankommen.core.models import County, User
from ankommen.privacy import render
from ankommen.privacy.retention import RetentionConfigError
from ankommen.privacy.services import export_subject_data, run_retention


class Command(BaseCommand):
    help = "Datenschutz: Auskunft (Art. 15 DSGVO) und Löschfristen (Art. 17 DSGVO)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export", help="Auskunft über eine Person erstellen")
        export.add_argument("--person", type=int, required=True, help="Nummer der Person")
        export.add_argument("--format", choices=["json", "zip"], default="json")
        export.add_argument("--output", default="", help="Zieldatei für --format zip")
        export.add_argument(
            "--user", default="", help="Benutzerkonto, dem die Auskunft zugerechnet wird"
        )
        retention = sub.add_parser("retention", help="Daten nach Ablauf der Frist anonymisieren")
        where = retention.add_mutually_exclusive_group(required=True)
        where.add_argument("--county", help="Kürzel des Landkreises")
        where.add_argument("--all", action="store_true", help="alle Landkreise")
        retention.add_argument("--dry-run", action="store_true", help="nur zählen, nichts ändern")
        retention.add_argument("--format", choices=["text", "json"], default="text")
        retention.add_argument("--today", default="", help="Stichtag (JJJJ-MM-TT), sonst heute")
        retention.add_argument(
            "--user", default="", help="Benutzerkonto, dem der Lauf zugerechnet wird"
        )

    def _fail(self, message: str, code: int = 2) -> NoReturn:
        self.stderr.write(f"Fehler: {message}")
        sys.exit(code)

    def _user(self, name: str) -> User | None:
        if not name:
            return None
        user = User.objects.filter(username=name).first()
        if user is None:
            self._fail(f"Das Benutzerkonto „{name}“ gibt es nicht.")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            if options["subcommand"] == "export":
                self._export(options)
            else:
                self._retention(options)

    def _export(self, options: dict[str, Any]) -> None:
        actor = self._user(options["user"])
        try:
            export = export_subject_data(
                actor=actor, person_id=options["person"], output=options["format"]
            )
        except Http404:
            self._fail(
                f"Die Person {options['person']} gibt es nicht oder sie ist nicht erreichbar."
            )
        except RetentionConfigError as problem:
            self._fail(str(problem))
        if options["format"] == "json":
            self.stdout.write(render.as_json(export))
            return
        path = Path(options["output"] or f"{render.file_stem(export)}.zip")
        try:
            path.write_bytes(render.as_zip(export))
        except OSError as problem:
            self._fail(f"Die Datei {path} lässt sich nicht schreiben ({problem.strerror}).", 1)
        self.stdout.write(str(path))

    def _retention(self, options: dict[str, Any]) -> None:
        actor = self._user(options["user"])
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                self._fail(f"„{options['today']}“ ist kein Datum (JJJJ-MM-TT).")
        if options["all"]:
            counties = list(County.objects.order_by("slug"))
        else:
            counties = list(County.objects.filter(slug=options["county"]))
            if not counties:
                self._fail(f"Den Landkreis „{options['county']}“ gibt es nicht.")
        results = []
        for county in counties:
            try:
                run = run_retention(
                    actor=actor, county=county, today=today, dry_run=options["dry_run"]
                )
            except RetentionConfigError as problem:
                self._fail(str(problem))
            results.append(run)
            if options["format"] == "text":
                verb = "fällig" if run.dry_run else "anonymisiert"
                self.stdout.write(f"{county.name}: {run.persons} Personen {verb}")
                for item in run.categories:
                    flag = "" if item.verified else " (Frist ungeprüft)"
                    self.stdout.write(
                        f"  {item.key}: {len(item.persons)} Personen, {item.years} Jahre{flag}"
                    )
        if options["format"] == "json":
            payload: Any = [run.as_dict() for run in results]
            if not options["all"]:
                payload = payload[0]
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
