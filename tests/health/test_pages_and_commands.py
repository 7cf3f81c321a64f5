from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ankommen.algorithms import rhs
from ankommen.audit.models import AuditEvent
from ankommen.health.models import HealthNeed, InstrumentText, Referral, Screening
from tests.health import support

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reading_a_record_is_audited_with_its_purpose():
    world = support.build()
    before = AuditEvent.objects.filter(action="read").count()
    response = _client(world.health).get(f"/gesundheit/personen/{world.person.pk}/?zweck=screening")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="read").latest("sequence")
    assert AuditEvent.objects.filter(action="read").count() == before + 1
    assert (event.person_id, event.purpose, event.actor) == (
        world.person.pk,
        "Psychosoziales Screening",
        world.health,
    )
    api = _client(world.health).get(
        f"/api/v1/persons/{world.person.pk}/health/?purpose=Sprechstunde"
    )
    assert api.status_code == 200
    assert api.json()["screenings"][0]["result"]["positive"] is True
    assert AuditEvent.objects.filter(action="read").latest("sequence").purpose == "Sprechstunde"


def test_health_roles_of_another_county_and_other_roles_are_refused():
    world = support.build()
    path = f"/gesundheit/personen/{world.person.pk}/"
    assert _client(world.other_health).get(path).status_code == 404
    assert _client(world.caseworker).get(path).status_code == 403
    api = _client(world.caseworker).get(f"/api/v1/persons/{world.person.pk}/health/")
    assert api.status_code == 403
    assert api["Content-Type"] == "application/problem+json"


def test_a_positive_screening_offers_a_referral_and_sets_a_rescreen_date(settings):
    world = support.build()
    screening = world.screening
    assert screening.result["positive"] is True
    assert screening.rescreen_on == screening.screened_on + timezone.timedelta(
        days=settings.ANKOMMEN_RHS_RESCREEN_DAYS
    )
    offered = Referral.objects.get(screening=screening)
    assert offered.status == Referral.Status.OFFERED
    assert HealthNeed.objects.filter(person=world.person, kind="psychosocial").count() == 1


def test_the_screening_form_renders_the_loaded_text_right_to_left_and_scores():
    world = support.build()
    client = _client(world.health)
    page = client.get(f"/gesundheit/personen/{world.person.pk}/screening/").content.decode()
    assert 'dir="rtl"' in page
    assert 'lang="ar"' in page
    assert "[PLATZHALTER Item 15]" in page
    text = InstrumentText.objects.get(county=world.county, active=True)
    data = {"text": text.pk, "instrument": "RHS-13", "screened_on": timezone.localdate()}
    data |= {f"item_{n}": 1 for n in range(1, 13)}  # item 13 missing
    response = client.post(f"/gesundheit/personen/{world.person.pk}/screening/", data)
    assert response.status_code == 400
    assert "Item 13: Antwort fehlt." in response.content.decode()
    data["item_13"] = 0
    response = client.post(f"/gesundheit/personen/{world.person.pk}/screening/", data)
    assert response.status_code == 302
    latest = Screening.objects.filter(person=world.person).latest("pk")
    assert (latest.instrument, latest.result["total"], latest.result["positive"]) == (
        "RHS-13",
        12,
        True,
    )


def test_rhs_load_command_validates_and_loads(tmp_path):
    world = support.build()
    good = tmp_path / "rhs-fa.json"
    good.write_text(rhs.placeholder_file(language="fa", direction="rtl"), encoding="utf-8")
    out = StringIO()
    call_command(
        "rhs", "load", str(good), "--county", world.county.slug, "--format", "json", stdout=out
    )
    assert json.loads(out.getvalue()) == {
        "ok": True,
        "instrument": "RHS-15",
        "language": "fa",
        "direction": "rtl",
        "items": 15,
    }
    bad = tmp_path / "bad.json"
    data = json.loads(rhs.placeholder_file(language="ti"))
    data["items"].pop()
    bad.write_text(json.dumps(data, indent=2), encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "rhs",
            "load",
            str(bad),
            "--county",
            world.county.slug,
            "--format",
            "json",
            stdout=out,
            stderr=err,
        )
    assert exit_info.value.code == 1
    assert json.loads(out.getvalue())["ok"] is False
    assert "es fehlen Item(s) 15" in err.getvalue()
    assert not InstrumentText.objects.filter(language="ti").exists()


def test_booking_respects_the_places_of_a_consultation_hour():
    world = support.build()
    from ankommen.health import services
    from tests.factories import HouseholdFactory, PersonFactory

    world.hour.places = 1
    world.hour.save()
    other = PersonFactory(household=HouseholdFactory(county=world.county))
    with pytest.raises(Exception, match="ausgebucht"):
        services.book(actor=world.health, hour=world.hour, person=other)


def test_the_worklist_shows_due_rescreens_and_follow_ups_and_audits_each_person(settings):
    settings.ANKOMMEN_RHS_RESCREEN_DAYS = 1
    world = support.build()  # screened three days ago: re-screening overdue
    reads = AuditEvent.objects.filter(action="read", person_id=world.person.pk).count()
    page = _client(world.health).get("/gesundheit/erinnerungen/").content.decode()
    assert "Quendolin" in page
    assert "erneutes Screening" in page
    assert AuditEvent.objects.filter(action="read", person_id=world.person.pk).count() == reads + 1
    assert (
        "Quendolin"
        not in _client(world.other_health).get("/gesundheit/erinnerungen/").content.decode()
    )


def test_referral_status_and_attendance_change_from_the_record():
    world = support.build()
    client = _client(world.health)
    referral = Referral.objects.filter(person=world.person).exclude(screening=None).get()
    response = client.post(
        f"/gesundheit/personen/{world.person.pk}/ueberweisungen/{referral.pk}/status/",
        {"status": "accepted"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"
    booking = world.person.health_bookings.get()
    client.post(
        f"/gesundheit/personen/{world.person.pk}/termine/{booking.pk}/teilnahme/",
        {"status": "missed"},
    )
    booking.refresh_from_db()
    assert booking.attendance == "missed"


def test_a_cancelled_appointment_can_be_booked_again():
    from ankommen.health import services

    world = support.build()
    booking = world.person.health_bookings.get()
    services.set_attendance(actor=world.health, booking=booking, attendance="cancelled")
    again = services.book(actor=world.health, hour=world.hour, person=world.person)
    assert again.pk == booking.pk
    assert again.attendance == "booked"
    with pytest.raises(Exception, match="schon einen Termin"):
        services.book(actor=world.health, hour=world.hour, person=world.person)
