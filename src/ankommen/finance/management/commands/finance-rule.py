"""``ankommen finance-rule --county SLUG --kind KIND [--housing H] --valid-from YYYY-MM-DD
[--amount EUR] --paragraph TEXT --source TEXT [--note TEXT] [--format json]``

Adds a dated reimbursement rule for a county (e.g. the amounts of a new LAufnGErstV year).
Exit codes: 0 added; 2 unusable arguments (the message names the field and the reason);
nothing is written on error.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from ankommen.core.models import County
from ankommen.finance.models import HousingKind, RuleKind
from ankommen.finance.services import add_rule


class Command(BaseCommand):
    help = "Neue Erstattungsregel (datierter Betrag mit Quelle) für einen Landkreis anlegen."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--county", required=True, help="Kürzel des Landkreises")
        parser.add_argument("--kind", required=True, choices=RuleKind.values)
        parser.add_argument("--housing", default="", choices=HousingKind.values)
        parser.add_argument("--valid-from", required=True, help="JJJJ-MM-TT")
        parser.add_argument("--amount", help="Betrag in Euro, z. B. 7250.00")
        parser.add_argument("--paragraph", required=True, help="Rechtsgrundlage")
        parser.add_argument("--source", required=True, help="Fundstelle der Veröffentlichung")
        parser.add_argument("--note", default="")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        county = County.objects.filter(slug=options["county"]).first()
        if county is None:
            self._fail(f"Fehler: Einen Landkreis „{options['county']}“ gibt es nicht.")
        try:
            valid_from = date.fromisoformat(options["valid_from"])
        except ValueError:
            self._fail(f"Fehler: --valid-from „{options['valid_from']}“ ist kein Datum JJJJ-MM-TT.")
        amount = None
        if options["amount"] not in (None, ""):
            try:
                amount = Decimal(options["amount"].replace(",", "."))
            except InvalidOperation:
                self._fail(f"Fehler: --amount „{options['amount']}“ ist kein Betrag.")
        try:
            rule = add_rule(
                actor=None,
                county=county,
                kind=options["kind"],
                housing=options["housing"],
                valid_from=valid_from,
                amount=amount,
                paragraph=options["paragraph"],
                source=options["source"],
                note=options["note"],
            )
        except ValidationError as error:
            self._fail(
                "\n".join(
                    f"Fehler bei {field}: {message}"
                    for field, messages in error.message_dict.items()
                    for message in messages
                )
            )
        if options["format"] == "json":
            self.stdout.write(json.dumps({"id": rule.pk, "created": True}))
        else:
            self.stdout.write(f"Regel {rule.pk} angelegt: {rule}")
