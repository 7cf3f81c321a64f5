"""Reimbursement in the API (``/api/v1/claims/…``, ``/api/v1/finance-rules/``): the claim as
JSON and as files (computed within the request), a claim computed in the background
(``POST claims/runs/``, then ``GET claims/runs/{id}/`` for its progress), and the dated rules
(list, add). Same services and access rules as the page:
finance needs county scope."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.algorithms.claims import ClaimError
from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County
from ankommen.finance import claim_runner, claims, exports, services
from ankommen.finance.models import ClaimRun, HousingKind, ReimbursementRule, RuleKind
from ankommen.finance.selectors import rules_for


class ClaimQuerySerializer(serializers.Serializer[Any]):
    county = serializers.CharField(allow_blank=True, help_text="Kürzel des Landkreises")
    year = serializers.IntegerField(min_value=2016, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4, required=False)
    lines = serializers.BooleanField(
        required=False, default=True, help_text="Zeilen je Fall mitliefern (Standard: ja)"
    )


class FileQuerySerializer(ClaimQuerySerializer):
    # Not "format": DRF reads ?format= as the renderer to answer with.
    type = serializers.ChoiceField(choices=["xlsx", "pdf"], help_text="Dateiformat")


class CountyQuerySerializer(serializers.Serializer[Any]):
    county = serializers.CharField(allow_blank=True, help_text="Kürzel des Landkreises")


class RuleSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    housing = serializers.ChoiceField(choices=HousingKind.choices, required=False, default="")
    valid_from = serializers.DateField()
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, allow_null=True, required=False
    )
    paragraph = serializers.CharField(max_length=200)
    source = serializers.CharField(max_length=300)  # type: ignore[assignment]  # DRF pops it
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    county_key = serializers.CharField(read_only=True, help_text="leer: alle Landkreise")


def _county(request: Request, action: Action, slug: str) -> County:
    """The county named in the query, if the caller holds ``action`` there (with county scope);
    403 otherwise, also for an unknown county (no hint which counties exist)."""
    for county in access.counties_for(request.user, action):
        if county.slug == slug:
            return county
    access.deny()


CLAIM_PARAMETERS = [
    OpenApiParameter("county", str, required=True, description="Kürzel des Landkreises"),
    OpenApiParameter("year", {"type": "integer", "minimum": 2016, "maximum": 2100}, required=True),
    OpenApiParameter("quarter", {"type": "integer", "minimum": 1, "maximum": 4}),
]


class ClaimView(APIView):
    @extend_schema(
        summary="Erstattungsantrag als JSON",
        parameters=[*CLAIM_PARAMETERS, OpenApiParameter("lines", bool)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        query = ClaimQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        county = _county(request, Action.VIEW_FINANCE, data["county"])
        try:
            report = claims.claim_for(
                actor=request.user, county=county, year=data["year"], quarter=data.get("quarter")
            )
        except ClaimError as error:
            raise serializers.ValidationError(str(error)) from None
        return Response(exports.as_json(report, lines=data["lines"]))


class ClaimFileView(APIView):
    @extend_schema(
        summary="Erstattungsantrag als XLSX oder PDF",
        parameters=[
            *CLAIM_PARAMETERS,
            OpenApiParameter("type", str, required=True, enum=["xlsx", "pdf"]),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="Datei")},
    )
    def get(self, request: Request) -> HttpResponse | Response:
        query = FileQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        county = _county(request, Action.VIEW_FINANCE, data["county"])
        try:
            report = claims.claim_for(
                actor=request.user, county=county, year=data["year"], quarter=data.get("quarter")
            )
        except ClaimError as error:
            raise serializers.ValidationError(str(error)) from None
        fmt = data["type"]
        record_event(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditEvent.Action.EXPORT,
            object_type="finance.claim",
            county=county,
            details={"year": report.year, "quarter": report.quarter, "format": fmt},
        )
        response = HttpResponse(
            exports.render(report, fmt), content_type=exports.CONTENT_TYPES[fmt]
        )
        response["Content-Disposition"] = f'attachment; filename="{exports.file_name(report, fmt)}"'
        return response


class RunQuerySerializer(serializers.Serializer[Any]):
    county = serializers.CharField(allow_blank=True, help_text="Kürzel des Landkreises")
    year = serializers.IntegerField(min_value=2016, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4, required=False)


def _run_json(run: ClaimRun) -> dict[str, Any]:
    """The run's state and progress; when done, the claim's summary (as ``GET /claims/``
    without ``rules`` and lines)."""
    data: dict[str, Any] = {
        "id": run.pk,
        "county": run.county.slug,
        "year": run.year,
        "quarter": run.quarter,
        "state": run.state,
        "progress": run.progress,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "error": run.error,
    }
    if run.state == ClaimRun.State.DONE:
        keys = ("first", "last", "total", "by_kind", "subjects", "line_count", "warnings")
        data["summary"] = {key: run.result[key] for key in keys}
    return data


class ClaimRunStartView(APIView):
    @extend_schema(
        summary="Erstattungsantrag im Hintergrund berechnen (Status unter runs/{id}/)",
        parameters=CLAIM_PARAMETERS,
        request=None,
        responses={202: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        query = RunQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        county = _county(request, Action.VIEW_FINANCE, data["county"])
        try:
            run = claim_runner.start_claim(
                actor=request.user, county=county, year=data["year"], quarter=data.get("quarter")
            )
        except ClaimError as error:
            raise serializers.ValidationError(str(error)) from None
        return Response(_run_json(run), status=status.HTTP_202_ACCEPTED)


class ClaimRunView(APIView):
    @extend_schema(
        summary="Stand einer Berechnung (wartet, läuft mit Fortschritt, fertig, fehlgeschlagen)",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_run_json(claim_runner.run_for(request.user, pk)))


def _rule(rule: ReimbursementRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "kind": rule.kind,
        "housing": rule.housing,
        "valid_from": rule.valid_from,
        "amount": rule.amount,
        "paragraph": rule.paragraph,
        "source": rule.source,
        "note": rule.note,
        "county_key": rule.county_key,
    }


class RuleListView(APIView):
    @extend_schema(
        summary="Erstattungsregeln eines Landkreises",
        parameters=[OpenApiParameter("county", str, required=True)],
        responses={200: RuleSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        query = CountyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        county = _county(request, Action.VIEW_FINANCE, query.validated_data["county"])
        return Response(RuleSerializer([_rule(r) for r in rules_for(county)], many=True).data)

    @extend_schema(
        summary="Neue Erstattungsregel (z. B. ein neues Jahr)",
        parameters=[OpenApiParameter("county", str, required=True)],
        request=RuleSerializer,
        responses={201: RuleSerializer},
    )
    def post(self, request: Request) -> Response:
        query = CountyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        county = _county(request, Action.MANAGE_FINANCE, query.validated_data["county"])
        body = RuleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            rule = services.add_rule(
                actor=request.user,
                county=county,
                kind=data["kind"],
                housing=data.get("housing", ""),
                valid_from=data["valid_from"],
                amount=data.get("amount"),
                paragraph=data["paragraph"],
                source=data["source"],
                note=data.get("note", ""),
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(RuleSerializer(_rule(rule)).data, status=status.HTTP_201_CREATED)
