"""Privacy endpoints (docs/privacy.md), the same services as the page and the command.

``GET /api/v1/persons/{id}/subject-access/?output=json|zip``: the access export (GDPR Art. 15)
of one person, audited; county administrators with county scope (403 without the right, 404
out of reach).

``POST /api/v1/privacy/retention/`` with ``{"county": SLUG, "dry_run": bool}``: anonymise the
persons whose retention period is over (Art. 17), or only count them; county administrators
with county scope in that county (403 without the right anywhere, 404 for another county).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.api.problems import problem_response
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.privacy import render
from ankommen.privacy.retention import RetentionConfigError
from ankommen.privacy.services import (
    EXPORT_FORMATS,
    check_export_access,
    export_subject_data,
    run_retention,
)


def _with_label(fields: dict[str, Any]) -> dict[str, Any]:
    """A field named ``label`` (the name shadows ``Field.label`` as a class attribute)."""
    return {"label": serializers.CharField(), **fields}


class EntrySerializer(serializers.Serializer[Any]):
    value = serializers.CharField()
    code = serializers.CharField(required=False, help_text="gespeicherter Code (bei Auswahlen)")

    def get_fields(self) -> dict[str, Any]:
        return _with_label(super().get_fields())


class RecordSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    entries = EntrySerializer(many=True)


class SectionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    purpose = serializers.CharField()
    recipients = serializers.CharField()
    origin = serializers.CharField()
    retention = serializers.CharField()
    withheld = serializers.CharField()
    records = RecordSerializer(many=True)


class SubjectExportSerializer(serializers.Serializer[Any]):
    art = serializers.CharField()
    person_id = serializers.IntegerField()
    name = serializers.CharField()
    controller = serializers.CharField()
    created_at = serializers.DateTimeField()
    sections = SectionSerializer(many=True)


class SubjectAccessView(APIView):
    @extend_schema(
        operation_id="persons_subject_access_retrieve",
        summary="Auskunft nach Art. 15 DSGVO",
        description=__doc__,
        parameters=[
            OpenApiParameter("output", str, enum=list(EXPORT_FORMATS), description="json oder zip"),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(SubjectExportSerializer),
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="mit output=zip: HTML, JSON und Hinweis"
            ),
            400: OpenApiResponse(description="Unbekanntes Format"),
            403: OpenApiResponse(description="Keine Berechtigung"),
            404: OpenApiResponse(description="Nicht vorhanden oder nicht sichtbar"),
        },
    )
    def get(self, request: Request, pk: int) -> Response | HttpResponse:
        person = check_export_access(actor=request.user, person_id=pk)
        output = request.query_params.get("output", "json")
        if output not in EXPORT_FORMATS:
            return problem_response(400, "output muss json oder zip sein.")
        export = export_subject_data(
            actor=request.user,  # type: ignore[arg-type]
            person_id=person.pk,
            output=output,
        )
        if output == "json":
            return Response(export.as_dict())
        response = HttpResponse(render.as_zip(export), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{render.file_stem(export)}.zip"'
        return response


class RetentionRequestSerializer(serializers.Serializer[Any]):
    county = serializers.SlugField(help_text="Kürzel des Landkreises")
    dry_run = serializers.BooleanField(required=False, default=False)


class CategoryRunSerializer(serializers.Serializer[Any]):
    category = serializers.CharField()
    years = serializers.IntegerField()
    legal_basis = serializers.CharField()
    verified = serializers.BooleanField()
    contact_ended_before = serializers.DateField()
    persons = serializers.IntegerField()
    rows_anonymised = serializers.IntegerField()
    rows_deleted = serializers.IntegerField()

    def get_fields(self) -> dict[str, Any]:
        return _with_label(super().get_fields())


class RetentionRunSerializer(serializers.Serializer[Any]):
    county = serializers.CharField()
    today = serializers.DateField()
    dry_run = serializers.BooleanField()
    persons = serializers.IntegerField()
    categories = CategoryRunSerializer(many=True)


class RetentionView(APIView):
    @extend_schema(
        operation_id="privacy_retention_create",
        summary="Löschfristen anwenden (Art. 17 DSGVO)",
        description=__doc__,
        request=RetentionRequestSerializer,
        responses={
            200: RetentionRunSerializer,
            400: OpenApiResponse(description="Ungültige Eingabe"),
            403: OpenApiResponse(description="Keine Berechtigung"),
            404: OpenApiResponse(description="Landkreis nicht vorhanden oder nicht erreichbar"),
        },
    )
    def post(self, request: Request) -> Response:
        counties = access.counties_for(request.user, Action.RUN_RETENTION)
        if not counties:
            access.deny()
        data = RetentionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        county = next((c for c in counties if c.slug == data.validated_data["county"]), None)
        if county is None:
            return problem_response(
                404, "Diesen Landkreis gibt es nicht oder er ist nicht erreichbar."
            )
        try:
            run = run_retention(
                actor=request.user,  # type: ignore[arg-type]
                county=county,
                dry_run=data.validated_data["dry_run"],
            )
        except RetentionConfigError as problem:
            return problem_response(500, str(problem))
        return Response(run.as_dict())
