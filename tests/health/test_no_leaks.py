"""No health value leaves the health pages: every other page, API response and export, the
audit log and the captured log output are scanned for distinctive marker values stored in
the health records of every person of the matrix world. The health page itself shows them
(so the scan would see a leak), and non-health roles see only the need."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ankommen.algorithms import rhs
from ankommen.audit.models import AuditEvent
from ankommen.health import services
from ankommen.people.models import Person
from tests.access.endpoints import ENDPOINTS, Rule
from tests.access.matrix import SUBJECTS
from tests.access.world import World, build_world
from tests.health.support import MARKERS, POSITIVE

pytestmark = pytest.mark.django_db

HEALTH_URLS = ("health:", "api-health", "api-screenings")


def _record_markers(world: World, person: Person) -> None:
    day = timezone.localdate() - timedelta(days=1)
    services.record_examination(
        actor=None,
        person=person,
        examined_on=day,
        result="treatment",
        follow_up_needed=True,
        notes=MARKERS["exam_notes"],
    )
    services.record_vaccination(
        actor=None, person=person, vaccine=MARKERS["vaccine"], offered_on=day
    )
    services.record_condition(actor=None, person=person, details=MARKERS["condition"], noted_on=day)
    services.record_screening(
        actor=None,
        person=person,
        text=world.instrument_texts[person.county_id],
        instrument=rhs.RHS15,
        answers=POSITIVE,
        screened_on=day,
    )
    services.record_referral(
        actor=None, person=person, to=MARKERS["referral_to"], reason=MARKERS["referral_reason"]
    )
    site = world.sites["other_county" if person.county_id == world.other_county.pk else "site"]
    start = timezone.now() + timedelta(days=3)
    hour = services.create_consultation_hour(
        actor=None,
        site=site,
        specialty="midwifery",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        places=1,
    )
    services.book(actor=None, hour=hour, person=person, reason=MARKERS["booking_reason"])


def _text(content: bytes) -> str:
    """What a response says, files included: a ZIP (the access export, an XLSX claim) is read
    member by member; other binary content (a PDF) as far as it decodes."""
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode(errors="replace") for name in archive.namelist()
            )
    return content.decode(errors="replace")


def _leaks(text: str) -> list[str]:
    return [name for name, value in MARKERS.items() if value in text]


@pytest.mark.parametrize(
    "subject_key", ["county_admin@county", "county_caseworker@county", "health_staff@county"]
)
def test_no_health_value_appears_outside_the_health_pages(subject_key, caplog):
    caplog.set_level(logging.DEBUG)
    subject = next(s for s in SUBJECTS if s.key == subject_key)
    world = build_world(subject)
    for person in world.persons.values():
        _record_markers(world, person)
    web, api = Client(), Client()
    web.force_login(world.user)
    auth = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=world.user).key}"}

    scanned, found = 0, []
    for endpoint in ENDPOINTS:
        if endpoint.method != "get" or endpoint.rule == Rule.PUBLIC:
            continue
        if endpoint.name.startswith(HEALTH_URLS):
            continue
        for relation in endpoint.relations:
            path = endpoint.path(world, relation)
            response = api.get(path, **auth) if endpoint.api else web.get(path)
            scanned += 1
            if leaks := _leaks(_text(response.content)):
                found.append(f"{endpoint}[{relation}]: {leaks}")
    assert scanned > 50
    assert not found, "\n".join(found)

    # What the commands print (JSON exports of the audit check, the loaded texts, the keys).
    for command in (
        ("audit", "verify", "--format", "json"),
        ("rhs", "list", "--county", world.county.slug, "--format", "json"),
        ("keys", "check", "--format", "json"),
        ("keys", "status", "--format", "json"),
    ):
        out, err = StringIO(), StringIO()
        call_command(*command, stdout=out, stderr=err)
        assert not _leaks(out.getvalue() + err.getvalue()), command

    # The audit log (also what the audit page and any export of it show) and the log output.
    events = json.dumps(
        list(AuditEvent.objects.values("purpose", "details", "object_type")), ensure_ascii=False
    )
    assert not _leaks(events)
    assert not _leaks(caplog.text)
    assert not _leaks(" ".join(r.getMessage() for r in caplog.records))


def test_the_scan_sees_values_where_they_are_shown_and_needs_where_they_belong():
    """The health page shows the markers (so a leak would be found); the person page shows
    a caseworker the need, never the finding."""
    health = build_world(next(s for s in SUBJECTS if s.key == "health_staff@county"))
    person = health.persons["in_scope"]
    _record_markers(health, person)
    client = Client()
    client.force_login(health.user)
    page = client.get(f"/gesundheit/personen/{person.pk}/").content.decode()
    assert set(_leaks(page)) == set(MARKERS)

    caseworker = build_world(next(s for s in SUBJECTS if s.key == "county_caseworker@county"))
    person = caseworker.persons["in_scope"]
    _record_markers(caseworker, person)
    client = Client()
    client.force_login(caseworker.user)
    page = client.get(f"/personen/{person.pk}/").content.decode()
    assert "Bedarf: psychosoziale Unterstützung" in page
    assert "Bedarf: regelmäßige ärztliche Versorgung" in page
    assert not _leaks(page)
    assert "RHS" not in page
    assert client.get(f"/gesundheit/personen/{person.pk}/").status_code == 403
