"""``ankommen long-stays --county SLUG --user NAME [--day JJJJ-MM-TT] [--all] [--format json]``

Households whose stay in shared accommodation has passed the county's target length
(``ANKOMMEN_SHELTER_TARGET_MONTHS``) and who are ready for a flat (``--all``: also those not
marked ready) — the list of ``/unterbringung/wohnphase/`` (``selectors.shelter_stays``), as far
as the account ``--user`` may see it. References, no names. Exit codes: 0 the list (maybe
empty); 1 the account may not see households; 2 bad input (unknown county or account, a bad
date). With ``--format json`` stdout holds only JSON.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_scopes import scopes_disabled

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County, User
from ankommen.housing import selectors


class Command(BaseCommand):
    help = "Haushalte, deren Zeit in Gemeinschaftsunterkünften die Zieldauer überschreitet."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--county", required=True, help="Kürzel des Landkreises")
        parser.add_argument("--user", required=True, help="Benutzerkonto, mit dessen Rechten")
        parser.add_argument("--day", default="", help="Stichtag JJJJ-MM-TT (Standard: heute)")
        parser.add_argument("--all", action="store_true", help="auch nicht wohnungsbereite")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def _fail(self, field: str, message: str, code: int, as_json: bool) -> None:
        if as_json:
            error = {"field": field, "message": message}
            self.stdout.write(json.dumps({"errors": [error]}, ensure_ascii=False))
        self.stderr.write(f"Fehler: {message}")
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["format"] == "json"
        with scopes_disabled():
            county = County.objects.filter(slug=options["county"]).first()
            if county is None:
                self._fail(
                    "county", f"Den Landkreis „{options['county']}“ gibt es nicht.", 2, as_json
                )
                return
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                self._fail(
                    "user", f"Das Benutzerkonto „{options['user']}“ gibt es nicht.", 2, as_json
                )
                return
            try:
                day = date.fromisoformat(options["day"]) if options["day"] else timezone.localdate()
            except ValueError:
                self._fail("day", "Bitte ein Datum JJJJ-MM-TT angeben.", 2, as_json)
                return
            if county not in access.counties_for(actor, Action.VIEW_PERSON):
                self._fail("", "Dafür fehlt die Berechtigung in diesem Landkreis.", 1, as_json)
            stays = [
                stay
                for stay in selectors.shelter_stays(
                    actor=actor, day=day, ready_only=not options["all"]
                )
                if stay.household.county_id == county.pk
            ]
        rows = [
            {
                "household": stay.household.pk,
                "reference": stay.household.reference,
                "site": stay.site.pk,
                "site_name": stay.site.name,
                "since": stay.since.isoformat(),
                "months": stay.months,
                "persons": stay.persons,
                "ready_since": stay.ready_since.isoformat() if stay.ready_since else None,
            }
            for stay in stays
        ]
        months = settings.ANKOMMEN_SHELTER_TARGET_MONTHS
        if as_json:
            body = {"county": county.slug, "day": day.isoformat(), "target_months": months}
            self.stdout.write(json.dumps({**body, "stays": rows}, ensure_ascii=False))
            return
        self.stdout.write(
            f"{len(rows)} Haushalte länger als {months} Monate (Stichtag {day:%d.%m.%Y}):"
        )
        for row in rows:
            ready = f", wohnungsbereit seit {row['ready_since']}" if row["ready_since"] else ""
            self.stdout.write(
                f"{row['reference']}: {row['site_name']} seit {row['since']}, "
                f"{row['months']} Monate, {row['persons']} Personen{ready}"
            )
