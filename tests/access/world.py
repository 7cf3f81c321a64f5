"""A small world for one matrix subject: two counties, the subject's account and one household
per relation of ``matrix.RELATIONS``.

Every household has one person with a unique family name (so a response body can be searched
for leaked data), the shared given name ``SHARED_GIVEN_NAME`` (so one search finds them all),
a residence status (Duldung), two vulnerabilities, one of them health-related, and two consents
(one for the pages to withdraw, one for the API).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.db import models
from django.utils import timezone

from ankommen.core.models import County, Provider, Role, Scope, Site, User
from ankommen.people.models import Consent, Household, Person, ResidenceStatus, Vulnerability
from tests.access.matrix import RELATIONS, Subject
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

SHARED_GIVEN_NAME = "Wilhelmina"
FAMILY_NAMES = {
    "in_scope": "Borowski",
    "provider_site": "Castellano",
    "other_in_county": "Dimitrova",
    "other_county": "Eriksson",
    "ended": "Fontaine",
    "future": "Gutierrez",
}
CONSENT_PURPOSES = {
    "web": Consent.Purpose.SHARE_WITH_VOLUNTEER,
    "api": Consent.Purpose.SHARE_WITH_PROVIDER,
}


class Fact(StrEnum):
    """Kinds of sensitive facts every person of the world has."""

    STATUS = "status"
    NEED = "need"  # not health-related
    HEALTH_NEED = "health_need"  # its reads are audited
    CONSENT = "consent"


# The choices that show each fact: their German label on a page, their code in the API.
_FACT_CHOICES: dict[Fact, Sequence[models.TextChoices]] = {
    Fact.STATUS: [ResidenceStatus.Kind.DULDUNG],
    Fact.NEED: [Vulnerability.Category.PREGNANT],
    Fact.HEALTH_NEED: [Vulnerability.Category.MENTAL_DISORDER],
    Fact.CONSENT: list(CONSENT_PURPOSES.values()),
}


def sensitive_markers(*, api: bool) -> dict[Fact, tuple[str, ...]]:
    """The texts by which a response shows each fact (labels are translated when called)."""
    return {
        fact: tuple(str(choice.value if api else choice.label) for choice in choices)
        for fact, choices in _FACT_CHOICES.items()
    }


@dataclass
class World:
    user: User
    county: County
    other_county: County
    provider: Provider
    site: Site
    households: dict[str, Household] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    consents: dict[str, dict[str, Consent]] = field(default_factory=dict)  # relation → use

    def household_secrets(self, relation: str) -> list[str]:
        """Strings that must not appear in a response that denies this household."""
        person = self.persons[relation]
        return [person.family_name, self.households[relation].reference]


def _membership(
    user: User, subject: Subject, world_county: County, provider: Provider, site: Site
) -> None:
    today = timezone.localdate()
    if subject.key == "no_membership":
        return
    if subject.role is None:
        # A county administrator with county scope, but not in force today.
        if subject.key == "ended_membership":
            valid_from, valid_to = date(2020, 1, 1), today - timedelta(days=1)
        else:
            valid_from, valid_to = today + timedelta(days=1), None
        MembershipFactory(
            user=user,
            county=world_county,
            role=Role.COUNTY_ADMIN,
            scope=Scope.COUNTY,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        return
    MembershipFactory(
        user=user,
        county=world_county,
        role=subject.role,
        scope=subject.scope,
        provider=provider if subject.scope == Scope.PROVIDER else None,
        site=site if subject.scope == Scope.FACILITY else None,
    )


def build_world(subject: Subject) -> World:
    today = timezone.localdate()
    county = CountyFactory()
    other_county = CountyFactory()
    provider = ProviderFactory(county=county)
    other_provider = ProviderFactory(county=county)
    site = SiteFactory(county=county, provider=provider)
    provider_site = SiteFactory(county=county, provider=provider)
    other_site = SiteFactory(county=county, provider=other_provider)
    # No usable passwords: hashing with Argon2 is slow, and these accounts never log in by form.
    colleague = UserFactory(password=None)
    user = UserFactory(password=None)
    _membership(user, subject, county, provider, site)
    world = World(user=user, county=county, other_county=other_county, provider=provider, site=site)

    # The link of an in-scope household: only the subject's own scope target.
    scope = subject.scope or Scope.COUNTY
    own_link: dict[str, object] = {
        Scope.COUNTY: {"provider": provider, "site": site, "caseworker": user},
        Scope.PROVIDER: {"provider": provider},
        Scope.FACILITY: {"site": site},
        Scope.CASELOAD: {"caseworker": user},
    }[scope]
    links: dict[str, list[dict[str, object]]] = {
        "in_scope": [] if scope == Scope.COUNTY else [dict(own_link)],
        "provider_site": [{"site": provider_site}],
        "other_in_county": [
            {"provider": other_provider, "site": other_site, "caseworker": colleague}
        ],
        "other_county": [{"provider": provider, "site": site, "caseworker": user}],
        "ended": [
            {**own_link, "valid_from": date(2020, 1, 1), "valid_to": today - timedelta(days=1)}
        ],
        "future": [{**own_link, "valid_from": today + timedelta(days=1)}],
    }
    assert set(links) == set(RELATIONS)
    for relation in RELATIONS:
        household = HouseholdFactory(
            county=other_county if relation == "other_county" else county,
            reference=f"REF-{relation.upper()}-{user.pk}",
        )
        for link in links[relation]:
            ResponsibilityFactory(household=household, **link)
        person = PersonFactory(
            household=household, family_name=FAMILY_NAMES[relation], given_names=SHARED_GIVEN_NAME
        )
        ResidenceStatus.objects.create(
            county=household.county,
            person=person,
            kind=ResidenceStatus.Kind.DULDUNG,
            valid_from=date(2023, 1, 1),
        )
        for category in (Vulnerability.Category.PREGNANT, Vulnerability.Category.MENTAL_DISORDER):
            Vulnerability.objects.create(
                county=household.county,
                person=person,
                category=category,
                valid_from=date(2023, 2, 1),
            )
        world.consents[relation] = {
            use: Consent.objects.create(
                county=household.county, person=person, purpose=purpose, given_on=date(2023, 3, 1)
            )
            for use, purpose in CONSENT_PURPOSES.items()
        }
        world.households[relation] = household
        world.persons[relation] = person
    return world
