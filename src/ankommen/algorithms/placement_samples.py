"""Random placement instances with realistic shapes, for tests, benchmarks and the demo.

Household sizes and the share of single adults follow the rough shape of asylum-seeker
households (many single men, families of 3–6, some single mothers); needs are rare. Beds can be
made scarce with ``beds_per_person`` below 1.
"""

from __future__ import annotations

import random
from typing import Any

FEATURES = ("psychosocial", "childcare", "language_course", "social_work", "medical")
WEIGHTS = {"psychosocial": 60, "childcare": 25, "language_course": 10, "medical": 40}


def _member(
    rng: random.Random, ident: str, sex: str, age: int, wheelchair: float
) -> dict[str, Any]:
    needs = ["wheelchair"] if rng.random() < wheelchair else []
    return {"id": ident, "sex": sex, "age": age, "needs": needs}


def random_households(rng: random.Random, count: int, *, prefix: str = "H") -> list[dict[str, Any]]:
    households = []
    person = 0

    def next_id() -> str:
        nonlocal person
        person += 1
        return f"{prefix}-P{person}"

    for index in range(count):
        roll = rng.random()
        members: list[dict[str, Any]] = []
        if roll < 0.40:
            sex = rng.choices(["m", "w", "d", "x"], weights=[80, 18, 1, 1])[0]
            members.append(_member(rng, next_id(), sex, rng.randint(18, 60), 0.02))
        elif roll < 0.45:
            members.append(_member(rng, next_id(), rng.choice("mw"), rng.randint(14, 17), 0.0))
        elif roll < 0.55:
            members.append(_member(rng, next_id(), "w", rng.randint(20, 45), 0.02))
            for _ in range(rng.randint(1, 4)):
                members.append(_member(rng, next_id(), rng.choice("mw"), rng.randint(0, 16), 0.01))
        else:
            members.append(_member(rng, next_id(), "m", rng.randint(22, 55), 0.02))
            members.append(_member(rng, next_id(), "w", rng.randint(20, 50), 0.02))
            for _ in range(rng.choices([0, 1, 2, 3, 4, 5], weights=[15, 20, 25, 20, 12, 8])[0]):
                members.append(_member(rng, next_id(), rng.choice("mw"), rng.randint(0, 17), 0.01))
            if rng.random() < 0.05:
                members.append(_member(rng, next_id(), rng.choice("mw"), rng.randint(65, 85), 0.3))
        needs = [code for code in FEATURES if rng.random() < 0.08]
        households.append({"id": f"{prefix}-{index + 1}", "needs": needs, "members": members})
    return households


def random_facilities(
    rng: random.Random, count: int, rooms: int, *, beds: int
) -> list[dict[str, Any]]:
    """``count`` facilities with ``rooms`` rooms in all and about ``beds`` free beds."""
    facilities: list[dict[str, Any]] = [
        {
            "id": f"GU-{index + 1}",
            "features": [code for code in FEATURES if rng.random() < 0.3],
            "rooms": [],
        }
        for index in range(count)
    ]
    mean_beds = max(beds / max(rooms, 1), 1.0)
    for index in range(rooms):
        facility = facilities[index % count] if index < count else rng.choice(facilities)
        free = max(1, min(8, round(rng.gauss(mean_beds, 1.2))))
        occupied = rng.choices([None, "m", "w"], weights=[70, 22, 8])[0]
        facility["rooms"].append(
            {
                "id": f"{facility['id']}-R{len(facility['rooms']) + 1}",
                "free_beds": free,
                "occupied_by": occupied,
                "barrier_free": rng.random() < 0.12,
                "women_only": rng.random() < (0.6 if occupied == "w" else 0.08),
            }
        )
    return facilities


def random_instance(
    seed: int,
    *,
    households: int = 2000,
    facilities: int = 60,
    rooms: int = 1500,
    beds_per_person: float = 0.8,
) -> dict[str, Any]:
    rng = random.Random(seed)
    hh = random_households(rng, households)
    persons = sum(len(h["members"]) for h in hh)
    return {
        "weights": dict(WEIGHTS),
        "facilities": random_facilities(
            rng, facilities, rooms, beds=round(persons * beds_per_person)
        ),
        "households": hh,
    }
