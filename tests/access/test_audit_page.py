"""The audit log page: county-scope auditors and administrators see their own county's events
only; every other role gets 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ankommen.audit.services import record_event
from ankommen.core.models import Role, Scope
from tests.factories import CountyFactory, MembershipFactory, PersonFactory, ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    own, other = CountyFactory(), CountyFactory()
    for county, purpose in ((own, "Zweck-im-eigenen-Kreis"), (other, "Zweck-im-anderen-Kreis")):
        person = PersonFactory(household__county=county, family_name="Sichtbarname")
        record_event(actor=None, action="read", obj=person, person_id=person.pk, purpose=purpose)
    return own


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COUNTY_ADMIN])
def test_the_audit_log_shows_only_the_own_countys_events(client, events, role):
    client.force_login(MembershipFactory(county=events, role=role, scope=Scope.COUNTY).user)
    response = client.get(reverse("web:audit"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Zweck-im-eigenen-Kreis" in body
    assert "Zweck-im-anderen-Kreis" not in body
    assert "Sichtbarname" not in body  # the log names persons by number only


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.AUDITOR, Role.COUNTY_ADMIN}))
def test_every_other_role_gets_403(client, events, role):
    client.force_login(MembershipFactory(county=events, role=role, scope=Scope.COUNTY).user)
    response = client.get(reverse("web:audit"))
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.content.decode()
    assert "Zweck-im" not in response.content.decode()


def test_an_auditor_limited_to_a_provider_gets_403(client, events):
    membership = MembershipFactory(
        county=events,
        role=Role.AUDITOR,
        scope=Scope.PROVIDER,
        provider=ProviderFactory(county=events),
    )
    client.force_login(membership.user)
    assert client.get(reverse("web:audit")).status_code == 403
    assert "Protokoll</a>" not in client.get(reverse("web:home")).content.decode()


def test_the_navigation_links_the_audit_log_for_auditors_only(client, events):
    client.force_login(MembershipFactory(county=events, role=Role.AUDITOR).user)
    assert reverse("web:audit") in client.get(reverse("web:home")).content.decode()
    client.force_login(MembershipFactory(county=events, role=Role.PLANNER).user)
    assert reverse("web:audit") not in client.get(reverse("web:home")).content.decode()
