from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role, Scope
from ankommen.privacy import render
from ankommen.privacy.registry import sources
from ankommen.privacy.services import export_subject_data
from tests.factories import MembershipFactory, ProviderFactory
from tests.privacy.conftest import admin_of

pytestmark = pytest.mark.django_db


def _values(export, key):
    section = next(s for s in export.sections if s.key == key)
    return [entry.value for record in section.records for entry in record.entries]


def test_people_housing_and_audit_are_registered():
    assert {"people", "housing", "audit"} <= {source.key for source in sources()}


def test_export_holds_every_category_with_purpose_and_retention(scene):
    amal = scene.gone_persons[0]
    export = export_subject_data(actor=scene.admin, person_id=amal.pk)
    keys = [section.key for section in export.sections]
    assert keys[:2] == ["person", "name_keys"]
    assert keys[-1] == "audit"
    assert {"residence_statuses", "vulnerabilities", "consents", "responsibilities"} <= set(keys)
    assert {"occupancy", "moves", "arrivals", "allocation"} <= set(keys)
    person = _values(export, "person")
    assert "Haddad" in person
    assert "Amal" in person
    assert "123456789012" in person
    assert "Syrien" in person
    assert "Duldung" in _values(export, "residence_statuses")
    assert "Psychische Störung" in _values(export, "vulnerabilities")
    assert "Weitergabe an den betreuenden Träger" in _values(export, "consents")
    assert "GU Fürstenwalde" in _values(export, "occupancy")
    assert "Weiterzug zu Verwandten nach Hamburg" in _values(export, "moves")
    assert "BB-2020-4711" in _values(export, "allocation")
    assert _values(export, "name_keys")
    for section in export.sections:
        assert section.purpose, section.key
        assert section.recipients, section.key
        assert section.retention, section.key
    assert "ungeprüft" in next(s for s in export.sections if s.key == "person").retention
    # Another member of the household is not part of this person's export.
    assert str(scene.gone_persons[1]) not in json.dumps(export.as_dict(), ensure_ascii=False)


def test_export_is_audited_with_the_read_of_health_related_needs(scene):
    amal = scene.gone_persons[0]
    before = AuditEvent.objects.count()
    export_subject_data(actor=scene.admin, person_id=amal.pk, output="zip")
    events = list(AuditEvent.objects.order_by("sequence")[before:])
    assert [(e.action, e.person_id) for e in events] == [("read", amal.pk), ("export", amal.pk)]
    assert events[1].actor == scene.admin
    assert events[1].details["format"] == "zip"


def test_a_person_without_health_related_facts_is_one_export_event(scene):
    before = AuditEvent.objects.count()
    export_subject_data(actor=scene.admin, person_id=scene.staying_person.pk)
    assert list(AuditEvent.objects.values_list("action", flat=True)[before:]) == ["export"]


def test_the_audit_section_lists_earlier_events_about_the_person(scene):
    amal = scene.gone_persons[0]
    export_subject_data(actor=scene.admin, person_id=amal.pk)
    export = export_subject_data(actor=scene.admin, person_id=amal.pk)
    actions = [
        e.code
        for r in next(s for s in export.sections if s.key == "audit").records
        for e in r.entries
        if e.code
    ]
    assert "export" in actions
    assert "create" in actions


def test_zip_holds_readable_html_json_and_a_note(scene):
    amal = scene.gone_persons[0]
    export = export_subject_data(actor=scene.admin, person_id=amal.pk)
    archive = zipfile.ZipFile(io.BytesIO(render.as_zip(export)))
    names = sorted(name.rsplit("/", 1)[1] for name in archive.namelist())
    assert names == ["LIESMICH.txt", "auskunft.html", "auskunft.json"]
    stem = render.file_stem(export)
    html = archive.read(f"{stem}/auskunft.html").decode()
    assert "<h1>Auskunft nach Art. 15 DSGVO</h1>" in html
    assert "Haddad" in html
    assert "Speicherdauer" in html
    data = json.loads(archive.read(f"{stem}/auskunft.json"))
    assert data["person_id"] == amal.pk
    assert data["name"] == "Amal Haddad"


def test_html_escapes_what_was_typed(scene):
    amal = scene.gone_persons[0]
    amal.given_names = "<b>Amal</b>"
    amal.save()
    html = render.as_html(export_subject_data(actor=scene.admin, person_id=amal.pk))
    assert "<b>Amal</b>" not in html
    assert "&lt;b&gt;Amal&lt;/b&gt;" in html


def test_only_county_admins_with_county_scope_export(scene):
    amal = scene.gone_persons[0]
    caseworker = MembershipFactory(
        county=scene.county, role=Role.COUNTY_CASEWORKER, scope=Scope.COUNTY
    ).user
    with pytest.raises(PermissionDenied):
        export_subject_data(actor=caseworker, person_id=amal.pk)
    provider_admin = admin_of(
        scene.county, Scope.PROVIDER, provider=scene.site.provider
    )  # reaches the household through its (ended) stay? No: ended, so out of reach
    with pytest.raises(Http404):
        export_subject_data(actor=provider_admin, person_id=amal.pk)
    # Reached through the current stay, but without county scope.
    with pytest.raises(PermissionDenied):
        export_subject_data(actor=provider_admin, person_id=scene.staying_person.pk)
    other = admin_of(scene.other_county)
    with pytest.raises(Http404):
        export_subject_data(actor=other, person_id=amal.pk)
    with pytest.raises(Http404):
        export_subject_data(actor=scene.admin, person_id=999_999)
    unrelated = admin_of(
        scene.county, Scope.PROVIDER, provider=ProviderFactory(county=scene.county)
    )
    with pytest.raises(Http404):
        export_subject_data(actor=unrelated, person_id=scene.staying_person.pk)
    assert not AuditEvent.objects.filter(action="export").exists()
