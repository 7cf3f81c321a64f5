"""Journeys in a real browser: every role logs in and does its daily path; a caseworker is denied
another provider's household. Each page visited is screenshotted and checked with axe-core."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ankommen.core.models import Role
from tests.e2e.conftest import World
from tests.e2e.journey import Journey

pytestmark = pytest.mark.slow

# What each role is expected to see, written down here on purpose (not read from core.access):
# if the rules change, these journeys say so.
SEES_PERSONS = {
    Role.COUNTY_ADMIN,
    Role.COUNTY_CASEWORKER,
    Role.SHELTER_MANAGER,
    Role.PROVIDER_CASEWORKER,
    Role.HEALTH_STAFF,
    Role.EDUCATION_COORDINATOR,
    Role.JOB_COACH,
    Role.VOLUNTEER_COORDINATOR,
    Role.VOLUNTEER,
}
SEES_RESIDENCE_STATUS = {
    Role.COUNTY_ADMIN,
    Role.COUNTY_CASEWORKER,
    Role.SHELTER_MANAGER,
    Role.PROVIDER_CASEWORKER,
    Role.HEALTH_STAFF,
    Role.JOB_COACH,
}
SEES_AUDIT_LOG = {Role.COUNTY_ADMIN, Role.AUDITOR}
COUNTY_WIDE = {
    Role.COUNTY_ADMIN,
    Role.COUNTY_CASEWORKER,
    Role.HEALTH_STAFF,
    Role.EDUCATION_COORDINATOR,
    Role.VOLUNTEER_COORDINATOR,
}


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_each_role_logs_in_works_and_logs_out(journey: Journey, world: World, role: Role) -> None:
    user = world.staff(role)
    page = journey.page

    journey.log_in(user.username)
    assert page.get_by_role("heading", level=1).inner_text() == "Übersicht"
    assert str(role.label) in journey.text()
    nav = page.get_by_role("navigation", name="Handlungsfelder")
    counts = re.search(r"(\d+) Haushalte? mit (\d+) Personen", journey.text())
    assert counts is not None, "the overview counts the households one sees"
    if role in COUNTY_WIDE:
        assert counts.groups() == ("2", "3")
    elif role in SEES_PERSONS:
        assert counts.groups() == ("1", "2")
    else:
        assert counts.groups() == ("0", "0")

    if role in SEES_PERSONS:
        journey.follow(nav.get_by_role("link", name="Personensuche"), "search")
        # A transliteration variant of "Muhammad Al-Hassan", without the particle.
        page.get_by_label("Name").fill("Mohammed Hassan")
        journey.submit(page.get_by_role("button", name="Suchen").click, "search-results")
        results = page.get_by_role("table")
        assert "Muhammad Al-Hassan" in results.inner_text()
        assert "Kovalenko" not in results.inner_text()

        journey.follow(page.get_by_role("link", name="HH-2025-0001"), "household")
        timeline = page.locator("ol.timeline").inner_text()
        assert "Einreise nach Deutschland" in timeline
        assert "Unterbringung: Gemeinschaftsunterkunft Am See – Beginn" in timeline
        if role in SEES_RESIDENCE_STATUS:
            assert "Aufenthaltsgestattung" in timeline
        else:
            assert "Aufenthaltsgestattung" not in journey.text()
    else:
        assert nav.get_by_role("link", name="Personensuche").count() == 0
        journey.visit("/suche/", "search-forbidden", status=403)
        assert "Muhammad" not in journey.text()
        journey.follow(nav.get_by_role("link", name="Planung und Kosten"), "field-planning")

    if role in SEES_AUDIT_LOG:
        journey.follow(nav.get_by_role("link", name="Protokoll"), "audit-log")
        assert page.get_by_role("heading", level=1).inner_text() == "Protokoll"
    else:
        assert nav.get_by_role("link", name="Protokoll").count() == 0

    journey.log_out()
    journey.visit("/", "login-again")
    assert "/konto/anmelden/" in page.url


def test_every_field_of_action_page(journey: Journey, world: World) -> None:
    journey.log_in(world.staff(Role.COUNTY_ADMIN).username)
    nav = journey.page.get_by_role("navigation", name="Handlungsfelder")
    titles = [link.inner_text() for link in nav.get_by_role("link").all()]
    fields = titles[titles.index("Personensuche") + 1 : titles.index("Protokoll")]
    assert len(fields) == 7
    for title in fields:
        journey.follow(nav.get_by_role("link", name=title, exact=True), f"field-{title[:12]}")
        assert journey.page.get_by_role("heading", level=1).inner_text() == title


def test_staff_confirm_login_with_a_totp_code(journey: Journey, world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ANKOMMEN_REQUIRE_2FA = True
    user = world.staff(Role.COUNTY_CASEWORKER)
    page = journey.page

    journey.log_in(user.username, step="totp-setup")
    assert "/konto/zweiter-faktor/" in page.url
    assert page.get_by_role(
        "img", name="QR-Code zur Einrichtung der Authenticator-App"
    ).is_visible()
    journey.visit("/suche/?q=Hassan", "totp-still-required", status=200)
    assert "/konto/zweiter-faktor/" in page.url, "pages stay closed until the code is confirmed"

    device = TOTPDevice.objects.get(user=user)
    valid = {
        f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"
        for drift in (-1, 0, 1)
    }
    wrong = next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in valid)
    page.get_by_label("Sechsstelliger Code").fill(wrong)
    journey.submit(page.get_by_role("button", name="Bestätigen").click, "totp-wrong-code")
    assert "Der Code stimmt nicht" in journey.text()

    # One failure locks the device for a second (django-otp throttling); wait that out.
    for _ in range(50):
        device.refresh_from_db()
        if device.verify_is_allowed()[0]:
            break
        page.wait_for_timeout(100)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    page.get_by_label("Sechsstelliger Code").fill(code)
    journey.submit(page.get_by_role("button", name="Bestätigen").click, "search-after-totp")
    # Back to the page that was asked for before the code.
    assert page.get_by_role("heading", level=1).inner_text() == "Personensuche"
    device.refresh_from_db()
    assert device.confirmed


def test_switching_the_language_to_english(journey: Journey, world: World) -> None:
    journey.log_in(world.staff(Role.COUNTY_CASEWORKER).username)
    page = journey.page
    assert page.locator("html").get_attribute("lang") == "de"

    page.get_by_label("Sprache").select_option("en")
    journey.submit(page.get_by_role("button", name="Wechseln").click, "english")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#language-select").input_value() == "en"
    assert "/konto/anmelden/" not in page.url, "switching keeps one logged in and on the page"

    journey.visit("/suche/", "english-next-page")
    assert page.locator("html").get_attribute("lang") == "en", "the choice is remembered"


def test_provider_caseworker_cannot_open_another_providers_household(
    journey: Journey, world: World
) -> None:
    user = world.staff(Role.PROVIDER_CASEWORKER)
    page = journey.page
    journey.log_in(user.username)

    journey.visit(f"/haushalte/{world.other_household.pk}/", "denied", status=404)
    body = journey.text()
    for secret in ("HH-2025-0002", "Kovalenko", "Olena", "Ukrain"):
        assert secret not in body
    assert page.get_by_role("heading", level=1).inner_text() == "Nicht gefunden"

    journey.visit("/suche/?q=Olena+Kovalenko", "search-other-provider")
    assert "0 Treffer" in journey.text()
    assert "Kovalenko" not in page.locator("main").inner_text().replace("Olena Kovalenko", "")

    journey.visit(f"/haushalte/{world.family.pk}/", "own-household")
    assert "Muhammad Al-Hassan" in journey.text()
