"""axe-core on the states of pages that the role journeys do not reach: error messages, empty
results, the lockout page, unknown addresses. Every ``journey.check`` requires zero WCAG 2.1 AA
violations (see tests/e2e/journey.py)."""

from __future__ import annotations

import pytest

from ankommen.core.models import Role
from tests.e2e.conftest import World
from tests.e2e.journey import Journey

pytestmark = pytest.mark.slow


def test_axe_finds_violations_on_a_faulty_page(journey: Journey, live_server) -> None:  # type: ignore[no-untyped-def]
    """The check can fail: a page with an unlabelled field and an image without text."""
    faulty = "<html><head><title>x</title></head><body><img src='/x.png'><input></body></html>"
    journey.page.route(
        "**/faulty/", lambda route: route.fulfill(body=faulty, content_type="text/html")
    )
    journey.page.goto(f"{live_server.url}/faulty/")
    found = {violation["id"] for violation in journey.axe_violations()}
    assert {"image-alt", "label", "html-has-lang"} <= found


def test_error_and_empty_states(journey: Journey, world: World) -> None:
    user = world.staff(Role.COUNTY_CASEWORKER)
    page = journey.page

    journey.visit("/konto/anmelden/", "login")
    page.get_by_label("Benutzername").fill(user.username)
    page.get_by_label("Passwort").fill("wrong password")
    journey.submit(page.get_by_role("button", name="Anmelden").click, "login-failed")
    assert page.get_by_role("alert").count() == 1

    journey.log_in(user.username)
    journey.visit("/suche/?q=", "search-empty-query")
    assert page.get_by_role("alert").inner_text()
    journey.visit("/suche/?q=Zzyzx", "search-no-match")
    assert "Keine Person gefunden." in journey.text()
    journey.visit("/gibt-es-nicht/", "unknown-address", status=404)
    journey.visit("/bereiche/gibt-es-nicht/", "unknown-field", status=404)


def test_lockout_page(journey: Journey, world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    user = world.staff(Role.COUNTY_CASEWORKER)
    page = journey.page
    journey.visit("/konto/anmelden/", "login")
    for attempt, status in ((1, 200), (2, 429)):
        page.get_by_label("Benutzername").fill(user.username)
        page.get_by_label("Passwort").fill("wrong password")
        button = page.get_by_role("button", name="Anmelden")
        journey.submit(button.click, f"attempt-{attempt}", status=status)
    assert page.get_by_role("heading", level=1).inner_text() == "Konto vorübergehend gesperrt"


def test_audit_log_with_entries(journey: Journey, world: World) -> None:
    journey.log_in(world.staff(Role.AUDITOR).username)
    journey.visit("/protokoll/", "audit-log")
    assert journey.page.locator("tbody tr").count() > 0


def test_forms_for_households_and_persons(journey: Journey, world: World) -> None:
    """Every form of the people app, empty and with its error summary, then filled in."""
    page = journey.page
    journey.log_in(world.staff(Role.COUNTY_CASEWORKER).username)

    journey.visit("/haushalte/neu/", "household-form")
    journey.submit(page.get_by_role("button", name="Haushalt anlegen").click, "household-errors")
    assert page.locator(".error-summary").count() == 1
    page.get_by_label("Haushaltsnummer").fill("HH-2025-0100")
    journey.submit(page.get_by_role("button", name="Haushalt anlegen").click, "household-made")
    assert "HH-2025-0100" in page.get_by_role("heading", level=1).inner_text()
    household = page.url.rstrip("/").rsplit("/", 1)[-1]

    journey.visit(f"/haushalte/{household}/personen/neu/", "person-form")
    journey.submit(page.get_by_role("button", name="Person speichern").click, "person-errors")
    assert page.locator(".error-summary").count() == 1

    person = world.family.members.order_by("pk").first()
    assert person is not None
    for path, step in (
        (f"/personen/{person.pk}/", "person"),
        (f"/personen/{person.pk}/bearbeiten/", "person-edit"),
        (f"/personen/{person.pk}/aufenthaltsstatus/neu/", "status-form"),
        (f"/personen/{person.pk}/schutzbedarf/neu/", "need-form"),
        (f"/personen/{person.pk}/einwilligungen/neu/", "consent-form"),
    ):
        journey.visit(path, step)
