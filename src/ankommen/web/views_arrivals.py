"""The arrival board (households announced per day) and each household's arrival checklist,
planned facility and vulnerability assessment. County staff and the shelter manager of the
planned facility (``Action.PREPARE_ARRIVAL``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ankommen.algorithms.allocation_lists import NEED_CODES
from ankommen.algorithms.codes import language_name
from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import Site
from ankommen.housing import selectors_arrivals as selectors
from ankommen.housing.models import Allocation, Arrival, ArrivalTask
from ankommen.housing.services_arrivals import (
    ACCOMMODATION_SITE_KINDS,
    arriving_members,
    assess_vulnerabilities,
    complete_task,
    plan_facility,
)
from ankommen.people.models import Vulnerability
from ankommen.web.forms_allocations import CATEGORY_CHOICES, PlanFacilityForm


def _require_any(request: HttpRequest) -> None:
    if not access.counties_for(request.user, Action.PREPARE_ARRIVAL):
        access.deny()


def _day(value: str | None) -> date:
    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return timezone.localdate()


@login_required
def board(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    day = _day(request.GET.get("tag"))
    context = {
        "day": day,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "entries": selectors.arrival_board(actor=request.user, day=day),
        "may_import": bool(access.counties_for(request.user, Action.CREATE_PERSON)),
    }
    return render(request, "web/arrivals/board.html", context)


def _arrival(request: HttpRequest, pk: int) -> Arrival:
    _require_any(request)
    try:
        return selectors.arrivals_visible_to(actor=request.user).get(pk=pk)
    except Arrival.DoesNotExist:
        raise Http404(_("Diese Ankunft ist nicht vorhanden oder für Sie nicht sichtbar.")) from None


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    arrival = _arrival(request, pk)
    today = timezone.localdate()
    members = arriving_members(arrival)
    allocations = {a.person_id: a for a in Allocation.objects.filter(person__in=members)}
    current: dict[int, set[str]] = {}
    health_read = []
    for need in Vulnerability.objects.active_on(today).filter(person__in=members):
        current.setdefault(need.person_id, set()).add(need.category)
        if need.category in Vulnerability.HEALTH_RELATED:
            health_read.append(need.person_id)
    for person_id in sorted(set(health_read)):
        record_event(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditEvent.Action.READ,
            obj=arrival.household,
            person_id=person_id,
            purpose=_("Ankunft vorbereitet: Schutzbedarf angezeigt"),
            details={"categories": "vulnerabilities"},
        )
    rows: list[dict[str, Any]] = []
    for person in members:
        allocation = allocations.get(person.pk)
        rows.append(
            {
                "person": person,
                "age": person.birth_date.age_on(arrival.planned_on),
                "languages": [language_name(s.code) for s in person.languages.all()],
                "needs": [NEED_CODES.get(c, c) for c in (allocation.needs if allocation else [])],
                "categories": [
                    (value, label, value in current.get(person.pk, set()))
                    for value, label in CATEGORY_CHOICES
                ],
            }
        )
    may_plan = access.allows(request.user, Action.PREPARE_ARRIVAL, arrival.county)
    sites = Site.objects.filter(county=arrival.county, kind__in=ACCOMMODATION_SITE_KINDS)
    context = {
        "arrival": arrival,
        "rows": rows,
        "tasks": list(
            arrival.tasks.select_related("done_by", "assignee").order_by("due_at", "kind")
        ),
        "now": timezone.now(),
        "may_plan": may_plan,
        # Check-in (a bed from the arrival day) is on the household's housing page.
        "may_check_in": access.can_reach(
            request.user, Action.MANAGE_ACCOMMODATION, arrival.household
        ),
        "plan_form": PlanFacilityForm(initial={"site": arrival.site}, sites=sites)
        if may_plan
        else None,
    }
    return render(request, "web/arrivals/detail.html", context)


@require_POST
@login_required
def toggle_task(request: HttpRequest, pk: int) -> HttpResponse:
    _require_any(request)
    try:
        task = ArrivalTask.objects.select_related("arrival__household").get(
            pk=pk, arrival__in=selectors.arrivals_visible_to(actor=request.user)
        )
    except ArrivalTask.DoesNotExist:
        raise Http404 from None
    complete_task(actor=request.user, task=task, done=request.POST.get("done") == "1")  # type: ignore[arg-type]
    return redirect("web:arrival", pk=task.arrival_id)


@require_POST
@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    arrival = _arrival(request, pk)
    if not access.allows(request.user, Action.PREPARE_ARRIVAL, arrival.county):
        access.deny()
    sites = Site.objects.filter(county=arrival.county, kind__in=ACCOMMODATION_SITE_KINDS)
    form = PlanFacilityForm(request.POST, sites=sites)
    if form.is_valid():
        plan_facility(actor=request.user, arrival=arrival, site=form.cleaned_data["site"])  # type: ignore[arg-type]
        messages.success(request, _("Die geplante Unterkunft wurde gespeichert."))
    else:
        messages.error(request, _("Bitte eine Unterkunft aus der Liste wählen."))
    return redirect("web:arrival", pk=arrival.pk)


@require_POST
@login_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    arrival = _arrival(request, pk)
    members = arriving_members(arrival)
    categories = {person.pk: request.POST.getlist(f"kategorie-{person.pk}") for person in members}
    try:
        counts = assess_vulnerabilities(actor=request.user, arrival=arrival, categories=categories)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Schutzbedarf gespeichert: %(added)d neu, %(ended)d entfallen.") % counts,
        )
    return redirect("web:arrival", pk=arrival.pk)
