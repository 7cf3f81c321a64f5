"""Access checks cost a fixed number of queries, however many memberships, households or
persons there are (no N+1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import Role, Scope
from ankommen.people import selectors
from ankommen.people.models import LanguageSkill, Nationality, ResidenceStatus
from tests.factories import (
    CountyFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    ProviderFactory,
    ResponsibilityFactory,
    SiteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_user():
    """A user with seven memberships: three providers, two sites and a caseload in one
    county, and county scope in another."""
    user = UserFactory(password=None)
    county = CountyFactory()
    for _ in range(3):
        provider = ProviderFactory(county=county)
        MembershipFactory(
            user=user,
            county=county,
            role=Role.PROVIDER_CASEWORKER,
            scope=Scope.PROVIDER,
            provider=provider,
        )
        ResponsibilityFactory(household=HouseholdFactory(county=county), provider=provider)
    for _ in range(2):
        site = SiteFactory(county=county)
        MembershipFactory(
            user=user, county=county, role=Role.SHELTER_MANAGER, scope=Scope.FACILITY, site=site
        )
        ResponsibilityFactory(household=HouseholdFactory(county=county), site=site)
    MembershipFactory(user=user, county=county, role=Role.JOB_COACH, scope=Scope.CASELOAD)
    ResponsibilityFactory(household=HouseholdFactory(county=county), caseworker=user)
    other = CountyFactory()
    MembershipFactory(user=user, county=other, role=Role.COUNTY_CASEWORKER, scope=Scope.COUNTY)
    HouseholdFactory.create_batch(2, county=other)
    HouseholdFactory.create_batch(3, county=county)  # out of reach
    return user


def test_memberships_are_loaded_once(busy_user, django_assert_num_queries):
    with django_assert_num_queries(1):
        access.active_memberships(busy_user)
        access.active_memberships(busy_user)
        access.counties_for(busy_user, Action.VIEW_PERSON)


def test_a_visibility_check_is_one_query_with_one_subquery_per_county(busy_user):
    access.active_memberships(busy_user)
    with CaptureQueriesContext(connection) as queries:
        count = selectors.households_visible_to(actor=busy_user).count()
    assert count == 3 + 2 + 1 + 2
    assert len(queries) == 1
    assert queries[0]["sql"].count('"people_responsibility"') == 1
    assert "DISTINCT" not in queries[0]["sql"].upper()


def test_can_reach_needs_no_query_with_county_scope_and_one_otherwise(
    busy_user, django_assert_num_queries
):
    access.active_memberships(busy_user)
    by_county = {}
    for household in selectors.households_visible_to(actor=busy_user):
        by_county.setdefault(household.county_id, household)
    scoped, whole = sorted(by_county.values(), key=lambda h: h.pk)
    with django_assert_num_queries(0):
        assert access.can_reach(busy_user, Action.VIEW_PERSON, whole)
        assert not access.can_reach(busy_user, Action.VIEW_AUDIT, whole)
        assert not access.can_reach(busy_user, Action.VIEW_HEALTH, scoped)
    with django_assert_num_queries(1):
        assert access.can_reach(busy_user, Action.VIEW_PERSON, scoped)


def _household_with(members: int):
    admin = MembershipFactory(user__password=None)
    household = HouseholdFactory(county=admin.county)
    for index in range(members):
        person = PersonFactory(household=household, family_name=f"Mitglied{index}")
        Nationality.objects.create(person=person, code="SYR")
        LanguageSkill.objects.create(person=person, code="ara")
        ResidenceStatus.objects.create(
            county=admin.county,
            person=person,
            kind=ResidenceStatus.Kind.GESTATTUNG,
            valid_from=date(2024, 1, 1),
        )
    ResponsibilityFactory(household=household, provider=ProviderFactory(county=admin.county))
    return admin.user, household


def _queries(client, user, path) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        lambda h: reverse("web:household", args=[h.pk]),
        lambda h: "/api/v1/persons/",
        lambda h: f"/api/v1/households/{h.pk}/",
        lambda h: "/suche/?q=Amina",
        lambda h: "/api/v1/search/?q=Amina",
    ],
    ids=["household page", "api persons", "api household", "search", "api search"],
)
def test_pages_cost_the_same_for_one_member_as_for_eight(client, path):
    small_user, small = _household_with(1)
    big_user, big = _household_with(8)
    assert _queries(client, small_user, path(small)) == _queries(client, big_user, path(big))
