"""The Aufnahmesoll: the Land's yearly quota for the county against the persons taken in, with
the carry-over into the next year (``algorithms.intake.carry_over``). Counts only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ankommen.algorithms.intake import QuotaYear, carry_over
from ankommen.core.models import County
from ankommen.planning import selectors_intake as selectors
from ankommen.planning.models_intake import IntakeQuota

#: Years shown before the year asked for, at most.
YEARS_BACK = 9


@dataclass(frozen=True)
class QuotaRow:
    figures: QuotaYear
    source: str
    verified: bool

    def as_json(self) -> dict[str, Any]:
        f = self.figures
        fulfilment = f.fulfilment
        return {
            "year": f.year,
            "quota": f.quota,
            "verified": self.verified,
            "source": self.source,
            "carried_in": f.carried_in,
            "target": f.target,
            "intake": f.intake,
            "balance": f.balance,
            "fulfilment": None if fulfilment is None else round(fulfilment, 4),
            "so_far": f.so_far,
        }


@dataclass(frozen=True)
class QuotaReport:
    county: County
    year: int
    day: date
    rows: list[QuotaRow]

    @property
    def current(self) -> QuotaRow:
        return self.rows[-1]

    def as_json(self) -> dict[str, Any]:
        return {
            "county": self.county.slug,
            "year": self.year,
            "day": self.day.isoformat(),
            "current": self.current.as_json(),
            "years": [row.as_json() for row in self.rows],
        }


def aufnahmesoll(*, county: County, year: int, day: date) -> QuotaReport:
    """The year ``year`` and the years before it that have a quota or an intake (at most
    :data:`YEARS_BACK`), intake counted up to ``day``."""
    quotas = {q.year: q for q in IntakeQuota.objects.filter(county=county, year__lte=year)}
    intake = selectors.intake_by_year(county, day=day)
    known = [y for y in (*quotas, *intake) if y <= year]
    first = max(min([*known, year]), year - YEARS_BACK)
    years = list(range(first, year + 1))
    figures = carry_over(
        {y: q.quota for y, q in quotas.items()},
        {y: n for y, n in intake.items() if y <= year},
        years,
        # The year of ``day`` is counted so far, unless ``day`` is its last day.
        current_year=day.year if (day.month, day.day) != (12, 31) else None,
    )
    rows = [
        QuotaRow(
            figures=f,
            source=quotas[f.year].source if f.year in quotas else "",
            verified=quotas[f.year].verified if f.year in quotas else False,
        )
        for f in figures
    ]
    return QuotaReport(county=county, year=year, day=day, rows=rows)
