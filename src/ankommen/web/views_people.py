"""Pages that create and change households and persons.

Thin shells: a form turns the input into types, a ``people.services`` function checks access,
validates and writes; its ``ValidationError`` goes back onto the form. A user whose roles lack
the action everywhere gets 403; objects the user may not see are 404 (nothing is revealed);
visible objects the user may not change are 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ankommen.algorithms.codes import language_name, nationality_name
from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import User
from ankommen.health import selectors as health_selectors
from ankommen.people import selectors, services
from ankommen.people.models import Consent, Household, Person
from ankommen.web.forms_people import (
    ConsentForm,
    HouseholdForm,
    PeopleForm,
    PersonForm,
    ResidenceStatusForm,
    VulnerabilityForm,
    WithdrawConsentForm,
)


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required runs first; this only narrows the type
        access.deny()
    return user


def _household(request: HttpRequest, pk: int) -> Household:
    try:
        return selectors.households_visible_to(actor=request.user).get(pk=pk)
    except Household.DoesNotExist:
        raise Http404(
            _("Dieser Haushalt ist nicht vorhanden oder für Sie nicht sichtbar.")
        ) from None


def _person(request: HttpRequest, pk: int) -> Person:
    try:
        return selectors.person_for_page(actor=request.user, pk=pk)
    except Person.DoesNotExist:
        raise Http404(_("Diese Person ist nicht vorhanden oder für Sie nicht sichtbar.")) from None


def _require_somewhere(request: HttpRequest, *actions: Action) -> None:
    """403 when the user's roles grant one of ``actions`` in no county at all: the answer is
    the same for every object, so it reveals nothing (docs/security.md, "Fail closed")."""
    for action in actions:
        if not access.counties_for(request.user, action):
            access.deny()


def _person_to_change(request: HttpRequest, pk: int) -> Person:
    """A person the user sees (else 404) and may change (else 403; also without the right to
    change persons anywhere)."""
    _require_somewhere(request, Action.CHANGE_PERSON)
    person = _person(request, pk)
    access.require_reach(request.user, Action.CHANGE_PERSON, person.household)
    return person


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _form_page(
    request: HttpRequest,
    form: PeopleForm,
    *,
    heading: str,
    submit: str,
    cancel_url: str,
    subject: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "heading": heading,
        "submit": submit,
        "cancel_url": cancel_url,
        "subject": subject,
    }
    return render(request, "web/people/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    counties = access.counties_for(request.user, Action.CREATE_PERSON)
    if not counties:
        access.deny()
    form = HouseholdForm(_posted(request), counties=counties)
    if form.is_bound and form.is_valid():
        try:
            household = services.create_household(
                actor=_actor(request),
                county=form.cleaned_data.get("county") or counties[0],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(
                request,
                _("Haushalt %(ref)s angelegt. Jetzt die Personen hinzufügen.")
                % {"ref": household.reference},
            )
            return redirect("web:household", household.pk)
    return _form_page(
        request,
        form,
        heading=_("Haushalt anlegen"),
        submit=_("Haushalt anlegen"),
        cancel_url=reverse("web:home"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_somewhere(request, Action.CREATE_PERSON, Action.CHANGE_PERSON)
    household = _household(request, pk)
    access.require(request.user, Action.CREATE_PERSON, household.county)
    access.require_reach(request.user, Action.CHANGE_PERSON, household)
    first = not household.members.exists()
    form = PersonForm(
        _posted(request),
        person=None,
        initial={"household_role": Person.HouseholdRole.HEAD if first else ""},
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.create_person(actor=_actor(request), household=household, **data)
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(
                request,
                _("%(name)s wurde dem Haushalt hinzugefügt.") % {"name": person.full_name},
            )
            return redirect("web:household", household.pk)
    return _form_page(
        request,
        form,
        heading=_("Person hinzufügen"),
        submit=_("Person speichern"),
        cancel_url=reverse("web:household", args=[household.pk]),
        subject=_("Haushalt %(ref)s") % {"ref": household.reference},
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_somewhere(request, Action.VIEW_PERSON)
    person = _person(request, pk)
    facts = selectors.sensitive_facts(actor=request.user, person=person)
    # Health needs ("Bedarf: psychosoziale Unterstützung"), never the findings behind them.
    health_needs = health_selectors.needs_for(actor=request.user, person=person)
    if facts is not None and (facts.reveals_health or health_needs):
        record_event(
            actor=_actor(request),
            action=AuditEvent.Action.READ,
            obj=person,
            person_id=person.pk,
            purpose=_("Personenakte geöffnet"),
            details={"categories": "vulnerabilities"},
        )
    today = timezone.localdate()
    context = {
        "person": person,
        "age": person.birth_date.age_on(today),
        "nationality_names": [nationality_name(n.code) for n in person.nationalities.all()],
        "language_names": [
            language_name(lang.code)
            for lang in sorted(
                person.languages.all(), key=lambda x: (not x.is_first_language, x.pk)
            )
        ],
        "facts": facts,
        "health_needs": health_needs,
        "may_view_health": access.can_reach(request.user, Action.VIEW_HEALTH, person.household),
        "today": today,
        "may_change": access.can_reach(request.user, Action.CHANGE_PERSON, person.household),
        "may_export": access.allows(request.user, Action.EXPORT_SUBJECT_DATA, person.county),
    }
    return render(request, "web/people/person.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_to_change(request, pk)
    form = PersonForm(_posted(request), person=person, initial=PersonForm.initial_for(person))
    if form.is_bound and form.is_valid():
        try:
            services.update_person(actor=_actor(request), person=person, **form.cleaned_data)
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, _("Die Angaben wurden gespeichert."))
            return redirect("web:person", person.pk)
    return _form_page(
        request,
        form,
        heading=_("Angaben zur Person ändern"),
        submit=_("Änderungen speichern"),
        cancel_url=reverse("web:person", args=[person.pk]),
        subject=person.full_name,
    )


def _record_fact(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[Any],
    service: Callable[..., object],
    success: str,
    heading: str,
    submit: str,
) -> HttpResponse:
    """Record one dated fact about a person (status, need, consent) through its service."""
    person = _person_to_change(request, pk)
    form = form_class(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            service(actor=_actor(request), person=person, **form.cleaned_data)
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, success)
            return redirect("web:person", person.pk)
    return _form_page(
        request,
        form,
        heading=heading,
        submit=submit,
        cancel_url=reverse("web:person", args=[person.pk]),
        subject=person.full_name,
    )


@login_required
@require_http_methods(["GET", "POST"])
def residence_status_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_fact(
        request,
        pk,
        form_class=ResidenceStatusForm,
        service=services.record_residence_status,
        success=_("Der Aufenthaltsstatus wurde erfasst."),
        heading=_("Aufenthaltsstatus erfassen"),
        submit=_("Status speichern"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def vulnerability_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_fact(
        request,
        pk,
        form_class=VulnerabilityForm,
        service=services.record_vulnerability,
        success=_("Der Schutzbedarf wurde erfasst."),
        heading=_("Besondere Schutzbedürftigkeit erfassen"),
        submit=_("Schutzbedarf speichern"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_fact(
        request,
        pk,
        form_class=ConsentForm,
        service=services.record_consent,
        success=_("Die Einwilligung wurde erfasst."),
        heading=_("Einwilligung erfassen"),
        submit=_("Einwilligung speichern"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    person = _person_to_change(request, pk)
    consent = Consent.objects.filter(person=person, pk=consent_pk).first()
    if consent is None:
        raise Http404(_("Diese Einwilligung ist nicht vorhanden."))
    form = WithdrawConsentForm(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            services.withdraw_consent(actor=_actor(request), consent=consent, **form.cleaned_data)
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, _("Der Widerruf wurde erfasst."))
            return redirect("web:person", person.pk)
    return _form_page(
        request,
        form,
        heading=_("Einwilligung widerrufen: %(purpose)s")
        % {"purpose": consent.get_purpose_display()},
        submit=_("Widerruf speichern"),
        cancel_url=reverse("web:person", args=[person.pk]),
        subject=person.full_name,
    )
