"""Occupancy figures in the API (``/api/v1/occupancy/…``): the same figures and access rules as
the dashboards. No personal data: counts only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import Municipality, Site
from ankommen.housing import selectors
from ankommen.housing.selectors import MAX_SERIES_WEEKS, SERIES_WEEKS, Dashboard, Figures


class QuerySerializer(serializers.Serializer[Any]):
    day = serializers.DateField(required=False, help_text="Stichtag JJJJ-MM-TT (Standard: heute).")
    weeks = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_SERIES_WEEKS,
        help_text=f"Wochen im Verlauf (Standard: {SERIES_WEEKS}).",
    )


class FiguresSerializer(serializers.Serializer[Any]):
    beds = serializers.IntegerField(help_text="Betten an diesem Tag, in jedem Zustand")
    in_use = serializers.IntegerField(help_text="belegbare Betten")
    occupied = serializers.IntegerField(help_text="belegte Betten (Personen)")
    free = serializers.IntegerField(help_text="freie belegbare Betten")
    reserved = serializers.IntegerField(help_text="Betten in Vorhaltung")
    closed = serializers.IntegerField(help_text="gesperrte Betten")
    fill_rate = serializers.IntegerField(
        allow_null=True, help_text="belegt je belegbar in ganzen Prozent; null ohne Betten"
    )


class SeriesPointSerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    in_use = serializers.IntegerField()
    occupied = serializers.IntegerField()
    fill_rate = serializers.IntegerField(allow_null=True)


class WeekSerializer(serializers.Serializer[Any]):
    week = serializers.DateField(help_text="Montag der Woche")
    arrivals = serializers.IntegerField()
    departures = serializers.IntegerField()


class FacilitySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    municipality = serializers.IntegerField()
    municipality_name = serializers.CharField()
    county = serializers.CharField(help_text="Kürzel des Landkreises")
    figures = FiguresSerializer()


class FacilityListSerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    facilities = FacilitySerializer(many=True)


class MunicipalitySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    figures = FiguresSerializer()


class CountyFiguresSerializer(serializers.Serializer[Any]):
    county = serializers.CharField()
    name = serializers.CharField()
    figures = FiguresSerializer()
    municipalities = MunicipalitySerializer(many=True)


class MunicipalityListSerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    counties = CountyFiguresSerializer(many=True)


class DashboardSerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    figures = FiguresSerializer()
    fill_rate_series = SeriesPointSerializer(many=True)
    weekly = WeekSerializer(many=True)


class FacilityDetailSerializer(DashboardSerializer):
    facility = FacilitySerializer()


class MunicipalityDetailSerializer(DashboardSerializer):
    municipality = MunicipalitySerializer()
    facilities = FacilitySerializer(many=True)


PARAMETERS = [
    OpenApiParameter("day", date, description="Stichtag (Standard: heute)"),
    OpenApiParameter(
        "weeks",
        # The bounds the QuerySerializer enforces (declared after the API contract tests).
        {"type": "integer", "minimum": 1, "maximum": MAX_SERIES_WEEKS},
        description=f"Wochen im Verlauf, 1–{MAX_SERIES_WEEKS}",
    ),
]


def _query(request: Request) -> tuple[date, int]:
    if request.query_params.get("day") == "":
        # DRF would read an empty form value as "not given"; the schema says a date or nothing.
        raise serializers.ValidationError(
            {"day": [_("Bitte ein Datum JJJJ-MM-TT angeben oder „day“ weglassen.")]}
        )
    query = QuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return (
        query.validated_data.get("day") or timezone.localdate(),
        query.validated_data.get("weeks") or SERIES_WEEKS,
    )


def _facility(site: Site, figures: Figures) -> dict[str, Any]:
    return {
        "id": site.pk,
        "name": site.name,
        "kind": site.kind,
        "municipality": site.municipality_id,
        "municipality_name": site.municipality.name,
        "county": site.county.slug,
        "figures": figures.as_dict(),
    }


def _dashboard(board: Dashboard) -> dict[str, Any]:
    return {
        "day": board.day,
        "figures": board.figures.as_dict(),
        "fill_rate_series": [
            {
                "day": point.day,
                "in_use": point.in_use,
                "occupied": point.occupied,
                "fill_rate": point.rate,
            }
            for point in board.series
        ],
        "weekly": [
            {"week": week.week, "arrivals": week.arrivals, "departures": week.departures}
            for week in board.flows
        ],
    }


class FacilityOccupancyList(APIView):
    """Figures of every facility the caller reaches (a shelter manager: their own)."""

    @extend_schema(
        operation_id="occupancy_facilities_list",
        parameters=PARAMETERS[:1],
        responses=FacilityListSerializer,
    )
    def get(self, request: Request) -> Response:
        day, _weeks = _query(request)
        sites = list(selectors.facilities_visible_to(actor=request.user))
        if not sites and not selectors.counties_with_overview(actor=request.user):
            raise PermissionDenied  # like the overview page: no figures to show anywhere
        rows = selectors.figures_by_site(sites, day)
        body = {"day": day, "facilities": [_facility(site, figures) for site, figures in rows]}
        return Response(FacilityListSerializer(body).data)


class FacilityOccupancyDetail(APIView):
    """One facility: figures on the day, fill rate per week, arrivals and departures."""

    @extend_schema(
        operation_id="occupancy_facility_retrieve",
        parameters=PARAMETERS,
        responses=FacilityDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        day, weeks = _query(request)
        if not access.counties_for(request.user, Action.VIEW_AGGREGATES):
            raise PermissionDenied
        try:
            site = selectors.facility_for_page(actor=request.user, pk=pk)
        except Site.DoesNotExist:
            raise Http404 from None
        board = selectors.dashboard([site.pk], day=day, weeks=weeks)
        body = {**_dashboard(board), "facility": _facility(site, board.figures)}
        return Response(FacilityDetailSerializer(body).data)


def _require_overview(request: Request) -> list[Any]:
    counties = selectors.counties_with_overview(actor=request.user)
    if not counties:
        raise PermissionDenied
    return counties


class MunicipalityOccupancyList(APIView):
    """Totals per county and municipality (roles with county-wide access only)."""

    @extend_schema(
        operation_id="occupancy_municipalities_list",
        parameters=PARAMETERS[:1],
        responses=MunicipalityListSerializer,
    )
    def get(self, request: Request) -> Response:
        day, _weeks = _query(request)
        counties = _require_overview(request)
        sites = list(
            selectors.facilities_visible_to(actor=request.user).filter(county__in=counties)
        )
        body: dict[str, Any] = {"day": day, "counties": []}
        for county in counties:
            own = [site for site in sites if site.county_id == county.pk]
            places = selectors.figures_by_municipality(own, day)
            body["counties"].append(
                {
                    "county": county.slug,
                    "name": county.name,
                    "figures": selectors.total(f for _m, f in places).as_dict(),
                    "municipalities": [
                        {"id": place.pk, "name": place.name, "figures": figures.as_dict()}
                        for place, figures in places
                    ],
                }
            )
        return Response(MunicipalityListSerializer(body).data)


class MunicipalityOccupancyDetail(APIView):
    """One municipality: totals, its facilities, fill rate per week, arrivals, departures."""

    @extend_schema(
        operation_id="occupancy_municipality_retrieve",
        parameters=PARAMETERS,
        responses=MunicipalityDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        day, weeks = _query(request)
        _require_overview(request)
        try:
            place = selectors.municipality_for_page(actor=request.user, pk=pk)
        except Municipality.DoesNotExist:
            raise Http404 from None
        sites = list(selectors.facilities_visible_to(actor=request.user).filter(municipality=place))
        site_ids = [site.pk for site in sites]
        board = selectors.dashboard(site_ids, day=day, weeks=weeks)
        body = {
            **_dashboard(board),
            "municipality": {
                "id": place.pk,
                "name": place.name,
                "figures": board.figures.as_dict(),
            },
            "facilities": [
                _facility(site, figures)
                for site, figures in selectors.figures_by_site(sites, day, board.per_site)
            ],
        }
        return Response(MunicipalityDetailSerializer(body).data)
