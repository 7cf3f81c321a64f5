"""Moves, beds and flat readiness in the API (issue 5, parts 1 and 5): thin views over the
housing services, with the access rules of the household page (``/unterbringung/haushalte/…``):
403 without the right anywhere, 404 for a household out of reach, 400 problem details with
``errors`` ``{field, message}`` in German (nothing written), 409 when a bed was just taken.

- ``POST   /api/v1/households/{id}/moves/``          move (Umzug) or move-in into rooms/beds
- ``POST   /api/v1/households/{id}/move-out/``       move out to a flat or away
- ``POST   /api/v1/households/{id}/flat-readiness/`` mark ready for a flat (wohnungsbereit)
- ``DELETE /api/v1/households/{id}/flat-readiness/`` end the readiness (``?day=``)
- ``POST   /api/v1/households/{id}/bed-assignments/`` one member into one bed
- ``GET    /api/v1/shelter-stays/``                  long stays in shared accommodation
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.api.problems import problem_response
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.housing import selectors, services
from ankommen.housing.models import Bed, FlatReadiness, Move, Occupancy, Room
from ankommen.people.models import Household, Person

PROBLEM = OpenApiResponse(description="Problem details (RFC 9457), Gründe auf Deutsch")


class MoveRequestSerializer(serializers.Serializer[Any]):
    day = serializers.DateField(help_text="Tag des Umzugs JJJJ-MM-TT")
    reason = serializers.CharField(help_text="Grund (Code), z. B. family, request, allocation")
    rooms = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="Zimmer einer Unterkunft; freie Betten werden gewählt",
    )
    beds = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="Person-ID → Bett-ID (statt ``rooms``)",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MoveOutRequestSerializer(serializers.Serializer[Any]):
    day = serializers.DateField(help_text="Auszugstag (die Betten sind an diesem Tag frei)")
    reason = serializers.CharField(help_text="flat, redistribution, departure oder other")
    flat = serializers.IntegerField(
        required=False, allow_null=True, help_text="Wohnung des Landkreises (Unterkunft-ID)"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReadinessRequestSerializer(serializers.Serializer[Any]):
    day = serializers.DateField(required=False, help_text="seit (Standard: heute)")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class BedAssignmentRequestSerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField(min_value=1, help_text="Mitglied des Haushalts")
    bed = serializers.IntegerField(min_value=1)
    valid_from = serializers.DateField(help_text="Einzugstag JJJJ-MM-TT")
    reason = serializers.CharField(required=False, default=Occupancy.MoveInReason.ALLOCATION)


class ShelterQuerySerializer(serializers.Serializer[Any]):
    day = serializers.DateField(required=False)
    all = serializers.BooleanField(required=False, default=False)


class MoveSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    household = serializers.IntegerField()
    day = serializers.DateField()
    kind = serializers.CharField(help_text="move_in, transfer oder move_out")
    reason = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    from_site = serializers.IntegerField(allow_null=True)
    to_site = serializers.IntegerField(allow_null=True)


class ReadinessSerializer(serializers.Serializer[Any]):
    household = serializers.IntegerField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    note = serializers.CharField(allow_blank=True)


class BedAssignmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    person = serializers.IntegerField()
    bed = serializers.IntegerField()
    site = serializers.IntegerField()
    valid_from = serializers.DateField()


class ShelterStaySerializer(serializers.Serializer[Any]):
    household = serializers.IntegerField()
    reference = serializers.CharField(help_text="Aktenzeichen des Haushalts")
    site = serializers.IntegerField()
    site_name = serializers.CharField()
    since = serializers.DateField(help_text="Beginn des ununterbrochenen Aufenthalts")
    months = serializers.IntegerField()
    persons = serializers.IntegerField()
    ready_since = serializers.DateField(allow_null=True, help_text="wohnungsbereit seit")


class ShelterStayListSerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    target_months = serializers.IntegerField(help_text="Zielaufenthaltsdauer des Landkreises")
    stays = ShelterStaySerializer(many=True)


def _household(request: Request, pk: int, *actions: Action) -> Household:
    try:
        return selectors.household_for(request.user, pk, *actions)
    except Household.DoesNotExist:
        raise Http404 from None


def _valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _move(move: Move) -> dict[str, Any]:
    return {
        "id": move.pk,
        "household": move.household_id,
        "day": move.day,
        "kind": move.kind,
        "reason": move.reason,
        "note": move.note,
        "from_site": move.from_site_id,
        "to_site": move.to_site_id,
    }


def _readiness(row: FlatReadiness) -> dict[str, Any]:
    return {
        "household": row.household_id,
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "note": row.note,
    }


class HouseholdMoveView(APIView):
    """Move the household into free beds of the given rooms (or the given beds)."""

    @extend_schema(
        operation_id="household_moves_create",
        summary="Umzug eines Haushalts eintragen",
        request=MoveRequestSerializer,
        responses={201: MoveSerializer, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM},
    )
    def post(self, request: Request, pk: int) -> Response:
        home = _household(request, pk, Action.MANAGE_ACCOMMODATION)
        data = _valid(MoveRequestSerializer, request.data)
        rooms = list(Room.objects.filter(pk__in=data.get("rooms") or [], county=home.county))
        if len(rooms) != len(set(data.get("rooms") or [])):
            raise ValidationError({"rooms": _("Unbekanntes Zimmer.")})
        beds: dict[int, Bed] | None = None
        if data.get("beds"):
            try:
                wanted = {int(person): bed for person, bed in data["beds"].items()}
            except ValueError:
                raise ValidationError({"beds": _("Bitte Personen-IDs als Schlüssel.")}) from None
            found = Bed.objects.in_bulk(set(wanted.values()))
            if any(
                bed not in found or found[bed].county_id != home.county_id
                for bed in wanted.values()
            ):
                raise ValidationError({"beds": _("Unbekanntes Bett.")})
            beds = {person: found[bed] for person, bed in wanted.items()}
        try:
            move = services.move_household(
                actor=request.user,  # type: ignore[arg-type]
                household=home,
                day=data["day"],
                reason=data["reason"],
                rooms=rooms,
                beds=beds,
                note=data["note"],
            )
        except services.BedTaken as error:
            return problem_response(status.HTTP_409_CONFLICT, " ".join(error.messages))
        return Response(MoveSerializer(_move(move)).data, status=status.HTTP_201_CREATED)


class HouseholdMoveOutView(APIView):
    """The household leaves its beds: to a flat (of its own or of the county) or away."""

    @extend_schema(
        operation_id="household_move_out_create",
        summary="Auszug eines Haushalts eintragen",
        request=MoveOutRequestSerializer,
        responses={201: MoveSerializer, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    def post(self, request: Request, pk: int) -> Response:
        home = _household(request, pk, Action.MANAGE_ACCOMMODATION)
        data = _valid(MoveOutRequestSerializer, request.data)
        flat = None
        if data.get("flat"):
            flats = selectors.flats_for_move_out(actor=request.user, county=home.county)
            flat = flats.filter(pk=data["flat"]).first()
            if flat is None:
                raise ValidationError({"flat": _("Bitte eine Wohnung des Landkreises wählen.")})
        move = services.move_out(
            actor=request.user,  # type: ignore[arg-type]
            household=home,
            day=data["day"],
            reason=data["reason"],
            flat=flat,
            note=data["note"],
        )
        return Response(MoveSerializer(_move(move)).data, status=status.HTTP_201_CREATED)


class FlatReadinessView(APIView):
    """Flat readiness (wohnungsbereit): accommodation staff and the household's caseworkers."""

    @extend_schema(
        operation_id="household_flat_readiness_create",
        summary="Haushalt als wohnungsbereit eintragen",
        request=ReadinessRequestSerializer,
        responses={201: ReadinessSerializer, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    def post(self, request: Request, pk: int) -> Response:
        home = _household(request, pk, Action.MANAGE_ACCOMMODATION, Action.CHANGE_PERSON)
        data = _valid(ReadinessRequestSerializer, request.data)
        row = services.mark_ready_for_flat(
            actor=request.user,  # type: ignore[arg-type]
            household=home,
            day=data.get("day") or timezone.localdate(),
            note=data["note"],
        )
        return Response(ReadinessSerializer(_readiness(row)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="household_flat_readiness_destroy",
        summary="Wohnungsbereitschaft beenden",
        parameters=[OpenApiParameter("day", date, description="Ende (Standard: heute)")],
        responses={200: ReadinessSerializer, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    def delete(self, request: Request, pk: int) -> Response:
        home = _household(request, pk, Action.MANAGE_ACCOMMODATION, Action.CHANGE_PERSON)
        data = _valid(ReadinessRequestSerializer, request.query_params)
        row = services.withdraw_ready_for_flat(
            actor=request.user,  # type: ignore[arg-type]
            household=home,
            day=data.get("day") or timezone.localdate(),
        )
        return Response(ReadinessSerializer(_readiness(row)).data)


class BedAssignmentView(APIView):
    """One member of the household into one bed; 409 when the bed was just taken."""

    @extend_schema(
        operation_id="household_bed_assignments_create",
        summary="Bett zuweisen",
        request=BedAssignmentRequestSerializer,
        responses={
            201: BedAssignmentSerializer,
            400: PROBLEM,
            403: PROBLEM,
            404: PROBLEM,
            409: PROBLEM,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        home = _household(request, pk, Action.MANAGE_ACCOMMODATION)
        data = _valid(BedAssignmentRequestSerializer, request.data)
        person = Person._base_manager.filter(pk=data["person"], household=home).first()
        if person is None:
            raise ValidationError({"person": _("Die Person gehört nicht zu diesem Haushalt.")})
        bed = Bed.objects.filter(pk=data["bed"], county=home.county).first()
        if bed is None:
            raise ValidationError({"bed": _("Unbekanntes Bett.")})
        try:
            occupancy = services.assign_bed(
                actor=request.user,  # type: ignore[arg-type]
                person=person,
                bed=bed,
                valid_from=data["valid_from"],
                reason=data["reason"],
            )
        except services.BedTaken as error:
            return problem_response(status.HTTP_409_CONFLICT, " ".join(error.messages))
        body = {
            "id": occupancy.pk,
            "person": occupancy.person_id,
            "bed": occupancy.bed_id,
            "site": occupancy.site_id,
            "valid_from": occupancy.valid_from,
        }
        return Response(BedAssignmentSerializer(body).data, status=status.HTTP_201_CREATED)


class ShelterStayList(APIView):
    """Households whose stay in shared accommodation has passed the county's target length;
    by default only those ready for a flat (``all=1``: all of them). References, no names."""

    @extend_schema(
        operation_id="shelter_stays_list",
        parameters=[
            OpenApiParameter("day", date, description="Stichtag (Standard: heute)"),
            OpenApiParameter("all", bool, description="auch nicht wohnungsbereite Haushalte"),
        ],
        responses={200: ShelterStayListSerializer, 400: PROBLEM, 403: PROBLEM},
    )
    def get(self, request: Request) -> Response:
        for key in ("day", "all"):
            if request.query_params.get(key) == "":
                # DRF would read an empty value as "not given"; the schema says a value or none.
                message = _("Bitte einen Wert angeben oder „%s“ weglassen.") % key
                raise ValidationError({key: message})
        query = _valid(ShelterQuerySerializer, request.query_params)
        if not access.counties_for(request.user, Action.VIEW_PERSON):
            raise PermissionDenied
        day = query.get("day") or timezone.localdate()
        stays = selectors.shelter_stays(
            actor=request.user, day=day, ready_only=not query.get("all", False)
        )
        body = {
            "day": day,
            "target_months": settings.ANKOMMEN_SHELTER_TARGET_MONTHS,
            "stays": [
                {
                    "household": stay.household.pk,
                    "reference": stay.household.reference,
                    "site": stay.site.pk,
                    "site_name": stay.site.name,
                    "since": stay.since,
                    "months": stay.months,
                    "persons": stay.persons,
                    "ready_since": stay.ready_since,
                }
                for stay in stays
            ],
        }
        return Response(ShelterStayListSerializer(body).data)
