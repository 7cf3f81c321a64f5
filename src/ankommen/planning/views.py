"""Thin HTML views of the capacity plan (Kapazitätsplanung) under /planung/.

Planners and county administrators with county scope (``PLAN_CAPACITY``) see figures only: the
forecast with its back-test, the simulated plan per scenario, the reserve and its cost. The
results are computed in a second request (htmx loads them when the page is shown, with a live
status meanwhile), because the forecast's back-test takes a few seconds.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.algorithms.capacity import KINDS, CapacityError
from ankommen.core import access
from ankommen.core.models import County, Site
from ankommen.housing.forms import add_service_error
from ankommen.planning import charts, plan, services
from ankommen.planning.forms import ChangeForm, CostForm, PlanOptionsForm, ScenarioForm
from ankommen.planning.models import CapacityChange, Scenario

MAX_COMPARE = 4


def _kind_label(kind: str) -> str:
    return {
        "family": _("Familienzimmer"),
        "barrier_free": _("barrierefreie Plätze"),
        "women_only": _("Plätze nur für Frauen"),
    }[kind]


def _county(request: HttpRequest) -> County:
    """The county planned in: the one asked for (``landkreis``), else the first; 403 without
    ``PLAN_CAPACITY`` anywhere, 404 for a county the user does not plan in."""
    counties = plan.counties_for(request.user)
    if not counties:
        access.deny()
    slug = request.GET.get("landkreis") or request.POST.get("landkreis")
    if not slug:
        return counties[0]
    for county in counties:
        if county.slug == slug:
            return county
    raise Http404(_("Diesen Landkreis planen Sie nicht."))


def _scenario(request: HttpRequest, pk: int) -> Scenario:
    if not plan.counties_for(request.user):
        access.deny()
    try:
        return plan.scenario_for(request.user, pk)
    except Scenario.DoesNotExist:
        raise Http404(_("Dieses Szenario gibt es nicht oder Sie planen dort nicht.")) from None


def _page_url(county: County, **params: Any) -> str:
    query = {"landkreis": county.slug, **{k: v for k, v in params.items() if v is not None}}
    return f"{reverse('planning:capacity')}?{urlencode(query, doseq=True)}"


def _options(request: HttpRequest) -> PlanOptionsForm:
    data = request.GET.copy()
    data.setdefault("risiko", str(plan.DEFAULT_RISK))
    return PlanOptionsForm(data)


def _change_data(form: ChangeForm) -> dict[str, Any]:
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return data


def _capacity_context(
    request: HttpRequest,
    county: County,
    *,
    scenario_form: ScenarioForm | None = None,
    change_form: ChangeForm | None = None,
    cost_form: CostForm | None = None,
) -> dict[str, Any]:
    options = _options(request)
    compared = request.GET.getlist("vergleich")
    query: dict[str, Any] = {
        "landkreis": county.slug,
        "risiko": options.risk(),
        "vergleich": compared,
    }
    base_changes = CapacityChange.objects.filter(county=county, scenario__isnull=True)
    default_cost, site_costs = plan.place_costs(county, timezone.localdate())
    return {
        "county": county,
        "counties": plan.counties_for(request.user),
        "options": options,
        "compared": compared,
        "results_url": f"{reverse('planning:capacity_results')}?{urlencode(query, doseq=True)}",
        "scenarios": plan.scenarios_of(county),
        "planned": base_changes.select_related("site"),
        "default_cost": default_cost,
        "site_costs": site_costs,
        "scenario_form": scenario_form or ScenarioForm(),
        "change_form": change_form or ChangeForm(county=county),
        "cost_form": cost_form or CostForm(county=county),
    }


@require_GET
@login_required
def capacity(request: HttpRequest) -> HttpResponse:
    county = _county(request)
    return render(request, "planning/capacity.html", _capacity_context(request, county))


def _scenario_rows(results: list[plan.PlanResult]) -> list[dict[str, Any]]:
    """One row per month with each scenario's figures, for the comparison table."""
    rows = []
    for h, month in enumerate(results[0].simulation.months):
        rows.append({"month": month, "cells": [r.simulation.total[h] for r in results]})
    return rows


@require_GET
@login_required
def capacity_results(request: HttpRequest) -> HttpResponse:
    county = _county(request)
    risk = _options(request).risk()
    wanted = [int(v) for v in request.GET.getlist("vergleich") if v.isdigit()]
    scenarios = plan.scenarios_of(county)
    chosen = [s for s in scenarios if s.pk in wanted] if wanted else scenarios
    base = plan.baseline(county)
    try:
        results = [plan.run_plan(base, risk=risk)]
        results += [plan.run_plan(base, s, risk=risk) for s in chosen[:MAX_COMPARE]]
    except CapacityError as error:
        return render(
            request, "planning/results_page.html", {"error": str(error), "county": county}
        )
    top = charts.common_top(base.places.total.occupied, [r.simulation.total for r in results])
    panels = []
    for result in results:
        kinds = []
        for kind in KINDS:
            rows = result.simulation.kinds[kind]
            kinds.append(
                {
                    "label": _kind_label(kind),
                    "share": plan.percent(base.shares[kind]),
                    "occupied": base.places.kinds[kind].occupied,
                    "usable": base.places.kinds[kind].usable,
                    "peak": plan.percent(max(m.shortage for m in rows)),
                    "last": rows[-1],
                }
            )
        panels.append(
            {
                "result": result,
                "chart": charts.band_chart(
                    base.places.total.occupied, result.simulation.total, top
                ),
                "peak": plan.percent(result.simulation.peak_shortage),
                "first_short": plan.shortage_month(result),
                "kinds": kinds,
            }
        )
    exits = {reason: plan.percent(rate * 10) / 10 for reason, rate in base.exits.by_reason.items()}
    context = {
        "county": county,
        "base": base,
        "forecast": base.forecast,
        "fan": charts.fan_chart(base.forecast.history, base.forecast.months),
        "panels": panels,
        "rows": _scenario_rows(results),
        "results": results,
        "risk_percent": plan.percent(risk),
        "exit_total": round(base.exits.total * 100, 1),
        "exits": exits,
        "housed_percent": plan.percent(base.housed_share),
        "runs": results[0].simulation.runs,
    }
    template = (
        "planning/_results.html"
        if request.headers.get("HX-Request")
        else "planning/results_page.html"
    )
    return render(request, template, context)


@require_POST
@login_required
def scenario_create(request: HttpRequest) -> HttpResponse:
    county = _county(request)
    form = ScenarioForm(request.POST)
    if form.is_valid():
        try:
            scenario = services.create_scenario(
                actor=request.user,  # type: ignore[arg-type]
                county=county,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Szenario „%(name)s“ angelegt.") % {"name": scenario.name})
            return redirect("planning:scenario", pk=scenario.pk)
    context = _capacity_context(request, county, scenario_form=form)
    return render(request, "planning/capacity.html", context, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def scenario(request: HttpRequest, pk: int) -> HttpResponse:
    item = _scenario(request, pk)
    form = ChangeForm(request.POST or None, county=item.county)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_change(
                actor=request.user,  # type: ignore[arg-type]
                county=item.county,
                scenario=item,
                data=_change_data(form),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Änderung hinzugefügt."))
            return redirect("planning:scenario", pk=item.pk)
    context = {
        "scenario": item,
        "changes": item.changes.select_related("site"),
        "form": form,
        "compare_url": _page_url(item.county, vergleich=[item.pk]),
    }
    return render(request, "planning/scenario.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def scenario_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _scenario(request, pk)
    county = item.county
    services.delete_scenario(actor=request.user, scenario=item)  # type: ignore[arg-type]
    messages.success(request, _("Szenario gelöscht."))
    return redirect(_page_url(county))


@require_POST
@login_required
def change_delete(request: HttpRequest, pk: int) -> HttpResponse:
    counties = [county.pk for county in plan.counties_for(request.user)]
    if not counties:
        access.deny()
    change = (
        CapacityChange.objects.select_related("county")
        .filter(county_id__in=counties, pk=pk)
        .first()
    )
    if change is None:
        raise Http404(_("Diese Änderung gibt es nicht oder Sie planen dort nicht."))
    scenario_id = change.scenario_id
    services.delete_change(actor=request.user, change=change)  # type: ignore[arg-type]
    messages.success(request, _("Änderung entfernt."))
    if scenario_id is not None:
        return redirect("planning:scenario", pk=scenario_id)
    return redirect(_page_url(change.county))


@require_POST
@login_required
def planned_change_create(request: HttpRequest) -> HttpResponse:
    county = _county(request)
    form = ChangeForm(request.POST, county=county)
    if form.is_valid():
        try:
            services.add_change(
                actor=request.user,  # type: ignore[arg-type]
                county=county,
                scenario=None,
                data=_change_data(form),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Geplante Änderung erfasst."))
            return redirect(_page_url(county))
    context = _capacity_context(request, county, change_form=form)
    return render(request, "planning/capacity.html", context, status=400)


@require_POST
@login_required
def cost_create(request: HttpRequest) -> HttpResponse:
    county = _county(request)
    form = CostForm(request.POST, county=county)
    if form.is_valid():
        site_id = form.cleaned_data["site"]
        site = (
            Site._base_manager.filter(county=county, pk=int(site_id)).first() if site_id else None
        )
        try:
            services.set_place_cost(
                actor=request.user,  # type: ignore[arg-type]
                county=county,
                site=site,
                monthly_per_place=form.cleaned_data["monthly_per_place"],
                valid_from=form.cleaned_data["valid_from"],
                source=form.cleaned_data["source"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Kosten je Platz erfasst."))
            return redirect(_page_url(county))
    context = _capacity_context(request, county, cost_form=form)
    return render(request, "planning/capacity.html", context, status=400)
