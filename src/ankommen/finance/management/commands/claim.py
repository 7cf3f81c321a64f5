"""``ankommen claim --county SLUG --year Y [--quarter Q] --format json|xlsx|pdf [--output FILE]``

Computes the reimbursement claim (Erstattungsantrag) of a county for a year or a quarter from
the recorded dated history (docs/finance.md). ``--format json`` writes the JSON document to
stdout (or ``--output``); XLSX and PDF need ``--output`` or go to stdout as bytes. Exit codes:
0 the claim was written; 2 unusable arguments (unknown county, year, quarter); 1 the claim could
not be computed (contradicting rules). A progress bar (reading the history, computing, writing
the file) and notes go to stderr; stdout holds only the document.
"""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled
from tqdm import tqdm

from ankommen.algorithms.claims import ClaimError
from ankommen.core.models import County
from ankommen.finance.claims import build_claim, read_inputs
from ankommen.finance.exports import FORMATS, render


class Command(BaseCommand):
    help = "Erstattungsantrag (§§ 14, 15 LAufnG) eines Landkreises für ein Jahr oder Quartal."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--county", required=True, help="Kürzel des Landkreises")
        parser.add_argument("--year", required=True, type=int, help="Kalenderjahr")
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="Quartal 1–4")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="Datei (Standard: stdout)")

    def _fail(self, message: str, code: int = 2) -> NoReturn:
        self.stderr.write(message)
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        if not 2016 <= options["year"] <= 2100:
            self._fail(f"Fehler: --year {options['year']} liegt außerhalb von 2016 bis 2100.")
        with scopes_disabled():
            county = County.objects.filter(slug=options["county"]).first()
            if county is None:
                self._fail(f"Fehler: Einen Landkreis „{options['county']}“ gibt es nicht.")
            started = time.perf_counter()
            # the stream itself: Django's wrapper would end every redraw with a newline
            stream = getattr(self.stderr, "_out", sys.stderr)
            bar = tqdm(total=100, unit="%", desc="Antrag", file=stream, dynamic_ncols=True)
            try:
                bar.set_postfix_str("Verlauf lesen")
                inputs = read_inputs(county, options["year"], options["quarter"])
                bar.update(40 - bar.n)
                bar.set_postfix_str("berechnen")
                report = build_claim(county, options["year"], options["quarter"], inputs)
                bar.update(50 - bar.n)
                bar.set_postfix_str("Datei schreiben")

                def written(done: int, total: int) -> None:
                    bar.update(50 + 50 * done // max(total, 1) - bar.n)

                content = render(report, options["format"], written)
                bar.update(100 - bar.n)
            except ClaimError as error:
                bar.close()
                self._fail(f"Fehler: {error}", code=1)
            bar.close()
        self.stderr.write(
            f"{report.label}: {report.subjects()} Fälle, {len(report.claim.lines)} Zeilen, "
            f"Summe {report.total} € ({time.perf_counter() - started:.1f} s)"
        )
        for warning in report.claim.warnings:
            self.stderr.write(f"Hinweis: {warning}")
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(f"geschrieben: {options['output']}")
        elif options["format"] == "json":
            self.stdout.write(content.decode())
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
