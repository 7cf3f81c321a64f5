"""Browser journeys of the health app: a health worker screens a person with the RHS-15 in a
right-to-left language (placeholder item texts), and a caseworker is denied the health record
and sees only the need."""

from __future__ import annotations

import pytest

from ankommen.algorithms import rhs
from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role
from ankommen.health import services
from ankommen.people.models import Person
from tests.e2e.conftest import World
from tests.e2e.journey import Journey

pytestmark = pytest.mark.slow

SECRET_NOTE = "MARKER-Befund-e2e-91"


def _father(world: World) -> Person:
    return Person._base_manager.get(household=world.family, given_names="Muhammad")


def test_an_rhs15_screening(journey: Journey, world: World) -> None:
    services.load_instrument_text(
        actor=None, county=world.county, raw=rhs.placeholder_file(language="ar", direction="rtl")
    )
    person = _father(world)
    user = world.staff(Role.HEALTH_STAFF)
    page = journey.page
    journey.log_in(user.username)

    journey.visit(f"/personen/{person.pk}/", "person")
    journey.follow(page.get_by_role("link", name="Gesundheitsakte öffnen"), "health-record")
    assert "Dieser Zugriff wurde protokolliert" in journey.text()
    journey.follow(page.get_by_role("link", name="Screening durchführen"), "screening-form")
    instrument = page.locator("div.instrument")
    assert instrument.get_attribute("dir") == "rtl"
    assert instrument.get_attribute("lang") == "ar"
    assert "[PLATZHALTER Item 1]" in journey.text()

    # Items 1-3 "2", items 4-14 "1": total 17 (cut-off 12); thermometer 6 (cut-off 5).
    for number in range(1, 15):
        page.locator(f"#id_item_{number}_{2 if number <= 3 else 1}").check()
    page.locator("#id_item_15_6").check()
    journey.submit(
        page.get_by_role("button", name="Auswerten und speichern").click, "screening-saved"
    )
    body = journey.text()
    assert "Das Screening wurde gespeichert." in body
    assert "auffällig: Überweisung anbieten" in body
    assert "Bedarf: psychosoziale Unterstützung" in body
    assert "17 / 12" in body
    assert "Psychosoziale Beratung" in body  # the referral offered
    assert AuditEvent.objects.filter(action="read", person_id=person.pk).count() == 2


def test_a_denied_health_read(journey: Journey, world: World) -> None:
    person = _father(world)
    services.record_examination(
        actor=None,
        person=person,
        examined_on=person.allocated_on,
        result="treatment",
        follow_up_needed=True,
        notes=SECRET_NOTE,
    )
    user = world.staff(Role.COUNTY_CASEWORKER)
    page = journey.page
    journey.log_in(user.username)

    journey.visit(f"/personen/{person.pk}/", "person-with-need")
    body = journey.text()
    assert "Bedarf: ärztliche Nachuntersuchung" in body
    assert SECRET_NOTE not in body
    assert page.get_by_role("link", name="Gesundheitsakte öffnen").count() == 0

    reads = AuditEvent.objects.filter(action="read", object_type="people.person").count()
    journey.visit(f"/gesundheit/personen/{person.pk}/", "health-denied", status=403)
    assert page.get_by_role("heading", level=1).inner_text() == "Keine Berechtigung"
    assert SECRET_NOTE not in journey.text()
    assert "behandlungsbedürftig" not in journey.text()
    assert AuditEvent.objects.filter(action="read", object_type="people.person").count() == reads
