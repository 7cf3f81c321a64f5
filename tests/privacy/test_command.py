"""``ankommen privacy export|retention``: stdout holds only JSON with ``--format json``, exit
codes 0 (done) and 2 (wrong use), nothing written on wrong use."""

from __future__ import annotations

import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command

from ankommen.audit.models import AuditEvent
from ankommen.people.models import Person
from tests.privacy.conftest import AFTER_PERIOD

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("privacy", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_export_as_json_on_stdout(scene):
    amal = scene.gone_persons[0]
    code, out, _err = _run("export", "--person", str(amal.pk), "--user", scene.admin.username)
    assert code == 0
    data = json.loads(out)
    assert data["name"] == "Amal Haddad"
    assert AuditEvent.objects.filter(action="export", person_id=amal.pk, actor=scene.admin).exists()


def test_export_as_zip_file(scene, tmp_path):
    target = tmp_path / "auskunft.zip"
    amal = scene.gone_persons[0]
    code, out, _err = _run(
        "export", "--person", str(amal.pk), "--format", "zip", "--output", str(target)
    )
    assert code == 0
    assert out.strip() == str(target)
    names = zipfile.ZipFile(io.BytesIO(target.read_bytes())).namelist()
    assert any(name.endswith("auskunft.html") for name in names)
    event = AuditEvent.objects.get(action="export", person_id=amal.pk)
    assert event.actor_label == "system"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--person", "999999"], "gibt es nicht"),
        (["export", "--person", "1", "--user", "niemand"], "Benutzerkonto"),
        (["retention", "--county", "gibt-es-nicht"], "Landkreis"),
        (["retention", "--county", "x", "--today", "31.12.2030"], "kein Datum"),
    ],
)
def test_wrong_use_exits_2_and_writes_nothing(scene, args, message):
    events = AuditEvent.objects.count()
    if "--county" in args and args[args.index("--county") + 1] == "x":
        args = [*args]
        args[args.index("x")] = scene.county.slug
    code, out, err = _run(*args)
    assert code == 2
    assert message in err
    assert out == ""
    assert AuditEvent.objects.count() == events


def test_retention_dry_run_then_run_as_json(scene):
    day = AFTER_PERIOD.isoformat()
    code, out, _err = _run(
        "retention", "--county", scene.county.slug, "--today", day, "--dry-run", "--format", "json"
    )
    assert code == 0
    planned = json.loads(out)
    assert planned["dry_run"] is True
    assert planned["persons"] == 2
    assert Person.objects.filter(family_name="Haddad").exists()
    code, out, _err = _run("retention", "--county", scene.county.slug, "--today", day)
    assert code == 0
    assert "2 Personen anonymisiert" in out
    assert not Person.objects.filter(family_name="Haddad").exists()


def test_retention_for_all_counties(scene):
    code, out, _err = _run("retention", "--all", "--dry-run", "--format", "json")
    assert code == 0
    slugs = [run["county"] for run in json.loads(out)]
    assert scene.county.slug in slugs
    assert scene.other_county.slug in slugs


def test_a_bad_setting_exits_2(scene, settings):
    settings.ANKOMMEN_RETENTION_YEARS = {"unbekannt": 3}
    code, _out, err = _run("retention", "--county", scene.county.slug)
    assert code == 2
    assert "unbekannte Kategorien" in err
