"""Health records in the API (``/api/v1/persons/{id}/health/`` and ``…/screenings/``): the
same rules as the pages. Health roles only; every read is audited with its purpose."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import User
from ankommen.health import selectors, services
from ankommen.health.models import InstrumentText
from ankommen.people.models import Person


class NeedSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)


class ExaminationSerializer(serializers.Serializer[Any]):
    examined_on = serializers.DateField()
    result = serializers.CharField()
    follow_up_needed = serializers.BooleanField()
    notes = serializers.CharField()


class VaccinationSerializer(serializers.Serializer[Any]):
    vaccine = serializers.CharField()
    offered_on = serializers.DateField()
    given_on = serializers.DateField(allow_null=True)
    declined = serializers.BooleanField()


class ConditionSerializer(serializers.Serializer[Any]):
    details = serializers.CharField()
    noted_on = serializers.DateField()


class ScreeningSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    instrument = serializers.CharField()
    language = serializers.CharField(source="text.language", read_only=True)
    screened_on = serializers.DateField()
    result = serializers.DictField(read_only=True)
    rescreen_on = serializers.DateField(allow_null=True, read_only=True)


class HealthReferralSerializer(serializers.Serializer[Any]):
    to = serializers.CharField()
    reason = serializers.CharField()
    status = serializers.CharField()
    created_on = serializers.DateField()
    follow_up_on = serializers.DateField(allow_null=True)


class CareRouteSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    insurer = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)


class BookingSerializer(serializers.Serializer[Any]):
    starts_at = serializers.DateTimeField(source="hour.starts_at")
    specialty = serializers.CharField(source="hour.specialty")
    site = serializers.CharField(source="hour.site.name")
    interpreter_language = serializers.CharField()
    attendance = serializers.CharField()


class HealthRecordSerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField(source="person.pk")
    needs = NeedSerializer(many=True)
    examinations = ExaminationSerializer(many=True)
    vaccinations = VaccinationSerializer(many=True)
    conditions = ConditionSerializer(many=True)
    screenings = ScreeningSerializer(many=True)
    referrals = HealthReferralSerializer(many=True)
    care_routes = CareRouteSerializer(many=True)
    bookings = BookingSerializer(many=True)


class ScreeningCreateSerializer(serializers.Serializer[Any]):
    text = serializers.IntegerField(help_text="Geladener Item-Text (Instrument und Sprache)")
    instrument = serializers.ChoiceField(choices=["RHS-15", "RHS-13"])
    screened_on = serializers.DateField(required=False)
    interpreter = serializers.BooleanField(required=False, default=False)
    answers = serializers.DictField(
        child=serializers.IntegerField(), help_text='Item-Nummer → Wert, z. B. {"1": 2}'
    )


def _person(request: Request, pk: int, action: Action) -> Person:
    if not access.counties_for(request.user, action):
        access.deny()
    try:
        return selectors.persons_in_reach(actor=request.user, action=action).get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None


class HealthRecordView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("purpose", str, description="Zweck des Zugriffs (protokolliert)")
        ],
        responses=HealthRecordSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        person = _person(request, pk, Action.VIEW_HEALTH)
        assert isinstance(request.user, User)
        purpose = request.query_params.get("purpose", "").strip()[:200] or "API: Versorgung"
        record = selectors.health_record(actor=request.user, person=person, purpose=purpose)
        return Response(HealthRecordSerializer(record).data)


class ScreeningCreateView(APIView):
    @extend_schema(request=ScreeningCreateSerializer, responses={201: ScreeningSerializer})
    def post(self, request: Request, pk: int) -> Response:
        person = _person(request, pk, Action.RECORD_HEALTH)
        assert isinstance(request.user, User)
        data = ScreeningCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        text = InstrumentText.objects.filter(
            pk=values["text"], county_id=person.county_id, active=True
        ).first()
        if text is None:
            raise serializers.ValidationError(
                {"text": "Kein geladener Item-Text mit dieser Nummer."}
            )
        try:
            answers = {int(k): v for k, v in values["answers"].items()}
        except ValueError:
            raise serializers.ValidationError(
                {"answers": "Schlüssel müssen Item-Nummern sein."}
            ) from None
        try:
            screening = services.record_screening(
                actor=request.user,
                person=person,
                text=text,
                instrument=values["instrument"],
                answers=answers,
                screened_on=values.get("screened_on") or timezone.localdate(),
                interpreter=values["interpreter"],
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(ScreeningSerializer(screening).data, status=status.HTTP_201_CREATED)
