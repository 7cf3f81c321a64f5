"""Demo data for housing: rooms, beds, features and dated occupancy for existing households.

:func:`build_rooms_and_occupancy` is called by ``ankommen demo`` after the households and their
accommodation responsibilities exist. Every accommodation responsibility with a site (past and
current) becomes beds for the household's members over the same days, so the dashboards show a
real history. Rooms follow the placement rules: a family has a room of its own while it stays;
single adults share rooms of three with adults of the same sex; persons of sex d or x and
minors alone get a room of their own. Spare rooms fill a site up to its places; a few beds are
held in reserve or closed. Idempotent: a county that already has rooms is left alone.
"""

from __future__ import annotations

import heapq
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ankommen.algorithms.partial_dates import PartialDate
from ankommen.audit.services import record_event
from ankommen.core.models import Site
from ankommen.housing.models import (
    ACCOMMODATION_KINDS,
    Bed,
    BedStatus,
    FacilityFeature,
    Feature,
    Move,
    Occupancy,
    Room,
)
from ankommen.people.models import Person, Responsibility

if TYPE_CHECKING:
    from ankommen.core.models import County

# Share of sites of a kind that offer a feature. ASSUMPTION for the demo, not data.
FEATURE_SHARES: dict[str, dict[str, float]] = {
    Site.Kind.SHARED_ACCOMMODATION: {
        Feature.SOCIAL_WORK: 1.0,
        Feature.LANGUAGE_COURSE: 0.6,
        Feature.BARRIER_FREE_ACCESS: 0.5,
        Feature.PSYCHOSOCIAL: 0.4,
        Feature.CHILDCARE: 0.4,
        Feature.WOMEN_PROTECTION: 0.3,
        Feature.MEDICAL: 0.2,
    },
    Site.Kind.EMERGENCY: {Feature.SOCIAL_WORK: 0.7, Feature.MEDICAL: 0.3},
    Site.Kind.APARTMENT_CLUSTER: {Feature.SOCIAL_WORK: 0.5, Feature.BARRIER_FREE_ACCESS: 0.3},
    Site.Kind.APARTMENT: {},
}
SINGLE_ROOM_BEDS = 3
HISTORY_DAYS = 730
RESERVED_SHARE = 0.04
CLOSED_SHARE = 0.03
# Why a household left county accommodation for good, one in twenty (by household number):
# mostly a flat of its own, some departed or were redistributed to another county. ASSUMPTION
# for the demo, so that the capacity plan estimates exit rates per reason (docs/planning.md).
EXIT_REASONS: tuple[tuple[str, str], ...] = (
    *((Occupancy.MoveOutReason.FLAT, Move.Reason.FLAT),) * 17,
    *((Occupancy.MoveOutReason.DEPARTURE, Move.Reason.DEPARTURE),) * 2,
    (Occupancy.MoveOutReason.REDISTRIBUTION, Move.Reason.REDISTRIBUTION),
)


def _exit_reason(household_id: int) -> tuple[str, str]:
    """(occupancy move-out reason, move reason) of a household's last move-out."""
    return EXIT_REASONS[household_id % len(EXIT_REASONS)]


@dataclass
class _Stay:
    household_id: int
    start: date
    end: date | None  # first day no longer there
    members: list[Person]


@dataclass
class _Room:
    number: str
    beds: int
    barrier_free: bool = False
    women_only: bool = False
    occupancies: list[tuple[int, Person, _Stay]] = field(default_factory=list)  # (bed index, …)
    pk: int = 0


class _SitePlan:
    """Rooms of one site, filled stay by stay in order of arrival."""

    def __init__(self, site: Site, rng: random.Random) -> None:
        self.site = site
        self.rng = rng
        self.rooms: list[_Room] = []
        # Family (exclusive) rooms by bed count: heap of (busy until, room index).
        self.exclusive: dict[int, list[tuple[date, int]]] = defaultdict(list)
        # Shared single rooms by sex: heap of (bed free from, room index, bed index).
        self.shared: dict[str, list[tuple[date, int, int]]] = defaultdict(list)

    def _new_room(self, beds: int, *, barrier_free: bool = False, women_only: bool = False) -> int:
        index = len(self.rooms)
        floor, seat = divmod(index, 20)
        number = f"{floor}.{seat + 1:02d}"
        self.rooms.append(_Room(number, beds, barrier_free=barrier_free, women_only=women_only))
        return index

    def place(self, stay: _Stay) -> None:
        far = date.max
        until = stay.end or far
        members = stay.members
        single = len(members) == 1
        adult_sex = members[0].sex if single else ""
        if single and adult_sex in ("m", "w") and _age(members[0], stay.start) >= 18:
            shared = self.shared[adult_sex]
            if shared and shared[0][0] <= stay.start:
                _free, room_index, bed = heapq.heappop(shared)
            else:
                room_index = self._new_room(SINGLE_ROOM_BEDS, women_only=adult_sex == "w")
                for other in range(1, SINGLE_ROOM_BEDS):
                    heapq.heappush(shared, (stay.start, room_index, other))
                bed = 0
            self.rooms[room_index].occupancies.append((bed, members[0], stay))
            heapq.heappush(shared, (until, room_index, bed))
            return
        size = len(members)
        for beds in range(size, size + 3):
            heap = self.exclusive[beds]
            if heap and heap[0][0] <= stay.start:
                _busy, room_index = heapq.heappop(heap)
                break
        else:
            beds = size
            room_index = self._new_room(beds, barrier_free=self.rng.random() < 0.15)
        for bed, person in enumerate(members):
            self.rooms[room_index].occupancies.append((bed, person, stay))
        heapq.heappush(self.exclusive[beds], (until, room_index))

    def fill_up(self) -> None:
        """Spare rooms until the beds reach the site's places."""
        beds = sum(room.beds for room in self.rooms)
        while beds < self.site.capacity:
            size = min(self.rng.choice((2, 3, 4)), self.site.capacity - beds)
            self._new_room(size, barrier_free=self.rng.random() < 0.1)
            beds += size


def _age(person: Person, day: date) -> int:
    return PartialDate(person.birth_year, person.birth_month, person.birth_day).age_on(day)


def _stays(county: County) -> dict[int, list[_Stay]]:
    """Accommodation responsibilities with a site, per site, in order of arrival."""
    members: dict[int, list[Person]] = defaultdict(list)
    for person in Person._base_manager.filter(county=county).order_by("birth_year", "pk"):
        members[person.household_id].append(person)
    stays: dict[int, list[_Stay]] = defaultdict(list)
    rows = Responsibility.objects.filter(
        county=county,
        kind=Responsibility.Kind.ACCOMMODATION,
        site__kind__in=ACCOMMODATION_KINDS,
    ).order_by("valid_from", "pk")
    for row in rows:
        if not members.get(row.household_id) or row.site_id is None:
            continue
        end = row.valid_to + timedelta(days=1) if row.valid_to else None
        stays[row.site_id].append(
            _Stay(row.household_id, row.valid_from, end, members[row.household_id])
        )
    return stays


@transaction.atomic
def build_rooms_and_occupancy(county: County, rng: random.Random) -> dict[str, int]:
    """Create rooms, beds, features, occupancy and moves for the county's accommodation sites
    from the households' accommodation responsibilities. Returns counts of what was created."""
    if Room.objects.filter(county=county).exists():
        return {"rooms": 0, "beds": 0, "occupancies": 0, "moves": 0}
    today = timezone.localdate()
    sites = list(
        Site._base_manager.filter(county=county, kind__in=ACCOMMODATION_KINDS).order_by("pk")
    )
    stays = _stays(county)
    features = [
        FacilityFeature(site=site, code=code)
        for site in sites
        for code, share in FEATURE_SHARES.get(site.kind, {}).items()
        if rng.random() < share
    ]
    FacilityFeature.objects.bulk_create(features)

    plans: list[_SitePlan] = []
    for site in sites:
        plan = _SitePlan(site, rng)
        for stay in stays.get(site.pk, []):
            plan.place(stay)
        plan.fill_up()
        plans.append(plan)

    rooms = Room.objects.bulk_create(
        Room(
            county=county,
            site=plan.site,
            floor=room.number.split(".")[0],
            number=room.number,
            barrier_free=room.barrier_free,
            women_only=room.women_only,
        )
        for plan in plans
        for room in plan.rooms
    )
    plan_rooms = [room for plan in plans for room in plan.rooms]
    for stored, room in zip(rooms, plan_rooms, strict=True):
        room.pk = stored.pk
    beds = Bed.objects.bulk_create(
        Bed(county=county, room_id=room.pk, label=chr(ord("A") + index))
        for room in plan_rooms
        for index in range(room.beds)
    )
    bed_ids: dict[tuple[int, int], int] = {}
    position = 0
    for room in plan_rooms:
        for index in range(room.beds):
            bed_ids[(room.pk, index)] = beds[position].pk
            position += 1

    # A stay followed the same day by the household's next stay ended with a transfer.
    transfers = {(stay.household_id, stay.start) for items in stays.values() for stay in items}
    occupancies: list[Occupancy] = []
    used: set[int] = set()
    last_end: dict[int, date | None] = {}
    since_by_site: dict[int, date] = {}
    for plan in plans:
        starts = [stay.start for stay in stays.get(plan.site.pk, [])]
        since_by_site[plan.site.pk] = min([today - timedelta(days=HISTORY_DAYS), *starts])
        for room in plan.rooms:
            for bed_index, person, stay in room.occupancies:
                born = PartialDate(person.birth_year, person.birth_month, person.birth_day)
                start = max(stay.start, born.earliest())
                if stay.end is not None and start >= stay.end:
                    continue  # born after the household left
                previous_end = last_end.get(person.pk, date.min)
                if previous_end is None or previous_end > start:
                    continue  # inconsistent source data: keep one bed per person per day
                bed_id = bed_ids[(room.pk, bed_index)]
                used.add(bed_id)
                occupancies.append(
                    Occupancy(
                        county=county,
                        bed_id=bed_id,
                        site=plan.site,
                        person=person,
                        household_id=stay.household_id,
                        valid_from=start,
                        valid_to=stay.end,
                        move_in_reason=Occupancy.MoveInReason.BIRTH
                        if start > stay.start
                        else Occupancy.MoveInReason.ALLOCATION,
                        move_out_reason=""
                        if stay.end is None
                        else Occupancy.MoveOutReason.TRANSFER
                        if (stay.household_id, stay.end) in transfers
                        else _exit_reason(stay.household_id)[0],
                    )
                )
                last_end[person.pk] = stay.end
    Occupancy.objects.bulk_create(occupancies, batch_size=2000)

    statuses: list[BedStatus] = []
    for plan in plans:
        since = since_by_site[plan.site.pk]
        for room in plan.rooms:
            for index in range(room.beds):
                bed_id = bed_ids[(room.pk, index)]
                statuses.append(
                    BedStatus(
                        county=county,
                        bed_id=bed_id,
                        site=plan.site,
                        state=Bed.State.IN_USE,
                        valid_from=since,
                    )
                )
                if bed_id in used:
                    continue
                draw = rng.random()
                state = (
                    Bed.State.RESERVED
                    if draw < RESERVED_SHARE
                    else Bed.State.CLOSED
                    if draw < RESERVED_SHARE + CLOSED_SHARE
                    else None
                )
                if state is not None:
                    change = today - timedelta(days=rng.randint(1, 120))
                    statuses[-1].valid_to = change
                    statuses.append(
                        BedStatus(
                            county=county,
                            bed_id=bed_id,
                            site=plan.site,
                            state=state,
                            valid_from=change,
                            reason="Vorhaltung" if state == Bed.State.RESERVED else "Sanierung",
                        )
                    )
                    Bed.objects.filter(pk=bed_id).update(state=state)
    BedStatus.objects.bulk_create(statuses, batch_size=2000)

    moves = _moves(county, stays)
    Move.objects.bulk_create(moves, batch_size=2000)
    counts = {
        "rooms": len(rooms),
        "beds": len(beds),
        "occupancies": len(occupancies),
        "moves": len(moves),
    }
    record_event(
        actor=None,
        action="create",
        object_type="housing.demo",
        county=county,
        details=counts,
    )
    return counts


def _moves(county: County, stays: dict[int, list[_Stay]]) -> list[Move]:
    """Move-in, move between sites and move-out events that match the stays."""
    by_household: dict[int, list[tuple[_Stay, int]]] = defaultdict(list)
    for site_id, items in stays.items():
        for stay in items:
            by_household[stay.household_id].append((stay, site_id))
    moves: list[Move] = []
    for household_id, sequence in by_household.items():
        sequence.sort(key=lambda item: item[0].start)
        previous: tuple[_Stay, int] | None = None
        for stay, site_id in sequence:
            if previous is None or previous[0].end != stay.start:
                if previous is not None and previous[0].end is not None:
                    moves.append(_move_out(county, household_id, previous))
                moves.append(
                    Move(
                        county=county,
                        household_id=household_id,
                        day=stay.start,
                        kind=Move.Kind.MOVE_IN,
                        reason=Move.Reason.ALLOCATION,
                        to_site_id=site_id,
                    )
                )
            else:
                moves.append(
                    Move(
                        county=county,
                        household_id=household_id,
                        day=stay.start,
                        kind=Move.Kind.TRANSFER,
                        reason=Move.Reason.CAPACITY,
                        from_site_id=previous[1],
                        to_site_id=site_id,
                    )
                )
            previous = (stay, site_id)
        if previous is not None and previous[0].end is not None:
            moves.append(_move_out(county, household_id, previous))
    return moves


def _move_out(county: County, household_id: int, item: tuple[_Stay, int]) -> Move:
    stay, site_id = item
    assert stay.end is not None
    return Move(
        county=county,
        household_id=household_id,
        day=stay.end,
        kind=Move.Kind.MOVE_OUT,
        reason=_exit_reason(household_id)[1],
        from_site_id=site_id,
    )
