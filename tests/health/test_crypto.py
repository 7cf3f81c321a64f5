from __future__ import annotations

import json
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from ankommen.health import crypto
from ankommen.health.models import Examination, Vaccination
from tests.health import support

pytestmark = pytest.mark.django_db


def _raw(model, field: str, pk: int) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {field} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_health_fields_are_stored_encrypted(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    world = support.build()
    exam = Examination.objects.get(person=world.person)
    stored = _raw(Examination, "notes", exam.pk)
    assert support.MARKERS["exam_notes"] not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert exam.notes == support.MARKERS["exam_notes"]
    assert exam.follow_up_needed is True


def test_rotation_re_encrypts_everything_with_the_new_key(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    world = support.build()
    vaccination = Vaccination.objects.get(person=world.person)
    before = _raw(Vaccination, "vaccine", vaccination.pk)

    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    out = StringIO()
    call_command("keys", "rotate", "--format", "json", stdout=out, stderr=StringIO())
    report = json.loads(out.getvalue())
    assert report["ok"]
    assert report["rows"]["health.Vaccination"] == 1
    after = _raw(Vaccination, "vaccine", vaccination.pk)
    assert after != before

    # The old key alone no longer decrypts anything …
    settings.FIELD_ENCRYPTION_KEYS = [old]
    with pytest.raises(crypto.DecryptionError):
        Vaccination.objects.get(pk=vaccination.pk)
    with pytest.raises(SystemExit) as exit_info:
        call_command("keys", "check", stdout=StringIO())
    assert exit_info.value.code == 1
    # … and the new key alone reads every value intact.
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert Vaccination.objects.get(pk=vaccination.pk).vaccine == support.MARKERS["vaccine"]
    assert Examination.objects.get(person=world.person).notes == support.MARKERS["exam_notes"]
    out = StringIO()
    call_command("keys", "check", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["ok"] is True


def test_rotation_without_the_old_key_changes_nothing(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    world = support.build()
    vaccination = Vaccination.objects.get(person=world.person)
    before = _raw(Vaccination, "vaccine", vaccination.pk)
    settings.FIELD_ENCRYPTION_KEYS = [new]
    with pytest.raises(SystemExit) as exit_info:
        call_command("keys", "rotate", stdout=StringIO(), stderr=StringIO())
    assert exit_info.value.code == 1
    assert _raw(Vaccination, "vaccine", vaccination.pk) == before


def test_development_key_only_outside_production(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    assert crypto.configured_keys() == (crypto.development_key(),)
    settings.PRODUCTION = True
    with pytest.raises(Exception, match="ANKOMMEN_FIELD_KEY"):
        crypto.configured_keys()


def test_keys_status_never_prints_a_key(settings):
    key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [key]
    out = StringIO()
    call_command("keys", "status", "--format", "json", stdout=out)
    assert key not in out.getvalue()
    assert json.loads(out.getvalue()) == {"keys": 1, "development_key": False}
