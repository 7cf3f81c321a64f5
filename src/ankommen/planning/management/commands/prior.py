"""``ankommen prior --county SLUG [--format csv|json]``: the county prior (each stream's series
through its dated chain of shares, added up) as ``month,value`` CSV, ready for
``ankommen forecast --series``, or as JSON. Exit codes: 0 printed; 2 unknown county, or no
prior (no series or an incomplete chain)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from ankommen.planning.management.commands._intake import county_or_fail, fail
from ankommen.planning.prior import county_prior


class Command(BaseCommand):
    help = "Prior des Landkreises aus Bundesreihe und Anteilskette (CSV month,value)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--county", required=True, help="Kürzel des Landkreises")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        county = county_or_fail(self, options["county"])
        with scopes_disabled():
            prior = county_prior(county=county)
        if not prior:
            fail(
                self.stderr,
                f"Für {county.name} ist kein Prior berechenbar (Reihe oder Kette fehlt).",
            )
        if options["format"] == "json":
            rows = [{"month": m, "value": round(v, 3)} for m, v in prior.items()]
            self.stdout.write(json.dumps({"county": county.slug, "prior": rows}))
            return
        self.stdout.write("month,value")
        for month, value in prior.items():
            self.stdout.write(f"{month},{value:.3f}")
