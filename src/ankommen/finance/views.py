"""Thin HTML views of reimbursement (Kostenerstattung) under ``/finanzen/``: the claim with its
downloads, reconciliation and the cost side per facility; forms for a new rule and a payment."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ankommen.algorithms.claims import ClaimError
from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County
from ankommen.finance import claim_runner, claims, exports, services
from ankommen.finance.claims import FacilityBalance, Reconciliation
from ankommen.finance.forms import PaymentForm, PeriodForm, RuleForm, add_service_error
from ankommen.finance.models import ClaimRun, StatePayment
from ankommen.finance.selectors import rules_for

CHART_WIDTH = 600
LABEL_WIDTH = 210  # the left part of a chart holds each row's label as SVG text
BAR_HEIGHT = 12


def _county(request: HttpRequest, action: Action) -> County:
    """The county asked for (``?kreis=slug``) or the first in which the user holds ``action``
    (finance actions need county scope); 403 otherwise."""
    counties = access.counties_for(request.user, action)
    slug = request.GET.get("kreis")
    for county in counties:
        if not slug or county.slug == slug:
            return county
    access.deny()


@dataclass(frozen=True)
class PairBar:
    label: str
    y: int
    first: int  # width of the first bar (claimed, cost)
    second: int  # width of the second bar (received, reimbursed)
    first_value: Decimal
    second_value: Decimal


@dataclass(frozen=True)
class PairChart:
    width: int
    height: int
    bars: list[PairBar]
    peak: Decimal
    label_width: int = LABEL_WIDTH


def _pair_chart(rows: list[tuple[str, Decimal, Decimal]]) -> PairChart:
    """Paired horizontal bars scaled to the largest value (SVG attributes only: the CSP forbids
    inline styles)."""
    peak = max([Decimal(1), *(max(a, b) for _label, a, b in rows)])
    bars = []
    room = CHART_WIDTH - LABEL_WIDTH
    for index, (label, a, b) in enumerate(rows):
        bars.append(
            PairBar(
                label,
                index * (2 * BAR_HEIGHT + 8),
                int(room * max(a, Decimal(0)) / peak),
                int(room * max(b, Decimal(0)) / peak),
                a,
                b,
            )
        )
    return PairChart(CHART_WIDTH, max(len(rows) * (2 * BAR_HEIGHT + 8), 1), bars, peak)


def _query(county: County, year: int, quarter: int | None) -> str:
    params: dict[str, Any] = {"kreis": county.slug, "jahr": year}
    if quarter is not None:
        params["quartal"] = quarter
    return urlencode(params)


@login_required
@require_GET
def claim(request: HttpRequest) -> HttpResponse:
    county = _county(request, Action.VIEW_FINANCE)
    form = PeriodForm(request.GET or None)
    year, quarter = form.year(), form.quarter()
    context: dict[str, Any] = {
        "county": county,
        "counties": access.counties_for(request.user, Action.VIEW_FINANCE),
        "form": form,
        "year": year,
        "quarter": quarter,
        "query": _query(county, year, quarter),
        "quarters": [(q, _query(county, year, q)) for q in (1, 2, 3, 4)],
        "year_query": _query(county, year, None),
        "rules": rules_for(county),
        "may_manage": access.allows(request.user, Action.MANAGE_FINANCE, county),
        "rule_form": RuleForm(prefix="rule"),
        "payment_form": PaymentForm(prefix="payment", initial={"year": year, "quarter": quarter}),
        "payments": StatePayment.objects.filter(county=county, year=year),
    }
    access.require(request.user, Action.VIEW_FINANCE, county)
    run = claim_runner.latest_run(county, year, quarter)
    context["run"] = run
    if run is None or run.state != ClaimRun.State.DONE:
        return render(request, "finance/claim.html", context)
    report = claim_runner.summary_of(run)
    recon: list[Reconciliation] = claim_runner.reconciliation_of(run)
    balances: list[FacilityBalance] = claim_runner.balances_of(run)
    context.update(
        {
            "report": report,
            "by_kind": [(exports.kind_label(k), v) for k, v in report.by_kind],
            "reconciliation": recon,
            "claimed_total": sum((r.claimed for r in recon), Decimal("0.00")),
            "received_total": sum((r.received for r in recon), Decimal("0.00")),
            "recon_chart": _pair_chart([(r.label, r.claimed, r.received) for r in recon]),
            "balances": balances,
            "balance_chart": _pair_chart(
                [(b.site.name, b.cost, b.reimbursed) for b in balances if b.cost or b.reimbursed]
            ),
            "deficit_total": sum((b.deficit for b in balances), Decimal("0.00")),
            "reserve_total": sum((b.reserve_price for b in balances), Decimal("0.00")),
        }
    )
    return render(request, "finance/claim.html", context)


@login_required
@require_GET
def claim_file(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    county = _county(request, Action.VIEW_FINANCE)
    form = PeriodForm(request.GET or None)
    try:
        report = claims.claim_for(
            actor=request.user, county=county, year=form.year(), quarter=form.quarter()
        )
    except ClaimError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    content = exports.render(report, fmt)
    record_event(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditEvent.Action.EXPORT,
        object_type="finance.claim",
        county=county,
        details={"year": report.year, "quarter": report.quarter, "format": fmt},
    )
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(report, fmt)}"'
    return response


@login_required
@require_POST
def claim_start(request: HttpRequest) -> HttpResponse:
    """Start computing the claim of the period asked for; the page then shows its progress."""
    county = _county(request, Action.VIEW_FINANCE)
    form = PeriodForm(request.GET or None)
    year, quarter = form.year(), form.quarter()
    try:
        claim_runner.start_claim(actor=request.user, county=county, year=year, quarter=quarter)
    except ClaimError as error:
        messages.error(request, str(error))
    return redirect(reverse("finance:claim") + "?" + _query(county, year, quarter))


@login_required
@require_GET
def claim_run_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's live status for htmx polling; a finished run reloads the page."""
    run = claim_runner.run_for(request.user, pk)
    response = render(request, "finance/_run_status.html", {"run": run})
    if run.state == ClaimRun.State.DONE and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def claim_run_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """XLSX or PDF of a finished run, built from its stored lines (no new computation)."""
    if fmt not in exports.FORMATS:
        raise Http404
    run = claim_runner.run_for(request.user, pk)
    if run.state != ClaimRun.State.DONE:
        return HttpResponse(
            _("Die Berechnung ist noch nicht fertig."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    report = claim_runner.report_of(run)
    content = exports.render(report, fmt)
    record_event(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditEvent.Action.EXPORT,
        object_type="finance.claim",
        county=run.county,
        details={"year": run.year, "quarter": run.quarter, "format": fmt, "run": run.pk},
    )
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(report, fmt)}"'
    return response


def _back(county: County, request: HttpRequest) -> str:
    return reverse("finance:claim") + "?" + urlencode({"kreis": county.slug})


@login_required
@require_POST
def rule_create(request: HttpRequest) -> HttpResponse:
    county = _county(request, Action.MANAGE_FINANCE)
    form = RuleForm(request.POST, prefix="rule")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_rule(
                actor=request.user,
                county=county,
                kind=data["kind"],
                housing=data["housing"] or "",
                valid_from=data["valid_from"],
                amount=data["amount"],
                paragraph=data["paragraph"],
                source=data["source"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Die Regel ist gespeichert."))
            return redirect(_back(county, request))
    return render(
        request, "finance/form.html", {"form": form, "county": county, "title": _("Neue Regel")}
    )


@login_required
@require_POST
def payment_create(request: HttpRequest) -> HttpResponse:
    county = _county(request, Action.MANAGE_FINANCE)
    form = PaymentForm(request.POST, prefix="payment")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_payment(actor=request.user, county=county, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Die Zahlung ist erfasst."))
            return redirect(_back(county, request))
    return render(
        request,
        "finance/form.html",
        {"form": form, "county": county, "title": _("Zahlung des Landes erfassen")},
    )
