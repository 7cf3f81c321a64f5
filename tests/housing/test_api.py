"""Occupancy figures in the API: the dashboards' numbers, the same access rules, problem details."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from ankommen.core.models import Role
from ankommen.housing import services
from tests.housing.support import beds_of, shelter_manager, staff

pytestmark = pytest.mark.django_db


def _get(client, user, url, **params):
    token, _created = Token.objects.get_or_create(user=user)
    return client.get(url, params, HTTP_AUTHORIZATION=f"Token {token.key}")


def test_facility_figures_for_county_staff(client, world):
    response = _get(client, world["caseworker"], reverse("occupancy-facilities"))
    assert response.status_code == 200
    facilities = {item["name"]: item for item in response.json()["facilities"]}
    assert facilities["GU Beeskow"]["figures"] == {
        "beds": 5,
        "in_use": 5,
        "occupied": 2,
        "free": 3,
        "reserved": 0,
        "closed": 0,
        "fill_rate": 40,
    }
    assert facilities["GU Storkow"]["figures"]["occupied"] == 1
    assert facilities["GU Beeskow"]["county"] == world["county"].slug


def test_facility_detail_has_series_and_weekly_flows(client, world):
    url = reverse("occupancy-facility", args=[world["gu1"].pk])
    body = _get(client, world["caseworker"], url, day="2024-02-05", weeks=4).json()
    assert body["day"] == "2024-02-05"
    assert [point["day"] for point in body["fill_rate_series"]] == [
        "2024-01-15",
        "2024-01-22",
        "2024-01-29",
        "2024-02-05",
    ]
    assert [point["occupied"] for point in body["fill_rate_series"]] == [2, 2, 2, 2]
    assert body["fill_rate_series"][0]["fill_rate"] == 40
    weeks = {week["week"]: week for week in body["weekly"]}
    assert weeks["2024-01-15"]["arrivals"] == 2
    assert sum(week["departures"] for week in body["weekly"]) == 0


def test_a_move_inside_a_municipality_is_no_arrival_there(client, world):
    """A room change is neither an arrival nor a departure of the facility."""
    services.move_household(
        actor=None,
        household=world["home"],
        day=date(2024, 3, 4),
        reason="request",
        rooms=[beds_of(world["gu1"], "2")[0].room],
    )
    url = reverse("occupancy-facility", args=[world["gu1"].pk])
    body = _get(client, world["caseworker"], url, day="2024-03-10", weeks=2).json()
    weeks = {week["week"]: week for week in body["weekly"]}
    assert weeks["2024-03-04"] == {"week": "2024-03-04", "arrivals": 0, "departures": 0}


def test_municipality_totals_for_county_staff(client, world):
    body = _get(client, world["caseworker"], reverse("occupancy-municipalities")).json()
    [county] = body["counties"]
    assert county["county"] == world["county"].slug
    assert county["figures"]["occupied"] == 3
    names = [item["name"] for item in county["municipalities"]]
    assert names == ["Beeskow", "Storkow (Mark)"]
    detail = _get(
        client, world["caseworker"], reverse("occupancy-municipality", args=[world["town"].pk])
    ).json()
    assert detail["municipality"]["figures"]["beds"] == 5
    assert [item["name"] for item in detail["facilities"]] == ["GU Beeskow"]


def test_a_shelter_manager_gets_only_their_facility_and_problem_details_otherwise(client, world):
    manager = shelter_manager(world["gu1"]).user
    listing = _get(client, manager, reverse("occupancy-facilities")).json()
    assert [item["name"] for item in listing["facilities"]] == ["GU Beeskow"]
    denied = client.get(
        reverse("occupancy-facility", args=[world["gu2"].pk]),
        HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=manager).key}",
    )
    assert denied.status_code == 404
    assert denied["Content-Type"] == "application/problem+json"
    assert denied.json()["title"] == "Nicht gefunden"
    assert "GU Storkow" not in denied.content.decode()
    totals = client.get(
        reverse("occupancy-municipalities"),
        HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=manager).key}",
    )
    assert totals.status_code == 403
    assert totals["Content-Type"] == "application/problem+json"
    assert totals.json()["status"] == 403


def test_a_planner_gets_the_figures(client, world):
    planner = staff(world["county"], Role.PLANNER).user
    body = _get(client, planner, reverse("occupancy-municipalities")).json()
    assert body["counties"][0]["figures"]["occupied"] == 3


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.PROVIDER_CASEWORKER])
def test_roles_without_figures_get_403(client, world, role):
    """Like the pages: no figures anywhere is a 403 (docs/housing.md), not an empty list or a
    404 that would hint the facility is merely out of reach."""
    user = staff(world["county"], role).user
    listing = _get(client, user, reverse("occupancy-facilities"))
    assert listing.status_code == 403
    assert listing["Content-Type"] == "application/problem+json"
    token = Token.objects.get(user=user).key
    response = client.get(
        reverse("occupancy-facility", args=[world["gu1"].pk]), HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert response.status_code == 403
    assert "GU Beeskow" not in response.content.decode()
    response = client.get(reverse("occupancy-municipalities"), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 403


def test_anonymous_requests_are_refused(client, world):
    response = client.get(reverse("occupancy-facilities"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_bad_day_is_a_problem_with_the_field_named(client, world):
    response = _get(client, world["caseworker"], reverse("occupancy-facilities"), day="gestern")
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["field"] == "day"


def test_the_api_uses_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    token = Token.objects.get_or_create(user=world["caseworker"])[0].key
    url = reverse("occupancy-municipality", args=[world["town"].pk])
    with django_assert_max_num_queries(15):
        client.get(url, HTTP_AUTHORIZATION=f"Token {token}")


def test_the_occupancy_endpoints_are_in_the_schema(client, world):
    token = Token.objects.get_or_create(user=world["caseworker"])[0].key
    schema = client.get(
        reverse("api-schema"), {"format": "json"}, HTTP_AUTHORIZATION=f"Token {token}"
    ).json()
    for path in (
        "/api/v1/occupancy/facilities/",
        "/api/v1/occupancy/facilities/{id}/",
        "/api/v1/occupancy/municipalities/",
        "/api/v1/occupancy/municipalities/{id}/",
    ):
        assert "get" in schema["paths"][path]


def test_a_move_between_two_facilities_counts_only_where_the_border_is_crossed(client, world):
    """Beeskow has two facilities: a move between them is an arrival at the second facility
    but not in the municipality."""
    from tests.housing.support import facility

    second = facility(
        world["county"], name="GU Beeskow Süd", municipality=world["town"], rooms={"5": 4}
    )
    services.move_household(
        actor=None,
        household=world["home"],
        day=date(2024, 3, 6),
        reason="capacity",
        rooms=[beds_of(second, "5")[0].room],
    )
    params = {"day": "2024-03-10", "weeks": 1}
    town = _get(
        client,
        world["caseworker"],
        reverse("occupancy-municipality", args=[world["town"].pk]),
        **params,
    ).json()
    assert town["weekly"] == [{"week": "2024-03-04", "arrivals": 0, "departures": 0}]
    site = _get(
        client, world["caseworker"], reverse("occupancy-facility", args=[second.pk]), **params
    ).json()
    assert site["weekly"] == [{"week": "2024-03-04", "arrivals": 2, "departures": 0}]
    first = _get(
        client,
        world["caseworker"],
        reverse("occupancy-facility", args=[world["gu1"].pk]),
        **params,
    ).json()
    assert first["weekly"] == [{"week": "2024-03-04", "arrivals": 0, "departures": 2}]
