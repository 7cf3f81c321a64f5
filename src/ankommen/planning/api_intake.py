"""Intake planning in the API (``/api/v1/planning/<county>/…``): series (list, upload), the
prior, the Aufnahmesoll, the Freimeldung. Counts and shares only, no personal data. Access as
on the pages: ``VIEW_PLANNING`` to read, ``MANAGE_PLANNING`` to upload, with county scope; 403
without the action anywhere, 404 for another county."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.algorithms.forecast import month_label
from ankommen.core.access import Action
from ankommen.core.models import County
from ankommen.planning import freimeldung as fm
from ankommen.planning import selectors_intake as selectors
from ankommen.planning import services_intake as services
from ankommen.planning.aufnahmesoll import aufnahmesoll
from ankommen.planning.forms_intake import MAX_SERIES_BYTES
from ankommen.planning.models_intake import NationalSeries, Stream
from ankommen.planning.prior import prior_streams

# The county's short name, as the URL converter ``slug`` accepts it.
SLUG = OpenApiParameter(
    "slug",
    {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
    OpenApiParameter.PATH,
    description="Kürzel des Landkreises",
)


def _county(request: Request, slug: str, action: Action = Action.VIEW_PLANNING) -> County:
    try:
        return selectors.county_for(actor=request.user, slug=slug, action=action)
    except County.DoesNotExist:
        raise Http404 from None


class CsvParser(BaseParser):
    """The series file as the request body (``text/csv``), read as bytes."""

    media_type = "text/csv"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        content = stream.read(MAX_SERIES_BYTES + 1) if stream is not None else b""
        if len(content) > MAX_SERIES_BYTES:
            raise serializers.ValidationError({"file": [_("Die Datei ist größer als 200 kB.")]})
        return bytes(content)


class SeriesSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    shipped = serializers.BooleanField(help_text="mitgeliefert (für alle Landkreise)")
    source = serializers.CharField()  # type: ignore[assignment]
    months = serializers.IntegerField()


class UploadQuerySerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    source = serializers.CharField(max_length=400, required=False, default="")  # type: ignore[assignment]
    stream = serializers.ChoiceField(choices=Stream.choices, required=False, default="")


def _series(series: NationalSeries) -> dict[str, Any]:
    return {
        "id": series.pk,
        "name": series.name,
        "shipped": series.county_id is None,
        "source": series.source,
        "months": series.values.count(),
    }


class SeriesList(APIView):
    """The series a county's prior can use; POST uploads one (CSV ``month,value`` as body)."""

    parser_classes = [CsvParser]

    @extend_schema(
        operation_id="planning_series_list",
        parameters=[SLUG],
        responses=SeriesSerializer(many=True),
    )
    def get(self, request: Request, slug: str) -> Response:
        county = _county(request, slug)
        rows = [_series(s) for s in selectors.series_for(county)]
        return Response(SeriesSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="planning_series_upload",
        request={"text/csv": {"type": "string", "format": "binary"}},
        parameters=[SLUG, UploadQuerySerializer],
        responses={201: SeriesSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        county = _county(request, slug, Action.MANAGE_PLANNING)
        query = UploadQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        content = request.data if isinstance(request.data, bytes) else b""
        try:
            series = services.upload_series(
                actor=request.user,  # type: ignore[arg-type]
                county=county,
                content=content,
                **query.validated_data,
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(SeriesSerializer(_series(series)).data, status=201)


class MonthValueSerializer(serializers.Serializer[Any]):
    month = serializers.CharField(help_text="JJJJ-MM")
    value = serializers.FloatField(help_text="erwartete Personen")


class StreamPriorSerializer(serializers.Serializer[Any]):
    stream = serializers.CharField()
    series = serializers.CharField(allow_null=True)
    prior = MonthValueSerializer(many=True)


class PriorSerializer(serializers.Serializer[Any]):
    county = serializers.CharField()
    total = MonthValueSerializer(many=True)
    streams = StreamPriorSerializer(many=True)


def _months(values: dict[int, float]) -> list[dict[str, Any]]:
    return [{"month": month_label(m), "value": round(v, 3)} for m, v in sorted(values.items())]


class PriorView(APIView):
    """The county prior per month: every stream and their sum."""

    @extend_schema(
        operation_id="planning_prior_retrieve", parameters=[SLUG], responses=PriorSerializer
    )
    def get(self, request: Request, slug: str) -> Response:
        county = _county(request, slug)
        streams = prior_streams(county=county)
        total: dict[int, float] = {}
        for s in streams:
            for month, value in s.values.items():
                total[month] = total.get(month, 0.0) + value
        body = {
            "county": county.slug,
            "total": _months(total),
            "streams": [
                {
                    "stream": s.stream.value,
                    "series": s.series.name if s.series else None,
                    "prior": _months(s.values),
                }
                for s in streams
            ],
        }
        return Response(PriorSerializer(body).data)


class QuotaYearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    quota = serializers.IntegerField(allow_null=True, help_text="Soll des Landes")
    verified = serializers.BooleanField(help_text="Quelle geprüft")
    source = serializers.CharField()  # type: ignore[assignment]
    carried_in = serializers.IntegerField(help_text="Übertrag aus dem Vorjahr")
    target = serializers.IntegerField(allow_null=True, help_text="Soll plus Übertrag")
    intake = serializers.IntegerField(help_text="aufgenommene Personen")
    balance = serializers.IntegerField(allow_null=True, help_text=">0 noch aufzunehmen")
    fulfilment = serializers.FloatField(allow_null=True)
    so_far = serializers.BooleanField(help_text="Jahr läuft noch")


class QuotaReportSerializer(serializers.Serializer[Any]):
    county = serializers.CharField()
    year = serializers.IntegerField()
    day = serializers.DateField()
    current = QuotaYearSerializer()
    years = QuotaYearSerializer(many=True)


class YearQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class DayQuerySerializer(serializers.Serializer[Any]):
    day = serializers.DateField(required=False)


class AufnahmesollView(APIView):
    """The Aufnahmesoll of a year with the carry-over and the years before it."""

    @extend_schema(
        operation_id="planning_aufnahmesoll_retrieve",
        parameters=[SLUG, YearQuerySerializer],
        responses=QuotaReportSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        county = _county(request, slug)
        query = YearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        report = aufnahmesoll(
            county=county, year=query.validated_data.get("year") or today.year, day=today
        )
        return Response(QuotaReportSerializer(report.as_json()).data)


class PlacesSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    municipality = serializers.CharField()
    kind = serializers.CharField()
    beds = serializers.IntegerField()
    occupied = serializers.IntegerField()
    reserved = serializers.IntegerField()
    closed = serializers.IntegerField()
    free = serializers.IntegerField()


class FreimeldungSerializer(serializers.Serializer[Any]):
    county = serializers.CharField()
    day = serializers.DateField()
    free = serializers.IntegerField()
    soll_open = serializers.IntegerField(allow_null=True)
    reportable = serializers.IntegerField(help_text="an das Land zu meldende freie Plätze")
    municipalities = PlacesSerializer(many=True)
    facilities = PlacesSerializer(many=True)


class FreimeldungView(APIView):
    """Free places per facility and municipality, within the open Aufnahmesoll."""

    @extend_schema(
        operation_id="planning_freimeldung_retrieve",
        parameters=[
            SLUG,
            OpenApiParameter("day", {"type": "string", "format": "date"}, description="Stichtag"),
        ],
        responses=FreimeldungSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        county = _county(request, slug)
        query = DayQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("day") or timezone.localdate()
        report = fm.freimeldung(county=county, day=day)
        return Response(FreimeldungSerializer(report.as_json()).data)
