"""An independent, detailed formulation of the placement problem (one variable per household
and room), solved exactly with SciPy/HiGHS. Only usable for tiny instances; the tests compare
the aggregated solver against it."""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from ankommen.algorithms.placement import Instance, household_value


def reference_optimum(instance: Instance) -> float:
    columns: list[float] = []
    rows: list[tuple[dict[int, float], float, float]] = []

    def var(objective: float = 0.0) -> int:
        columns.append(objective)
        return len(columns) - 1

    placeable = [h for h in instance.households if not h.minors_only]
    y = {}
    for h in placeable:
        for f in instance.facilities:
            y[h.id, f.id] = var(household_value(h, f, instance.weights))
        rows.append(({y[h.id, f.id]: 1 for f in instance.facilities}, 0, 1))
    empty_use: dict[str, dict[int, float]] = {}
    single_use: dict[tuple[str, str], dict[int, float]] = {}
    for f in instance.facilities:
        for r in f.rooms:
            if r.occupied_by is None:
                empty_use[r.id] = {}
                for sex in ("m", "w"):
                    conv = var()
                    empty_use[r.id][conv] = 1
                    single_use[r.id, sex] = {conv: -r.free_beds}
            else:
                single_use[r.id, r.occupied_by] = {}
                other = "w" if r.occupied_by == "m" else "m"
                single_use[r.id, other] = {}
    for h in placeable:
        for f in instance.facilities:
            if h.size > 1:
                cover: dict[int, float] = {y[h.id, f.id]: -h.size}
                barrier: dict[int, float] = {y[h.id, f.id]: -1}
                for r in f.rooms:
                    if r.occupied_by is not None or (h.has_adult_man and r.women_only):
                        continue
                    z = var()
                    rows.append(({z: 1, y[h.id, f.id]: -1}, -np.inf, 0))
                    cover[z] = r.free_beds
                    empty_use[r.id][z] = 1
                    if r.barrier_free:
                        barrier[z] = 1
                rows.append((cover, 0, np.inf))
                if h.needs_wheelchair:
                    rows.append((barrier, 0, np.inf))
            else:
                member = h.members[0]
                link: dict[int, float] = {y[h.id, f.id]: -1}
                for r in f.rooms:
                    if r.free_beds == 0 or (h.needs_wheelchair and not r.barrier_free):
                        continue
                    if member.sex == "m" and r.women_only:
                        continue
                    if member.sex in ("d", "x"):
                        if r.occupied_by is not None:
                            continue
                        w = var()
                        empty_use[r.id][w] = 1
                    else:
                        if r.occupied_by not in (None, member.sex):
                            continue
                        w = var()
                        single_use[r.id, member.sex][w] = 1
                    link[w] = 1
                rows.append((link, 0, 0))
    for f in instance.facilities:
        for r in f.rooms:
            if r.occupied_by is None:
                rows.append((empty_use[r.id], 0, 1))
                for sex in ("m", "w"):
                    rows.append((single_use[r.id, sex], -np.inf, 0))
            else:
                rows.append((single_use[r.id, r.occupied_by], 0, r.free_beds))
    if not columns:
        return 0.0
    matrix = np.zeros((len(rows), len(columns)))
    for i, (terms, _, _) in enumerate(rows):
        for j, value in terms.items():
            matrix[i, j] += value
    result = milp(
        c=-np.asarray(columns),
        constraints=[LinearConstraint(matrix, [r[1] for r in rows], [r[2] for r in rows])]
        if rows
        else [],
        integrality=np.ones(len(columns)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0},
    )
    assert result.success, result.message
    return float(-result.fun)
