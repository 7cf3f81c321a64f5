"""``ankommen freimeldung --county SLUG [--day YYYY-MM-DD] [--format text|json|csv|xlsx]
[--output FILE]``: the free places per facility and municipality that the county reports to the
Land, within its open Aufnahmesoll. CSV and XLSX go to ``--output`` or to stdout (bytes).
Exit codes: 0 written; 2 wrong use.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_scopes import scopes_disabled

from ankommen.planning import freimeldung as report_module
from ankommen.planning.management.commands._intake import county_or_fail, fail


class Command(BaseCommand):
    help = "Freimeldung: freie Plätze je Unterkunft und Gemeinde für das Land."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--county", required=True, help="Kürzel des Landkreises")
        parser.add_argument("--day", default="", help="Stichtag JJJJ-MM-TT (Standard: heute)")
        parser.add_argument("--format", choices=["text", "json", "csv", "xlsx"], default="text")
        parser.add_argument("--output", default="", help="Datei (Standard: Standardausgabe)")

    def handle(self, *args: Any, **options: Any) -> None:
        county = county_or_fail(self, options["county"])
        try:
            day = date.fromisoformat(options["day"]) if options["day"] else timezone.localdate()
        except ValueError:
            fail(self.stderr, f"--day „{options['day']}“ ist kein Datum JJJJ-MM-TT.")
        with scopes_disabled():
            report = report_module.freimeldung(county=county, day=day)
        kind = options["format"]
        if kind in {"csv", "xlsx"}:
            content = (
                report_module.to_csv(report) if kind == "csv" else report_module.to_xlsx(report)
            )
            if options["output"]:
                Path(options["output"]).write_bytes(content)
            else:
                sys.stdout.flush()
                sys.stdout.buffer.write(content)
                sys.stdout.buffer.flush()
            return
        if kind == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
            return
        self.stdout.write(f"Freimeldung {county.name}, Stichtag {day:%d.%m.%Y}")
        for places in report.facilities:
            self.stdout.write(
                f"  {places.municipality} / {places.name}: {places.figures.free} frei"
            )
        open_soll = "unbekannt" if report.soll_open is None else str(report.soll_open)
        self.stdout.write(
            f"Frei insgesamt {report.total.free}; offenes Aufnahmesoll {open_soll}; "
            f"Freimeldung {report.reportable}."
        )
