"""The county's own monthly allocations, computed from what the county has recorded.

A person counts in the month they were allocated to the county: the planned arrival of their
row in an imported allocation list (:class:`housing.Allocation`) where there is one, otherwise
the allocation date on the person (``Person.allocated_on``, set by the import, the demo and the
person form). Nothing is typed in. Months without allocations count 0; the month in progress
and later months are left out (they are not complete), so the series ends with the last
complete month. Counts only, no personal data.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from ankommen.algorithms.forecast import Series
from ankommen.core.models import County
from ankommen.planning.selectors_intake import intake_by_month, month_index


def county_allocations(county: County, *, today: date | None = None) -> Series:
    """Persons allocated to ``county`` per month, from its first allocation to the last complete
    month before ``today``. An empty series (no values) when nothing was allocated before.
    Counted as the Aufnahmesoll counts intake (``selectors_intake.intake_by_month``)."""
    today = today or timezone.localdate()
    current = month_index(today)
    counts = intake_by_month(county, day=today.replace(day=1) - timedelta(days=1))
    if not counts:
        return Series(start=current, values=())
    start = min(counts)
    return Series(start=start, values=tuple(float(counts.get(m, 0)) for m in range(start, current)))
