"""Dated stays for other apps (reimbursement): who lived in which kind of facility on which
days. County-level reads without names; callers check access first."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from ankommen.core.models import County, Site
from ankommen.housing.models import Occupancy

# Kinds a reimbursement rule distinguishes: a flat, or shared accommodation (GU, emergency
# shelter and Wohnungsverbund, which the LAufnGErstV counts with the GU).
FLAT_SITE_KINDS = frozenset({Site.Kind.APARTMENT})


@dataclass(frozen=True)
class Stay:
    person_id: int
    site_id: int
    site_kind: str
    first: date
    last: date | None  # last night included (the day before move-out); None while it lasts

    @property
    def is_flat(self) -> bool:
        return self.site_kind in FLAT_SITE_KINDS


def stays_between(county: County, first: date, last: date) -> Iterator[Stay]:
    """Every occupancy of the county that overlaps ``first`` … ``last`` (one query, streamed)."""
    rows = (
        Occupancy.objects.filter(county=county, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=first))
        .values_list("person_id", "site_id", "site__kind", "valid_from", "valid_to")
        .order_by()
    )
    for person_id, site_id, kind, valid_from, valid_to in rows.iterator(chunk_size=20000):
        end = None if valid_to is None else valid_to - timedelta(days=1)
        if end is not None and end < valid_from:
            continue  # moved out on the day of moving in: no night
        yield Stay(person_id, site_id, kind, valid_from, end)
