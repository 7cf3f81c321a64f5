"""``ankommen place --instance FILE.json [--format json|text] [--time-limit S]``

Recommends a placement for the households of an instance (format: docs/placement.md).
Exit codes: 0 a plan was computed (households may stay unplaced, each with a reason);
2 the instance is unreadable or invalid; 1 the solver failed.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from ankommen.algorithms.placement import InstanceError, parse_instance, solve


class Command(BaseCommand):
    help = "Unterbringungsvorschlag für angekündigte Haushalte berechnen."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--instance", required=True, help="JSON-Datei (docs/placement.md)")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--time-limit", type=float, default=5.0, help="Sekunden für den Solver")

    def _fail(self, message: str, code: int) -> None:
        self.stderr.write(message)
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["instance"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self._fail(f"Fehler: Die Datei {path} gibt es nicht.", 2)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            self._fail(f"Fehler: {path} ist kein gültiges JSON ({error}).", 2)
        try:
            instance = parse_instance(data)
        except InstanceError as error:
            self._fail(f"Fehler in der Instanz: {error}", 2)
        self.stderr.write(
            f"{len(instance.households)} Haushalte, {len(instance.facilities)} Unterkünfte, "
            f"{sum(len(f.rooms) for f in instance.facilities)} Zimmer – Solver läuft …"
        )
        try:
            result = solve(instance, time_limit=options["time_limit"])
        except RuntimeError as error:
            self._fail(f"Fehler: {error}", 1)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self.stdout.write(
            f"Ziel {result.objective} (Schranke {result.bound}, {result.status}); "
            f"{len(result.placements)} untergebracht, {len(result.unplaced)} nicht untergebracht."
        )
        for placement in result.placements:
            rooms = ", ".join(r.room for r in placement.rooms)
            reasons = f" – {'; '.join(placement.reasons)}" if placement.reasons else ""
            self.stdout.write(f"{placement.household}: {placement.facility} ({rooms}){reasons}")
        for item in result.unplaced:
            self.stdout.write(f"{item.household}: nicht untergebracht – {item.reason}")
