"""A simulated year of weekly placement, to measure what look-ahead is worth.

A small county (four facilities, 72 rooms, 275 beds: a large shared accommodation, one with a
women's protection area and psychosocial care, a Wohnverbund with large family rooms, an
emergency shelter; only four barrier-free rooms) receives a batch of households every week.
Households stay 14–30 weeks and then move out, freeing their beds. Arrivals follow a seasonal
rate; wheelchair users and women needing protection are rare in the first half of the year and
more frequent in the second. A household that finds no place in its arrival week is lost to the
county's plan (it goes to a place outside the plan), so its value counts zero.

Three policies are compared on the same arrivals (everything seeded, no clock, no I/O):

* ``myopic``: the ordinary solver, week by week, on the rooms free that week;
* ``lookahead``: :func:`ankommen.algorithms.placement_lookahead.solve_lookahead` with what
  the county knows: next week's households from the allocation list (``announced_weeks``) and,
  for the weeks after, the forecast (the true arrival rate and mix, not the arrivals);
* ``hindsight``: all arrivals and exits of the year known in advance, solved as one problem
  where a household can take only a bed free in its arrival week
  (:mod:`ankommen.algorithms.placement_slots`, a slot per week). Its proven bound is an upper
  bound on every week-by-week plan, so percentages of it are on the safe side.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ankommen.algorithms.placement import (
    EmptyClass,
    Facility,
    Household,
    Instance,
    Kind,
    Member,
    Result,
    Room,
    Sex,
    household_value,
    kind_of,
    solve,
)
from ankommen.algorithms.placement_lookahead import (
    FutureWeek,
    Outlook,
    Profile,
    solve_lookahead,
)
from ankommen.algorithms.placement_slots import Demand, SlotFacility, solve_slots

WEIGHTS: dict[str, int | float] = {
    "psychosocial": 60,
    "women_protection": 50,
    "medical": 40,
    "childcare": 25,
    "social_work": 15,
    "language_course": 10,
}
# (facility, features, [(rooms, beds, barrier_free, women_only)])
FACILITIES: tuple[tuple[str, tuple[str, ...], tuple[tuple[int, int, bool, bool], ...]], ...] = (
    (
        "GU-Nord",
        ("social_work", "language_course"),
        ((10, 2, False, False), (18, 4, False, False), (4, 6, False, False), (1, 2, True, False)),
    ),
    (
        "GU-Sued",
        ("psychosocial", "childcare", "women_protection", "social_work"),
        (
            (4, 2, False, False),
            (10, 4, False, False),
            (2, 2, False, True),
            (2, 4, False, True),
            (1, 3, True, False),
        ),
    ),
    (
        "WV-Mitte",
        ("childcare", "language_course"),
        ((8, 3, False, False), (4, 5, False, False), (2, 6, False, False), (1, 4, True, False)),
    ),
    ("NU-Halle", (), ((4, 8, False, False), (1, 2, True, False))),
)
STAY_WEEKS = (14, 30)
INITIAL_FILL = 0.8


@dataclass(frozen=True)
class YearConfig:
    weeks: int = 52
    households_per_week: float = 3.0
    look_ahead_weeks: int = 4
    announced_weeks: int = 1  # allocation lists arrive this many weeks ahead
    scenarios: int = 10
    discount: float = 0.9
    hindsight_seconds: float = 60.0
    week_seconds: float = 5.0


def _template(
    name: str,
    adults: Sequence[tuple[Sex, int]],
    children: int = 0,
    needs: Sequence[str] = (),
    wheelchair: bool = False,
) -> Household:
    members = [
        Member(f"{name}-{i}", sex, age, frozenset({"wheelchair"} if wheelchair and i == 0 else ()))
        for i, (sex, age) in enumerate(adults)
    ]
    members += [
        Member(f"{name}-c{i}", "w" if i % 2 else "m", 2 + 3 * i, frozenset())
        for i in range(children)
    ]
    extra = {"childcare"} if children else set()
    return Household(name, frozenset({"language_course", *needs, *extra}), tuple(members))


def profile_mix(week: int, weeks: int = 52) -> tuple[Profile, ...]:
    """The county's mix of households arriving in a week (shares, not probabilities)."""
    late = week >= weeks // 2
    wheelchair = 3.0 if late else 0.2
    protection = 6.0 if late else 1.0
    profiles = [
        Profile(_template("man", [("m", 28)]), 26.0),
        Profile(_template("man-psy", [("m", 31)], needs=["psychosocial"]), 3.0),
        Profile(_template("man-rs", [("m", 45)], wheelchair=True), wheelchair),
        Profile(_template("woman", [("w", 30)]), 6.0),
        Profile(_template("woman-prot", [("w", 26)], needs=["women_protection"]), protection),
        Profile(_template("diverse", [("d", 24)]), 0.5),
        Profile(_template("minor", [("m", 16)]), 3.0),
        Profile(_template("mother-1", [("w", 29)], 1), 3.0),
        Profile(_template("mother-2", [("w", 33)], 2), 3.0),
        Profile(_template("mother-3", [("w", 36)], 3), 2.0),
        Profile(
            _template("mother-prot", [("w", 31)], 2, needs=["women_protection", "psychosocial"]),
            protection,
        ),
        Profile(_template("couple", [("m", 30), ("w", 28)]), 6.0),
        Profile(_template("family-3", [("m", 32), ("w", 30)], 1), 8.0),
        Profile(_template("family-4", [("m", 35), ("w", 33)], 2), 10.0),
        Profile(_template("family-5", [("m", 38), ("w", 35)], 3), 7.0),
        Profile(_template("family-6", [("m", 40), ("w", 37)], 4), 4.0),
        Profile(_template("family-7", [("m", 42), ("w", 39)], 5), 2.0),
        Profile(
            _template("family-rs", [("w", 70), ("m", 40), ("w", 36)], 1, ["medical"], True),
            wheelchair,
        ),
        Profile(_template("couple-rs", [("m", 52), ("w", 50)], 0, ["medical"], True), wheelchair),
    ]
    return tuple(profiles)


def arrival_rate(week: int, config: YearConfig) -> float:
    """Expected households in a week: a seasonal wave peaking in early autumn."""
    return config.households_per_week * (1 + 0.35 * math.sin(2 * math.pi * (week - 22) / 52))


@dataclass(frozen=True)
class Arrival:
    household: Household
    week: int
    exit: int


def arrivals_of_year(seed: int, config: YearConfig) -> list[Arrival]:
    rng = np.random.default_rng(seed)
    result: list[Arrival] = []
    for week in range(config.weeks):
        profiles = profile_mix(week, config.weeks)
        shares = np.asarray([p.share for p in profiles])
        for i in range(int(rng.poisson(arrival_rate(week, config)))):
            template = profiles[int(rng.choice(len(profiles), p=shares / shares.sum()))].household
            result.append(Arrival(_instance_of(template, f"W{week}-{i}"), week, _stay(rng, week)))
    return result


def _instance_of(template: Household, ident: str) -> Household:
    members = tuple(
        Member(f"{ident}-P{j}", m.sex, m.age, m.needs) for j, m in enumerate(template.members)
    )
    return Household(ident, template.needs, members)


def _stay(rng: np.random.Generator, week: int) -> int:
    return week + int(rng.integers(STAY_WEEKS[0], STAY_WEEKS[1] + 1))


# --------------------------------------------------------------------------------------------
# State of the county's rooms


@dataclass
class _Occupant:
    household: str
    sex: str
    single: bool  # a single adult (rooms of single adults are shared by sex)
    exit: int


@dataclass
class _Room:
    facility: str
    id: str
    beds: int
    barrier_free: bool
    women_only: bool
    occupants: list[_Occupant] = field(default_factory=list)

    @property
    def room_class(self) -> EmptyClass:
        return EmptyClass(self.beds, self.barrier_free, self.women_only)


def _world() -> tuple[dict[str, tuple[str, ...]], list[_Room]]:
    features = {name: feats for name, feats, _rooms in FACILITIES}
    rooms: list[_Room] = []
    for name, _feats, specs in FACILITIES:
        for count, beds, barrier_free, women_only in specs:
            for _ in range(count):
                rooms.append(
                    _Room(name, f"{name}-{len(rooms) + 1}", beds, barrier_free, women_only)
                )
    return features, rooms


def _instance(
    features: dict[str, tuple[str, ...]], rooms: Sequence[_Room], batch: Sequence[Household]
) -> Instance:
    by_facility: dict[str, list[Room]] = defaultdict(list)
    for room in rooms:
        free = room.beds - len(room.occupants)
        if free <= 0:
            continue
        occupied_by: Literal["m", "w"] | None = None
        if room.occupants:
            sexes = {o.sex for o in room.occupants}
            if not all(o.single for o in room.occupants) or len(sexes) > 1 or sexes - {"m", "w"}:
                continue
            occupied_by = "m" if sexes == {"m"} else "w"
        by_facility[room.facility].append(
            Room(room.id, free, occupied_by, room.barrier_free, room.women_only)
        )
    facilities = tuple(
        Facility(name, frozenset(feats), tuple(by_facility[name]))
        for name, feats in features.items()
        if by_facility[name]
    )
    return Instance(dict(WEIGHTS), facilities, tuple(batch))


def _apply(rooms: dict[str, _Room], result: Result, arrivals: dict[str, Arrival]) -> None:
    for placement in result.placements:
        arrival = arrivals[placement.household]
        household = arrival.household
        sexes = {m.id: m.sex for m in household.members}
        for assignment in placement.rooms:
            for member in assignment.members:
                rooms[assignment.room].occupants.append(
                    _Occupant(household.id, sexes[member], household.size == 1, arrival.exit)
                )


def _initial_state(seed: int, config: YearConfig) -> tuple[dict[str, tuple[str, ...]], list[_Room]]:
    """The rooms at the start of the year: about 80 % of beds taken by earlier arrivals, who
    move out during the first weeks of the year."""
    rng = np.random.default_rng(seed + 1_000_003)
    features, rooms = _world()
    profiles = profile_mix(0, config.weeks)
    shares = np.asarray([p.share for p in profiles])
    target = INITIAL_FILL * sum(room.beds for room in rooms)
    earlier: list[Arrival] = []
    persons = 0
    while persons < target:
        template = profiles[int(rng.choice(len(profiles), p=shares / shares.sum()))].household
        if template.minors_only:
            continue
        exit_week = int(rng.integers(1, STAY_WEEKS[1] + 1))
        earlier.append(Arrival(_instance_of(template, f"E{len(earlier)}"), -1, exit_week))
        persons += template.size
    result = solve(_instance(features, rooms, [a.household for a in earlier]), time_limit=10)
    _apply({room.id: room for room in rooms}, result, {a.household.id: a for a in earlier})
    return features, rooms


# --------------------------------------------------------------------------------------------
# Policies and the year


Policy = Callable[[Instance, int], Result]


def myopic(config: YearConfig) -> Policy:
    def policy(instance: Instance, week: int) -> Result:
        return solve(instance, time_limit=config.week_seconds)

    return policy


def outlook_for(
    week: int, seed: int, config: YearConfig, arrivals: Sequence[Arrival] = ()
) -> Outlook:
    """What the county knows in ``week`` about the coming weeks: the households announced on
    allocation lists for the next ``announced_weeks`` weeks, and the forecast (the arrival rate
    and mix) for the weeks after."""
    coming = range(week + 1, min(week + 1 + config.look_ahead_weeks, config.weeks))
    future = []
    for w in coming:
        if w <= week + config.announced_weeks:
            announced = tuple(a.household for a in arrivals if a.week == w)
            future.append(FutureWeek(0.0, (), announced))
        else:
            future.append(FutureWeek(arrival_rate(w, config), profile_mix(w, config.weeks)))
    return Outlook(
        tuple(future),
        scenarios=config.scenarios,
        discount=config.discount,
        seed=seed * 1000 + week,
    )


def lookahead(config: YearConfig, seed: int) -> Policy:
    arrivals = arrivals_of_year(seed, config)

    def policy(instance: Instance, week: int) -> Result:
        outlook = outlook_for(week, seed, config, arrivals)
        return solve_lookahead(instance, outlook, time_limit=config.week_seconds).result

    return policy


@dataclass
class YearOutcome:
    value: float
    placed: int
    lost: int
    lost_wheelchair: int
    seconds: float
    slowest_week: float


def simulate(seed: int, config: YearConfig, policy: Policy) -> YearOutcome:
    features, rooms = _initial_state(seed, config)
    by_id = {room.id: room for room in rooms}
    arrivals = arrivals_of_year(seed, config)
    by_week: dict[int, list[Arrival]] = defaultdict(list)
    for arrival in arrivals:
        by_week[arrival.week].append(arrival)
    outcome = YearOutcome(0.0, 0, 0, 0, 0.0, 0.0)
    facilities = {name: Facility(name, frozenset(f), ()) for name, f in features.items()}
    for week in range(config.weeks):
        for room in rooms:
            room.occupants = [o for o in room.occupants if o.exit > week]
        batch = by_week.get(week, [])
        if not batch:
            continue
        instance = _instance(features, rooms, [a.household for a in batch])
        started = time.perf_counter()
        result = policy(instance, week)
        seconds = time.perf_counter() - started
        outcome.seconds += seconds
        outcome.slowest_week = max(outcome.slowest_week, seconds)
        lookup = {a.household.id: a for a in batch}
        _apply(by_id, result, lookup)
        for placement in result.placements:
            household = lookup[placement.household].household
            outcome.value += household_value(household, facilities[placement.facility], WEIGHTS)
            outcome.placed += 1
        for item in result.unplaced:
            household = lookup[item.household].household
            if not household.minors_only:
                outcome.lost += 1
                outcome.lost_wheelchair += household.needs_wheelchair
    return outcome


@dataclass
class Hindsight:
    value: float  # best plan found
    bound: float  # proven upper bound on any plan (the reference for percentages)
    seconds: float


def hindsight(seed: int, config: YearConfig) -> Hindsight:
    """All arrivals and exits known: one model with a slot per week."""
    started = time.perf_counter()
    features, rooms = _initial_state(seed, config)
    fixed_rooms: dict[str, dict[tuple[int, EmptyClass], int]] = defaultdict(
        lambda: defaultdict(int)
    )
    fixed_beds: dict[str, dict[tuple[int, EmptyClass, str], int]] = defaultdict(
        lambda: defaultdict(int)
    )
    counts: dict[str, dict[EmptyClass, int]] = defaultdict(lambda: defaultdict(int))
    for room in rooms:
        counts[room.facility][room.room_class] += 1
        if not room.occupants:
            continue
        if all(o.single and o.sex in ("m", "w") for o in room.occupants):
            for occupant in room.occupants:
                for week in range(min(occupant.exit, config.weeks)):
                    fixed_beds[room.facility][week, room.room_class, occupant.sex] += 1
        else:
            for week in range(min(max(o.exit for o in room.occupants), config.weeks)):
                fixed_rooms[room.facility][week, room.room_class] += 1
    places = [
        SlotFacility(
            Facility(name, frozenset(feats), ()),
            dict(counts[name]),
            {},
            dict(fixed_rooms[name]),
            dict(fixed_beds[name]),
        )
        for name, feats in features.items()
    ]
    groups: dict[tuple[Kind, frozenset[str], int, int], list[Household]] = defaultdict(list)
    for arrival in arrivals_of_year(seed, config):
        household = arrival.household
        if household.minors_only:
            continue
        needs = frozenset(c for c in household.all_needs if WEIGHTS.get(c, 0))
        groups[(kind_of(household), needs, arrival.week, arrival.exit)].append(household)
    demands = [
        Demand(tuple(group), tuple(range(week, min(exit_week, config.weeks))))
        for (_kind, _needs, week, exit_week), group in groups.items()
    ]
    solution = solve_slots(
        places, demands, WEIGHTS, time_limit=config.hindsight_seconds, relative_gap=1e-3
    )
    return Hindsight(solution.value, solution.bound, time.perf_counter() - started)


@dataclass
class Comparison:
    seed: int
    myopic: YearOutcome
    lookahead: YearOutcome
    hindsight: Hindsight

    def percent(self, outcome: YearOutcome) -> float:
        return 100 * outcome.value / self.hindsight.bound if self.hindsight.bound else 100.0


def compare(seed: int, config: YearConfig | None = None) -> Comparison:
    config = config or YearConfig()
    return Comparison(
        seed,
        simulate(seed, config, myopic(config)),
        simulate(seed, config, lookahead(config, seed)),
        hindsight(seed, config),
    )
