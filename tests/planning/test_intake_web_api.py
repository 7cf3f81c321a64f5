"""The intake pages and API: what a planner sees and does; denials are proven by the access
matrix (tests/access), a few are repeated here for the reasons users read."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role, Scope
from ankommen.planning.data_intake import load_planning_data
from ankommen.planning.models_intake import ChainLink, IntakeQuota, NationalSeries
from tests.factories import CountyFactory, MembershipFactory
from tests.planning.intake_helpers import allocate, facility

pytestmark = pytest.mark.django_db


@pytest.fixture
def los():  # type: ignore[no-untyped-def]
    county = CountyFactory(slug="oder-spree", official_key="12067", name="Landkreis Oder-Spree")
    load_planning_data()
    return county


@pytest.fixture
def planner(los):  # type: ignore[no-untyped-def]
    return MembershipFactory(county=los, role=Role.PLANNER, scope=Scope.COUNTY).user


def test_prior_page_shows_chain_sources_and_a_chart(client, los, planner) -> None:
    allocate(los, date(2016, 3, 1), 4)
    client.force_login(planner)
    page = client.get(reverse("intake:prior", args=[los.slug])).content.decode()
    assert "<polyline" in page
    assert "3,03655" in page or "3.03655" in page
    assert "ungeprüft" in page
    assert "BAMF Asylerstanträge Deutschland" in page


def test_planner_uploads_a_series_and_sees_line_errors(client, los, planner) -> None:
    client.force_login(planner)
    url = reverse("intake:series_upload", args=[los.slug])
    bad = SimpleUploadedFile("r.csv", b"month,value\n2022-01,1\n2022-02,minus\n")
    response = client.post(url, {"file": bad, "name": "Ukraine", "stream": "p24"}, follow=True)
    assert "Zeile 3: Wert „minus“ ist keine Zahl." in response.content.decode()
    assert not NationalSeries.objects.filter(name="Ukraine").exists()
    good = SimpleUploadedFile("r.csv", b"month,value\n2022-03,1000\n2022-04,2000\n")
    client.post(url, {"file": good, "name": "Ukraine", "stream": "p24"})
    assert NationalSeries.objects.get(name="Ukraine", county=los).values.count() == 2


def test_chain_link_form_changes_the_chain(client, los, planner) -> None:
    client.force_login(planner)
    url = reverse("intake:chain_link", args=[los.slug])
    data = {
        "stream": "familie",
        "factor": "kreis",
        "valid_from": "2024-01-01",
        "value": "100",
        "source": "Eigene Zählung",
        "verified": "on",
    }
    assert client.post(url, data).status_code == 302
    link = ChainLink.objects.get(county=los, stream="familie")
    assert link.verified
    response = client.post(url, {**data, "value": "101"}, follow=True)
    assert "Ein Anteil liegt zwischen 0 und 100 %." in response.content.decode()
    link.refresh_from_db()
    assert link.value == 100


def test_aufnahmesoll_page_and_form(client, los, planner) -> None:
    allocate(los, date(2023, 5, 1), 3)
    client.force_login(planner)
    url = reverse("intake:aufnahmesoll", args=[los.slug])
    page = client.get(url, {"jahr": 2023}).content.decode()
    assert "1600" in page
    assert "ungeprüft" in page
    assert "<svg" in page
    response = client.post(url, {"year": "2024", "quota": "700", "source": "Erlass MSGIV 2024"})
    assert response.status_code == 302
    assert IntakeQuota.objects.get(county=los, year=2024).quota == 700
    assert AuditEvent.objects.filter(
        action="create", object_type="planning.intakequota", actor=planner
    ).exists()


def test_freimeldung_downloads(client, los, planner) -> None:
    facility(los, "@GU Beeskow", beds=4, day=date(2024, 1, 1))
    client.force_login(planner)
    url = reverse("intake:freimeldung_file", args=[los.slug, "xlsx"])
    response = client.get(url, {"tag": "2024-03-01"})
    assert response["Content-Disposition"].endswith('freimeldung-oder-spree-2024-03-01.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["C3"].value == "'@GU Beeskow"
    csv_response = client.get(reverse("intake:freimeldung_file", args=[los.slug, "csv"]))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert client.get(reverse("intake:freimeldung_file", args=[los.slug, "pdf"])).status_code == 404
    page = client.get(reverse("intake:freimeldung", args=[los.slug]), {"tag": "2024-03-01"})
    assert "@GU Beeskow" in page.content.decode()


def test_a_caseworker_gets_403_and_another_countys_planner_404(client, los) -> None:
    caseworker = MembershipFactory(county=los, role=Role.COUNTY_CASEWORKER).user
    client.force_login(caseworker)
    assert client.get(reverse("intake:prior", args=[los.slug])).status_code == 403
    other = MembershipFactory(county=CountyFactory(), role=Role.PLANNER).user
    client.force_login(other)
    assert client.get(reverse("intake:prior", args=[los.slug])).status_code == 404


def _api(client, user, method, url, **kwargs):  # type: ignore[no-untyped-def]
    token, _created = Token.objects.get_or_create(user=user)
    return getattr(client, method)(url, HTTP_AUTHORIZATION=f"Token {token.key}", **kwargs)


def test_api_prior_aufnahmesoll_freimeldung(client, los, planner) -> None:
    prior = _api(client, planner, "get", f"/api/v1/planning/{los.slug}/prior/").json()
    assert prior["total"][0]["month"] == "2015-03"
    assert {s["stream"] for s in prior["streams"]} == {"asyl", "p24", "familie"}
    soll = _api(client, planner, "get", f"/api/v1/planning/{los.slug}/aufnahmesoll/?year=2023")
    assert soll.json()["current"]["quota"] == 1600
    frei = _api(client, planner, "get", f"/api/v1/planning/{los.slug}/freimeldung/")
    assert frei.json()["free"] == 0


def test_api_upload_with_line_errors_as_problem_details(client, los, planner) -> None:
    url = f"/api/v1/planning/{los.slug}/series/?name=Api"
    bad = _api(
        client, planner, "post", url, data=b"month,value\n2022-01,-1\n", content_type="text/csv"
    )
    assert bad.status_code == 400
    assert "Zeile 2: Wert -1 ist negativ." in bad.content.decode()
    good = _api(
        client, planner, "post", url, data=b"month,value\n2022-01,1\n", content_type="text/csv"
    )
    assert good.status_code == 201
    assert good.json()["months"] == 1
    listing = _api(client, planner, "get", f"/api/v1/planning/{los.slug}/series/").json()
    assert {row["name"] for row in listing} == {"Api", "BAMF Asylerstanträge Deutschland"}
