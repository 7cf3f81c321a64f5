import pytest
from django.urls import reverse

from ankommen.core.models import Role, Scope
from tests.factories import (
    MembershipFactory,
    PersonFactory,
    ProviderFactory,
    ResponsibilityFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_caseworker():
    membership = MembershipFactory(
        role=Role.PROVIDER_CASEWORKER, scope=Scope.PROVIDER, provider=ProviderFactory()
    )
    membership.provider.county = membership.county
    membership.provider.save()
    return membership


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_pages_carry_security_headers(client):
    response = client.get(reverse("web:login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"


def test_search_finds_transliteration_variants_and_links_the_household(client):
    admin = MembershipFactory()
    person = PersonFactory(
        household__county=admin.county, given_names="Muhammad", family_name="Al-Hassan"
    )
    client.force_login(admin.user)
    response = client.get(reverse("web:search"), {"q": "Mohammed Hassan"})
    assert response.status_code == 200
    assert "Muhammad Al-Hassan" in response.content.decode()
    assert reverse("web:household", args=[person.household_id]) in response.content.decode()


def test_a_script_tag_in_a_name_is_shown_escaped(client):
    admin = MembershipFactory()
    person = PersonFactory(household__county=admin.county, family_name="<script>alert(1)</script>")
    client.force_login(admin.user)
    body = client.get(reverse("web:household", args=[person.household_id])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_provider_caseworker_sees_own_households_but_not_others(client, provider_caseworker):
    county = provider_caseworker.county
    own = PersonFactory(household__county=county, family_name="Eigene")
    other = PersonFactory(household__county=county, family_name="Fremde")
    ResponsibilityFactory(household=own.household, provider=provider_caseworker.provider)
    ResponsibilityFactory(household=other.household, provider=ProviderFactory(county=county))
    client.force_login(provider_caseworker.user)
    assert client.get(reverse("web:household", args=[own.household_id])).status_code == 200
    denied = client.get(reverse("web:household", args=[other.household_id]))
    assert denied.status_code == 404
    assert "Fremde" not in denied.content.decode()


def test_household_page_shows_partial_birth_dates(client):
    admin = MembershipFactory()
    person = PersonFactory(household__county=admin.county, birth_month=None, birth_day=None)
    client.force_login(admin.user)
    body = client.get(reverse("web:household", args=[person.household_id])).content.decode()
    assert "00.00.1990" in body
