"""API v1 views: thin shells over the people selectors and services (same access rules as the
UI). A caller whose roles lack the action everywhere gets 403; objects outside the caller's
reach are 404; reachable objects the caller may not change are 403; bad input is 400 with one
``{field, message}`` per problem."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from django.db.models import QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.api.permissions import MayViewPersons
from ankommen.api.serializers import (
    ConsentSerializer,
    ConsentWithdrawalSerializer,
    HouseholdCreateSerializer,
    HouseholdSerializer,
    PersonCreateSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
    ProblemSerializer,
    ResidenceStatusSerializer,
    VulnerabilitySerializer,
)
from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.middleware import county_scope
from ankommen.core.models import User
from ankommen.people import selectors
from ankommen.people.models import Consent, Household, Person

_BAD = OpenApiResponse(ProblemSerializer, description="Ungültige Angaben (errors je Feld).")
_DENIED = OpenApiResponse(ProblemSerializer, description="Keine Berechtigung.")
_MISSING = OpenApiResponse(
    ProblemSerializer, description="Nicht vorhanden oder für Sie nicht sichtbar."
)
_PROBLEM = "application/problem+json"
WRITE_PROBLEMS: dict[Any, OpenApiResponse] = {(400, _PROBLEM): _BAD, (403, _PROBLEM): _DENIED}
OBJECT_PROBLEMS: dict[Any, OpenApiResponse] = {(403, _PROBLEM): _DENIED, (404, _PROBLEM): _MISSING}
NOT_FOUND: dict[Any, OpenApiResponse] = {(404, _PROBLEM): _MISSING}
SEARCH_MAX_LENGTH = 200


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


def _user(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):  # the API requires authentication; this narrows the type
        access.deny()
    return user


class PersonViewSet(
    CountyScopedMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet[Person],
):
    serializer_class = PersonSerializer
    permission_classes = PERSON_PERMISSIONS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Person]:
        return (
            selectors.persons_visible_to(actor=self.request.user)
            .prefetch_related("nationalities", "languages")
            .order_by("pk")
        )

    def _person_for(self, action: Action) -> Person:
        """The person of the URL for ``action``: 403 first when no role of the caller grants
        the action anywhere (the same answer for every id), then 404 out of reach."""
        if not access.counties_for(self.request.user, action):
            access.deny()
        return self.get_object()

    def _written(self, person: Person, code: int) -> Response:
        fresh = self.get_queryset().filter(pk=person.pk).first() or person
        return Response(PersonSerializer(fresh).data, status=code)

    @extend_schema(
        request=PersonCreateSerializer, responses={201: PersonSerializer, **WRITE_PROBLEMS}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Who may not create persons at all learns nothing about the input (403 first).
        if not access.counties_for(request.user, Action.CREATE_PERSON):
            access.deny()
        serializer = PersonCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return self._written(serializer.save(), status.HTTP_201_CREATED)

    @extend_schema(
        request=PersonUpdateSerializer,
        responses={200: PersonSerializer, **WRITE_PROBLEMS, **NOT_FOUND},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self._person_for(Action.CHANGE_PERSON)
        access.require_reach(request.user, Action.CHANGE_PERSON, person.household)
        serializer = PersonUpdateSerializer(
            person, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        return self._written(serializer.save(), status.HTTP_200_OK)

    def _sensitive(self, person: Person) -> Any:
        facts = selectors.sensitive_facts(actor=self.request.user, person=person)
        if facts is None:
            access.deny()
        return facts

    def _record(self, request: Request, serializer_class: type, person: Person) -> Response:
        access.require_reach(request.user, Action.CHANGE_PERSON, person.household)
        serializer = serializer_class(
            data=request.data, context={"request": request, "person": person}
        )
        serializer.is_valid(raise_exception=True)
        created = serializer.save()
        return Response(serializer_class(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses={200: ResidenceStatusSerializer(many=True), **OBJECT_PROBLEMS},
        description="Verlauf des Aufenthaltsstatus, neuester zuerst.",
    )
    @extend_schema(
        methods=["POST"],
        request=ResidenceStatusSerializer,
        responses={201: ResidenceStatusSerializer, **WRITE_PROBLEMS, **NOT_FOUND},
        description="Neuen Status erfassen; der bis dahin geltende endet am Vortag.",
    )
    @action(detail=True, methods=["get", "post"], url_path="residence-statuses")
    def residence_statuses(self, request: Request, pk: str | None = None) -> Response:
        writing = request.method == "POST"
        person = self._person_for(Action.CHANGE_PERSON if writing else Action.VIEW_SENSITIVE)
        if writing:
            return self._record(request, ResidenceStatusSerializer, person)
        facts = self._sensitive(person)
        return Response(ResidenceStatusSerializer(facts.statuses, many=True).data)

    @extend_schema(
        methods=["GET"],
        responses={200: VulnerabilitySerializer(many=True), **OBJECT_PROBLEMS},
        description="Besondere Schutzbedürftigkeit; das Lesen gesundheitsbezogener "
        "Kategorien wird protokolliert.",
    )
    @extend_schema(
        methods=["POST"],
        request=VulnerabilitySerializer,
        responses={201: VulnerabilitySerializer, **WRITE_PROBLEMS, **NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], url_path="vulnerabilities")
    def vulnerabilities(self, request: Request, pk: str | None = None) -> Response:
        writing = request.method == "POST"
        person = self._person_for(Action.CHANGE_PERSON if writing else Action.VIEW_SENSITIVE)
        if writing:
            return self._record(request, VulnerabilitySerializer, person)
        facts = self._sensitive(person)
        if facts.reveals_health:
            record_event(
                actor=_user(request),
                action=AuditEvent.Action.READ,
                obj=person,
                person_id=person.pk,
                purpose=_("API: Schutzbedarf gelesen"),
                details={"categories": "vulnerabilities"},
            )
        return Response(VulnerabilitySerializer(facts.vulnerabilities, many=True).data)

    @extend_schema(
        methods=["GET"],
        responses={200: ConsentSerializer(many=True), **OBJECT_PROBLEMS},
    )
    @extend_schema(
        methods=["POST"],
        request=ConsentSerializer,
        responses={201: ConsentSerializer, **WRITE_PROBLEMS, **NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], url_path="consents")
    def consents(self, request: Request, pk: str | None = None) -> Response:
        writing = request.method == "POST"
        person = self._person_for(Action.CHANGE_PERSON if writing else Action.VIEW_SENSITIVE)
        if writing:
            return self._record(request, ConsentSerializer, person)
        facts = self._sensitive(person)
        return Response(ConsentSerializer(facts.consents, many=True).data)

    @extend_schema(
        request=ConsentWithdrawalSerializer,
        responses={200: ConsentSerializer, **WRITE_PROBLEMS, **NOT_FOUND},
        parameters=[OpenApiParameter("consent_id", int, OpenApiParameter.PATH)],
        description="Einwilligung widerrufen (Art. 7 Abs. 3 DSGVO).",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"consents/(?P<consent_id>\d+)/withdrawal",
        url_name="consent-withdrawal",
    )
    def consent_withdrawal(
        self, request: Request, pk: str | None = None, consent_id: str | None = None
    ) -> Response:
        person = self._person_for(Action.CHANGE_PERSON)
        access.require_reach(request.user, Action.CHANGE_PERSON, person.household)
        consent = Consent.objects.filter(person=person, pk=int(consent_id or 0)).first()
        if consent is None:
            raise NotFound(_("Diese Einwilligung ist nicht vorhanden."))
        serializer = ConsentWithdrawalSerializer(
            consent, data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        return Response(ConsentSerializer(serializer.save()).data)


class PersonSearchViewSet(
    CountyScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet[Person]
):
    serializer_class = PersonSerializer
    permission_classes = PERSON_PERMISSIONS
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
            raise ValidationError({"q": [_("Bitte einen Namen angeben.")]})
        if len(query) > SEARCH_MAX_LENGTH:
            raise ValidationError(
                {
                    "q": [
                        _("Der Name ist zu lang (höchstens %(max)d Zeichen).")
                        % {"max": SEARCH_MAX_LENGTH}
                    ]
                }
            )
        persons = selectors.search_persons(actor=request.user, query=query)
        # One query per relation, not one per person (found by the load bench).
        prefetch_related_objects(persons, "languages")
        return Response(PersonSerializer(persons, many=True).data)


class HouseholdViewSet(
    CountyScopedMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Household]
):
    serializer_class = HouseholdSerializer
    permission_classes = PERSON_PERMISSIONS

    def get_queryset(self) -> QuerySet[Household]:
        return (
            selectors.households_visible_to(actor=self.request.user)
            .prefetch_related("members__nationalities", "members__languages")
            .order_by("pk")
        )

    @extend_schema(
        request=HouseholdCreateSerializer, responses={201: HouseholdSerializer, **WRITE_PROBLEMS}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not access.counties_for(request.user, Action.CREATE_PERSON):
            access.deny()
        serializer = HouseholdCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        household = serializer.save()
        return Response(HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)
