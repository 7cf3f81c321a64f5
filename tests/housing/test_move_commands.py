"""``ankommen move`` and ``ankommen long-stays``: JSON only on stdout, German errors, exit 2 on
bad input with nothing written, the account's rights."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.housing import services
from ankommen.housing.models import FlatReadiness, Move, Occupancy
from tests.housing.support import room, shelter_manager

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def _move(world, *extra):
    return _run(
        "move",
        "--household",
        str(world["home"].pk),
        "--day",
        TODAY.isoformat(),
        "--user",
        world["caseworker"].username,
        "--format",
        "json",
        *extra,
    )


def test_move_to_a_site_as_json(world):
    services.create_room(actor=None, site=world["gu2"], number="8", beds=2, valid_from=TODAY)
    code, out, _err = _move(world, "--to-site", str(world["gu2"].pk), "--reason", "family")
    assert code == 0
    body = json.loads(out)
    assert (body["kind"], body["to_site"]) == (Move.Kind.TRANSFER, world["gu2"].pk)
    assert {o.bed.room for o in Occupancy.objects.on(TODAY).filter(household=world["home"])} == {
        room(world["gu2"], "8")
    }


def test_bad_input_exits_2_with_german_json_and_writes_nothing(world):
    before = (Move.objects.count(), AuditEvent.objects.count())
    code, out, err = _move(world, "--to-site", str(world["gu2"].pk), "--reason", "family")
    assert code == 2  # room 7 holds a single man: no room for a family
    assert json.loads(out) == {
        "errors": [
            {
                "field": "to_site",
                "message": "In dieser Unterkunft gibt es kein passendes freies Zimmer.",
            }
        ]
    }
    assert "Fehler" in err
    code, out, _err = _move(world, "--room", str(room(world["gu1"], "2").pk), "--reason", "x")
    assert code == 2
    assert json.loads(out)["errors"] == [
        {"field": "reason", "message": "Bitte einen Grund für den Umzug wählen."}
    ]
    code, out, _err = _run(
        "move",
        "--household",
        "1",
        "--day",
        "morgen",
        "--reason",
        "family",
        "--room",
        "1",
        "--user",
        world["caseworker"].username,
        "--format",
        "json",
    )
    assert code == 2
    assert json.loads(out)["errors"][0]["field"] == "day"
    assert (Move.objects.count(), AuditEvent.objects.count()) == before


def test_a_shelter_manager_of_another_facility_cannot_move(world):
    manager = shelter_manager(world["gu2"]).user
    code, out, _err = _run(
        "move",
        "--household",
        str(world["home"].pk),
        "--day",
        TODAY.isoformat(),
        "--reason",
        "family",
        "--room",
        str(room(world["gu2"], "7").pk),
        "--user",
        manager.username,
        "--format",
        "json",
    )
    assert code == 2
    assert json.loads(out)["errors"][0]["field"] == "household"
    assert not Move.objects.filter(household=world["home"], to_site=world["gu2"]).exists()


def test_long_stays_as_json(world, settings):
    settings.ANKOMMEN_SHELTER_TARGET_MONTHS = 6
    services.mark_ready_for_flat(actor=None, household=world["home"], day=TODAY)
    args = ["long-stays", "--county", world["county"].slug, "--user", world["caseworker"].username]
    code, out, _err = _run(*args, "--format", "json")
    assert code == 0
    body = json.loads(out)
    assert body["target_months"] == 6
    assert [row["reference"] for row in body["stays"]] == ["HH-A"]
    assert body["stays"][0]["ready_since"] == TODAY.isoformat()
    code, out, _err = _run(*args, "--all", "--format", "json")
    assert {row["reference"] for row in json.loads(out)["stays"]} == {"HH-A", "HH-B"}
    assert FlatReadiness.objects.count() == 1


def test_long_stays_refuse_unknown_county_and_foreign_accounts(world):
    code, out, _err = _run(
        "long-stays",
        "--county",
        "nirgendwo",
        "--user",
        world["caseworker"].username,
        "--format",
        "json",
    )
    assert code == 2
    assert json.loads(out)["errors"][0]["message"] == "Den Landkreis „nirgendwo“ gibt es nicht."
    manager = shelter_manager(world["gu2"]).user
    code, out, _err = _run(
        "long-stays",
        "--county",
        world["county"].slug,
        "--user",
        manager.username,
        "--all",
        "--format",
        "json",
    )
    assert code == 0
    assert [row["reference"] for row in json.loads(out)["stays"]] == ["HH-B"]
