"""``access.restrict`` filters without joining, so it needs no DISTINCT (found by the load bench:
the DISTINCT made every count of a county's persons sort all their columns)."""

from datetime import date

import pytest

from ankommen.core.models import Role, Scope
from ankommen.people import selectors
from tests.factories import MembershipFactory, PersonFactory, ProviderFactory, ResponsibilityFactory

pytestmark = pytest.mark.django_db


def test_a_household_reached_twice_is_listed_once():
    provider = ProviderFactory()
    caseworker = MembershipFactory(
        county=provider.county,
        role=Role.PROVIDER_CASEWORKER,
        scope=Scope.PROVIDER,
        provider=provider,
    )
    person = PersonFactory(household__county=provider.county)
    for kind, since in (("accommodation", date(2024, 1, 1)), ("casework", date(2024, 6, 1))):
        ResponsibilityFactory(
            household=person.household, provider=provider, kind=kind, valid_from=since
        )

    assert list(selectors.persons_visible_to(actor=caseworker.user)) == [person]
    assert selectors.households_visible_to(actor=caseworker.user).count() == 1


def test_visible_rows_are_counted_without_distinct():
    admin = MembershipFactory()
    PersonFactory(household__county=admin.county)
    query = str(selectors.persons_visible_to(actor=admin.user).query)
    assert "DISTINCT" not in query.upper()
