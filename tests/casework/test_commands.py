"""``ankommen casework overdue|caseload``: JSON only on stdout, exit codes."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ankommen.casework import services
from ankommen.casework.models import Position
from ankommen.core.models import Site

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("casework", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_overdue_lists_the_caseworkers_follow_ups(cw):
    today = timezone.localdate()
    services.record_referral(
        actor=cw.worker_a,
        case=cw.case,
        service="schuldnerberatung",
        sent_on=today - timedelta(days=10),
        follow_up_on=today - timedelta(days=2),
    )
    code, out, _ = _run("overdue", "--county", cw.county.slug, "--format", "json")
    assert code == 0
    result = json.loads(out)
    [worklist] = result["worklists"]
    assert worklist["caseworker_id"] == cw.worker_a.pk
    assert worklist["referrals"][0]["days_overdue"] == 2
    assert worklist["referrals"][0]["household"] == cw.household.reference


def test_caseload_compares_with_the_key_and_check_fails_above_it(cw):
    code, out, _ = _run("caseload", "--county", cw.county.slug, "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert result["ratio"]["per_fte"] == 80
    assert result["ratio"]["verified"] is False
    [provider] = [p for p in result["providers"] if p["name"] == "Träger A"]
    assert provider["cases"] == 1
    assert provider["above"] is True  # one household, no position
    code, _, err = _run("caseload", "--county", cw.county.slug, "--check")
    assert code == 1
    assert "über dem Personalschlüssel" in err
    Position.objects.create(
        county=cw.county,
        caseworker=cw.worker_a,
        provider=cw.provider_a,
        fte=Decimal("0.5"),
        valid_from=timezone.localdate(),
    )
    code, out, _ = _run("caseload", "--county", cw.county.slug, "--format", "json", "--check")
    result = json.loads(out)
    [provider] = [p for p in result["providers"] if p["name"] == "Träger A"]
    assert provider["per_fte"] == 2.0
    assert provider["above"] is False
    # The household lives in provider B's facility, which has no caseworker position there.
    [facility] = result["facilities"]
    assert (facility["name"], facility["cases"], facility["above"]) == ("Haus B", 1, True)
    assert code == 1
    Position.objects.create(
        county=cw.county,
        caseworker=cw.worker_b,
        provider=cw.provider_b,
        site=Site.objects.get(name="Haus B"),
        fte=Decimal("1.0"),
        valid_from=timezone.localdate(),
    )
    code, out, _ = _run("caseload", "--county", cw.county.slug, "--format", "json", "--check")
    assert code == 0


def test_an_unknown_county_exits_with_2(cw):
    code, out, err = _run("overdue", "--county", "gibt-es-nicht", "--format", "json")
    assert code == 2
    assert out == ""
    assert "gibt es nicht" in err
