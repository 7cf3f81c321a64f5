"""The housing pages: dashboards, rooms and beds, moves, shelter phase — grants and denials."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.core.models import Role, Scope, Site
from ankommen.housing import services
from ankommen.housing.models import Bed, BedStatus, FlatReadiness, Move, Occupancy, Room
from tests.factories import ProviderFactory
from tests.housing.support import beds_of, facility, household, room, shelter_manager, staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _login(client, user):
    client.force_login(user)
    return client


# --- dashboards -----------------------------------------------------------------------------


def test_county_staff_see_county_municipality_and_facility_figures(client, world):
    _login(client, world["caseworker"])
    body = client.get(reverse("housing:overview")).content.decode()
    assert "Beeskow" in body
    assert "Storkow (Mark)" in body
    assert reverse("housing:municipality", args=[world["town"].pk]) in body
    assert reverse("housing:facility", args=[world["gu1"].pk]) in body
    assert "<svg" in body
    assert "style=" not in body


def test_the_facility_page_shows_figures_chart_table_and_names(client, world):
    _login(client, world["caseworker"])
    response = client.get(reverse("housing:facility", args=[world["gu1"].pk]))
    body = response.content.decode()
    assert response.status_code == 200
    # 5 beds, 2 occupied (mother and child), 3 free.
    assert "<dt>Betten</dt><dd>5</dd>" in body
    assert "<dt>belegt</dt><dd>2</dd>" in body
    assert "<dt>frei</dt><dd>3</dd>" in body
    assert "<dt>Belegungsquote</dt><dd>40&nbsp;%</dd>" in body
    assert 'role="img"' in body
    assert "Verlauf als Tabelle" in body
    assert world["mother"].full_name in body
    assert "<script" not in body.split("</head>")[1]


def test_a_past_day_shows_that_days_figures(client, world):
    _login(client, world["caseworker"])
    body = client.get(
        reverse("housing:facility", args=[world["gu1"].pk]), {"tag": "2024-01-14"}
    ).content.decode()
    assert "<dt>belegt</dt><dd>0</dd>" in body
    body = client.get(
        reverse("housing:facility", args=[world["gu1"].pk]), {"tag": "2024-01-15"}
    ).content.decode()
    assert "<dt>belegt</dt><dd>2</dd>" in body


def test_a_shelter_manager_sees_only_their_facility(client, world):
    manager = shelter_manager(world["gu1"]).user
    _login(client, manager)
    overview = client.get(reverse("housing:overview")).content.decode()
    assert "GU Beeskow" in overview
    assert "GU Storkow" not in overview
    assert "Nach Gemeinde" not in overview
    assert client.get(reverse("housing:facility", args=[world["gu1"].pk])).status_code == 200
    denied = client.get(reverse("housing:facility", args=[world["gu2"].pk]))
    assert denied.status_code == 404
    assert "GU Storkow" not in denied.content.decode()
    assert client.get(reverse("housing:municipality", args=[world["town"].pk])).status_code == 403


def test_past_residents_are_no_names_to_the_facility_staff(client, world):
    """A household that moved out is out of the facility staff's reach (its accommodation
    responsibility ended), so the facility's page for a day of its stay counts its beds as
    occupied without naming it; county staff still see who slept there."""
    services.move_out(
        actor=world["caseworker"],
        household=world["home"],
        day=date(2024, 3, 1),
        reason=Move.Reason.DEPARTURE,
    )
    url = reverse("housing:facility", args=[world["gu1"].pk])
    _login(client, shelter_manager(world["gu1"]).user)
    body = client.get(url, {"tag": "2024-02-01"}).content.decode()
    assert "<dt>belegt</dt><dd>2</dd>" in body
    assert world["mother"].family_name not in body
    assert "<td>belegt</td>" in body
    assert client.get(reverse("housing:household", args=[world["home"].pk])).status_code == 404
    _login(client, world["caseworker"])
    body = client.get(url, {"tag": "2024-02-01"}).content.decode()
    assert world["mother"].full_name in body


def test_a_planner_sees_aggregates_but_no_names_and_no_rooms(client, world):
    planner = staff(world["county"], Role.PLANNER).user
    _login(client, planner)
    assert client.get(reverse("housing:overview")).status_code == 200
    assert client.get(reverse("housing:municipality", args=[world["town"].pk])).status_code == 200
    body = client.get(reverse("housing:facility", args=[world["gu1"].pk])).content.decode()
    assert "<dt>belegt</dt><dd>2</dd>" in body
    assert world["mother"].full_name not in body
    assert "Zimmer anlegen" not in body
    # No person's data anywhere: 403, not the 404 of a household out of reach.
    assert client.get(reverse("housing:household", args=[world["home"].pk])).status_code == 403
    assert client.get(reverse("housing:shelter_stays")).status_code == 403
    assert client.get(reverse("housing:placement")).status_code == 403


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.PROVIDER_CASEWORKER, Role.JOB_COACH])
def test_roles_without_figures_get_403(client, world, role):
    user = staff(world["county"], role).user
    _login(client, user)
    assert client.get(reverse("housing:overview")).status_code == 403
    facility = client.get(reverse("housing:facility", args=[world["gu1"].pk]))
    assert facility.status_code == 403
    assert "GU Beeskow" not in facility.content.decode()


def test_staff_of_another_county_see_nothing(client, world):
    from tests.factories import CountyFactory

    other = CountyFactory()
    stranger = staff(other, Role.COUNTY_ADMIN).user
    _login(client, stranger)
    body = client.get(reverse("housing:overview")).content.decode()
    assert "GU Beeskow" not in body
    assert client.get(reverse("housing:facility", args=[world["gu1"].pk])).status_code == 404
    assert client.get(reverse("housing:municipality", args=[world["town"].pk])).status_code == 404


def test_anonymous_users_are_sent_to_login(client, world):
    for url in (
        reverse("housing:overview"),
        reverse("housing:facility", args=[world["gu1"].pk]),
        reverse("housing:shelter_stays"),
        reverse("housing:placement"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


def test_dashboards_use_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    _login(client, world["caseworker"])
    url = reverse("housing:overview")
    client.get(url)
    with django_assert_max_num_queries(20):
        client.get(url)
    # Ten more facilities with rooms and residents: still the same number of queries.
    for index in range(10):
        site = facility(
            world["county"], name=f"GU {index}", municipality=world["town"], rooms={"1": 3}
        )
        _home, (person,) = household(world["county"], ("m", 1990 + index))
        services.assign_bed(
            actor=None, person=person, bed=beds_of(site, "1")[0], valid_from=date(2024, 2, 1)
        )
    with django_assert_max_num_queries(20):
        client.get(url)
    with django_assert_max_num_queries(20):
        client.get(reverse("housing:municipality", args=[world["town"].pk]))


def test_the_facility_page_does_not_query_per_room(client, world, django_assert_max_num_queries):
    _login(client, world["caseworker"])
    url = reverse("housing:facility", args=[world["gu1"].pk])
    with django_assert_max_num_queries(25):
        client.get(url)
    for number in range(10, 30):
        services.create_room(actor=None, site=world["gu1"], number=str(number), beds=2)
    with django_assert_max_num_queries(25):
        client.get(url)


def test_a_bad_day_is_shown_not_crashed(client, world):
    _login(client, world["caseworker"])
    response = client.get(reverse("housing:overview"), {"tag": "31.02.2024", "wochen": "0"})
    assert response.status_code == 200
    assert "gültiges Datum" in response.content.decode()


# --- rooms and beds -------------------------------------------------------------------------


def test_a_shelter_manager_adds_a_room_and_closes_a_bed(client, world):
    manager = shelter_manager(world["gu1"]).user
    _login(client, manager)
    response = client.post(
        reverse("housing:room_create", args=[world["gu1"].pk]),
        {"number": "3", "floor": "1", "beds": "2", "valid_from": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert Room.objects.filter(site=world["gu1"], number="3").exists()
    bed = beds_of(world["gu1"], "3")[0]
    response = client.post(
        reverse("housing:bed_state", args=[bed.pk]),
        {"state": "closed", "day": TODAY.isoformat(), "reason": "Wasserschaden"},
    )
    assert response.status_code == 302
    assert Bed.objects.get(pk=bed.pk).state == Bed.State.CLOSED


def test_a_shelter_manager_cannot_change_another_facility(client, world):
    manager = shelter_manager(world["gu1"]).user
    _login(client, manager)
    response = client.post(
        reverse("housing:room_create", args=[world["gu2"].pk]),
        {"number": "3", "beds": "2", "valid_from": TODAY.isoformat()},
    )
    assert response.status_code == 404
    bed = beds_of(world["gu2"], "7")[1]
    response = client.post(
        reverse("housing:bed_state", args=[bed.pk]),
        {"state": "closed", "day": TODAY.isoformat(), "reason": "x"},
    )
    assert response.status_code == 404
    assert not Room.objects.filter(site=world["gu2"], number="3").exists()
    assert Bed.objects.get(pk=bed.pk).state == Bed.State.IN_USE


def test_a_planner_cannot_change_rooms(client, world):
    _login(client, staff(world["county"], Role.PLANNER).user)
    response = client.post(
        reverse("housing:room_create", args=[world["gu1"].pk]),
        {"number": "3", "beds": "2", "valid_from": TODAY.isoformat()},
    )
    assert response.status_code == 403
    assert not Room.objects.filter(number="3").exists()


def test_an_invalid_room_is_explained_in_german(client, world):
    _login(client, world["caseworker"])
    response = client.post(
        reverse("housing:room_create", args=[world["gu1"].pk]),
        {"number": "1", "beds": "2", "valid_from": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert "Das Zimmer 1 gibt es hier schon." in response.content.decode()


def test_closing_an_occupied_bed_is_refused_with_a_message(client, world):
    _login(client, world["caseworker"])
    bed = Occupancy.objects.filter(household=world["home"]).first().bed
    response = client.post(
        reverse("housing:bed_state", args=[bed.pk]),
        {"state": "closed", "day": TODAY.isoformat(), "reason": "Sanierung"},
        follow=True,
    )
    assert "bitte zuerst umziehen lassen" in response.content.decode()
    assert BedStatus.objects.filter(bed=bed, state="closed").count() == 0


# --- households -----------------------------------------------------------------------------


def test_moving_a_household_in_the_ui(client, world):
    _login(client, world["caseworker"])
    page = client.get(reverse("housing:household", args=[world["home"].pk])).content.decode()
    assert "Umziehen" in page
    # Room 7 of GU Storkow holds a single man: not offered to the family; room 8 is empty.
    assert "GU Storkow, Zimmer 7" not in page
    services.create_room(actor=None, site=world["gu2"], number="8", beds=2)
    target = room(world["gu2"], "8")
    response = client.post(
        reverse("housing:household_move", args=[world["home"].pk]),
        {
            "rooms": [target.pk],
            "day": TODAY.isoformat(),
            "reason": Move.Reason.HEALTH,
            "note": "barrierefrei",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert set(
        Occupancy.objects.on(TODAY)
        .filter(household=world["home"])
        .values_list("bed__room__site", flat=True)
    ) == {world["gu2"].pk}
    timeline = client.get(reverse("web:household", args=[world["home"].pk])).content.decode()
    assert "Umzug von GU Beeskow nach GU Storkow (Gesundheit oder Barrierefreiheit)" in timeline


def test_each_form_on_the_household_page_has_its_own_field_ids(client, world):
    """Move, move-out and flat readiness share field names; with Django's default ids the
    labels "Grund" and "Datum" of the move-out form pointed at the move form's fields (found by
    the move journey)."""
    _login(client, world["caseworker"])
    page = client.get(reverse("housing:household", args=[world["home"].pk])).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert [i for i in set(ids) if ids.count(i) > 1] == []
    for label_for in re.findall(r'<label for="([^"]+)"', page):
        assert label_for in ids
    assert 'for="auszug_reason"' in page
    assert 'for="umzug_reason"' in page


def test_a_move_without_rooms_is_explained(client, world):
    _login(client, world["caseworker"])
    response = client.post(
        reverse("housing:household_move", args=[world["home"].pk]),
        {"day": TODAY.isoformat(), "reason": Move.Reason.HEALTH},
    )
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()


def test_moving_out_to_a_flat_in_the_ui(client, world):
    flat = facility(world["county"], name="Wohnung Ring 4", kind=Site.Kind.APARTMENT)
    _login(client, world["caseworker"])
    response = client.post(
        reverse("housing:household_move_out", args=[world["home"].pk]),
        {"day": TODAY.isoformat(), "reason": Move.Reason.FLAT, "flat": flat.pk},
    )
    assert response.status_code == 302
    assert not Occupancy.objects.on(TODAY).filter(household=world["home"]).exists()
    move = Move.objects.get(household=world["home"], kind=Move.Kind.MOVE_OUT)
    assert move.to_site == flat


def test_a_shelter_manager_moves_out_their_households_only(client, world):
    manager = shelter_manager(world["gu1"]).user
    _login(client, manager)
    own = reverse("housing:household_move_out", args=[world["home"].pk])
    other = reverse("housing:household_move_out", args=[world["single"].pk])
    data = {"day": TODAY.isoformat(), "reason": Move.Reason.FLAT}
    assert client.post(other, data).status_code == 404
    assert Occupancy.objects.on(TODAY).filter(household=world["single"]).exists()
    assert client.post(own, data).status_code == 302
    assert not Occupancy.objects.on(TODAY).filter(household=world["home"]).exists()


def test_a_volunteer_cannot_move_a_household(client, world):
    volunteer = staff(world["county"], Role.VOLUNTEER, Scope.COUNTY).user
    _login(client, volunteer)
    page = client.get(reverse("housing:household", args=[world["home"].pk]))
    assert page.status_code == 200
    assert "Umzug eintragen" not in page.content.decode()
    response = client.post(
        reverse("housing:household_move_out", args=[world["home"].pk]),
        {"day": TODAY.isoformat(), "reason": Move.Reason.FLAT},
    )
    assert response.status_code == 403
    assert Occupancy.objects.on(TODAY).filter(household=world["home"]).exists()


def test_marking_a_household_ready_and_listing_long_stays(client, world, settings):
    settings.ANKOMMEN_SHELTER_TARGET_MONTHS = 6
    _login(client, world["caseworker"])
    response = client.post(
        reverse("housing:household_ready", args=[world["home"].pk]),
        {"day": TODAY.isoformat(), "note": "Mietangebot in Beeskow"},
    )
    assert response.status_code == 302
    assert FlatReadiness.objects.filter(household=world["home"], valid_to=None).exists()
    body = client.get(reverse("housing:shelter_stays")).content.decode()
    assert "HH-A" in body
    assert "HH-B" not in body  # not marked ready
    assert "keine gesetzliche Frist" in body
    everyone = client.get(reverse("housing:shelter_stays"), {"alle": "1"}).content.decode()
    assert "HH-B" in everyone


def test_a_provider_caseworker_of_the_household_may_mark_it_ready(client, world):
    county = world["county"]
    provider = ProviderFactory(county=county)
    from tests.factories import ResponsibilityFactory

    ResponsibilityFactory(household=world["home"], provider=provider, kind="casework")
    worker = staff(county, Role.PROVIDER_CASEWORKER, Scope.PROVIDER, provider=provider).user
    _login(client, worker)
    ok = client.post(
        reverse("housing:household_ready", args=[world["home"].pk]), {"day": TODAY.isoformat()}
    )
    assert ok.status_code == 302
    denied = client.post(
        reverse("housing:household_ready", args=[world["single"].pk]),
        {"day": TODAY.isoformat()},
    )
    assert denied.status_code == 404
    assert not FlatReadiness.objects.filter(household=world["single"]).exists()


def test_the_household_page_shows_a_booking(client, world):
    _login(client, world["caseworker"])
    home, (person,) = household(world["county"], ("w", 1970))
    services.assign_bed(
        actor=world["caseworker"],
        person=person,
        bed=beds_of(world["gu1"], "2")[0],
        valid_from=TODAY + timedelta(days=3),
    )
    body = client.get(reverse("housing:household", args=[home.pk])).content.decode()
    assert "für die Ankunft vorgemerkt" in body
