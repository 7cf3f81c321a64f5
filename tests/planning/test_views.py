"""The planning page: access, the results fragment, forms with German errors."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ankommen.core.models import Role
from ankommen.planning.models import CapacityChange, PlaceCost, Scenario
from tests.factories import CountyFactory
from tests.housing.support import facility, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(client):  # type: ignore[no-untyped-def]
    county = CountyFactory()
    facility(county, rooms={"1": 4, "2": 2})
    user = staff(county, Role.PLANNER).user
    client.force_login(user)
    return county


def test_the_page_shows_a_live_status_and_the_results_load_separately(client, planner) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("planning:capacity"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'hx-trigger="load"' in body
    assert "werden berechnet" in body
    results = client.get(reverse("planning:capacity_results"), HTTP_HX_REQUEST="true")
    fragment = results.content.decode()
    assert results.status_code == 200
    assert "<html" not in fragment  # a fragment for htmx …
    assert "Wie gut war die Prognose bisher?" in fragment
    assert 'id="comparison"' in fragment
    # … and SVG coordinates never in the German number format.
    for value in re.findall(r' (?:x|y|height)="([^"]*)"', fragment):
        assert re.fullmatch(r"-?[\d.]+", value), value
    for value in re.findall(r' points="([^"]*)"', fragment):
        assert re.fullmatch(r"([\d.-]+,[\d.-]+( [\d.-]+,[\d.-]+)*)?", value), value
    full = client.get(reverse("planning:capacity_results"))
    assert "<html" in full.content.decode()  # without htmx: a page of its own


def test_scenarios_are_built_on_the_page_and_errors_are_german(client, planner) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("planning:scenario_create"), {"name": "Mehr Zuweisungen"})
    scenario = Scenario.objects.get(county=planner)
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:scenario", args=[scenario.pk])
    page = reverse("planning:scenario", args=[scenario.pk])
    bad = client.post(page, {"kind": "open_site", "month": "Mai", "places": ""})
    assert bad.status_code == 400
    assert "nicht im Format JJJJ-MM" in bad.content.decode()
    ok = client.post(
        page, {"kind": "extra_stream", "month": "2027-01", "persons": "500", "spread_months": "5"}
    )
    assert ok.status_code == 302
    change = CapacityChange.objects.get(scenario=scenario)
    assert (change.persons, change.spread_months) == (500, 5)
    results = client.get(
        reverse("planning:capacity_results") + f"?vergleich={scenario.pk}&risiko=0.1"
    ).content.decode()
    assert "Mehr Zuweisungen" in results
    assert "10 % Mangelrisiko" in results


def test_costs_need_a_source(client, planner) -> None:  # type: ignore[no-untyped-def]
    url = reverse("planning:cost_create")
    bad = client.post(url, {"monthly_per_place": "600", "valid_from": "2026-01-01", "source": ""})
    assert bad.status_code == 400
    assert not PlaceCost.objects.exists()
    ok = client.post(
        url, {"monthly_per_place": "600,50", "valid_from": "2026-01-01", "source": "Vertrag"}
    )
    assert ok.status_code == 302
    assert str(PlaceCost.objects.get().monthly_per_place) == "600.50"


def test_others_are_refused_and_other_counties_are_not_found(client) -> None:  # type: ignore[no-untyped-def]
    county = CountyFactory()
    client.force_login(staff(county, Role.COUNTY_CASEWORKER).user)
    assert client.get(reverse("planning:capacity")).status_code == 403
    client.force_login(staff(county, Role.PLANNER).user)
    elsewhere = Scenario.objects.create(county=CountyFactory(), name="Fremd")
    assert client.get(reverse("planning:scenario", args=[elsewhere.pk])).status_code == 404
    api = client.get("/api/v1/capacity-plan/?county=gibt-es-nicht")
    assert api.status_code == 404
    assert api["Content-Type"] == "application/problem+json"
    bad = client.get("/api/v1/capacity-plan/?runs=0")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "runs"
