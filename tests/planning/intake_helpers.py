"""Shared set-up for the intake-planning tests: allocated persons and a facility with beds."""

from __future__ import annotations

from datetime import date

from ankommen.core.models import County, Site
from ankommen.housing import services as housing
from ankommen.housing.models import Allocation, AllocationImport, Bed
from tests.factories import PersonFactory, SiteFactory


def allocate(county: County, day: date, persons: int) -> None:
    """``persons`` persons allocated to the county, arriving on ``day``."""
    source = AllocationImport.objects.create(
        county=county, file_name=f"liste-{day}-{persons}.csv", sha256=f"{day}{persons}{county.pk}"
    )
    for _ in range(persons):
        person = PersonFactory(household__county=county)
        Allocation.objects.create(
            county=county,
            number=f"Z-{person.pk}",
            source=source,
            household=person.household,
            person=person,
            planned_arrival=day,
            fingerprint="x",
        )


def facility(county: County, name: str, *, beds: int, day: date) -> tuple[Site, list[Bed]]:
    site = SiteFactory(county=county, name=name)
    room = housing.create_room(actor=None, site=site, number="1", beds=beds, valid_from=day)
    return site, list(room.beds.order_by("pk"))
