"""Reading health-related needs (GDPR Art. 9 data) is audited with a purpose; other reads and
denied requests write nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ankommen.audit.models import AuditEvent
from ankommen.audit.services import verify_chain
from ankommen.core.models import Role, Scope
from ankommen.people.models import Vulnerability
from tests.factories import MembershipFactory, PersonFactory, ProviderFactory, ResponsibilityFactory

pytestmark = pytest.mark.django_db


def _need(person, category):
    return Vulnerability.objects.create(
        county=person.county, person=person, category=category, valid_from=date(2024, 1, 1)
    )


def _reads():
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.READ))


def _open(client, user, household):
    client.force_login(user)
    return client.get(reverse("web:household", args=[household.pk]))


def test_opening_a_household_with_health_related_needs_is_audited_with_purpose(client):
    admin = MembershipFactory()
    ill = PersonFactory(household__county=admin.county, family_name="Karimi")
    healthy = PersonFactory(household=ill.household, family_name="Karimi", given_names="Omid")
    _need(ill, Vulnerability.Category.MENTAL_DISORDER)
    _need(healthy, Vulnerability.Category.PREGNANT)

    response = _open(client, admin.user, ill.household)

    assert response.status_code == 200
    assert "Psychische Störung" in response.content.decode()
    [event] = _reads()
    assert event.actor == admin.user
    assert event.county == admin.county
    assert event.person_id == ill.pk
    assert event.object_type == "people.household"
    assert event.object_id == str(ill.household_id)
    assert event.purpose == "Haushaltsakte geöffnet"
    assert "Psychische" not in str(event.details)  # names of categories, never their values
    assert verify_chain()[1] == []


@pytest.mark.parametrize("category", sorted(Vulnerability.HEALTH_RELATED))
def test_every_health_related_category_is_audited(client, category):
    admin = MembershipFactory()
    person = PersonFactory(household__county=admin.county)
    _need(person, category)
    _open(client, admin.user, person.household)
    assert [e.person_id for e in _reads()] == [person.pk]


def test_a_household_without_health_related_needs_is_not_audited(client):
    admin = MembershipFactory()
    person = PersonFactory(household__county=admin.county)
    _need(person, Vulnerability.Category.PREGNANT)
    response = _open(client, admin.user, person.household)
    assert response.status_code == 200
    assert "Schwangerschaft" in response.content.decode()
    assert _reads() == []


def test_an_ended_health_related_need_is_not_shown_and_not_audited(client):
    admin = MembershipFactory()
    person = PersonFactory(household__county=admin.county)
    need = _need(person, Vulnerability.Category.SERIOUS_ILLNESS)
    Vulnerability.objects.filter(pk=need.pk).update(valid_to=date(2024, 6, 1))
    body = _open(client, admin.user, person.household).content.decode()
    assert "Schwere körperliche Erkrankung" not in body
    assert _reads() == []


def test_a_role_without_sensitive_access_neither_sees_nor_triggers_an_audited_read(client):
    volunteer = MembershipFactory(role=Role.VOLUNTEER, scope=Scope.CASELOAD)
    person = PersonFactory(household__county=volunteer.county, family_name="Haddad")
    ResponsibilityFactory(household=person.household, caseworker=volunteer.user)
    _need(person, Vulnerability.Category.VIOLENCE)
    response = _open(client, volunteer.user, person.household)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Haddad" in body
    assert "Folter" not in body
    assert "Besondere Bedarfe" not in body
    assert _reads() == []


def test_a_denied_request_writes_nothing_and_changes_nothing(client):
    county = ProviderFactory().county
    caseworker = MembershipFactory(
        county=county,
        role=Role.PROVIDER_CASEWORKER,
        scope=Scope.PROVIDER,
        provider=ProviderFactory(county=county),
    )
    person = PersonFactory(household__county=county, family_name="Fremdhaushalt")
    ResponsibilityFactory(household=person.household, provider=ProviderFactory(county=county))
    _need(person, Vulnerability.Category.MENTAL_DISORDER)
    client.force_login(caseworker.user)
    events = AuditEvent.objects.count()

    response = client.get(reverse("web:household", args=[person.household_id]))

    assert response.status_code == 404
    assert "Fremdhaushalt" not in response.content.decode()
    assert AuditEvent.objects.count() == events
    person.refresh_from_db()
    assert person.family_name == "Fremdhaushalt"
