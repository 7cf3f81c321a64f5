"""Pages of intake planning under ``/planung/<county>/``: the prior with its chain and series,
the Aufnahmesoll, the Freimeldung and its files. Thin: selectors and services do the work.

Access: ``VIEW_PLANNING`` to read, ``MANAGE_PLANNING`` to write, both with county scope; 403
without the action anywhere, 404 for a county the user does not plan for.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.algorithms.forecast import month_label
from ankommen.algorithms.intake import add_streams
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County
from ankommen.housing.forms import DayForm, add_service_error
from ankommen.planning import charts_intake as charts
from ankommen.planning import freimeldung as fm
from ankommen.planning import selectors_intake as selectors
from ankommen.planning import services_intake as services
from ankommen.planning.aufnahmesoll import aufnahmesoll as quota_report
from ankommen.planning.forms_intake import ChainLinkForm, QuotaForm, SeriesUploadForm, YearForm
from ankommen.planning.prior import prior_streams


def _county(request: HttpRequest, slug: str, action: Action = Action.VIEW_PLANNING) -> County:
    try:
        return selectors.county_for(actor=request.user, slug=slug, action=action)
    except County.DoesNotExist:
        raise Http404(_("Diesen Landkreis gibt es nicht oder Sie planen nicht für ihn.")) from None


def _may_manage(request: HttpRequest, county: County) -> bool:
    return access.allows(request.user, Action.MANAGE_PLANNING, county)


def _flash_errors(request: HttpRequest, form: Any) -> None:
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, str(message))


@require_GET
@login_required
def prior(request: HttpRequest, slug: str) -> HttpResponse:
    county = _county(request, slug)
    streams = prior_streams(county=county)
    total = add_streams([s.values for s in streams])
    own = selectors.intake_by_month(county, day=timezone.localdate())
    context = {
        "county": county,
        "streams": streams,
        "chart": charts.line_chart(total, own),
        "links": selectors.chain_links(county),
        "series": selectors.series_for(county),
        "may_manage": _may_manage(request, county),
        "upload_form": SeriesUploadForm(auto_id="reihe_%s"),
        "link_form": ChainLinkForm(),
        "recent": [(month_label(m), value) for m, value in sorted(total.items())[-12:]],
    }
    return render(request, "planning/intake_prior.html", context)


@require_POST
@login_required
def series_upload(request: HttpRequest, slug: str) -> HttpResponse:
    county = _county(request, slug, Action.MANAGE_PLANNING)
    form = SeriesUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            data = form.cleaned_data
            series = services.upload_series(
                actor=request.user,  # type: ignore[arg-type]
                county=county,
                name=data["name"],
                content=data["file"],
                source=data["source"],
                stream=data["stream"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Reihe „%(name)s“ mit %(n)d Monaten gespeichert.")
                % {"name": series.name, "n": series.values.count()},
            )
            return redirect("intake:prior", slug=county.slug)
    _flash_errors(request, form)
    return redirect("intake:prior", slug=county.slug)


@require_POST
@login_required
def chain_link(request: HttpRequest, slug: str) -> HttpResponse:
    county = _county(request, slug, Action.MANAGE_PLANNING)
    form = ChainLinkForm(request.POST)
    if form.is_valid():
        try:
            services.set_chain_link(
                actor=request.user,  # type: ignore[arg-type]
                county=county,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Die Anteilskette wurde geändert."))
            return redirect("intake:prior", slug=county.slug)
    _flash_errors(request, form)
    return redirect("intake:prior", slug=county.slug)


@require_http_methods(["GET", "POST"])
@login_required
def aufnahmesoll(request: HttpRequest, slug: str) -> HttpResponse:
    county = _county(request, slug)
    today = timezone.localdate()
    quota_form = QuotaForm(initial={"year": today.year})
    if request.method == "POST":
        county = _county(request, slug, Action.MANAGE_PLANNING)
        quota_form = QuotaForm(request.POST)
        if quota_form.is_valid():
            try:
                services.set_quota(
                    actor=request.user,  # type: ignore[arg-type]
                    county=county,
                    **quota_form.cleaned_data,
                )
            except ValidationError as error:
                add_service_error(quota_form, error)
            else:
                messages.success(request, _("Das Aufnahmesoll wurde gespeichert."))
                return redirect("intake:aufnahmesoll", slug=county.slug)
    year_form = YearForm(request.GET or None)
    year = today.year
    if year_form.is_valid() and year_form.cleaned_data["jahr"]:
        year = year_form.cleaned_data["jahr"]
    report = quota_report(county=county, year=year, day=today)
    context = {
        "county": county,
        "report": report,
        "year_form": year_form,
        "quota_form": quota_form,
        "may_manage": _may_manage(request, county),
        "chart": charts.bar_chart(
            [(r.figures.year, r.figures.target, r.figures.intake) for r in report.rows]
        ),
    }
    return render(request, "planning/aufnahmesoll.html", context)


def _report(request: HttpRequest, slug: str) -> tuple[fm.Freimeldung, DayForm]:
    county = _county(request, slug)
    form = DayForm(request.GET or None)
    return fm.freimeldung(county=county, day=form.day()), form


@require_GET
@login_required
def freimeldung(request: HttpRequest, slug: str) -> HttpResponse:
    report, form = _report(request, slug)
    context = {"county": report.county, "report": report, "day_form": form}
    return render(request, "planning/freimeldung.html", context)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
@login_required
def freimeldung_file(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    if extension not in CONTENT_TYPES:
        raise Http404
    report, _form = _report(request, slug)
    content = fm.to_csv(report) if extension == "csv" else fm.to_xlsx(report)
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{fm.file_name(report, extension)}"'
    return response
