"""Thin HTML views of the health app (Gesundheit). Only health roles reach them: a user whose
roles grant the action nowhere gets 403, a person out of reach 404. Reading a record is an
audited read with its purpose (``selectors.health_record``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import Site, User
from ankommen.health import care, forms, selectors, services
from ankommen.health.models import Booking, InstrumentText, Referral
from ankommen.people.models import Person

PURPOSES = {
    "versorgung": gettext_lazy("Gesundheitliche Versorgung"),
    "screening": gettext_lazy("Psychosoziales Screening"),
    "ueberweisung": gettext_lazy("Überweisung"),
    "sprechstunde": gettext_lazy("Sprechstunde"),
}


def _actor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        access.deny()
    return request.user


def _person(request: HttpRequest, pk: int, action: Action) -> Person:
    if not access.counties_for(request.user, action):
        access.deny()
    try:
        return selectors.persons_in_reach(actor=request.user, action=action).get(pk=pk)
    except Person.DoesNotExist:
        raise Http404(_("Diese Person ist nicht vorhanden oder für Sie nicht sichtbar.")) from None


@login_required
@require_GET
def record(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, Action.VIEW_HEALTH)
    purpose_key = request.GET.get("zweck", "versorgung")
    purpose = PURPOSES.get(purpose_key, PURPOSES["versorgung"])
    health = selectors.health_record(actor=_actor(request), person=person, purpose=str(purpose))
    context = {
        "person": person,
        "record": health,
        "purpose": purpose,
        "routes": care.ROUTES,
        "referral_statuses": Referral.Status.choices,
        "attendances": Booking.Attendance.choices,
        "may_record": access.can_reach(request.user, Action.RECORD_HEALTH, person.household),
    }
    return render(request, "health/person.html", context)


def _record_page(
    request: HttpRequest,
    pk: int,
    *,
    form_class: Callable[..., django_forms.Form],
    service: Callable[..., object],
    heading: str,
    success: str,
    form_kwargs: dict[str, Any] | None = None,
    clean: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> HttpResponse:
    person = _person(request, pk, Action.RECORD_HEALTH)
    form = form_class(request.POST if request.method == "POST" else None, **(form_kwargs or {}))
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = clean(form.cleaned_data) if clean else form.cleaned_data
            try:
                service(actor=_actor(request), person=person, **data)
            except ValidationError as error:
                forms.add_service_error(form, error)
            else:
                messages.success(request, success)
                return redirect("health:person", person.pk)
        status = 400
    context = {"person": person, "form": form, "heading": heading}
    return render(request, "health/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def examination(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_page(
        request,
        pk,
        form_class=forms.ExaminationForm,
        service=services.record_examination,
        heading=_("Erstuntersuchung erfassen"),
        success=_("Die Erstuntersuchung wurde erfasst."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def vaccination(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_page(
        request,
        pk,
        form_class=forms.VaccinationForm,
        service=services.record_vaccination,
        heading=_("Impfung erfassen"),
        success=_("Die Impfung wurde erfasst."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def condition(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_page(
        request,
        pk,
        form_class=forms.ConditionForm,
        service=services.record_condition,
        heading=_("Chronische Erkrankung erfassen"),
        success=_("Die Erkrankung wurde erfasst; andere Rollen sehen nur den Bedarf."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_page(
        request,
        pk,
        form_class=forms.ReferralForm,
        service=services.record_referral,
        heading=_("Überweisung erfassen"),
        success=_("Die Überweisung wurde erfasst."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def care_route(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_page(
        request,
        pk,
        form_class=forms.CareRouteForm,
        service=services.record_care_route,
        heading=_("Zugang zur Gesundheitsversorgung erfassen"),
        success=_("Der Zugang zur Versorgung wurde erfasst."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, Action.RECORD_HEALTH)
    return _record_page(
        request,
        pk,
        form_class=forms.BookingForm,
        service=services.book,
        heading=_("Termin in einer Sprechstunde buchen"),
        success=_("Der Termin wurde gebucht."),
        form_kwargs={"hours": selectors.open_hours(county_id=person.county_id)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, Action.RECORD_HEALTH)
    texts = selectors.instrument_texts(county=person.county)
    chosen: InstrumentText | None = None
    wanted = request.POST.get("text") or request.GET.get("text")
    for text in texts:
        if str(text.pk) == wanted:
            chosen = text
    if chosen is None and len(texts) == 1:
        chosen = texts[0]
    if chosen is None:
        return render(request, "health/screening_choose.html", {"person": person, "texts": texts})
    form = forms.ScreeningForm(request.POST if request.method == "POST" else None, text=chosen)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                services.record_screening(
                    actor=_actor(request),
                    person=person,
                    text=chosen,
                    instrument=form.cleaned_data["instrument"],
                    answers=form.answers(),
                    screened_on=form.cleaned_data["screened_on"],
                    interpreter=form.cleaned_data["interpreter"],
                )
            except ValidationError as error:
                forms.add_service_error(form, error)
            else:
                messages.success(request, _("Das Screening wurde gespeichert."))
                return redirect("health:person", person.pk)
        status = 400
    context = {"person": person, "form": form, "text": chosen, "texts": texts}
    return render(request, "health/screening.html", context, status=status)


@login_required
@require_GET
def hours_overview(request: HttpRequest) -> HttpResponse:
    sites = list(selectors.sites_in_reach(actor=request.user))
    if not sites:  # no facility in reach (a caseload reaches households, not facilities)
        access.deny()
    return render(request, "health/hours_overview.html", {"sites": sites})


@login_required
@require_http_methods(["GET", "POST"])
def facility_hours(request: HttpRequest, pk: int) -> HttpResponse:
    """A facility's consultation hours with their bookings as numbers (no names)."""
    action = Action.RECORD_HEALTH if request.method == "POST" else Action.VIEW_HEALTH
    if not access.counties_for(request.user, action):
        access.deny()
    site = selectors.sites_in_reach(actor=request.user, action=action).filter(pk=pk).first()
    if site is None:
        raise Http404(_("Dieser Standort ist nicht vorhanden oder für Sie nicht sichtbar."))
    assert isinstance(site, Site)
    form = forms.ConsultationHourForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                services.create_consultation_hour(
                    actor=_actor(request), site=site, **form.cleaned_data
                )
            except ValidationError as error:
                forms.add_service_error(form, error)
            else:
                messages.success(request, _("Die Sprechstunde wurde angelegt."))
                return redirect("health:facility_hours", site.pk)
        status = 400
    context = {
        "site": site,
        "hours": selectors.consultation_hours(site=site),
        "form": form,
        "may_record": access.can_reach_site(request.user, Action.RECORD_HEALTH, site),
    }
    return render(request, "health/facility_hours.html", context, status=status)


@login_required
@require_POST
def referral_status(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    person = _person(request, pk, Action.RECORD_HEALTH)
    referral = Referral.objects.filter(person=person, pk=referral_pk).first()
    if referral is None:
        raise Http404(_("Diese Überweisung ist nicht vorhanden."))
    form = forms.StatusForm(request.POST, choices=Referral.Status.choices)
    if form.is_valid():
        services.change_referral_status(
            actor=_actor(request), referral=referral, status=form.cleaned_data["status"]
        )
        messages.success(request, _("Der Status wurde gespeichert."))
    else:
        messages.error(request, _("Unbekannter Status."))
    return redirect("health:person", person.pk)


@login_required
@require_POST
def booking_attendance(request: HttpRequest, pk: int, booking_pk: int) -> HttpResponse:
    person = _person(request, pk, Action.RECORD_HEALTH)
    booking = Booking.objects.filter(person=person, pk=booking_pk).first()
    if booking is None:
        raise Http404(_("Dieser Termin ist nicht vorhanden."))
    form = forms.StatusForm(request.POST, choices=Booking.Attendance.choices)
    if form.is_valid():
        services.set_attendance(
            actor=_actor(request), booking=booking, attendance=form.cleaned_data["status"]
        )
        messages.success(request, _("Die Teilnahme wurde gespeichert."))
    else:
        messages.error(request, _("Unbekannte Angabe."))
    return redirect("health:person", person.pk)


@login_required
@require_GET
def reminders(request: HttpRequest) -> HttpResponse:
    """Re-screenings and referral follow-ups due (each listed person is an audited read)."""
    if not access.counties_for(request.user, Action.VIEW_HEALTH):
        access.deny()
    items = selectors.worklist(actor=_actor(request))
    return render(request, "health/worklist.html", {"items": items})
