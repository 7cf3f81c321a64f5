"""A small casework world: one county, providers A and B, a caseworker of each (provider
scope), a county caseworker, and a household whose case provider A holds and to which both
providers are linked (provider B through its facility). The head consented to sharing with
the provider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from ankommen.casework import services
from ankommen.casework.models import Case
from ankommen.core.models import County, Provider, Role, Scope, User
from ankommen.people.models import Consent, Household, Person, Responsibility
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

SECRET_A = "Vertraulich-bei-Traeger-A-7391"


@dataclass
class CaseWorld:
    county: County
    provider_a: Provider
    provider_b: Provider
    worker_a: User
    worker_b: User
    county_worker: User
    household: Household
    head: Person
    consent: Consent
    case: Case


def caseworker(county: County, provider: Provider | None, **extra: object) -> User:
    user = UserFactory(password=None)
    MembershipFactory(
        user=user,
        county=county,
        role=Role.PROVIDER_CASEWORKER if provider else Role.COUNTY_CASEWORKER,
        scope=Scope.PROVIDER if provider else Scope.COUNTY,
        provider=provider,
        **extra,
    )
    return user


@pytest.fixture
def cw(db) -> CaseWorld:  # type: ignore[no-untyped-def]
    county = CountyFactory()
    provider_a = ProviderFactory(county=county, name="Träger A")
    provider_b = ProviderFactory(county=county, name="Träger B")
    site_b = SiteFactory(county=county, provider=provider_b, name="Haus B")
    worker_a = caseworker(county, provider_a)
    worker_b = caseworker(county, provider_b)
    county_worker = caseworker(county, None)
    household = HouseholdFactory(county=county)
    head = PersonFactory(household=household, family_name="Haddad")
    ResponsibilityFactory(household=household, kind=Responsibility.Kind.ACCOMMODATION, site=site_b)
    consent = Consent.objects.create(
        county=county,
        person=head,
        purpose=Consent.Purpose.SHARE_WITH_PROVIDER,
        given_on=date(2024, 1, 1),
    )
    opened = timezone.localdate() - timedelta(days=30)
    case = services.open_case(
        actor=county_worker,
        household=household,
        provider=provider_a,
        opened_on=opened,
        caseworker=worker_a,
    )
    services.record_contact(
        actor=worker_a,
        case=case,
        day=opened,
        minutes=45,
        place="buero",
        language="ara",
        interpreter=True,
        topics=["aufenthaltsrecht", "wohnen"],
        note="Termin Ausländerbehörde vorbereitet",
        confidential_note=SECRET_A,
    )
    return CaseWorld(
        county,
        provider_a,
        provider_b,
        worker_a,
        worker_b,
        county_worker,
        household,
        head,
        consent,
        case,
    )
