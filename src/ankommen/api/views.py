"""API v1 views: thin shells over the people selectors (same access rules as the UI)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, prefetch_related_objects
from django_scopes import scope
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ankommen.api.serializers import HouseholdSerializer, PersonSerializer
from ankommen.core.access import active_memberships
from ankommen.people import selectors
from ankommen.people.models import Household, Person

SEARCH_MAX_LENGTH = 200


class CountyScopeMixin:
    """Open the county scope of the user DRF authenticated.

    ``CountyScopeMiddleware`` runs before DRF authenticates a token, so for token requests it
    opened an empty scope, and related rows read through scoped managers (a household's
    members) came back empty. The scope is opened again here, after authentication.
    """

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        counties = sorted({m.county_id for m in active_memberships(request.user)})
        self._county_scope = scope(county=counties)
        self._county_scope.__enter__()

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        county_scope = self.__dict__.pop("_county_scope", None)
        if county_scope is not None:
            county_scope.__exit__(None, None, None)
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc,no-any-return]


class PersonViewSet(CountyScopeMixin, viewsets.ReadOnlyModelViewSet[Person]):
    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return (
            selectors.persons_visible_to(actor=self.request.user)
            .prefetch_related("nationalities", "languages")
            .order_by("pk")
        )


class PersonSearchViewSet(CountyScopeMixin, mixins.ListModelMixin, viewsets.GenericViewSet[Person]):
    serializer_class = PersonSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Person]:  # pragma: no cover - list() is overridden
        return selectors.persons_visible_to(actor=self.request.user).none()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                # At least one character that is not a space; longer names are refused.
                {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": SEARCH_MAX_LENGTH,
                    "pattern": r"\S",
                },
                required=True,
                description="Name (Schreibvarianten und andere Schriften werden gefunden)",
            )
        ]
    )
    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        query = request.query_params.get("q", "")
        if not query.strip():
            raise ValidationError({"q": ["Bitte einen Namen angeben."]})
        if len(query) > SEARCH_MAX_LENGTH:
            raise ValidationError(
                {"q": [f"Der Name ist zu lang (höchstens {SEARCH_MAX_LENGTH} Zeichen)."]}
            )
        persons = selectors.search_persons(actor=request.user, query=query)
        # One query per relation, not one per person (found by the load bench).
        prefetch_related_objects(persons, "languages")
        return Response(PersonSerializer(persons, many=True).data)


class HouseholdViewSet(CountyScopeMixin, viewsets.ReadOnlyModelViewSet[Household]):
    serializer_class = HouseholdSerializer

    def get_queryset(self) -> QuerySet[Household]:
        return (
            selectors.households_visible_to(actor=self.request.user)
            .prefetch_related("members__nationalities", "members__languages")
            .order_by("pk")
        )
