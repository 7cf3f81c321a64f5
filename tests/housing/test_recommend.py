"""Placement recommendation from the database: instance, UI run with live status, accept, change,
the command, and the denials."""

import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ankommen.algorithms.placement import parse_instance
from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role
from ankommen.housing import recommend, services
from ankommen.housing.models import FacilityFeature, Move, Occupancy, PlacementRun
from ankommen.people.models import Responsibility, Vulnerability
from tests.factories import CountyFactory
from tests.housing.support import announce, beds_of, facility, household, shelter_manager, staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SOON = TODAY + timedelta(days=3)


@pytest.fixture
def scene():
    county = CountyFactory(slug="oder-spree-test")
    gu = facility(county, name="GU Beeskow", rooms={"101": 4}, barrier_free=True)
    services.create_room(actor=None, site=gu, number="102", beds=3)
    services.create_room(actor=None, site=gu, number="103", beds=2)
    services.create_room(actor=None, site=gu, number="104", beds=2)
    services.create_room(actor=None, site=gu, number="105", beds=2)
    FacilityFeature.objects.create(site=gu, code="psychosocial")
    # Room 102 already holds a single man; 103 a family member; 104 a person of sex d.
    _s, (man,) = household(county, ("m", 1990))
    services.assign_bed(actor=None, person=man, bed=beds_of(gu, "102")[0], valid_from=TODAY)
    _f, (mother, _kid) = household(county, ("w", 1980), ("m", 2015))
    services.assign_bed(actor=None, person=mother, bed=beds_of(gu, "103")[0], valid_from=TODAY)
    _d, (diverse,) = household(county, ("d", 1995))
    services.assign_bed(actor=None, person=diverse, bed=beds_of(gu, "104")[0], valid_from=TODAY)
    # Announced: a family with a wheelchair user, a single man, a minor alone, one arriving
    # outside the window, one already with a bed.
    family, (wheel, child) = household(
        county, ("w", 1988), ("m", TODAY.year - 3), reference="H-ROLLI"
    )
    announce(wheel, SOON, ["rollstuhl", "psychosozial"])
    announce(child, SOON)
    single, (newcomer,) = household(county, ("m", 1999), reference="H-SINGLE")
    announce(newcomer, SOON + timedelta(days=1))
    minor, (alone,) = household(county, ("m", TODAY.year - 15), reference="H-UMA")
    announce(alone, SOON)
    late, (later,) = household(county, ("w", 1970), reference="H-SPAET")
    announce(later, TODAY + timedelta(days=60))
    caseworker = staff(county, Role.COUNTY_CASEWORKER).user
    return {
        "county": county,
        "gu": gu,
        "family": family,
        "single": single,
        "minor": minor,
        "late": late,
        "wheel": wheel,
        "caseworker": caseworker,
    }


def _instance(scene):
    return recommend.build_instance(
        actor=scene["caseworker"],
        county=scene["county"],
        window_from=TODAY,
        window_to=TODAY + timedelta(days=14),
    )


def test_the_instance_follows_the_documented_model(scene):
    instance = _instance(scene)
    parse_instance(instance)  # valid by the solver's own checks
    assert instance["weights"]["psychosocial"] == 60
    [site] = instance["facilities"]
    assert site["features"] == ["psychosocial"]
    rooms = {room["id"]: room for room in site["rooms"]}
    gu = scene["gu"]
    by_number = {r.number: f"R{r.pk}" for r in gu.rooms.all()}
    assert rooms[by_number["101"]] == {
        "id": by_number["101"], "free_beds": 4, "occupied_by": None,
        "barrier_free": True, "women_only": False,
    }  # fmt: skip
    assert rooms[by_number["102"]]["occupied_by"] == "m"
    assert rooms[by_number["102"]]["free_beds"] == 2
    assert by_number["103"] not in rooms  # a family lives there
    assert by_number["104"] not in rooms  # a person of sex d has it alone
    households = {h["id"]: h for h in instance["households"]}
    assert set(households) == {
        f"H{scene['family'].pk}",
        f"H{scene['single'].pk}",
        f"H{scene['minor'].pk}",
    }
    family = households[f"H{scene['family'].pk}"]
    wheel = next(m for m in family["members"] if m["id"] == f"P{scene['wheel'].pk}")
    assert wheel["needs"] == ["psychosocial", "wheelchair"]
    assert family["needs"] == ["childcare", "language_course"]


def test_vulnerabilities_become_needs_and_their_health_read_is_audited(scene):
    Vulnerability.objects.create(
        county=scene["county"], person=scene["single"].members.get(), category="mental_disorder",
        valid_from=TODAY,
    )  # fmt: skip
    instance = _instance(scene)
    single = next(h for h in instance["households"] if h["id"] == f"H{scene['single'].pk}")
    assert single["members"][0]["needs"] == ["psychosocial"]
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.READ, object_type="people.vulnerability"
    )
    assert event.person_id == scene["single"].members.get().pk
    assert event.purpose == "Unterbringungsvorschlag"


def test_a_run_in_the_ui_shows_the_recommendation_with_reasons(
    client, scene, django_capture_on_commit_callbacks
):
    client.force_login(scene["caseworker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("housing:placement"),
            {
                "county": scene["county"].pk,
                "window_from": TODAY.isoformat(),
                "window_to": (TODAY + timedelta(days=14)).isoformat(),
            },
        )
    run = PlacementRun.objects.get()
    assert response["Location"] == reverse("housing:placement_run", args=[run.pk])
    assert run.status == PlacementRun.Status.DONE
    page = client.get(response["Location"]).content.decode()
    assert "barrierefreies Zimmer benötigt" in page
    assert "psychosoziale Betreuung vor Ort" in page
    assert "Zuständigkeit des Jugendamts" in page  # the minor alone is not placed
    assert "hx-trigger" not in page  # finished: no more polling


def test_the_status_is_polled_while_the_run_is_pending(client, scene):
    run = PlacementRun.objects.create(
        county=scene["county"],
        window_from=TODAY,
        window_to=TODAY + timedelta(days=14),
        created_by=scene["caseworker"],
    )
    client.force_login(scene["caseworker"])
    partial = client.get(reverse("housing:placement_status", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in partial
    assert reverse("housing:placement_status", args=[run.pk]) in partial
    assert "<html" not in partial
    recommend.run_placement(run.pk)
    partial = client.get(reverse("housing:placement_status", args=[run.pk])).content.decode()
    assert "hx-trigger" not in partial
    assert "Vorgeschlagene Unterbringung" in partial


def test_a_failed_run_says_so(scene, monkeypatch):
    run = PlacementRun.objects.create(
        county=scene["county"], window_from=TODAY, window_to=TODAY, created_by=scene["caseworker"]
    )

    def broken(instance, outlook=None):
        raise RuntimeError("HiGHS fand keine Lösung")

    monkeypatch.setattr(recommend, "solve_instance", broken)
    recommend.run_placement(run.pk)
    run.refresh_from_db()
    assert run.status == PlacementRun.Status.FAILED
    assert "HiGHS fand keine Lösung" in run.error


def _done_run(scene):
    run = PlacementRun.objects.create(
        county=scene["county"],
        window_from=TODAY,
        window_to=TODAY + timedelta(days=14),
        created_by=scene["caseworker"],
    )
    recommend.run_placement(run.pk)
    run.refresh_from_db()
    return run


def test_accepting_assigns_the_recommended_beds_from_the_arrival_day(client, scene):
    run = _done_run(scene)
    key = f"H{scene['family'].pk}"
    client.force_login(scene["caseworker"])
    response = client.post(reverse("housing:placement_accept", args=[run.pk]), {"household": key})
    assert response.status_code == 302
    booked = Occupancy.objects.filter(household=scene["family"])
    assert {o.valid_from for o in booked} == {SOON}
    assert {o.bed.room.number for o in booked} == {"101"}  # the barrier-free room
    assert Responsibility.objects.filter(household=scene["family"], site=scene["gu"]).exists()
    assert Move.objects.get(household=scene["family"]).kind == Move.Kind.MOVE_IN
    run.refresh_from_db()
    assert run.accepted == [key]
    page = client.get(reverse("housing:placement_run", args=[run.pk])).content.decode()
    assert "übernommen" in page


def test_accept_all_and_a_bed_taken_meanwhile(client, scene):
    run = _done_run(scene)
    single_key = f"H{scene['single'].pk}"
    placement = next(p for p in run.result["placements"] if p["household"] == single_key)
    room_id = int(placement["rooms"][0]["room"][1:])
    # Someone fills the recommended room before staff accept.
    from ankommen.housing.models import Bed

    for bed in Bed.objects.filter(room_id=room_id):
        if not Occupancy.objects.filter(bed=bed).exists():
            _h, (other,) = household(scene["county"], ("m", 1991))
            services.assign_bed(actor=None, person=other, bed=bed, valid_from=TODAY)
    client.force_login(scene["caseworker"])
    response = client.post(
        reverse("housing:placement_accept", args=[run.pk]), {"household": "alle"}, follow=True
    )
    body = response.content.decode()
    assert "nicht mehr genug Betten frei" in body
    assert not Occupancy.objects.filter(household=scene["single"]).exists()
    assert Occupancy.objects.filter(household=scene["family"]).count() == 2
    run.refresh_from_db()
    assert run.accepted == [f"H{scene['family'].pk}"]


def test_staff_change_the_recommendation_to_another_room(client, scene):
    run = _done_run(scene)
    key = f"H{scene['single'].pk}"
    client.force_login(scene["caseworker"])
    url = reverse("housing:placement_change", args=[run.pk, key])
    page = client.get(url).content.decode()
    target = scene["gu"].rooms.get(number="105")
    assert "105" in page
    response = client.post(url, {"rooms": [target.pk]})
    assert response.status_code == 302
    [occupancy] = Occupancy.objects.filter(household=scene["single"])
    assert occupancy.bed.room == target
    assert occupancy.valid_from == SOON + timedelta(days=1)


@pytest.mark.parametrize("role", [Role.PLANNER, Role.VOLUNTEER, Role.PROVIDER_CASEWORKER])
def test_other_roles_cannot_place(client, scene, role):
    run = _done_run(scene)
    client.force_login(staff(scene["county"], role).user)
    assert client.get(reverse("housing:placement")).status_code == 403
    assert client.get(reverse("housing:placement_run", args=[run.pk])).status_code == 403
    response = client.post(
        reverse("housing:placement_accept", args=[run.pk]), {"household": "alle"}
    )
    assert response.status_code == 403
    assert not Occupancy.objects.filter(household=scene["family"]).exists()


def test_a_shelter_manager_cannot_place_announced_households(client, scene):
    run = _done_run(scene)
    client.force_login(shelter_manager(scene["gu"]).user)
    assert client.get(reverse("housing:placement")).status_code == 403
    response = client.post(
        reverse("housing:placement_accept", args=[run.pk]), {"household": "alle"}
    )
    assert response.status_code == 403
    assert not Occupancy.objects.filter(household=scene["family"]).exists()


def test_a_run_of_another_county_is_not_found(client, scene):
    run = _done_run(scene)
    other = CountyFactory()
    client.force_login(staff(other, Role.COUNTY_ADMIN).user)
    assert client.get(reverse("housing:placement_run", args=[run.pk])).status_code == 404
    response = client.post(
        reverse("housing:placement_accept", args=[run.pk]), {"household": "alle"}
    )
    assert response.status_code == 404


def test_a_window_in_the_wrong_order_is_explained(client, scene):
    client.force_login(scene["caseworker"])
    response = client.post(
        reverse("housing:placement"),
        {
            "county": scene["county"].pk,
            "window_from": TODAY.isoformat(),
            "window_to": (TODAY - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Das Ende des Zeitraums liegt vor dem Beginn." in response.content.decode()
    assert not PlacementRun.objects.exists()


# --- command --------------------------------------------------------------------------------


def test_the_command_prints_the_result_json_only(scene, capsys, tmp_path):
    out = tmp_path / "instance.json"
    call_command(
        "recommend-placement",
        "--county",
        scene["county"].slug,
        "--from",
        TODAY.isoformat(),
        "--to",
        (TODAY + timedelta(days=14)).isoformat(),
        "--format",
        "json",
        "--instance-out",
        str(out),
    )
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert set(result) - {"look_ahead"} == {
        "objective",
        "bound",
        "status",
        "placements",
        "unplaced",
    }
    assert result["status"] == "optimal"
    placed = {p["household"] for p in result["placements"]}
    assert placed == {f"H{scene['family'].pk}", f"H{scene['single'].pk}"}
    assert [u["household"] for u in result["unplaced"]] == [f"H{scene['minor'].pk}"]
    assert "Solver" in captured.err
    assert len(json.loads(out.read_text())["households"]) == 3
    assert not Occupancy.objects.filter(household=scene["family"]).exists()  # nothing written


def test_the_command_refuses_an_unknown_county(scene):
    with pytest.raises(SystemExit) as exit_info:
        call_command("recommend-placement", "--county", "nirgendwo", "--format", "json")
    assert exit_info.value.code == 2


def test_the_command_refuses_a_reversed_window(scene, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "recommend-placement",
            "--county",
            scene["county"].slug,
            "--from",
            "2025-03-10",
            "--to",
            "2025-03-01",
        )
    assert exit_info.value.code == 2
    assert "vor dem Beginn" in capsys.readouterr().err


def test_an_older_recommendation_does_not_move_a_household_housed_meanwhile(client, scene):
    older, newer = _done_run(scene), _done_run(scene)
    key = f"H{scene['family'].pk}"
    client.force_login(scene["caseworker"])
    client.post(reverse("housing:placement_accept", args=[newer.pk]), {"household": key})
    before = set(Occupancy.objects.filter(household=scene["family"]).values_list("pk", "bed"))
    response = client.post(
        reverse("housing:placement_accept", args=[older.pk]), {"household": key}, follow=True
    )
    assert "hat inzwischen ein Bett" in response.content.decode()
    assert set(Occupancy.objects.filter(household=scene["family"]).values_list("pk", "bed")) == (
        before
    )
    page = client.get(reverse("housing:placement_run", args=[older.pk])).content.decode()
    assert "inzwischen untergebracht" in page


def test_a_run_that_lost_its_worker_is_shown_as_failed(client, scene):
    run = PlacementRun.objects.create(
        county=scene["county"], window_from=TODAY, window_to=TODAY, created_by=scene["caseworker"]
    )
    PlacementRun.objects.filter(pk=run.pk).update(
        status=PlacementRun.Status.RUNNING, created_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(scene["caseworker"])
    partial = client.get(reverse("housing:placement_status", args=[run.pk])).content.decode()
    assert "hx-trigger" not in partial
    assert "unterbrochen" in partial


def test_the_change_link_is_named_by_its_visible_text_and_the_household(
    client, scene, django_capture_on_commit_callbacks
):
    """WCAG 2.5.3 (label in name): a screen-reader name that hides the visible word "Ändern"
    fails speech users (found by the placement journey's axe check)."""
    client.force_login(scene["caseworker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("housing:placement"),
            {
                "county": scene["county"].pk,
                "window_from": TODAY.isoformat(),
                "window_to": (TODAY + timedelta(days=14)).isoformat(),
            },
        )
    page = client.get(response["Location"]).content.decode()
    links = re.findall(r'<a [^>]*class="change-link"[^>]*>(.*?)</a>', page)
    assert links
    for link in links:
        assert link.startswith("Ändern<span")
        assert "anderes Zimmer für H-" in link
    assert 'class="change-link" aria-label' not in page
