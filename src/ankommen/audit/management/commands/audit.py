"""``ankommen audit verify [--format json]``: check the hash chain of the audit log.

Exit codes: 0 the chain is intact, 1 a break was found.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from ankommen.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit-Protokoll prüfen (Hash-Kette)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Hash-Kette des Protokolls prüfen")
        verify.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        count, breaks = verify_chain()
        if options["format"] == "json":
            payload = {
                "ok": not breaks,
                "events": count,
                "breaks": [{"sequence": b.sequence, "reason": b.reason} for b in breaks],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        elif breaks:
            for item in breaks:
                self.stderr.write(f"Eintrag {item.sequence}: {item.reason}")
            self.stderr.write(f"{count} Einträge geprüft, {len(breaks)} Fehler.")
        else:
            self.stdout.write(f"{count} Einträge geprüft, Kette unversehrt.")
        if breaks:
            sys.exit(1)
