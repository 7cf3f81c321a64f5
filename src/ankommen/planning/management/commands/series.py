"""``ankommen series upload FILE --name NAME --county SLUG [--source TEXT] [--stream asyl|p24|
familie] [--user NAME] [--format json]`` and ``ankommen series list --county SLUG``.

Uploads a monthly series (CSV ``month,value``, no gaps, no negative values) for the county's
prior; a series of the same name is replaced. Exit codes: 0 stored (or listed); 2 wrong use or a
bad file (each bad line on stderr, the header being line 1; nothing is written).
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from ankommen.planning import selectors_intake as selectors
from ankommen.planning.management.commands._intake import county_or_fail, fail, user_or_fail
from ankommen.planning.models_intake import Stream
from ankommen.planning.services_intake import upload_series


class Command(BaseCommand):
    help = "Monatsreihen für die Prognose des Landkreises hochladen oder auflisten."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        upload = sub.add_parser("upload", help="CSV-Datei month,value hochladen")
        upload.add_argument("file")
        upload.add_argument("--name", required=True)
        upload.add_argument("--county", required=True, help="Kürzel des Landkreises")
        upload.add_argument("--source", default="", help="Quelle der Reihe")
        upload.add_argument("--stream", choices=Stream.values, default="")
        upload.add_argument("--user", default="", help="Benutzerkonto (Rechte werden geprüft)")
        upload.add_argument("--format", choices=["text", "json"], default="text")
        listing = sub.add_parser("list", help="Reihen des Landkreises auflisten")
        listing.add_argument("--county", required=True)
        listing.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        county = county_or_fail(self, options["county"])
        if options["action"] == "list":
            self._list(county, options["format"] == "json")
            return
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            fail(self.stderr, f"Die Datei {path} gibt es nicht oder sie ist nicht lesbar.")
        actor = user_or_fail(self, options["user"])
        try:
            with scopes_disabled():
                series = upload_series(
                    actor=actor,
                    county=county,
                    name=options["name"],
                    content=content,
                    source=options["source"],
                    stream=options["stream"],
                )
        except PermissionDenied:
            fail(self.stderr, "Dem Benutzerkonto fehlt die Berechtigung für die Planung.")
        except ValidationError as error:
            fail(self.stderr, *(f"{path}: {m}" for m in error.messages))
        months = series.values.count()
        if options["format"] == "json":
            payload = {
                "id": series.pk,
                "name": series.name,
                "county": county.slug,
                "months": months,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(f"Reihe „{series.name}“ mit {months} Monaten gespeichert.")

    def _list(self, county: Any, as_json: bool) -> None:
        rows = [
            {
                "id": s.pk,
                "name": s.name,
                "shipped": s.county_id is None,
                "months": s.values.count(),
                "source": s.source,
            }
            for s in selectors.series_for(county)
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['id']:>4}  {row['name']} ({row['months']} Monate)")
