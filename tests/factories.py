"""Factories for tests. Persons get their name keys, as the services would give them."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from ankommen.core.models import County, Membership, Municipality, Provider, Role, Scope, Site, User
from ankommen.people.models import Household, Person, Responsibility
from ankommen.people.services import refresh_name_keys

PASSWORD = "correct horse battery staple"


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kreis-{n}")
    name = factory.Sequence(lambda n: f"Landkreis {n}")
    official_key = factory.Sequence(lambda n: f"9{n:04d}")
    state = "Brandenburg"


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    kind = Municipality.Kind.MUNICIPALITY
    source = "Testdaten"


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = Provider

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"Träger {n}")
    kind = Provider.Kind.SOCIAL


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    county = factory.SubFactory(CountyFactory)
    provider = factory.SubFactory(ProviderFactory, county=factory.SelfAttribute("..county"))
    municipality = factory.SubFactory(MunicipalityFactory, county=factory.SelfAttribute("..county"))
    name = factory.Sequence(lambda n: f"Unterkunft {n}")
    kind = Site.Kind.SHARED_ACCOMMODATION
    capacity = 100


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    county = factory.SubFactory(CountyFactory)
    role = Role.COUNTY_ADMIN
    scope = Scope.COUNTY
    valid_from = date(2020, 1, 1)


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    county = factory.SubFactory(CountyFactory)
    reference = factory.Sequence(lambda n: f"HH-{n:05d}")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    county = factory.SelfAttribute("household.county")
    household_role = Person.HouseholdRole.HEAD
    family_name = factory.Sequence(lambda n: f"Familie{n}")
    given_names = "Amina"
    birth_year = 1990
    birth_month = 5
    birth_day = 17
    sex = "w"

    @factory.post_generation
    def name_keys(obj: Person, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            refresh_name_keys(obj)


class ResponsibilityFactory(DjangoModelFactory):
    class Meta:
        model = Responsibility

    household = factory.SubFactory(HouseholdFactory)
    county = factory.SelfAttribute("household.county")
    kind = Responsibility.Kind.ACCOMMODATION
    valid_from = date(2020, 1, 1)
