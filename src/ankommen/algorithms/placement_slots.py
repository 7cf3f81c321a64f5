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
    uses: list[Use]


def solve_slots(
    facilities: Sequence[SlotFacility],
    demands: Sequence[Demand],
    weights: Mapping[str, Any],
    *,
    time_limit: float = 5.0,
    relative_gap: float = 1e-4,
) -> SlotSolution:
    """Best (discounted) value of placing the demands; integer solution and proven bound."""
    model = _Columns()
    empty_use: dict[tuple[int, int, EmptyClass], list[tuple[int, float]]] = defaultdict(list)
    bed_use: dict[tuple[int, int, EmptyClass, str], list[tuple[int, float]]] = defaultdict(list)
    shared_use: dict[tuple[int, int, SharedClass], list[tuple[int, float]]] = defaultdict(list)
    columns: list[tuple[int, Use]] = []
    patterns: dict[tuple[int, FamilyKind], list[Pattern]] = {}

    for d, demand in enumerate(demands):
        if not demand.households:
            continue
        example = demand.households[0]
        kind = kind_of(example)
        size = len(demand.households)
        link: list[tuple[int, float]] = []
        for f, place in enumerate(facilities):
            value = household_value(example, place.facility, weights) * demand.factor
            if isinstance(kind, FamilyKind):
                key = (f, kind)
                if key not in patterns:
                    patterns[key] = family_patterns(kind, place.empty)
                for pattern in patterns[key]:
                    column = model.variable(value, upper=size)
                    link.append((column, 1.0))
                    columns.append((column, Use(d, f, 0, pattern=pattern)))
                    for slot in demand.slots:
                        for room_class, count in pattern:
                            empty_use[slot, f, room_class].append((column, float(count)))
                continue
            targets: list[EmptyClass | SharedClass] = [
                c for c, n in place.empty.items() if n > 0
            ] + [c for c, n in place.shared.items() if n > 0]
            for target in targets:
                if not single_may_use(kind, target):
                    continue
                column = model.variable(value, upper=size)
                link.append((column, 1.0))
                columns.append((column, Use(d, f, 0, target=target)))
                for slot in demand.slots:
                    if isinstance(target, SharedClass):
                        shared_use[slot, f, target].append((column, 1.0))
                    elif kind.alone:
                        empty_use[slot, f, target].append((column, 1.0))
                    else:
                        bed_use[slot, f, target, kind.sex].append((column, 1.0))
        if link:
            model.constraint(link, 0, size)

    fixed_bed_keys = {
        (slot, f, c, sex)
        for f, place in enumerate(facilities)
        for (slot, c, sex), n in place.fixed_beds.items()
        if n > 0
    }
    for slot, f, room_class, sex in sorted(set(bed_use) | fixed_bed_keys, key=repr):
        rooms = facilities[f].empty.get(room_class, 0)
        fixed = facilities[f].fixed_beds.get((slot, room_class, sex), 0)
        convert = model.variable(upper=rooms)
        empty_use[slot, f, room_class].append((convert, 1.0))
        model.constraint(
            [*bed_use.get((slot, f, room_class, sex), []), (convert, -float(room_class.beds))],
            -math.inf,
            -float(fixed),
        )
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
        return SlotSolution(0.0, 0.0, [])
    x, value, bound = _solve(model, time_limit=time_limit, relative_gap=relative_gap)
    uses = [
        Use(use.demand, use.facility, int(x[column]), use.pattern, use.target)
        for column, use in columns
        if x[column] > 0
    ]
    return SlotSolution(value, max(bound, value), uses)


def _solve(
    model: _Columns, *, time_limit: float, relative_gap: float
) -> tuple[np.ndarray, float, float]:
    costs = -np.asarray(model.objective)
    constraints = []
    if model.row_lower:
        matrix = coo_array(
            (model.values, (model.rows, model.cols)),
            shape=(len(model.row_lower), len(model.objective)),
        ).tocsr()
        constraints.append(LinearConstraint(matrix, model.row_lower, model.row_upper))
    result = milp(
        c=costs,
        constraints=constraints,
        integrality=np.ones(len(costs)),
        bounds=Bounds(np.zeros(len(costs)), np.asarray(model.upper)),
        options={"time_limit": time_limit, "mip_rel_gap": relative_gap, "disp": False},
    )
    if result.x is None:
        raise RuntimeError(f"Der Solver fand keine ganzzahlige Lösung: {result.message}")
    x = np.rint(result.x).astype(int)
    value = float(np.dot(np.asarray(model.objective), x))
    bound = value
    dual = getattr(result, "mip_dual_bound", None)
    if dual is not None and math.isfinite(dual):
        bound = max(value, float(-dual))
    return x, value, bound
