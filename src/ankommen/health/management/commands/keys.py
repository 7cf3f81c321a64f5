"""``ankommen keys generate|status|rotate|check [--format json]``: field-encryption keys.

Exit codes: 0 success; 1 a value could not be decrypted (rotate/check); 2 usage.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ankommen.health import crypto, rotation


class Command(BaseCommand):
    help = "Schlüssel der Feldverschlüsselung (Gesundheitsdaten): erzeugen, prüfen, rotieren."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("generate", help="neuen Fernet-Schlüssel ausgeben")
        for name, text in (
            ("status", "Anzahl und Art der Schlüssel zeigen (nie die Schlüssel selbst)"),
            ("rotate", "alle verschlüsselten Felder mit dem ersten Schlüssel neu verschlüsseln"),
            ("check", "prüfen, dass jeder gespeicherte Wert entschlüsselbar ist"),
        ):
            command = sub.add_parser(name, help=text)
            command.add_argument("--format", choices=["text", "json"], default="text")

    def _out(self, options: dict[str, Any], payload: dict[str, Any], text: str) -> None:
        if options.get("format") == "json":
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            self.stdout.write(text)

    def handle(self, *args: Any, **options: Any) -> None:
        sub = options["subcommand"]
        if sub == "generate":
            self.stdout.write(crypto.generate_key())
            return
        if sub == "status":
            development = not settings.FIELD_ENCRYPTION_KEYS
            keys = len(crypto.configured_keys())
            label = (
                "ENTWICKLUNGSSCHLÜSSEL (aus SECRET_KEY abgeleitet, nie in Produktion)"
                if development
                else f"{keys} Schlüssel aus ANKOMMEN_FIELD_KEY"
            )
            self._out(options, {"keys": keys, "development_key": development}, label)
            return
        if sub == "rotate":
            try:
                counts = rotation.rotate_all(
                    on_model=lambda label, n: self.stderr.write(f"{label}: {n} Zeilen")
                )
            except crypto.DecryptionError as error:
                self.stderr.write(f"Abgebrochen, nichts geändert: {error}")
                sys.exit(1)
            self._out(
                options,
                {"ok": True, "rows": counts},
                f"{sum(counts.values())} Zeilen mit dem ersten Schlüssel neu verschlüsselt.",
            )
            return
        failures = rotation.check_all()
        bad = sum(failures.values())
        self._out(
            options,
            {"ok": not bad, "undecryptable": failures},
            "Alle Werte entschlüsselbar." if not bad else f"{bad} Zeilen nicht entschlüsselbar.",
        )
        if bad:
            sys.exit(1)
