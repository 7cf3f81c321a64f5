"""API v1 views: thin shells over the people selectors (same access rules as the UI)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from ankommen.api.serializers import HouseholdSerializer, PersonSerializer
from ankommen.people import selectors
from ankommen.people.models import Household, Person


class PersonViewSet(viewsets.ReadOnlyModelViewSet[Person]):
    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return (
            selectors.persons_visible_to(actor=self.request.user)
            .prefetch_related("nationalities", "languages")
            .order_by("pk")
        )


class PersonSearchViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Person]):
    serializer_class = PersonSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Person]:  # pragma: no cover - list() is overridden
        return selectors.persons_visible_to(actor=self.request.user).none()

    @extend_schema(parameters=[OpenApiParameter("q", str, required=True, description="Name")])
    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        query = request.query_params.get("q", "")
        if not query.strip():
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"q": ["Bitte einen Namen angeben."]})
        persons = selectors.search_persons(actor=request.user, query=query[:200])
        return Response(PersonSerializer(persons, many=True).data)


class HouseholdViewSet(viewsets.ReadOnlyModelViewSet[Household]):
    serializer_class = HouseholdSerializer

    def get_queryset(self) -> QuerySet[Household]:
        return (
            selectors.households_visible_to(actor=self.request.user)
            .prefetch_related("members__nationalities", "members__languages")
            .order_by("pk")
        )
