"""The county's own monthly allocations, computed from what the county has recorded.

A person counts in the month they were allocated to the county: the planned arrival of their
row in an imported allocation list (:class:`housing.Allocation`) where there is one, otherwise
the allocation date on the person (``Person.allocated_on``, set by the import, the demo and the
person form). Nothing is typed in. Months without allocations count 0; the month in progress
and later months are left out (they are not complete), so the series ends with the last
complete month. Counts only, no personal data.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Count, DateField
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from ankommen.algorithms.forecast import Series
from ankommen.core.models import County
from ankommen.people.models import Person


def month_index(day: date) -> int:
    """``year * 12 + month - 1``, the month numbering of :class:`algorithms.forecast.Series`."""
    return day.year * 12 + day.month - 1


def county_allocations(county: County, *, today: date | None = None) -> Series:
    """Persons allocated to ``county`` per month, from its first allocation to the last complete
    month before ``today``. An empty series (no values) when nothing was allocated before."""
    today = today or timezone.localdate()
    current = month_index(today)
    rows = (
        Person._base_manager.filter(county=county)
        .annotate(
            day=Coalesce("allocation__planned_arrival", "allocated_on", output_field=DateField())
        )
        .filter(day__isnull=False, day__lt=today.replace(day=1))
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    counts: Counter[int] = Counter()
    for row in rows:
        counts[month_index(row["month"])] += row["n"]
    if not counts:
        return Series(start=current, values=())
    start = min(counts)
    return Series(start=start, values=tuple(float(counts[m]) for m in range(start, current)))
