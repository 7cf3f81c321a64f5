"""Synthetic allocation lists for tests, the benchmark and the demo (no real persons).

These writers produce *input* files as the Land would send them, formula-like cells included,
so they deliberately do not neutralise cells; exports of the platform use
:func:`ankommen.algorithms.allocation_lists.neutralise_cell`.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from ankommen.algorithms.allocation_lists import COLUMNS

HEADER: tuple[str, ...] = tuple(name for name, _ in COLUMNS)

_FAMILY_NAMES = (
    "Al-Hassan",
    "Haidari",
    "Kovalenko",
    "Tesfay",
    "Yilmaz",
    "محمد",
    "Ахмедов",
    "Rahimi",
    "Mohammadi",
    "Bondarenko",
)
_GIVEN = {
    "m": ("Muhammad", "Ahmad", "Yusuf", "Dmytro", "Amanuel", "Ali", "علي"),
    "w": ("Amina", "Fatima", "Olena", "Selam", "Zahra", "Maryam", "فاطمة"),
}
_NATIONALITIES = (
    ("SYR", ("ara", "kur")),
    ("AFG", ("prs", "pus")),
    ("UKR", ("ukr", "rus")),
    ("ERI", ("tir",)),
    ("TUR", ("tur", "kmr")),
    ("IRQ", ("ara", "ckb")),
)
_STATUSES = (
    "Aufenthaltsgestattung",
    "Aufenthaltserlaubnis §24",
    "Aufenthaltserlaubnis §25 Abs. 2 (Flüchtling)",
    "Duldung",
    "Aufenthaltsgestattung",
)


def sample_rows(count: int, *, seed: int = 5, start: date | None = None) -> list[dict[str, str]]:
    """``count`` valid rows in households of one to six persons, arriving over four weeks."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    start = start or date(2026, 12, 1)
    rows: list[dict[str, str]] = []
    household = 0
    while len(rows) < count:
        household += 1
        size = min(rng.choice((1, 1, 2, 3, 4, 5, 6)), count - len(rows))
        family = rng.choice(_FAMILY_NAMES)
        nationality, languages = rng.choice(_NATIONALITIES)
        arrival = start + timedelta(days=rng.randrange(28))
        status = rng.choice(_STATUSES)
        for member in range(size):
            adult = member < 2 or size == 1
            sex = rng.choice("mw") if member != 1 else "w"
            year = rng.randrange(1955, 2005) if adult else rng.randrange(2010, 2025)
            unknown = rng.random() < 0.1
            birth = (
                f"00.00.{year}"
                if unknown
                else f"{rng.randrange(1, 29):02d}.{rng.randrange(1, 13):02d}.{year}"
            )
            needs = []
            if rng.random() < 0.05:
                needs.append("rollstuhl")
            if sex == "w" and adult and rng.random() < 0.05:
                needs.append("schwanger")
            if rng.random() < 0.05:
                needs.append("psychosozial")
            rows.append(
                {
                    "Zuweisungsnummer": f"Z-{seed}-{len(rows) + 1:06d}",
                    "Haushalt": f"H-{seed}-{household:05d}",
                    "Nachname": family,
                    "Vorname": "" if rng.random() < 0.03 else rng.choice(_GIVEN[sex]),
                    "Geburtsdatum": birth,
                    "Geschlecht": sex,
                    "Staatsangehörigkeit": nationality,
                    "Sprachen": ", ".join(languages),
                    "Aufenthaltsstatus": status,
                    "Ankunft": arrival.strftime("%d.%m.%Y"),
                    "Bedarfe": ", ".join(needs),
                }
            )
    return rows


def to_csv(
    rows: Sequence[dict[str, Any]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8",
    bom: bool = False,
    header: Sequence[str] = HEADER,
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def to_xlsx(
    rows: Sequence[dict[str, Any]],
    *,
    header: Sequence[str] = HEADER,
    blank_rows_after: Sequence[int] = (),
) -> bytes:
    """An XLSX file whose first sheet holds the list; a blank row follows each data row
    whose index is in ``blank_rows_after`` (to test that lines are the sheet's row numbers)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Zuweisungen")
    sheet.append(list(header))
    for index, row in enumerate(rows):
        sheet.append([row.get(name) or None for name in header])
        if index in blank_rows_after:
            sheet.append([])
    workbook.create_sheet("Hinweise").append(["Dieses Blatt wird nicht gelesen."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
