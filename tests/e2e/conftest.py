"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is downloaded: Playwright is pointed at the system Chromium (``ANKOMMEN_CHROMIUM``,
default ``/usr/bin/chromium``). Without it the browser tests are skipped with a message, except
on CI (``CI`` set), where a missing browser is an error so the suite cannot pass by skipping.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.db import connection
from django.db.models.signals import post_migrate

from ankommen.core.models import County, Provider, Role, Scope, Site, User
from ankommen.people import services
from ankommen.people.models import Household, Person, Responsibility
from tests.e2e.journey import AXE_SCRIPT, Journey
from tests.factories import (
    CountyFactory,
    MembershipFactory,
    ProviderFactory,
    ResponsibilityFactory,
    SiteFactory,
    UserFactory,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path(os.environ.get("ANKOMMEN_CHROMIUM", "/usr/bin/chromium"))
# Headless, no network beyond loopback, no background services that phone home.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Chromium resolves "localhost" to ::1 first; the live server listens on IPv4.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


def unavailable(reason: str) -> None:
    """Skip locally, fail on CI: CI installs Chromium, so a missing browser there is a bug."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        unavailable(
            f"Browser tests skipped: no Chromium at {CHROMIUM} "
            "(apt-get install chromium, or set ANKOMMEN_CHROMIUM)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Browser tests skipped: Playwright is not installed (make install)")
    # Playwright's sync API keeps an event loop running in this thread while the browser is
    # open; Django's ORM refuses to run next to one (SynchronousOnlyOperation) although the test
    # code is synchronous. Allowed only while the browser is open (package scope: e2e only).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


_TRIGGERS = importlib.import_module("ankommen.audit.migrations.0003_append_only_triggers")


@pytest.fixture
def audit_flushable(transactional_db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Let the flush after a live-server test empty the append-only audit table.

    Transactional tests end with a flush of every table, which the audit triggers refuse. This
    fixture is torn down just before that flush: it drops the triggers and re-creates them when
    the flush announces its end (``post_migrate``), so later tests still meet them.
    """
    yield
    vendor = connection.vendor

    def reinstall(**kwargs: object) -> None:
        post_migrate.disconnect(dispatch_uid="e2e-audit-triggers")
        with connection.cursor() as cursor:
            for statement in {"sqlite": _TRIGGERS.SQLITE_UP, "postgresql": _TRIGGERS.POSTGRES_UP}[
                vendor
            ]:
                cursor.execute(statement)

    with connection.cursor() as cursor:
        for statement in {"sqlite": _TRIGGERS.SQLITE_DOWN, "postgresql": _TRIGGERS.POSTGRES_DOWN}[
            vendor
        ]:
            cursor.execute(statement)
    post_migrate.connect(reinstall, weak=False, dispatch_uid="e2e-audit-triggers")


@pytest.fixture
def page(browser: Browser, live_server, audit_flushable) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    if not AXE_SCRIPT.exists():
        unavailable(f"Browser tests skipped: {AXE_SCRIPT} is missing (make install copies it)")
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def journey(page: Page, request: pytest.FixtureRequest) -> Journey:
    """A journey records a screenshot and an axe-core check of every page it visits."""
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    return Journey(page, name)


@dataclass
class World:
    """A small county: two providers, one shelter, a family the first provider looks after and
    a household of the second provider that the first must never see."""

    county: County
    provider: Provider
    other_provider: Provider
    site: Site
    family: Household
    other_household: Household

    def staff(self, role: Role, *, username: str | None = None) -> User:
        """A staff member with ``role`` and the scope that role typically has."""
        scope = TYPICAL_SCOPE.get(role, Scope.COUNTY)
        user = UserFactory(username=username or role.value, display_name=f"Test {role.label}")
        MembershipFactory(
            user=user,
            county=self.county,
            role=role,
            scope=scope,
            provider=self.provider if scope == Scope.PROVIDER else None,
            site=self.site if scope == Scope.FACILITY else None,
        )
        if scope == Scope.CASELOAD:
            ResponsibilityFactory(
                household=self.family, kind=Responsibility.Kind.MENTORING, caseworker=user
            )
        return user


TYPICAL_SCOPE = {
    Role.SHELTER_MANAGER: Scope.FACILITY,
    Role.PROVIDER_CASEWORKER: Scope.PROVIDER,
    Role.JOB_COACH: Scope.PROVIDER,
    Role.VOLUNTEER: Scope.CASELOAD,
}


@pytest.fixture
def world(transactional_db, settings) -> World:  # type: ignore[no-untyped-def]
    # Argon2 costs a noticeable part of a second per password on 2 cores; the journeys are not
    # about the hash, so they use a fast one (the server thread sees the setting too).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    county = CountyFactory(slug="oder-spree", name="Landkreis Oder-Spree")
    provider = ProviderFactory(county=county, name="Migrationsdienst Nord")
    other_provider = ProviderFactory(county=county, name="Migrationsdienst Süd")
    site = SiteFactory(county=county, provider=provider, name="Gemeinschaftsunterkunft Am See")

    family = services.create_household(actor=None, county=county, reference="HH-2025-0001")
    father = services.create_person(
        actor=None,
        household=family,
        family_name="Al-Hassan",
        given_names="Muhammad",
        birth_date="1986-03-00",
        sex="m",
        nationalities=["SYR"],
        languages=["ara", "eng"],
        arrived_in_germany_on=date(2024, 9, 2),
        allocated_on=date(2024, 10, 1),
    )
    services.create_person(
        actor=None,
        household=family,
        family_name="Al-Hassan",
        given_names="Yusuf",
        birth_date="2016-07-14",
        sex="m",
        household_role=Person.HouseholdRole.CHILD,
        nationalities=["SYR"],
        languages=["ara"],
        arrived_in_germany_on=date(2024, 9, 2),
        allocated_on=date(2024, 10, 1),
    )
    services.record_residence_status(
        actor=None, person=father, kind="gestattung", valid_from=date(2024, 9, 20)
    )
    services.assign_responsibility(
        actor=None,
        household=family,
        kind=Responsibility.Kind.ACCOMMODATION,
        valid_from=date(2024, 10, 1),
        provider=provider,
        site=site,
    )

    other_household = services.create_household(actor=None, county=county, reference="HH-2025-0002")
    services.create_person(
        actor=None,
        household=other_household,
        family_name="Kovalenko",
        given_names="Olena",
        birth_date="1979-11-03",
        sex="w",
        nationalities=["UKR"],
        languages=["ukr"],
    )
    services.assign_responsibility(
        actor=None,
        household=other_household,
        kind=Responsibility.Kind.CASEWORK,
        valid_from=date(2024, 5, 1),
        provider=other_provider,
    )
    return World(county, provider, other_provider, site, family, other_household)
