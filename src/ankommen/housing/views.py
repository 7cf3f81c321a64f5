"""Thin HTML views of the housing app (Unterbringung): occupancy dashboards, rooms and beds,
moves, the shelter-phase list and the placement recommendation."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date
from functools import reduce
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County, Municipality, Site
from ankommen.housing import recommend, selectors, services
from ankommen.housing.forms import (
    BedStateForm,
    DayForm,
    FeaturesForm,
    MoveForm,
    MoveOutForm,
    PlacementWindowForm,
    ReadinessForm,
    RoomForm,
    add_service_error,
)
from ankommen.housing.models import Bed, Move, PlacementRun
from ankommen.people.models import Household

CHART_HEIGHT = 100
BAR_WIDTH = 10
BAR_GAP = 4


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    point: selectors.SeriesPoint


@dataclass(frozen=True)
class Chart:
    """A fill-rate bar chart drawn with SVG attributes only (the CSP forbids inline styles)."""

    width: int
    height: int
    bars: list[Bar]
    first: date
    last: date


def _chart(series: list[selectors.SeriesPoint]) -> Chart:
    bars = [
        Bar(
            x=index * (BAR_WIDTH + BAR_GAP),
            y=CHART_HEIGHT - point.bar,
            height=point.bar,
            point=point,
        )
        for index, point in enumerate(series)
    ]
    return Chart(
        width=max(len(series) * (BAR_WIDTH + BAR_GAP) - BAR_GAP, BAR_WIDTH),
        height=CHART_HEIGHT,
        bars=bars,
        first=series[0].day,
        last=series[-1].day,
    )


@dataclass(frozen=True)
class FlowBar:
    x: int
    arrivals_y: int
    arrivals_height: int
    departures_y: int
    departures_height: int
    week: selectors.WeekFlow


@dataclass(frozen=True)
class FlowChart:
    width: int
    height: int
    peak: int
    bars: list[FlowBar]


def _flow_chart(flows: list[selectors.WeekFlow]) -> FlowChart:
    """Arrivals and departures per week as paired bars, scaled to the busiest week."""
    peak = max([1, *(w.arrivals for w in flows), *(w.departures for w in flows)])
    bars = []
    for index, week in enumerate(flows):
        arrivals = round(CHART_HEIGHT * week.arrivals / peak)
        departures = round(CHART_HEIGHT * week.departures / peak)
        bars.append(
            FlowBar(
                x=index * (BAR_WIDTH + BAR_GAP),
                arrivals_y=CHART_HEIGHT - arrivals,
                arrivals_height=arrivals,
                departures_y=CHART_HEIGHT - departures,
                departures_height=departures,
                week=week,
            )
        )
    width = max(len(flows) * (BAR_WIDTH + BAR_GAP) - BAR_GAP, BAR_WIDTH)
    return FlowChart(width=width, height=CHART_HEIGHT, peak=peak, bars=bars)


def _dashboard_context(request: HttpRequest, site_ids: Any) -> dict[str, Any]:
    form = DayForm(request.GET or None)
    day, weeks = form.day(), form.weeks()
    board = selectors.dashboard(site_ids, day=day, weeks=weeks)
    return {
        "day_form": form,
        "day": day,
        "board": board,
        "chart": _chart(board.series),
        "flow_chart": _flow_chart(board.flows),
        "flows": list(reversed(board.flows)),
    }


# --------------------------------------------------------------------------------------------
# Dashboards


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Occupancy at a glance: county totals and municipalities (county-wide viewers only), and
    the facilities the user reaches (a shelter manager: their own)."""
    sites = list(selectors.facilities_visible_to(actor=request.user))
    counties = selectors.counties_with_overview(actor=request.user)
    if not sites and not counties:
        raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))
    context = _dashboard_context(request, [site.pk for site in sites])
    day = context["day"]
    county_ids = {county.pk for county in counties}
    wide_sites = [site for site in sites if site.county_id in county_ids]
    context.update(
        {
            "sites": selectors.figures_by_site(sites, day, context["board"].per_site),
            "municipalities": selectors.figures_by_municipality(
                wide_sites, day, context["board"].per_site
            ),
            "county_wide": bool(counties),
            "may_place": any(
                access.allows(request.user, Action.MANAGE_ACCOMMODATION, county)
                for county in access.counties_for(request.user, Action.MANAGE_ACCOMMODATION)
            ),
            "may_list_stays": bool(access.counties_for(request.user, Action.VIEW_PERSON)),
        }
    )
    return render(request, "housing/overview.html", context)


@require_GET
@login_required
def municipality(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.counties_with_overview(actor=request.user):
        raise PermissionDenied(_("Gesamtzahlen sehen nur Rollen mit Zugriff auf den Landkreis."))
    try:
        place = selectors.municipality_for_page(actor=request.user, pk=pk)
    except Municipality.DoesNotExist:
        raise Http404(_("Diese Gemeinde ist nicht vorhanden.")) from None
    sites = list(selectors.facilities_visible_to(actor=request.user).filter(municipality=place))
    context = _dashboard_context(request, [site.pk for site in sites])
    context.update(
        {
            "municipality": place,
            "sites": selectors.figures_by_site(sites, context["day"], context["board"].per_site),
        }
    )
    return render(request, "housing/municipality.html", context)


def _facility(request: HttpRequest, pk: int, action: Action = Action.VIEW_AGGREGATES) -> Site:
    """The facility for ``action``: 403 when no membership grants the action at all, 404 when
    the facility is out of reach (indistinguishable from one that does not exist)."""
    if not access.counties_for(request.user, action):
        access.deny()
    try:
        return selectors.facility_for_page(actor=request.user, pk=pk, action=action)
    except Site.DoesNotExist:
        raise Http404(
            _("Diese Unterkunft ist nicht vorhanden oder für Sie nicht sichtbar.")
        ) from None


@require_GET
@login_required
def facility(request: HttpRequest, pk: int) -> HttpResponse:
    site = _facility(request, pk)
    context = _dashboard_context(request, [site.pk])
    manage = access.can_reach_site(request.user, Action.MANAGE_ACCOMMODATION, site)
    names = access.can_reach_site(request.user, Action.VIEW_PERSON, site)
    features = list(site.features.all())
    context.update(
        {
            "site": site,
            "features": features,
            "manage": manage,
            # Rooms for those who see persons there; names only of households they reach
            # (not of residents of other days, whose stay has ended or not yet begun).
            "rooms": selectors.rooms_with_beds(site=site, day=context["day"], actor=request.user)
            if manage or names
            else [],
            "room_form": RoomForm(initial={"valid_from": timezone.localdate()}),
            "features_form": FeaturesForm(initial={"features": [f.code for f in features]}),
            "states": Bed.State.choices,
            "today": timezone.localdate(),
        }
    )
    return render(request, "housing/facility.html", context)


@require_POST
@login_required
def room_create(request: HttpRequest, pk: int) -> HttpResponse:
    site = _facility(request, pk, Action.MANAGE_ACCOMMODATION)
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            room = services.create_room(actor=request.user, site=site, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Zimmer %(number)s angelegt.") % {"number": room.number})
            return redirect("housing:facility", pk=site.pk)
    return render(request, "housing/room_form.html", {"site": site, "form": form}, status=400)


@require_POST
@login_required
def facility_features(request: HttpRequest, pk: int) -> HttpResponse:
    site = _facility(request, pk, Action.MANAGE_ACCOMMODATION)
    form = FeaturesForm(request.POST)
    if form.is_valid():
        services.set_facility_features(
            actor=request.user,  # type: ignore[arg-type]
            site=site,
            features=form.cleaned_data["features"],
        )
        messages.success(request, _("Merkmale gespeichert."))
    return redirect("housing:facility", pk=site.pk)


@require_POST
@login_required
def bed_state(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.counties_for(request.user, Action.MANAGE_ACCOMMODATION):
        access.deny()
    bed = get_object_or_404(
        Bed.objects.select_related("room__site").filter(
            access.site_condition(
                request.user, Action.MANAGE_ACCOMMODATION, site_field="room__site"
            )
        ),
        pk=pk,
    )
    site = bed.room.site
    form = BedStateForm(request.POST)
    if form.is_valid():
        try:
            services.set_bed_state(actor=request.user, bed=bed, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Bett %(bed)s: %(state)s ab %(day)s.")
                % {
                    "bed": bed,
                    "state": Bed.State(form.cleaned_data["state"]).label,
                    "day": form.cleaned_data["day"].strftime("%d.%m.%Y"),
                },
            )
            return redirect("housing:facility", pk=site.pk)
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, str(message))
    return redirect("housing:facility", pk=site.pk)


# --------------------------------------------------------------------------------------------
# Households: beds, moves, moving out, flat readiness


def _household(request: HttpRequest, pk: int, *actions: Action) -> Household:
    """The household for any of ``actions`` (default: seeing it): 403 when no membership grants
    one of them at all, 404 when the household is out of reach."""
    actions = actions or (Action.VIEW_PERSON,)
    if not any(access.counties_for(request.user, action) for action in actions):
        access.deny()
    condition = reduce(
        operator.or_, (access.household_condition(request.user, action) for action in actions)
    )
    try:
        return Household._base_manager.filter(condition).get(pk=pk)
    except Household.DoesNotExist:
        raise Http404(
            _("Dieser Haushalt ist nicht vorhanden oder für Sie nicht sichtbar.")
        ) from None


def _household_forms(
    request: HttpRequest, household: Household, data: Any = None, which: str = ""
) -> dict[str, Any]:
    today = timezone.localdate()
    beds = selectors.household_accommodation(household=household, day=today)
    booked = selectors.household_bookings(household=household, day=today) if not beds else []
    manage = access.can_reach(request.user, Action.MANAGE_ACCOMMODATION, household)
    context: dict[str, Any] = {
        "household": household,
        "beds": beds,
        "booked": booked,
        "moves": list(selectors.moves_of(household)),
        "manage": manage,
        "readiness": household.flat_readiness.filter(valid_to__isnull=True).first(),
        "may_mark_ready": manage or access.can_reach(request.user, Action.CHANGE_PERSON, household),
    }
    if manage:
        rooms = selectors.free_rooms(
            actor=request.user, county=household.county, day=today, household=household
        )
        first_move = not beds and not booked
        context["move_form"] = MoveForm(
            data if which == "move" else None,
            rooms=rooms,
            first_move=first_move,
            initial={"day": today},
            # Three forms on one page: distinct ids, so each label names its own field.
            auto_id="umzug_%s",
        )
        context["move_out_form"] = MoveOutForm(
            data if which == "move_out" else None,
            flats=selectors.flats_for_move_out(actor=request.user, county=household.county),
            initial={"day": today},
            auto_id="auszug_%s",
        )
    context["ready_form"] = ReadinessForm(
        data if which == "ready" else None, initial={"day": today}, auto_id="bereit_%s"
    )
    return context


@require_GET
@login_required
def household(request: HttpRequest, pk: int) -> HttpResponse:
    home = _household(request, pk)
    return render(request, "housing/household.html", _household_forms(request, home))


@require_POST
@login_required
def household_move(request: HttpRequest, pk: int) -> HttpResponse:
    home = _household(request, pk, Action.MANAGE_ACCOMMODATION)
    context = _household_forms(request, home, request.POST, "move")
    form = context.get("move_form")
    if form is None:
        raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))
    if form.is_valid():
        try:
            move = services.move_household(
                actor=request.user,  # type: ignore[arg-type]
                household=home,
                day=form.cleaned_data["day"],
                reason=form.cleaned_data["reason"],
                rooms=list(form.cleaned_data["rooms"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(kind)s nach %(site)s eingetragen.")
                % {"kind": move.get_kind_display(), "site": move.to_site},
            )
            return redirect("housing:household", pk=home.pk)
    return render(request, "housing/household.html", context, status=400)


@require_POST
@login_required
def household_move_out(request: HttpRequest, pk: int) -> HttpResponse:
    home = _household(request, pk, Action.MANAGE_ACCOMMODATION)
    context = _household_forms(request, home, request.POST, "move_out")
    form = context.get("move_out_form")
    if form is None:
        raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))
    if form.is_valid():
        try:
            services.move_out(
                actor=request.user,  # type: ignore[arg-type]
                household=home,
                day=form.cleaned_data["day"],
                reason=form.cleaned_data["reason"],
                flat=form.cleaned_data["flat"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Auszug eingetragen."))
            return redirect("housing:household", pk=home.pk)
    return render(request, "housing/household.html", context, status=400)


@require_POST
@login_required
def household_ready(request: HttpRequest, pk: int) -> HttpResponse:
    # Flat readiness: accommodation staff and the household's caseworkers.
    home = _household(request, pk, Action.MANAGE_ACCOMMODATION, Action.CHANGE_PERSON)
    context = _household_forms(request, home, request.POST, "ready")
    form = context["ready_form"]
    if form.is_valid():
        try:
            if request.POST.get("withdraw"):
                services.withdraw_ready_for_flat(
                    actor=request.user,  # type: ignore[arg-type]
                    household=home,
                    day=form.cleaned_data["day"],
                )
                messages.success(request, _("Wohnungsbereitschaft beendet."))
            else:
                services.mark_ready_for_flat(
                    actor=request.user,  # type: ignore[arg-type]
                    household=home,
                    day=form.cleaned_data["day"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Als wohnungsbereit eingetragen."))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("housing:household", pk=home.pk)
    return render(request, "housing/household.html", context, status=400)


@require_GET
@login_required
def shelter_stays(request: HttpRequest) -> HttpResponse:
    if not access.counties_for(request.user, Action.VIEW_PERSON):
        raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))
    ready_only = request.GET.get("alle") != "1"
    stays = selectors.shelter_stays(actor=request.user, ready_only=ready_only)
    return render(
        request,
        "housing/shelter_stays.html",
        {
            "stays": stays,
            "ready_only": ready_only,
            "target_months": settings.ANKOMMEN_SHELTER_TARGET_MONTHS,
        },
    )


# --------------------------------------------------------------------------------------------
# Placement recommendation


def _placement_counties(request: HttpRequest) -> list[County]:
    counties = [
        county
        for county in access.counties_for(request.user, Action.MANAGE_ACCOMMODATION)
        if access.allows(request.user, Action.MANAGE_ACCOMMODATION, county)
    ]
    if not counties:
        raise PermissionDenied(_("Unterbringungsvorschläge erstellt die Kreisverwaltung."))
    return counties


@require_http_methods(["GET", "POST"])
@login_required
def placement(request: HttpRequest) -> HttpResponse:
    counties = _placement_counties(request)
    start, end = recommend.default_window()
    form = PlacementWindowForm(
        request.POST or None,
        counties=counties,
        initial={"county": counties[0].pk, "window_from": start, "window_to": end},
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = recommend.start_placement(
                actor=request.user,  # type: ignore[arg-type]
                county=form.cleaned_data["county"],
                window_from=form.cleaned_data["window_from"],
                window_to=form.cleaned_data["window_to"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("housing:placement_run", pk=run.pk)
    runs = PlacementRun.objects.filter(county__in=counties).select_related("created_by")[:10]
    return render(
        request,
        "housing/placement.html",
        {"form": form, "runs": runs},
        status=400 if form.errors else 200,
    )


def _run(request: HttpRequest, pk: int) -> PlacementRun:
    _placement_counties(request)
    try:
        return recommend.run_for_page(actor=request.user, pk=pk)  # type: ignore[arg-type]
    except PlacementRun.DoesNotExist:
        raise Http404(_("Dieser Vorschlag ist nicht vorhanden.")) from None


def _run_context(run: PlacementRun) -> dict[str, Any]:
    done = run.status == PlacementRun.Status.DONE
    rows = recommend.placement_rows(run) if done else []
    return {
        "run": run,
        "rows": rows,
        "held": recommend.held_rows(run) if done else [],
        "look_ahead": done and "look_ahead" in (run.result or {}),
        "placed": [row for row in rows if row.site is not None],
        "unplaced": [row for row in rows if row.site is None],
        "open_count": sum(
            1 for row in rows if row.site is not None and not row.accepted and not row.housed
        ),
    }


@require_GET
@login_required
def placement_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    return render(request, "housing/placement_run.html", _run_context(run))


@require_GET
@login_required
def placement_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The live status (polled by htmx every two seconds until the run is finished)."""
    run = _run(request, pk)
    return render(request, "housing/_placement_status.html", _run_context(run))


@transaction.non_atomic_requests
@require_POST
@login_required
def placement_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept one household's recommendation, or all open ones (``household=alle``). Each
    household is its own transaction: a bed taken meanwhile fails only that household."""
    with transaction.atomic():
        run = _run(request, pk)
    if run.status != PlacementRun.Status.DONE:
        raise Http404(_("Dieser Vorschlag ist noch nicht berechnet."))
    wanted = request.POST.get("household", "")
    keys = [p["household"] for p in run.result.get("placements", [])]
    if wanted != "alle":
        if wanted not in keys:
            raise Http404(_("Für diesen Haushalt gibt es keinen Vorschlag."))
        keys = [wanted]
    if wanted == "alle":
        housed = {row.key for row in recommend.placement_rows(run) if row.housed}
        keys = [key for key in keys if key not in run.accepted and key not in housed]
    done = 0
    for key in keys:
        try:
            with transaction.atomic():
                recommend.accept_placement(actor=request.user, run=run, household_key=key)  # type: ignore[arg-type]
            done += 1
        except ValidationError as error:
            messages.error(
                request,
                _("Haushalt %(key)s: %(message)s")
                % {"key": key, "message": " ".join(error.messages)},
            )
        run.refresh_from_db()
    if done:
        messages.success(request, _("%(n)d Haushalt(e) untergebracht.") % {"n": done})
    return redirect("housing:placement_run", pk=run.pk)


@require_http_methods(["GET", "POST"])
@login_required
def placement_change(request: HttpRequest, pk: int, household: str) -> HttpResponse:
    """Staff pick other rooms for a household than the recommendation."""
    run = _run(request, pk)
    row = next(
        (row for row in recommend.placement_rows(run) if row.key == household),
        None,
    )
    if row is None:
        raise Http404(_("Dieser Haushalt gehört nicht zu diesem Vorschlag."))
    day = max(row.arrival or timezone.localdate(), timezone.localdate())
    rooms = selectors.free_rooms(
        actor=request.user, county=run.county, day=day, household=row.household
    )
    form = MoveForm(
        request.POST or None,
        rooms=rooms,
        first_move=True,
        initial={"day": day, "reason": Move.Reason.ALLOCATION},
    )
    # The day is the planned arrival; only the rooms are chosen here.
    del form.fields["day"], form.fields["reason"], form.fields["note"]
    if request.method == "POST" and form.is_valid():
        try:
            recommend.place_in_rooms(
                actor=request.user,  # type: ignore[arg-type]
                run=run,
                household_key=household,
                rooms=list(form.cleaned_data["rooms"]),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Haushalt %(ref)s untergebracht.") % {"ref": row.household.reference},
            )
            return redirect("housing:placement_run", pk=run.pk)
    return render(
        request,
        "housing/placement_change.html",
        {"run": run, "row": row, "form": form, "day": day, "key": household},
        status=400 if form.errors else 200,
    )
