"""Shared set-up for the tests of the person and household forms and API endpoints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ankommen.audit.models import AuditEvent
from ankommen.core.models import County, Membership, Role, Scope
from ankommen.people.models import (
    Consent,
    Household,
    LanguageSkill,
    Nationality,
    Person,
    PersonNameKey,
    ResidenceStatus,
    Responsibility,
    Vulnerability,
)
from tests.factories import (
    CountyFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    ProviderFactory,
    ResponsibilityFactory,
    UserFactory,
)

COUNTED = (
    Household,
    Person,
    Nationality,
    LanguageSkill,
    PersonNameKey,
    ResidenceStatus,
    Vulnerability,
    Consent,
    AuditEvent,
)


def row_counts() -> dict[str, int]:
    """Rows of every table a person form or endpoint may write, audit events included."""
    return {model.__name__: model._base_manager.count() for model in COUNTED}


@dataclass
class World:
    """One county with a county admin, a provider caseworker, a volunteer and two households:
    one looked after by the caseworker's provider (with the volunteer as mentor), one by
    another provider."""

    county: County
    admin: Membership
    caseworker: Membership
    volunteer: Membership
    own: Person  # in the caseworker's provider's household
    other: Person  # in another provider's household


def make_world() -> World:
    county = CountyFactory()
    admin = MembershipFactory(county=county, role=Role.COUNTY_ADMIN, scope=Scope.COUNTY)
    provider = ProviderFactory(county=county)
    caseworker = MembershipFactory(
        county=county, role=Role.PROVIDER_CASEWORKER, scope=Scope.PROVIDER, provider=provider
    )
    volunteer = MembershipFactory(
        county=county, role=Role.VOLUNTEER, scope=Scope.CASELOAD, user=UserFactory()
    )
    own = PersonFactory(
        household=HouseholdFactory(county=county),
        family_name="Eigene",
        birth_month=None,
        birth_day=None,
    )
    other = PersonFactory(household=HouseholdFactory(county=county), family_name="Fremde")
    ResponsibilityFactory(household=own.household, provider=provider)
    ResponsibilityFactory(
        household=own.household,
        kind=Responsibility.Kind.MENTORING,
        caseworker=volunteer.user,
        valid_from=date(2020, 1, 1),
    )
    ResponsibilityFactory(household=other.household, provider=ProviderFactory(county=county))
    return World(county, admin, caseworker, volunteer, own, other)


VALID_PERSON = {
    "family_name": "Al-Hassan",
    "given_names": "Muhammad",
    "birth_date": "00.05.1990",
    "sex": "m",
    "household_role": "head",
    "nationalities": "Syrien, XXA",
    "languages": "Arabisch, kur",
    "arrived_in_germany_on": "03.11.2023",
    "allocated_on": "20.11.2023",
}
