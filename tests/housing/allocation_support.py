"""Helpers for allocation import tests: valid rows and files."""

from __future__ import annotations

from typing import Any

from ankommen.algorithms.allocation_samples import to_csv, to_xlsx

__all__ = ["csv_file", "row", "to_csv", "to_xlsx"]


def row(**changes: Any) -> dict[str, Any]:
    base = {
        "Zuweisungsnummer": "Z-1",
        "Haushalt": "H-1",
        "Nachname": "Al-Hassan",
        "Vorname": "Muhammad",
        "Geburtsdatum": "00.00.1985",
        "Geschlecht": "m",
        "Staatsangehörigkeit": "Syrien",
        "Sprachen": "ara, kur",
        "Aufenthaltsstatus": "Aufenthaltserlaubnis §24",
        "Ankunft": "01.12.2026",
        "Bedarfe": "",
    }
    return base | changes


def family() -> list[dict[str, Any]]:
    """A household of three (mother pregnant, father, child) and a single woman."""
    return [
        row(),
        row(
            Zuweisungsnummer="Z-2",
            Vorname="فاطمة",
            Nachname="الحسن",
            Geschlecht="w",
            Geburtsdatum="1990-03-00",
            Bedarfe="schwanger, psychosozial",
        ),
        row(Zuweisungsnummer="Z-3", Vorname="Yusuf", Geburtsdatum="12.06.2019", Bedarfe=""),
        row(
            Zuweisungsnummer="Z-4",
            Haushalt="H-2",
            Nachname="Tesfay",
            Vorname="",
            Geschlecht="w",
            Geburtsdatum="00.00.2001",
            Staatsangehörigkeit="ERI",
            Sprachen="Tigrinya",
            Aufenthaltsstatus="Aufenthaltsgestattung",
            Ankunft="02.12.2026",
            Bedarfe="rollstuhl",
        ),
    ]


def csv_file(rows: list[dict[str, Any]] | None = None, **kwargs: Any) -> bytes:
    return to_csv(family() if rows is None else rows, **kwargs)
