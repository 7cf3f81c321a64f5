"""``ankommen rhs load FILE --county SLUG [--format json]``: load the item texts of the RHS-15
or RHS-13 in one language from the county's licensed copy (format: docs/health.md).
``ankommen rhs list --county SLUG`` lists what is loaded.

Exit codes: 0 loaded; 1 the file is invalid (German errors with line and field, nothing
loaded); 2 usage (unknown county, unreadable file).
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from ankommen.algorithms import rhs
from ankommen.core.models import County
from ankommen.health import selectors, services


class Command(BaseCommand):
    help = "Items des Refugee Health Screener (RHS-15/RHS-13) aus der lizenzierten Vorlage laden."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load", help="Datei prüfen und laden")
        load.add_argument("file")
        load.add_argument("--county", required=True, help="Kürzel des Landkreises")
        load.add_argument("--format", choices=["text", "json"], default="text")
        listing = sub.add_parser("list", help="geladene Sprachen zeigen")
        listing.add_argument("--county", required=True)
        listing.add_argument("--format", choices=["text", "json"], default="text")

    def _fail(self, message: str, code: int) -> None:
        self.stderr.write(message)
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        county = County.objects.filter(slug=options["county"]).first()
        if county is None:
            self._fail(f"Unbekannter Landkreis {options['county']!r}.", 2)
        assert county is not None
        as_json = options["format"] == "json"
        if options["subcommand"] == "list":
            texts = selectors.instrument_texts(county=county)
            rows = [
                {
                    "instrument": t.instrument,
                    "language": t.language,
                    "direction": t.direction,
                    "source": t.source,
                    "loaded_at": t.loaded_at.isoformat(),
                }
                for t in texts
            ]
            if as_json:
                self.stdout.write(json.dumps(rows, ensure_ascii=False))
            else:
                for row in rows:
                    self.stdout.write(f"{row['instrument']} {row['language']} ({row['direction']})")
            return
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as error:
            self._fail(f"{path}: nicht lesbar ({error.strerror}).", 2)
        try:
            text = services.load_instrument_text(actor=None, county=county, raw=raw)
        except rhs.FileError as error:
            if as_json:
                self.stdout.write(
                    json.dumps({"ok": False, "errors": error.problems}, ensure_ascii=False)
                )
            for problem in error.problems:
                self.stderr.write(f"{path}: {problem}")
            sys.exit(1)
        payload = {
            "ok": True,
            "instrument": text.instrument,
            "language": text.language,
            "direction": text.direction,
            "items": len(text.content["items"]),
        }
        if as_json:
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            self.stdout.write(
                f"{text.instrument} ({text.language}, {text.direction}) mit "
                f"{payload['items']} Items geladen."
            )
