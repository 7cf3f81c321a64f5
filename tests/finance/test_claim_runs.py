"""Claims computed in the background: a run goes queued → running → done with the same figures
as the claim computed at once; a failing run ends failed with a German error; the page polls the
run's status and the downloads are built from the run."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from ankommen.algorithms.claims import ClaimError
from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role, Scope
from ankommen.finance import claim_runner, claims, exports
from ankommen.finance.models import ClaimRun
from tests.factories import MembershipFactory
from tests.finance.test_claims import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_request(settings):
    settings.ANKOMMEN_IMPORT_IN_BACKGROUND = False


def test_a_run_ends_done_with_the_totals_of_the_claim(world):  # noqa: F811
    county = world["county"]
    seen: list[str] = []
    original = claim_runner.compute

    def spy(*args, **kwargs):
        run = ClaimRun.objects.get()
        seen.append(run.state)
        return original(*args, **kwargs)

    claim_runner.compute = spy
    try:
        run = claim_runner.start_claim(actor=world["admin"], county=county, year=2024, quarter=1)
    finally:
        claim_runner.compute = original
    assert seen == ["running"]
    assert run.state == ClaimRun.State.DONE
    assert run.progress == 100
    assert run.started_at
    assert run.finished_at
    direct = claims.build_claim(county, 2024, 1)
    assert claim_runner.summary_of(run).total == direct.total
    assert dict(claim_runner.summary_of(run).by_kind) == dict(direct.by_kind())
    rebuilt = claim_runner.report_of(run)
    assert [(ln.person, ln.kind, ln.amount, ln.first) for ln in rebuilt.claim.lines] == [
        (ln.person, ln.kind, ln.amount, ln.first) for ln in direct.claim.lines
    ]
    assert exports.as_json(rebuilt) | {"rules": None} == exports.as_json(direct) | {"rules": None}
    recon = claim_runner.reconciliation_of(run)
    assert [r.claimed for r in recon] == [r.claimed for r in claims.reconciliation(county, 2024)]
    balances = claim_runner.balances_of(run)
    assert [(b.site.name, b.reimbursed) for b in balances] == [
        (b.site.name, b.reimbursed) for b in claims.facility_balances(direct)
    ]
    assert AuditEvent.objects.filter(action="create", object_type="finance.claimrun").exists()


def test_a_run_starts_queued_in_the_background(world, settings, django_capture_on_commit_callbacks):  # noqa: F811
    settings.ANKOMMEN_IMPORT_IN_BACKGROUND = True
    started: list[int] = []
    original = claim_runner._run_in_thread
    claim_runner._run_in_thread = started.append  # the thread's target, not run here
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            run = claim_runner.start_claim(
                actor=world["admin"], county=world["county"], year=2024, quarter=None
            )
        assert run.state == ClaimRun.State.QUEUED
        assert len(callbacks) == 1
    finally:
        claim_runner._run_in_thread = original
    claim_runner.run_claim(run.pk)
    run.refresh_from_db()
    assert run.state == ClaimRun.State.DONE
    assert Decimal(run.result["total"]) == claims.build_claim(world["county"], 2024).total


def test_a_failing_run_ends_failed_with_a_german_error(world, monkeypatch):  # noqa: F811
    def broken(*args, **kwargs):
        raise ClaimError("Zwei Regeln der Art one_off beginnen am 01.01.2024.")

    monkeypatch.setattr(claim_runner.claims, "build_claim", broken)
    run = claim_runner.start_claim(
        actor=world["admin"], county=world["county"], year=2024, quarter=1
    )
    assert run.state == ClaimRun.State.FAILED
    assert run.error == "Zwei Regeln der Art one_off beginnen am 01.01.2024."
    monkeypatch.setattr(claim_runner.claims, "build_claim", lambda *a, **k: 1 / 0)
    run = claim_runner.start_claim(
        actor=world["admin"], county=world["county"], year=2024, quarter=1
    )
    assert run.state == ClaimRun.State.FAILED
    assert run.error == "Die Berechnung ist fehlgeschlagen; bitte erneut starten."
    client = Client()
    client.force_login(world["admin"])
    status = client.get(f"/finanzen/berechnungen/{run.pk}/")
    assert "Die Berechnung ist fehlgeschlagen" in status.text
    assert 'role="alert"' in status.text
    assert client.get(f"/finanzen/berechnungen/{run.pk}/antrag.xlsx").status_code == 409


def test_only_finance_staff_of_the_county_start_runs(world):  # noqa: F811
    planner = MembershipFactory(county=world["county"], role=Role.PLANNER, scope=Scope.COUNTY).user
    with pytest.raises(PermissionDenied):
        claim_runner.start_claim(actor=planner, county=world["county"], year=2024, quarter=1)
    with pytest.raises(ClaimError, match="außerhalb von 2016 bis 2100"):
        claim_runner.start_claim(actor=world["admin"], county=world["county"], year=2200, quarter=1)
    assert not ClaimRun.objects.exists()


def test_the_page_starts_a_run_polls_it_and_downloads_from_it(world):  # noqa: F811
    client = Client()
    client.force_login(world["admin"])
    page = client.get("/finanzen/?kreis=los-test&jahr=2024&quartal=1")
    assert "Antrag berechnen" in page.text
    assert "claim-total" not in page.text
    started = client.post("/finanzen/berechnen/?kreis=los-test&jahr=2024&quartal=1")
    assert started.status_code == 302
    run = ClaimRun.objects.get()
    status = client.get(f"/finanzen/berechnungen/{run.pk}/", HTTP_HX_REQUEST="true")
    assert status["HX-Refresh"] == "true"
    page = client.get("/finanzen/?kreis=los-test&jahr=2024&quartal=1")
    total = claims.build_claim(world["county"], 2024, 1).total
    assert f"{total:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in page.text
    assert "GU Test" in page.text
    assert "Neu berechnen" in page.text
    download = client.get(f"/finanzen/berechnungen/{run.pk}/antrag.xlsx")
    assert download.status_code == 200
    assert "Erstattungsantrag-los-test-2024-Q1.xlsx" in download["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(download.content))["Zeilen"].iter_rows(values_only=True))
    assert Decimal(str(rows[-1][8])) == total
    # A running run shows its progress and polls.
    ClaimRun.objects.filter(pk=run.pk).update(state="running", progress=40)
    page = client.get("/finanzen/?kreis=los-test&jahr=2024&quartal=1")
    assert "Der Antrag wird berechnet … 40 %" in page.text
    assert "hx-trigger" in page.text


def test_a_run_left_unfinished_by_a_restart_shows_as_failed(world):  # noqa: F811
    run = ClaimRun.objects.create(county=world["county"], year=2024, state="running")
    ClaimRun.objects.filter(pk=run.pk).update(
        created_at=run.created_at - claim_runner.STALE_AFTER - timedelta(minutes=1)
    )
    latest = claim_runner.latest_run(world["county"], 2024, None)
    assert latest is not None
    assert latest.state == ClaimRun.State.FAILED
    assert latest.error == "Die Berechnung wurde unterbrochen; bitte erneut starten."


def test_the_api_starts_a_run_and_reports_its_state(world):  # noqa: F811
    client = Client()
    token = Token.objects.create(user=world["admin"]).key
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    started = client.post("/api/v1/claims/runs/?county=los-test&year=2024&quarter=1", **auth)
    assert started.status_code == 202, started.content
    run_id = started.json()["id"]
    status = client.get(f"/api/v1/claims/runs/{run_id}/", **auth).json()
    assert status["state"] == "done"
    assert status["progress"] == 100
    assert status["summary"]["total"] == str(claims.build_claim(world["county"], 2024, 1).total)
    bad = client.post("/api/v1/claims/runs/?county=los-test&year=2024&quarter=5", **auth)
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    planner = MembershipFactory(county=world["county"], role=Role.PLANNER, scope=Scope.COUNTY).user
    other = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=planner).key}"}
    assert client.get(f"/api/v1/claims/runs/{run_id}/", **other).status_code == 403


def test_asking_again_while_a_run_is_unfinished_returns_that_run(world):  # noqa: F811
    running = ClaimRun.objects.create(county=world["county"], year=2024, quarter=2, state="running")
    again = claim_runner.start_claim(
        actor=world["admin"], county=world["county"], year=2024, quarter=2
    )
    assert again.pk == running.pk
    assert ClaimRun.objects.count() == 1
    ClaimRun.objects.filter(pk=running.pk).update(state="done")
    fresh = claim_runner.start_claim(
        actor=world["admin"], county=world["county"], year=2024, quarter=2
    )
    assert fresh.pk != running.pk
    assert fresh.state == ClaimRun.State.DONE
