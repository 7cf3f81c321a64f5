"""The aggregated placement model over several *slots* of shared room capacity.

:mod:`ankommen.algorithms.placement` solves one batch against the rooms free now. Two further
problems need the same rules with capacity counted more than once:

* look-ahead (sample average approximation): a slot per sampled future; the current batch
  occupies every slot, the households of one sampled future only their own;
* the hindsight optimum of a simulated year: a slot per week; a household occupies the weeks
  from its arrival to its exit, and initial occupants are fixed usage.

The rules and aggregation are those of :mod:`placement` (household kinds, room classes, minimal
family patterns; singles of sex m/w share rooms converted to their sex). Per slot, the rooms
used by families, by singles of sex d/x and converted for each sex never exceed the class's
rooms, and the singles in converted rooms never exceed their beds. Over time this is a
relaxation (within a class, households may be thought rearranged from week to week), so its
optimum is an upper bound on what any week-by-week plan can reach.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from ankommen.algorithms.placement import (
    EmptyClass,
    Facility,
    FamilyKind,
    Household,
    Kind,
    SharedClass,
    _Columns,
    family_patterns,
    household_value,
    kind_of,
    single_may_use,
)

Pattern = tuple[tuple[EmptyClass, int], ...]


@dataclass(frozen=True)
class Demand:
    """Households alike for rules and objective, occupying the same slots."""

    households: tuple[Household, ...]
    slots: tuple[int, ...]
    factor: float = 1.0  # multiplies the value (discount, probability)
    tag: int = 0  # the caller's label (e.g. 0 for the current batch, k + 1 for future k)


@dataclass
class SlotFacility:
    facility: Facility
    empty: Mapping[EmptyClass, int]
    shared: Mapping[SharedClass, int] = field(default_factory=dict)
    # Usage by occupants fixed in advance: rooms held whole (families, d/x) per (slot, class),
    # beds held by single adults per (slot, class, sex).
    fixed_rooms: Mapping[tuple[int, EmptyClass], int] = field(default_factory=dict)
    fixed_beds: Mapping[tuple[int, EmptyClass, str], int] = field(default_factory=dict)


@dataclass(frozen=True)
class Use:
    demand: int
    facility: int
    count: int
    pattern: Pattern | None = None  # families: the empty room classes taken
    target: EmptyClass | SharedClass | None = None  # single adults: where their bed is


@dataclass
class SlotSolution:
    value: float
    bound: float
    # Rooms taken per kind of household (``Use.demand`` is one demand of that kind and cohort).
    uses: list[Use]
    # Households placed: (demand, facility, count).
    placed: list[tuple[int, int, int]]


def solve_slots(
    facilities: Sequence[SlotFacility],
    demands: Sequence[Demand],
    weights: Mapping[str, Any],
    *,
    time_limit: float = 5.0,
    relative_gap: float = 1e-4,
    integral_tags: frozenset[int] | None = None,
) -> SlotSolution:
    """Best (discounted) value of placing the demands; solution and proven bound.

    With ``integral_tags`` only the variables of demands with those tags are integer (the
    others, and the room conversions, may be fractional): for look-ahead, where the futures
    only weigh the decision for the current batch, this keeps the model easy."""
    model = _Columns()
    integer: list[int] = []
    empty_use: dict[tuple[int, int, EmptyClass], list[tuple[int, float]]] = defaultdict(list)
    bed_use: dict[tuple[int, int, EmptyClass, str], list[tuple[int, float]]] = defaultdict(list)
    shared_use: dict[tuple[int, int, SharedClass], list[tuple[int, float]]] = defaultdict(list)
    bed_whole: dict[tuple[int, int, EmptyClass, str], list[tuple[int, float]]] = defaultdict(list)
    columns: list[tuple[int, Use]] = []
    placed_columns: list[tuple[int, int, int]] = []  # (column, demand, facility)
    patterns: dict[tuple[int, FamilyKind], list[Pattern]] = {}

    # Demands with the same slots and tag form a cohort; within it, households of one kind
    # share the room variables (patterns, bed targets), as in :mod:`placement`.
    cohorts: dict[tuple[tuple[int, ...], int], dict[Kind, list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for d, demand in enumerate(demands):
        if demand.households:
            cohorts[demand.slots, demand.tag][kind_of(demand.households[0])].append(d)

    for (slots, tag), kinds in cohorts.items():
        whole = integral_tags is None or tag in integral_tags
        for kind, members in kinds.items():
            by_facility: dict[int, list[tuple[int, float]]] = defaultdict(list)
            for d in members:
                size = len(demands[d].households)
                terms = []
                for f, place in enumerate(facilities):
                    if not place.empty and not place.shared:
                        continue
                    example = demands[d].households[0]
                    value = household_value(example, place.facility, weights) * demands[d].factor
                    column = model.variable(value, upper=size)
                    integer.extend([column] if whole else [])
                    placed_columns.append((column, d, f))
                    terms.append((column, 1.0))
                    by_facility[f].append((column, 1.0))
                if terms:
                    model.constraint(terms, 0, size)
            representative = members[0]
            for f, link in by_facility.items():
                place = facilities[f]
                if isinstance(kind, FamilyKind):
                    if (f, kind) not in patterns:
                        patterns[f, kind] = family_patterns(kind, place.empty)
                    for pattern in patterns[f, kind]:
                        column = model.variable()
                        integer.extend([column] if whole else [])
                        link.append((column, -1.0))
                        columns.append((column, Use(representative, f, 0, pattern=pattern)))
                        for slot in slots:
                            for room_class, count in pattern:
                                empty_use[slot, f, room_class].append((column, float(count)))
                else:
                    targets: list[EmptyClass | SharedClass] = [
                        c for c, n in place.empty.items() if n > 0
                    ] + [c for c, n in place.shared.items() if n > 0]
                    for target in targets:
                        if not single_may_use(kind, target):
                            continue
                        column = model.variable()
                        integer.extend([column] if whole else [])
                        link.append((column, -1.0))
                        columns.append((column, Use(representative, f, 0, target=target)))
                        for slot in slots:
                            if isinstance(target, SharedClass):
                                shared_use[slot, f, target].append((column, 1.0))
                            elif kind.alone:
                                empty_use[slot, f, target].append((column, 1.0))
                            else:
                                bed_use[slot, f, target, kind.sex].append((column, 1.0))
                                if whole and integral_tags is not None:
                                    bed_whole[slot, f, target, kind.sex].append((column, 1.0))
                model.constraint(link, 0, 0)

    fixed_bed_keys = {
        (slot, f, c, sex)
        for f, place in enumerate(facilities)
        for (slot, c, sex), n in place.fixed_beds.items()
        if n > 0
    }
    # Rooms converted for single adults of a sex: integer, except that with ``integral_tags``
    # only the rooms converted for the integer demands are (one variable for all their slots),
    # and the rooms converted in addition for the others may be fractional.
    whole_convert: dict[tuple[int, EmptyClass, str], int] = {}
    for slot, f, room_class, sex in sorted(set(bed_use) | fixed_bed_keys, key=repr):
        rooms = facilities[f].empty.get(room_class, 0)
        fixed = facilities[f].fixed_beds.get((slot, room_class, sex), 0)
        beds = float(room_class.beds)
        convert = model.variable(upper=rooms)
        integer.extend([convert] if integral_tags is None else [])
        empty_use[slot, f, room_class].append((convert, 1.0))
        terms = [*bed_use.get((slot, f, room_class, sex), []), (convert, -beds)]
        whole_terms = bed_whole.get((slot, f, room_class, sex))
        if whole_terms:
            if (f, room_class, sex) not in whole_convert:
                whole_convert[f, room_class, sex] = model.variable(upper=rooms)
                integer.append(whole_convert[f, room_class, sex])
            column = whole_convert[f, room_class, sex]
            empty_use[slot, f, room_class].append((column, 1.0))
            model.constraint([*whole_terms, (column, -beds)], -math.inf, 0)
            terms.append((column, -beds))
        model.constraint(terms, -math.inf, -float(fixed))
    fixed_room_keys = {
        (slot, f, c)
        for f, place in enumerate(facilities)
        for (slot, c), n in place.fixed_rooms.items()
        if n > 0
    }
    for slot, f, room_class in sorted(set(empty_use) | fixed_room_keys, key=repr):
        rooms = facilities[f].empty.get(room_class, 0)
        held = facilities[f].fixed_rooms.get((slot, room_class), 0)
        terms = empty_use.get((slot, f, room_class), [])
        if terms:
            model.constraint(terms, 0, max(rooms - held, 0))
    for (_slot, f, shared_class), terms in shared_use.items():
        rooms = facilities[f].shared.get(shared_class, 0)
        model.constraint(terms, 0, shared_class.free_beds * rooms)

    if not model.objective:
        return SlotSolution(0.0, 0.0, [], [])
    x, value, bound = _solve(model, integer, time_limit=time_limit, relative_gap=relative_gap)
    counts = np.rint(x).astype(int)  # fractional futures: the nearest whole number
    uses = [
        Use(use.demand, use.facility, int(counts[column]), use.pattern, use.target)
        for column, use in columns
        if counts[column] > 0
    ]
    placed = [(d, f, int(counts[column])) for column, d, f in placed_columns if counts[column] > 0]
    return SlotSolution(value, max(bound, value), uses, placed)


def _solve(
    model: _Columns, integer: Sequence[int], *, time_limit: float, relative_gap: float
) -> tuple[np.ndarray, float, float]:
    """The solution (integer where asked), its value and a proven bound.

    As in :mod:`placement`: the LP relaxation first (its value bounds the optimum), then the
    integer program with every integer variable held at least at the floor of its LP value (a
    small problem), and only if that leaves a gap above ``relative_gap`` the full program with
    the remaining time; the better plan is kept."""
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
    integrality = np.zeros(len(costs))
    integrality[list(integer)] = 1

    def run(lower: np.ndarray, whole: np.ndarray) -> Any:
        remaining = time_limit - (time.perf_counter() - started)
        return milp(
            c=costs,
            constraints=constraints,
            integrality=whole,
            bounds=Bounds(lower, upper),
            options={
                "time_limit": max(remaining, 0.1),
                "mip_rel_gap": relative_gap,
                "disp": False,
            },
        )

    relaxation = run(np.zeros(len(costs)), np.zeros(len(costs)))
    if relaxation.x is None:
        raise RuntimeError(f"Der Solver fand keine Lösung: {relaxation.message}")
    bound = float(-relaxation.fun)
    best_x: np.ndarray | None = None
    best = -math.inf
    if not integer:
        return np.asarray(relaxation.x, dtype=float), bound, bound
    floors = np.where(integrality > 0, np.floor(relaxation.x + 1e-9), 0)
    near = run(floors, integrality)
    if near.x is not None:
        best_x, best = np.asarray(near.x, dtype=float), float(-near.fun)
    if best_x is None or bound - best > relative_gap * max(abs(bound), 1.0):
        full = run(np.zeros(len(costs)), integrality)
        if full.x is not None and float(-full.fun) > best:
            best_x, best = np.asarray(full.x, dtype=float), float(-full.fun)
        dual = getattr(full, "mip_dual_bound", None)
        if dual is not None and math.isfinite(dual):
            bound = min(bound, float(-dual))
    if best_x is None:
        raise RuntimeError("Der Solver fand in der Zeit keine ganzzahlige Lösung.")
    return best_x, best, max(bound, best)
