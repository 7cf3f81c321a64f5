"""``GET /api/v1/arrivals/?day=``: the arrival board in the API (issue 5, part 3) — the same
households, checklist state and access rules as ``/unterbringung/ankuenfte/``: county staff see
the county's announced households, a shelter manager those planned for their facility. Like
the page it shows references, sizes, languages and needs, no names."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.housing import selectors_arrivals as selectors


class DayQuerySerializer(serializers.Serializer[Any]):
    day = serializers.DateField(required=False)


class TaskSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="Code der Aufgabe, z. B. bed_ready, interpreter")
    title = serializers.CharField(help_text="Bezeichnung auf Deutsch")
    owner_role = serializers.CharField(help_text="zuständige Rolle")
    detail = serializers.CharField(allow_blank=True)
    due_at = serializers.DateTimeField()
    done_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()


class ArrivalSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    household = serializers.IntegerField()
    reference = serializers.CharField(help_text="Aktenzeichen des Haushalts")
    planned_on = serializers.DateField()
    persons = serializers.IntegerField()
    languages = serializers.ListField(child=serializers.CharField())
    needs = serializers.ListField(child=serializers.CharField(), help_text="Bedarfe laut Liste")
    site = serializers.IntegerField(allow_null=True, help_text="geplante Unterkunft")
    site_name = serializers.CharField(allow_null=True)
    assessed = serializers.BooleanField(help_text="Schutzbedarf geprüft")
    tasks_done = serializers.IntegerField()
    tasks_total = serializers.IntegerField()
    tasks = TaskSerializer(many=True)


class ArrivalBoardSerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    arrivals = ArrivalSerializer(many=True)


def _day(request: Request) -> date:
    if request.query_params.get("day") == "":
        raise serializers.ValidationError(
            {"day": [_("Bitte ein Datum JJJJ-MM-TT angeben oder „day“ weglassen.")]}
        )
    query = DayQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("day") or timezone.localdate()


class ArrivalBoard(APIView):
    """Households announced for a day, with their arrival checklist."""

    @extend_schema(
        operation_id="arrivals_list",
        parameters=[OpenApiParameter("day", date, description="Tag (Standard: heute)")],
        responses=ArrivalBoardSerializer,
    )
    def get(self, request: Request) -> Response:
        day = _day(request)
        if not access.counties_for(request.user, Action.PREPARE_ARRIVAL):
            raise PermissionDenied
        now = timezone.now()
        entries = selectors.arrival_board(actor=request.user, day=day)
        body = {
            "day": day,
            "arrivals": [
                {
                    "id": entry.arrival.pk,
                    "household": entry.arrival.household_id,
                    "reference": entry.arrival.household.reference,
                    "planned_on": entry.arrival.planned_on,
                    "persons": entry.size,
                    "languages": entry.languages,
                    "needs": entry.needs,
                    "site": entry.arrival.site_id,
                    "site_name": entry.arrival.site.name if entry.arrival.site else None,
                    "assessed": entry.arrival.assessed_at is not None,
                    "tasks_done": entry.tasks_done,
                    "tasks_total": entry.tasks_total,
                    "tasks": [
                        {
                            "kind": task.kind,
                            "title": task.get_kind_display(),
                            "owner_role": task.owner_role,
                            "detail": task.detail,
                            "due_at": task.due_at,
                            "done_at": task.done_at,
                            "overdue": task.done_at is None and task.due_at < now,
                        }
                        for task in sorted(
                            entry.arrival.tasks.all(), key=lambda t: (t.due_at, t.kind)
                        )
                    ],
                }
                for entry in entries
            ],
        }
        return Response(ArrivalBoardSerializer(body).data)
