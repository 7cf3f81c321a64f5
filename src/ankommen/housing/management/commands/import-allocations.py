"""``ankommen import-allocations FILE --county SLUG [--dry-run] [--format json] [--user NAME]``

Imports an allocation list (CSV or XLSX; columns: docs/allocation-lists.md).

Exit codes: 0 the list was imported, checked (``--dry-run``), or had been imported before
(nothing changed); 1 the list has errors (nothing written; each error with line, column and
reason); 2 wrong use (no such file, county or user). With ``--format json`` stdout holds only
JSON: the result object, or on errors the list of ``{line, column, message}``.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled
from tqdm import tqdm

from ankommen.core.models import County, User
from ankommen.housing.services_allocations import FILE_ERROR_LINE, import_allocations

PROGRESS_FROM_BYTES = 100_000  # roughly 1,000 rows: below that a bar only flickers


class Command(BaseCommand):
    help = "Zuweisungsliste des Landes (CSV oder XLSX) importieren."
    requires_system_checks: list[str] = []  # a data command: start fast (checks run on deploy)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="CSV- oder XLSX-Datei")
        parser.add_argument("--county", required=True, help="Kürzel des Landkreises")
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts schreiben")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--user", default="", help="Benutzerkonto, dem der Import zugerechnet wird"
        )

    def _usage_error(self, message: str, as_json: bool) -> None:
        if as_json:
            error = {"line": FILE_ERROR_LINE, "column": "", "message": message}
            self.stdout.write(json.dumps([error], ensure_ascii=False))
        self.stderr.write(f"Fehler: {message}")
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["format"] == "json"
        path = Path(options["file"])
        with scopes_disabled():
            county = County.objects.filter(slug=options["county"]).first()
            if county is None:
                self._usage_error(f"Den Landkreis „{options['county']}“ gibt es nicht.", as_json)
                return
            actor = None
            if options["user"]:
                actor = User.objects.filter(username=options["user"]).first()
                if actor is None:
                    self._usage_error(
                        f"Das Benutzerkonto „{options['user']}“ gibt es nicht.", as_json
                    )
            try:
                content = path.read_bytes()
            except OSError as problem:
                self._usage_error(
                    f"Die Datei {path} lässt sich nicht lesen ({problem.strerror}).", as_json
                )
            bar: tqdm[Any] | None = None

            def progress(phase: str, done: int, total: int) -> None:
                nonlocal bar
                if len(content) < PROGRESS_FROM_BYTES:
                    return
                if bar is None:
                    bar = tqdm(total=total, unit="Zeilen", desc="Import", file=sys.stderr)
                bar.n = done
                bar.refresh()

            try:
                result = import_allocations(
                    actor=actor,
                    county=county,
                    file_name=path.name,
                    content=content,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
            finally:
                if bar is not None:
                    bar.close()
        if as_json:
            payload: Any = (
                [e.as_dict() for e in result.errors] if not result.ok else result.as_json()
            )
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            for error in result.errors:
                where = f"Zeile {error.line}" if error.line else "Datei"
                column = f", Spalte {error.column}" if error.column else ""
                self.stdout.write(f"{where}{column}: {error.message}")
            self.stdout.write(result.message)
        if not result.ok:
            sys.exit(1)
