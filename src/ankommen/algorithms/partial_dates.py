"""Dates whose day or month may be unknown, as is common for dates of birth of refugees.

German documents write an unknown part as ``00`` (``00.00.1990``, ``00.05.1990``); ISO style
input uses ``1990-00-00``. A known day with an unknown month is not a valid date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_GERMAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR_ONLY = re.compile(r"^(\d{4})$")

MIN_YEAR = 1900


class PartialDateError(ValueError):
    """Raised with a German message naming what is wrong with the input."""


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.year < MIN_YEAR or self.year > 9999:
            raise PartialDateError(f"Das Jahr {self.year} liegt außerhalb des gültigen Bereichs.")
        if self.month is None and self.day is not None:
            raise PartialDateError("Ein Tag ohne Monat ist nicht zulässig.")
        if self.month is not None and not 1 <= self.month <= 12:
            raise PartialDateError(f"Den Monat {self.month} gibt es nicht.")
        if self.day is not None and self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise PartialDateError(
                    f"Den Tag {self.day} gibt es im Monat {self.month}/{self.year} nicht."
                )

    @property
    def is_complete(self) -> bool:
        return self.day is not None

    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def age_on(self, day: date) -> int:
        """Age in whole years; with unknown parts, the age is the lowest it can be on ``day``."""
        born = self.latest()
        years = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        return max(years, 0)

    def german(self) -> str:
        """Format as a German document would: unknown parts as ``00``."""
        return f"{self.day or 0:02d}.{self.month or 0:02d}.{self.year:04d}"

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month or 0:02d}-{self.day or 0:02d}"


def parse_partial_date(text: str) -> PartialDate:
    """Parse ``TT.MM.JJJJ``, ``JJJJ-MM-TT`` or ``JJJJ``, with ``00`` for unknown parts."""
    value = text.strip()
    if match := _GERMAN.match(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _YEAR_ONLY.match(value):
        year, month, day = int(match.group(1)), 0, 0
    else:
        raise PartialDateError(
            f"„{value[:40]}“ ist kein Datum. Erwartet: TT.MM.JJJJ oder JJJJ-MM-TT "
            "(unbekannte Teile als 00)."
        )
    return PartialDate(year, month or None, day or None)
