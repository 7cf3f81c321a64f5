"""Counts for the field-of-action pages: dated, per county, and only where access allows."""

from datetime import date

import pytest

from ankommen.core.models import Role, Scope
from ankommen.people import aggregates
from ankommen.people.models import Responsibility
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


DAY = date(2025, 6, 1)
Kind = Responsibility.Kind


def _household_of(size, county):
    head = PersonFactory(household__county=county)
    for _ in range(size - 1):
        PersonFactory(household=head.household)
    return head.household


def _housed(household, site, **dates):
    return ResponsibilityFactory(household=household, site=site, provider=site.provider, **dates)


def test_occupancy_counts_households_and_persons_housed_on_the_day():
    planner = MembershipFactory(role=Role.PLANNER)
    county = planner.county
    site = SiteFactory(county=county, capacity=10)
    other_site = SiteFactory(county=county, capacity=4)
    _housed(_household_of(3, county), site, valid_from=date(2025, 1, 1))
    _housed(_household_of(2, county), site, valid_from=date(2025, 5, 1), valid_to=DAY)
    # Moved out the day before: counted at neither site; moved in the day after: not yet.
    moved = _household_of(4, county)
    _housed(moved, site, valid_from=date(2024, 1, 1), valid_to=date(2025, 5, 31))
    _housed(moved, other_site, valid_from=date(2025, 6, 2))

    [overview] = aggregates.accommodation_overview(actor=planner.user, day=DAY)

    assert overview.counts_visible
    rows = {row.site.pk: row for row in overview.sites}
    assert (rows[site.pk].households, rows[site.pk].persons) == (2, 5)
    assert (rows[other_site.pk].households, rows[other_site.pk].persons) == (0, 0)
    assert rows[site.pk].percent == 50
    assert (overview.capacity, overview.persons, overview.percent) == (14, 5, 36)


def test_an_over_full_site_fills_the_bar_and_says_so():
    planner = MembershipFactory(role=Role.PLANNER)
    site = SiteFactory(county=planner.county, capacity=2)
    _housed(_household_of(3, planner.county), site, valid_from=date(2025, 1, 1))

    [overview] = aggregates.accommodation_overview(actor=planner.user, day=DAY)

    [row] = overview.sites
    assert (row.percent, row.bar, row.over_capacity) == (150, 100, True)


def test_a_site_without_places_has_no_percentage():
    planner = MembershipFactory(role=Role.PLANNER)
    SiteFactory(county=planner.county, capacity=0)

    [overview] = aggregates.accommodation_overview(actor=planner.user, day=DAY)

    assert overview.sites[0].percent is None
    assert overview.percent is None


def test_offices_are_not_listed_as_accommodation():
    planner = MembershipFactory(role=Role.PLANNER)
    SiteFactory(county=planner.county, kind="buero", name="Beratungsstelle Mitte")

    [overview] = aggregates.accommodation_overview(actor=planner.user, day=DAY)

    assert overview.sites == []


def test_other_counties_stay_out_of_lists_and_counts():
    planner = MembershipFactory(role=Role.PLANNER)
    elsewhere = CountyFactory()
    foreign_site = SiteFactory(county=elsewhere)
    _housed(_household_of(2, elsewhere), foreign_site, valid_from=date(2025, 1, 1))
    ResponsibilityFactory(
        household=_household_of(1, elsewhere),
        kind=Kind.CASEWORK,
        provider=ProviderFactory(county=elsewhere),
    )

    [accommodation] = aggregates.accommodation_overview(actor=planner.user, day=DAY)
    [casework] = aggregates.casework_overview(actor=planner.user, day=DAY)

    assert accommodation.county == planner.county
    assert accommodation.sites == []
    assert casework.county == planner.county
    assert casework.households == 0


def test_roles_without_statistics_see_the_sites_but_no_counts():
    volunteer = MembershipFactory(role=Role.VOLUNTEER, scope=Scope.CASELOAD)
    site = SiteFactory(county=volunteer.county)
    _housed(_household_of(2, volunteer.county), site, valid_from=date(2025, 1, 1))

    [overview] = aggregates.accommodation_overview(actor=volunteer.user, day=DAY)
    [casework] = aggregates.casework_overview(actor=volunteer.user, day=DAY)
    [mentoring] = aggregates.responsibility_totals(
        actor=volunteer.user, kind=Kind.MENTORING, day=DAY
    )

    assert not overview.counts_visible
    assert [row.site for row in overview.sites] == [site]
    assert (overview.sites[0].households, overview.sites[0].persons) == (0, 0)
    assert not casework.counts_visible
    assert casework.providers == []
    assert not mentoring.counts_visible
    assert mentoring.households == 0


def test_counts_follow_the_role_per_county():
    user = UserFactory()
    counted = MembershipFactory(user=user, role=Role.PLANNER).county
    uncounted = MembershipFactory(user=user, role=Role.VOLUNTEER, scope=Scope.CASELOAD).county
    for county in (counted, uncounted):
        _housed(_household_of(1, county), SiteFactory(county=county), valid_from=date(2025, 1, 1))

    overviews = aggregates.accommodation_overview(actor=user, day=DAY)

    visible = {overview.county: overview.counts_visible for overview in overviews}
    assert visible == {counted: True, uncounted: False}
    by_county = {overview.county: overview for overview in overviews}
    assert by_county[counted].persons == 1
    assert by_county[uncounted].persons == 0


def test_users_without_membership_get_nothing():
    user = UserFactory()
    SiteFactory()

    assert aggregates.accommodation_overview(actor=user, day=DAY) == []
    assert aggregates.casework_overview(actor=user, day=DAY) == []
    assert aggregates.responsibility_totals(actor=user, kind=Kind.MENTORING, day=DAY) == []


def test_an_ended_membership_grants_nothing():
    planner = MembershipFactory(role=Role.PLANNER, valid_to=date(2021, 1, 1))
    SiteFactory(county=planner.county)

    assert aggregates.accommodation_overview(actor=planner.user) == []


def test_casework_counts_households_per_provider_and_lists_idle_social_providers():
    admin = MembershipFactory()
    county = admin.county
    busy = ProviderFactory(county=county, name="Busy e. V.")
    idle = ProviderFactory(county=county, name="Idle e. V.")
    ProviderFactory(county=county, name="Bildung gGmbH", kind="bildung")
    caseworker = UserFactory()
    for _ in range(2):
        ResponsibilityFactory(household=_household_of(1, county), kind=Kind.CASEWORK, provider=busy)
    ResponsibilityFactory(
        household=_household_of(1, county), kind=Kind.CASEWORK, caseworker=caseworker
    )
    ResponsibilityFactory(
        household=_household_of(1, county),
        kind=Kind.CASEWORK,
        provider=busy,
        valid_to=date(2025, 1, 1),
    )
    ResponsibilityFactory(household=_household_of(1, county), kind=Kind.MENTORING, provider=idle)

    [overview] = aggregates.casework_overview(actor=admin.user, day=DAY)

    rows = [(row.provider, row.households, row.bar) for row in overview.providers]
    assert rows == [(busy, 2, 100), (None, 1, 50), (idle, 0, 0)]
    assert overview.households == 3


def test_mentoring_totals_count_households_persons_and_volunteers():
    coordinator = MembershipFactory(role=Role.VOLUNTEER_COORDINATOR)
    county = coordinator.county
    mentor = UserFactory()
    for size in (1, 3):
        ResponsibilityFactory(
            household=_household_of(size, county), kind=Kind.MENTORING, caseworker=mentor
        )
    ResponsibilityFactory(
        household=_household_of(2, county),
        kind=Kind.MENTORING,
        caseworker=UserFactory(),
        valid_from=date(2026, 1, 1),
    )

    [totals] = aggregates.responsibility_totals(
        actor=coordinator.user, kind=Kind.MENTORING, day=DAY
    )

    assert (totals.households, totals.persons, totals.helpers) == (2, 4, 1)
