"""``ankommen forecast --series FILE.csv --horizon H [--format json|text]``

Forecasts a monthly series (CSV ``month,value``) with the combined model and its rolling-origin
back-test (method: docs/planning.md). Exit codes: 0 a forecast was printed; 2 the file or the
arguments are unusable (the message names the line, the header being line 1).
With ``--format json`` stdout carries the JSON document only.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from ankommen.algorithms.forecast import (
    MAX_HORIZON,
    ForecastResult,
    SeriesError,
    forecast,
    parse_series_csv,
)


class Command(BaseCommand):
    help = "Monatsreihe prognostizieren (kombiniertes Modell, Intervalle aus dem Back-Test)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--series", required=True, help="CSV-Datei mit Kopfzeile month,value")
        parser.add_argument("--horizon", required=True, help=f"Monate voraus (1–{MAX_HORIZON})")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            horizon = int(options["horizon"])
        except ValueError:
            horizon = 0
        if not 1 <= horizon <= MAX_HORIZON:
            self._fail(
                f"Fehler: --horizon muss eine ganze Zahl von 1 bis {MAX_HORIZON} sein, "
                f"nicht „{options['horizon']}“."
            )
        path = Path(options["series"])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self._fail(f"Fehler: Die Datei {path} gibt es nicht.")
        except (UnicodeDecodeError, IsADirectoryError, PermissionError) as error:
            self._fail(f"Fehler: {path} ist keine lesbare UTF-8-Textdatei ({error}).")
        try:
            series = parse_series_csv(text)
        except SeriesError as error:
            self._fail("\n".join(f"Fehler in {path}: {e}" for e in error.errors))
        try:
            result = forecast(series, horizon)
        except SeriesError as error:  # too short for this horizon
            self._fail("\n".join(f"Fehler in {path}: {e}" for e in error.errors))
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self._write_text(result)

    def _write_text(self, result: ForecastResult) -> None:
        data = result.as_json()
        self.stdout.write(f"Methode: {data['method']}")
        self.stdout.write(
            f"{'Monat':<8} {'Prognose':>10} {'80 %-Intervall':>23} {'95 %-Intervall':>23} "
            f"{'naiv':>10}"
        )
        for row, naive in zip(data["forecast"], result.naive, strict=True):
            self.stdout.write(
                f"{row['month']:<8} {row['mean']:>10.1f} "
                f"{row['lo80']:>10.1f} – {row['hi80']:<10.1f} "
                f"{row['lo95']:>10.1f} – {row['hi95']:<10.1f} {naive:>10.1f}"
            )
        bt = data["backtest"]

        def show(value: float | None, percent: bool = False) -> str:
            if value is None:
                return "–"
            return f"{value * 100:.0f} %" if percent else f"{value:.3f}"

        self.stdout.write(
            f"Back-Test über {bt['origins']} Ursprünge: MASE {show(bt['mase'])} "
            f"(naiv {show(bt['mase_naive'])}); Abdeckung 80 %-Intervall "
            f"{show(bt['coverage80'], True)}, 95 %-Intervall {show(bt['coverage95'], True)}."
        )
