"""Placement recommendation from the database: the adapter around
:mod:`ankommen.algorithms.placement`.

:func:`build_instance` reads announced households (an allocation with planned arrival in a
window, no bed yet) and the free rooms of the county into the instance format of
``docs/placement.md``; :func:`run_placement` solves a stored :class:`PlacementRun` (in a
background thread after the request, or at once); :func:`accept_placement` turns one
recommended placement into bed assignments.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from ankommen.algorithms.partial_dates import PartialDate
from ankommen.algorithms.placement import Household as Template
from ankommen.algorithms.placement import Member, Sex, parse_instance, solve
from ankommen.algorithms.placement_lookahead import FutureWeek, Outlook, Profile, solve_lookahead
from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import Site
from ankommen.housing.models import (
    Allocation,
    Bed,
    BedStatus,
    FacilityFeature,
    Move,
    Occupancy,
    PlacementRun,
    Room,
)
from ankommen.housing.services import move_household
from ankommen.people.models import Household, Person, Vulnerability

if TYPE_CHECKING:
    from ankommen.core.models import County, User

logger = logging.getLogger(__name__)

# Facilities offered to new arrivals (flats come later, after the shared-accommodation phase).
PLACEMENT_KINDS = (
    Site.Kind.SHARED_ACCOMMODATION,
    Site.Kind.APARTMENT_CLUSTER,
    Site.Kind.EMERGENCY,
)
MAX_WINDOW_DAYS = 92
# A run still unfinished after this long lost its worker (e.g. a restart): shown as failed.
STALE_AFTER = timedelta(minutes=10)
CHILDCARE_AGE = 6  # under school age
LOOK_AHEAD_SCENARIOS = 8  # sampled futures per recommendation (docs/placement.md)

# Needs of the allocation list (column "Bedarfe") → need codes of the placement model.
ALLOCATION_NEEDS: Mapping[str, tuple[str, ...]] = {
    "rollstuhl": ("wheelchair",),
    "psychosozial": ("psychosocial",),
    "schwanger": ("medical",),
    "pflege": ("medical",),
    "chronisch": ("medical",),
    "alleinerziehend": ("childcare",),
}
# Vulnerabilities (Art. 21 Directive 2013/33/EU) → need codes, served by facility features.
VULNERABILITY_NEEDS: Mapping[str, tuple[str, ...]] = {
    Vulnerability.Category.MENTAL_DISORDER: ("psychosocial",),
    Vulnerability.Category.VIOLENCE: ("psychosocial",),
    Vulnerability.Category.TRAFFICKING: ("psychosocial", "women_protection"),
    Vulnerability.Category.GENDER_BASED_VIOLENCE: ("psychosocial", "women_protection"),
    Vulnerability.Category.SERIOUS_ILLNESS: ("medical",),
    Vulnerability.Category.PREGNANT: ("medical",),
    Vulnerability.Category.ELDERLY: ("medical",),
    Vulnerability.Category.SINGLE_PARENT: ("childcare",),
    Vulnerability.Category.DISABILITY: ("barrier_free_access",),
}


def _key(prefix: str, pk: int) -> str:
    return f"{prefix}{pk}"


def _pk(key: str, prefix: str) -> int:
    if not key.startswith(prefix) or not key[len(prefix) :].isdigit():
        raise ValidationError(_("Unbekannte Kennung „%(key)s“.") % {"key": key[:40]})
    return int(key[len(prefix) :])


@dataclass
class Announced:
    household: Household
    arrival: date
    members: list[Person]


def announced_households(*, county: County, window_from: date, window_to: date) -> list[Announced]:
    """Households with an allocation whose planned arrival lies in the window and members
    without a bed (booked or current); earliest arrival first. A fixed number of queries."""
    arrivals = dict(
        Allocation.objects.filter(
            county=county, planned_arrival__gte=window_from, planned_arrival__lte=window_to
        )
        .values("household_id")
        .annotate(first=Min("planned_arrival"))
        .values_list("household_id", "first")
    )
    housed = Occupancy.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=window_from))
    members: dict[int, list[Person]] = defaultdict(list)
    for person in (
        Person._base_manager.filter(household_id__in=list(arrivals))
        .exclude(pk__in=housed.values("person_id"))
        .order_by("birth_year", "pk")
    ):
        members[person.household_id].append(person)
    households = Household._base_manager.in_bulk(list(members))
    result = [Announced(households[pk], arrivals[pk], persons) for pk, persons in members.items()]
    return sorted(result, key=lambda item: (item.arrival, item.household.reference))


def _member_needs(persons: Iterable[Person], day: date) -> tuple[dict[int, set[str]], list[int]]:
    """Need codes per person from allocation needs and vulnerabilities in force on ``day``;
    and the persons whose health-related categories were read (to audit the read)."""
    persons = list(persons)
    needs: dict[int, set[str]] = {person.pk: set() for person in persons}
    for person_id, codes in Allocation.objects.filter(person__in=persons).values_list(
        "person_id", "needs"
    ):
        for code in codes or []:
            needs[person_id].update(ALLOCATION_NEEDS.get(str(code).strip().lower(), ()))
    health_read: set[int] = set()
    for person_id, category in (
        Vulnerability.objects.active_on(day)
        .filter(person__in=persons)
        .values_list("person_id", "category")
    ):
        needs[person_id].update(VULNERABILITY_NEEDS.get(category, ()))
        if category in Vulnerability.HEALTH_RELATED:
            health_read.add(person_id)
    return needs, sorted(health_read)


def _rooms_instance(county: County, day: date) -> list[dict[str, Any]]:
    """Facilities with the rooms that can take someone from ``day`` on (free beds now)."""
    sites = list(
        Site._base_manager.filter(county=county, kind__in=PLACEMENT_KINDS).order_by("name")
    )
    taken = Occupancy.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    usable = BedStatus.objects.on(day).filter(state=Bed.State.IN_USE)
    free_bed = (
        Q(beds__state=Bed.State.IN_USE)
        & Q(beds__in=usable.values("bed_id"))
        & ~Q(beds__in=taken.values("bed_id"))
    )
    rooms = list(
        Room.objects.filter(site__in=sites)
        .annotate(free=Count("beds", filter=free_bed, distinct=True))
        .filter(free__gt=0)
        .order_by("site_id", "number")
    )
    # Who lives in (or has booked) these rooms: decides whether and for whom a room is offered.
    occupants: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    rows = (
        taken.filter(bed__room__in=rooms)
        .values_list(
            "bed__room_id",
            "household_id",
            "person__sex",
            "person__birth_year",
            "person__birth_month",
            "person__birth_day",
        )
        .order_by()
    )
    for room_id, household_id, sex, year, month, day_of_month in rows:
        age = PartialDate(year, month, day_of_month).age_on(day)
        occupants[room_id].append((household_id, sex, age))
    sizes = dict(
        Household._base_manager.filter(
            pk__in={h for items in occupants.values() for h, _s, _a in items}
        )
        .annotate(size=Count("members"))
        .values_list("pk", "size")
    )
    features: dict[int, list[str]] = defaultdict(list)
    for site_id, code in FacilityFeature.objects.filter(site__in=sites).values_list(
        "site_id", "code"
    ):
        features[site_id].append(code)
    by_site: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for room in rooms:
        occupied_by = _occupied_by(occupants.get(room.pk, []), sizes)
        if occupied_by == "":
            continue  # a family, a minor or a person of sex d/x lives there: not offered
        by_site[room.site_id].append(
            {
                "id": _key("R", room.pk),
                "free_beds": room.free,
                "occupied_by": occupied_by,
                "barrier_free": room.barrier_free,
                "women_only": room.women_only,
            }
        )
    return [
        {"id": _key("S", site.pk), "features": sorted(features[site.pk]), "rooms": by_site[site.pk]}
        for site in sites
        if by_site[site.pk]
    ]


def _occupied_by(items: list[tuple[int, str, int]], sizes: Mapping[int, int]) -> str | None:
    """``None`` for an empty room, ``m``/``w`` for single adults of that sex, ``""`` when the
    room must not be offered."""
    if not items:
        return None
    sexes = {sex for _h, sex, _a in items}
    if any(sizes.get(h, 1) > 1 for h, _s, _a in items):
        return ""
    if any(age < 18 for _h, _s, age in items) or len(sexes) != 1 or sexes - {"m", "w"}:
        return ""
    return next(iter(sexes))


def build_instance(
    *,
    actor: User | None,
    county: County,
    window_from: date,
    window_to: date,
    day: date | None = None,
    purpose: str = "",
) -> dict[str, Any]:
    """The placement instance (``docs/placement.md``) for the county's announced households.

    Reading health-related vulnerabilities for the needs is recorded in the audit log.
    """
    day = day or timezone.localdate()
    announced = announced_households(county=county, window_from=window_from, window_to=window_to)
    persons = [person for item in announced for person in item.members]
    needs, health_read = _member_needs(persons, day)
    for person_id in health_read:
        record_event(
            actor=actor,
            action=AuditEvent.Action.READ,
            object_type="people.vulnerability",
            county=county,
            person_id=person_id,
            purpose=purpose or _("Unterbringungsvorschlag"),
            details={"categories": "vulnerabilities"},
        )
    households = []
    for item in announced:
        arrival = max(item.arrival, day)
        household_needs: set[str] = set()
        ages = [person.birth_date.age_on(arrival) for person in item.members]
        if any(age < CHILDCARE_AGE for age in ages):
            household_needs.add("childcare")
        if any(age >= 18 for age in ages):
            household_needs.add("language_course")
        households.append(
            {
                "id": _key("H", item.household.pk),
                "needs": sorted(household_needs),
                "members": [
                    {
                        "id": _key("P", person.pk),
                        "sex": person.sex,
                        "age": min(max(age, 0), 130),
                        "needs": sorted(needs[person.pk]),
                    }
                    for person, age in zip(item.members, ages, strict=True)
                ],
            }
        )
    return {
        "weights": dict(settings.ANKOMMEN_PLACEMENT_WEIGHTS),
        "facilities": _rooms_instance(county, day),
        "households": households,
    }


def solve_instance(instance: dict[str, Any], outlook: Outlook | None = None) -> dict[str, Any]:
    """Solve an instance built by :func:`build_instance`; the result JSON of the solver.

    With an ``outlook`` the look-ahead solver keeps scarce places for expected arrivals; its
    result has the additional key ``look_ahead`` with the rooms held back and why."""
    parsed = parse_instance(instance)
    limit = settings.ANKOMMEN_PLACEMENT_TIME_LIMIT
    if outlook is None:
        return solve(parsed, time_limit=limit).as_json()
    return solve_lookahead(parsed, outlook, time_limit=limit).as_json()


def _templates(
    members: Mapping[int, list[Person]], needs: Mapping[int, list[tuple[int, str]]], day: date
) -> dict[int, Template]:
    """Anonymous household templates (sex, age, needs of the allocation list) for sampling."""
    templates: dict[int, Template] = {}
    for household_id, persons in members.items():
        codes: dict[int, set[str]] = {person.pk: set() for person in persons}
        for person_id, raw in needs.get(household_id, []):
            codes.setdefault(person_id, set()).update(
                ALLOCATION_NEEDS.get(str(raw).strip().lower(), ())
            )
        templates[household_id] = Template(
            f"T{household_id}",
            frozenset(),
            tuple(
                Member(
                    f"T{household_id}-{index}",
                    cast("Sex", person.sex),
                    min(max(person.birth_date.age_on(day), 0), 130),
                    frozenset(codes[person.pk]),
                )
                for index, person in enumerate(persons)
            ),
        )
    return templates


def _allocated(
    county: County, first: date, last: date
) -> tuple[dict[int, date], dict[int, Template]]:
    """Households allocated with planned arrival in [first, last]: arrival and template."""
    rows = Allocation.objects.filter(
        county=county, planned_arrival__gte=first, planned_arrival__lte=last
    ).values_list("household_id", "person_id", "needs", "planned_arrival")
    arrivals: dict[int, date] = {}
    needs: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for household_id, person_id, codes, arrival in rows:
        arrivals[household_id] = min(arrival, arrivals.get(household_id, arrival))
        needs[household_id].extend((person_id, code) for code in codes or [])
    members: dict[int, list[Person]] = defaultdict(list)
    for person in Person._base_manager.filter(household_id__in=list(arrivals)).order_by("pk"):
        members[person.household_id].append(person)
    return arrivals, _templates(members, needs, first)


def outlook_for(*, county: County, window_from: date, window_to: date) -> Outlook:
    """What the county expects after the window, week by week.

    Households already announced for a coming week (allocation lists arrive ahead) count with
    their own sizes and needs; beyond them, households arrive at the county's own weekly rate
    of the past year (the naive forecast), drawn from the county's own mix of the past year.
    """
    weeks = settings.ANKOMMEN_PLACEMENT_LOOK_AHEAD_WEEKS
    _past, history = _allocated(
        county, window_from - timedelta(days=364), window_from - timedelta(days=1)
    )
    rate = len(history) / 52
    arrivals, coming = _allocated(
        county, window_to + timedelta(days=1), window_to + timedelta(days=7 * weeks)
    )
    future: list[FutureWeek] = []
    for week in range(weeks):
        start = window_to + timedelta(days=1 + 7 * week)
        announced = [
            coming[pk] for pk, day in arrivals.items() if start <= day < start + timedelta(days=7)
        ]
        profiles = tuple(Profile(template, 1.0) for template in history.values())
        future.append(
            FutureWeek(
                max(rate - len(announced), 0.0),
                profiles,
                tuple(announced),
                settings.ANKOMMEN_PLACEMENT_ANNOUNCED_SHOW_UP,
            )
        )
    return Outlook(
        tuple(future),
        scenarios=LOOK_AHEAD_SCENARIOS,
        seed=county.pk * 100_003 + window_from.toordinal(),
    )


def recommend(
    *,
    actor: User | None,
    county: County,
    window_from: date,
    window_to: date,
    purpose: str = "",
    look_ahead: bool | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Build the instance and solve it at once; returns (instance, result JSON).

    ``look_ahead`` (default: the setting ``ANKOMMEN_PLACEMENT_LOOK_AHEAD``) keeps scarce
    places for the arrivals expected in the weeks after the window."""
    instance = build_instance(
        actor=actor, county=county, window_from=window_from, window_to=window_to, purpose=purpose
    )
    if look_ahead is None:
        look_ahead = settings.ANKOMMEN_PLACEMENT_LOOK_AHEAD
    outlook = (
        outlook_for(county=county, window_from=window_from, window_to=window_to)
        if look_ahead
        else None
    )
    return instance, solve_instance(instance, outlook)


# --------------------------------------------------------------------------------------------
# Runs (UI)

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="placement")


def clean_window(window_from: date, window_to: date) -> None:
    if window_to < window_from:
        raise ValidationError({"window_to": _("Das Ende des Zeitraums liegt vor dem Beginn.")})
    if (window_to - window_from).days > MAX_WINDOW_DAYS:
        raise ValidationError(
            {
                "window_to": _("Der Zeitraum ist zu lang (höchstens %(n)d Tage).")
                % {"n": MAX_WINDOW_DAYS}
            }
        )


@transaction.atomic
def start_placement(
    *, actor: User, county: County, window_from: date, window_to: date
) -> PlacementRun:
    """Store a new run and compute it after the commit (in the background by default)."""
    access.require(actor, Action.MANAGE_ACCOMMODATION, county)
    clean_window(window_from, window_to)
    run = PlacementRun.objects.create(
        county=county, window_from=window_from, window_to=window_to, created_by=actor
    )
    record_event(actor=actor, action="create", obj=run)
    run_id = run.pk
    if settings.ANKOMMEN_PLACEMENT_IN_BACKGROUND:
        transaction.on_commit(lambda: _executor.submit(_run_in_thread, run_id))
    else:
        transaction.on_commit(lambda: run_placement(run_id))
    return run


def _run_in_thread(run_id: int) -> None:
    try:
        run_placement(run_id)
    finally:
        connections.close_all()


def run_placement(run_id: int) -> None:
    """Compute a pending run: the background-friendly unit of work (idempotent)."""
    claimed = PlacementRun.objects.filter(pk=run_id, status=PlacementRun.Status.PENDING).update(
        status=PlacementRun.Status.RUNNING
    )
    if not claimed:
        return
    run = PlacementRun.objects.select_related("county", "created_by").get(pk=run_id)
    try:
        with scope(county=[run.county_id]):
            instance, result = recommend(
                actor=run.created_by,
                county=run.county,
                window_from=run.window_from,
                window_to=run.window_to,
            )
    except Exception as error:
        logger.exception("placement run %s failed", run_id)
        PlacementRun.objects.filter(pk=run_id).update(
            status=PlacementRun.Status.FAILED,
            error=_("Die Berechnung ist fehlgeschlagen: %(e)s") % {"e": str(error)[:500]},
            finished_at=timezone.now(),
        )
        return
    PlacementRun.objects.filter(pk=run_id).update(
        status=PlacementRun.Status.DONE,
        instance=instance,
        result=result,
        finished_at=timezone.now(),
    )


def run_for_page(*, actor: User, pk: int) -> PlacementRun:
    """The run if the actor may place households in its county, else ``DoesNotExist``."""
    counties = [
        county
        for county in access.counties_for(actor, Action.MANAGE_ACCOMMODATION)
        if access.allows(actor, Action.MANAGE_ACCOMMODATION, county)
    ]
    run = PlacementRun.objects.select_related("county").get(pk=pk, county__in=counties)
    unfinished = (PlacementRun.Status.PENDING, PlacementRun.Status.RUNNING)
    if run.status in unfinished and timezone.now() - run.created_at > STALE_AFTER:
        PlacementRun.objects.filter(pk=run.pk, status__in=unfinished).update(
            status=PlacementRun.Status.FAILED,
            error=_("Die Berechnung wurde unterbrochen. Bitte einen neuen Vorschlag berechnen."),
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
    return run


@dataclass
class RoomRow:
    room: Room | None
    members: list[Person]


@dataclass
class PlacementRow:
    household: Household
    arrival: date | None
    persons: int
    site: Site | None
    rooms: list[RoomRow]
    reasons: list[str]
    unplaced_reason: str
    accepted: bool
    housed: bool = False  # has a bed (current or booked) meanwhile, by this run or otherwise

    @property
    def key(self) -> str:
        """The household's id in the instance and result (``H`` + primary key)."""
        return _key("H", self.household.pk)


def placement_rows(run: PlacementRun) -> list[PlacementRow]:
    """The run's result with households, persons, rooms and sites looked up (five queries)."""
    result = run.result or {}
    placements = result.get("placements", [])
    unplaced = result.get("unplaced", [])
    household_ids = [_pk(p["household"], "H") for p in placements] + [
        _pk(u["household"], "H") for u in unplaced
    ]
    room_ids = [_pk(r["room"], "R") for p in placements for r in p["rooms"]]
    person_ids = [_pk(m, "P") for p in placements for r in p["rooms"] for m in r["members"]]
    households = Household._base_manager.annotate(size=Count("members")).in_bulk(household_ids)
    rooms = Room.objects.select_related("site").in_bulk(room_ids)
    persons = Person._base_manager.in_bulk(person_ids)
    arrivals = dict(
        Allocation.objects.filter(household_id__in=household_ids)
        .values("household_id")
        .annotate(first=Min("planned_arrival"))
        .values_list("household_id", "first")
    )
    accepted = set(run.accepted or [])
    housed = set(
        Occupancy.objects.filter(household_id__in=household_ids)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=timezone.localdate()))
        .values_list("household_id", flat=True)
    )
    rows: list[PlacementRow] = []
    for item in placements:
        household = households.get(_pk(item["household"], "H"))
        if household is None:
            continue
        room_rows = [
            RoomRow(
                rooms.get(_pk(r["room"], "R")),
                [persons[_pk(m, "P")] for m in r["members"] if _pk(m, "P") in persons],
            )
            for r in item["rooms"]
        ]
        site = next((row.room.site for row in room_rows if row.room is not None), None)
        rows.append(
            PlacementRow(
                household,
                arrivals.get(household.pk),
                household.size,
                site,
                room_rows,
                list(item.get("reasons", [])),
                "",
                item["household"] in accepted,
                household.pk in housed,
            )
        )
    for item in unplaced:
        household = households.get(_pk(item["household"], "H"))
        if household is None:
            continue
        rows.append(
            PlacementRow(
                household,
                arrivals.get(household.pk),
                household.size,
                None,
                [],
                [],
                str(item.get("reason", "")),
                item["household"] in accepted,
                household.pk in housed,
            )
        )
    return rows


@dataclass
class HeldRow:
    """A room the look-ahead kept free for expected arrivals, with the German reasons."""

    room: Room
    reasons: list[str]
    needed_in: int
    scenarios: int


def held_rows(run: PlacementRun) -> list[HeldRow]:
    """Rooms held back by a look-ahead run (one query); empty for a myopic run."""
    held = (run.result or {}).get("look_ahead", {}).get("held_back", [])
    rooms = Room.objects.select_related("site").in_bulk([_pk(item["room"], "R") for item in held])
    rows = [
        HeldRow(
            rooms[_pk(item["room"], "R")],
            [str(reason) for reason in item.get("reasons", [])],
            int(item.get("needed_in", 0)),
            int(item.get("scenarios", 0)),
        )
        for item in held
        if _pk(item["room"], "R") in rooms
    ]
    return sorted(rows, key=lambda row: (row.room.site.name, row.room.number))


def _arrival_day(household: Household, run: PlacementRun) -> date:
    first = Allocation.objects.filter(household=household).aggregate(first=Min("planned_arrival"))
    arrival = first["first"] or timezone.localdate()
    return max(arrival, timezone.localdate())


def _require_unhoused(household: Household) -> None:
    """A recommendation is for households without a bed; once housed (by another run or by
    hand), a household moves through its own page, not through an older recommendation."""
    if (
        Occupancy.objects.filter(household=household)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=timezone.localdate()))
        .exists()
    ):
        raise ValidationError(
            _("Der Haushalt %(ref)s hat inzwischen ein Bett; Umzüge bitte über die Haushaltsseite.")
            % {"ref": household.reference}
        )


def _mark_accepted(run: PlacementRun, key: str) -> None:
    run.refresh_from_db(fields=["accepted"])
    if key not in run.accepted:
        run.accepted = [*run.accepted, key]
        run.save(update_fields=["accepted"])


@transaction.atomic
def accept_placement(*, actor: User, run: PlacementRun, household_key: str) -> Move:
    """Assign the beds the run recommends for one household (free beds of the recommended
    rooms, from the planned arrival or today). If a bed went meanwhile, nothing is written and
    a German ``ValidationError`` says so; staff then pick another room."""
    placement = next(
        (p for p in run.result.get("placements", []) if p["household"] == household_key), None
    )
    if placement is None:
        raise ValidationError(_("Für diesen Haushalt gibt es keinen Vorschlag."))
    household = Household._base_manager.get(pk=_pk(household_key, "H"), county=run.county)
    _require_unhoused(household)
    day = _arrival_day(household, run)
    beds: dict[int, Bed] = {}
    for item in placement["rooms"]:
        room = Room.objects.get(pk=_pk(item["room"], "R"), county=run.county)
        free = (
            Bed.objects.filter(room=room, state=Bed.State.IN_USE)
            .filter(
                pk__in=BedStatus.objects.on(day).filter(state=Bed.State.IN_USE).values("bed_id")
            )
            .exclude(
                pk__in=Occupancy.objects.filter(
                    Q(valid_to__isnull=True) | Q(valid_to__gt=day)
                ).values("bed_id")
            )
            .order_by("label")
        )
        free_beds = list(free[: len(item["members"])])
        if len(free_beds) < len(item["members"]):
            raise ValidationError(
                _("Im Zimmer %(room)s sind nicht mehr genug Betten frei. Bitte ein anderes wählen.")
                % {"room": room.number}
            )
        for member, bed in zip(item["members"], free_beds, strict=True):
            beds[_pk(member, "P")] = bed
    move = move_household(
        actor=actor, household=household, day=day, reason=Move.Reason.ALLOCATION, beds=beds
    )
    _mark_accepted(run, household_key)
    return move


@transaction.atomic
def place_in_rooms(
    *, actor: User, run: PlacementRun, household_key: str, rooms: list[Room]
) -> Move:
    """Staff change the recommendation: the household goes to the rooms they picked."""
    household = Household._base_manager.get(pk=_pk(household_key, "H"), county=run.county)
    _require_unhoused(household)
    day = _arrival_day(household, run)
    persons = next(
        (
            item.members
            for item in announced_households(
                county=run.county, window_from=run.window_from, window_to=run.window_to
            )
            if item.household.pk == household.pk
        ),
        None,
    )
    move = move_household(
        actor=actor,
        household=household,
        day=day,
        reason=Move.Reason.ALLOCATION,
        rooms=rooms,
        persons=persons,
    )
    _mark_accepted(run, household_key)
    return move


def default_window() -> tuple[date, date]:
    today = timezone.localdate()
    return today, today + timedelta(days=14)
