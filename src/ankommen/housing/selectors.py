"""Reads of the housing app, limited to what the actor may see.

Figures (beds, occupied, free, held, closed, fill rate, arrivals and departures) are computed
from the dated rows (:class:`BedStatus`, :class:`Occupancy`) with a fixed number of grouped
queries, whatever the number of facilities, so any past day is exact and pages stay fast.
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.algorithms.partial_dates import PartialDate
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County, Municipality, Site
from ankommen.housing.models import (
    ACCOMMODATION_KINDS,
    FLAT_KINDS,
    Bed,
    BedStatus,
    FlatReadiness,
    Move,
    Occupancy,
    Room,
)
from ankommen.people.models import Household, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import User

# The shared-accommodation phase: Gemeinschaftsunterkunft and Notunterkunft.
SHARED_KINDS = (Site.Kind.SHARED_ACCOMMODATION, Site.Kind.EMERGENCY)
SERIES_WEEKS = 26
MAX_SERIES_WEEKS = 104

SiteIds = QuerySet[Any] | Sequence[int]


def _in_force(day: date, prefix: str = "") -> Q:
    """Rows valid on ``day`` (``valid_to`` is the first day no longer covered)."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


# --------------------------------------------------------------------------------------------
# Facilities


def facilities_visible_to(
    *, actor: User | AnonymousUser, action: Action = Action.VIEW_AGGREGATES
) -> QuerySet[Site]:
    """Accommodation sites the actor reaches with ``action`` (a shelter manager: their own)."""
    return (
        Site._base_manager.filter(kind__in=ACCOMMODATION_KINDS)
        .filter(access.site_condition(actor, action))
        .select_related("municipality", "provider", "county")
        .order_by("name")
    )


def facility_for_page(
    *, actor: User | AnonymousUser, pk: int, action: Action = Action.VIEW_AGGREGATES
) -> Site:
    """The facility, or ``Site.DoesNotExist`` if out of the actor's reach with ``action``."""
    return facilities_visible_to(actor=actor, action=action).get(pk=pk)


def counties_with_overview(*, actor: User | AnonymousUser) -> list[County]:
    """Counties whose totals (per municipality, whole county) the actor may see."""
    return [
        county
        for county in access.counties_for(actor, Action.VIEW_AGGREGATES)
        if access.allows_county_wide(actor, Action.VIEW_AGGREGATES, county)
    ]


def municipalities_with_facilities(*, actor: User | AnonymousUser) -> QuerySet[Municipality]:
    counties = counties_with_overview(actor=actor)
    return (
        Municipality._base_manager.filter(county__in=counties)
        .filter(sites__kind__in=ACCOMMODATION_KINDS)
        .distinct()
        .select_related("county")
        .order_by("name")
    )


def municipality_for_page(*, actor: User | AnonymousUser, pk: int) -> Municipality:
    """The municipality if the actor sees county-wide totals, else ``Municipality.DoesNotExist``
    (the view tells a denial from a missing municipality by :func:`counties_with_overview`)."""
    return municipalities_with_facilities(actor=actor).get(pk=pk)


def flats_for_move_out(*, actor: User | AnonymousUser, county: County) -> QuerySet[Site]:
    return facilities_visible_to(actor=actor, action=Action.MANAGE_ACCOMMODATION).filter(
        county=county, kind__in=FLAT_KINDS
    )


# --------------------------------------------------------------------------------------------
# Figures


@dataclass
class Figures:
    """Beds and occupancy of one facility or a sum of facilities on one day."""

    beds: int = 0  # beds existing that day, in any state
    in_use: int = 0  # belegbar
    reserved: int = 0  # in Vorhaltung
    closed: int = 0  # gesperrt
    occupied: int = 0  # persons in a bed

    @property
    def free(self) -> int:
        return max(self.in_use - self.occupied, 0)

    @property
    def rate(self) -> int | None:
        """Occupied beds per usable bed, whole percent (half up); ``None`` without beds."""
        return percent(self.occupied, self.in_use)

    @property
    def cells(self) -> list[str]:
        """The figures as text in table order (beds … rate), ready for a table row."""
        rate = "–" if self.rate is None else f"{self.rate}\u00a0%"
        numbers = (self.beds, self.in_use, self.occupied, self.free, self.reserved, self.closed)
        return [*(str(n) for n in numbers), rate]

    def add(self, other: Figures) -> None:
        self.beds += other.beds
        self.in_use += other.in_use
        self.reserved += other.reserved
        self.closed += other.closed
        self.occupied += other.occupied

    def as_dict(self) -> dict[str, int | None]:
        return {
            "beds": self.beds,
            "in_use": self.in_use,
            "occupied": self.occupied,
            "free": self.free,
            "reserved": self.reserved,
            "closed": self.closed,
            "fill_rate": self.rate,
        }


def percent(part: int, whole: int) -> int | None:
    return (200 * part + whole) // (2 * whole) if whole else None


def figures_on(site_ids: SiteIds, day: date) -> dict[int, Figures]:
    """Figures per site on ``day``, in two grouped queries."""
    figures: dict[int, Figures] = defaultdict(Figures)
    states = (
        BedStatus.objects.filter(_in_force(day), site_id__in=site_ids)
        .values("site_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in states:
        item = figures[row["site_id"]]
        item.beds += row["n"]
        if row["state"] == Bed.State.IN_USE:
            item.in_use += row["n"]
        elif row["state"] == Bed.State.RESERVED:
            item.reserved += row["n"]
        else:
            item.closed += row["n"]
    occupied = (
        Occupancy.objects.filter(_in_force(day), site_id__in=site_ids)
        .values("site_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for count in occupied:
        figures[count["site_id"]].occupied += count["n"]
    return figures


def total(figures: Iterable[Figures]) -> Figures:
    result = Figures()
    for item in figures:
        result.add(item)
    return result


@dataclass
class SeriesPoint:
    day: date
    in_use: int = 0
    occupied: int = 0

    @property
    def rate(self) -> int | None:
        return percent(self.occupied, self.in_use)

    @property
    def bar(self) -> int:
        """Bar height 0–100; an over-full day fills the bar (the table gives the number)."""
        return min(self.rate or 0, 100)


def series_days(end: date, weeks: int = SERIES_WEEKS) -> list[date]:
    """Mondays of the ``weeks`` weeks before ``end``, then ``end`` itself."""
    weeks = max(1, min(weeks, MAX_SERIES_WEEKS))
    monday = end - timedelta(days=end.weekday())
    days = [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    if days[-1] != end:
        days.append(end)
    return days


def _running_counts(rows: QuerySet[Any], days: Sequence[date]) -> list[int]:
    """Rows in force on each of ``days``: rows begun by the day minus rows ended by it.

    Two grouped queries (by start day, by end day) serve any number of days, so a long chart
    costs no more than a short one."""
    first, last = min(days), max(days)
    # Rows that ended before the first day add one and take one away: leave them out.
    rows = rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=first))
    starts = sorted(
        rows.filter(valid_from__lte=last)
        .values("valid_from")
        .annotate(n=Count("pk"))
        .values_list("valid_from", "n")
        .order_by()
    )
    ends = sorted(
        rows.filter(valid_to__lte=last)
        .values("valid_to")
        .annotate(n=Count("pk"))
        .values_list("valid_to", "n")
        .order_by()
    )

    def cumulative(pairs: list[tuple[date, int]]) -> tuple[list[date], list[int]]:
        keys, sums, running = [], [], 0
        for key, n in pairs:
            running += n
            keys.append(key)
            sums.append(running)
        return keys, sums

    start_days, started = cumulative(starts)
    end_days, ended = cumulative(ends)
    counts = []
    for day in days:
        begun = bisect_right(start_days, day)
        gone = bisect_right(end_days, day)
        counts.append((started[begun - 1] if begun else 0) - (ended[gone - 1] if gone else 0))
    return counts


def fill_series(site_ids: SiteIds, days: Sequence[date]) -> list[SeriesPoint]:
    """Usable and occupied beds of the sites summed, on each of ``days`` (four queries)."""
    points = [SeriesPoint(day) for day in days]
    if not days:
        return points
    usable = _running_counts(
        BedStatus.objects.filter(state=Bed.State.IN_USE, site_id__in=site_ids), days
    )
    occupied = _running_counts(Occupancy.objects.filter(site_id__in=site_ids), days)
    for point, in_use, persons in zip(points, usable, occupied, strict=True):
        point.in_use = in_use
        point.occupied = persons
    return points


@dataclass
class WeekFlow:
    week: date  # Monday
    arrivals: int = 0
    departures: int = 0


def weekly_flows(site_ids: SiteIds, start: date, end: date) -> list[WeekFlow]:
    """Persons moving into and out of the given facilities per week (three grouped queries).

    A move between two of the given facilities — or between two rooms of one — is neither an
    arrival nor a departure of the area shown: a room change is no arrival at the facility, a
    move between two facilities of a municipality no arrival in the municipality. Such a move
    ends a stay with reason "transfer" and begins the next the same day.
    """
    monday = start - timedelta(days=start.weekday())
    weeks: dict[date, WeekFlow] = {}
    day = monday
    while day <= end:
        weeks[day] = WeekFlow(day)
        day += timedelta(weeks=1)

    def per_week(field_name: str, rows: QuerySet[Occupancy]) -> dict[date, int]:
        counts: dict[date, int] = defaultdict(int)
        for value, n in (
            rows.filter(**{f"{field_name}__gte": monday, f"{field_name}__lte": end})
            .values_list(field_name)
            .annotate(n=Count("pk"))
            .order_by()
        ):
            counts[value - timedelta(days=value.weekday())] += n
        return counts

    inside = Occupancy.objects.filter(site_id__in=site_ids)
    continued_inside = inside.filter(
        person_id=OuterRef("person_id"), valid_from=OuterRef("valid_to")
    )
    internal = per_week(
        "valid_to",
        inside.filter(move_out_reason=Occupancy.MoveOutReason.TRANSFER).filter(
            Exists(continued_inside)
        ),
    )
    for week, n in per_week("valid_from", inside).items():
        weeks[week].arrivals += n - internal.get(week, 0)
    for week, n in per_week("valid_to", inside).items():
        weeks[week].departures += n - internal.get(week, 0)
    return list(weeks.values())


@dataclass
class Dashboard:
    """Everything a dashboard page or the API shows for one facility or a set of them."""

    day: date
    figures: Figures
    series: list[SeriesPoint]
    flows: list[WeekFlow]
    per_site: dict[int, Figures] = field(default_factory=dict)


Key = tuple[Any, ...]


@dataclass
class _Window:
    """Dated rows around a window ``first``–``last``. Per key (e.g. site): the rows begun and
    ended before ``first`` and by ``last``; per day of the window: the rows begun and ended (of
    the rows the series counts). A row ends after it begins (a constraint), so the rows in
    force on a day *d* are those begun by *d* minus those ended by *d*."""

    begun_before: dict[Key, int]
    begun_by_end: dict[Key, int]
    ended_before: dict[Key, int]
    ended_by_end: dict[Key, int]
    begun_on: dict[date, int]
    ended_on: dict[date, int]

    def at_end(self) -> dict[Key, int]:
        """Rows in force on ``last``, per key."""
        return {key: n - self.ended_by_end.get(key, 0) for key, n in self.begun_by_end.items()}

    def base(self, keep: Any = None) -> int:
        """Rows in force just before ``first``, summed over the keys ``keep`` accepts."""
        return sum(
            n - self.ended_before.get(key, 0)
            for key, n in self.begun_before.items()
            if keep is None or keep(key)
        )

    def series(self, days: Sequence[date], base: int) -> list[int]:
        """Rows in force on each of ``days`` (ascending), from ``base`` before the window."""
        changes = defaultdict(int, self.begun_on)
        for when, n in self.ended_on.items():
            changes[when] -= n
        ordered = sorted(changes.items())
        result, running, index = [], base, 0
        for day in days:
            while index < len(ordered) and ordered[index][0] <= day:
                running += ordered[index][1]
                index += 1
            result.append(running)
        return result


def _window(
    rows: QuerySet[Any], key: Sequence[str], first: date, last: date, series_rows: QuerySet[Any]
) -> _Window:
    """Four grouped queries, each answerable from an index alone (counts of the date column
    over the (site, valid_from) and (site, valid_to) indexes, no primary key): none reads the
    table's rows, and none reads the history once per figure or per day of the chart."""
    fields = list(key)

    def per_key(side: str) -> tuple[dict[Key, int], dict[Key, int]]:
        found = (
            rows.filter(**{f"{side}__lte": last})
            .values(*fields)
            .annotate(
                before=Count(side, filter=Q(**{f"{side}__lt": first})),
                by_end=Count(side),
            )
            .order_by()
        )
        before, by_end = {}, {}
        for row in found:
            item = tuple(row[name] for name in fields)
            before[item], by_end[item] = row["before"], row["by_end"]
        return before, by_end

    def per_day(side: str) -> dict[date, int]:
        found = (
            series_rows.filter(**{f"{side}__gte": first, f"{side}__lte": last})
            .values_list(side)
            .annotate(n=Count("*"))
            .order_by()
        )
        return dict(found)

    begun_before, begun_by_end = per_key("valid_from")
    ended_before, ended_by_end = per_key("valid_to")
    return _Window(
        begun_before=begun_before,
        begun_by_end=begun_by_end,
        ended_before=ended_before,
        ended_by_end=ended_by_end,
        begun_on=per_day("valid_from"),
        ended_on=per_day("valid_to"),
    )


def _internal_moves(site_ids: SiteIds, first: date, last: date) -> dict[date, int]:
    """Stays ended by a transfer within the given facilities, per week (see weekly_flows)."""
    inside = Occupancy.objects.filter(site_id__in=site_ids)
    continued_inside = inside.filter(
        person_id=OuterRef("person_id"), valid_from=OuterRef("valid_to")
    )
    counts: dict[date, int] = defaultdict(int)
    for value, n in (
        inside.filter(move_out_reason=Occupancy.MoveOutReason.TRANSFER)
        .filter(Exists(continued_inside))
        .filter(valid_to__gte=first, valid_to__lte=last)
        .values_list("valid_to")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[value - timedelta(days=value.weekday())] += n
    return counts


def dashboard(site_ids: SiteIds, *, day: date, weeks: int = SERIES_WEEKS) -> Dashboard:
    """The day's figures per site, the fill-rate series and the weekly flows from nine grouped
    queries (bed states 4, occupancy 4, moves inside the area 1). Same figures as
    :func:`figures_on`, :func:`fill_series` and :func:`weekly_flows`, which read the table
    rows once per figure; this counts each table per site from its two date indexes and the
    chart's window per day through the same indexes, so a far-past day costs what today
    costs."""
    days = series_days(day, weeks)
    first, last = days[0], days[-1]
    bed_rows = BedStatus.objects.filter(site_id__in=site_ids)
    states = _window(
        bed_rows, ("site_id", "state"), first, last, bed_rows.filter(state=Bed.State.IN_USE)
    )
    stay_rows = Occupancy.objects.filter(site_id__in=site_ids)
    stays = _window(stay_rows, ("site_id",), first, last, stay_rows)

    per_site: dict[int, Figures] = defaultdict(Figures)
    for (site_id, state), n in states.at_end().items():
        if n:
            item = per_site[site_id]
            item.beds += n
            if state == Bed.State.IN_USE:
                item.in_use += n
            elif state == Bed.State.RESERVED:
                item.reserved += n
            else:
                item.closed += n
    for (site_id,), n in stays.at_end().items():
        if n:
            per_site[site_id].occupied += n

    usable = states.series(days, states.base(keep=lambda key: key[1] == Bed.State.IN_USE))
    occupied = stays.series(days, stays.base())
    series = [
        SeriesPoint(point, in_use=in_use, occupied=persons)
        for point, in_use, persons in zip(days, usable, occupied, strict=True)
    ]

    flows: dict[date, WeekFlow] = {}
    monday = first
    while monday <= last:
        flows[monday] = WeekFlow(monday)
        monday += timedelta(weeks=1)
    for when, n in stays.begun_on.items():
        flows[when - timedelta(days=when.weekday())].arrivals += n
    for when, n in stays.ended_on.items():
        flows[when - timedelta(days=when.weekday())].departures += n
    for week, n in _internal_moves(site_ids, first, last).items():
        flows[week].arrivals -= n
        flows[week].departures -= n
    return Dashboard(
        day=day,
        figures=total(per_site.values()),
        series=series,
        flows=list(flows.values()),
        per_site=dict(per_site),
    )


def figures_by_site(
    sites: Sequence[Site], day: date, per_site: dict[int, Figures] | None = None
) -> list[tuple[Site, Figures]]:
    """Figures per site (reuses ``per_site`` when already computed for the day)."""
    if per_site is None:
        per_site = figures_on([site.pk for site in sites], day)
    return [(site, per_site.get(site.pk, Figures())) for site in sites]


def figures_by_municipality(
    sites: Sequence[Site], day: date, per_site: dict[int, Figures] | None = None
) -> list[tuple[Municipality, Figures]]:
    if per_site is None:
        per_site = figures_on([site.pk for site in sites], day)
    grouped: dict[int, tuple[Municipality, Figures]] = {}
    for site in sites:
        _municipality, figures = grouped.setdefault(
            site.municipality_id, (site.municipality, Figures())
        )
        figures.add(per_site.get(site.pk, Figures()))
    return sorted(grouped.values(), key=lambda item: item[0].name)


# --------------------------------------------------------------------------------------------
# Occupancy with personal data


def _occupancy_condition(actor: User | AnonymousUser) -> Q:
    """Occupancies of households the actor may see today. Not "of the facilities it reaches":
    staff of a facility reach its residents through their accommodation responsibility, which
    ends when they move out, so past residents of other days stay out of their sight."""
    return access.household_condition(actor, Action.VIEW_PERSON, household_field="household_id")


def occupancy_on(*, actor: User | AnonymousUser, day: date) -> QuerySet[Occupancy]:
    """Who slept in which bed on ``day`` — as far as the actor may see."""
    return (
        Occupancy.objects.on(day)
        .filter(_occupancy_condition(actor))
        .select_related("person", "household", "bed__room__site")
        .order_by("bed__room__site__name", "bed__room__number", "bed__label")
    )


def rooms_with_beds(
    *, site: Site, day: date, actor: User | AnonymousUser | None = None
) -> list[Room]:
    """Rooms of a facility with their beds and each bed's state and occupant on ``day``
    (``bed.occupancy``); ``bed.name_visible`` says whether ``actor`` may see the occupant's
    name (its household is in reach today). Three queries."""
    visible = (
        access.household_condition(actor, Action.VIEW_PERSON, household_field="household_id")
        if actor is not None
        else Q(pk__in=[])
    )
    occupancies = {
        o.bed_id: o
        for o in Occupancy.objects.on(day)
        .filter(site=site)
        .annotate(name_visible=ExpressionWrapper(visible, output_field=BooleanField()))
        .select_related("person", "household")
    }
    states = {
        s.bed_id: s.state
        for s in BedStatus.objects.on(day).filter(site=site).only("bed_id", "state")
    }
    rooms = list(
        Room.objects.filter(site=site).prefetch_related(
            Prefetch("beds", queryset=Bed.objects.order_by("label"))
        )
    )
    for room in rooms:
        for bed in room.beds.all():
            bed.occupancy = occupancies.get(bed.pk)  # type: ignore[attr-defined]
            bed.name_visible = bool(  # type: ignore[attr-defined]
                bed.occupancy and bed.occupancy.name_visible  # type: ignore[attr-defined]
            )
            bed.state_on_day = states.get(bed.pk)  # type: ignore[attr-defined]
    return rooms


def free_rooms(
    *,
    actor: User | AnonymousUser,
    county: County,
    day: date,
    household: Household | None = None,
) -> list[Room]:
    """Rooms with at least one bed free from ``day`` on, in facilities the actor manages,
    annotated with ``free`` (free beds) and ``occupants`` (persons in it on ``day``); with
    ``household``, only rooms it may share by the placement rules (:func:`room_problems`)."""
    sites = facilities_visible_to(actor=actor, action=Action.MANAGE_ACCOMMODATION).filter(
        county=county
    )
    taken = Occupancy.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    usable = BedStatus.objects.on(day).filter(state=Bed.State.IN_USE)
    free_bed = (
        Q(beds__state=Bed.State.IN_USE)
        & Q(beds__in=usable.values("bed_id"))
        & ~Q(beds__in=taken.values("bed_id"))
    )
    occupants = Q(beds__occupancies__in=Occupancy.objects.on(day).values("pk"))
    rooms: list[Room] = list(
        Room.objects.filter(site__in=sites)
        .annotate(
            free=Count("beds", filter=free_bed, distinct=True),
            occupants=Count("beds__occupancies", filter=occupants, distinct=True),
        )
        .filter(free__gt=0)
        .select_related("site")
        .order_by("site__name", "number")
    )
    if household is None:
        return rooms
    problems = room_problems(rooms=rooms, household=household, day=day)
    return [room for room in rooms if room.pk not in problems]


def _age(year: int, month: int | None, day_of_month: int | None, on: date) -> int:
    return PartialDate(year, month, day_of_month).age_on(on)


def room_problems(
    *,
    rooms: Sequence[Room],
    household: Household,
    day: date,
    movers: Sequence[Person] | None = None,
) -> dict[int, str]:
    """Why the household (or ``movers`` of it) may not move into these rooms from ``day`` on,
    per room — the placement rules of docs/placement.md: a family gets rooms of its own, single
    adults share only with single adults of the same sex, persons of sex d or x and minors get
    a room alone, rooms for women take no adult men. Three queries."""
    members = list(Person._base_manager.filter(household=household))
    movers = list(movers) if movers is not None else members
    problems: dict[int, str] = {}
    adult_man = any(p.sex == "m" and p.birth_date.age_on(day) >= 18 for p in movers)
    others: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for room_id, household_id, sex, year, month, day_of_month in (
        Occupancy.objects.filter(bed__room__in=rooms)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .exclude(household=household)
        .values_list(
            "bed__room_id",
            "household_id",
            "person__sex",
            "person__birth_year",
            "person__birth_month",
            "person__birth_day",
        )
    ):
        others[room_id].append((household_id, sex, _age(year, month, day_of_month, day)))
    sizes = dict(
        Household._base_manager.filter(
            pk__in={h for items in others.values() for h, _s, _a in items}
        )
        .annotate(size=Count("members"))
        .values_list("pk", "size")
    )
    single = movers[0] if len(members) == 1 and movers else None
    for room in rooms:
        number = {"room": room.number, "site": room.site.name}
        if room.women_only and adult_man:
            problems[room.pk] = _("%(site)s, Zimmer %(room)s ist nur für Frauen.") % number
            continue
        items = others.get(room.pk)
        if not items:
            continue
        if single is None:
            problems[room.pk] = (
                _("In %(site)s, Zimmer %(room)s wohnen andere; eine Familie bekommt eigene Zimmer.")
                % number
            )
        elif any(sizes.get(h, 1) > 1 for h, _s, _a in items):
            problems[room.pk] = _("In %(site)s, Zimmer %(room)s wohnt eine Familie.") % number
        elif (
            single.sex not in ("m", "w")
            or single.birth_date.age_on(day) < 18
            or any(sex != single.sex or age < 18 for _h, sex, age in items)
        ):
            problems[room.pk] = (
                _(
                    "%(site)s, Zimmer %(room)s: Alleinstehende teilen ein Zimmer nur mit "
                    "Erwachsenen des gleichen Geschlechts."
                )
                % number
            )
    return problems


# --------------------------------------------------------------------------------------------
# Moves and the shelter phase


def moves_of(household: Household) -> QuerySet[Move]:
    return household.moves.select_related("from_site", "to_site").order_by("day", "pk")


def _minus_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


@dataclass
class ShelterStay:
    household: Household
    site: Site
    since: date  # start of the unbroken stay in shared accommodation
    months: int
    persons: int
    ready_since: date | None


def shelter_stays(
    *,
    actor: User | AnonymousUser,
    day: date | None = None,
    target_months: int | None = None,
    ready_only: bool = True,
) -> list[ShelterStay]:
    """Households in shared accommodation on ``day`` whose unbroken stay there has passed the
    county's target length (``ANKOMMEN_SHELTER_TARGET_MONTHS``), longest first; with
    ``ready_only`` only those staff marked ready for a flat. A fixed number of queries."""
    day = day or timezone.localdate()
    months = settings.ANKOMMEN_SHELTER_TARGET_MONTHS if target_months is None else target_months
    threshold = _minus_months(day, months)
    shared = Q(site__kind__in=SHARED_KINDS)
    current = {
        row["household_id"]: row["site_id"]
        for row in Occupancy.objects.on(day)
        .filter(shared, _occupancy_condition(actor))
        .values("household_id", "site_id")
        .order_by("valid_from")
    }
    # Candidates: housed since the threshold at the latest (one bed then suffices to start).
    history: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for row in (
        Occupancy.objects.filter(shared, household_id__in=list(current), valid_from__lte=day)
        .values_list("household_id", "valid_from", "valid_to")
        .order_by()
    ):
        history[row[0]].append((row[1], row[2]))
    readiness = {
        r.household_id: r.valid_from
        for r in FlatReadiness.objects.filter(household_id__in=list(current)).filter(
            Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )
    }
    since: dict[int, date] = {}
    for household_id, spans in history.items():
        start = _unbroken_start(spans, day)
        if start is not None and start <= threshold:
            if ready_only and household_id not in readiness:
                continue
            since[household_id] = start
    households = Household._base_manager.filter(pk__in=list(since)).annotate(size=Count("members"))
    sites = Site._base_manager.in_bulk({current[pk] for pk in since})
    stays = [
        ShelterStay(
            household=household,
            site=sites[current[household.pk]],
            since=since[household.pk],
            months=months_between(since[household.pk], day),
            persons=household.size,
            ready_since=readiness.get(household.pk),
        )
        for household in households
    ]
    return sorted(stays, key=lambda stay: (stay.since, stay.household.reference))


def _unbroken_start(spans: list[tuple[date, date | None]], day: date) -> date | None:
    """Start of the stretch of overlapping or adjoining spans that covers ``day``."""
    spans = sorted(spans)
    start: date | None = None
    end: date | None = None  # None: open
    for span_start, span_end in spans:
        if start is None or (end is not None and span_start > end):
            start, end = span_start, span_end
        elif end is not None:
            end = None if span_end is None else max(end, span_end)
    if start is None or start > day or (end is not None and end <= day):
        return None
    return start


def household_accommodation(*, household: Household, day: date) -> list[Occupancy]:
    """The household's beds on ``day`` (for its page; the caller checked access)."""
    return list(
        Occupancy.objects.on(day)
        .filter(household=household)
        .select_related("person", "bed__room__site")
        .order_by("person__birth_year")
    )


def household_bookings(*, household: Household, day: date) -> list[Occupancy]:
    """Beds booked for the household from a later day (an announced arrival)."""
    return list(
        Occupancy.objects.filter(household=household, valid_from__gt=day, valid_to__isnull=True)
        .select_related("person", "bed__room__site")
        .order_by("valid_from", "person__birth_year")
    )


def persons_of(household: Household) -> list[Person]:
    return list(Person._base_manager.filter(household=household).order_by("birth_year", "pk"))


def household_for(actor: User | AnonymousUser, pk: int, *actions: Action) -> Household:
    """The household ``pk`` for any of ``actions``: ``PermissionDenied`` when no membership
    grants one of them at all, ``Household.DoesNotExist`` when it is out of reach."""
    if not any(access.counties_for(actor, action) for action in actions):
        access.deny()
    condition = reduce(
        operator.or_, (access.household_condition(actor, action) for action in actions)
    )
    return Household._base_manager.filter(condition).get(pk=pk)
