"""Browser journey: a provider's caseworker records a counselling contact with a referral,
finds the overdue follow-up on the worklist and sees both in the household's timeline; a
caseworker of another provider is refused the case. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ankommen.casework import services as casework
from ankommen.core.models import Role
from ankommen.people import services as people
from ankommen.people.models import Consent, Person
from tests.e2e.conftest import World
from tests.e2e.journey import Journey
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.slow


def test_a_counselling_contact_with_a_referral(journey: Journey, world: World) -> None:
    page = journey.page
    today = timezone.localdate()
    worker = world.staff(Role.PROVIDER_CASEWORKER)
    head = Person._base_manager.filter(household=world.family).order_by("birth_year").first()
    assert head is not None
    people.record_consent(
        actor=None,
        person=head,
        purpose=Consent.Purpose.SHARE_WITH_PROVIDER,
        given_on=date(2024, 10, 1),
    )
    case = casework.open_case(
        actor=None,
        household=world.family,
        provider=world.provider,
        opened_on=today - timedelta(days=30),
        caseworker=worker,
    )

    journey.log_in(worker.username)
    journey.follow(page.get_by_role("link", name="Beratung und Betreuung").first, "field")
    journey.follow(page.get_by_role("link", name="Laufende Fälle"), "cases")
    journey.follow(page.get_by_role("link", name="HH-2025-0001"), "case")

    contact = page.get_by_role("form", name="Beratungskontakt eintragen")
    contact.get_by_label("Datum").fill(today.isoformat())
    contact.get_by_label("Dauer (Minuten)").fill("45")
    contact.get_by_label("Ort").select_option("unterkunft")
    contact.get_by_label("Sprache", exact=True).fill("Arabisch")
    contact.get_by_label("mit Sprachmittlung").check()
    contact.get_by_label("Sprache und Integrationskurs").check()
    contact.get_by_label("Kurznotiz").fill("Kursanmeldung besprochen")
    contact.get_by_label("Vertrauliche Notiz").fill("Nur für unseren Träger")
    journey.follow(contact.get_by_role("button", name="Kontakt speichern"), "contact-saved")
    assert "Beratungskontakt eingetragen." in journey.text()
    assert "Nur für unseren Träger" in journey.text()

    referral = page.get_by_role("form", name="Weitervermitteln")
    referral.get_by_label("Angebot").select_option("sprachkurs")
    referral.get_by_label("Stelle").fill("Sprachschule Fürstenwalde")
    referral.get_by_label("vermittelt am").fill((today - timedelta(days=10)).isoformat())
    referral.get_by_label("Wiedervorlage").fill((today - timedelta(days=1)).isoformat())
    journey.follow(
        referral.get_by_role("button", name="Weitervermittlung speichern"), "referral-saved"
    )
    assert "Weitervermittlung eingetragen." in journey.text()
    assert "überfällig" in journey.text()

    journey.visit("/beratung/wiedervorlagen/?eigene=1", "worklist")
    assert "Sprachschule Fürstenwalde" in journey.text()
    assert "HH-2025-0001" in journey.text()

    journey.visit(f"/haushalte/{world.family.pk}/", "household")
    timeline = page.get_by_role("region", name="Verlauf").inner_text()
    assert "Beratung (45 Min.): Sprache und Integrationskurs" in timeline
    assert "Weitervermittlung: Sprach- oder Integrationskurs – vermittelt" in timeline
    assert "Nur für unseren Träger" not in timeline
    journey.log_out()

    # A caseworker of the other provider: the case is out of reach.
    stranger = UserFactory(username="fremd", display_name="Fremde Fachkraft")
    MembershipFactory(
        user=stranger,
        county=world.county,
        role=Role.PROVIDER_CASEWORKER,
        scope="provider",
        provider=world.other_provider,
    )
    journey.log_in(stranger.username)
    journey.visit(f"/beratung/faelle/{case.pk}/", "case-denied", status=404)
    assert "Nur für unseren Träger" not in journey.text()


def test_the_county_opens_a_case_and_sees_the_caseload(journey: Journey, world: World) -> None:
    page = journey.page
    worker = world.staff(Role.COUNTY_CASEWORKER)
    journey.log_in(worker.username)
    journey.visit(f"/beratung/haushalte/{world.family.pk}/", "household-cases")
    assert "Für Sie ist hier kein Fall sichtbar." in journey.text()
    form = page.get_by_role("form", name="Fall eröffnen")
    form.get_by_label("Träger").select_option(label="Migrationsdienst Nord")
    journey.follow(form.get_by_role("button", name="Fall eröffnen"), "case-opened")
    assert "Fall eröffnet." in journey.text()
    journey.visit("/beratung/wiedervorlagen/", "worklist-empty")
    assert "Keine überfälligen Wiedervorlagen." in journey.text()
    journey.visit("/beratung/personalschluessel/", "caseload")
    assert "höchstens 80 Haushalte je Vollzeitstelle" in journey.text()
    assert "Verbindlichkeit ungeprüft" in journey.text()
    providers = page.get_by_role("table", name="Träger").inner_text()
    assert "Migrationsdienst Nord" in providers
