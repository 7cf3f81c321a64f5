"""The export page and download, and the privacy API: formats, denials, audit."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role, Scope
from ankommen.privacy.models import Anonymisation
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> dict[str, str]:
    token, _created = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def test_person_page_links_to_the_export_for_county_admins_only(scene):
    amal = scene.gone_persons[0]
    page = reverse("web:person", args=[amal.pk])
    assert reverse("web:subject_export", args=[amal.pk]) in _web(scene.admin).get(page).text
    caseworker = MembershipFactory(
        county=scene.county, role=Role.COUNTY_CASEWORKER, scope=Scope.COUNTY
    ).user
    assert "auskunft" not in _web(caseworker).get(page).text


def test_the_page_offers_zip_and_json_and_the_download_is_a_zip(scene):
    amal = scene.gone_persons[0]
    client = _web(scene.admin)
    url = reverse("web:subject_export", args=[amal.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="zip"' in page.text
    assert 'value="json"' in page.text
    download = client.post(url, {"format": "zip"})
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith('attachment; filename="auskunft-person-')
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert len(names) == 3
    assert AuditEvent.objects.filter(action="export", person_id=amal.pk).count() == 1


def test_an_unknown_format_is_refused_without_export(scene):
    amal = scene.gone_persons[0]
    url = reverse("web:subject_export", args=[amal.pk])
    response = _web(scene.admin).post(url, {"format": "pdf"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()


def test_api_export_as_json_and_zip(scene):
    amal = scene.gone_persons[0]
    auth = _api(scene.admin)
    client = Client()
    url = f"/api/v1/persons/{amal.pk}/subject-access/"
    data = client.get(url, **auth).json()
    assert data["name"] == "Amal Haddad"
    assert "allocation" in [section["key"] for section in data["sections"]]
    archive = client.get(url, {"output": "zip"}, **auth)
    assert archive["Content-Type"] == "application/zip"
    bad = client.get(url, {"output": "pdf"}, **auth)
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert AuditEvent.objects.filter(action="export", person_id=amal.pk).count() == 2


def test_api_retention_dry_run_and_run(scene):
    auth = _api(scene.admin)
    client = Client()
    url = "/api/v1/privacy/retention/"
    body = {"county": scene.county.slug, "dry_run": True}
    answer = client.post(url, body, content_type="application/json", **auth)
    assert answer.status_code == 200
    assert answer.json()["dry_run"] is True
    assert not Anonymisation.objects.exists()
    answer = client.post(
        url, {"county": scene.county.slug}, content_type="application/json", **auth
    )
    assert answer.status_code == 200
    assert answer.json()["dry_run"] is False


def test_api_retention_denials(scene):
    client = Client()
    url = "/api/v1/privacy/retention/"
    caseworker = MembershipFactory(
        county=scene.county, role=Role.COUNTY_CASEWORKER, scope=Scope.COUNTY
    ).user
    denied = client.post(
        url, {"county": scene.county.slug}, content_type="application/json", **_api(caseworker)
    )
    assert denied.status_code == 403
    other = client.post(
        url,
        {"county": scene.other_county.slug},
        content_type="application/json",
        **_api(scene.admin),
    )
    assert other.status_code == 404
    bad = client.post(url, {"county": ""}, content_type="application/json", **_api(scene.admin))
    assert bad.status_code == 400
    assert not AuditEvent.objects.filter(object_type="privacy.retention").exists()
