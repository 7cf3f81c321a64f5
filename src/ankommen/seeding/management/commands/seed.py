"""``ankommen seed --persons N --seed S [--county SLUG] [--format json]``: deterministic
synthetic persons and households for load tests and benchmarks.

The same seed gives the same names, dates and statuses. The county is created with minimal
organisation data if missing. One transaction: on failure nothing is written and the exit code
is 1. Progress goes to stderr; with ``--format json`` stdout carries only one JSON object.
"""

from __future__ import annotations

import json
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from ankommen.seeding.management.commands._progress import progress
from ankommen.seeding.synthetic import seed_persons


class Command(BaseCommand):
    help = "Synthetische Personen und Haushalte deterministisch anlegen (für Lasttests)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--persons", type=int, required=True, help="Anzahl der Personen")
        parser.add_argument("--seed", type=int, required=True, help="Startwert des Zufalls")
        parser.add_argument("--county", default="oder-spree", help="Kürzel des Landkreises")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "Synthetische Personen gehören nicht in eine Produktivdatenbank "
                "(ANKOMMEN_MODE=production)."
            )
        started = time.perf_counter()
        try:
            with (
                scopes_disabled(),
                progress(
                    max(options["persons"], 0), enabled=options["verbosity"] > 0, label="Personen"
                ) as step,
            ):
                result = seed_persons(
                    slug=options["county"],
                    persons=options["persons"],
                    seed=options["seed"],
                    on_chunk=step,
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        seconds = time.perf_counter() - started
        counts = dict(result.counts)
        if options["format"] == "json":
            payload = {
                "county": result.county.slug,
                "created_county": result.created_county,
                "seed": options["seed"],
                "counts": counts,
                "seconds": round(seconds, 3),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(
            f"{counts['persons']} Personen in {counts['households']} Haushalten im Landkreis "
            f"{result.county.slug} angelegt (Seed {options['seed']}, {seconds:.1f} s)."
        )
