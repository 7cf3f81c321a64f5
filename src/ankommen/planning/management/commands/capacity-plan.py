"""``ankommen capacity-plan --county SLUG [--scenario ID] [--runs N] [--seed S] [--risk R]
[--format json|text]``

Simulates the county's capacity plan for the next 12 months (method: docs/planning.md), the
baseline or a scenario, with the reserve for the accepted shortage risk. Exit codes: 0 the plan
was printed; 2 the arguments are unusable (unknown county or scenario, runs or risk out of
range). With ``--format json`` stdout carries the JSON document only; progress goes to stderr.
"""

from __future__ import annotations

import json
import sys
import time
from argparse import ArgumentParser
from typing import Any, NoReturn

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from ankommen.algorithms.capacity import MAX_RUNS, CapacityError
from ankommen.core.models import County
from ankommen.planning import plan
from ankommen.planning.models import Scenario


class Command(BaseCommand):
    help = "Kapazitätsplan simulieren (Basis oder Szenario, mit Vorhaltung)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--county", required=True, help="Kürzel des Landkreises (slug)")
        parser.add_argument("--scenario", help="Nummer (ID) eines Szenarios dieses Landkreises")
        parser.add_argument("--runs", default=str(plan.DEFAULT_RUNS), help="Simulationsläufe")
        parser.add_argument("--seed", default=str(plan.DEFAULT_SEED), help="Startwert")
        parser.add_argument("--risk", default=str(plan.DEFAULT_RISK), help="z. B. 0.05")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(f"Fehler: {message}")
        sys.exit(2)

    def _number(self, options: dict[str, Any], name: str, kind: type) -> Any:
        try:
            return kind(options[name])
        except ValueError:
            self._fail(f"--{name} „{options[name]}“ ist keine Zahl.")

    def handle(self, *args: Any, **options: Any) -> None:
        runs = self._number(options, "runs", int)
        seed = self._number(options, "seed", int)
        risk = self._number(options, "risk", float)
        if not 1 <= runs <= MAX_RUNS:
            self._fail(f"--runs muss zwischen 1 und {MAX_RUNS} liegen.")
        if not 0 < risk < 1:
            self._fail("--risk muss zwischen 0 und 1 liegen (z. B. 0.05 für 5 %).")
        with scopes_disabled():
            county = County.objects.filter(slug=options["county"]).first()
            if county is None:
                self._fail(f"Einen Landkreis „{options['county']}“ gibt es nicht.")
            scenario = None
            if options["scenario"] is not None:
                number = options["scenario"]
                scenario = (
                    Scenario.objects.filter(pk=int(number), county=county).first()
                    if str(number).isdigit()
                    else None
                )
                if scenario is None:
                    self._fail(f"Ein Szenario {number} gibt es im Landkreis {county.slug} nicht.")
            started = time.monotonic()
            self.stderr.write("Prognose und Eingangsdaten werden berechnet …")
            base = plan.baseline(county)
            self.stderr.write(f"Simulation mit {runs} Läufen …")
            try:
                result = plan.run_plan(base, scenario, runs=runs, seed=seed, risk=risk)
            except CapacityError as error:
                self._fail(str(error))
            self.stderr.write(f"fertig nach {time.monotonic() - started:.1f} s")
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self._write_text(result)

    def _write_text(self, result: plan.PlanResult) -> None:
        base = result.baseline
        write = self.stdout.write
        write(f"Kapazitätsplan {base.county.name} – {result.title} (Stand {base.today:%d.%m.%Y})")
        write(f"Prognose: {base.forecast.method}")
        bt = base.forecast.backtest
        if bt:
            write(
                f"Back-Test: MASE {bt['mase']} (naiv {bt['mase_naive']}), Abdeckung 80 % "
                f"{bt['coverage80']}, 95 % {bt['coverage95']} über {bt['origins']} Ursprünge"
            )
        write(
            f"Heute belegt {base.places.total.occupied} von {base.places.total.usable} Plätzen; "
            f"Auszugswahrscheinlichkeit {base.exits.total * 100:.1f} % je Monat; "
            f"untergebracht werden {base.housed_share * 100:.0f} % der Zugewiesenen."
        )
        write(
            f"{'Monat':<8} {'Zuweisungen':>11} {'Belegung':>9} {'10–90 %':>13} "
            f"{'Kapazität':>9} {'P(Mangel)':>9}"
        )
        sim = result.simulation
        for month, arrivals in zip(sim.total, sim.arrivals_expected, strict=True):
            band = f"{month.p10:.0f}–{month.p90:.0f}"
            write(
                f"{month.month:<8} {arrivals:>11.1f} {month.expected:>9.0f} {band:>13} "
                f"{month.capacity:>9} {month.shortage * 100:>8.1f}%"
            )
        for kind, rows in sim.kinds.items():
            peak = max(m.shortage for m in rows)
            write(f"{kind}: höchste Mangelwahrscheinlichkeit {peak * 100:.1f} %")
        reserve = result.reserve
        cost = (
            f", {reserve.monthly_cost} € je Monat (davon leer im Mittel "
            f"{reserve.monthly_unreimbursed} €)"
            if reserve.monthly_cost is not None
            else " (keine Kosten je Platz erfasst)"
        )
        write(
            f"Vorhaltung für {reserve.reserve.risk * 100:.0f} % Risiko: "
            f"{reserve.reserve.places} Plätze{cost}"
        )
