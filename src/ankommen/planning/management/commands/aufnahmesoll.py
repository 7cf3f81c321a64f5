"""``ankommen aufnahmesoll --county SLUG --year Y [--day YYYY-MM-DD] [--format json]``, and to
record the Land's quota: ``--set-quota N --source TEXT [--verified] [--user NAME]``.

Prints the quota, carry-over, target, persons taken in and the balance for the year and the
years before it. Exit codes: 0 printed; 2 wrong use or bad input (nothing written).
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_scopes import scopes_disabled

from ankommen.planning.aufnahmesoll import aufnahmesoll
from ankommen.planning.management.commands._intake import county_or_fail, fail, user_or_fail
from ankommen.planning.services_intake import set_quota


class Command(BaseCommand):
    help = "Aufnahmesoll des Landkreises mit Übertrag und Aufnahmen je Jahr."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--county", required=True, help="Kürzel des Landkreises")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--day", default="", help="Stichtag JJJJ-MM-TT (Standard: heute)")
        parser.add_argument("--set-quota", type=int, default=None, help="Aufnahmesoll eintragen")
        parser.add_argument("--source", default="", help="Quelle des Aufnahmesolls")
        parser.add_argument("--verified", action="store_true", help="Quelle geprüft")
        parser.add_argument("--user", default="")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        county = county_or_fail(self, options["county"])
        try:
            day = date.fromisoformat(options["day"]) if options["day"] else timezone.localdate()
        except ValueError:
            fail(self.stderr, f"--day „{options['day']}“ ist kein Datum JJJJ-MM-TT.")
        if options["set_quota"] is not None:
            actor = user_or_fail(self, options["user"])
            try:
                with scopes_disabled():
                    set_quota(
                        actor=actor,
                        county=county,
                        year=options["year"],
                        quota=options["set_quota"],
                        source=options["source"],
                        verified=options["verified"],
                    )
            except PermissionDenied:
                fail(self.stderr, "Dem Benutzerkonto fehlt die Berechtigung für die Planung.")
            except ValidationError as error:
                fail(self.stderr, *error.messages)
        if not 2000 <= options["year"] <= 2100:
            fail(self.stderr, "--year muss zwischen 2000 und 2100 liegen.")
        with scopes_disabled():
            report = aufnahmesoll(county=county, year=options["year"], day=day)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
            return

        def show(value: int | None) -> str:
            return "–" if value is None else str(value)

        self.stdout.write(f"Aufnahmesoll {county.name}, Stichtag {day:%d.%m.%Y}")
        self.stdout.write(
            f"{'Jahr':<6}{'Soll':>8}{'Übertrag':>10}{'Ziel':>8}{'Aufnahmen':>11}{'Saldo':>8}"
        )
        for row in report.rows:
            f = row.figures
            mark = " (bisher)" if f.so_far else ""
            flag = "" if row.verified or f.quota is None else " *"
            self.stdout.write(
                f"{f.year:<6}{show(f.quota):>8}{f.carried_in:>10}{show(f.target):>8}"
                f"{f.intake:>11}{show(f.balance):>8}{flag}{mark}"
            )
        self.stdout.write("Saldo > 0: noch aufzunehmen; < 0: übererfüllt. * Quelle ungeprüft.")
