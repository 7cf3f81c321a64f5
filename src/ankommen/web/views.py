"""Thin HTML views: they check access through selectors and ``core.access`` and render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ankommen.algorithms.codes import language_name, nationality_name
from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.people import aggregates, selectors
from ankommen.people.models import Household, Responsibility, Vulnerability
from ankommen.people.timeline import timeline_for
from ankommen.planning.selectors_intake import planning_counties
from ankommen.web.forms import OTPForm, SearchForm
from ankommen.web.navigation import FIELDS_BY_SLUG


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    households = selectors.households_visible_to(actor=request.user)
    context = {
        "may_create_household": bool(access.counties_for(request.user, Action.CREATE_PERSON)),
        "household_count": households.count(),
        "person_count": selectors.persons_visible_to(actor=request.user).count(),
    }
    return render(request, "web/home.html", context)


def _field_figures(slug: str, user: Any) -> dict[str, Any]:
    """What exists today for a field of action, without personal data (see people.aggregates)."""
    if slug == "planung":
        return {
            "accommodation": aggregates.accommodation_overview(actor=user),
            "may_plan": bool(access.counties_for(user, Action.PLAN_CAPACITY)),
            "intake_counties": planning_counties(actor=user),
            "finance_counties": access.counties_for(user, Action.VIEW_FINANCE),
        }
    if slug == "unterbringung":
        return {"accommodation": aggregates.accommodation_overview(actor=user)}
    if slug == "beratung":
        return {"casework": aggregates.casework_overview(actor=user)}
    kind = {
        "gesellschaft": Responsibility.Kind.MENTORING,
        "arbeit": Responsibility.Kind.COACHING,
    }.get(slug)
    if kind is not None:
        return {"totals": aggregates.responsibility_totals(actor=user, kind=kind)}
    return {}


@login_required
def field_of_action(request: HttpRequest, slug: str) -> HttpResponse:
    field = FIELDS_BY_SLUG.get(slug)
    if field is None:
        raise Http404
    context = {
        "field": field,
        "field_template": f"web/fields/{field.slug}.html",
        "has_membership": bool(access.active_memberships(request.user)),
        **_field_figures(field.slug, request.user),
    }
    return render(request, "web/field.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    if not access.counties_for(request.user, Action.VIEW_PERSON):
        raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = selectors.search_persons(actor=request.user, query=form.cleaned_data["q"])
    return render(request, "web/search.html", {"form": form, "results": results})


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.counties_for(request.user, Action.VIEW_PERSON):
        raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))
    try:
        household = selectors.household_for_page(actor=request.user, pk=pk)
    except Household.DoesNotExist:
        raise Http404(
            _("Dieser Haushalt ist nicht vorhanden oder für Sie nicht sichtbar.")
        ) from None
    members = list(household.members.all())
    today = timezone.localdate()
    facts = selectors.member_facts(actor=request.user, household=household, members=members)
    sensitive = facts is not None
    rows: list[dict[str, Any]] = []
    statuses = facts.statuses_on(today) if facts else {}
    needs: dict[int, list[str]] = {}
    if facts:
        health_read: set[int] = set()
        for need in facts.needs_on(today):
            needs.setdefault(need.person_id, []).append(need.get_category_display())
            if need.category in Vulnerability.HEALTH_RELATED:
                health_read.add(need.person_id)
        # Health-related needs are special-category data (GDPR Art. 9): each read is audited,
        # once per person whose such needs are shown.
        for person_id in sorted(health_read):
            record_event(
                actor=request.user,  # type: ignore[arg-type]
                action=AuditEvent.Action.READ,
                obj=household,
                person_id=person_id,
                purpose=_("Haushaltsakte geöffnet"),
                details={"categories": "vulnerabilities"},
            )
    for person in members:
        rows.append(
            {
                "person": person,
                "age": person.birth_date.age_on(today),
                "nationalities": [nationality_name(n.code) for n in person.nationalities.all()],
                "languages": [language_name(lang.code) for lang in person.languages.all()],
                "status": statuses.get(person.pk),
                "needs": needs.get(person.pk, []),
            }
        )
    may_change = access.can_reach(request.user, Action.CHANGE_PERSON, household)
    context = {
        "household": household,
        "rows": rows,
        "sensitive": sensitive,
        "may_change": may_change,
        "may_add_person": may_change
        and access.allows(request.user, Action.CREATE_PERSON, household.county),
        "timeline": timeline_for(household, members, request.user),
        "may_see_casework": access.can_reach(request.user, Action.VIEW_CASEWORK, household),
    }
    return render(request, "web/household.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    counties = access.counties_for(request.user, Action.VIEW_AUDIT)
    if not counties:
        raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))
    events = AuditEvent.objects.filter(county__in=counties).order_by("-sequence")
    page = Paginator(events, 50).get_page(request.GET.get("seite"))
    return render(request, "web/audit.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def otp(request: HttpRequest) -> HttpResponse:
    """Confirm a TOTP code; staff without a device first set one up (QR code shown)."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ankommen", confirmed=False)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "/"
            return redirect(target or "/")
        form.add_error("token", _("Der Code stimmt nicht. Bitte den aktuellen Code eingeben."))
    return render(
        request, "web/otp.html", {"form": form, "device": device, "setup": not device.confirmed}
    )


@login_required
def otp_qr(request: HttpRequest) -> HttpResponse:
    import qrcode
    import qrcode.image.svg

    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        raise Http404
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return HttpResponse(image.to_string(), content_type="image/svg+xml")
