"""``POST /api/v1/allocation-imports/``: import an allocation list (same service and rules as
the UI and the command line).

Send the file as ``multipart/form-data`` (fields ``file``, ``county``, optional ``dry_run``)
or as the raw request body (``Content-Type: text/csv`` or the XLSX type) with ``county``,
``file_name`` and ``dry_run`` as query parameters. Answers: 201 imported; 200 checked (dry
run), already imported or unchanged (nothing written); 400 problem details whose ``errors``
list ``{line, column, message}``; 403 without the right to create persons in the county.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.api.problems import problem_response
from ankommen.core.models import County
from ankommen.housing.services_allocations import (
    MAX_FILE_BYTES,
    Status,
    import_allocations,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RawFileParser(BaseParser):
    """The request body is the file itself."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return stream.read(MAX_FILE_BYTES + 1) if stream is not None else b""


class RawCsvParser(RawFileParser):
    media_type = "text/csv"


class RawXlsxParser(RawFileParser):
    media_type = XLSX


class ImportErrorSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(help_text="Zeile der Datei (Kopfzeile = 1; 0 = ganze Datei)")
    column = serializers.CharField(help_text="Spaltenname, leer wenn die ganze Zeile/Datei")
    message = serializers.CharField(help_text="Grund, auf Deutsch")


class ImportResultSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=[Status.IMPORTED, Status.CHECKED, Status.ALREADY_IMPORTED, Status.UNCHANGED]
    )
    message = serializers.CharField()
    file_name = serializers.CharField()
    format = serializers.CharField()
    rows = serializers.IntegerField()
    households = serializers.IntegerField()
    new_rows = serializers.IntegerField()
    unchanged_rows = serializers.IntegerField()
    persons_created = serializers.IntegerField()
    households_created = serializers.IntegerField()
    households_reused = serializers.IntegerField()
    arrivals_created = serializers.IntegerField()
    tasks_created = serializers.IntegerField()
    import_id = serializers.IntegerField(allow_null=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["errors"] = ImportErrorSerializer(many=True)  # the name shadows Serializer.errors
        return fields


class ImportProblemSerializer(serializers.Serializer[Any]):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["errors"] = ImportErrorSerializer(many=True)
        return fields


class MultipartImportSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="CSV (UTF-8 oder Windows-1252) oder XLSX")
    county = serializers.SlugField(help_text="Kürzel des Landkreises")
    dry_run = serializers.BooleanField(required=False, default=False)


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "ja", "yes", "on"}


class AllocationImportView(APIView):
    parser_classes = [MultiPartParser, FormParser, RawCsvParser, RawXlsxParser, RawFileParser]

    @extend_schema(
        operation_id="allocation_imports_create",
        summary="Zuweisungsliste importieren",
        description=__doc__,
        request={
            "multipart/form-data": MultipartImportSerializer,
            "text/csv": {"type": "string", "format": "binary"},
            XLSX: {"type": "string", "format": "binary"},
        },
        parameters=[
            OpenApiParameter("county", str, description="Kürzel (bei Rohdaten-Upload)"),
            OpenApiParameter("file_name", str, description="Dateiname (bei Rohdaten-Upload)"),
            OpenApiParameter("dry_run", bool, description="nur prüfen"),
        ],
        responses={
            201: ImportResultSerializer,
            200: ImportResultSerializer,
            # Problem details, like every API error (found by the contract tests).
            (400, "application/problem+json"): OpenApiResponse(
                ImportProblemSerializer, description="Fehler in der Datei"
            ),
            403: OpenApiResponse(description="Keine Berechtigung"),
        },
    )
    def post(self, request: Request) -> Response:
        if request.content_type.startswith(("multipart/", "application/x-www-form-urlencoded")):
            upload = request.FILES.get("file")
            if upload is None:
                return problem_response(
                    400,
                    "Bitte die Datei im Feld „file“ senden.",
                    errors=[{"line": 0, "column": "", "message": "Die Datei fehlt."}],
                )
            content = upload.read(MAX_FILE_BYTES + 1)
            file_name = upload.name or "upload"
            data: Any = request.data
            county_slug = data.get("county") or request.query_params.get("county", "")
            dry_run = _flag(data.get("dry_run") or request.query_params.get("dry_run"))
        else:
            content = request.data if isinstance(request.data, bytes) else b""
            file_name = request.query_params.get("file_name", "") or "upload"
            county_slug = request.query_params.get("county", "")
            dry_run = _flag(request.query_params.get("dry_run"))
        county = County.objects.filter(slug=county_slug).first()
        if county is None:
            return problem_response(
                400,
                "Bitte einen gültigen Landkreis (county) angeben.",
                errors=[{"line": 0, "column": "", "message": "Unbekannter Landkreis."}],
            )
        result = import_allocations(
            actor=request.user,  # type: ignore[arg-type]
            county=county,
            file_name=file_name,
            content=content,
            dry_run=dry_run,
        )
        if not result.ok:
            return problem_response(
                400,
                result.message,
                errors=[error.as_dict() for error in result.errors],
            )
        code = status.HTTP_201_CREATED if result.changed else status.HTTP_200_OK
        return Response(result.as_json(), status=code)
