"""The field-of-action pages: what exists today, per county, without personal data."""

from datetime import date

import pytest
from django.urls import reverse

from ankommen.core.models import Role, Scope
from ankommen.people.models import Responsibility
from ankommen.web.navigation import FIELDS_OF_ACTION
from tests.factories import (
    CountyFactory,
    MembershipFactory,
    PersonFactory,
    ProviderFactory,
    ResponsibilityFactory,
    SiteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # These tests create many accounts and never log in with a password; Argon2 is tested elsewhere.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SLUGS = [field.slug for field in FIELDS_OF_ACTION]
Kind = Responsibility.Kind


@pytest.fixture
def two_counties():
    """A county with a site, a provider and named persons in every kind of responsibility,
    and a second county with the same, whose data must never show."""
    data = {}
    for label in ("own", "foreign"):
        county = CountyFactory(name=f"Landkreis {label.title()}")
        provider = ProviderFactory(county=county, name=f"Träger {label.title()} e. V.")
        site = SiteFactory(
            county=county,
            provider=provider,
            name=f"GU {label.title()}",
            municipality__name=f"Gemeinde {label.title()}",
            capacity=8,
        )
        names = []
        helper = UserFactory(username=f"helfer-{label}")
        for kind in Kind.values:
            person = PersonFactory(
                household__county=county,
                family_name=f"Nachname{label.title()}{kind.title()}",
                given_names=f"Vorname{label.title()}",
            )
            names.extend([person.family_name, person.given_names])
            ResponsibilityFactory(
                household=person.household,
                kind=kind,
                provider=provider,
                site=site if kind == Kind.ACCOMMODATION else None,
                caseworker=helper,
                valid_from=date(2024, 1, 1),
            )
        data[label] = {"county": county, "site": site, "provider": provider, "names": names}
    return data


def _page(client, slug):
    response = client.get(reverse("web:field", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("web:field", args=["unterbringung"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_an_unknown_field_is_not_found(client):
    client.force_login(MembershipFactory().user)
    assert client.get(reverse("web:field", args=["nirgendwo"])).status_code == 404


@pytest.mark.parametrize("slug", SLUGS)
def test_every_field_page_shows_only_the_own_county_and_no_person(client, two_counties, slug):
    admin = MembershipFactory(county=two_counties["own"]["county"])
    client.force_login(admin.user)

    body = _page(client, slug)

    # Fields still being built say so; housing, health and casework link to their working pages.
    if slug == "unterbringung":
        assert reverse("housing:overview") in body
    elif slug == "gesundheit":
        assert reverse("health:hours") in body
    elif slug == "beratung":
        assert reverse("casework:overview") in body
    else:
        assert "Im Aufbau" in body
    for label in ("own", "foreign"):
        for name in two_counties[label]["names"]:
            assert name not in body
    assert "helfer-" not in body
    foreign = two_counties["foreign"]
    for text in (foreign["county"].name, foreign["site"].name, foreign["provider"].name):
        assert text not in body
    # CSP forbids inline styles and scripts; the charts use classes and SVG attributes.
    assert 'style="' not in body
    assert "<script>" not in body


def test_accommodation_lists_sites_with_counts_and_a_bar(client, two_counties):
    own = two_counties["own"]
    client.force_login(MembershipFactory(county=own["county"], role=Role.PLANNER).user)

    body = _page(client, "unterbringung")

    assert own["site"].name in body
    assert "Gemeinschaftsunterkunft" in body
    assert own["site"].municipality.name in body
    assert own["provider"].name in body
    # 8 places, 1 household of 1 person housed: 13 %.
    assert '<td class="num">8</td>' in body
    assert '<td class="num">1</td><td class="num">1</td>' in body
    assert 'width="13"' in body
    assert "13&nbsp;%" in body


def test_accommodation_without_statistics_right_shows_sites_but_no_counts(client, two_counties):
    own = two_counties["own"]
    volunteer = MembershipFactory(county=own["county"], role=Role.VOLUNTEER, scope=Scope.CASELOAD)
    client.force_login(volunteer.user)

    body = _page(client, "unterbringung")

    assert own["site"].name in body
    assert "Belegung</th>" not in body
    assert "<svg" not in body
    assert "Zahlen zu Haushalten und Personen sehen nur Rollen mit Zugriff auf Statistiken" in body


def test_a_user_without_membership_sees_no_data(client, two_counties):
    client.force_login(UserFactory())

    body = _page(client, "unterbringung")

    assert "Ihrem Konto ist kein Landkreis zugeordnet" in body
    for label in ("own", "foreign"):
        assert two_counties[label]["site"].name not in body


def test_casework_shows_households_per_provider(client, two_counties):
    own = two_counties["own"]
    client.force_login(MembershipFactory(county=own["county"]).user)

    body = _page(client, "beratung")

    assert f'<th scope="row">{own["provider"].name}</th>\n    <td class="num">1</td>' in body
    assert 'class="bar-fill" x="0" y="0" width="100"' in body


def test_mentoring_and_coaching_show_totals(client, two_counties):
    coordinator = MembershipFactory(
        county=two_counties["own"]["county"], role=Role.VOLUNTEER_COORDINATOR
    )
    client.force_login(coordinator.user)

    for slug, label in (("gesellschaft", "Patenschaft"), ("arbeit", "Jobcoaching")):
        body = _page(client, slug)
        assert label in body
        assert body.count("<dd>1</dd>") == 3  # households, persons, helpers


def test_planning_shows_capacity_and_occupancy(client, two_counties):
    client.force_login(MembershipFactory(county=two_counties["own"]["county"]).user)

    body = _page(client, "planung")

    assert "<dt>Plätze</dt><dd>8</dd>" in body
    assert "<dt>Untergebrachte Personen</dt><dd>1</dd>" in body


@pytest.mark.parametrize("slug", ["bildung"])
def test_fields_without_data_say_so_and_show_no_numbers(client, two_counties, slug):
    client.force_login(MembershipFactory(county=two_counties["own"]["county"]).user)

    body = _page(client, slug)

    assert "wird gerade gebaut" in body
    assert "<dd>" not in body
    assert "<table" not in body


def test_the_health_field_links_to_its_pages_and_shows_no_health_data(client, two_counties):
    client.force_login(MembershipFactory(county=two_counties["own"]["county"]).user)

    body = _page(client, "gesundheit")

    assert reverse("health:hours") in body
    assert "nur für Gesundheitsrollen lesbar" in body
    assert "<dd>" not in body
    assert "<table" not in body
