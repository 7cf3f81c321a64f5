"""Builders for housing tests: facilities with rooms and beds, staff of each role."""

from __future__ import annotations

from datetime import date

from ankommen.core.models import County, Membership, Provider, Role, Scope, Site
from ankommen.housing import services
from ankommen.housing.models import Bed, Room
from ankommen.people.models import Household, Person
from tests.factories import (
    CountyFactory,
    HouseholdFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    ProviderFactory,
    SiteFactory,
)

LONG_AGO = date(2020, 1, 1)


def facility(
    county: County,
    *,
    name: str | None = None,
    kind: str = Site.Kind.SHARED_ACCOMMODATION,
    rooms: dict[str, int] | None = None,
    municipality=None,  # type: ignore[no-untyped-def]
    provider: Provider | None = None,
    since: date = LONG_AGO,
    **room_flags: bool,
) -> Site:
    """A site with rooms ``{number: beds}`` whose beds exist since ``since``."""
    extra = {"name": name} if name else {}
    site = SiteFactory(
        county=county,
        kind=kind,
        municipality=municipality or MunicipalityFactory(county=county),
        provider=provider or ProviderFactory(county=county, kind=Provider.Kind.SHELTER_OPERATOR),
        **extra,
    )
    for number, beds in (rooms or {}).items():
        services.create_room(
            actor=None, site=site, number=number, beds=beds, valid_from=since, **room_flags
        )
    return site


def beds_of(site: Site, number: str) -> list[Bed]:
    return list(Bed.objects.filter(room__site=site, room__number=number).order_by("label"))


def room(site: Site, number: str) -> Room:
    return Room.objects.get(site=site, number=number)


def household(
    county: County, *members: tuple[str, int], reference: str | None = None
) -> tuple[Household, list[Person]]:
    """A household of members given as (sex, birth year)."""
    extra = {"reference": reference} if reference else {}
    home = HouseholdFactory(county=county, **extra)
    persons = [
        PersonFactory(household=home, sex=sex, birth_year=year, given_names=f"P{index}")
        for index, (sex, year) in enumerate(members)
    ]
    return home, persons


def staff(county: County, role: str, scope: str = Scope.COUNTY, **target: object) -> Membership:
    return MembershipFactory(county=county, role=role, scope=scope, **target)


def shelter_manager(site: Site) -> Membership:
    return staff(site.county, Role.SHELTER_MANAGER, Scope.FACILITY, site=site)


def county() -> County:
    return CountyFactory()


def announce(person: Person, arrival: date, needs: list[str] | None = None) -> None:
    """An allocation-list row announcing ``person`` (as the import would write it)."""
    from ankommen.housing.models import Allocation, AllocationImport

    source, _created = AllocationImport.objects.get_or_create(
        county=person.county, sha256=f"test-{person.county_id}", defaults={"file_name": "t.csv"}
    )
    Allocation.objects.create(
        county=person.county,
        number=f"Z-{person.pk}",
        source=source,
        household=person.household,
        person=person,
        planned_arrival=arrival,
        needs=needs or [],
        fingerprint=f"fp-{person.pk}",
    )
