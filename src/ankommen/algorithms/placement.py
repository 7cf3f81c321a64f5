"""Optimal placement of announced households into rooms of shared accommodation.

The model (documented for users in ``docs/placement.md``):

* a household is placed whole in one facility or not at all;
* a household of two or more members gets empty rooms of its own whose beds cover its size;
* single adults of sex m or w share rooms with single adults of the same sex only (an empty
  room, or one ``occupied_by`` their sex); a single adult of sex d or x gets an empty room alone;
* a member needing a wheelchair needs at least one barrier-free room among the household's;
* ``women_only`` rooms take only households without adult men;
* households of minors only are never placed (the youth welfare office is responsible).

Objective: maximise the sum over placed households of ``1000 × members`` plus the weights of
the household's needs that its facility's features serve.

Solving one binary variable per household and room would be far too large (2,000 households ×
1,500 rooms). Households and rooms are therefore aggregated without loss:

* households that are alike for the rules and the objective (size, adult man present, wheelchair,
  set of weighted needs, and for single adults their sex) form one *type*; integer variables count
  how many households of a type go to each facility;
* rooms of one facility that are alike (beds, barrier-free, women-only, and who occupies them)
  form one *room class* with a count;
* a family takes a *pattern*: a minimal multiset of empty room classes whose beds cover its size.

Any integer solution of the aggregated model can be turned into concrete rooms (rooms of a class
are interchangeable), so its optimum equals the optimum of the detailed model. The mixed-integer
program is solved with HiGHS (through SciPy); HiGHS's proven dual bound is reported with the
objective.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

Sex = Literal["m", "w", "d", "x"]
ADULT_AGE = 18
WHEELCHAIR = "wheelchair"
MEMBER_WEIGHT = 1000
# German reasons shown to staff for needs a facility serves.
NEED_REASONS = {
    "psychosocial": "psychosoziale Betreuung vor Ort",
    "childcare": "Kinderbetreuung vor Ort",
    "language_course": "Sprachkurs vor Ort",
    "social_work": "Sozialarbeit vor Ort",
    "medical": "medizinische Versorgung vor Ort",
}
REASON_BARRIER_FREE = "barrierefreies Zimmer benötigt"
REASON_WOMEN_ONLY = "Schutzbereich für Frauen"
REASON_MINORS_ONLY = "nur Minderjährige: Zuständigkeit des Jugendamts, keine Unterbringung hier"
REASON_NO_PLACE = "kein passender freier Platz in einer Unterkunft"
MAX_PATTERNS_PER_KIND = 400


class InstanceError(ValueError):
    """The instance is malformed; the message says where and why (in German)."""


# --------------------------------------------------------------------------------------------
# Instance


@dataclass(frozen=True)
class Member:
    id: str
    sex: Sex
    age: int
    needs: frozenset[str]

    @property
    def is_adult(self) -> bool:
        return self.age >= ADULT_AGE


@dataclass(frozen=True)
class Household:
    id: str
    needs: frozenset[str]
    members: tuple[Member, ...]

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def all_needs(self) -> frozenset[str]:
        return self.needs.union(*(m.needs for m in self.members))

    @property
    def needs_wheelchair(self) -> bool:
        return WHEELCHAIR in self.all_needs

    @property
    def has_adult_man(self) -> bool:
        return any(m.is_adult and m.sex == "m" for m in self.members)

    @property
    def minors_only(self) -> bool:
        return not any(m.is_adult for m in self.members)


@dataclass(frozen=True)
class Room:
    id: str
    free_beds: int
    occupied_by: Literal["m", "w"] | None
    barrier_free: bool
    women_only: bool


@dataclass(frozen=True)
class Facility:
    id: str
    features: frozenset[str]
    rooms: tuple[Room, ...]


@dataclass(frozen=True)
class Instance:
    weights: Mapping[str, int | float]
    facilities: tuple[Facility, ...]
    households: tuple[Household, ...]


def _require(obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, Mapping):
        raise InstanceError(f"{where}: ein Objekt wird erwartet.")
    if key not in obj:
        raise InstanceError(f"{where}: der Schlüssel „{key}“ fehlt.")
    value = obj[key]
    # bool is an int in Python; numbers must not be booleans and flags must be booleans.
    if kind in (int, (int, float)) and isinstance(value, bool):
        raise InstanceError(f"{where}.{key}: eine Zahl wird erwartet, nicht {value!r}.")
    if not isinstance(value, kind):
        expected = {str: "Text", int: "ganze Zahl", bool: "true/false", list: "Liste"}.get(
            kind if isinstance(kind, type) else float, "Zahl"
        )
        raise InstanceError(f"{where}.{key}: {expected} erwartet, gefunden {value!r:.40}.")
    return value


def _strings(values: list[Any], where: str) -> frozenset[str]:
    if not all(isinstance(v, str) for v in values):
        raise InstanceError(f"{where}: eine Liste von Texten wird erwartet.")
    return frozenset(values)


def parse_instance(data: Any) -> Instance:
    """Validate and convert the JSON instance. Unknown extra keys are ignored."""
    if not isinstance(data, Mapping):
        raise InstanceError("Die Instanz muss ein JSON-Objekt sein.")
    weights_raw = _require(data, "weights", dict, "Instanz")
    weights: dict[str, int | float] = {}
    for code, weight in weights_raw.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            raise InstanceError(f"weights.{code}: eine nicht negative Zahl wird erwartet.")
        weights[code] = weight
    seen: dict[str, str] = {}

    def unique(identifier: str, where: str) -> str:
        if identifier in seen:
            raise InstanceError(
                f"{where}: die Kennung „{identifier}“ kommt doppelt vor "
                f"(auch in {seen[identifier]})."
            )
        seen[identifier] = where
        return identifier

    facilities: list[Facility] = []
    for i, raw in enumerate(_require(data, "facilities", list, "Instanz")):
        where = f"facilities[{i}]"
        fid = unique(_require(raw, "id", str, where), where)
        features = _strings(_require(raw, "features", list, where), f"{where}.features")
        rooms: list[Room] = []
        for j, room in enumerate(_require(raw, "rooms", list, where)):
            rwhere = f"{where}.rooms[{j}]"
            rid = unique(_require(room, "id", str, rwhere), rwhere)
            free = _require(room, "free_beds", int, rwhere)
            if free < 0:
                raise InstanceError(f"{rwhere}.free_beds: darf nicht negativ sein ({free}).")
            if "occupied_by" not in room:
                raise InstanceError(f"{rwhere}: der Schlüssel „occupied_by“ fehlt.")
            occupied = room["occupied_by"]
            if occupied not in (None, "m", "w"):
                raise InstanceError(f"{rwhere}.occupied_by: null, „m“ oder „w“ erwartet.")
            rooms.append(
                Room(
                    id=rid,
                    free_beds=free,
                    occupied_by=occupied,
                    barrier_free=_require(room, "barrier_free", bool, rwhere),
                    women_only=_require(room, "women_only", bool, rwhere),
                )
            )
        facilities.append(Facility(id=fid, features=features, rooms=tuple(rooms)))

    households: list[Household] = []
    for i, raw in enumerate(_require(data, "households", list, "Instanz")):
        where = f"households[{i}]"
        hid = unique(_require(raw, "id", str, where), where)
        needs = _strings(_require(raw, "needs", list, where), f"{where}.needs")
        members: list[Member] = []
        raw_members = _require(raw, "members", list, where)
        if not raw_members:
            raise InstanceError(f"{where}.members: ein Haushalt braucht mindestens ein Mitglied.")
        for j, member in enumerate(raw_members):
            mwhere = f"{where}.members[{j}]"
            mid = unique(_require(member, "id", str, mwhere), mwhere)
            sex = _require(member, "sex", str, mwhere)
            if sex not in ("m", "w", "d", "x"):
                raise InstanceError(f"{mwhere}.sex: m, w, d oder x erwartet, gefunden „{sex}“.")
            age = _require(member, "age", int, mwhere)
            if age < 0 or age > 130:
                raise InstanceError(f"{mwhere}.age: {age} ist kein mögliches Alter.")
            member_needs = _strings(_require(member, "needs", list, mwhere), f"{mwhere}.needs")
            members.append(Member(id=mid, sex=sex, age=age, needs=member_needs))
        households.append(Household(id=hid, needs=needs, members=tuple(members)))
    return Instance(weights=weights, facilities=tuple(facilities), households=tuple(households))


# --------------------------------------------------------------------------------------------
# Result


@dataclass
class RoomAssignment:
    room: str
    members: list[str]


@dataclass
class Placement:
    household: str
    facility: str
    rooms: list[RoomAssignment]
    reasons: list[str]


@dataclass
class Unplaced:
    household: str
    reason: str


@dataclass
class Result:
    objective: int | float
    bound: int | float
    status: Literal["optimal", "feasible"]
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "objective": self.objective,
            "bound": self.bound,
            "status": self.status,
            "placements": [
                {
                    "household": p.household,
                    "facility": p.facility,
                    "rooms": [{"room": r.room, "members": r.members} for r in p.rooms],
                    "reasons": p.reasons,
                }
                for p in self.placements
            ],
            "unplaced": [{"household": u.household, "reason": u.reason} for u in self.unplaced],
        }


# --------------------------------------------------------------------------------------------
# Aggregation


@dataclass(frozen=True)
class EmptyClass:
    beds: int
    barrier_free: bool
    women_only: bool


@dataclass(frozen=True)
class SharedClass:
    """Rooms already occupied by single adults of one sex, with the same free beds."""

    sex: Literal["m", "w"]
    free_beds: int
    barrier_free: bool
    women_only: bool


@dataclass(frozen=True)
class FamilyKind:
    size: int
    adult_man: bool
    wheelchair: bool


@dataclass(frozen=True)
class SingleKind:
    sex: Sex
    wheelchair: bool

    @property
    def alone(self) -> bool:
        """Single adults of sex d or x get an empty room to themselves."""
        return self.sex in ("d", "x")


Kind = FamilyKind | SingleKind


def kind_of(household: Household) -> Kind:
    if household.size == 1:
        member = household.members[0]
        return SingleKind(sex=member.sex, wheelchair=household.needs_wheelchair)
    return FamilyKind(
        size=household.size,
        adult_man=household.has_adult_man,
        wheelchair=household.needs_wheelchair,
    )


def family_may_use(kind: FamilyKind, room: EmptyClass) -> bool:
    return not (kind.adult_man and room.women_only)


def single_may_use(kind: SingleKind, room: EmptyClass | SharedClass) -> bool:
    if kind.wheelchair and not room.barrier_free:
        return False
    if kind.sex == "m" and room.women_only:
        return False
    if isinstance(room, SharedClass):
        return room.sex == kind.sex
    return True


def family_patterns(
    kind: FamilyKind, classes: Mapping[EmptyClass, int]
) -> list[tuple[tuple[EmptyClass, int], ...]]:
    """Minimal multisets of empty room classes that cover the family (every room needed)."""
    usable = sorted(
        ((c, n) for c, n in classes.items() if n > 0 and family_may_use(kind, c)),
        key=lambda item: (-item[0].beds, item[0].barrier_free, item[0].women_only),
    )
    patterns: list[tuple[tuple[EmptyClass, int], ...]] = []

    def extend(start: int, chosen: list[tuple[EmptyClass, int]], beds: int) -> Iterator[None]:
        if beds >= kind.size:
            smallest = min(c.beds for c, _ in chosen)
            barrier_free = any(c.barrier_free for c, _ in chosen)
            if beds - smallest < kind.size and (barrier_free or not kind.wheelchair):
                patterns.append(tuple(chosen))
            return
        for index in range(start, len(usable)):
            room_class, available = usable[index]
            used = sum(n for c, n in chosen if c == room_class)
            if used >= available:
                continue
            if chosen and chosen[-1][0] == room_class:
                chosen[-1] = (room_class, chosen[-1][1] + 1)
            else:
                chosen.append((room_class, 1))
            yield from extend(index, chosen, beds + room_class.beds)
            last_class, last_count = chosen[-1]
            if last_count == 1:
                chosen.pop()
            else:
                chosen[-1] = (last_class, last_count - 1)
            if len(patterns) >= MAX_PATTERNS_PER_KIND:
                return

    for _ in extend(0, [], 0):
        pass
    return patterns


# --------------------------------------------------------------------------------------------
# Model


class _Columns:
    """Collects variables and sparse constraint rows for ``scipy.optimize.milp``."""

    def __init__(self) -> None:
        self.objective: list[float] = []
        self.upper: list[float] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.values: list[float] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []

    def variable(self, objective: float = 0.0, upper: float = math.inf) -> int:
        self.objective.append(objective)
        self.upper.append(upper)
        return len(self.objective) - 1

    def constraint(self, terms: Sequence[tuple[int, float]], lower: float, upper: float) -> None:
        row = len(self.row_lower)
        for column, value in terms:
            self.rows.append(row)
            self.cols.append(column)
            self.values.append(value)
        self.row_lower.append(lower)
        self.row_upper.append(upper)


def household_value(household: Household, facility: Facility, weights: Mapping[str, Any]) -> float:
    served = household.all_needs & facility.features
    return float(MEMBER_WEIGHT * household.size + sum(weights.get(code, 0) for code in served))


def solve(instance: Instance, *, time_limit: float = 5.0, relative_gap: float = 4e-3) -> Result:
    """Recommend a placement. ``relative_gap`` lets HiGHS stop once the plan is proven within
    that share of the optimum (0.4 % by default, inside the 0.5 % the county asked for)."""
    weights = instance.weights
    placeable: list[Household] = []
    unplaced: list[Unplaced] = []
    for household in instance.households:
        if household.minors_only:
            unplaced.append(Unplaced(household.id, REASON_MINORS_ONLY))
        else:
            placeable.append(household)

    # Types: households alike for rules and objective.
    def weighted_needs(household: Household) -> frozenset[str]:
        return frozenset(code for code in household.all_needs if weights.get(code, 0))

    types: dict[tuple[Kind, frozenset[str]], list[Household]] = defaultdict(list)
    for household in placeable:
        types[(kind_of(household), weighted_needs(household))].append(household)

    empty_classes: list[dict[EmptyClass, list[Room]]] = []
    shared_classes: list[dict[SharedClass, list[Room]]] = []
    for facility in instance.facilities:
        empties: dict[EmptyClass, list[Room]] = defaultdict(list)
        shared: dict[SharedClass, list[Room]] = defaultdict(list)
        for room in facility.rooms:
            if room.free_beds <= 0:
                continue
            if room.occupied_by is None:
                empties[EmptyClass(room.free_beds, room.barrier_free, room.women_only)].append(room)
            else:
                shared[
                    SharedClass(
                        room.occupied_by, room.free_beds, room.barrier_free, room.women_only
                    )
                ].append(room)
        empty_classes.append(empties)
        shared_classes.append(shared)

    model = _Columns()
    # n[type, facility]: households of a type placed in a facility.
    n_var: dict[tuple[int, int], int] = {}
    type_keys = list(types)
    kinds = sorted({key[0] for key in type_keys}, key=repr)
    for t, key in enumerate(type_keys):
        example = types[key][0]
        for f, facility in enumerate(instance.facilities):
            if not empty_classes[f] and not shared_classes[f]:
                continue
            value = household_value(example, facility, weights)
            n_var[t, f] = model.variable(value, upper=len(types[type_keys[t]]))
    for t in range(len(type_keys)):
        terms = [(n_var[t, f], 1.0) for f in range(len(instance.facilities)) if (t, f) in n_var]
        if terms:
            model.constraint(terms, 0, len(types[type_keys[t]]))

    # Room usage per facility and empty class: sum of all uses <= count.
    empty_use: dict[tuple[int, EmptyClass], list[tuple[int, float]]] = defaultdict(list)
    pattern_var: dict[tuple[int, FamilyKind], list[tuple[int, tuple[tuple[EmptyClass, int], ...]]]]
    pattern_var = defaultdict(list)
    single_var: dict[tuple[int, SingleKind], list[tuple[int, EmptyClass | SharedClass]]]
    single_var = defaultdict(list)
    convert_var: dict[tuple[int, EmptyClass, str], int] = {}

    for f in range(len(instance.facilities)):
        empty_counts = {c: len(rooms) for c, rooms in empty_classes[f].items()}
        for kind in kinds:
            members_of_kind = [
                n_var[t, f] for t, key in enumerate(type_keys) if key[0] == kind and (t, f) in n_var
            ]
            if not members_of_kind:
                continue
            link: list[tuple[int, float]] = [(column, 1.0) for column in members_of_kind]
            if isinstance(kind, FamilyKind):
                for pattern in family_patterns(kind, empty_counts):
                    column = model.variable()
                    pattern_var[f, kind].append((column, pattern))
                    link.append((column, -1.0))
                    for room_class, count in pattern:
                        empty_use[f, room_class].append((column, float(count)))
            else:
                targets: list[EmptyClass | SharedClass] = [*empty_classes[f], *shared_classes[f]]
                for target in targets:
                    if not single_may_use(kind, target):
                        continue
                    column = model.variable()
                    single_var[f, kind].append((column, target))
                    link.append((column, -1.0))
                    if kind.alone:
                        assert isinstance(target, EmptyClass)
                        empty_use[f, target].append((column, 1.0))
            model.constraint(link, 0, 0)

        # Single adults of sex m/w share empty rooms converted to their sex, or shared rooms.
        for sex in ("m", "w"):
            for room_class in empty_classes[f]:
                users = [
                    (column, 1.0)
                    for kind in (SingleKind(sex, False), SingleKind(sex, True))
                    for column, target in single_var.get((f, kind), [])
                    if target == room_class
                ]
                if not users:
                    continue
                convert = model.variable(upper=len(empty_classes[f][room_class]))
                convert_var[f, room_class, sex] = convert
                empty_use[f, room_class].append((convert, 1.0))
                model.constraint([*users, (convert, -float(room_class.beds))], -math.inf, 0)
            for shared_class, rooms in shared_classes[f].items():
                if shared_class.sex != sex:
                    continue
                users = [
                    (column, 1.0)
                    for kind in (SingleKind(sex, False), SingleKind(sex, True))
                    for column, target in single_var.get((f, kind), [])
                    if target == shared_class
                ]
                if users:
                    model.constraint(users, 0, shared_class.free_beds * len(rooms))

    for (f, room_class), terms in empty_use.items():
        model.constraint(terms, 0, len(empty_classes[f][room_class]))

    if not model.objective:
        return _finish(
            instance,
            [],
            unplaced + [Unplaced(h.id, REASON_NO_PLACE) for h in placeable],
            0,
            0,
            optimal=True,
        )

    x, bound_value = _solve_integer(
        model, list(n_var.values()), time_limit=time_limit, relative_gap=relative_gap
    )
    placements = _disaggregate(
        instance,
        types,
        type_keys,
        n_var,
        x,
        pattern_var,
        single_var,
        convert_var,
        empty_classes,
        shared_classes,
        unplaced,
    )
    by_id = _by_id(instance)
    facilities = {facility.id: facility for facility in instance.facilities}
    achieved = sum(
        household_value(by_id[p.household], facilities[p.facility], weights) for p in placements
    )
    bound = max(math.floor(bound_value + 1e-6), achieved)
    return _finish(instance, placements, unplaced, achieved, bound, optimal=bound <= achieved)


def _solve_integer(
    model: _Columns, primary_columns: Sequence[int], *, time_limit: float, relative_gap: float
) -> tuple[np.ndarray, float]:
    """Integer solution and a proven upper bound on the optimum.

    The LP relaxation of the aggregated model is tight on realistic instances but HiGHS can
    need long to find integer points when beds are scarce. So: (1) solve the LP, whose value
    bounds the optimum; (2) solve the MIP with every variable held at least at the floor of its
    LP value (a small problem, solved in well under a second); (3) only if that leaves a gap
    above ``relative_gap``, spend the remaining time on the full MIP and keep the better plan.
    """
    started = time.perf_counter()
    costs = -np.asarray(model.objective)
    upper = np.asarray(model.upper)
    constraints = []
    if model.row_lower:
        matrix = coo_array(
            (model.values, (model.rows, model.cols)),
            shape=(len(model.row_lower), len(model.objective)),
        ).tocsr()
        constraints.append(LinearConstraint(matrix, model.row_lower, model.row_upper))
    integral = np.ones(len(costs))

    def run(lower: np.ndarray, integrality: np.ndarray, seconds: float) -> Any:
        return milp(
            c=costs,
            constraints=constraints,
            integrality=integrality,
            bounds=Bounds(lower, upper),
            options={"time_limit": max(seconds, 0.1), "mip_rel_gap": relative_gap, "disp": False},
        )

    relaxation = run(np.zeros(len(costs)), np.zeros(len(costs)), time_limit)
    if relaxation.x is None:
        raise RuntimeError(f"Der Solver fand keine Lösung: {relaxation.message}")
    bound = float(-relaxation.fun)
    best_x: np.ndarray | None = None
    best = -math.inf
    floors = np.floor(relaxation.x + 1e-9)
    primary = np.zeros(len(costs), dtype=bool)
    primary[list(primary_columns)] = True
    # Ever looser neighbourhoods of the LP optimum, until one holds an integer plan.
    for lower in (
        floors,
        np.where(primary, floors, 0),
        np.where(primary, np.floor(0.9 * floors), 0),
    ):
        remaining = time_limit - (time.perf_counter() - started)
        restricted = run(lower, integral, remaining)
        if restricted.x is not None:
            best_x, best = restricted.x, float(-restricted.fun)
            break
    remaining = time_limit - (time.perf_counter() - started)
    if best_x is None or (bound - best) > relative_gap * max(abs(bound), 1.0):
        full = run(np.zeros(len(costs)), integral, remaining)
        if full.x is not None and float(-full.fun) > best:
            best_x, best = full.x, float(-full.fun)
        if full.mip_dual_bound is not None and math.isfinite(full.mip_dual_bound):
            bound = min(bound, float(-full.mip_dual_bound))
    if best_x is None:
        raise RuntimeError("Der Solver fand in der Zeit keine ganzzahlige Lösung.")
    return np.rint(best_x).astype(int), bound


def _by_id(instance: Instance) -> dict[str, Household]:
    return {h.id: h for h in instance.households}


def _disaggregate(
    instance: Instance,
    types: Mapping[tuple[Kind, frozenset[str]], list[Household]],
    type_keys: list[tuple[Kind, frozenset[str]]],
    n_var: Mapping[tuple[int, int], int],
    x: np.ndarray,
    pattern_var: Mapping[
        tuple[int, FamilyKind], list[tuple[int, tuple[tuple[EmptyClass, int], ...]]]
    ],
    single_var: Mapping[tuple[int, SingleKind], list[tuple[int, EmptyClass | SharedClass]]],
    convert_var: Mapping[tuple[int, EmptyClass, str], int],
    empty_classes: list[dict[EmptyClass, list[Room]]],
    shared_classes: list[dict[SharedClass, list[Room]]],
    unplaced: list[Unplaced],
) -> list[Placement]:
    """Turn counts into concrete households and rooms (rooms of a class are interchangeable)."""
    remaining = {key: list(households) for key, households in types.items()}
    placements: list[Placement] = []
    for f, facility in enumerate(instance.facilities):
        free_empty = {c: list(rooms) for c, rooms in empty_classes[f].items()}
        # Households of each kind placed here, in type order.
        chosen: dict[Kind, list[Household]] = defaultdict(list)
        for t, key in enumerate(type_keys):
            column = n_var.get((t, f))
            if column is None or x[column] <= 0:
                continue
            take = remaining[key][: x[column]]
            remaining[key] = remaining[key][x[column] :]
            chosen[key[0]].extend(take)
        for kind, households in chosen.items():
            queue = list(households)
            if isinstance(kind, FamilyKind):
                for column, pattern in pattern_var.get((f, kind), []):
                    for _ in range(x[column]):
                        household = queue.pop(0)
                        rooms = [free_empty[c].pop() for c, count in pattern for _ in range(count)]
                        placements.append(_family_placement(household, facility, rooms))
            elif kind.alone:
                for column, target in single_var.get((f, kind), []):
                    assert isinstance(target, EmptyClass)
                    for _ in range(x[column]):
                        household = queue.pop(0)
                        room = free_empty[target].pop()
                        placements.append(_single_placement(household, facility, room))
        # Single adults of sex m/w take beds: in shared rooms of their sex, or in empty rooms
        # the model converted to their sex (several singles per converted room).
        for sex in ("m", "w"):
            slots: dict[EmptyClass | SharedClass, list[Room]] = {}
            for target_kind in (SingleKind(sex, True), SingleKind(sex, False)):
                queue = chosen.get(target_kind, [])
                for column, target in single_var.get((f, target_kind), []):
                    if target not in slots:
                        slots[target] = _bed_slots(
                            target, f, sex, convert_var, x, free_empty, shared_classes[f]
                        )
                    for _ in range(int(x[column])):
                        household = queue.pop(0)
                        room = slots[target].pop(0)
                        placements.append(_single_placement(household, facility, room))
    for households in remaining.values():
        unplaced.extend(Unplaced(h.id, REASON_NO_PLACE) for h in households)
    return placements


def _bed_slots(
    target: EmptyClass | SharedClass,
    f: int,
    sex: str,
    convert_var: Mapping[tuple[int, EmptyClass, str], int],
    x: np.ndarray,
    free_empty: dict[EmptyClass, list[Room]],
    shared: Mapping[SharedClass, list[Room]],
) -> list[Room]:
    """One entry per free bed the model gave to single adults of ``sex`` in ``target``."""
    if isinstance(target, SharedClass):
        return [room for room in shared[target] for _ in range(room.free_beds)]
    column = convert_var.get((f, target, sex))
    rooms = [free_empty[target].pop() for _ in range(int(x[column]) if column is not None else 0)]
    return [room for room in rooms for _ in range(room.free_beds)]


def _family_placement(household: Household, facility: Facility, rooms: list[Room]) -> Placement:
    # Fill larger rooms first; adults first so that no room holds children only when avoidable.
    members = sorted(household.members, key=lambda m: (not m.is_adult, m.id))
    assignments: list[RoomAssignment] = []
    queue = list(members)
    for room in sorted(rooms, key=lambda r: (-r.barrier_free, -r.free_beds)):
        take, queue = queue[: room.free_beds], queue[room.free_beds :]
        assignments.append(RoomAssignment(room.id, [m.id for m in take]))
    return Placement(household.id, facility.id, assignments, _reasons(household, facility, rooms))


def _single_placement(household: Household, facility: Facility, room: Room) -> Placement:
    return Placement(
        household.id,
        facility.id,
        [RoomAssignment(room.id, [household.members[0].id])],
        _reasons(household, facility, [room]),
    )


def _reasons(household: Household, facility: Facility, rooms: Sequence[Room]) -> list[str]:
    reasons: list[str] = []
    if household.needs_wheelchair:
        reasons.append(REASON_BARRIER_FREE)
    if any(room.women_only for room in rooms):
        reasons.append(REASON_WOMEN_ONLY)
    for code in sorted(household.all_needs & facility.features):
        reasons.append(NEED_REASONS.get(code, f"Bedarf „{code}“ vor Ort erfüllt"))
    return reasons


def _finish(
    instance: Instance,
    placements: list[Placement],
    unplaced: list[Unplaced],
    objective: float,
    bound: float,
    *,
    optimal: bool,
) -> Result:
    order = {h.id: i for i, h in enumerate(instance.households)}
    placements.sort(key=lambda p: order[p.household])
    unplaced.sort(key=lambda u: order[u.household])

    def as_number(value: float) -> int | float:
        return int(value) if float(value).is_integer() else value

    return Result(
        objective=as_number(objective),
        bound=as_number(bound),
        status="optimal" if optimal else "feasible",
        placements=placements,
        unplaced=unplaced,
    )


# --------------------------------------------------------------------------------------------
# Checking a plan against the rules (used by tests, the bench and the ``place`` command).


def violations(instance: Instance, result: Result) -> list[str]:
    """Every hard rule a result breaks, in German; empty when the plan is valid."""
    problems: list[str] = []
    households = _by_id(instance)
    facilities = {f.id: f for f in instance.facilities}
    room_facility = {r.id: f.id for f in instance.facilities for r in f.rooms}
    rooms = {r.id: r for f in instance.facilities for r in f.rooms}
    seen = [p.household for p in result.placements] + [u.household for u in result.unplaced]
    if sorted(seen) != sorted(households):
        problems.append("Nicht jeder Haushalt erscheint genau einmal im Ergebnis.")
    used_beds: dict[str, int] = defaultdict(int)
    room_users: dict[str, list[Household]] = defaultdict(list)
    for placement in result.placements:
        household = households[placement.household]
        facility = facilities.get(placement.facility)
        if facility is None:
            problems.append(f"{household.id}: unbekannte Unterkunft {placement.facility}.")
            continue
        if household.minors_only:
            problems.append(f"{household.id}: nur Minderjährige dürfen nicht untergebracht werden.")
        placed_members = sorted(m for r in placement.rooms for m in r.members)
        if placed_members != sorted(m.id for m in household.members):
            problems.append(f"{household.id}: nicht alle Mitglieder (genau einmal) untergebracht.")
        for assignment in placement.rooms:
            if room_facility.get(assignment.room) != facility.id:
                problems.append(
                    f"{household.id}: Zimmer {assignment.room} gehört nicht zur Unterkunft."
                )
                continue
            used_beds[assignment.room] += len(assignment.members)
            room_users[assignment.room].append(household)
        household_rooms = [rooms[a.room] for a in placement.rooms if a.room in rooms]
        if household.needs_wheelchair and not any(r.barrier_free for r in household_rooms):
            problems.append(f"{household.id}: kein barrierefreies Zimmer.")
        if household.has_adult_man and any(r.women_only for r in household_rooms):
            problems.append(f"{household.id}: erwachsener Mann in einem Frauenzimmer.")
    for room_id, users in room_users.items():
        room = rooms[room_id]
        if used_beds[room_id] > room.free_beds:
            problems.append(f"Zimmer {room_id}: mehr Personen als freie Betten.")
        families = [h for h in users if h.size > 1]
        if families and (len(users) > 1 or room.occupied_by is not None):
            problems.append(f"Zimmer {room_id}: eine Familie teilt ihr Zimmer.")
        singles = [h.members[0] for h in users if h.size == 1]
        sexes = {m.sex for m in singles} | ({room.occupied_by} if room.occupied_by else set())
        if singles and (
            len(sexes) > 1 or (sexes & {"d", "x"} and len(users) + bool(room.occupied_by) > 1)
        ):
            problems.append(f"Zimmer {room_id}: Einzelpersonen verschiedenen Geschlechts.")
    return problems
