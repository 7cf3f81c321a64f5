import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from ankommen.audit.models import AppendOnlyError, AuditEvent
from ankommen.audit.services import record_event, verify_chain
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _three_events():
    actor = UserFactory()
    person = PersonFactory()
    for action in ("create", "change", "read"):
        record_event(actor=actor, action=action, obj=person, person_id=person.pk, purpose="Test")
    return person


def test_events_form_an_unbroken_chain():
    _three_events()
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in events] == [1, 2, 3]
    assert events[1].previous_hash == events[0].hash
    assert events[2].previous_hash == events[1].hash
    assert verify_chain() == (3, [])


def test_the_model_refuses_changes_and_deletion():
    _three_events()
    event = AuditEvent.objects.get(sequence=2)
    event.purpose = "verändert"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_the_database_refuses_updates_and_deletes():
    _three_events()
    with pytest.raises((IntegrityError, Exception)), transaction.atomic():
        AuditEvent.objects.filter(sequence=2).update(purpose="verändert")
    with pytest.raises((IntegrityError, Exception)), transaction.atomic():
        AuditEvent.objects.filter(sequence=2).delete()
    assert AuditEvent.objects.get(sequence=2).purpose == "Test"


def _tamper(sql: str, params: list) -> None:
    """Bypass the triggers as an attacker with database rights would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
            cursor.execute(sql, params)


def test_verify_finds_a_changed_entry_and_exits_1(capsys):
    _three_events()
    _tamper("UPDATE audit_auditevent SET purpose = %s WHERE sequence = 2", ["verändert"])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", "--format", "json")
    assert exit_info.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert {"sequence": 2, "reason": "Inhalt wurde nachträglich verändert"} in report["breaks"]


def test_verify_finds_a_deleted_entry():
    _three_events()
    _tamper("DELETE FROM audit_auditevent WHERE sequence = 2", [])
    count, breaks = verify_chain()
    assert count == 2
    assert any("fehlt" in b.reason for b in breaks)


def test_verify_passes_on_an_intact_chain(capsys):
    _three_events()
    call_command("audit", "verify", "--format", "json")
    assert json.loads(capsys.readouterr().out) == {"ok": True, "events": 3, "breaks": []}
