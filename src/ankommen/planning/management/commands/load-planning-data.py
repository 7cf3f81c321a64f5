"""``ankommen load-planning-data [--format json]``: load the shipped planning data (the BAMF
national series, the chain of shares, the yearly quotas; ``planning/data/``) for every county
in the database. Idempotent; a planner's changes stay. Exit code 0, 1 on failure."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from ankommen.planning.data_intake import load_planning_data


class Command(BaseCommand):
    help = "Mitgelieferte Planungsdaten laden (Bundesreihe, Anteilskette, Aufnahmesoll)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            created = load_planning_data()
        if options["format"] == "json":
            self.stdout.write(json.dumps(dict(created), ensure_ascii=False))
            return
        self.stdout.write(
            f"Planungsdaten geladen: {created['series']} Reihe(n) aktualisiert, "
            f"{created['chain_links']} Kettenglied(er), {created['quotas']} Aufnahmesoll-Jahr(e) "
            f"und {created['stream_sources']} Zuordnung(en) neu."
        )
