"""Preparing an arrival in the API (issue 5, part 3): thin views over
``housing.services_arrivals`` with the access rules of the arrival page: 403 without the right
to prepare arrivals anywhere, 404 for an arrival out of reach, 400 problem details in German
with nothing written.

- ``POST /api/v1/arrival-tasks/{id}/completion/`` tick a checklist item off (``done``: false
  opens it again)
- ``POST /api/v1/arrivals/{id}/plan/`` the facility planned (``site``; null: none), county-wide
  staff only
- ``POST /api/v1/arrivals/{id}/assessment/`` the vulnerability assessment (Art. 21 Directive
  2013/33/EU): ``categories`` maps each arriving person's id to the categories that apply now
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import Site
from ankommen.housing import selectors_arrivals as selectors
from ankommen.housing.models import Arrival, ArrivalTask
from ankommen.housing.services_arrivals import (
    ACCOMMODATION_SITE_KINDS,
    assess_vulnerabilities,
    complete_task,
    plan_facility,
)

PROBLEM = OpenApiResponse(description="Problem details (RFC 9457), Gründe auf Deutsch")


class CompletionRequestSerializer(serializers.Serializer[Any]):
    done = serializers.BooleanField(required=False, default=True)


class TaskStateSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    arrival = serializers.IntegerField()
    kind = serializers.CharField()
    done_at = serializers.DateTimeField(allow_null=True)


class PlanRequestSerializer(serializers.Serializer[Any]):
    site = serializers.IntegerField(allow_null=True, help_text="Unterkunft-ID; null: keine")


class PlanSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    household = serializers.IntegerField()
    planned_on = serializers.DateField()
    site = serializers.IntegerField(allow_null=True)


class AssessmentRequestSerializer(serializers.Serializer[Any]):
    categories = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Person-ID → Kategorien, die jetzt zutreffen (fehlende Person: keine)",
    )


class AssessmentSerializer(serializers.Serializer[Any]):
    added = serializers.IntegerField()
    ended = serializers.IntegerField()


def _require_any(request: Request) -> None:
    if not access.counties_for(request.user, Action.PREPARE_ARRIVAL):
        access.deny()


def _arrival(request: Request, pk: int) -> Arrival:
    _require_any(request)
    try:
        return selectors.arrivals_visible_to(actor=request.user).get(pk=pk)
    except Arrival.DoesNotExist:
        raise Http404 from None


def _valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class TaskCompletionView(APIView):
    @extend_schema(
        operation_id="arrival_task_completion_create",
        summary="Aufgabe der Ankunftsliste erledigen",
        request=CompletionRequestSerializer,
        responses={200: TaskStateSerializer, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    def post(self, request: Request, pk: int) -> Response:
        _require_any(request)
        try:
            task = ArrivalTask.objects.select_related("arrival__household").get(
                pk=pk, arrival__in=selectors.arrivals_visible_to(actor=request.user)
            )
        except ArrivalTask.DoesNotExist:
            raise Http404 from None
        data = _valid(CompletionRequestSerializer, request.data)
        task = complete_task(actor=request.user, task=task, done=data["done"])  # type: ignore[arg-type]
        body = {
            "id": task.pk,
            "arrival": task.arrival_id,
            "kind": task.kind,
            "done_at": task.done_at,
        }
        return Response(TaskStateSerializer(body).data)


class PlanView(APIView):
    @extend_schema(
        operation_id="arrival_plan_create",
        summary="Unterkunft für eine Ankunft planen",
        request=PlanRequestSerializer,
        responses={200: PlanSerializer, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    def post(self, request: Request, pk: int) -> Response:
        arrival = _arrival(request, pk)
        data = _valid(PlanRequestSerializer, request.data)
        site = None
        if data["site"] is not None:
            site = Site._base_manager.filter(
                pk=data["site"], county=arrival.county, kind__in=ACCOMMODATION_SITE_KINDS
            ).first()
            if site is None:
                raise ValidationError({"site": _("Bitte eine Unterkunft des Landkreises wählen.")})
        arrival = plan_facility(actor=request.user, arrival=arrival, site=site)  # type: ignore[arg-type]
        body = {
            "id": arrival.pk,
            "household": arrival.household_id,
            "planned_on": arrival.planned_on,
            "site": arrival.site_id,
        }
        return Response(PlanSerializer(body).data)


class AssessmentView(APIView):
    @extend_schema(
        operation_id="arrival_assessment_create",
        summary="Schutzbedarf bei Ankunft erfassen",
        request=AssessmentRequestSerializer,
        responses={200: AssessmentSerializer, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    def post(self, request: Request, pk: int) -> Response:
        arrival = _arrival(request, pk)
        data = _valid(AssessmentRequestSerializer, request.data)
        categories: dict[int, list[str]] = {}
        for key, values in data["categories"].items():
            if not str(key).isdigit():
                raise ValidationError({"categories": _("Bitte Personen-IDs als Schlüssel.")})
            categories[int(key)] = list(values)
        counts = assess_vulnerabilities(actor=request.user, arrival=arrival, categories=categories)  # type: ignore[arg-type]
        return Response(AssessmentSerializer(counts).data)
