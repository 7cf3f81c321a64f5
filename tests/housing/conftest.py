from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from ankommen.core.models import Role
from ankommen.housing import services
from ankommen.housing.models import Move
from tests.factories import CountyFactory, MunicipalityFactory
from tests.housing.support import beds_of, facility, household, room, staff

SINCE = date(2023, 1, 1)


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """``@pytest.mark.postgres`` tests need PostgreSQL (row locks, real concurrency)."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="braucht PostgreSQL (DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _placement_inline(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ANKOMMEN_PLACEMENT_IN_BACKGROUND = False


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:  # type: ignore[no-untyped-def]
    """Staff accounts are created in most tests; Argon2 would cost half a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    """A county with two facilities in two municipalities: a mother and child in GU Beeskow
    since 15 Jan 2024 (room 1 of 2 beds; room 2 has 3 more), a single man in GU Storkow."""
    county = CountyFactory()
    town = MunicipalityFactory(county=county, name="Beeskow")
    village = MunicipalityFactory(county=county, name="Storkow (Mark)")
    gu1 = facility(county, name="GU Beeskow", municipality=town, rooms={"1": 2}, since=SINCE)
    services.create_room(actor=None, site=gu1, number="2", beds=3, valid_from=SINCE)
    gu2 = facility(county, name="GU Storkow", municipality=village, rooms={"7": 4}, since=SINCE)
    caseworker = staff(county, Role.COUNTY_CASEWORKER).user
    home, (mother, _child) = household(county, ("w", 1985), ("w", 2018), reference="HH-A")
    services.move_household(
        actor=caseworker,
        household=home,
        day=date(2024, 1, 15),
        reason=Move.Reason.ALLOCATION,
        rooms=[room(gu1, "1")],
    )
    single, (man,) = household(county, ("m", 1990), reference="HH-B")
    services.assign_bed(
        actor=caseworker, person=man, bed=beds_of(gu2, "7")[0], valid_from=date(2024, 6, 3)
    )
    return {
        "county": county,
        "town": town,
        "village": village,
        "gu1": gu1,
        "gu2": gu2,
        "caseworker": caseworker,
        "home": home,
        "mother": mother,
        "single": single,
        "man": man,
    }
