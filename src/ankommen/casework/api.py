"""Casework in the API (``/api/v1/casework/…``), mounted by ``api/urls.py``: the same
selectors, services and access rules as the pages. Confidential notes appear only for the
staff of the author's provider (``null`` otherwise, with ``has_confidential_note``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ankommen.casework import aggregates, selectors, services
from ankommen.casework.models import Case, Contact, Goal, Referral
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import Provider, User
from ankommen.people.models import Household, Person


def _user(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        access.deny()
    return user


def _require_any(request: Request, action: Action) -> User:
    user = _user(request)
    if not access.counties_for(user, action):
        access.deny()
    return user


def _case(request: Request, pk: int, action: Action = Action.VIEW_CASEWORK) -> Case:
    user = _require_any(request, action)
    try:
        case = selectors.case_for_page(actor=user, pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None
    if action != Action.VIEW_CASEWORK and not access.can_reach(user, action, case.household):
        raise Http404
    return case


class StrictSerializer(serializers.Serializer[Any]):
    """Rejects fields it does not know (ADR 0009)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: ["Unbekanntes Feld."] for name in sorted(unknown)}
            )
        return attrs


class OpenedCaseSerializer(serializers.Serializer[Any]):
    """The answer to opening a case: its keys and dates (the caller knows the household)."""

    id = serializers.IntegerField()
    household = serializers.IntegerField(source="household_id")
    person = serializers.IntegerField(source="person_id", allow_null=True)
    provider = serializers.IntegerField(source="provider_id")
    provider_name = serializers.CharField(source="provider.name")
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)


class CaseSerializer(OpenedCaseSerializer):
    household_reference = serializers.CharField(source="household.reference")
    members = serializers.SerializerMethodField(help_text="Namen der Mitglieder des Haushalts")

    def get_members(self, case: Case) -> list[str]:
        return [
            p.full_name
            for p in Person._base_manager.filter(household_id=case.household_id).order_by("pk")
        ]


class OpenCaseSerializer(StrictSerializer):
    household = serializers.IntegerField()
    provider = serializers.IntegerField()
    opened_on = serializers.DateField()
    person = serializers.IntegerField(required=False, allow_null=True)


class ContactSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="contact.id")
    day = serializers.DateField(source="contact.day")
    minutes = serializers.IntegerField(source="contact.minutes")
    place = serializers.CharField(source="contact.place")
    language = serializers.CharField(source="contact.language")
    interpreter = serializers.BooleanField(source="contact.interpreter")
    topics = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField(source="contact.note")
    has_confidential_note = serializers.BooleanField(source="has_confidential")
    confidential_note = serializers.CharField(allow_null=True)
    author = serializers.CharField(source="contact.author")


class ContactCreateSerializer(StrictSerializer):
    day = serializers.DateField()
    minutes = serializers.IntegerField(min_value=1, max_value=services.MAX_MINUTES)
    place = serializers.ChoiceField(choices=Contact.Place.choices)
    language = serializers.CharField(max_length=60)
    interpreter = serializers.BooleanField(default=False)
    topics = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.NOTE_MAX)
    confidential_note = serializers.CharField(
        required=False, allow_blank=True, max_length=services.CONFIDENTIAL_MAX
    )


class ReferralSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    service = serializers.CharField()
    recipient = serializers.CharField()
    sent_on = serializers.DateField()
    status = serializers.CharField()
    follow_up_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()


class ReferralCreateSerializer(StrictSerializer):
    service = serializers.ChoiceField(choices=Referral.Service.choices)
    recipient = serializers.CharField(required=False, allow_blank=True, max_length=200)
    sent_on = serializers.DateField()
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.NOTE_MAX)


class ReferralUpdateSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=Referral.Status.choices)
    follow_up_on = serializers.DateField(allow_null=True)


class GoalSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    field = serializers.CharField()
    title = serializers.CharField()
    target_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    referral = serializers.IntegerField(source="referral_id", allow_null=True)


class GoalCreateSerializer(StrictSerializer):
    field = serializers.ChoiceField(choices=Goal.Field.choices)
    title = serializers.CharField(max_length=200)
    target_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Goal.Status.choices, default=Goal.Status.OPEN)
    referral = serializers.IntegerField(required=False, allow_null=True)


class OverdueSerializer(serializers.Serializer[Any]):
    caseworker = serializers.CharField(allow_null=True)
    referral = ReferralSerializer()
    household_reference = serializers.CharField()
    members = serializers.ListField(child=serializers.CharField())


class LoadSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    id = serializers.IntegerField(source="key", allow_null=True)
    cases = serializers.IntegerField(source="load.cases")
    fte = serializers.FloatField(source="load.fte")
    per_fte = serializers.FloatField(source="load.per_fte", allow_null=True)
    above = serializers.BooleanField(source="load.above")
    fte_needed = serializers.FloatField(source="load.fte_needed")


class RatioSerializer(serializers.Serializer[Any]):
    per_fte = serializers.IntegerField()
    unit = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    verified = serializers.BooleanField()
    configured = serializers.BooleanField()


class CaseloadSerializer(serializers.Serializer[Any]):
    county = serializers.CharField(source="county.slug")
    day = serializers.DateField()
    ratio = RatioSerializer()
    providers = LoadSerializer(many=True)
    facilities = LoadSerializer(many=True)
    caseworkers = LoadSerializer(many=True)


def _contacts(user: User, case: Case) -> Response:
    rows = selectors.contacts_of(actor=user, case=case)
    return Response(ContactSerializer(rows, many=True).data)


class CaseList(mixins.ListModelMixin, generics.GenericAPIView):  # type: ignore[type-arg]
    serializer_class = CaseSerializer

    def get_queryset(self) -> Any:
        user = _require_any(self.request, Action.VIEW_CASEWORK)
        return selectors.cases_visible_to(actor=user).order_by("pk")

    @extend_schema(summary="Fälle in Ihrem Bereich")
    def get(self, request: Request) -> Response:
        return self.list(request)

    @extend_schema(
        request=OpenCaseSerializer,
        responses={201: OpenedCaseSerializer},
        summary="Fall eröffnen (Landkreis)",
    )
    def post(self, request: Request) -> Response:
        user = _require_any(request, Action.CHANGE_CASEWORK)
        if not any(
            access.allows(user, Action.CHANGE_CASEWORK, c)
            for c in access.counties_for(user, Action.CHANGE_CASEWORK)
        ):
            access.deny()
        data = OpenCaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            home = access.restrict(Household._base_manager.all(), user, Action.CHANGE_CASEWORK).get(
                pk=values["household"]
            )
        except Household.DoesNotExist:
            raise serializers.ValidationError(
                {"household": ["Diesen Haushalt gibt es nicht oder er ist nicht sichtbar."]}
            ) from None
        provider = Provider._base_manager.filter(
            pk=values["provider"], county_id=home.county_id
        ).first()
        if provider is None:
            raise serializers.ValidationError(
                {"provider": ["Diesen Träger gibt es im Landkreis des Haushalts nicht."]}
            )
        person = None
        if values.get("person") is not None:
            person = Person._base_manager.filter(pk=values["person"], household=home).first()
            if person is None:
                raise serializers.ValidationError(
                    {"person": ["Die Person gehört nicht zu diesem Haushalt."]}
                )
        case = services.open_case(
            actor=user,
            household=home,
            provider=provider,
            opened_on=values["opened_on"],
            person=person,
        )
        return Response(OpenedCaseSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetail(APIView):
    @extend_schema(responses=CaseSerializer, summary="Ein Fall")
    def get(self, request: Request, pk: int) -> Response:
        return Response(CaseSerializer(_case(request, pk)).data)


class CaseContacts(APIView):
    @extend_schema(responses=ContactSerializer(many=True), summary="Beratungskontakte")
    def get(self, request: Request, pk: int) -> Response:
        return _contacts(_user(request), _case(request, pk))

    @extend_schema(
        request=ContactCreateSerializer,
        responses={201: ContactSerializer},
        summary="Beratungskontakt eintragen",
    )
    def post(self, request: Request, pk: int) -> Response:
        case = _case(request, pk, Action.CHANGE_CASEWORK)
        data = ContactCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = _user(request)
        contact = services.record_contact(
            actor=user,
            case=case,
            day=values["day"],
            minutes=values["minutes"],
            place=values["place"],
            language=values["language"],
            interpreter=values["interpreter"],
            topics=values["topics"],
            note=values.get("note", ""),
            confidential_note=values.get("confidential_note", ""),
        )
        row = next(r for r in selectors.contacts_of(actor=user, case=case) if r.contact == contact)
        return Response(ContactSerializer(row).data, status=status.HTTP_201_CREATED)


class CaseReferrals(APIView):
    @extend_schema(responses=ReferralSerializer(many=True), summary="Weitervermittlungen")
    def get(self, request: Request, pk: int) -> Response:
        case = _case(request, pk)
        return Response(ReferralSerializer(selectors.referrals_of(case=case), many=True).data)

    @extend_schema(
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer},
        summary="Weitervermitteln",
    )
    def post(self, request: Request, pk: int) -> Response:
        case = _case(request, pk, Action.CHANGE_CASEWORK)
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        referral = services.record_referral(
            actor=_user(request),
            case=case,
            service=values["service"],
            recipient=values.get("recipient", ""),
            sent_on=values["sent_on"],
            follow_up_on=values.get("follow_up_on"),
            note=values.get("note", ""),
        )
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralDetail(APIView):
    @extend_schema(
        request=ReferralUpdateSerializer,
        responses=ReferralSerializer,
        summary="Stand und Wiedervorlage einer Weitervermittlung ändern",
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = _require_any(request, Action.CHANGE_CASEWORK)
        try:
            referral = selectors.referral_for_change(actor=user, pk=pk)
        except Referral.DoesNotExist:
            raise Http404 from None
        data = ReferralUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.update_referral(
            actor=user,
            referral=referral,
            status=data.validated_data["status"],
            follow_up_on=data.validated_data["follow_up_on"],
        )
        return Response(ReferralSerializer(referral).data)


class GoalUpdateSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=Goal.Status.choices)
    target_on = serializers.DateField(allow_null=True)


class GoalDetail(APIView):
    @extend_schema(
        request=GoalUpdateSerializer,
        responses=GoalSerializer,
        summary="Stand und Zieldatum eines Ziels ändern",
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = _require_any(request, Action.CHANGE_CASEWORK)
        try:
            goal = selectors.goal_for_change(actor=user, pk=pk)
        except Goal.DoesNotExist:
            raise Http404 from None
        data = GoalUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        goal = services.update_goal(
            actor=user,
            goal=goal,
            status=data.validated_data["status"],
            target_on=data.validated_data["target_on"],
        )
        return Response(GoalSerializer(goal).data)


class CaseGoals(APIView):
    @extend_schema(responses=GoalSerializer(many=True), summary="Ziele des Integrationsplans")
    def get(self, request: Request, pk: int) -> Response:
        case = _case(request, pk)
        return Response(GoalSerializer(selectors.goals_of(case=case), many=True).data)

    @extend_schema(request=GoalCreateSerializer, responses={201: GoalSerializer}, summary="Ziel")
    def post(self, request: Request, pk: int) -> Response:
        case = _case(request, pk, Action.CHANGE_CASEWORK)
        data = GoalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        referral = None
        if values.get("referral") is not None:
            referral = Referral.objects.filter(pk=values["referral"], case=case).first()
            if referral is None:
                raise serializers.ValidationError(
                    {"referral": ["Die Weitervermittlung gehört nicht zu diesem Fall."]}
                )
        goal = services.add_goal(
            actor=_user(request),
            case=case,
            field=values["field"],
            title=values["title"],
            target_on=values.get("target_on"),
            status=values["status"],
            referral=referral,
        )
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)


def overdue_rows(user: User | None, day: date, *, only_own: bool = False) -> list[dict[str, Any]]:
    rows = []
    for worklist in selectors.worklists(actor=user, day=day, only_own=only_own):
        for referral in worklist.referrals:
            rows.append(
                {
                    "caseworker": str(worklist.caseworker) if worklist.caseworker else None,
                    "referral": referral,
                    "household_reference": referral.case.household.reference,
                    "members": [p.full_name for p in referral.case.household.members.all()],
                }
            )
    return rows


class OverdueQuerySerializer(serializers.Serializer[Any]):
    own = serializers.BooleanField(required=False)


class Overdue(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("own", bool, description="nur die eigenen Wiedervorlagen")],
        responses=OverdueSerializer(many=True),
        summary="Überfällige Wiedervorlagen je Fachkraft",
    )
    def get(self, request: Request) -> Response:
        user = _require_any(request, Action.VIEW_CASEWORK)
        query = OverdueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        only_own = bool(query.validated_data.get("own", False))
        rows = overdue_rows(user, timezone.localdate(), only_own=only_own)
        return Response(OverdueSerializer(rows, many=True).data)


class Caseload(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "county", str, description="nur dieser Landkreis (Kürzel); sonst alle in Reichweite"
            )
        ],
        responses=CaseloadSerializer(many=True),
        summary="Fälle je Vollzeitstelle gegen den Personalschlüssel",
    )
    def get(self, request: Request) -> Response:
        user = _user(request)
        counties = [
            c
            for c in access.counties_for(user, Action.VIEW_AGGREGATES)
            if access.allows_county_wide(user, Action.VIEW_AGGREGATES, c)
        ]
        if not counties:
            access.deny()
        slug = request.query_params.get("county")
        if slug:
            # A filter: an unknown county, or one out of reach, gives an empty list.
            counties = [c for c in counties if c.slug == slug]
        today = timezone.localdate()
        loads = [aggregates.caseload(county=c, day=today) for c in counties]
        return Response(CaseloadSerializer(loads, many=True).data)
