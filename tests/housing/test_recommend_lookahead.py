"""Look-ahead in the placement recommendation: a barrier-free room is kept for a wheelchair
user announced for the week after the window; the page and the command show it."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ankommen.algorithms.placement_lookahead import REASON_HELD_WHEELCHAIR
from ankommen.core.models import Role
from ankommen.housing import recommend
from ankommen.housing.models import FacilityFeature, PlacementRun
from tests.factories import CountyFactory
from tests.housing.support import announce, facility, household, room, staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WINDOW = (TODAY, TODAY + timedelta(days=14))


@pytest.fixture
def scene():
    county = CountyFactory(slug="lookahead-test")
    # Site A offers psychosocial care and has the county's only barrier-free room; site B an
    # ordinary room.
    care = facility(county, name="GU Care", rooms={"A1": 1}, barrier_free=True)
    FacilityFeature.objects.create(site=care, code="psychosocial")
    plain = facility(county, name="GU Plain", rooms={"B1": 1})
    single, (man,) = household(county, ("m", 1990), reference="H-JETZT")
    announce(man, TODAY + timedelta(days=2), ["psychosozial"])
    # Announced on the allocation list for the week after the window: a wheelchair user.
    _later, (woman,) = household(county, ("w", 1960), reference="H-ROLLI")
    announce(woman, WINDOW[1] + timedelta(days=3), ["rollstuhl"])
    return {
        "county": county,
        "single": single,
        "care_room": room(care, "A1"),
        "plain_room": room(plain, "B1"),
        "caseworker": staff(county, Role.COUNTY_CASEWORKER).user,
    }


def _rooms(result):
    return {p["household"]: [r["room"] for r in p["rooms"]] for p in result["placements"]}


def _recommend(scene, look_ahead):
    _instance, result = recommend.recommend(
        actor=scene["caseworker"],
        county=scene["county"],
        window_from=WINDOW[0],
        window_to=WINDOW[1],
        look_ahead=look_ahead,
    )
    return result


def test_look_ahead_keeps_the_barrier_free_room_that_the_myopic_plan_fills(scene):
    single = f"H{scene['single'].pk}"
    care_room, plain_room = f"R{scene['care_room'].pk}", f"R{scene['plain_room'].pk}"

    myopic = _recommend(scene, look_ahead=False)
    ahead = _recommend(scene, look_ahead=True)

    assert _rooms(myopic) == {single: [care_room]}
    assert "look_ahead" not in myopic
    assert _rooms(ahead) == {single: [plain_room]}
    [held] = ahead["look_ahead"]["held_back"]
    assert held["room"] == care_room
    assert REASON_HELD_WHEELCHAIR in held["reasons"]


def test_the_outlook_uses_announcements_and_the_county_s_own_past(scene):
    # Ten households allocated in the past year: a weekly rate of 10/52 beyond announcements.
    for index in range(10):
        _h, (person,) = household(scene["county"], ("m", 1990), reference=f"H-ALT-{index}")
        announce(person, TODAY - timedelta(days=30 + index))

    outlook = recommend.outlook_for(
        county=scene["county"], window_from=WINDOW[0], window_to=WINDOW[1]
    )

    first, *rest = outlook.weeks
    assert [h.members[0].needs for h in first.announced] == [frozenset({"wheelchair"})]
    assert first.expected == 0.0  # the one announced household is more than the rate
    assert all(week.expected == pytest.approx(10 / 52) for week in rest)
    assert len(first.profiles) == 10


def test_the_page_shows_the_room_held_back_and_why(
    client, scene, settings, django_capture_on_commit_callbacks
):
    settings.ANKOMMEN_PLACEMENT_LOOK_AHEAD = True
    client.force_login(scene["caseworker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("housing:placement"),
            {
                "county": scene["county"].pk,
                "window_from": WINDOW[0].isoformat(),
                "window_to": WINDOW[1].isoformat(),
            },
        )
    run = PlacementRun.objects.get()
    assert run.status == PlacementRun.Status.DONE
    page = client.get(response["Location"]).content.decode()
    assert "Für erwartete Ankünfte freigehalten" in page
    assert REASON_HELD_WHEELCHAIR in page
    assert "GU Care" in page


def test_without_look_ahead_the_page_holds_nothing_back(
    client, scene, settings, django_capture_on_commit_callbacks
):
    settings.ANKOMMEN_PLACEMENT_LOOK_AHEAD = False
    client.force_login(scene["caseworker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("housing:placement"),
            {
                "county": scene["county"].pk,
                "window_from": WINDOW[0].isoformat(),
                "window_to": WINDOW[1].isoformat(),
            },
        )
    page = client.get(response["Location"]).content.decode()
    assert "Für erwartete Ankünfte freigehalten" not in page
    assert "Mit Vorausschau" not in page


@pytest.mark.parametrize(("flag", "held"), [("--look-ahead", 1), ("--no-look-ahead", None)])
def test_the_command_switches_look_ahead(scene, capsys, flag, held):
    call_command(
        "recommend-placement",
        "--county",
        scene["county"].slug,
        "--from",
        WINDOW[0].isoformat(),
        "--to",
        WINDOW[1].isoformat(),
        "--format",
        "json",
        flag,
    )
    result = json.loads(capsys.readouterr().out)
    if held is None:
        assert "look_ahead" not in result
    else:
        assert len(result["look_ahead"]["held_back"]) == held
    assert len(result["placements"]) == 1
