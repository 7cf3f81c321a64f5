"""API v1 views: thin shells over the people selectors (same access rules as the UI)."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.api.permissions import MayViewPersons
from ankommen.api.serializers import HouseholdSerializer, PersonSerializer
from ankommen.core.middleware import county_scope
from ankommen.people import selectors
from ankommen.people.models import Household, Person


class CountyScopedMixin(APIView):
    """Opens the county scope (django-scopes) for the authenticated API user.

    The scope middleware runs before DRF authenticates a token, so for token requests it sees
    an anonymous user; the scope is opened again here, once the user is known.
    """

    _scope_stack: ExitStack

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with ExitStack() as stack:
            self._scope_stack = stack
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self._scope_stack.enter_context(county_scope(request.user))


PERSON_PERMISSIONS = [IsAuthenticated, MayViewPersons]


class PersonViewSet(CountyScopedMixin, viewsets.ReadOnlyModelViewSet[Person]):
    serializer_class = PersonSerializer
    permission_classes = PERSON_PERMISSIONS

    def get_queryset(self) -> QuerySet[Person]:
        return (
            selectors.persons_visible_to(actor=self.request.user)
            .prefetch_related("nationalities", "languages")
            .order_by("pk")
        )


class PersonSearchViewSet(
    CountyScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet[Person]
):
    serializer_class = PersonSerializer
    permission_classes = PERSON_PERMISSIONS
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


class HouseholdViewSet(CountyScopedMixin, viewsets.ReadOnlyModelViewSet[Household]):
    serializer_class = HouseholdSerializer
    permission_classes = PERSON_PERMISSIONS

    def get_queryset(self) -> QuerySet[Household]:
        return (
            selectors.households_visible_to(actor=self.request.user)
            .prefetch_related("members__nationalities", "members__languages")
            .order_by("pk")
        )
