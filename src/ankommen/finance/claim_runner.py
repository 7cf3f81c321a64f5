"""Computes a claim (with the page's reconciliation and cost side) in the background and reports
its progress, so the page shows a live status (htmx polls the run) instead of computing for
many seconds within the request (docs/finance.md, "Berechnung im Hintergrund").

As the allocation-list import (:mod:`ankommen.housing.import_runner`) does, the run is a thread
of the web process, started once the request that asked for it has committed; with
``ANKOMMEN_IMPORT_IN_BACKGROUND = False`` (tests, single-threaded servers) it runs within the
request. Limitation: a run whose process ends (restart, deploy) does not resume; it is shown
as failed once it is older than :data:`STALE_AFTER`, and starting the claim again makes a new
run. Progress is a column of the run, so every process sees it.
"""

from __future__ import annotations

import gzip
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from ankommen.algorithms.claims import Claim, ClaimError, Housing, Kind, Line, days_in_year
from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County, Site
from ankommen.finance import claims
from ankommen.finance.claims import ClaimReport, FacilityBalance, Reconciliation
from ankommen.finance.models import ClaimRun, ReimbursementRule

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import User

logger = logging.getLogger(__name__)
Progress = Callable[[int], None]


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def start_claim(
    *, actor: User | AnonymousUser | None, county: County, year: int, quarter: int | None
) -> ClaimRun:
    """Record a run of the claim for ``year`` (and ``quarter``) and start it (audited); while
    one of the period is still unfinished, that one is returned. Needs ``view_finance`` in the
    county; a year outside 2016–2100 raises ``ClaimError``."""
    access.require(actor, Action.VIEW_FINANCE, county)
    if not 2016 <= year <= 2100:
        raise ClaimError(_("Jahr %(year)s liegt außerhalb von 2016 bis 2100.") % {"year": year})
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise ClaimError(_("Quartal %(quarter)s gibt es nicht.") % {"quarter": quarter})
    current = latest_run(county, year, quarter)
    if current is not None and current.state in UNFINISHED:
        return current  # asked twice (a second click): the same calculation, not a second one
    user: User | None = actor if actor is not None and actor.is_authenticated else None
    run = ClaimRun.objects.create(
        county=county,
        year=year,
        quarter=quarter,
        requested_by=user,
        state=ClaimRun.State.QUEUED,
    )
    record_event(
        actor=user,
        action=AuditEvent.Action.CREATE,
        obj=run,
        county=county,
        details={"year": year, "quarter": quarter},
    )
    if settings.ANKOMMEN_IMPORT_IN_BACKGROUND:
        run_id = run.pk
        transaction.on_commit(
            lambda: threading.Thread(
                target=_run_in_thread, args=(run_id,), name=f"claim-{run_id}", daemon=True
            ).start()
        )
    else:
        run_claim(run.pk)
        run.refresh_from_db()
    return run


def _run_in_thread(run_id: int) -> None:
    try:
        run_claim(run_id)
    finally:
        connection.close()


def _set_progress(run_id: int, percent: int) -> None:
    ClaimRun.objects.filter(pk=run_id).update(progress=max(0, min(100, percent)))


def compute(
    county: County, year: int, quarter: int | None, progress: Progress
) -> tuple[ClaimReport, list[Reconciliation], list[FacilityBalance]]:
    """The claim, the year's reconciliation and the cost side, reporting percent done."""
    progress(5)
    inputs = claims.read_inputs(county, year)  # the whole year's, read once
    progress(40)
    report = claims.build_claim(county, year, quarter, inputs)
    progress(55)
    recon = claims.reconciliation(county, year, inputs)
    progress(85)
    balances = claims.facility_balances(report)
    progress(95)
    return report, recon, balances


def summary_json(
    report: ClaimReport, recon: list[Reconciliation], balances: list[FacilityBalance]
) -> dict[str, Any]:
    return {
        "first": report.first.isoformat(),
        "last": report.last.isoformat(),
        "total": _money(report.total),
        "by_kind": {str(kind): _money(value) for kind, value in report.by_kind()},
        "subjects": report.subjects(),
        "line_count": len(report.claim.lines),
        "warnings": list(report.claim.warnings),
        "rules": [int(pk) for pk in report.rules],
        "reconciliation": [
            {"quarter": r.quarter, "claimed": _money(r.claimed), "received": _money(r.received)}
            for r in recon
        ],
        "balances": [
            {
                "site": b.site.pk,
                "costs": {k: _money(v) for k, v in b.costs.items()},
                "reimbursed": _money(b.reimbursed),
                "reserve_share": str(b.reserve_share),
            }
            for b in balances
        ],
    }


def pack_lines(lines: list[Line]) -> bytes:
    rows = [
        [
            ln.person,
            str(ln.kind),
            ln.source,
            ln.rule,
            str(ln.housing) if ln.housing else None,
            ln.first.isoformat(),
            ln.last.isoformat(),
            ln.days,
            _money(ln.amount),
            ln.place,
        ]
        for ln in lines
    ]
    return gzip.compress(json.dumps(rows, separators=(",", ":")).encode(), compresslevel=5)


def unpack_lines(data: bytes, year: int) -> list[Line]:
    scale = days_in_year(year)
    lines = []
    for person, kind, source, rule, housing, first, last, days, amount, place in json.loads(
        gzip.decompress(data)
    ):
        value = Decimal(amount)
        lines.append(
            Line(
                person,
                Kind(kind),
                source,
                rule,
                Housing(housing) if housing else None,
                date.fromisoformat(first),
                date.fromisoformat(last),
                days,
                int(value * 100) * scale,
                scale,
                value,
                place,
            )
        )
    return lines


def run_claim(run_id: int) -> None:
    """Compute the run's claim and store the summary and the lines; a failure is stored as a
    German error and the state ``failed`` (details go to the log)."""
    with scopes_disabled():
        run = ClaimRun.objects.select_related("county").get(pk=run_id)
        run.state = ClaimRun.State.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["state", "started_at"])
        try:
            report, recon, balances = compute(
                run.county, run.year, run.quarter, lambda p: _set_progress(run_id, p)
            )
        except ClaimError as error:
            run.state, run.error = ClaimRun.State.FAILED, str(error)
        except Exception:  # the page must learn that it ended; details go to the log
            logger.exception("claim run %s failed", run_id)
            run.state = ClaimRun.State.FAILED
            run.error = _("Die Berechnung ist fehlgeschlagen; bitte erneut starten.")
        else:
            run.result = summary_json(report, recon, balances)
            run.lines = pack_lines(report.claim.lines)
            run.state, run.progress = ClaimRun.State.DONE, 100
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "progress", "result", "lines", "error", "finished_at"])


@dataclass(frozen=True)
class RunSummary:
    """What the page shows of a finished run (the fields the template reads)."""

    label: str
    first: date
    last: date
    total: Decimal
    subjects: int
    line_count: int
    warnings: list[str]
    by_kind: list[tuple[Kind, Decimal]]


def _label(year: int, quarter: int | None) -> str:
    if quarter is None:
        return _("Jahr %(year)s") % {"year": year}
    return _("%(quarter)s. Quartal %(year)s") % {"quarter": quarter, "year": year}


def summary_of(run: ClaimRun) -> RunSummary:
    data = run.result
    return RunSummary(
        _label(run.year, run.quarter),
        date.fromisoformat(data["first"]),
        date.fromisoformat(data["last"]),
        Decimal(data["total"]),
        data["subjects"],
        data["line_count"],
        data["warnings"],
        [(kind, Decimal(data["by_kind"][str(kind)])) for kind in claims.KIND_ORDER],
    )


def reconciliation_of(run: ClaimRun) -> list[Reconciliation]:
    rows = []
    for row in run.result["reconciliation"]:
        quarter = row["quarter"]
        label = _("%(quarter)s. Quartal") % {"quarter": quarter} if quarter else _("ohne Quartal")
        rows.append(
            Reconciliation(label, quarter, Decimal(row["claimed"]), Decimal(row["received"]))
        )
    return rows


def balances_of(run: ClaimRun) -> list[FacilityBalance]:
    rows = run.result["balances"]
    sites = Site._base_manager.in_bulk([row["site"] for row in rows])
    return [
        FacilityBalance(
            sites[row["site"]],
            {k: Decimal(v) for k, v in row["costs"].items()},
            Decimal(row["reimbursed"]),
            Decimal(row["reserve_share"]),
        )
        for row in rows
        if row["site"] in sites
    ]


def report_of(run: ClaimRun) -> ClaimReport:
    """The finished run's claim, rebuilt from its stored lines (for the downloads)."""
    data = run.result
    rules = ReimbursementRule.objects.in_bulk(data["rules"])
    with claims.no_gc():
        lines = unpack_lines(bytes(run.lines), run.year)
    claim = Claim(
        date.fromisoformat(data["first"]),
        date.fromisoformat(data["last"]),
        lines,
        Decimal(data["total"]),
        list(data["warnings"]),
    )
    return ClaimReport(
        run.county,
        run.year,
        run.quarter,
        claim,
        {str(pk): rules[pk] for pk in data["rules"] if pk in rules},
    )


STALE_AFTER = timedelta(minutes=30)
UNFINISHED = (ClaimRun.State.QUEUED, ClaimRun.State.RUNNING)


def _fail_if_stale(run: ClaimRun) -> ClaimRun:
    """A run unfinished long after it was asked for lost its process (restart): failed."""
    if run.state in UNFINISHED and timezone.now() - run.created_at > STALE_AFTER:
        error = _("Die Berechnung wurde unterbrochen; bitte erneut starten.")
        ClaimRun.objects.filter(pk=run.pk, state__in=UNFINISHED).update(
            state=ClaimRun.State.FAILED, error=error, finished_at=timezone.now()
        )
        run.refresh_from_db()
    return run


def latest_run(county: County, year: int, quarter: int | None) -> ClaimRun | None:
    """The newest run of the period (no access check: the caller checked the county)."""
    run = (
        ClaimRun.objects.select_related("county")
        .filter(county=county, year=year, quarter=quarter)
        .first()
    )
    return None if run is None else _fail_if_stale(run)


def run_for(actor: User | AnonymousUser | None, pk: int) -> ClaimRun:
    """A run in a county where the actor may view finance; 403 without that right anywhere,
    404 for a run of another county (its existence is not revealed)."""
    counties = [
        county
        for county in access.counties_for(actor, Action.VIEW_FINANCE)
        if access.allows(actor, Action.VIEW_FINANCE, county)
    ]
    if not counties:
        access.deny()
    run = ClaimRun.objects.select_related("county").filter(pk=pk, county__in=counties).first()
    if run is None:
        raise Http404
    return _fail_if_stale(run)
