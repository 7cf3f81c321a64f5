import pytest

from ankommen.algorithms.placement import (
    REASON_MINORS_ONLY,
    InstanceError,
    parse_instance,
    solve,
    violations,
)
from ankommen.algorithms.placement_samples import random_instance
from tests.algorithms.placement_reference import reference_optimum


def _room(rid, beds, occupied=None, barrier_free=False, women_only=False):
    return {
        "id": rid,
        "free_beds": beds,
        "occupied_by": occupied,
        "barrier_free": barrier_free,
        "women_only": women_only,
    }


def _member(mid, sex, age, *needs):
    return {"id": mid, "sex": sex, "age": age, "needs": list(needs)}


def _instance(facilities, households, weights=None):
    return parse_instance(
        {"weights": weights or {}, "facilities": facilities, "households": households}
    )


def test_the_example_from_the_issue():
    instance = parse_instance(
        {
            "weights": {"psychosocial": 60, "childcare": 25, "language_course": 10},
            "facilities": [
                {
                    "id": "GU-BSK",
                    "features": ["psychosocial", "language_course"],
                    "rooms": [_room("GU-BSK-101", 4, barrier_free=True)],
                }
            ],
            "households": [
                {
                    "id": "H-17",
                    "needs": ["psychosocial"],
                    "members": [_member("P-1", "w", 31, "wheelchair"), _member("P-2", "m", 4)],
                }
            ],
        }
    )
    result = solve(instance).as_json()
    assert result == {
        "objective": 2060,
        "bound": 2060,
        "status": "optimal",
        "placements": [
            {
                "household": "H-17",
                "facility": "GU-BSK",
                "rooms": [{"room": "GU-BSK-101", "members": ["P-1", "P-2"]}],
                "reasons": ["barrierefreies Zimmer benötigt", "psychosoziale Betreuung vor Ort"],
            }
        ],
        "unplaced": [],
    }


def test_a_family_never_shares_and_takes_only_empty_rooms():
    instance = _instance(
        [{"id": "F", "features": [], "rooms": [_room("R1", 4, occupied="w"), _room("R2", 2)]}],
        [
            {
                "id": "fam",
                "needs": [],
                "members": [_member("a", "w", 30), _member("b", "m", 3), _member("c", "w", 5)],
            }
        ],
    )
    result = solve(instance)
    assert [u.household for u in result.unplaced] == ["fam"]
    assert result.status == "optimal"


def test_a_family_may_span_several_empty_rooms_of_one_facility():
    instance = _instance(
        [{"id": "F", "features": [], "rooms": [_room("R1", 2), _room("R2", 2)]}],
        [{"id": "fam", "needs": [], "members": [_member(f"p{i}", "w", 30 - i) for i in range(4)]}],
    )
    result = solve(instance)
    assert len(result.placements) == 1
    assert sorted(r.room for r in result.placements[0].rooms) == ["R1", "R2"]
    assert violations(instance, result) == []


def test_single_adults_share_only_with_their_own_sex():
    instance = _instance(
        [{"id": "F", "features": [], "rooms": [_room("R1", 2, occupied="m"), _room("R2", 2)]}],
        [
            {"id": "w1", "needs": [], "members": [_member("a", "w", 30)]},
            {"id": "m1", "needs": [], "members": [_member("b", "m", 30)]},
            {"id": "m2", "needs": [], "members": [_member("c", "m", 31)]},
            {"id": "m3", "needs": [], "members": [_member("d", "m", 32)]},
        ],
    )
    result = solve(instance)
    rooms = {p.household: p.rooms[0].room for p in result.placements}
    # R1 holds two more men; R2 goes either to the woman or to the third man, never both.
    assert sum(1 for room in rooms.values() if room == "R1") == 2
    assert result.objective == 3000
    assert not {"w1", "m3"} <= set(rooms)
    assert violations(instance, result) == []


def test_diverse_single_adults_get_a_room_alone():
    instance = _instance(
        [{"id": "F", "features": [], "rooms": [_room("R1", 3)]}],
        [
            {"id": "d1", "needs": [], "members": [_member("a", "d", 30)]},
            {"id": "w1", "needs": [], "members": [_member("b", "w", 30)]},
        ],
    )
    result = solve(instance)
    assert len(result.placements) == 1
    assert violations(instance, result) == []


def test_women_only_rooms_take_no_adult_men_and_wheelchair_users_need_barrier_free():
    instance = _instance(
        [{"id": "F", "features": [], "rooms": [_room("R1", 4, women_only=True), _room("R2", 1)]}],
        [
            {"id": "fam", "needs": [], "members": [_member("a", "m", 30), _member("b", "w", 30)]},
            {"id": "wc", "needs": [], "members": [_member("c", "w", 40, "wheelchair")]},
        ],
    )
    result = solve(instance)
    assert {u.household for u in result.unplaced} == {"fam", "wc"}


def test_minors_only_are_never_placed_and_the_reason_says_why():
    instance = _instance(
        [{"id": "F", "features": [], "rooms": [_room("R1", 4)]}],
        [{"id": "umf", "needs": [], "members": [_member("a", "m", 16), _member("b", "m", 15)]}],
    )
    result = solve(instance)
    assert result.unplaced[0].household == "umf"
    assert result.unplaced[0].reason == REASON_MINORS_ONLY


@pytest.mark.parametrize("seed", range(30))
def test_matches_an_independent_detailed_model_on_small_instances(seed):
    data = random_instance(seed, households=7, facilities=2, rooms=6, beds_per_person=0.7)
    instance = parse_instance(data)
    result = solve(instance, relative_gap=0)
    assert violations(instance, result) == []
    assert result.objective == pytest.approx(reference_optimum(instance))
    assert result.status == "optimal"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("weights"), "„weights“ fehlt"),
        (lambda d: d["facilities"][0]["rooms"][0].update(free_beds=-1), "negativ"),
        (lambda d: d["facilities"][0]["rooms"][0].update(free_beds="4"), "ganze Zahl"),
        (lambda d: d["facilities"][0]["rooms"][0].update(barrier_free=1), "true/false"),
        (lambda d: d["households"][0]["members"][0].update(id="F1"), "doppelt"),
        (lambda d: d["households"][0]["members"][0].update(sex="q"), "m, w, d oder x"),
        (lambda d: d["households"][0]["members"][0].pop("age"), "„age“ fehlt"),
        (lambda d: d["households"][0].update(members=[]), "mindestens ein Mitglied"),
    ],
)
def test_invalid_instances_are_rejected_with_a_german_message(mutate, message):
    data = {
        "weights": {},
        "facilities": [{"id": "F1", "features": [], "rooms": [_room("R", 2)]}],
        "households": [{"id": "H", "needs": [], "members": [_member("P", "w", 30)]}],
        "extra": "ignored",
    }
    parse_instance(data)
    mutate(data)
    with pytest.raises(InstanceError, match=message):
        parse_instance(data)


def test_the_rule_checker_finds_broken_plans():
    from ankommen.algorithms.placement import Placement, Result, RoomAssignment

    instance = _instance(
        [
            {
                "id": "F",
                "features": [],
                "rooms": [_room("R1", 1, occupied="m"), _room("R2", 1, women_only=True)],
            }
        ],
        [
            {"id": "fam", "needs": [], "members": [_member("a", "w", 30), _member("b", "m", 3)]},
            {"id": "man", "needs": [], "members": [_member("c", "m", 30, "wheelchair")]},
        ],
    )
    broken = Result(
        0,
        0,
        "feasible",
        [
            Placement("fam", "F", [RoomAssignment("R1", ["a", "b"])], []),
            Placement("man", "F", [RoomAssignment("R2", ["c"])], []),
        ],
    )
    problems = violations(instance, broken)
    assert any("mehr Personen als freie Betten" in p for p in problems)
    assert any("Familie teilt" in p for p in problems)
    assert any("Frauenzimmer" in p for p in problems)
    assert any("barrierefrei" in p for p in problems)
