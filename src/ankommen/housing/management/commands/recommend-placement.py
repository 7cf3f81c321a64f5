"""``ankommen recommend-placement --county SLUG [--from DATE --to DATE] [--format json|text]
[--instance-out FILE] [--look-ahead | --no-look-ahead]``

Builds the placement instance from the database — households announced to arrive between the
two dates (default: today and the next 14 days) that have no bed yet, and the county's rooms
with free beds — solves it and prints the result in the format of ``docs/placement.md``.
With look-ahead (default: ``ANKOMMEN_PLACEMENT_LOOK_AHEAD``) scarce places are kept for arrivals
expected in the weeks after the window; the result then also lists them under ``look_ahead``.
Nothing is written except the audit record of reading health-related needs.
Exit codes: 0 a plan was computed; 2 bad arguments; 1 the solver failed.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser, ArgumentTypeError, BooleanOptionalAction
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django_scopes import scope

from ankommen.core.models import County
from ankommen.housing import recommend


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"„{text}“ ist kein Datum (JJJJ-MM-TT).") from None


class Command(BaseCommand):
    help = "Unterbringungsvorschlag für die angekündigten Haushalte eines Landkreises."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--county", required=True, help="Kürzel des Landkreises")
        parser.add_argument("--from", dest="window_from", type=_day, help="Ankunft ab (JJJJ-MM-TT)")
        parser.add_argument("--to", dest="window_to", type=_day, help="Ankunft bis (JJJJ-MM-TT)")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--instance-out", help="die erzeugte Instanz zusätzlich hier speichern")
        parser.add_argument(
            "--look-ahead",
            action=BooleanOptionalAction,
            default=None,
            help="knappe Plätze für erwartete Ankünfte freihalten (Standard: Einstellung "
            "ANKOMMEN_PLACEMENT_LOOK_AHEAD)",
        )

    def _fail(self, message: str, code: int) -> NoReturn:
        self.stderr.write(message)
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        county = County.objects.filter(slug=options["county"]).first()
        if county is None:
            self._fail(f"Fehler: Den Landkreis „{options['county']}“ gibt es nicht.", 2)
        start, end = recommend.default_window()
        window_from = options["window_from"] or start
        window_to = options["window_to"] or (
            end if options["window_from"] is None else window_from + (end - start)
        )
        try:
            recommend.clean_window(window_from, window_to)
        except ValidationError as error:
            self._fail("Fehler: " + " ".join(error.messages), 2)
        with scope(county=[county.pk]):
            instance = recommend.build_instance(
                actor=None,
                county=county,
                window_from=window_from,
                window_to=window_to,
                purpose="Unterbringungsvorschlag (Kommandozeile)",
            )
            self.stderr.write(
                f"{len(instance['households'])} Haushalte mit Ankunft {window_from:%d.%m.%Y}–"
                f"{window_to:%d.%m.%Y}, {len(instance['facilities'])} Unterkünfte mit freien "
                "Betten – Solver läuft …"
            )
            if options["instance_out"]:
                Path(options["instance_out"]).write_text(
                    json.dumps(instance, ensure_ascii=False, indent=1), encoding="utf-8"
                )
            look_ahead = options["look_ahead"]
            if look_ahead is None:
                look_ahead = settings.ANKOMMEN_PLACEMENT_LOOK_AHEAD
            outlook = (
                recommend.outlook_for(county=county, window_from=window_from, window_to=window_to)
                if look_ahead
                else None
            )
            try:
                result = recommend.solve_instance(instance, outlook)
            except RuntimeError as error:
                self._fail(f"Fehler: {error}", 1)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            f"Ziel {result['objective']} (Schranke {result['bound']}, {result['status']}); "
            f"{len(result['placements'])} untergebracht, {len(result['unplaced'])} ohne Platz."
        )
        for placement in result["placements"]:
            rooms = ", ".join(room["room"] for room in placement["rooms"])
            reasons = f" – {'; '.join(placement['reasons'])}" if placement["reasons"] else ""
            self.stdout.write(
                f"{placement['household']}: {placement['facility']} ({rooms}){reasons}"
            )
        for item in result["unplaced"]:
            self.stdout.write(f"{item['household']}: ohne Platz – {item['reason']}")
        for held in result.get("look_ahead", {}).get("held_back", []):
            self.stdout.write(
                f"{held['room']} ({held['facility']}) freigehalten – {'; '.join(held['reasons'])} "
                f"(gebraucht in {held['needed_in']} von {held['scenarios']} Szenarien)"
            )
