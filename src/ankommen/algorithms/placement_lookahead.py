"""Weekly placement with look-ahead: keep scarce places for the arrivals the forecast expects.

The myopic recommendation (:func:`ankommen.algorithms.placement.solve`) fills whatever room
serves the current batch best, and between equally good rooms it picks any — often the one
barrier-free room, the women's protection area or the large family room that a household
announced for next week will need. The look-ahead recommendation solves a *sample average
approximation* instead:

1. from the forecast (expected households per coming week) and the county's mix of households
   (household sizes and needs), draw ``scenarios`` possible futures;
2. solve the current batch together with all sampled futures in one model
   (:mod:`ankommen.algorithms.placement_slots`): the current batch uses the rooms in every
   future, each future's households compete only with the current batch, and a future
   household counts ``discount ** week / scenarios`` of its value (it may not come, and it
   can still be placed elsewhere or later);
3. commit only the current batch: the rooms the joint solution gives to the current batch
   form a restricted instance, which the ordinary solver turns into concrete rooms and reasons.

Rooms left out that futures need in at least half of the scenarios are reported as *held
back*, with the German reason. Since a future household never counts more than a current one
of the same value, the current batch loses a place only where a likely future household is
worth more there (a larger family, a need the place serves, a wheelchair user who has no other
place), never for a tie.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ankommen.algorithms.placement import (
    EmptyClass,
    Facility,
    Household,
    Instance,
    Result,
    Room,
    SharedClass,
    kind_of,
    solve,
)
from ankommen.algorithms.placement_slots import Demand, SlotFacility, Use, solve_slots

LARGE_ROOM_BEDS = 5
# The joint model must be solved this close to its bound, else the myopic plan is given.
FALLBACK_GAP = 0.005
# Share of households announced on an allocation list that arrive in the announced week.
# Unverified assumption (a setting of the sampling, not a published figure).
ANNOUNCED_SHOW_UP = 0.9
LARGE_FAMILY = 5
REASON_HELD_WHEELCHAIR = "barrierefreies Zimmer für erwartete Ankünfte mit Rollstuhl freigehalten"
REASON_HELD_WOMEN = "Frauenschutzbereich für erwartete Frauen und Mütter mit Kindern freigehalten"
REASON_HELD_LARGE = "großes Familienzimmer für erwartete große Familien freigehalten"
REASON_HELD_NEED = "Platz mit {what} für erwartete Ankünfte mit diesem Bedarf freigehalten"
NEED_PLACES = {
    "psychosocial": "psychosozialer Betreuung vor Ort",
    "women_protection": "Frauenschutz vor Ort",
    "medical": "medizinischer Versorgung vor Ort",
    "childcare": "Kinderbetreuung vor Ort",
}


class OutlookError(ValueError):
    """The forecast given to the look-ahead is unusable (German message)."""


@dataclass(frozen=True)
class Profile:
    """A kind of household the county receives, as a template, with its share of arrivals."""

    household: Household
    share: float


@dataclass(frozen=True)
class FutureWeek:
    """One coming week: households already announced for it (each arrives with probability
    ``show_up``) and, beyond them, ``expected`` further households drawn from ``profiles``."""

    expected: float
    profiles: tuple[Profile, ...]
    announced: tuple[Household, ...] = ()
    show_up: float = ANNOUNCED_SHOW_UP


@dataclass(frozen=True)
class Outlook:
    """The forecast for the coming weeks (week 1 is next week) and the sampling settings."""

    weeks: tuple[FutureWeek, ...]
    scenarios: int = 8
    discount: float = 0.85
    seed: int = 0

    def __post_init__(self) -> None:
        if self.scenarios < 0:
            raise OutlookError("Die Zahl der Szenarien darf nicht negativ sein.")
        if not 0 <= self.discount <= 1:
            raise OutlookError("Der Abschlag muss zwischen 0 und 1 liegen.")
        for index, week in enumerate(self.weeks, start=1):
            if week.expected < 0 or not math.isfinite(week.expected):
                raise OutlookError(f"Woche {index}: die erwartete Zahl muss ≥ 0 sein.")
            if week.expected > 0 and not any(p.share > 0 for p in week.profiles):
                raise OutlookError(f"Woche {index}: keine Haushaltsprofile mit Anteil > 0.")
            if not 0 <= week.show_up <= 1:
                raise OutlookError(
                    f"Woche {index}: die Ankunftswahrscheinlichkeit liegt nicht in 0–1."
                )


@dataclass(frozen=True)
class HeldRoom:
    facility: str
    room: str
    reasons: tuple[str, ...]
    needed_in: int  # scenarios in which expected arrivals used a room of this kind
    scenarios: int


@dataclass
class LookaheadResult:
    result: Result
    held: list[HeldRoom] = field(default_factory=list)
    scenarios: int = 0
    weeks: int = 0
    discount: float = 0.0

    def as_json(self) -> dict[str, Any]:
        """The result of ``docs/placement.md`` plus the look-ahead's held rooms."""
        data = self.result.as_json()
        data["look_ahead"] = {
            "scenarios": self.scenarios,
            "weeks": self.weeks,
            "discount": self.discount,
            "held_back": [
                {
                    "facility": h.facility,
                    "room": h.room,
                    "reasons": list(h.reasons),
                    "needed_in": h.needed_in,
                    "scenarios": h.scenarios,
                }
                for h in self.held
            ],
        }
        return data


def sample_futures(outlook: Outlook) -> list[list[tuple[int, Household]]]:
    """``scenarios`` sampled futures: (week, template household) for every arrival drawn.

    Announced households arrive with their probability; the number of further households per
    week is Poisson with the forecast mean, each a profile drawn by its share. Households of
    minors only are left out (never placed here)."""
    rng = np.random.default_rng(outlook.seed)
    futures: list[list[tuple[int, Household]]] = []
    for _ in range(outlook.scenarios):
        future: list[tuple[int, Household]] = []
        for week, forecast in enumerate(outlook.weeks, start=1):
            for household in forecast.announced:
                if rng.random() < forecast.show_up and not household.minors_only:
                    future.append((week, household))
            profiles = [p for p in forecast.profiles if p.share > 0]
            count = int(rng.poisson(forecast.expected)) if profiles else 0
            if not count:
                continue
            shares = np.asarray([p.share for p in profiles], dtype=float)
            for index in rng.choice(len(profiles), size=count, p=shares / shares.sum()):
                household = profiles[int(index)].household
                if not household.minors_only:
                    future.append((week, household))
        futures.append(future)
    return futures


def _classes(
    facility: Facility,
) -> tuple[dict[EmptyClass, list[Room]], dict[SharedClass, list[Room]]]:
    empties: dict[EmptyClass, list[Room]] = defaultdict(list)
    shared: dict[SharedClass, list[Room]] = defaultdict(list)
    for room in facility.rooms:
        if room.free_beds <= 0:
            continue
        if room.occupied_by is None:
            empties[EmptyClass(room.free_beds, room.barrier_free, room.women_only)].append(room)
        else:
            key = SharedClass(room.occupied_by, room.free_beds, room.barrier_free, room.women_only)
            shared[key].append(room)
    return empties, shared


def _weighted(household: Household, weights: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(code for code in household.all_needs if weights.get(code, 0))


def solve_lookahead(
    instance: Instance, outlook: Outlook, *, time_limit: float = 5.0
) -> LookaheadResult:
    """Recommend rooms for the current batch, holding back places likely needed soon."""
    futures = sample_futures(outlook)
    meta = {"scenarios": outlook.scenarios, "weeks": len(outlook.weeks)}
    placeable = [h for h in instance.households if not h.minors_only]
    if not any(futures) or not placeable:
        return LookaheadResult(solve(instance, time_limit=time_limit), [], **meta, discount=0.0)
    weights = instance.weights
    classes = [_classes(facility) for facility in instance.facilities]
    places = [
        SlotFacility(
            facility,
            {c: len(rooms) for c, rooms in empties.items()},
            {c: len(rooms) for c, rooms in shared.items()},
        )
        for facility, (empties, shared) in zip(instance.facilities, classes, strict=True)
    ]
    every = tuple(range(len(futures)))
    current: dict[tuple[Any, ...], list[Household]] = defaultdict(list)
    for household in placeable:
        current[(kind_of(household), _weighted(household, weights))].append(household)
    demands = [Demand(tuple(group), every, 1.0, 0) for group in current.values()]
    for k, future in enumerate(futures):
        # Households alike in one future form one demand; their weight is the mean discount.
        grouped: dict[tuple[Any, ...], list[tuple[int, Household]]] = defaultdict(list)
        for week, household in future:
            grouped[(kind_of(household), _weighted(household, weights))].append((week, household))
        for group in grouped.values():
            factor = sum(outlook.discount**week for week, _h in group) / len(group) / len(futures)
            demands.append(Demand(tuple(h for _w, h in group), (k,), factor, k + 1))
    try:
        solution = solve_slots(
            places, demands, weights, time_limit=time_limit, integral_tags=frozenset({0})
        )
    except RuntimeError:
        solution = None
    if solution is None or solution.bound - solution.value > FALLBACK_GAP * solution.bound:
        # No good plan of the joint model in time: recommend as without look-ahead.
        return LookaheadResult(solve(instance, time_limit=time_limit), [], **meta, discount=0.0)

    # Rooms per class the current batch uses in the joint solution; the others are kept free.
    keep: dict[tuple[int, EmptyClass | SharedClass], float] = defaultdict(float)
    beds: dict[tuple[int, EmptyClass | SharedClass, str], int] = defaultdict(int)
    future_use: dict[tuple[int, EmptyClass | SharedClass], dict[int, set[str]]] = defaultdict(
        lambda: defaultdict(set)
    )
    future_rooms: dict[tuple[int, EmptyClass | SharedClass], dict[int, int]] = defaultdict(
        lambda: defaultdict(int)
    )
    for use in solution.uses:
        demand = demands[use.demand]
        example = demand.households[0]
        if demand.tag == 0:
            if use.pattern is not None:
                for family_class, count in use.pattern:
                    keep[use.facility, family_class] += count * use.count
            elif use.target is not None:
                kind = kind_of(example)
                if isinstance(use.target, EmptyClass) and getattr(kind, "alone", False):
                    keep[use.facility, use.target] += use.count
                else:
                    beds[use.facility, use.target, example.members[0].sex] += use.count
            continue
        used: list[EmptyClass | SharedClass] = (
            [c for c, _n in use.pattern] if use.pattern is not None else []
        )
        if use.target is not None:
            used.append(use.target)
        for used_class in used:
            why = _why(example, used_class)
            future_use[use.facility, used_class][demand.tag].update(why)
            future_rooms[use.facility, used_class][demand.tag] += _rooms_taken(use, used_class)
    # Needs served on site by the facility (e.g. psychosocial care) make all its rooms that a
    # future used scarce for that future.
    for d, f, _count in solution.placed:
        demand = demands[d]
        if demand.tag == 0:
            continue
        served = demand.households[0].all_needs & instance.facilities[f].features
        reasons = {REASON_HELD_NEED.format(what=NEED_PLACES[c]) for c in served if c in NEED_PLACES}
        for (facility_index, _room_class), by_future in future_use.items():
            if facility_index == f and demand.tag in by_future:
                by_future[demand.tag].update(reasons)
    for (f, bed_class, _sex), count in beds.items():
        per_room = bed_class.beds if isinstance(bed_class, EmptyClass) else bed_class.free_beds
        keep[f, bed_class] += math.ceil(count / per_room)

    restricted: list[Facility] = []
    held: list[HeldRoom] = []
    for f, (facility, (empties, shared)) in enumerate(
        zip(instance.facilities, classes, strict=True)
    ):
        rooms: list[Room] = []
        room_classes: list[tuple[EmptyClass | SharedClass, list[Room]]] = [
            *empties.items(),
            *shared.items(),
        ]
        for room_class, members in room_classes:
            kept = int(keep.get((f, room_class), 0))
            rooms.extend(members[:kept])
            reasons_by_future = future_use.get((f, room_class), {})
            needed_in = sum(1 for why in reasons_by_future.values() if why)
            if members[kept:] and needed_in * 2 >= len(futures):
                listed = sorted(set().union(*reasons_by_future.values()))
                # As many rooms as the futures that needed them used (the median of those).
                counts = sorted(
                    n
                    for tag, n in future_rooms[f, room_class].items()
                    if n and reasons_by_future.get(tag)
                )
                held.extend(
                    HeldRoom(facility.id, room.id, tuple(listed), needed_in, len(futures))
                    for room in members[kept:][: max(counts[len(counts) // 2], 1)]
                )
        restricted.append(replace(facility, rooms=tuple(rooms)))
    result = solve(replace(instance, facilities=tuple(restricted)), time_limit=time_limit)
    return LookaheadResult(result, held, **meta, discount=outlook.discount)


def _rooms_taken(use: Use, room_class: EmptyClass | SharedClass) -> int:
    """Rooms of ``room_class`` a use of the joint solution takes (singles share rooms)."""
    if use.pattern is not None:
        return use.count * sum(n for c, n in use.pattern if c == room_class)
    beds = room_class.beds if isinstance(room_class, EmptyClass) else room_class.free_beds
    return math.ceil(use.count / max(beds, 1))


def _why(household: Household, room_class: EmptyClass | SharedClass) -> set[str]:
    """Why a future household of this kind needs a room of this class (empty: not scarce)."""
    reasons: set[str] = set()
    if household.needs_wheelchair and room_class.barrier_free:
        reasons.add(REASON_HELD_WHEELCHAIR)
    if room_class.women_only and not household.has_adult_man:
        reasons.add(REASON_HELD_WOMEN)
    beds = room_class.beds if isinstance(room_class, EmptyClass) else room_class.free_beds
    if beds >= LARGE_ROOM_BEDS and household.size >= LARGE_FAMILY:
        reasons.add(REASON_HELD_LARGE)
    return reasons


def profiles_from(households: Sequence[Household]) -> tuple[Profile, ...]:
    """The county's own mix: every past household a profile of equal share."""
    return tuple(Profile(h, 1.0) for h in households if not h.minors_only)
