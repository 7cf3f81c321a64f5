"""``ankommen casework overdue --county SLUG [--day DATE] [--format json|text]`` and
``ankommen casework caseload --county SLUG [--day DATE] [--format json|text] [--check]``

Unattended jobs of Migrationssozialarbeit, run as the system (no user; the county is named):

- ``overdue``: open referrals whose follow-up date has passed, per caseworker (a reminder job).
  It reads case data (who, which service), so it records one audit event for the read.
- ``caseload``: open cases per full-time equivalent against the county's staffing key, per
  provider, facility and caseworker (counts only).

With ``--format json`` stdout carries only the JSON. Exit codes: 0 done; 1 ``--check`` found a
provider or facility above the key; 2 bad arguments or an unknown county.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any, NoReturn

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_scopes import scopes_disabled

from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.casework import aggregates, selectors
from ankommen.core.models import County


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"„{text}“ ist kein Datum (JJJJ-MM-TT).") from None


def _load(row: aggregates.Row) -> dict[str, Any]:
    load = row.load
    return {
        "name": row.name,
        "id": row.key,
        "cases": load.cases,
        "fte": load.fte,
        "per_fte": load.per_fte,
        "above": load.above,
        "fte_needed": load.fte_needed,
    }


class Command(BaseCommand):
    help = "Migrationssozialarbeit: überfällige Wiedervorlagen, Fallzahl gegen Personalschlüssel."

    def add_arguments(self, parser: ArgumentParser) -> None:
        jobs = parser.add_subparsers(dest="job", required=True)
        for name, text in (
            ("overdue", "überfällige Wiedervorlagen je Fachkraft"),
            ("caseload", "Fälle je Vollzeitstelle gegen den Personalschlüssel"),
        ):
            job = jobs.add_parser(name, help=text)
            job.add_argument("--county", required=True, help="Kürzel des Landkreises")
            job.add_argument("--day", type=_day, help="Stichtag JJJJ-MM-TT (Standard: heute)")
            job.add_argument("--format", choices=["json", "text"], default="text")
            if name == "caseload":
                job.add_argument(
                    "--check",
                    action="store_true",
                    help="Exit-Code 1, wenn ein Träger oder eine Unterkunft darüber liegt",
                )

    def _fail(self, message: str, code: int) -> NoReturn:
        self.stderr.write(message)
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        county = County.objects.filter(slug=options["county"]).first()
        if county is None:
            self._fail(f"Fehler: Den Landkreis „{options['county']}“ gibt es nicht.", 2)
        day = options["day"] or timezone.localdate()
        as_json = options["format"] == "json"
        with scopes_disabled():
            if options["job"] == "overdue":
                self._overdue(county, day, as_json)
            else:
                self._caseload(county, day, as_json, options["check"])

    def _overdue(self, county: County, day: date, as_json: bool) -> None:
        lists = selectors.worklists(actor=None, day=day, system_county=county)
        result: list[dict[str, Any]] = [
            {
                "caseworker": str(w.caseworker) if w.caseworker else None,
                "caseworker_id": getattr(w.caseworker, "pk", None),
                "referrals": [
                    {
                        "id": r.pk,
                        "case": r.case_id,
                        "household": r.case.household.reference,
                        "provider": r.case.provider.name,
                        "service": r.service,
                        "status": r.status,
                        "follow_up_on": r.follow_up_on.isoformat() if r.follow_up_on else None,
                        "days_overdue": (day - r.follow_up_on).days if r.follow_up_on else 0,
                    }
                    for r in w.referrals
                ],
            }
            for w in lists
        ]
        record_event(
            actor=None,
            action=AuditEvent.Action.READ,
            county=county,
            object_type="casework.referral",
            purpose="Wiedervorlagen (ankommen casework overdue)",
            details={"referrals": sum(len(w["referrals"]) for w in result)},
        )
        if as_json:
            self.stdout.write(
                json.dumps(
                    {"county": county.slug, "day": day.isoformat(), "worklists": result},
                    ensure_ascii=False,
                )
            )
            return
        if not result:
            self.stdout.write(
                f"{county.name}: keine überfälligen Wiedervorlagen am {day:%d.%m.%Y}."
            )
        for w in result:
            self.stdout.write(f"{w['caseworker'] or 'ohne Fachkraft'} ({len(w['referrals'])}):")
            for r in w["referrals"]:
                self.stdout.write(
                    f"  {r['follow_up_on']}  {r['household']}  {r['service']}  "
                    f"({r['days_overdue']} Tage überfällig)"
                )

    def _caseload(self, county: County, day: date, as_json: bool, check: bool) -> None:
        load = aggregates.caseload(county=county, day=day)
        ratio = load.ratio
        result = {
            "county": county.slug,
            "day": day.isoformat(),
            "ratio": {
                "per_fte": ratio.per_fte,
                "unit": ratio.unit,
                "source": ratio.source,
                "verified": ratio.verified,
                "configured": ratio.configured,
            },
            "total": {
                "cases": load.total.cases,
                "fte": load.total.fte,
                "per_fte": load.total.per_fte,
                "above": load.total.above,
                "fte_needed": load.total.fte_needed,
            },
            "providers": [_load(r) for r in load.providers],
            "facilities": [_load(r) for r in load.facilities],
            "caseworkers": [_load(r) for r in load.caseworkers],
        }
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            flag = "" if ratio.verified else " (Verbindlichkeit ungeprüft)"
            self.stdout.write(
                f"{county.name}: Schlüssel 1:{ratio.per_fte} {ratio.unit_label}{flag}"
            )
            for title, rows in (("Träger", load.providers), ("Unterkünfte", load.facilities)):
                self.stdout.write(f"{title}:")
                for row in rows:
                    mark = "ÜBER DEM SCHLÜSSEL" if row.load.above else "ok"
                    per = "keine Stelle" if row.load.per_fte is None else row.load.per_fte
                    self.stdout.write(
                        f"  {row.name}: {row.load.cases} Fälle, {row.load.fte} VZÄ, "
                        f"{per} je VZÄ – {mark}"
                    )
        if check and load.above:
            self.stderr.write(f"{len(load.above)} über dem Personalschlüssel.")
            sys.exit(1)
