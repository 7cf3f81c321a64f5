"""``ankommen move --household ID (--to-site ID | --room ID …) --day JJJJ-MM-TT --reason CODE
--user NAME [--note TEXT] [--format json]``

Records a move (Umzug) of a household through ``services.move_household``, with the rights of
the account ``--user`` (access checked and audited as on the household page). ``--to-site``
takes the facility's free rooms that suit the household (``selectors.free_rooms``), ``--room``
names them. Exit codes: 0 the move is recorded; 1 the account may not move this household;
2 bad input (unknown household, facility, room or account, a date or reason the service
refuses), nothing written. With ``--format json`` stdout holds only JSON: the move, or
``{"errors": [{"field", "message"}]}``.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from ankommen.core.access import Action
from ankommen.core.models import User
from ankommen.housing import selectors, services
from ankommen.housing.models import Room
from ankommen.people.models import Household


def validation_errors(error: ValidationError) -> list[dict[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            {"field": field, "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": message} for message in error.messages]


class Command(BaseCommand):
    help = "Umzug eines Haushalts in eine andere Unterkunft eintragen."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--household", type=int, required=True, help="ID des Haushalts")
        parser.add_argument("--to-site", type=int, help="ID der Zielunterkunft")
        parser.add_argument("--room", type=int, action="append", default=[], help="Zimmer-ID")
        parser.add_argument("--day", required=True, help="Tag des Umzugs JJJJ-MM-TT")
        parser.add_argument("--reason", required=True, help="Grund (Code), z. B. family")
        parser.add_argument("--note", default="", help="Bemerkung (Pflicht beim Grund other)")
        parser.add_argument("--user", required=True, help="Benutzerkonto, das den Umzug einträgt")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def _fail(self, errors: list[dict[str, str]], code: int, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps({"errors": errors}, ensure_ascii=False))
        for error in errors:
            where = f"{error['field']}: " if error["field"] else ""
            self.stderr.write(f"Fehler: {where}{error['message']}")
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["format"] == "json"

        def bad(field: str, message: str) -> None:
            self._fail([{"field": field, "message": message}], 2, as_json)

        with scopes_disabled():
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                bad("user", f"Das Benutzerkonto „{options['user']}“ gibt es nicht.")
                return
            try:
                day = date.fromisoformat(options["day"])
            except ValueError:
                bad("day", "Bitte ein Datum JJJJ-MM-TT angeben.")
                return
            if (options["to_site"] is None) == (not options["room"]):
                bad("to_site", "Bitte entweder --to-site oder --room angeben.")
            try:
                home = selectors.household_for(
                    actor, options["household"], Action.MANAGE_ACCOMMODATION
                )
            except PermissionDenied:
                self._fail([{"field": "", "message": "Dafür fehlt die Berechtigung."}], 1, as_json)
                return
            except Household.DoesNotExist:
                bad("household", "Diesen Haushalt gibt es nicht oder er ist nicht erreichbar.")
                return
            if options["room"]:
                rooms = list(Room.objects.filter(pk__in=options["room"], county=home.county))
                if len(rooms) != len(set(options["room"])):
                    bad("room", "Unbekanntes Zimmer.")
            else:
                rooms = [
                    room
                    for room in selectors.free_rooms(
                        actor=actor, county=home.county, day=day, household=home
                    )
                    if room.site_id == options["to_site"]
                ]
                if not rooms:
                    bad("to_site", "In dieser Unterkunft gibt es kein passendes freies Zimmer.")
            try:
                move = services.move_household(
                    actor=actor,
                    household=home,
                    day=day,
                    reason=options["reason"],
                    rooms=rooms,
                    note=options["note"],
                )
            except PermissionDenied:
                self._fail([{"field": "", "message": "Dafür fehlt die Berechtigung."}], 1, as_json)
                return
            except ValidationError as error:
                self._fail(validation_errors(error), 2, as_json)
                return
        body = {
            "id": move.pk,
            "household": home.pk,
            "reference": home.reference,
            "day": move.day.isoformat(),
            "kind": move.kind,
            "reason": move.reason,
            "from_site": move.from_site_id,
            "to_site": move.to_site_id,
        }
        if as_json:
            self.stdout.write(json.dumps(body, ensure_ascii=False))
        else:
            self.stdout.write(
                f"{move.get_kind_display()} von {home.reference} nach {move.to_site} "
                f"am {move.day:%d.%m.%Y} eingetragen."
            )
