"""What the capacity plan reads from the database: counts only, never a person's data.

* occupancy and usable beds today, overall and for the scarce kinds of place;
* exit rates from the county's dated occupancy history (:func:`exit_rates`);
* the share of allocated persons who moved into county accommodation (:func:`housed_share`);
* the demand shares of the scarce kinds from the households allocated recently
  (:func:`demand_history`).

Kinds of place: *barrier-free* and *women-only* are room flags; a *family room* is a room that
is not women-only, has at least two usable beds and today holds no one or one household of two
or more (a room shared by single adults is not a family room). Plain functions; the caller
checks access.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, DateField
from django.db.models.functions import Coalesce

from ankommen.algorithms.capacity import (
    KINDS,
    Arrived,
    ExitRates,
    Stay,
    demand_shares,
    estimate_exit_rates,
)
from ankommen.core.models import County
from ankommen.housing.models import ACCOMMODATION_KINDS, Bed, Occupancy
from ankommen.people.models import Person, Vulnerability

#: Days of history the exit rates and the housed share are estimated on.
EXIT_WINDOW_DAYS = 365
#: Days of allocations the demand shares of the scarce kinds are estimated on.
DEMAND_WINDOW_DAYS = 730

_REASONS: dict[str, str] = {
    Occupancy.MoveOutReason.FLAT: "flat",
    Occupancy.MoveOutReason.TRANSFER: "transfer",
    Occupancy.MoveOutReason.REDISTRIBUTION: "transfer",
    Occupancy.MoveOutReason.DEPARTURE: "departure",
}


@dataclass(frozen=True)
class PlaceCount:
    occupied: int
    usable: int


@dataclass
class SiteBeds:
    """Usable beds of one facility, overall and per scarce kind (for closing it)."""

    usable: int = 0
    kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))


@dataclass(frozen=True)
class Places:
    total: PlaceCount
    kinds: dict[str, PlaceCount]
    reserved: int  # beds held in reserve (Vorhaltung) today
    closed: int
    sites: dict[int, SiteBeds]


def places_today(county: County, day: date) -> Places:
    """Occupied and usable beds in the county's accommodation on ``day``."""
    beds = (
        Bed.objects.filter(county=county, room__site__kind__in=ACCOMMODATION_KINDS)
        .values("state", "room_id", "room__site_id", "room__barrier_free", "room__women_only")
        .annotate(n=Count("pk"))
    )
    rooms: dict[int, dict[str, object]] = {}
    reserved = closed = 0
    for row in beds:
        if row["state"] == Bed.State.RESERVED:
            reserved += row["n"]
        elif row["state"] == Bed.State.CLOSED:
            closed += row["n"]
        else:
            rooms[row["room_id"]] = {
                "site": row["room__site_id"],
                "usable": row["n"],
                "barrier_free": row["room__barrier_free"],
                "women_only": row["room__women_only"],
            }
    occupants: dict[int, list[int]] = defaultdict(list)
    total_occupied = 0
    for room_id, household_id in (
        Occupancy.objects.on(day)
        .filter(county=county, site__kind__in=ACCOMMODATION_KINDS)
        .values_list("bed__room_id", "household_id")
    ):
        occupants[room_id].append(household_id)
        total_occupied += 1
    kinds = {kind: [0, 0] for kind in KINDS}
    sites: dict[int, SiteBeds] = defaultdict(SiteBeds)
    total_usable = 0
    for room_id, room in rooms.items():
        usable = int(room["usable"])  # type: ignore[call-overload]
        total_usable += usable
        site = sites[int(room["site"])]  # type: ignore[call-overload]
        site.usable += usable
        here = occupants.get(room_id, [])
        flags = {
            "barrier_free": bool(room["barrier_free"]),
            "women_only": bool(room["women_only"]),
            "family": not room["women_only"]
            and usable >= 2
            and len(set(here)) <= 1
            and len(here) != 1,
        }
        for kind, flag in flags.items():
            if flag:
                kinds[kind][0] += len(here)
                kinds[kind][1] += usable
                site.kinds[kind] += usable
    return Places(
        total=PlaceCount(total_occupied, total_usable),
        kinds={kind: PlaceCount(o, u) for kind, (o, u) in kinds.items()},
        reserved=reserved,
        closed=closed,
        sites=dict(sites),
    )


def _stays(county: County, since: date) -> list[Stay]:
    """Stays in county accommodation that reach into the window; a move between the county's
    own facilities (the next bed from the day the last one ends) joins two occupancies."""
    rows = (
        Occupancy.objects.filter(county=county, site__kind__in=ACCOMMODATION_KINDS)
        .exclude(valid_to__lt=since)
        .order_by("person_id", "valid_from", "pk")
        .values_list("person_id", "valid_from", "valid_to", "move_out_reason")
    )
    stays: list[Stay] = []
    person = start = end = None
    reason = ""
    for person_id, valid_from, valid_to, move_out in rows:
        if person_id == person and end is not None and valid_from <= end:
            end, reason = valid_to, move_out  # continues (a move within the county)
            if valid_to is None:
                end = None
            continue
        if person is not None and start is not None:
            stays.append(Stay(start, end, _REASONS.get(reason, "other")))
        person, start, end, reason = person_id, valid_from, valid_to, move_out
    if person is not None and start is not None:
        stays.append(Stay(start, end, _REASONS.get(reason, "other")))
    return stays


def exit_rates(county: County, day: date) -> ExitRates:
    """Monthly exit probabilities over the :data:`EXIT_WINDOW_DAYS` before ``day``."""
    since = day - timedelta(days=EXIT_WINDOW_DAYS)
    return estimate_exit_rates(_stays(county, since), since=since, until=day)


def _allocated(county: County) -> object:
    return Person._base_manager.filter(county=county).annotate(
        day=Coalesce("allocation__planned_arrival", "allocated_on", output_field=DateField())
    )


def housed_share(county: County, day: date) -> tuple[float, int, int]:
    """Share of the persons allocated in the window who moved into county accommodation in it
    (at most 1; 1 when none were allocated), with the two counts."""
    since = day - timedelta(days=EXIT_WINDOW_DAYS)
    allocated = _allocated(county).filter(day__gte=since, day__lt=day).count()  # type: ignore[attr-defined]
    moved_in = (
        Occupancy.objects.filter(
            county=county,
            site__kind__in=ACCOMMODATION_KINDS,
            move_in_reason=Occupancy.MoveInReason.ALLOCATION,
            valid_from__gte=since,
            valid_from__lt=day,
        )
        .values("person_id")
        .distinct()
        .count()
    )
    if allocated == 0:
        return 1.0, 0, moved_in
    return min(1.0, moved_in / allocated), allocated, moved_in


def demand_history(county: County, day: date) -> tuple[dict[str, float], int]:
    """Demand shares of the scarce kinds among the persons allocated in the
    :data:`DEMAND_WINDOW_DAYS` before ``day``, and how many persons they rest on."""
    since = day - timedelta(days=DEMAND_WINDOW_DAYS)
    rows = (
        _allocated(county)
        .filter(day__gte=since, day__lt=day)  # type: ignore[attr-defined]
        .values_list("pk", "household_id", "sex", "birth_year", "day", "allocation__needs")
    )
    disabled = set(
        Vulnerability.objects.filter(
            county=county, category=Vulnerability.Category.DISABILITY
        ).values_list("person_id", flat=True)
    )
    households: dict[int, list[tuple[str, int, bool]]] = defaultdict(list)
    for pk, household_id, sex, birth_year, allocated_on, needs in rows:
        barrier_free = pk in disabled or "rollstuhl" in (needs or [])
        households[household_id].append((sex, allocated_on.year - birth_year, barrier_free))
    arrived = [
        Arrived(
            persons=len(members),
            children=sum(1 for _sex, age, _bf in members if age < 18),
            single_woman=len(members) == 1 and members[0][0] == "w" and members[0][1] >= 18,
            barrier_free=sum(1 for *_x, bf in members if bf),
        )
        for members in households.values()
    ]
    return demand_shares(arrived), sum(a.persons for a in arrived)
