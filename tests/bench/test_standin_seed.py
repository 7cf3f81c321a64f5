"""The load bench's stand-in seeder writes searchable, visible people (a small seed)."""

import pytest
from bench.load.standin_seed import seed

from ankommen.core.models import Role, Scope
from ankommen.people import selectors
from ankommen.people.models import Person, PersonNameKey, Responsibility
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_small_seed_is_complete_and_searchable():
    county = seed(persons=60, seed=7, county_slug="bench-test")

    people = Person._base_manager.filter(county=county)
    assert people.count() == 60
    assert not people.filter(nationalities__isnull=True).exists()
    assert (
        PersonNameKey.objects.filter(person__county=county).values("person").distinct().count()
        == 60
    )
    households = {p.household_id for p in people}
    with_accommodation = Responsibility.objects.filter(
        household__in=households, kind=Responsibility.Kind.ACCOMMODATION
    )
    assert with_accommodation.values("household").distinct().count() == len(households)

    someone = people.first()
    admin = MembershipFactory(county=county, role=Role.COUNTY_CASEWORKER, scope=Scope.COUNTY)
    found = selectors.search_persons(
        actor=admin.user, query=f"{someone.given_names} {someone.family_name}"
    )
    assert someone in found


def test_the_same_seed_gives_the_same_people():
    first = seed(persons=20, seed=3, county_slug="bench-a")
    names_a = list(
        Person._base_manager.filter(county=first).values_list("family_name", "given_names")
    )
    second = seed(persons=20, seed=3, county_slug="bench-b")
    names_b = list(
        Person._base_manager.filter(county=second).values_list("family_name", "given_names")
    )
    assert names_a == names_b
