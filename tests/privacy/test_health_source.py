"""The health data source: the full record for health staff and the system, a withheld note
for everyone else, its own retention category, and anonymisation that keeps the figures."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from ankommen.audit.models import AuditEvent
from ankommen.health.models import (
    Booking,
    CareRoute,
    ChronicCondition,
    Examination,
    HealthNeed,
    Referral,
    Screening,
    Vaccination,
)
from ankommen.health.privacy import GESUNDHEIT, HealthSource
from ankommen.privacy import render
from ankommen.privacy.registry import sources
from ankommen.privacy.services import export_subject_data, run_retention
from tests.health.support import MARKERS
from tests.privacy.conftest import AFTER_PERIOD, HEALTH_DUE, MOVED_OUT, add_health_records

pytestmark = pytest.mark.django_db

HEALTH_KEYS = {
    "health_needs",
    "examinations",
    "vaccinations",
    "conditions",
    "screenings",
    "health_referrals",
    "care_routes",
    "health_bookings",
}


def _json(export) -> str:
    return json.dumps(export.as_dict(), ensure_ascii=False)


def _zip_html(export) -> str:
    content = render.as_zip(export)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".html")
        )


def test_health_is_registered_with_its_own_category():
    source = next(s for s in sources() if s.key == "health")
    assert source.category is GESUNDHEIT
    assert (GESUNDHEIT.key, GESUNDHEIT.default_years, GESUNDHEIT.verified) == (
        "gesundheit",
        10,
        False,
    )
    assert "§ 630f Abs. 3 BGB" in str(GESUNDHEIT.legal_basis)


def test_health_staff_export_holds_the_decrypted_record(health_scene):
    amal = health_scene.scene.gone_persons[0]
    export = export_subject_data(actor=health_scene.officer, person_id=amal.pk)
    sections = {s.key: s for s in export.sections}
    assert set(sections) >= HEALTH_KEYS
    assert "health" not in sections  # no withheld note for health staff
    text = _json(export)
    for marker in MARKERS.values():
        assert marker in text, marker
    screening = [e.value for r in sections["screenings"].records for e in r.entries]
    assert "17" in screening  # the total of the positive RHS-15
    assert "auffällig" in screening
    assert "behandlungsbedürftig" in str(sections["examinations"].as_dict())
    assert "psychosoziale Unterstützung" in str(sections["health_needs"].as_dict())
    for key in HEALTH_KEYS:
        assert sections[key].audited_read, key
        assert "AsylbLG" in sections[key].purpose or "AsylG" in sections[key].purpose, key
        assert "ungeprüft" in sections[key].retention, key
        assert "630f" in sections[key].retention, key


def test_the_health_export_records_an_audited_read(health_scene):
    amal = health_scene.scene.gone_persons[0]
    before = AuditEvent.objects.count()
    export_subject_data(actor=health_scene.officer, person_id=amal.pk, output="zip")
    read, export = AuditEvent.objects.order_by("sequence")[before:]
    assert (read.action, read.person_id, read.actor) == ("read", amal.pk, health_scene.officer)
    assert set(read.details["categories"].split(",")) >= HEALTH_KEYS
    assert export.action == "export"
    # The log holds no health value.
    logged = json.dumps(
        list(AuditEvent.objects.values("details", "purpose")), ensure_ascii=False, default=str
    )
    assert not [marker for marker in MARKERS.values() if marker in logged]


def test_the_system_export_holds_the_record(health_scene):
    amal = health_scene.scene.gone_persons[0]
    text = _json(export_subject_data(actor=None, person_id=amal.pk))
    assert MARKERS["condition"] in text


def test_county_admin_export_withholds_every_health_value(health_scene):
    scene = health_scene.scene
    amal = scene.gone_persons[0]
    export = export_subject_data(actor=scene.admin, person_id=amal.pk)
    sections = {s.key: s for s in export.sections}
    assert not (HEALTH_KEYS - {"health_needs"}) & set(sections)
    assert sections["health"].withheld_note
    assert "Gesundheitsdienst" in sections["health"].withheld_note
    assert not sections["health"].records
    # The need is what the person page shows too (VIEW_SENSITIVE), never what is behind it.
    assert "psychosoziale Unterstützung" in str(sections["health_needs"].as_dict())
    text = _json(export)
    html = _zip_html(export)
    assert sections["health"].withheld_note in html
    leaks = [m for m in MARKERS.values() if m in text or m in html]
    assert leaks == []
    for secret in ("behandlungsbedürftig", "Summenwert", "Antwort zu Frage", "auffällig"):
        assert secret not in text
        assert secret not in html
    # The positive control: the same scan sees the markers in the health worker's export.
    assert MARKERS["exam_notes"] in _zip_html(
        export_subject_data(actor=health_scene.officer, person_id=amal.pk)
    )


def test_a_role_without_sensitive_facts_gets_only_the_note(health_scene):
    scene = health_scene.scene
    amal = scene.gone_persons[0]
    sections = list(HealthSource().export(person=amal, actor=scene.admin))
    assert [s.key for s in sections] == ["health_needs", "health"]
    from ankommen.core.models import Role, Scope
    from tests.factories import MembershipFactory

    teacher = MembershipFactory(
        county=scene.county, role=Role.EDUCATION_COORDINATOR, scope=Scope.COUNTY
    ).user
    (only,) = HealthSource().export(person=amal, actor=teacher)
    assert only.key == "health"
    assert only.withheld_note
    assert not only.audited_read


def test_health_staff_of_another_county_get_the_note(health_scene):
    from ankommen.core.models import Role, Scope
    from tests.factories import MembershipFactory

    scene = health_scene.scene
    stranger = MembershipFactory(
        county=scene.other_county, role=Role.HEALTH_STAFF, scope=Scope.COUNTY
    ).user
    keys = [s.key for s in HealthSource().export(person=scene.gone_persons[0], actor=stranger)]
    assert keys == ["health"]


def test_contact_ends_with_the_last_health_event(health_scene):
    scene = health_scene.scene
    amal = scene.gone_persons[0]
    source = HealthSource()
    ends = source.contact_ends(county=scene.county, today=AFTER_PERIOD)
    assert ends[amal.pk] == date(2022, 3, 1)
    assert scene.staying_person.pk not in ends
    # A vaccination after the move-out extends the contact; an appointment ahead keeps it open.
    Vaccination.objects.filter(person=amal).update(given_on=date(2023, 2, 1))
    assert source.contact_ends(county=scene.county, today=AFTER_PERIOD)[amal.pk] == date(2023, 2, 1)
    hour = Booking.objects.get(person=amal).hour
    hour.starts_at = hour.starts_at.replace(year=2025, month=8)
    hour.ends_at = hour.ends_at.replace(year=2025, month=8)
    hour.save()
    assert source.contact_ends(county=scene.county, today=AFTER_PERIOD)[amal.pk] is None


def _health_statistics(county) -> dict[str, object]:
    """What health statistics count: rows by kind, month, status, attendance and need."""
    of = {"county": county}
    return {
        "examinations per month": Counter(
            (d.year, d.month)
            for d in Examination.objects.filter(**of).values_list("examined_on", flat=True)
        ),
        "vaccinations": Counter(
            Vaccination.objects.filter(**of).values_list("offered_on", "given_on", "declined")
        ),
        "conditions": Counter(
            ChronicCondition.objects.filter(**of).values_list("noted_on", "need")
        ),
        "screenings per month": Counter(
            (s.instrument, s.screened_on.year, s.screened_on.month, s.interpreter)
            for s in Screening.objects.filter(**of)
        ),
        "positive screenings": Counter(
            bool(s.result.get("positive")) for s in Screening.objects.filter(**of)
        ),
        "referrals": Counter(Referral.objects.filter(**of).values_list("status", "created_on")),
        "needs": Counter(
            HealthNeed.objects.filter(**of).values_list("kind", "source", "valid_from", "valid_to")
        ),
        "care routes": Counter(
            CareRoute.objects.filter(**of).values_list("kind", "insurer", "valid_from", "valid_to")
        ),
        "bookings": Counter(
            Booking.objects.filter(**of).values_list("hour", "attendance", "interpreter_language")
        ),
    }


def test_health_statistics_are_the_same_after_anonymisation(health_scene):
    from tests.privacy.test_retention import _statistics

    scene = health_scene.scene
    before = (_statistics(scene), _health_statistics(scene.county))
    run = run_retention(actor=None, county=scene.county, today=HEALTH_DUE)
    by_key = {item.key: item for item in run.categories}
    assert by_key["gesundheit"].persons == sorted(p.pk for p in scene.gone_persons)
    assert by_key["gesundheit"].anonymised > 0
    after = (_statistics(scene), _health_statistics(scene.county))
    assert after == before
    assert before[1]["positive screenings"] == Counter({True: 1})


def test_retention_anonymises_health_data_of_due_persons_only(health_scene):
    scene = health_scene.scene
    amal = scene.gone_persons[0]
    # The staying person gets a record too: not due, must stay as it is.
    from ankommen.health import services as health

    health.record_condition(
        actor=None, person=scene.staying_person, details="STAYING-Asthma", noted_on=MOVED_OUT
    )
    # Past the three-year period, the ten-year health period still runs.
    early = run_retention(actor=None, county=scene.county, today=AFTER_PERIOD)
    assert {item.key: len(item.persons) for item in early.categories}["gesundheit"] == 0
    assert ChronicCondition.objects.get(person=amal).details == MARKERS["condition"]

    run_retention(actor=None, county=scene.county, today=HEALTH_DUE)
    exam = Examination.objects.get(person=amal)
    assert (exam.notes, exam.result, exam.follow_up_needed) == ("", "", "")
    assert Vaccination.objects.get(person=amal).vaccine == ""
    assert ChronicCondition.objects.get(person=amal).details == ""
    screening = Screening.objects.get(person=amal)
    assert (screening.answers, screening.result, screening.rescreen_on) == (
        {},
        {"positive": True},
        None,
    )
    assert {(r.to, r.reason, r.follow_up_on) for r in Referral.objects.filter(person=amal)} == {
        ("", "", None)
    }
    assert Booking.objects.get(person=amal).reason == ""
    # The export after anonymisation shows none of the values, even to health staff.
    text = _json(export_subject_data(actor=health_scene.officer, person_id=amal.pk))
    assert [m for m in MARKERS.values() if m in text] == []
    # The person not due is untouched.
    assert ChronicCondition.objects.get(person=scene.staying_person).details == "STAYING-Asthma"


def test_key_rotation_still_works_after_anonymisation(health_scene, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    # The records were written with the development key: rotate them to ``old`` first.
    from ankommen.health import crypto

    settings.FIELD_ENCRYPTION_KEYS = [old, crypto.development_key()]
    call_command("keys", "rotate", "--format", "json", stdout=StringIO(), stderr=StringIO())
    run_retention(actor=None, county=health_scene.scene.county, today=HEALTH_DUE)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    out = StringIO()
    call_command("keys", "rotate", "--format", "json", stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue())["ok"]
    settings.FIELD_ENCRYPTION_KEYS = [new]
    call_command("keys", "check", stdout=StringIO())  # exits 1 on any value it cannot read
    amal = health_scene.scene.gone_persons[0]
    assert Screening.objects.get(person=amal).result == {"positive": True}
    assert Examination.objects.get(person=amal).notes == ""


def test_without_health_data_the_note_neither_confirms_nor_denies(scene):
    # The note does not say whether there is a record: the same section without any data.
    add_health_records(scene)
    with_data = export_subject_data(actor=scene.admin, person_id=scene.gone_persons[0].pk)
    without = export_subject_data(actor=scene.admin, person_id=scene.staying_person.pk)
    note = next(s for s in with_data.sections if s.key == "health")
    assert next(s for s in without.sections if s.key == "health") == note
    assert not next(s for s in without.sections if s.key == "health_needs").records
