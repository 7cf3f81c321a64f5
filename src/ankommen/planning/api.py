"""The capacity plan in the API: ``/api/v1/capacity-plan/`` and ``/api/v1/scenarios/``.

Aggregates only; ``PLAN_CAPACITY`` with county scope (403 without it anywhere, 404 for a county
or scenario the caller does not plan). Bad input is a 400 problem naming the field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.algorithms.capacity import MAX_RUNS, CapacityError
from ankommen.core import access
from ankommen.core.models import County
from ankommen.planning import plan, services
from ankommen.planning.models import CapacityChange, Scenario


class PlanQuerySerializer(serializers.Serializer[Any]):
    county = serializers.SlugField(
        required=False, help_text="Kürzel des Landkreises (Standard: der erste, den Sie planen)."
    )
    scenario = serializers.IntegerField(
        required=False, min_value=1, help_text="Szenario; ohne: die Basis."
    )
    runs = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_RUNS, default=plan.DEFAULT_RUNS
    )
    seed = serializers.IntegerField(required=False, min_value=0, default=plan.DEFAULT_SEED)
    risk = serializers.FloatField(
        required=False,
        min_value=0.001,
        max_value=0.999,
        default=plan.DEFAULT_RISK,
        help_text="Akzeptierte Mangelwahrscheinlichkeit für die Vorhaltung, z. B. 0.05.",
    )


class ChangeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=CapacityChange.Kind.choices)
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="JJJJ-MM")
    places = serializers.IntegerField(required=False, min_value=0)
    family_places = serializers.IntegerField(required=False, min_value=0)
    barrier_free_places = serializers.IntegerField(required=False, min_value=0)
    women_only_places = serializers.IntegerField(required=False, min_value=0)
    site = serializers.IntegerField(required=False, allow_null=True)
    factor = serializers.CharField(required=False, help_text='z. B. "2" oder "0.5"')
    persons = serializers.IntegerField(required=False, min_value=0)
    spread_months = serializers.IntegerField(required=False, min_value=1)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ScenarioSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    county = serializers.SlugField(required=False, help_text="Kürzel des Landkreises")
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)
    changes = ChangeSerializer(many=True, required=False)


class ScenarioPatchSerializer(ScenarioSerializer):
    name = serializers.CharField(max_length=120, required=False)


def _scenario_json(scenario: Scenario) -> dict[str, Any]:
    return {
        "id": scenario.pk,
        "county": scenario.county.slug,
        "name": scenario.name,
        "description": scenario.description,
        "changes": [plan.change_json(change) for change in scenario.changes.all()],
    }


def _counties(request: Request) -> list[County]:
    counties = plan.counties_for(request.user)
    if not counties:
        access.deny()
    return counties


def _county(request: Request, slug: str | None) -> County:
    counties = _counties(request)
    if not slug:
        return counties[0]
    for county in counties:
        if county.slug == slug:
            return county
    raise Http404


def _scenario(request: Request, pk: int) -> Scenario:
    _counties(request)
    try:
        return plan.scenario_for(request.user, pk)
    except Scenario.DoesNotExist:
        raise Http404 from None


def _write_changes(
    request: Request, county: County, scenario: Scenario, changes: list[dict[str, Any]]
) -> None:
    for index, data in enumerate(changes):
        try:
            services.add_change(
                actor=request.user,  # type: ignore[arg-type]
                county=county,
                scenario=scenario,
                data=data,
            )
        except ValidationError as error:
            raise ValidationError(
                {f"changes.{index}.{field}": msgs for field, msgs in error.message_dict.items()}
            ) from None


class CapacityPlanView(APIView):
    @extend_schema(
        summary="Kapazitätsplan (Basis oder Szenario) der nächsten 12 Monate",
        parameters=[PlanQuerySerializer],
        # 404: no such county or scenario (found by the contract tests).
        responses={200: dict, 404: OpenApiResponse(description="Nicht vorhanden")},
    )
    def get(self, request: Request) -> Response:
        query = PlanQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        county = _county(request, data.get("county"))
        scenario = None
        if data.get("scenario") is not None:
            scenario = Scenario.objects.filter(pk=data["scenario"], county=county).first()
            if scenario is None:
                raise Http404
        try:
            result = plan.run_plan(
                plan.baseline(county),
                scenario,
                runs=data["runs"],
                seed=data["seed"],
                risk=data["risk"],
            )
        except CapacityError as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from None
        return Response(result.as_json())


class ScenarioListView(APIView):
    @extend_schema(
        summary="Szenarien der Landkreise, die Sie planen",
        parameters=[OpenApiParameter("county", str, description="nur dieser Landkreis")],
        responses={
            200: ScenarioSerializer(many=True),
            404: OpenApiResponse(description="Nicht vorhanden"),
        },
    )
    def get(self, request: Request) -> Response:
        counties = _counties(request)
        slug = request.query_params.get("county")
        if slug:
            counties = [_county(request, slug)]
        rows = (
            Scenario.objects.filter(county__in=counties)
            .select_related("county")
            .prefetch_related("changes")
        )
        return Response([_scenario_json(row) for row in rows])

    @extend_schema(
        summary="Szenario anlegen (mit Änderungen)",
        request=ScenarioSerializer,
        responses={
            201: ScenarioSerializer,
            404: OpenApiResponse(description="Landkreis nicht vorhanden oder nicht erreichbar"),
        },
    )
    def post(self, request: Request) -> Response:
        _counties(request)
        body = ScenarioSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        county = _county(request, data.get("county"))
        with transaction.atomic():
            scenario = services.create_scenario(
                actor=request.user,  # type: ignore[arg-type]
                county=county,
                name=data["name"],
                description=data.get("description", ""),
            )
            _write_changes(request, county, scenario, data.get("changes", []))
        return Response(_scenario_json(scenario), status=status.HTTP_201_CREATED)


class ScenarioDetailView(APIView):
    @extend_schema(summary="Ein Szenario", responses={200: ScenarioSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_scenario_json(_scenario(request, pk)))

    @extend_schema(
        summary="Szenario ändern; mit „changes“ werden alle Änderungen ersetzt",
        request=ScenarioPatchSerializer,
        responses={200: ScenarioSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        scenario = _scenario(request, pk)
        body = ScenarioPatchSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with transaction.atomic():
            if "name" in data or "description" in data:
                services.update_scenario(
                    actor=request.user,  # type: ignore[arg-type]
                    scenario=scenario,
                    name=data.get("name", scenario.name),
                    description=data.get("description", scenario.description),
                )
            if "changes" in data:
                for change in list(scenario.changes.all()):
                    services.delete_change(actor=request.user, change=change)  # type: ignore[arg-type]
                _write_changes(request, scenario.county, scenario, data["changes"])
        scenario.refresh_from_db()
        return Response(_scenario_json(scenario))

    @extend_schema(summary="Szenario löschen", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        scenario = _scenario(request, pk)
        services.delete_scenario(actor=request.user, scenario=scenario)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
