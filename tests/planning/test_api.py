"""The capacity plan and scenarios in the API: JSON, problem details, nothing written on errors."""

from __future__ import annotations

import pytest

from ankommen.core.models import Role
from ankommen.planning.models import CapacityChange, Scenario
from tests.factories import CountyFactory
from tests.housing.support import facility, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(client):  # type: ignore[no-untyped-def]
    place = CountyFactory()
    facility(place, rooms={"1": 3})
    client.force_login(staff(place, Role.PLANNER).user)
    return place


def test_a_scenario_with_changes_is_created_read_changed_and_planned(client, county) -> None:  # type: ignore[no-untyped-def]
    body = {
        "name": "500 nach § 24",
        "changes": [
            {"kind": "extra_stream", "month": "2027-01", "persons": 500, "spread_months": 5},
            {"kind": "arrivals_factor", "month": "2027-03", "factor": "2"},
        ],
    }
    created = client.post("/api/v1/scenarios/", body, content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    assert data["county"] == county.slug
    assert [c["kind"] for c in data["changes"]] == ["extra_stream", "arrivals_factor"]
    url = f"/api/v1/scenarios/{data['id']}/"
    assert client.get(url).json()["name"] == "500 nach § 24"
    patched = client.patch(
        url,
        {"changes": [{"kind": "open_site", "month": "2027-05", "places": 190}]},
        content_type="application/json",
    )
    assert [c["kind"] for c in patched.json()["changes"]] == ["open_site"]
    plan = client.get(f"/api/v1/capacity-plan/?scenario={data['id']}&runs=300").json()
    assert plan["scenario"]["id"] == data["id"]
    assert len(plan["simulation"]["months"]) == 12
    assert client.delete(url).status_code == 204
    assert not Scenario.objects.exists()


def test_a_bad_change_names_its_field_and_writes_nothing(client, county) -> None:  # type: ignore[no-untyped-def]
    body = {
        "name": "Kaputt",
        "changes": [
            {"kind": "open_site", "month": "2027-05", "places": 10},
            {"kind": "close_site", "month": "2027-05"},
        ],
    }
    response = client.post("/api/v1/scenarios/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"changes.1.site"}
    assert not Scenario.objects.exists()
    assert not CapacityChange.objects.exists()


def test_someone_without_the_right_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    place = CountyFactory()
    client.force_login(staff(place, Role.SHELTER_MANAGER, "county").user)
    for url in ("/api/v1/scenarios/", "/api/v1/capacity-plan/"):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json()["title"] == "Keine Berechtigung"
