"""Thin HTML views of casework (Migrationssozialarbeit) under ``/beratung/``."""

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

from ankommen.casework import aggregates, selectors, services
from ankommen.casework.forms import (
    AssignForm,
    ContactForm,
    GoalForm,
    GoalStatusForm,
    OpenCaseForm,
    ReferralForm,
    ReferralStatusForm,
)
from ankommen.casework.models import Case, Goal, Referral
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import User
from ankommen.people.models import Household, Person


def _add_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            for text in texts:
                form.add_error(name if name in form.fields else None, text)
    else:
        for text in error.messages:
            form.add_error(None, text)


def _require_any(request: HttpRequest, action: Action) -> None:
    if not access.counties_for(request.user, action):
        access.deny()


def _not_found() -> Http404:
    return Http404(_("Dieser Fall ist nicht vorhanden oder für Sie nicht sichtbar."))


def _case(request: HttpRequest, pk: int, action: Action = Action.VIEW_CASEWORK) -> Case:
    _require_any(request, action)
    try:
        case = selectors.case_for_page(actor=request.user, pk=pk)
    except Case.DoesNotExist:
        raise _not_found() from None
    if action != Action.VIEW_CASEWORK and not access.can_reach(
        request.user, action, case.household
    ):
        raise _not_found()
    return case


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    _require_any(request, Action.VIEW_CASEWORK)
    today = timezone.localdate()
    cases = selectors.open_cases_visible_to(actor=request.user, day=today)
    counties = [
        c
        for c in access.counties_for(request.user, Action.VIEW_AGGREGATES)
        if access.allows_county_wide(request.user, Action.VIEW_AGGREGATES, c)
    ]
    return render(
        request, "casework/overview.html", {"cases": cases, "caseload_counties": counties}
    )


@require_GET
@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    _require_any(request, Action.VIEW_CASEWORK)
    only_own = request.GET.get("eigene") == "1"
    lists = selectors.worklists(actor=request.user, day=timezone.localdate(), only_own=only_own)
    return render(request, "casework/worklist.html", {"lists": lists, "only_own": only_own})


@require_GET
@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    counties = [
        c
        for c in access.counties_for(request.user, Action.VIEW_AGGREGATES)
        if access.allows_county_wide(request.user, Action.VIEW_AGGREGATES, c)
    ]
    if not counties:
        access.deny()
    today = timezone.localdate()
    loads = [aggregates.caseload(county=county, day=today) for county in counties]
    return render(request, "casework/caseload.html", {"loads": loads})


def _household_context(
    request: HttpRequest, household: Household, form: OpenCaseForm | None = None
) -> dict[str, Any]:
    members = list(Person._base_manager.filter(household=household).order_by("birth_year"))
    may_open = access.allows(request.user, Action.CHANGE_CASEWORK, household.county)
    if may_open and form is None:
        form = OpenCaseForm(household=household, members=members)
    return {
        "household": household,
        "cases": selectors.cases_of_household(actor=request.user, household_id=household.pk),
        "form": form if may_open else None,
    }


@require_http_methods(["GET", "POST"])
@login_required
def household(request: HttpRequest, pk: int) -> HttpResponse:
    """The cases of one household; the county opens a case here."""
    action = Action.VIEW_CASEWORK if request.method == "GET" else Action.CHANGE_CASEWORK
    _require_any(request, action)
    try:
        home = access.restrict(Household._base_manager.all(), request.user, action).get(pk=pk)
    except Household.DoesNotExist:
        raise Http404(
            _("Dieser Haushalt ist nicht vorhanden oder für Sie nicht sichtbar.")
        ) from None
    if request.method == "GET":
        return render(request, "casework/household.html", _household_context(request, home))
    if not access.allows(request.user, Action.CHANGE_CASEWORK, home.county):
        access.deny()
    members = list(Person._base_manager.filter(household=home))
    form = OpenCaseForm(request.POST, household=home, members=members)
    if form.is_valid():
        person_id = form.cleaned_data["person"]
        person = next((p for p in members if p.pk == person_id), None)
        try:
            case = services.open_case(
                actor=request.user,  # type: ignore[arg-type]
                household=home,
                provider=form.cleaned_data["provider"],
                opened_on=form.cleaned_data["opened_on"],
                person=person,
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Fall eröffnet."))
            return redirect("casework:case", pk=case.pk)
    context = _household_context(request, home, form)
    return render(request, "casework/household.html", context, status=400)


def _case_context(request: HttpRequest, case: Case, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    may_change = access.can_reach(request.user, Action.CHANGE_CASEWORK, case.household)
    referrals = selectors.referrals_of(case=case)
    context: dict[str, Any] = {
        "case": case,
        "members": list(Person._base_manager.filter(household=case.household_id)),
        "contacts": selectors.contacts_of(actor=request.user, case=case),
        "referrals": referrals,
        "goals": selectors.goals_of(case=case),
        "assignments": selectors.assignments_of(case=case),
        "today": today,
        "may_change": may_change and case.closed_on is None,
    }
    if context["may_change"]:
        # One page holds the four forms: each has a prefix, so that field ids stay unique.
        context["contact_form"] = forms.get("contact_form") or ContactForm(
            county_id=case.county_id, prefix="contact"
        )
        context["referral_form"] = forms.get("referral_form") or ReferralForm(prefix="referral")
        context["goal_form"] = forms.get("goal_form") or GoalForm(
            referrals=referrals, prefix="goal"
        )
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            caseworkers=selectors.eligible_caseworkers(case=case, day=today), prefix="assign"
        )
        context["status_choices"] = Referral.Status.choices
        context["goal_status_choices"] = Goal.Status.choices
    return context


@require_GET
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return render(request, "casework/case.html", _case_context(request, case))


def _write(
    request: HttpRequest, case: Case, name: str, form: Any, write: Any, done: str
) -> HttpResponse:
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, done)
            return redirect("casework:case", pk=case.pk)
    context = _case_context(request, case, **{name: form})
    return render(request, "casework/case.html", context, status=400)


@require_POST
@login_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, Action.CHANGE_CASEWORK)
    form = ContactForm(request.POST, county_id=case.county_id, prefix="contact")
    return _write(
        request,
        case,
        "contact_form",
        form,
        lambda data: services.record_contact(
            actor=request.user,  # type: ignore[arg-type]
            case=case,
            day=data["day"],
            minutes=data["minutes"],
            place=data["place"],
            language=data["language"],
            interpreter=data["interpreter"],
            topics=data["topics"],
            note=data["note"],
            confidential_note=data["confidential_note"],
        ),
        _("Beratungskontakt eingetragen."),
    )


@require_POST
@login_required
def referral_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, Action.CHANGE_CASEWORK)
    form = ReferralForm(request.POST, prefix="referral")
    return _write(
        request,
        case,
        "referral_form",
        form,
        lambda data: services.record_referral(
            actor=request.user,  # type: ignore[arg-type]
            case=case,
            service=data["service"],
            recipient=data["recipient"],
            sent_on=data["sent_on"],
            follow_up_on=data["follow_up_on"],
            note=data["note"],
        ),
        _("Weitervermittlung eingetragen."),
    )


@require_POST
@login_required
def referral_update(request: HttpRequest, pk: int) -> HttpResponse:
    _require_any(request, Action.CHANGE_CASEWORK)
    try:
        referral = selectors.referral_for_change(actor=request.user, pk=pk)
    except Referral.DoesNotExist:
        raise Http404(
            _("Diese Weitervermittlung ist nicht vorhanden oder für Sie nicht sichtbar.")
        ) from None
    case = _case(request, referral.case_id, Action.CHANGE_CASEWORK)
    form = ReferralStatusForm(request.POST)
    return _write(
        request,
        case,
        "status_form",
        form,
        lambda data: services.update_referral(
            actor=request.user,  # type: ignore[arg-type]
            referral=referral,
            status=data["status"],
            follow_up_on=data["follow_up_on"],
        ),
        _("Weitervermittlung aktualisiert."),
    )


@require_POST
@login_required
def goal_update(request: HttpRequest, pk: int) -> HttpResponse:
    _require_any(request, Action.CHANGE_CASEWORK)
    try:
        goal = selectors.goal_for_change(actor=request.user, pk=pk)
    except Goal.DoesNotExist:
        raise Http404(_("Dieses Ziel ist nicht vorhanden oder für Sie nicht sichtbar.")) from None
    case = _case(request, goal.case_id, Action.CHANGE_CASEWORK)
    form = GoalStatusForm(request.POST)
    return _write(
        request,
        case,
        "status_form",
        form,
        lambda data: services.update_goal(
            actor=request.user,  # type: ignore[arg-type]
            goal=goal,
            status=data["status"],
            target_on=data["target_on"],
        ),
        _("Ziel aktualisiert."),
    )


@require_POST
@login_required
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, Action.CHANGE_CASEWORK)
    referrals = selectors.referrals_of(case=case)
    form = GoalForm(request.POST, referrals=referrals, prefix="goal")
    by_pk = {r.pk: r for r in referrals}
    return _write(
        request,
        case,
        "goal_form",
        form,
        lambda data: services.add_goal(
            actor=request.user,  # type: ignore[arg-type]
            case=case,
            field=data["field"],
            title=data["title"],
            target_on=data["target_on"],
            status=data["status"],
            referral=by_pk.get(data["referral"]) if data["referral"] else None,
        ),
        _("Ziel eingetragen."),
    )


@require_POST
@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, Action.CHANGE_CASEWORK)
    caseworkers = selectors.eligible_caseworkers(case=case, day=timezone.localdate())
    form = AssignForm(request.POST, caseworkers=caseworkers, prefix="assign")
    by_pk: dict[int, User] = {u.pk: u for u in caseworkers}
    return _write(
        request,
        case,
        "assign_form",
        form,
        lambda data: services.assign_caseworker(
            actor=request.user,  # type: ignore[arg-type]
            case=case,
            caseworker=by_pk[data["caseworker"]],
            day=data["day"],
            hand_over=data["hand_over"],
        ),
        _("Fachkraft zugeordnet."),
    )
