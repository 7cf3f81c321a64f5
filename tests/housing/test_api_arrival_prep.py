"""Preparing an arrival in the API: ticking off, planning the facility, the vulnerability
assessment — success, German problems with nothing written, denials."""

import pytest
from rest_framework.authtoken.models import Token

from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role, Scope
from ankommen.housing.models import ArrivalTask
from ankommen.housing.services_arrivals import plan_facility
from ankommen.people.models import Person, Responsibility, Vulnerability
from tests.factories import MembershipFactory, ProviderFactory, SiteFactory
from tests.housing.test_arrivals import arrival, shelter_manager, staff  # noqa: F401

pytestmark = pytest.mark.django_db


def _post(client, user, url, data):
    token, _created = Token.objects.get_or_create(user=user)
    return client.post(
        url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}"
    )


def _fields(response):
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def _provider_caseworker(county):
    provider = ProviderFactory(county=county)
    return MembershipFactory(
        county=county, role=Role.PROVIDER_CASEWORKER, scope=Scope.PROVIDER, provider=provider
    ).user


def test_a_task_is_ticked_off_and_opened_again(client, staff):  # noqa: F811
    task = arrival("H-1").tasks.get(kind=ArrivalTask.Kind.BED_READY)
    url = f"/api/v1/arrival-tasks/{task.pk}/completion/"
    done = _post(client, staff.user, url, {})
    assert done.status_code == 200, done.content
    assert done.json()["done_at"] is not None
    task.refresh_from_db()
    assert task.done_by == staff.user
    again = _post(client, staff.user, url, {"done": False})
    assert again.json()["done_at"] is None
    assert _fields(_post(client, staff.user, url, {"done": "vielleicht"})).keys() == {"done"}


def test_a_task_is_denied_outside_reach(client, staff):  # noqa: F811
    task = arrival("H-1").tasks.get(kind=ArrivalTask.Kind.BED_READY)
    url = f"/api/v1/arrival-tasks/{task.pk}/completion/"
    stranger = shelter_manager(staff.county, SiteFactory(county=staff.county)).user
    assert _post(client, stranger, url, {}).status_code == 404
    worker = _provider_caseworker(staff.county)
    assert _post(client, worker, url, {}).status_code in {403, 404}
    task.refresh_from_db()
    assert task.done_at is None


def test_the_facility_is_planned_and_a_bad_site_refused(client, staff):  # noqa: F811
    family = arrival("H-1")
    site = SiteFactory(county=staff.county)
    url = f"/api/v1/arrivals/{family.pk}/plan/"
    before = AuditEvent.objects.count()
    foreign = SiteFactory()  # another county
    assert _fields(_post(client, staff.user, url, {"site": foreign.pk})) == {
        "site": "Bitte eine Unterkunft des Landkreises wählen."
    }
    assert AuditEvent.objects.count() == before
    response = _post(client, staff.user, url, {"site": site.pk})
    assert response.status_code == 200, response.content
    assert response.json()["site"] == site.pk
    assert Responsibility.objects.filter(household=family.household, site=site).exists()


def test_planning_is_county_wide_staff_only(client, staff):  # noqa: F811
    family = arrival("H-1")
    site = SiteFactory(county=staff.county)
    plan_facility(actor=staff.user, arrival=family, site=site)
    manager = shelter_manager(staff.county, site).user  # reaches the arrival, may not plan
    url = f"/api/v1/arrivals/{family.pk}/plan/"
    assert _post(client, manager, url, {"site": None}).status_code == 403
    stranger = shelter_manager(staff.county, SiteFactory(county=staff.county)).user
    assert _post(client, stranger, url, {"site": None}).status_code == 404
    family.refresh_from_db()
    assert family.site == site


def test_the_vulnerability_assessment(client, staff):  # noqa: F811
    family = arrival("H-1")
    mother = Person._base_manager.get(family_name="الحسن")
    url = f"/api/v1/arrivals/{family.pk}/assessment/"
    listed = set(Vulnerability.objects.filter(person=mother).values_list("category", flat=True))
    wanted = sorted(listed | {"violence"})
    response = _post(client, staff.user, url, {"categories": {str(mother.pk): wanted}})
    assert response.status_code == 200, response.content
    assert response.json() == {"added": 1, "ended": 0}
    rows = Vulnerability.objects.count()
    mine = Vulnerability.objects.filter(person=mother, valid_to=None)
    assert set(mine.values_list("category", flat=True)) == set(wanted)
    bad = _post(client, staff.user, url, {"categories": {str(mother.pk): ["müde"]}})
    assert _fields(bad) == {"category": "Unbekannte Kategorie der Schutzbedürftigkeit."}
    outsider = Person._base_manager.exclude(household=family.household).first()
    wrong = _post(client, staff.user, url, {"categories": {str(outsider.pk): []}})
    assert _fields(wrong) == {"non_field_errors": "Die Person gehört nicht zu dieser Ankunft."}
    assert Vulnerability.objects.count() == rows


def test_the_assessment_is_denied_outside_reach(client, staff):  # noqa: F811
    family = arrival("H-1")
    mother = Person._base_manager.get(family_name="الحسن")
    url = f"/api/v1/arrivals/{family.pk}/assessment/"
    data = {"categories": {str(mother.pk): ["violence"]}}
    before = Vulnerability.objects.count()
    stranger = shelter_manager(staff.county, SiteFactory(county=staff.county)).user
    assert _post(client, stranger, url, data).status_code == 404
    assert _post(client, _provider_caseworker(staff.county), url, data).status_code in {403, 404}
    assert Vulnerability.objects.count() == before
    assert not Vulnerability.objects.filter(category="violence").exists()
